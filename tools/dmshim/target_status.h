/*
 * What the emulated kernel knows about targets: which types it offers (and
 * at which versions), what a loaded table line depends on, and the INFO
 * status line each target reports.  Status always describes a healthy,
 * fully synchronised device, because the shim stores no data.
 */
#ifndef DMSHIM_TARGET_STATUS_H_
#define DMSHIM_TARGET_STATUS_H_

#include <stddef.h>
#include <stdint.h>

#include "device_table.h"

struct target_version {
	const char *name;
	uint32_t version[3];
};

extern const struct target_version kTargetVersions[];
extern const size_t kTargetVersionCount;

const struct target_version *target_version_find(const char *name);

/*
 * Stores in devs (capacity max) the distinct "major:minor" tokens found in
 * the table's parameters, encoded as the kernel's huge_encode_dev does.
 * Returns how many it stored; max must bound the number of tokens.
 */
int table_dependencies(const struct dm_table_lines *lines, uint64_t *devs, int max);

/* Whether line references device major:minor (for open counts). */
int table_references(const struct dm_table_lines *lines, uint32_t major, uint32_t minor);

/* malloc'd INFO status for one table line; NULL on out of memory. */
char *target_info_status(const struct dm_target_line *line);

uint64_t encode_dev(uint32_t major, uint32_t minor);
void decode_dev(uint64_t dev, uint32_t *major, uint32_t *minor);

#endif
