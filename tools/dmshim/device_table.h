/*
 * The emulated kernel's device-mapper device list, and its persistence.
 *
 * Every lvm command is a new process, while the kernel's dm state outlives
 * them; so the table lives in a text file under $DMSHIM_STATE and is
 * re-read and re-written around each emulated ioctl (under flock).
 */
#ifndef DMSHIM_DEVICE_TABLE_H_
#define DMSHIM_DEVICE_TABLE_H_

#include <stdint.h>

#define DMSHIM_NAME_LEN 128
#define DMSHIM_UUID_LEN 129

struct dm_target_line {
	uint64_t start;   /* sectors */
	uint64_t length;  /* sectors */
	char type[16];
	char *params;     /* owned */
};

struct dm_table_lines {
	int present;
	int count;
	struct dm_target_line *targets; /* owned */
};

struct shim_device {
	char name[DMSHIM_NAME_LEN];
	char uuid[DMSHIM_UUID_LEN];
	uint32_t minor;
	int suspended;
	int read_only;
	uint32_t event_nr;
	struct dm_table_lines live;
	struct dm_table_lines inactive;
};

struct device_table {
	int count;
	int capacity;
	struct shim_device *devices; /* owned */
	uint32_t next_minor;
};

void device_table_init(struct device_table *t);
void device_table_free(struct device_table *t);

/* Returns 0 on success (a missing file is an empty table), -errno else. */
int device_table_load(struct device_table *t, const char *path);
int device_table_save(const struct device_table *t, const char *path);

struct shim_device *device_table_find_name(struct device_table *t, const char *name);
struct shim_device *device_table_find_uuid(struct device_table *t, const char *uuid);
struct shim_device *device_table_find_minor(struct device_table *t, uint32_t minor);

/* Appends a device with no tables; returns NULL when out of memory. */
struct shim_device *device_table_add(struct device_table *t, const char *name,
				     const char *uuid, uint32_t minor);
void device_table_remove(struct device_table *t, struct shim_device *dev);

void dm_table_lines_clear(struct dm_table_lines *lines);
/* Takes ownership of params (malloc'd). Returns 0 or -ENOMEM. */
int dm_table_lines_append(struct dm_table_lines *lines, uint64_t start,
			  uint64_t length, const char *type, char *params);
uint64_t dm_table_lines_length(const struct dm_table_lines *lines);

#endif
