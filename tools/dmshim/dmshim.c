/*
 * libdmshim.so: an LD_PRELOAD shim that lets unmodified LVM2 (lvm, via
 * libdevmapper) believe the kernel has device-mapper, so that commands
 * which must activate and wipe new sub-LVs (mirror logs, raid metadata)
 * can run on a machine without dm.  It answers only kernel questions:
 *
 *   - /dev/mapper/control opens to a placeholder fd whose DM_* ioctls are
 *     emulated (dm_emulation.c) over a device table kept in
 *     $DMSHIM_STATE/dm-devices, because each lvm command is a new process;
 *   - /proc/devices gains a "device-mapper" block major (62, reserved for
 *     local use, so no real driver answers it);
 *   - /dev/mapper/<name> and /dev/<vg>/... (the nodes and links libdm and
 *     LVM create for active LVs) live under $DMSHIM_STATE/dev instead of
 *     /dev; opening one of those nodes opens $DMSHIM_SCRATCH instead, so
 *     LVM's wipes of new LVs land in the caller's scratch device, never on
 *     a PV, and fstat() on such an fd reports the emulated dm device.
 *
 * LVM's metadata code, and so its allocator, runs untouched: nothing here
 * looks at or alters metadata, PV reads/writes, or allocation input.
 * Without $DMSHIM_STATE the shim passes everything through.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include "dm_emulation.h"

#define EXPORT __attribute__((visibility("default")))
#define CONTROL_PATH "/dev/mapper/control"
#define MAX_TRACKED_FD 65536

/* fd -> role: control fds get emulated ioctls; scratch fds fake fstat. */
static unsigned char control_fd[MAX_TRACKED_FD];
static dev_t scratch_fd_rdev[MAX_TRACKED_FD];

#define REAL(name) real_##name
#define DECLARE_REAL(ret, name, ...)                                        \
	static ret (*real_##name)(__VA_ARGS__);                              \
	static void resolve_##name(void)                                     \
	{                                                                    \
		if (!real_##name)                                            \
			real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name); \
	}

DECLARE_REAL(int, open, const char *, int, ...)
DECLARE_REAL(int, open64, const char *, int, ...)
DECLARE_REAL(int, openat, int, const char *, int, ...)
DECLARE_REAL(int, openat64, int, const char *, int, ...)
DECLARE_REAL(FILE *, fopen, const char *, const char *)
DECLARE_REAL(FILE *, fopen64, const char *, const char *)
DECLARE_REAL(int, close, int)
DECLARE_REAL(int, ioctl, int, unsigned long, ...)
DECLARE_REAL(int, stat, const char *, struct stat *)
DECLARE_REAL(int, stat64, const char *, struct stat64 *)
DECLARE_REAL(int, lstat, const char *, struct stat *)
DECLARE_REAL(int, lstat64, const char *, struct stat64 *)
DECLARE_REAL(int, fstat, int, struct stat *)
DECLARE_REAL(int, fstat64, int, struct stat64 *)
DECLARE_REAL(int, fstatat, int, const char *, struct stat *, int)
DECLARE_REAL(int, fstatat64, int, const char *, struct stat64 *, int)
DECLARE_REAL(int, access, const char *, int)
DECLARE_REAL(int, mknod, const char *, mode_t, dev_t)
DECLARE_REAL(int, mkdir, const char *, mode_t)
DECLARE_REAL(int, rmdir, const char *)
DECLARE_REAL(int, unlink, const char *)
DECLARE_REAL(int, symlink, const char *, const char *)
DECLARE_REAL(int, link, const char *, const char *)
DECLARE_REAL(ssize_t, readlink, const char *, char *, size_t)
DECLARE_REAL(int, rename, const char *, const char *)
DECLARE_REAL(int, chown, const char *, uid_t, gid_t)
DECLARE_REAL(int, lchown, const char *, uid_t, gid_t)
DECLARE_REAL(int, chmod, const char *, mode_t)
DECLARE_REAL(DIR *, opendir, const char *)
DECLARE_REAL(int, scandir, const char *, struct dirent ***,
	     int (*)(const struct dirent *),
	     int (*)(const struct dirent **, const struct dirent **))
DECLARE_REAL(int, scandir64, const char *, struct dirent64 ***,
	     int (*)(const struct dirent64 *),
	     int (*)(const struct dirent64 **, const struct dirent64 **))
DECLARE_REAL(char *, realpath, const char *, char *)

static const char *state_dir(void)
{
	const char *s = getenv("DMSHIM_STATE");
	return s && *s == '/' ? s : NULL;
}

static void state_file(char *buf, size_t size)
{
	snprintf(buf, size, "%s/dm-devices", state_dir());
}

/*
 * Maps a path under /dev that belongs to the emulated dm world into the
 * state dir: /dev/mapper/... (except the control node, which is real and
 * opened specially) and /dev/<x>/... when /dev/<x> does not exist for
 * real (LVM's per-VG link directories).  Other paths are returned as is.
 */
static const char *redirect(const char *path, char *buf, size_t size)
{
	const char *state = state_dir();
	if (!state || !path || strncmp(path, "/dev/", 5))
		return path;
	const char *rest = path + 5;
	size_t component = strcspn(rest, "/");
	if (!component || (component == 1 && rest[0] == '.') ||
	    (component == 2 && !strncmp(rest, "..", 2)))
		return path;
	if (component == 6 && !strncmp(rest, "mapper", 6)) {
		if (!strcmp(path, CONTROL_PATH))
			return path;
	} else {
		char top[PATH_MAX];
		struct stat st;
		snprintf(top, sizeof(top), "/dev/%.*s", (int)component, rest);
		resolve_lstat();
		if (!REAL(lstat)(top, &st) || errno != ENOENT)
			return path;
	}
	if ((size_t)snprintf(buf, size, "%s/dev/%s", state, rest) >= size)
		return path;
	return buf;
}

/* The inverse of redirect for link targets read back by the caller. */
static void unredirect(char *text, size_t *len, size_t capacity)
{
	const char *state = state_dir();
	if (!state)
		return;
	char prefix[PATH_MAX];
	int plen = snprintf(prefix, sizeof(prefix), "%s/dev/", state);
	if (plen <= 0 || *len < (size_t)plen || strncmp(text, prefix, (size_t)plen))
		return;
	size_t tail = *len - (size_t)plen;
	if (5 + tail > capacity)
		return;
	memmove(text + 5, text + plen, tail);
	memcpy(text, "/dev/", 5);
	*len = 5 + tail;
}

static int is_emulated_node(const char *redirected, struct stat *st)
{
	resolve_stat();
	return !REAL(stat)(redirected, st) && S_ISBLK(st->st_mode) &&
	       major(st->st_rdev) == DMSHIM_BLOCK_MAJOR;
}

static int track_fd(int fd, int is_control, dev_t rdev)
{
	if (fd < 0)
		return fd;
	if (fd >= MAX_TRACKED_FD) {
		resolve_close();
		REAL(close)(fd);
		errno = EMFILE;
		return -1;
	}
	control_fd[fd] = (unsigned char)is_control;
	scratch_fd_rdev[fd] = rdev;
	return fd;
}

static int open_control(void)
{
	resolve_open();
	return track_fd(REAL(open)("/dev/null", O_RDWR | O_CLOEXEC), 1, 0);
}

/* An emulated dm device has no data: its I/O goes to the scratch device. */
static int open_scratch(int flags, dev_t rdev)
{
	const char *scratch = getenv("DMSHIM_SCRATCH");
	if (!scratch || !*scratch) {
		errno = ENXIO;
		return -1;
	}
	flags &= ~(O_CREAT | O_EXCL | O_TRUNC);
	resolve_open();
	int fd = REAL(open)(scratch, flags);
	if (fd < 0 && errno == EINVAL && (flags & O_DIRECT))
		fd = REAL(open)(scratch, flags & ~O_DIRECT);
	return track_fd(fd, 0, rdev);
}

/* /proc/devices plus the emulated "device-mapper" block major. */
static int open_proc_devices(void)
{
	resolve_open();
	int in = REAL(open)("/proc/devices", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	char text[16384];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(text) - 1 &&
	       (n = read(in, text + len, sizeof(text) - 1 - len)) > 0)
		len += (size_t)n;
	resolve_close();
	REAL(close)(in);
	text[len] = '\0';
	int out = memfd_create("dmshim-proc-devices", MFD_CLOEXEC);
	if (out < 0)
		return -1;
	char line[64];
	int llen = snprintf(line, sizeof(line), "%3d device-mapper\n", DMSHIM_BLOCK_MAJOR);
	const char *block = strstr(text, "Block devices:\n");
	size_t head = block ? (size_t)(block - text) + strlen("Block devices:\n") : len;
	if (write(out, text, head) != (ssize_t)head ||
	    (block && write(out, line, (size_t)llen) != llen) ||
	    write(out, text + head, len - head) != (ssize_t)(len - head)) {
		REAL(close)(out);
		return -1;
	}
	lseek(out, 0, SEEK_SET);
	return out;
}

static int emulated_open(const char *path, int flags, mode_t mode,
			 int (*real_open_fn)(const char *, int, ...))
{
	if (state_dir() && path) {
		if (!strcmp(path, CONTROL_PATH))
			return open_control();
		if (!strcmp(path, "/proc/devices"))
			return open_proc_devices();
	}
	char buf[PATH_MAX];
	const char *p = redirect(path, buf, sizeof(buf));
	struct stat st;
	if (p != path && is_emulated_node(p, &st))
		return open_scratch(flags, st.st_rdev);
	int fd = real_open_fn(p, flags, mode);
	if (fd >= 0 && fd < MAX_TRACKED_FD) {
		control_fd[fd] = 0;
		scratch_fd_rdev[fd] = 0;
	}
	return fd;
}

#define OPEN_MODE(flags)                                   \
	mode_t mode = 0;                                   \
	if ((flags) & (O_CREAT | __O_TMPFILE)) {           \
		va_list ap;                                \
		va_start(ap, flags);                       \
		mode = (mode_t)va_arg(ap, int);            \
		va_end(ap);                                \
	}

EXPORT int open(const char *path, int flags, ...)
{
	OPEN_MODE(flags);
	resolve_open();
	return emulated_open(path, flags, mode, REAL(open));
}

EXPORT int open64(const char *path, int flags, ...)
{
	OPEN_MODE(flags);
	resolve_open64();
	return emulated_open(path, flags, mode, REAL(open64));
}

EXPORT int __open_2(const char *path, int flags)
{
	resolve_open();
	return emulated_open(path, flags, 0, REAL(open));
}

EXPORT int __open64_2(const char *path, int flags)
{
	resolve_open64();
	return emulated_open(path, flags, 0, REAL(open64));
}

static int emulated_openat(int dirfd, const char *path, int flags, mode_t mode,
			   int (*real_fn)(int, const char *, int, ...))
{
	if (path && path[0] == '/') {
		resolve_open();
		return emulated_open(path, flags, mode, REAL(open));
	}
	return real_fn(dirfd, path, flags, mode);
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	OPEN_MODE(flags);
	resolve_openat();
	return emulated_openat(dirfd, path, flags, mode, REAL(openat));
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	OPEN_MODE(flags);
	resolve_openat64();
	return emulated_openat(dirfd, path, flags, mode, REAL(openat64));
}

static FILE *emulated_fopen(const char *path, const char *how,
			    FILE *(*real_fn)(const char *, const char *))
{
	if (state_dir() && path && !strcmp(path, "/proc/devices")) {
		int fd = open_proc_devices();
		FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
		if (!f && fd >= 0) {
			resolve_close();
			REAL(close)(fd);
		}
		return f;
	}
	char buf[PATH_MAX];
	return real_fn(redirect(path, buf, sizeof(buf)), how);
}

EXPORT FILE *fopen(const char *path, const char *how)
{
	resolve_fopen();
	return emulated_fopen(path, how, REAL(fopen));
}

EXPORT FILE *fopen64(const char *path, const char *how)
{
	resolve_fopen64();
	return emulated_fopen(path, how, REAL(fopen64));
}

EXPORT int close(int fd)
{
	if (fd >= 0 && fd < MAX_TRACKED_FD) {
		control_fd[fd] = 0;
		scratch_fd_rdev[fd] = 0;
	}
	resolve_close();
	return REAL(close)(fd);
}

/*
 * A regular file as $DMSHIM_SCRATCH answers no block ioctls; LVM's wipe
 * path needs a few (sector size, size, read-ahead), so answer them as a
 * block device of the file's size with 512-byte sectors would.
 */
static int scratch_file_block_ioctl(int fd, unsigned long request, void *arg)
{
	struct stat st;
	resolve_fstat();
	if (REAL(fstat)(fd, &st)) /* the real file, not the faked dm view */
		return -1;
	switch (request) {
	case BLKGETSIZE64:
		*(uint64_t *)arg = (uint64_t)st.st_size;
		return 0;
	case BLKGETSIZE:
		*(unsigned long *)arg = (unsigned long)(st.st_size >> 9);
		return 0;
	case BLKSSZGET:
	case BLKPBSZGET:
	case BLKIOOPT:
	case BLKIOMIN:
		*(int *)arg = request == BLKIOOPT ? 0 : 512;
		return 0;
	case BLKRAGET:
		*(long *)arg = 256;
		return 0;
	case BLKROGET:
	case BLKALIGNOFF:
	case BLKDISCARDZEROES:
		*(int *)arg = 0;
		return 0;
	case BLKRASET:
	case BLKFLSBUF:
		return 0;
	case BLKZEROOUT:
	case BLKDISCARD: {
		const uint64_t *range = arg; /* {start, length} in bytes */
		if (range[0] + range[1] > (uint64_t)st.st_size) {
			errno = EINVAL;
			return -1;
		}
		return fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
				 (off_t)range[0], (off_t)range[1]);
	}
	default:
		errno = ENOTTY;
		return -1;
	}
}

EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (fd >= 0 && fd < MAX_TRACKED_FD && control_fd[fd]) {
		if (_IOC_TYPE(request) != DM_IOCTL || !state_dir()) {
			errno = ENOTTY;
			return -1;
		}
		char path[PATH_MAX];
		state_file(path, sizeof(path));
		int r = dm_emulate_ioctl(_IOC_NR(request), arg, path);
		if (r < 0) {
			errno = -r;
			return -1;
		}
		return 0;
	}
	resolve_ioctl();
	int r = REAL(ioctl)(fd, request, arg);
	if (r < 0 && errno == ENOTTY && fd >= 0 && fd < MAX_TRACKED_FD && scratch_fd_rdev[fd])
		return scratch_file_block_ioctl(fd, request, arg);
	return r;
}

/* ---- stat family: redirect paths; fds on the scratch look like dm ---- */

static void fake_dm_stat(int fd, struct stat *st)
{
	if (fd >= 0 && fd < MAX_TRACKED_FD && scratch_fd_rdev[fd]) {
		st->st_mode = (st->st_mode & 07777) | S_IFBLK;
		st->st_rdev = scratch_fd_rdev[fd];
		st->st_size = 0;
	}
}

EXPORT int stat(const char *path, struct stat *st)
{
	char buf[PATH_MAX];
	resolve_stat();
	return REAL(stat)(redirect(path, buf, sizeof(buf)), st);
}

EXPORT int stat64(const char *path, struct stat64 *st)
{
	char buf[PATH_MAX];
	resolve_stat64();
	return REAL(stat64)(redirect(path, buf, sizeof(buf)), st);
}

EXPORT int lstat(const char *path, struct stat *st)
{
	char buf[PATH_MAX];
	resolve_lstat();
	return REAL(lstat)(redirect(path, buf, sizeof(buf)), st);
}

EXPORT int lstat64(const char *path, struct stat64 *st)
{
	char buf[PATH_MAX];
	resolve_lstat64();
	return REAL(lstat64)(redirect(path, buf, sizeof(buf)), st);
}

EXPORT int fstat(int fd, struct stat *st)
{
	resolve_fstat();
	int r = REAL(fstat)(fd, st);
	if (!r)
		fake_dm_stat(fd, st);
	return r;
}

EXPORT int fstat64(int fd, struct stat64 *st)
{
	resolve_fstat64();
	int r = REAL(fstat64)(fd, st);
	if (!r)
		fake_dm_stat(fd, (struct stat *)st); /* same layout on LP64 */
	return r;
}

EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	char buf[PATH_MAX];
	resolve_fstatat();
	int r = REAL(fstatat)(dirfd, path[0] == '/' ? redirect(path, buf, sizeof(buf)) : path,
			      st, flags);
	if (!r && !*path && (flags & AT_EMPTY_PATH))
		fake_dm_stat(dirfd, st);
	return r;
}

EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	char buf[PATH_MAX];
	resolve_fstatat64();
	int r = REAL(fstatat64)(dirfd,
				path[0] == '/' ? redirect(path, buf, sizeof(buf)) : path,
				st, flags);
	if (!r && !*path && (flags & AT_EMPTY_PATH))
		fake_dm_stat(dirfd, (struct stat *)st);
	return r;
}

/* ---- namespace operations on node and link paths ---- */

EXPORT int access(const char *path, int how)
{
	char buf[PATH_MAX];
	resolve_access();
	return REAL(access)(redirect(path, buf, sizeof(buf)), how);
}

EXPORT int mknod(const char *path, mode_t mode, dev_t dev)
{
	char buf[PATH_MAX];
	resolve_mknod();
	return REAL(mknod)(redirect(path, buf, sizeof(buf)), mode, dev);
}

EXPORT int mkdir(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	resolve_mkdir();
	return REAL(mkdir)(redirect(path, buf, sizeof(buf)), mode);
}

EXPORT int rmdir(const char *path)
{
	char buf[PATH_MAX];
	resolve_rmdir();
	return REAL(rmdir)(redirect(path, buf, sizeof(buf)));
}

EXPORT int unlink(const char *path)
{
	char buf[PATH_MAX];
	resolve_unlink();
	return REAL(unlink)(redirect(path, buf, sizeof(buf)));
}

EXPORT int symlink(const char *target, const char *path)
{
	char tbuf[PATH_MAX], pbuf[PATH_MAX];
	resolve_symlink();
	return REAL(symlink)(redirect(target, tbuf, sizeof(tbuf)),
			     redirect(path, pbuf, sizeof(pbuf)));
}

EXPORT int link(const char *from, const char *to)
{
	char fbuf[PATH_MAX], tbuf[PATH_MAX];
	resolve_link();
	return REAL(link)(redirect(from, fbuf, sizeof(fbuf)), redirect(to, tbuf, sizeof(tbuf)));
}

EXPORT ssize_t readlink(const char *path, char *out, size_t size)
{
	char buf[PATH_MAX];
	resolve_readlink();
	ssize_t n = REAL(readlink)(redirect(path, buf, sizeof(buf)), out, size);
	if (n > 0) {
		size_t len = (size_t)n;
		unredirect(out, &len, size);
		n = (ssize_t)len;
	}
	return n;
}

EXPORT int rename(const char *from, const char *to)
{
	char fbuf[PATH_MAX], tbuf[PATH_MAX];
	resolve_rename();
	return REAL(rename)(redirect(from, fbuf, sizeof(fbuf)), redirect(to, tbuf, sizeof(tbuf)));
}

EXPORT int chown(const char *path, uid_t uid, gid_t gid)
{
	char buf[PATH_MAX];
	resolve_chown();
	return REAL(chown)(redirect(path, buf, sizeof(buf)), uid, gid);
}

EXPORT int lchown(const char *path, uid_t uid, gid_t gid)
{
	char buf[PATH_MAX];
	resolve_lchown();
	return REAL(lchown)(redirect(path, buf, sizeof(buf)), uid, gid);
}

EXPORT int chmod(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	resolve_chmod();
	return REAL(chmod)(redirect(path, buf, sizeof(buf)), mode);
}

EXPORT DIR *opendir(const char *path)
{
	char buf[PATH_MAX];
	resolve_opendir();
	return REAL(opendir)(redirect(path, buf, sizeof(buf)));
}

EXPORT int scandir(const char *path, struct dirent ***list,
		   int (*filter)(const struct dirent *),
		   int (*compare)(const struct dirent **, const struct dirent **))
{
	char buf[PATH_MAX];
	resolve_scandir();
	return REAL(scandir)(redirect(path, buf, sizeof(buf)), list, filter, compare);
}

EXPORT int scandir64(const char *path, struct dirent64 ***list,
		     int (*filter)(const struct dirent64 *),
		     int (*compare)(const struct dirent64 **, const struct dirent64 **))
{
	char buf[PATH_MAX];
	resolve_scandir64();
	return REAL(scandir64)(redirect(path, buf, sizeof(buf)), list, filter, compare);
}

EXPORT char *realpath(const char *path, char *resolved)
{
	char buf[PATH_MAX];
	resolve_realpath();
	char *r = REAL(realpath)(redirect(path, buf, sizeof(buf)), resolved);
	if (r) {
		size_t len = strlen(r);
		unredirect(r, &len, PATH_MAX - 1);
		r[len] = '\0';
	}
	return r;
}

/* The state dir must hold dev/mapper before libdm creates nodes there. */
__attribute__((constructor)) static void prepare_state_dir(void)
{
	const char *state = state_dir();
	if (!state)
		return;
	char path[PATH_MAX];
	resolve_mkdir();
	snprintf(path, sizeof(path), "%s/dev", state);
	REAL(mkdir)(path, 0755);
	snprintf(path, sizeof(path), "%s/dev/mapper", state);
	REAL(mkdir)(path, 0755);
}
