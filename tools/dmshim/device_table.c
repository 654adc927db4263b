#include "device_table.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void device_table_init(struct device_table *t)
{
	memset(t, 0, sizeof(*t));
}

void dm_table_lines_clear(struct dm_table_lines *lines)
{
	for (int i = 0; i < lines->count; i++)
		free(lines->targets[i].params);
	free(lines->targets);
	memset(lines, 0, sizeof(*lines));
}

int dm_table_lines_append(struct dm_table_lines *lines, uint64_t start,
			  uint64_t length, const char *type, char *params)
{
	struct dm_target_line *grown =
		realloc(lines->targets, sizeof(*grown) * (size_t)(lines->count + 1));
	if (!grown) {
		free(params);
		return -ENOMEM;
	}
	lines->targets = grown;
	struct dm_target_line *line = &grown[lines->count++];
	line->start = start;
	line->length = length;
	snprintf(line->type, sizeof(line->type), "%s", type);
	line->params = params;
	lines->present = 1;
	return 0;
}

uint64_t dm_table_lines_length(const struct dm_table_lines *lines)
{
	uint64_t total = 0;
	for (int i = 0; i < lines->count; i++)
		total += lines->targets[i].length;
	return total;
}

static void shim_device_free(struct shim_device *dev)
{
	dm_table_lines_clear(&dev->live);
	dm_table_lines_clear(&dev->inactive);
}

void device_table_free(struct device_table *t)
{
	for (int i = 0; i < t->count; i++)
		shim_device_free(&t->devices[i]);
	free(t->devices);
	device_table_init(t);
}

struct shim_device *device_table_find_name(struct device_table *t, const char *name)
{
	for (int i = 0; i < t->count; i++)
		if (!strcmp(t->devices[i].name, name))
			return &t->devices[i];
	return NULL;
}

struct shim_device *device_table_find_uuid(struct device_table *t, const char *uuid)
{
	if (!*uuid)
		return NULL;
	for (int i = 0; i < t->count; i++)
		if (!strcmp(t->devices[i].uuid, uuid))
			return &t->devices[i];
	return NULL;
}

struct shim_device *device_table_find_minor(struct device_table *t, uint32_t minor)
{
	for (int i = 0; i < t->count; i++)
		if (t->devices[i].minor == minor)
			return &t->devices[i];
	return NULL;
}

struct shim_device *device_table_add(struct device_table *t, const char *name,
				     const char *uuid, uint32_t minor)
{
	if (t->count == t->capacity) {
		int capacity = t->capacity ? 2 * t->capacity : 16;
		struct shim_device *grown =
			realloc(t->devices, sizeof(*grown) * (size_t)capacity);
		if (!grown)
			return NULL;
		t->devices = grown;
		t->capacity = capacity;
	}
	struct shim_device *dev = &t->devices[t->count++];
	memset(dev, 0, sizeof(*dev));
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	snprintf(dev->uuid, sizeof(dev->uuid), "%s", uuid);
	dev->minor = minor;
	if (minor >= t->next_minor)
		t->next_minor = minor + 1;
	return dev;
}

void device_table_remove(struct device_table *t, struct shim_device *dev)
{
	int index = (int)(dev - t->devices);
	shim_device_free(dev);
	memmove(&t->devices[index], &t->devices[index + 1],
		sizeof(*dev) * (size_t)(t->count - index - 1));
	t->count--;
}

/*
 * File format, one record per line:
 *   next_minor <n>
 *   device <minor> <suspended> <read_only> <event_nr> <name> <uuid or ->
 *   table live|inactive
 *   target <start> <length> <type> <params to end of line>
 * "table" and "target" lines belong to the preceding "device".
 */
static int save_lines(FILE *f, const char *which, const struct dm_table_lines *lines)
{
	if (!lines->present)
		return 0;
	fprintf(f, "table %s\n", which);
	for (int i = 0; i < lines->count; i++) {
		const struct dm_target_line *l = &lines->targets[i];
		fprintf(f, "target %" PRIu64 " %" PRIu64 " %s %s\n", l->start,
			l->length, l->type, l->params);
	}
	return 0;
}

int device_table_save(const struct device_table *t, const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "next_minor %" PRIu32 "\n", t->next_minor);
	for (int i = 0; i < t->count; i++) {
		const struct shim_device *d = &t->devices[i];
		fprintf(f, "device %" PRIu32 " %d %d %" PRIu32 " %s %s\n", d->minor,
			d->suspended, d->read_only, d->event_nr, d->name,
			*d->uuid ? d->uuid : "-");
		save_lines(f, "live", &d->live);
		save_lines(f, "inactive", &d->inactive);
	}
	if (fflush(f) || ferror(f)) {
		int err = errno ? errno : EIO;
		fclose(f);
		return -err;
	}
	fclose(f);
	if (rename(tmp, path))
		return -errno;
	return 0;
}

int device_table_load(struct device_table *t, const char *path)
{
	device_table_init(t);
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -errno;

	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct shim_device *dev = NULL;
	struct dm_table_lines *lines = NULL;
	int r = 0;
	while ((n = getline(&line, &cap, f)) != -1) {
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		char name[DMSHIM_NAME_LEN], uuid[DMSHIM_UUID_LEN], which[16], type[16];
		unsigned minor, next;
		int suspended, read_only, consumed = 0;
		unsigned event_nr;
		uint64_t start, length;
		if (sscanf(line, "next_minor %u", &next) == 1) {
			t->next_minor = next;
		} else if (sscanf(line, "device %u %d %d %u %127s %128s", &minor,
				  &suspended, &read_only, &event_nr, name, uuid) == 6) {
			if (!(dev = device_table_add(t, name, strcmp(uuid, "-") ? uuid : "",
						     minor))) {
				r = -ENOMEM;
				break;
			}
			dev->suspended = suspended;
			dev->read_only = read_only;
			dev->event_nr = event_nr;
			lines = NULL;
		} else if (dev && sscanf(line, "table %15s", which) == 1) {
			lines = !strcmp(which, "live") ? &dev->live : &dev->inactive;
			lines->present = 1;
		} else if (lines && sscanf(line, "target %" SCNu64 " %" SCNu64 " %15s %n",
					   &start, &length, type, &consumed) == 3 &&
			   consumed) {
			char *params = strdup(line + consumed);
			if (!params ||
			    dm_table_lines_append(lines, start, length, type, params)) {
				r = -ENOMEM;
				break;
			}
		} else if (n) {
			r = -EINVAL; /* corrupt state file: refuse rather than guess */
			break;
		}
	}
	free(line);
	fclose(f);
	if (r)
		device_table_free(t);
	return r;
}
