#include "dm_emulation.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "device_table.h"
#include "target_status.h"

/* What a 6.x kernel answers to DM_VERSION. */
static const uint32_t kInterfaceVersion[3] = {4, 48, 0};

static size_t align8(size_t v)
{
	return (v + 7) & ~(size_t)7;
}

/* Everything one ioctl needs: the caller's buffer, a private copy of its
 * input (results overwrite the input area, as the kernel's copy_to_user
 * of its own copy does), and the device table. */
struct call {
	struct dm_ioctl *param;
	const char *in;       /* copy of the caller's buffer */
	size_t in_size;
	struct device_table *table;
	int modified;
};

static char *result_buffer(struct call *c, size_t *len)
{
	c->param->data_start = (uint32_t)align8(sizeof(struct dm_ioctl));
	*len = c->in_size > c->param->data_start ? c->in_size - c->param->data_start : 0;
	return (char *)c->param + c->param->data_start;
}

static int open_count(struct device_table *t, const struct shim_device *d)
{
	int count = 0;
	for (int i = 0; i < t->count; i++) {
		const struct shim_device *e = &t->devices[i];
		if (e != d && (table_references(&e->live, DMSHIM_BLOCK_MAJOR, d->minor) ||
			       table_references(&e->inactive, DMSHIM_BLOCK_MAJOR, d->minor)))
			count++;
	}
	return count;
}

/* Lookup order and name/uuid write-back as __find_device_hash_cell. */
static struct shim_device *find_device(struct call *c)
{
	struct dm_ioctl *p = c->param;
	struct shim_device *d = NULL;
	if (*p->uuid) {
		d = device_table_find_uuid(c->table, p->uuid);
	} else if (*p->name) {
		d = device_table_find_name(c->table, p->name);
	} else if (p->dev) {
		uint32_t major, minor;
		decode_dev(p->dev, &major, &minor);
		if (major == DMSHIM_BLOCK_MAJOR)
			d = device_table_find_minor(c->table, minor);
	}
	if (!d)
		return NULL;
	snprintf(p->name, sizeof(p->name), "%s", d->name);
	snprintf(p->uuid, sizeof(p->uuid), "%s", d->uuid);
	if (d->inactive.present)
		p->flags |= DM_INACTIVE_PRESENT_FLAG;
	else
		p->flags &= ~DM_INACTIVE_PRESENT_FLAG;
	return d;
}

/* As __dev_status. */
static void dev_status(struct call *c, const struct shim_device *d)
{
	struct dm_ioctl *p = c->param;
	p->flags &= ~(DM_SUSPEND_FLAG | DM_READONLY_FLAG | DM_ACTIVE_PRESENT_FLAG |
		      DM_INTERNAL_SUSPEND_FLAG);
	if (d->suspended)
		p->flags |= DM_SUSPEND_FLAG;
	p->dev = encode_dev(DMSHIM_BLOCK_MAJOR, d->minor);
	p->open_count = open_count(c->table, d);
	p->event_nr = d->event_nr;
	p->target_count = 0;
	if (d->live.present) {
		if (!(p->flags & DM_QUERY_INACTIVE_TABLE_FLAG)) {
			if (d->read_only)
				p->flags |= DM_READONLY_FLAG;
			p->target_count = (uint32_t)d->live.count;
		}
		p->flags |= DM_ACTIVE_PRESENT_FLAG;
	}
	if ((p->flags & DM_QUERY_INACTIVE_TABLE_FLAG) && d->inactive.present)
		p->target_count = (uint32_t)d->inactive.count;
}

static const struct dm_table_lines *queried_table(const struct call *c,
						   const struct shim_device *d)
{
	if (c->param->flags & DM_QUERY_INACTIVE_TABLE_FLAG)
		return d->inactive.present ? &d->inactive : NULL;
	return d->live.present ? &d->live : NULL;
}

/* A NUL-terminated string at the input's data_start, or NULL. */
static const char *input_string(const struct call *c)
{
	const struct dm_ioctl *in = (const struct dm_ioctl *)c->in;
	if (in->data_start >= c->in_size)
		return NULL;
	const char *s = c->in + in->data_start;
	if (!memchr(s, '\0', c->in_size - in->data_start))
		return NULL;
	return s;
}

static int valid_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

static int dev_create(struct call *c)
{
	struct dm_ioctl *p = c->param;
	if (!valid_name(p->name))
		return -EINVAL;
	if (device_table_find_name(c->table, p->name) ||
	    device_table_find_uuid(c->table, p->uuid))
		return -EBUSY;
	uint32_t minor = c->table->next_minor;
	if (p->flags & DM_PERSISTENT_DEV_FLAG) {
		uint32_t major;
		decode_dev(p->dev, &major, &minor);
		if (device_table_find_minor(c->table, minor))
			return -EBUSY;
	} else {
		while (device_table_find_minor(c->table, minor))
			minor++;
	}
	struct shim_device *d = device_table_add(c->table, p->name, p->uuid, minor);
	if (!d)
		return -ENOMEM;
	c->modified = 1;
	p->flags &= ~DM_INACTIVE_PRESENT_FLAG;
	dev_status(c, d);
	return 0;
}

static int dev_remove(struct call *c)
{
	struct shim_device *d = find_device(c);
	if (!d)
		return -ENXIO;
	if (open_count(c->table, d))
		return -EBUSY;
	device_table_remove(c->table, d);
	c->modified = 1;
	c->param->flags &= ~DM_DEFERRED_REMOVE;
	return 0;
}

static int dev_rename(struct call *c)
{
	struct dm_ioctl *p = c->param;
	const char *new_data = input_string(c);
	if (!new_data)
		return -EINVAL;
	int change_uuid = (p->flags & DM_UUID_FLAG) != 0;
	if (!change_uuid && !valid_name(new_data))
		return -EINVAL;
	struct shim_device *d = find_device(c);
	if (!d)
		return -ENXIO;
	if (change_uuid) {
		if (*d->uuid)
			return -EINVAL;
		if (device_table_find_uuid(c->table, new_data))
			return -EBUSY;
		snprintf(d->uuid, sizeof(d->uuid), "%s", new_data);
	} else {
		struct shim_device *other = device_table_find_name(c->table, new_data);
		if (other && other != d)
			return -EBUSY;
		snprintf(d->name, sizeof(d->name), "%s", new_data);
	}
	c->modified = 1;
	snprintf(p->name, sizeof(p->name), "%s", d->name);
	snprintf(p->uuid, sizeof(p->uuid), "%s", d->uuid);
	dev_status(c, d);
	return 0;
}

static int dev_suspend(struct call *c)
{
	struct shim_device *d = find_device(c);
	if (!d)
		return -ENXIO;
	if (c->param->flags & DM_SUSPEND_FLAG) {
		d->suspended = 1;
	} else {
		if (d->inactive.present) {
			dm_table_lines_clear(&d->live);
			d->live = d->inactive;
			memset(&d->inactive, 0, sizeof(d->inactive));
			c->param->flags &= ~DM_INACTIVE_PRESENT_FLAG;
		}
		d->suspended = 0;
	}
	c->modified = 1;
	dev_status(c, d);
	return 0;
}

static int dev_status_cmd(struct call *c)
{
	struct shim_device *d = find_device(c);
	if (!d)
		return -ENXIO;
	dev_status(c, d);
	return 0;
}

/* Parses the caller's target specs; each spec's next is relative to itself. */
static int parse_table(const struct call *c, struct dm_table_lines *out)
{
	const struct dm_ioctl *in = (const struct dm_ioctl *)c->in;
	const char *end = c->in + c->in_size;
	const char *spec_at = c->in + in->data_start;
	uint32_t next = 0;
	memset(out, 0, sizeof(*out));
	out->present = 1;
	for (uint32_t i = 0; i < in->target_count; i++) {
		const char *candidate = spec_at + next;
		if ((i && candidate < spec_at + sizeof(struct dm_target_spec)) ||
		    candidate + sizeof(struct dm_target_spec) > end)
			return -EINVAL;
		spec_at = candidate;
		struct dm_target_spec spec;
		memcpy(&spec, spec_at, sizeof(spec));
		const char *params = spec_at + sizeof(spec);
		if (!memchr(params, '\0', (size_t)(end - params)))
			return -EINVAL;
		char type[sizeof(spec.target_type) + 1];
		memcpy(type, spec.target_type, sizeof(spec.target_type));
		type[sizeof(spec.target_type)] = '\0';
		if (!target_version_find(type))
			return -EINVAL;
		char *copy = strdup(params);
		if (!copy)
			return -ENOMEM;
		int r = dm_table_lines_append(out, spec.sector_start, spec.length, type, copy);
		if (r)
			return r;
		/* a table the emulated target could not report on is one the
		 * real target would have refused to construct */
		char *status = target_info_status(&out->targets[out->count - 1]);
		if (!status)
			return -EINVAL;
		free(status);
		next = spec.next;
	}
	return 0;
}

static int table_load(struct call *c)
{
	struct dm_table_lines lines;
	int r = parse_table(c, &lines);
	if (r) {
		dm_table_lines_clear(&lines);
		return r;
	}
	struct shim_device *d = find_device(c);
	if (!d) {
		dm_table_lines_clear(&lines);
		return -ENXIO;
	}
	dm_table_lines_clear(&d->inactive);
	d->inactive = lines;
	d->read_only = (c->param->flags & DM_READONLY_FLAG) != 0;
	c->modified = 1;
	c->param->flags |= DM_INACTIVE_PRESENT_FLAG;
	dev_status(c, d);
	return 0;
}

static int table_clear(struct call *c)
{
	struct shim_device *d = find_device(c);
	if (!d)
		return -ENXIO;
	dm_table_lines_clear(&d->inactive);
	c->modified = 1;
	c->param->flags &= ~DM_INACTIVE_PRESENT_FLAG;
	dev_status(c, d);
	return 0;
}

static int table_deps(struct call *c)
{
	struct shim_device *d = find_device(c);
	if (!d)
		return -ENXIO;
	dev_status(c, d);
	const struct dm_table_lines *lines = queried_table(c, d);
	size_t len;
	char *buf = result_buffer(c, &len);
	int count = 0;
	uint64_t *devs = NULL;
	if (lines) {
		/* a "M:m" token takes at least 4 bytes with its separator */
		size_t bound = 1;
		for (int i = 0; i < lines->count; i++)
			bound += strlen(lines->targets[i].params) / 4 + 1;
		devs = calloc(bound, sizeof(*devs));
		if (!devs)
			return -ENOMEM;
		count = table_dependencies(lines, devs, (int)bound);
	}
	size_t needed = sizeof(struct dm_target_deps) + sizeof(uint64_t) * (size_t)count;
	if (len < needed) {
		c->param->flags |= DM_BUFFER_FULL_FLAG;
	} else {
		struct dm_target_deps head = {.count = (uint32_t)count};
		memcpy(buf, &head, sizeof(head));
		memcpy(buf + sizeof(head), devs, sizeof(uint64_t) * (size_t)count);
		c->param->data_size = (uint32_t)(c->param->data_start + needed);
	}
	free(devs);
	return 0;
}

/* As retrieve_status: each spec's next is relative to the result start. */
static int retrieve_status(struct call *c, const struct dm_table_lines *lines)
{
	struct dm_ioctl *p = c->param;
	size_t len;
	char *buf = result_buffer(c, &len);
	size_t at = 0, used = 0;
	int table = (p->flags & DM_STATUS_TABLE_FLAG) != 0;
	int count = lines ? lines->count : 0;
	for (int i = 0; i < count; i++) {
		const struct dm_target_line *line = &lines->targets[i];
		if (len <= at || len - at <= sizeof(struct dm_target_spec)) {
			p->flags |= DM_BUFFER_FULL_FLAG;
			break;
		}
		struct dm_target_spec spec;
		memset(&spec, 0, sizeof(spec));
		spec.sector_start = line->start;
		spec.length = line->length;
		memcpy(spec.target_type, line->type,
		       strnlen(line->type, sizeof(spec.target_type) - 1));
		size_t spec_at = at;
		at += sizeof(spec);
		char *text = table ? strdup(line->params) : target_info_status(line);
		if (!text)
			return -ENOMEM;
		size_t l = strlen(text) + 1;
		if (l >= len - at) {
			free(text);
			p->flags |= DM_BUFFER_FULL_FLAG;
			break;
		}
		memcpy(buf + at, text, l);
		free(text);
		at += l;
		used = p->data_start + at;
		at = align8(at);
		spec.next = (uint32_t)at;
		memcpy(buf + spec_at, &spec, sizeof(spec));
	}
	if (used)
		p->data_size = (uint32_t)used;
	p->target_count = (uint32_t)count;
	return 0;
}

static int table_status(struct call *c)
{
	struct shim_device *d = find_device(c);
	if (!d)
		return -ENXIO;
	dev_status(c, d);
	return retrieve_status(c, queried_table(c, d));
}

static int list_devices(struct call *c)
{
	struct dm_ioctl *p = c->param;
	int with_uuid = (p->flags & DM_UUID_FLAG) != 0;
	const size_t name_at = offsetof(struct dm_name_list, name);
	size_t needed = 0;
	for (int i = 0; i < c->table->count; i++) {
		const struct shim_device *d = &c->table->devices[i];
		needed += align8(name_at + strlen(d->name) + 1);
		needed += align8(sizeof(uint32_t) * 2);
		if (with_uuid && *d->uuid)
			needed += align8(strlen(d->uuid) + 1);
	}
	size_t len;
	char *buf = result_buffer(c, &len);
	if (len < needed || len < sizeof(uint64_t)) {
		p->flags |= DM_BUFFER_FULL_FLAG;
		return 0;
	}
	p->data_size = (uint32_t)(p->data_start + needed);
	memset(buf, 0, sizeof(uint64_t)); /* dev 0: no devices */
	size_t at = 0, previous = 0;
	for (int i = 0; i < c->table->count; i++) {
		const struct shim_device *d = &c->table->devices[i];
		uint64_t dev = encode_dev(DMSHIM_BLOCK_MAJOR, d->minor);
		uint32_t zero = 0;
		if (i) {
			uint32_t next = (uint32_t)(at - previous);
			memcpy(buf + previous + offsetof(struct dm_name_list, next), &next, 4);
		}
		memcpy(buf + at, &dev, 8);
		memcpy(buf + at + offsetof(struct dm_name_list, next), &zero, 4);
		strcpy(buf + at + name_at, d->name);
		size_t event_at = align8(at + name_at + strlen(d->name) + 1);
		uint32_t event[2] = {d->event_nr, 0};
		size_t uuid_at = align8(event_at + sizeof(event));
		if (with_uuid && *d->uuid) {
			event[1] = DM_NAME_LIST_FLAG_HAS_UUID;
			strcpy(buf + uuid_at, d->uuid);
			uuid_at += strlen(d->uuid) + 1;
		} else {
			event[1] = DM_NAME_LIST_FLAG_DOESNT_HAVE_UUID;
		}
		memcpy(buf + event_at, event, sizeof(event));
		previous = at;
		at = align8(uuid_at);
	}
	return 0;
}

static int list_versions(struct call *c, const char *only)
{
	struct dm_ioctl *p = c->param;
	size_t needed = 0;
	for (size_t i = 0; i < kTargetVersionCount; i++)
		if (!only || !strcmp(only, kTargetVersions[i].name))
			needed += align8(sizeof(struct dm_target_versions) +
					 strlen(kTargetVersions[i].name) + 1);
	if (only && !needed)
		return -EINVAL;
	size_t len;
	char *buf = result_buffer(c, &len);
	if (len < needed) {
		p->flags |= DM_BUFFER_FULL_FLAG;
		return 0;
	}
	size_t at = 0, previous = 0;
	int first = 1;
	for (size_t i = 0; i < kTargetVersionCount; i++) {
		const struct target_version *tv = &kTargetVersions[i];
		if (only && strcmp(only, tv->name))
			continue;
		if (!first) {
			uint32_t next = (uint32_t)(at - previous);
			memcpy(buf + previous, &next, 4);
		}
		struct dm_target_versions entry;
		memset(&entry, 0, sizeof(entry));
		memcpy(entry.version, tv->version, sizeof(entry.version));
		memcpy(buf + at, &entry, sizeof(entry));
		strcpy(buf + at + sizeof(entry), tv->name);
		previous = at;
		at = align8(at + sizeof(entry) + strlen(tv->name) + 1);
		first = 0;
	}
	p->data_size = (uint32_t)(p->data_start + needed);
	return 0;
}

static int target_message(struct call *c)
{
	const struct dm_ioctl *in = (const struct dm_ioctl *)c->in;
	if (in->data_start + sizeof(struct dm_target_msg) >= c->in_size)
		return -EINVAL;
	const char *message = c->in + in->data_start + sizeof(struct dm_target_msg);
	if (!memchr(message, '\0', c->in_size - in->data_start - sizeof(struct dm_target_msg)))
		return -EINVAL;
	struct shim_device *d = find_device(c);
	if (!d)
		return -ENXIO;
	if (!d->live.present)
		return -EINVAL;
	/* sync actions ("idle", "check", ...) change nothing: always in sync */
	dev_status(c, d);
	return 0;
}

static int remove_all(struct call *c)
{
	int removed;
	do {
		removed = 0;
		for (int i = 0; i < c->table->count; i++)
			if (!open_count(c->table, &c->table->devices[i])) {
				device_table_remove(c->table, &c->table->devices[i]);
				removed = 1;
				c->modified = 1;
				break;
			}
	} while (removed);
	return 0;
}

static int dispatch(unsigned nr, struct call *c)
{
	switch (nr) {
	case DM_REMOVE_ALL_CMD: return remove_all(c);
	case DM_LIST_DEVICES_CMD: return list_devices(c);
	case DM_DEV_CREATE_CMD: return dev_create(c);
	case DM_DEV_REMOVE_CMD: return dev_remove(c);
	case DM_DEV_RENAME_CMD: return dev_rename(c);
	case DM_DEV_SUSPEND_CMD: return dev_suspend(c);
	case DM_DEV_STATUS_CMD: return dev_status_cmd(c);
	case DM_DEV_WAIT_CMD: return table_status(c); /* never blocks: no events */
	case DM_TABLE_LOAD_CMD: return table_load(c);
	case DM_TABLE_CLEAR_CMD: return table_clear(c);
	case DM_TABLE_DEPS_CMD: return table_deps(c);
	case DM_TABLE_STATUS_CMD: return table_status(c);
	case DM_LIST_VERSIONS_CMD: return list_versions(c, NULL);
	case DM_GET_TARGET_VERSION_CMD: return list_versions(c, c->param->name);
	case DM_TARGET_MSG_CMD: return target_message(c);
	case DM_DEV_SET_GEOMETRY_CMD:
	case DM_DEV_ARM_POLL_CMD: return dev_status_cmd(c);
	default: return -ENOTTY;
	}
}

int dm_emulate_ioctl(unsigned nr, struct dm_ioctl *param, const char *state_file)
{
	if (param->data_size < offsetof(struct dm_ioctl, data))
		return -EINVAL;
	int compatible = param->version[0] == kInterfaceVersion[0] &&
			 param->version[1] <= kInterfaceVersion[1];
	memcpy(param->version, kInterfaceVersion, sizeof(kInterfaceVersion));
	if (!compatible)
		return -EINVAL;
	if (nr == DM_VERSION_CMD)
		return 0;

	param->name[sizeof(param->name) - 1] = '\0';
	param->uuid[sizeof(param->uuid) - 1] = '\0';
	size_t in_size = param->data_size;
	char *in = malloc(in_size);
	if (!in)
		return -ENOMEM;
	memcpy(in, param, in_size);
	param->flags &= ~(DM_BUFFER_FULL_FLAG | DM_UEVENT_GENERATED_FLAG | DM_DATA_OUT_FLAG);
	param->data_size = offsetof(struct dm_ioctl, data);

	char lock_path[4096];
	snprintf(lock_path, sizeof(lock_path), "%s.lock", state_file);
	int lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock_fd < 0 || flock(lock_fd, LOCK_EX)) {
		int err = errno;
		if (lock_fd >= 0)
			close(lock_fd);
		free(in);
		return -err;
	}
	struct device_table table;
	int r = device_table_load(&table, state_file);
	if (!r) {
		struct call c = {param, in, in_size, &table, 0};
		r = dispatch(nr, &c);
		if (!r && c.modified)
			r = device_table_save(&table, state_file);
		device_table_free(&table);
	}
	close(lock_fd); /* releases the flock */
	free(in);
	return r;
}
