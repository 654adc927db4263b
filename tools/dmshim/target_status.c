#include "target_status.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Versions of a 6.x kernel.  LVM 2.03.16 gates features on these
 * (e.g. raid0 needs dm-raid >= 1.7, raid4 >= 1.8, reshaping >= 1.12),
 * so they must be at least that new; it never uses them for allocation.
 */
const struct target_version kTargetVersions[] = {
	{"striped", {1, 6, 0}},
	{"linear", {1, 4, 0}},
	{"error", {1, 6, 0}},
	{"zero", {1, 2, 0}},
	{"mirror", {1, 14, 0}},
	{"raid", {1, 15, 1}},
	{"snapshot", {1, 16, 0}},
	{"snapshot-origin", {1, 9, 0}},
	{"snapshot-merge", {1, 5, 0}},
	{"thin-pool", {1, 23, 0}},
	{"thin", {1, 23, 0}},
	{"cache", {2, 2, 0}},
	{"writecache", {1, 6, 0}},
	{"integrity", {1, 10, 0}},
};
const size_t kTargetVersionCount = sizeof(kTargetVersions) / sizeof(kTargetVersions[0]);

const struct target_version *target_version_find(const char *name)
{
	for (size_t i = 0; i < kTargetVersionCount; i++)
		if (!strcmp(kTargetVersions[i].name, name))
			return &kTargetVersions[i];
	return NULL;
}

uint64_t encode_dev(uint32_t major, uint32_t minor)
{
	return (minor & 0xffu) | ((uint64_t)(major & 0xfffu) << 8) |
	       ((uint64_t)(minor & ~0xffu) << 12);
}

void decode_dev(uint64_t dev, uint32_t *major, uint32_t *minor)
{
	*major = (uint32_t)((dev & 0xfff00) >> 8);
	*minor = (uint32_t)((dev & 0xff) | ((dev >> 12) & 0xfff00));
}

/* Calls fn for each whitespace-separated "M:m" token; stops when fn returns non-zero. */
static int for_each_device_token(const char *params,
				 int (*fn)(uint32_t major, uint32_t minor, void *arg),
				 void *arg)
{
	const char *p = params;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		unsigned major, minor;
		int used = 0;
		if (end > p && sscanf(p, "%u:%u%n", &major, &minor, &used) == 2 &&
		    p + used == end) {
			int r = fn(major, minor, arg);
			if (r)
				return r;
		}
		p = end;
	}
	return 0;
}

struct deps_acc {
	uint64_t *devs;
	int max;
	int count;
};

static int add_dependency(uint32_t major, uint32_t minor, void *arg)
{
	struct deps_acc *acc = arg;
	uint64_t dev = encode_dev(major, minor);
	int seen = 0;
	for (int i = 0; i < acc->count && i < acc->max; i++)
		if (acc->devs[i] == dev)
			seen = 1;
	if (!seen) {
		if (acc->count < acc->max)
			acc->devs[acc->count] = dev;
		acc->count++;
	}
	return 0;
}

int table_dependencies(const struct dm_table_lines *lines, uint64_t *devs, int max)
{
	struct deps_acc acc = {devs, max, 0};
	for (int i = 0; i < lines->count; i++)
		for_each_device_token(lines->targets[i].params, add_dependency, &acc);
	return acc.count;
}

struct ref_query {
	uint32_t major, minor;
};

static int matches_device(uint32_t major, uint32_t minor, void *arg)
{
	struct ref_query *q = arg;
	return q->major == major && q->minor == minor;
}

int table_references(const struct dm_table_lines *lines, uint32_t major, uint32_t minor)
{
	struct ref_query q = {major, minor};
	for (int i = 0; i < lines->count; i++)
		if (for_each_device_token(lines->targets[i].params, matches_device, &q))
			return 1;
	return 0;
}

/* Splits params into at most max tokens in a scratch copy; returns count. */
static int tokenize(char *copy, char **tokens, int max)
{
	int n = 0;
	for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok && n < max;
	     tok = strtok_r(NULL, " ", &save))
		tokens[n++] = tok;
	return n;
}

#define MAX_TOKENS 512

/*
 * mirror table: <log_type> <#log_args> <log_args...> <#mirrors> (<dev> <offset>)...
 * INFO status:  <#mirrors> <dev>... <in_sync>/<regions> 1 <health> <log status>
 */
static char *mirror_status(const struct dm_target_line *line)
{
	char *copy = strdup(line->params);
	char **tok = malloc(sizeof(char *) * MAX_TOKENS);
	char *out = NULL;
	if (!copy || !tok)
		goto done;
	int n = tokenize(copy, tok, MAX_TOKENS);
	if (n < 2)
		goto done;
	const char *log_type = tok[0];
	int log_argc = atoi(tok[1]);
	if (2 + log_argc >= n)
		goto done;
	/* region size is the first core arg, the second disk arg */
	int is_disk = strstr(log_type, "disk") != NULL;
	const char *log_dev = is_disk && log_argc >= 1 ? tok[2] : NULL;
	uint64_t region = strtoull(tok[2 + (is_disk ? 1 : 0)], NULL, 10);
	int mirrors = atoi(tok[2 + log_argc]);
	int first_dev = 3 + log_argc;
	if (mirrors <= 0 || first_dev + 2 * mirrors > n || !region)
		goto done;
	uint64_t regions = (line->length + region - 1) / region;

	size_t cap = 64 + (size_t)mirrors * 24 + 64;
	out = malloc(cap);
	if (!out)
		goto done;
	int len = snprintf(out, cap, "%d ", mirrors);
	for (int m = 0; m < mirrors; m++)
		len += snprintf(out + len, cap - (size_t)len, "%s ", tok[first_dev + 2 * m]);
	len += snprintf(out + len, cap - (size_t)len, "%" PRIu64 "/%" PRIu64 " 1 ",
			regions, regions);
	for (int m = 0; m < mirrors; m++)
		out[len++] = 'A';
	out[len++] = ' ';
	out[len] = '\0';
	if (log_dev)
		snprintf(out + len, cap - (size_t)len, "3 %s %s A", log_type, log_dev);
	else
		snprintf(out + len, cap - (size_t)len, "1 %s", log_type);
done:
	free(copy);
	free(tok);
	return out;
}

/*
 * raid table: <raid_type> <#params> <params...> <#devs> (<meta> <data>)...
 * INFO status: <raid_type> <#devs> <health> <in_sync>/<total> <action>
 *              <mismatch_cnt> <data_offset> <journal_char>
 */
static char *raid_status(const struct dm_target_line *line)
{
	char *copy = strdup(line->params);
	char **tok = malloc(sizeof(char *) * MAX_TOKENS);
	char *out = NULL;
	if (!copy || !tok)
		goto done;
	int n = tokenize(copy, tok, MAX_TOKENS);
	if (n < 2)
		goto done;
	int nparams = atoi(tok[1]);
	if (2 + nparams >= n)
		goto done;
	int devs = atoi(tok[2 + nparams]);
	if (devs <= 0)
		goto done;
	size_t cap = 128 + (size_t)devs;
	out = malloc(cap);
	if (!out)
		goto done;
	int len = snprintf(out, cap, "%s %d ", tok[0], devs);
	for (int d = 0; d < devs; d++)
		out[len++] = 'A';
	snprintf(out + len, cap - (size_t)len, " %" PRIu64 "/%" PRIu64 " idle 0 0 -",
		 line->length, line->length);
done:
	free(copy);
	free(tok);
	return out;
}

/* striped INFO: <#stripes> <dev>... 1 <health> */
static char *striped_status(const struct dm_target_line *line)
{
	char *copy = strdup(line->params);
	char **tok = malloc(sizeof(char *) * MAX_TOKENS);
	char *out = NULL;
	if (!copy || !tok)
		goto done;
	int n = tokenize(copy, tok, MAX_TOKENS);
	int stripes = n ? atoi(tok[0]) : 0;
	if (stripes <= 0 || 2 + 2 * stripes > n)
		goto done;
	size_t cap = 32 + (size_t)stripes * 26;
	out = malloc(cap);
	if (!out)
		goto done;
	int len = snprintf(out, cap, "%d ", stripes);
	for (int s = 0; s < stripes; s++)
		len += snprintf(out + len, cap - (size_t)len, "%s ", tok[2 + 2 * s]);
	len += snprintf(out + len, cap - (size_t)len, "1 ");
	for (int s = 0; s < stripes; s++)
		out[len++] = 'A';
	out[len] = '\0';
done:
	free(copy);
	free(tok);
	return out;
}

char *target_info_status(const struct dm_target_line *line)
{
	if (!strcmp(line->type, "mirror"))
		return mirror_status(line);
	if (!strcmp(line->type, "raid"))
		return raid_status(line);
	if (!strcmp(line->type, "striped"))
		return striped_status(line);
	return strdup(""); /* linear, zero, error report nothing */
}
