/*
 * The seed document's unit-test example, as written there (test/unit/alloc_test.c),
 * with the checks it lists under "With real implementation, would verify".
 * Plain C against the public C API: this is what LVM2's own unit tests see.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "liballoc/alloc.h"

static int failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, \
				__LINE__, #cond);                          \
			failures++;                                        \
		}                                                          \
	} while (0)

void test_simple_allocation(void)
{
    struct dm_pool *mem = dm_pool_create("test", 1024);
    struct alloc_handle *ah;
    struct alloc_source *src;
    struct alloc_area *area;
    struct alloc_request req = {0};
    struct alloc_result *result;

    /* Create mock source - no PV needed! */
    src = dm_pool_zalloc(mem, sizeof(*src));
    src->handle = (void*)0xDEADBEEF;  /* Mock handle */
    dm_list_init(&src->areas);
    dm_list_init(&src->tags);
    src->pe_count = 100;

    /* Add free area */
    area = dm_pool_zalloc(mem, sizeof(*area));
    area->start = 0;
    area->count = 100;
    area->unreserved = 100;
    area->source_handle = src->handle;
    area->map = src;
    dm_list_add(&src->areas, &area->list);

    /* Create source list */
    struct dm_list *sources = dm_pool_zalloc(mem, sizeof(*sources));
    dm_list_init(sources);
    dm_list_add(sources, &src->list);

    /* Request allocation */
    req.sources = sources;
    req.new_extents = 50;
    req.area_count = 1;
    req.alloc = ALLOC_ANYWHERE;

    /* Allocate */
    ah = alloc_create(mem);
    assert(ah != NULL);

    int success = alloc_allocate(ah, &req, &result);

    /* The seed's "would verify" list, checked before the pool goes away. */
    CHECK(success == 1);
    if (success) {
	    struct alloc_segment *seg;
	    CHECK(result->total_extents == 50);
	    CHECK(dm_list_size(&result->allocated[0]) == 1);
	    seg = dm_list_item(dm_list_first(&result->allocated[0]), struct alloc_segment);
	    CHECK(seg->start_extent == 0);
	    CHECK(seg->length == 50);
	    CHECK(seg->source_handle == (void *)0xDEADBEEF);
	    CHECK(seg->source == src);
    } else {
	    fprintf(stderr, "alloc_allocate failed: %s\n", alloc_last_error(ah));
    }

    alloc_destroy(ah);
    dm_pool_destroy(mem);
}

/* A failure comes back as 0 with LVM2's message and a code, not a crash. */
static void test_failure_reports_lvm2_message(void)
{
	struct dm_pool *mem = dm_pool_create("test", 1024);
	struct alloc_source *src = dm_pool_zalloc(mem, sizeof(*src));
	struct alloc_area *area = dm_pool_zalloc(mem, sizeof(*area));
	struct dm_list *sources = dm_pool_zalloc(mem, sizeof(*sources));
	struct alloc_request req = {0};
	struct alloc_result *result = NULL;
	struct alloc_handle *ah = alloc_create(mem);

	src->handle = (void *)0x1;
	dm_list_init(&src->areas);
	dm_list_init(&src->tags);
	src->pe_count = 10;
	area->start = 0;
	area->count = 10;
	dm_list_add(&src->areas, &area->list);
	dm_list_init(sources);
	dm_list_add(sources, &src->list);

	req.sources = sources;
	req.new_extents = 20;
	req.alloc = ALLOC_NORMAL;
	req.lv_name = "lv1";
	CHECK(alloc_allocate(ah, &req, &result) == 0);
	CHECK(result == NULL);
	CHECK(alloc_last_error_code(ah) == ALLOC_ERR_INSUFFICIENT_FREE_SPACE);
	CHECK(strcmp(alloc_last_error(ah),
		     "Insufficient free space: 20 extents needed, but only 10 available") == 0);

	req.new_extents = 5;
	req.alloc = ALLOC_INHERIT;
	CHECK(alloc_allocate(ah, &req, &result) == 0);
	CHECK(alloc_last_error_code(ah) == ALLOC_ERR_INVALID_REQUEST);

	/* An area outside its source is named, not trusted. */
	req.alloc = ALLOC_NORMAL;
	area->count = 11;
	CHECK(alloc_allocate(ah, &req, &result) == 0);
	CHECK(alloc_last_error_code(ah) == ALLOC_ERR_INVALID_REQUEST);
	CHECK(strstr(alloc_last_error(ah), "outside the source") != NULL);

	alloc_destroy(ah);
	dm_pool_destroy(mem);
}

/* Two stripes over three sources: the seed's _apply_alloc_result walk. */
static void test_striped_result_lists(void)
{
	struct dm_pool *mem = dm_pool_create("test", 1024);
	struct dm_list *sources = dm_pool_zalloc(mem, sizeof(*sources));
	struct alloc_request req = {0};
	struct alloc_result *result = NULL;
	struct alloc_handle *ah = alloc_create(mem);
	/* Spec E2: free pv0:79-98, pv1:49-98, pv2:69-98; -i2 -l 80. */
	const uint64_t starts[3] = {79, 49, 69}, counts[3] = {20, 50, 30};
	int i;

	dm_list_init(sources);
	for (i = 0; i < 3; i++) {
		struct alloc_source *src = dm_pool_zalloc(mem, sizeof(*src));
		struct alloc_area *area = dm_pool_zalloc(mem, sizeof(*area));
		src->handle = (void *)(uintptr_t)(i + 1);
		dm_list_init(&src->areas);
		dm_list_init(&src->tags);
		src->pe_count = 99;
		area->start = starts[i];
		area->count = counts[i];
		dm_list_add(&src->areas, &area->list);
		dm_list_add(sources, &src->list);
	}
	req.sources = sources;
	req.new_extents = 80;
	req.area_count = 2;
	req.alloc = ALLOC_NORMAL;
	CHECK(alloc_allocate(ah, &req, &result) == 1);
	if (result) {
		struct alloc_segment *a, *b;
		CHECK(result->area_count == 2);
		CHECK(result->total_extents == 80);
		CHECK(result->total_area_len == 40);
		CHECK(dm_list_size(&result->allocated[0]) == 2);
		CHECK(dm_list_size(&result->allocated[1]) == 2);
		/* Batch 1: pv1:49-78 + pv2:69-98; batch 2: pv0:79-88 + pv1:79-88. */
		a = dm_list_item(dm_list_first(&result->allocated[0]), struct alloc_segment);
		b = dm_list_item(dm_list_last(&result->allocated[0]), struct alloc_segment);
		CHECK(a->source_handle == (void *)2 && a->start_extent == 49 && a->length == 30);
		CHECK(b->source_handle == (void *)1 && b->start_extent == 79 && b->length == 10);
		a = dm_list_item(dm_list_first(&result->allocated[1]), struct alloc_segment);
		b = dm_list_item(dm_list_last(&result->allocated[1]), struct alloc_segment);
		CHECK(a->source_handle == (void *)3 && a->start_extent == 69 && a->length == 30);
		CHECK(b->source_handle == (void *)2 && b->start_extent == 79 && b->length == 10);
	}
	alloc_destroy(ah);
	dm_pool_destroy(mem);
}

int main(void)
{
	test_simple_allocation();
	test_failure_reports_lvm2_message();
	test_striped_result_lists();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("seed C API example: all checks passed\n");
	return 0;
}
