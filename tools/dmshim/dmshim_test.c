/*
 * Drives libdmshim.so through the real libdevmapper, as lvm does, and
 * checks the kernel behaviour LVM relies on.  Run with the shim preloaded
 * (ctest sets LD_PRELOAD, DMSHIM_STATE and DMSHIM_SCRATCH).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libdevmapper.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                \
	do {                                                            \
		if (!(cond)) {                                          \
			failures++;                                     \
			fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, \
				__LINE__, #cond);                       \
			fprintf(stderr, __VA_ARGS__);                   \
			fputc('\n', stderr);                            \
		}                                                       \
	} while (0)

static struct dm_task *task(int type, const char *name)
{
	struct dm_task *dmt = dm_task_create(type);
	if (dmt && name)
		dm_task_set_name(dmt, name);
	return dmt;
}

static int create(const char *name, const char *uuid, uint64_t len, const char *type,
		  const char *params)
{
	struct dm_task *dmt = task(DM_DEVICE_CREATE, name);
	if (uuid)
		dm_task_set_uuid(dmt, uuid);
	dm_task_add_target(dmt, 0, len, type, params);
	int ok = dm_task_run(dmt);
	dm_task_destroy(dmt);
	return ok;
}

/* Returns 1 on success, else 0 with *err the ioctl errno. */
static int run_simple(int type, const char *name, int *err)
{
	struct dm_task *dmt = task(type, name);
	int ok = dm_task_run(dmt);
	if (err)
		*err = dm_task_get_errno(dmt);
	dm_task_destroy(dmt);
	return ok;
}

static struct dm_info info_of(const char *name)
{
	struct dm_info info;
	memset(&info, 0, sizeof(info));
	struct dm_task *dmt = task(DM_DEVICE_INFO, name);
	if (dm_task_run(dmt))
		dm_task_get_info(dmt, &info);
	dm_task_destroy(dmt);
	return info;
}

/* The first target's status (table=0) or table (table=1) text, malloc'd. */
static char *status_of(const char *name, int table)
{
	struct dm_task *dmt = task(table ? DM_DEVICE_TABLE : DM_DEVICE_STATUS, name);
	char *out = NULL;
	if (dm_task_run(dmt)) {
		uint64_t start, length;
		char *type, *params;
		dm_get_next_target(dmt, NULL, &start, &length, &type, &params);
		out = strdup(params ? params : "");
	}
	dm_task_destroy(dmt);
	return out ? out : strdup("<failed>");
}

static void test_versions(void)
{
	char version[64];
	CHECK(dm_driver_version(version, sizeof(version)), "no driver version");
	CHECK(!strcmp(version, "4.48.0"), "driver version %s", version);

	struct dm_task *dmt = task(DM_DEVICE_LIST_VERSIONS, NULL);
	CHECK(dm_task_run(dmt), "list versions failed");
	int raid = 0, mirror = 0;
	struct dm_versions *v = dm_task_get_versions(dmt), *last;
	do {
		if (!strcmp(v->name, "raid"))
			raid = v->version[0] == 1 && v->version[1] >= 15;
		if (!strcmp(v->name, "mirror"))
			mirror = 1;
		last = v;
		v = (struct dm_versions *)((char *)v + v->next);
	} while (last != v);
	dm_task_destroy(dmt);
	CHECK(raid && mirror, "raid >= 1.15 and mirror not both listed");
	CHECK(dm_is_dm_major(62) && !dm_is_dm_major(7), "dm major from /proc/devices");
}

static void test_tables_status_deps(void)
{
	CHECK(create("t-leg", "TEST-leg", 2048, "linear", "7:0 2048"), "create t-leg");
	struct dm_info leg = info_of("t-leg");
	CHECK(leg.exists && leg.live_table && leg.major == 62, "t-leg info");

	char params[128];
	snprintf(params, sizeof(params), "core 1 1024 2 62:%u 0 7:1 0 1 handle_errors", leg.minor);
	CHECK(create("t-mir", NULL, 2048, "mirror", params), "create t-mir");
	char *status = status_of("t-mir", 0);
	char want[128];
	snprintf(want, sizeof(want), "2 62:%u 7:1 2/2 1 AA 1 core", leg.minor);
	CHECK(!strcmp(status, want), "mirror status '%s', want '%s'", status, want);
	free(status);
	char *table = status_of("t-mir", 1);
	CHECK(!strcmp(table, params), "mirror table '%s'", table);
	free(table);

	struct dm_task *dmt = task(DM_DEVICE_DEPS, "t-mir");
	CHECK(dm_task_run(dmt), "deps failed");
	struct dm_deps *deps = dm_task_get_deps(dmt);
	CHECK(deps->count == 2 && deps->device[0] == makedev(62, leg.minor) &&
	      deps->device[1] == makedev(7, 1), "deps count %u", deps->count);
	dm_task_destroy(dmt);

	CHECK(info_of("t-leg").open_count == 1, "leg held open by the mirror");
	int err = 0;
	CHECK(!run_simple(DM_DEVICE_REMOVE, "t-leg", &err) && err == EBUSY,
	      "removing a referenced device: errno %d", err);

	CHECK(create("t-raid", NULL, 4096, "raid",
		     "raid1 3 0 region_size 1024 2 - 7:2 - 7:3"), "create t-raid");
	status = status_of("t-raid", 0);
	CHECK(!strcmp(status, "raid1 2 AA 4096/4096 idle 0 0 -"), "raid status '%s'", status);
	free(status);

	CHECK(!create("t-bad", NULL, 10, "no-such-target", ""), "unknown target accepted");
	CHECK(!info_of("t-bad").live_table, "failed load left a live table");
}

static void test_reload_rename_remove(void)
{
	struct dm_task *dmt = task(DM_DEVICE_SUSPEND, "t-raid");
	CHECK(dm_task_run(dmt), "suspend");
	dm_task_destroy(dmt);
	CHECK(info_of("t-raid").suspended, "not suspended");

	dmt = task(DM_DEVICE_RELOAD, "t-raid");
	dm_task_add_target(dmt, 0, 8192, "raid", "raid1 3 0 region_size 1024 2 - 7:2 - 7:3");
	CHECK(dm_task_run(dmt), "reload");
	dm_task_destroy(dmt);
	struct dm_info info = info_of("t-raid");
	CHECK(info.inactive_table && info.live_table, "inactive table after reload");

	dmt = task(DM_DEVICE_RESUME, "t-raid");
	CHECK(dm_task_run(dmt), "resume");
	dm_task_destroy(dmt);
	info = info_of("t-raid");
	CHECK(!info.suspended && !info.inactive_table, "resume did not swap");
	char *status = status_of("t-raid", 0);
	CHECK(!strcmp(status, "raid1 2 AA 8192/8192 idle 0 0 -"), "new table status '%s'", status);
	free(status);

	dmt = task(DM_DEVICE_RENAME, "t-raid");
	dm_task_set_newname(dmt, "t-raid2");
	CHECK(dm_task_run(dmt), "rename");
	dm_task_destroy(dmt);
	CHECK(!info_of("t-raid").exists && info_of("t-raid2").exists, "rename not visible");

	int err = 0;
	CHECK(!run_simple(DM_DEVICE_STATUS, "t-nothing", &err) || !info_of("t-nothing").exists,
	      "status of a missing device succeeded");
	CHECK(run_simple(DM_DEVICE_REMOVE, "t-mir", NULL), "remove t-mir");
	CHECK(run_simple(DM_DEVICE_REMOVE, "t-leg", NULL), "remove t-leg after its user");
	CHECK(run_simple(DM_DEVICE_REMOVE, "t-raid2", NULL), "remove t-raid2");
}

/* More names than libdm's first 16 KiB buffer: exercises DM_BUFFER_FULL_FLAG. */
static void test_list_many(void)
{
	enum { kMany = 400 };
	char name[64];
	for (int i = 0; i < kMany; i++) {
		snprintf(name, sizeof(name), "t-many-device-%04d", i);
		if (!create(name, NULL, 8, "zero", "")) {
			CHECK(0, "create %s", name);
			return;
		}
	}
	struct dm_task *dmt = task(DM_DEVICE_LIST, NULL);
	CHECK(dm_task_run(dmt), "list");
	int count = 0;
	struct dm_names *n = dm_task_get_names(dmt);
	if (n->dev) {
		unsigned next = 0;
		do {
			n = (struct dm_names *)((char *)n + next);
			count += !strncmp(n->name, "t-many-device-", 14);
			next = n->next;
		} while (next);
	}
	dm_task_destroy(dmt);
	CHECK(count == kMany, "listed %d of %d", count, kMany);
	for (int i = 0; i < kMany; i++) {
		snprintf(name, sizeof(name), "t-many-device-%04d", i);
		run_simple(DM_DEVICE_REMOVE, name, NULL);
	}
}

/* The node of an emulated device lives in the state dir, opens the scratch. */
static void test_nodes_and_scratch(void)
{
	const char *scratch = getenv("DMSHIM_SCRATCH");
	if (geteuid() != 0 || !scratch) {
		fprintf(stderr, "skipping node/scratch checks (needs root and DMSHIM_SCRATCH)\n");
		return;
	}
	CHECK(create("t-node", NULL, 2048, "linear", "7:0 0"), "create t-node");
	dm_udev_wait(0); /* runs libdm's stacked node creation */
	struct dm_info info = info_of("t-node");
	struct stat st;
	CHECK(!stat("/dev/mapper/t-node", &st) && S_ISBLK(st.st_mode) &&
	      st.st_rdev == makedev(62, info.minor), "node not visible through the shim");
	CHECK(syscall(SYS_faccessat, AT_FDCWD, "/dev/mapper/t-node", F_OK) != 0,
	      "node created in the real /dev/mapper");

	int fd = open("/dev/mapper/t-node", O_RDWR);
	CHECK(fd >= 0, "open node: %s", strerror(errno));
	if (fd < 0)
		return;
	CHECK(!fstat(fd, &st) && S_ISBLK(st.st_mode) && st.st_rdev == makedev(62, info.minor),
	      "fstat does not report the emulated device");
	uint64_t size = 0;
	CHECK(!ioctl(fd, BLKGETSIZE64, &size) && size > 0, "BLKGETSIZE64");
	CHECK(pwrite(fd, "dmshim", 6, 512) == 6, "write");
	close(fd);
	char buf[6] = {0};
	int sfd = open(scratch, O_RDONLY);
	CHECK(sfd >= 0 && pread(sfd, buf, 6, 512) == 6 && !memcmp(buf, "dmshim", 6),
	      "write did not reach the scratch");
	if (sfd >= 0)
		close(sfd);
	CHECK(run_simple(DM_DEVICE_REMOVE, "t-node", NULL), "remove t-node");
	dm_udev_wait(0);
	CHECK(stat("/dev/mapper/t-node", &st) != 0, "node left behind");
}

int main(void)
{
	if (!getenv("DMSHIM_STATE") || !getenv("LD_PRELOAD")) {
		fprintf(stderr, "run with LD_PRELOAD=libdmshim.so and DMSHIM_STATE set\n");
		return 2;
	}
	dm_udev_set_sync_support(0);
	test_versions();
	test_tables_status_deps();
	test_reload_rename_remove();
	test_list_many();
	test_nodes_and_scratch();
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	else
		printf("dmshim_test: all checks passed\n");
	return failures ? 1 : 0;
}
