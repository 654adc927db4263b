// The seed's C API over the C++ core. Nothing throws across it: every C++
// exception (allocation failure) is caught and turned into ALLOC_ERR_NO_MEMORY.
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "alloc_shape.h"
#include "liballoc/alloc.h"
#include "liballoc/allocator.h"
#include "liballoc/error.h"

struct alloc_handle {
  struct dm_pool* mem;
  alloc_error_t code;
  std::string message;
};

namespace {

using liballoc::Policy;
using liballoc::SegmentType;

std::vector<std::string> StrList(const struct dm_list* list) {
  std::vector<std::string> out;
  if (!list) return out;
  const struct dm_str_list* sl;
  dm_list_iterate_items(sl, list) out.emplace_back(sl->str ? sl->str : "");
  return out;
}

liballoc::SourceRef Ref(const struct alloc_source_ref& r) {
  return liballoc::SourceRef{reinterpret_cast<uintptr_t>(r.handle), StrList(r.tags)};
}

// A C caller may store any int in an enum field; loading it as the C++ enum
// type would be undefined behaviour, so the fields are read as plain ints.
template <typename Enum>
int EnumValue(const Enum& field) {
  static_assert(sizeof(Enum) == sizeof(int), "C enums are int-sized here");
  int value;
  std::memcpy(&value, &field, sizeof value);
  return value;
}

bool ToPolicy(int p, Policy* out) {
  switch (p) {
    case ALLOC_CONTIGUOUS: *out = Policy::kContiguous; return true;
    case ALLOC_CLING: *out = Policy::kCling; return true;
    case ALLOC_CLING_BY_TAGS: *out = Policy::kClingByTags; return true;
    case ALLOC_NORMAL: *out = Policy::kNormal; return true;
    case ALLOC_ANYWHERE: *out = Policy::kAnywhere; return true;
    default: return false;
  }
}

bool ToSegmentType(int t, SegmentType* out) {
  if (t < ALLOC_SEG_STRIPED || t > ALLOC_SEG_CACHE_POOL) return false;
  *out = static_cast<SegmentType>(t);  // same order by construction
  return true;
}

void Fail(alloc_handle* ah, alloc_error_t code, std::string message) {
  ah->code = code;
  ah->message = std::move(message);
}

// Builds the C++ request; false (with the handle's error set) if invalid.
bool ToRequest(alloc_handle* ah, const alloc_request* in, liballoc::Request* out) {
  if (!in->sources) {
    Fail(ah, ALLOC_ERR_INVALID_REQUEST, "request has no source list");
    return false;
  }
  const int policy = EnumValue(in->alloc);
  if (!ToPolicy(policy, &out->policy)) {
    Fail(ah, ALLOC_ERR_INVALID_REQUEST,
         policy == ALLOC_INHERIT
             ? "policy inherit must be resolved by the caller (to the VG policy)"
             : "unknown allocation policy " + std::to_string(policy));
    return false;
  }
  const int segtype = EnumValue(in->segtype);
  if (!ToSegmentType(segtype, &out->type)) {
    Fail(ah, ALLOC_ERR_INVALID_REQUEST, "unknown segment type " + std::to_string(segtype));
    return false;
  }
  const struct alloc_source* src;
  dm_list_iterate_items(src, in->sources) {
    liballoc::Source s;
    s.handle = reinterpret_cast<uintptr_t>(src->handle);
    s.pe_count = src->pe_count;
    s.tags = StrList(&src->tags);
    s.allocatable = !src->not_allocatable;
    const struct alloc_area* area;
    dm_list_iterate_items(area, &src->areas) s.areas.push_back({area->start, area->count});
    out->sources.push_back(std::move(s));
  }
  out->stripes = in->area_count ? in->area_count : 1;
  out->mirrors = in->mirrors ? in->mirrors : 1;
  const uint32_t parity = liballoc::ParityDevices(out->type);
  if (in->parity_count != 0 && in->parity_count != parity) {
    Fail(ah, ALLOC_ERR_INVALID_REQUEST,
         "parity_count " + std::to_string(in->parity_count) +
             " does not match the segment type's parity devices (" + std::to_string(parity) + ")");
    return false;
  }
  out->log_count = in->log_count;
  out->region_size = in->region_size;
  out->extent_size = in->extent_size ? in->extent_size : 8192;
  out->metadata_extents = in->metadata_extents;
  out->extents = in->new_extents;
  out->existing_extents = in->existing_extents;
  out->approx = in->approx != 0;
  out->maximise_cling = !in->no_maximise_cling;
  out->logs_require_separate_pvs = in->logs_require_separate_pvs != 0;
  if (in->cling_tag_list) out->cling_tag_list = StrList(in->cling_tag_list);
  if (in->lv_name) out->lv_name = in->lv_name;
  if (in->prev) {
    liballoc::PrevSegment prev;
    prev.area_count = in->prev->area_count;
    prev.stripes_per_image = in->prev->stripes_per_image ? in->prev->stripes_per_image : 1;
    prev.le_end = in->prev->le_end;
    const struct alloc_prev_area* pa;
    dm_list_iterate_items(pa, &in->prev->last_extent) {
      prev.last_extent.push_back({pa->slot, Ref(pa->source), pa->pe, pa->len});
    }
    dm_list_iterate_items(pa, &in->prev->first_segment) {
      prev.first_segment.push_back({pa->slot, Ref(pa->source), pa->pe, pa->len});
    }
    out->prev = std::move(prev);
  }
  if (in->parallel_areas) {
    const struct alloc_parallel_area* pa;
    dm_list_iterate_items(pa, in->parallel_areas) {
      liballoc::ParallelArea p{pa->le, pa->len, {}};
      if (pa->source_count && !pa->sources) {
        Fail(ah, ALLOC_ERR_INVALID_REQUEST, "parallel area with source_count but no sources");
        return false;
      }
      for (uint32_t i = 0; i < pa->source_count; ++i) p.sources.push_back(Ref(pa->sources[i]));
      out->parallel_areas.push_back(std::move(p));
    }
  }
  return true;
}

// Copies the result into the caller's pool; false on pool exhaustion.
bool ToCResult(alloc_handle* ah, const alloc_request* in, const liballoc::Result& r,
               alloc_result** out) {
  auto* res = static_cast<alloc_result*>(dm_pool_zalloc(ah->mem, sizeof(alloc_result)));
  if (!res) return false;
  res->total_extents = r.allocated_extents;
  res->area_count = r.area_count;
  res->parity_count = r.parity_count;
  res->log_area_count = r.log_area_count;
  res->metadata_area_count = r.metadata_area_count;
  res->log_len = r.log_len;
  res->reduced = r.reduced;
  res->slot_count = static_cast<uint32_t>(r.slots.size());
  for (const liballoc::Batch& b : r.batches) res->total_area_len += b.area_len;
  if (res->slot_count) {
    res->allocated = static_cast<struct dm_list*>(
        dm_pool_alloc(ah->mem, sizeof(struct dm_list) * res->slot_count));
    if (!res->allocated) return false;
  }
  for (uint32_t s = 0; s < res->slot_count; ++s) {
    dm_list_init(&res->allocated[s]);
    for (const liballoc::Piece& p : r.slots[s]) {
      auto* seg = static_cast<alloc_segment*>(dm_pool_zalloc(ah->mem, sizeof(alloc_segment)));
      if (!seg) return false;
      seg->source_handle = reinterpret_cast<void*>(static_cast<uintptr_t>(p.handle));
      struct alloc_source* src;
      dm_list_iterate_items(src, in->sources) {
        if (reinterpret_cast<uintptr_t>(src->handle) == p.handle) {
          seg->source = src;
          break;
        }
      }
      seg->start_extent = p.start;
      seg->length = p.count;
      seg->batch = p.batch;
      dm_list_add(&res->allocated[s], &seg->list);
    }
  }
  *out = res;
  return true;
}

}  // namespace

extern "C" {

struct alloc_handle* alloc_create(struct dm_pool* mem) {
  if (!mem) return nullptr;
  auto* ah = new (std::nothrow) alloc_handle{mem, ALLOC_OK, std::string()};
  return ah;
}

int alloc_allocate(struct alloc_handle* ah, const struct alloc_request* req,
                   struct alloc_result** result) {
  if (!ah) return 0;
  try {
    ah->code = ALLOC_OK;
    ah->message.clear();
    if (!req || !result) {
      Fail(ah, ALLOC_ERR_INVALID_REQUEST, "alloc_allocate needs a request and a result pointer");
      return 0;
    }
    *result = nullptr;
    liballoc::Request request;
    if (!ToRequest(ah, req, &request)) return 0;
    absl::StatusOr<liballoc::Result> r = liballoc::Allocate(request);
    if (!r.ok()) {
      std::optional<liballoc::AllocError> code = liballoc::AllocErrorOf(r.status());
      Fail(ah, code ? static_cast<alloc_error_t>(*code) : ALLOC_ERR_INVALID_REQUEST,
           std::string(r.status().message()));
      return 0;
    }
    if (!ToCResult(ah, req, *r, result)) {
      *result = nullptr;
      Fail(ah, ALLOC_ERR_NO_MEMORY, "out of memory in the result pool");
      return 0;
    }
    return 1;
  } catch (...) {
    ah->code = ALLOC_ERR_NO_MEMORY;
    return 0;
  }
}

alloc_error_t alloc_last_error_code(const struct alloc_handle* ah) {
  return ah ? ah->code : ALLOC_ERR_INVALID_REQUEST;
}

const char* alloc_last_error(const struct alloc_handle* ah) {
  return ah ? ah->message.c_str() : "no allocation handle";
}

void alloc_destroy(struct alloc_handle* ah) { delete ah; }

}  // extern "C"
