/*
 * The kernel side of the device-mapper ioctl interface, emulated over a
 * persisted device_table: the same lookups, flags, result layouts and
 * errnos as drivers/md/dm-ioctl.c for the commands LVM issues.
 */
#ifndef DMSHIM_DM_EMULATION_H_
#define DMSHIM_DM_EMULATION_H_

#include <linux/dm-ioctl.h>

/* The block major the emulated devices claim: 60-63 are reserved for
 * local/experimental use, so no real driver will ever own it. */
#define DMSHIM_BLOCK_MAJOR 62

/*
 * Runs the ioctl numbered nr (DM_*_CMD) on the caller's buffer, as the
 * kernel would: reads input from it, writes results back into it.
 * state_file holds the device table between processes.
 * Returns 0 or a negative errno.
 */
int dm_emulate_ioctl(unsigned nr, struct dm_ioctl *param, const char *state_file);

#endif
