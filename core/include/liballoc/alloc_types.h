/*
 * liballoc's C types: the canonical definitions LVM2's lib/metadata uses
 * directly (seed document). Lists are libdevmapper dm_lists; everything the
 * library returns is allocated from the caller's dm_pool.
 *
 * A zero-initialised alloc_request is a valid linear request for
 * LVM2's defaults (maximise_cling on, logs may share PVs), so new fields keep
 * zero as "LVM2's default".
 */
#ifndef LIBALLOC_ALLOC_TYPES_H
#define LIBALLOC_ALLOC_TYPES_H

#include <stdint.h>
#include <libdevmapper.h>

#ifdef __cplusplus
extern "C" {
#endif

/* LVM2's own policy numbering (lib/metadata/metadata-exported.h). */
typedef enum {
	ALLOC_INVALID = 0,
	ALLOC_CONTIGUOUS,
	ALLOC_CLING,
	ALLOC_CLING_BY_TAGS, /* internal in LVM2: cling with cling_tag_list */
	ALLOC_NORMAL,
	ALLOC_ANYWHERE,
	ALLOC_INHERIT /* rejected: the caller resolves it to the VG policy */
} alloc_policy_t;

typedef enum {
	ALLOC_SEG_STRIPED = 0, /* linear and striped (the zero default) */
	ALLOC_SEG_MIRROR,
	ALLOC_SEG_RAID0,
	ALLOC_SEG_RAID0_META,
	ALLOC_SEG_RAID1,
	ALLOC_SEG_RAID10,
	ALLOC_SEG_RAID4,
	ALLOC_SEG_RAID5,
	ALLOC_SEG_RAID6,
	ALLOC_SEG_THIN_POOL,
	ALLOC_SEG_CACHE_POOL
} alloc_segtype_t;

struct alloc_source;

/* A free run [start, start + count) of a source. */
struct alloc_area {
	uint64_t start;
	uint64_t count;
	uint64_t unreserved;          /* informational; the library keeps its own */
	void *source_handle;          /* back-reference: the owning source's handle */
	struct alloc_source *map;     /* the owning source */
	struct dm_list list;
};

/* One entry of the allocatable list (LVM2: a PV with its PE ranges). */
struct alloc_source {
	void *handle;                 /* opaque to the library (LVM2: the PV) */
	struct dm_list areas;         /* struct alloc_area, creation order */
	uint64_t pe_count;
	struct dm_list tags;          /* struct dm_str_list */
	struct dm_list list;
	int not_allocatable;          /* pvchange -x n: never used */
};

/* A source referred to by identity (and tags) only. */
struct alloc_source_ref {
	void *handle;
	struct dm_list *tags;         /* struct dm_str_list, may be NULL */
};

/* One PV area of the traversal of the LV being extended (spec §8.1). */
struct alloc_prev_area {
	uint32_t slot;
	struct alloc_source_ref source;
	uint64_t pe;
	uint64_t len;
	struct dm_list list;
};

/* The last segment of the LV being extended. */
struct alloc_prev_segment {
	uint32_t area_count;
	uint32_t stripes_per_image;   /* 0 is taken as 1 */
	uint64_t le_end;
	struct dm_list last_extent;   /* struct alloc_prev_area */
	struct dm_list first_segment; /* struct alloc_prev_area */
};

/* An LE range of an existing LV whose sources must be avoided. */
struct alloc_parallel_area {
	uint64_t le;
	uint64_t len;
	uint32_t source_count;
	struct alloc_source_ref *sources;
	struct dm_list list;
};

struct alloc_request {
	struct dm_list *sources;      /* struct alloc_source, PV-list order */
	uint64_t new_extents;         /* logical extents wanted */
	uint32_t area_count;          /* data stripes (0 is taken as 1) */
	uint32_t parity_count;        /* must match the segment type's parity (raid4/5: 1, raid6: 2) or be 0 */
	alloc_policy_t alloc;

	alloc_segtype_t segtype;
	uint32_t mirrors;             /* data copies; 0 is taken as 1 */
	uint32_t log_count;
	uint32_t region_size;         /* sectors; 0: LVM2's default */
	uint32_t extent_size;         /* sectors; 0: 8192 (4 MiB) */
	uint64_t metadata_extents;    /* thin/cache pool metadata length */
	uint64_t existing_extents;    /* le_count of the LV being extended */
	int approx;                   /* %FREE-style: take up to new_extents */
	int no_maximise_cling;        /* allocation/maximise_cling = 0 */
	int logs_require_separate_pvs;
	struct dm_list *cling_tag_list; /* struct dm_str_list, NULL: unset */
	struct alloc_prev_segment *prev; /* NULL for a new LV */
	struct dm_list *parallel_areas;  /* struct alloc_parallel_area, may be NULL */
	const char *lv_name;          /* for messages; may be NULL */
};

/* `length` extents from `start_extent` on the source. */
struct alloc_segment {
	void *source_handle;
	struct alloc_source *source;  /* the first list entry with that handle */
	uint64_t start_extent;
	uint64_t length;
	uint32_t batch;
	struct dm_list list;
};

struct alloc_result {
	uint64_t total_extents;       /* logical extents allocated by this call */
	uint64_t total_area_len;      /* extents per data area */
	uint32_t area_count;          /* data areas */
	uint32_t parity_count;
	uint32_t log_area_count;
	uint32_t metadata_area_count;
	uint64_t log_len;
	uint32_t slot_count;          /* area_count + parity_count + log/metadata slots */
	struct dm_list *allocated;    /* array of slot_count lists of struct alloc_segment */
	int reduced;                  /* approx allocation took less than asked */
};

struct alloc_handle;

#ifdef __cplusplus
}
#endif

#endif
