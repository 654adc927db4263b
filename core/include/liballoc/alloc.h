/*
 * liballoc's C API. Nothing here throws; failures return 0 and leave a
 * readable message (LVM2's own text) and an alloc_error code on the handle.
 */
#ifndef LIBALLOC_ALLOC_H
#define LIBALLOC_ALLOC_H

#include "liballoc/alloc_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Mirrors liballoc::AllocError; 0 means no error. */
typedef enum {
	ALLOC_OK = 0,
	ALLOC_ERR_INVALID_REQUEST = 1,
	ALLOC_ERR_INSUFFICIENT_FREE_SPACE,
	ALLOC_ERR_INSUFFICIENT_SUITABLE,
	ALLOC_ERR_NOTHING_FOUND,
	ALLOC_ERR_LOG_SPACE,
	ALLOC_ERR_NOT_ENOUGH_PARALLEL_PVS,
	ALLOC_ERR_NOT_DIVISIBLE,
	ALLOC_ERR_METADATA_DOES_NOT_FIT,
	ALLOC_ERR_WOULD_DOUBLE_BOOK,
	ALLOC_ERR_NO_MEMORY = 100
} alloc_error_t;

/* Results are allocated from `mem`, which must outlive them. */
struct alloc_handle *alloc_create(struct dm_pool *mem);

/* 1 on success with *result set; 0 on failure (see alloc_last_error). */
int alloc_allocate(struct alloc_handle *ah, const struct alloc_request *req,
		   struct alloc_result **result);

alloc_error_t alloc_last_error_code(const struct alloc_handle *ah);
const char *alloc_last_error(const struct alloc_handle *ah);

void alloc_destroy(struct alloc_handle *ah);

#ifdef __cplusplus
}
#endif

#endif
