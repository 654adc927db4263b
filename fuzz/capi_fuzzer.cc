// capi: the seed C API (liballoc/alloc.h) driven through its dm_list/dm_pool
// structures. A request decoded like the allocate target's is marshalled into
// C structures; some inputs then break one C-level rule (no source list,
// policy ALLOC_INVALID/ALLOC_INHERIT or out of the enum, unknown segment
// type, wrong parity_count, a parallel area with sources missing, NULL
// arguments).
//
// Checks: a broken C-level rule gives 0 with ALLOC_ERR_INVALID_REQUEST and a
// message; otherwise the C API must agree with the C++ API on the request the
// C fields stand for (0 fields taken as the documented defaults): the same
// failure code and text, or result lists holding exactly the C++ result's
// pieces, each pointing at the first source entry of its handle. The lists
// are then turned back into a Result and judged by the invariant checker.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "absl/strings/str_cat.h"
#include "fuzzed_allocation.h"
#include "liballoc/alloc.h"
#include "liballoc/allocator.h"
#include "liballoc/error.h"
#include "testing/invariant_checker.h"
#include "testing/outcome_diff.h"
#include "violation.h"

namespace {

using liballoc::Extent;
using liballoc::Request;
using liballoc::fuzz::CheckOk;
using liballoc::fuzz::Violation;

constexpr char kTarget[] = "capi";

// Which C-level rule an input breaks, if any.
enum class Breakage : uint8_t {
  kNone,
  kNoSourceList,
  kPolicyInvalid,
  kPolicyInherit,
  kPolicyOutOfRange,
  kSegtypeOutOfRange,
  kWrongParity,
  kParallelSourcesMissing,
  kNullRequest,
  kNullResultPointer,
  kMaxValue = kNullResultPointer,
};

void* HandlePtr(liballoc::SourceHandle h) {
  return reinterpret_cast<void*>(static_cast<uintptr_t>(h));
}

uint32_t ParityOf(liballoc::SegmentType t) {
  switch (t) {
    case liballoc::SegmentType::kRaid4:
    case liballoc::SegmentType::kRaid5: return 1;
    case liballoc::SegmentType::kRaid6: return 2;
    default: return 0;
  }
}

// Builds the C structures of a Request inside a dm_pool.
class CRequestBuilder {
 public:
  explicit CRequestBuilder(dm_pool* mem) : mem_(mem) {}

  dm_list* NewList() {
    auto* list = static_cast<dm_list*>(dm_pool_alloc(mem_, sizeof(dm_list)));
    dm_list_init(list);
    return list;
  }

  void AddStrings(dm_list* list, const std::vector<std::string>& strings) {
    for (const std::string& s : strings) {
      auto* sl = static_cast<dm_str_list*>(dm_pool_zalloc(mem_, sizeof(dm_str_list)));
      sl->str = dm_pool_strdup(mem_, s.c_str());
      dm_list_add(list, &sl->list);
    }
  }

  dm_list* StringList(const std::vector<std::string>& strings) {
    dm_list* list = NewList();
    AddStrings(list, strings);
    return list;
  }

  alloc_source_ref Ref(const liballoc::SourceRef& ref, bool null_empty_tags) {
    alloc_source_ref out{};
    out.handle = HandlePtr(ref.handle);
    out.tags = (ref.tags.empty() && null_empty_tags) ? nullptr : StringList(ref.tags);
    return out;
  }

  void AddPrevAreas(dm_list* list, const std::vector<liballoc::PrevArea>& areas) {
    for (const liballoc::PrevArea& a : areas) {
      auto* pa = static_cast<alloc_prev_area*>(dm_pool_zalloc(mem_, sizeof(alloc_prev_area)));
      pa->slot = a.slot;
      pa->source = Ref(a.source, (a.pe & 1) == 0);
      pa->pe = a.pe;
      pa->len = a.len;
      dm_list_add(list, &pa->list);
    }
  }

  void Build(const Request& r, alloc_request* c) {
    std::memset(c, 0, sizeof(*c));
    c->sources = NewList();
    for (const liballoc::Source& s : r.sources) {
      auto* src = static_cast<alloc_source*>(dm_pool_zalloc(mem_, sizeof(alloc_source)));
      src->handle = HandlePtr(s.handle);
      src->pe_count = s.pe_count;
      src->not_allocatable = !s.allocatable;
      dm_list_init(&src->areas);
      dm_list_init(&src->tags);
      AddStrings(&src->tags, s.tags);
      for (const liballoc::Area& a : s.areas) {
        auto* area = static_cast<alloc_area*>(dm_pool_zalloc(mem_, sizeof(alloc_area)));
        area->start = a.start;
        area->count = a.count;
        area->unreserved = a.count;
        area->source_handle = src->handle;
        area->map = src;
        dm_list_add(&src->areas, &area->list);
      }
      dm_list_add(c->sources, &src->list);
    }
    c->new_extents = r.extents;
    c->area_count = r.stripes;
    c->parity_count = (r.stripes & 1) ? ParityOf(r.type) : 0;  // both spellings are valid
    c->alloc = static_cast<alloc_policy_t>(static_cast<int>(r.policy) + ALLOC_CONTIGUOUS);
    c->segtype = static_cast<alloc_segtype_t>(r.type);
    c->mirrors = r.mirrors;
    c->log_count = r.log_count;
    c->region_size = r.region_size;
    c->extent_size = r.extent_size;
    c->metadata_extents = r.metadata_extents;
    c->existing_extents = r.existing_extents;
    c->approx = r.approx ? 1 + static_cast<int>(r.extents & 7) : 0;  // any non-zero is true
    c->no_maximise_cling = !r.maximise_cling;
    c->logs_require_separate_pvs = r.logs_require_separate_pvs;
    c->cling_tag_list = r.cling_tag_list ? StringList(*r.cling_tag_list) : nullptr;
    c->lv_name = r.lv_name.empty() && (r.extents & 1) ? nullptr
                                                       : dm_pool_strdup(mem_, r.lv_name.c_str());
    if (r.prev) {
      auto* prev =
          static_cast<alloc_prev_segment*>(dm_pool_zalloc(mem_, sizeof(alloc_prev_segment)));
      prev->area_count = r.prev->area_count;
      prev->stripes_per_image = r.prev->stripes_per_image;
      prev->le_end = r.prev->le_end;
      dm_list_init(&prev->last_extent);
      dm_list_init(&prev->first_segment);
      AddPrevAreas(&prev->last_extent, r.prev->last_extent);
      AddPrevAreas(&prev->first_segment, r.prev->first_segment);
      c->prev = prev;
    }
    if (!r.parallel_areas.empty()) {
      c->parallel_areas = NewList();
      for (const liballoc::ParallelArea& p : r.parallel_areas) {
        auto* pa = static_cast<alloc_parallel_area*>(
            dm_pool_zalloc(mem_, sizeof(alloc_parallel_area)));
        pa->le = p.le;
        pa->len = p.len;
        pa->source_count = static_cast<uint32_t>(p.sources.size());
        if (!p.sources.empty()) {
          pa->sources = static_cast<alloc_source_ref*>(
              dm_pool_zalloc(mem_, sizeof(alloc_source_ref) * p.sources.size()));
          for (size_t i = 0; i < p.sources.size(); ++i) pa->sources[i] = Ref(p.sources[i], true);
        }
        dm_list_add(c->parallel_areas, &pa->list);
      }
    }
  }

 private:
  dm_pool* mem_;
};

// The C++ request the C fields stand for: the C API's documented defaults
// for zero fields applied.
Request AsCApiReads(Request r) {
  if (r.stripes == 0) r.stripes = 1;
  if (r.mirrors == 0) r.mirrors = 1;
  if (r.extent_size == 0) r.extent_size = 8192;
  if (r.prev && r.prev->stripes_per_image == 0) r.prev->stripes_per_image = 1;
  return r;
}

// Stores an int that is none of the enum's values, as a C caller may (C
// enums are plain ints); a C++ static_cast would itself be undefined.
template <typename Enum>
void StoreRawEnum(Enum* field, int value) {
  static_assert(sizeof(Enum) == sizeof(int), "C enums here are int-sized");
  std::memcpy(field, &value, sizeof value);
}

// Breaks one C-level rule; false if this request cannot show it (then the
// input runs unbroken).
bool Break(Breakage b, FuzzedDataProvider& in, alloc_request* c) {
  switch (b) {
    case Breakage::kNone: return false;
    case Breakage::kNoSourceList: c->sources = nullptr; return true;
    case Breakage::kPolicyInvalid: c->alloc = ALLOC_INVALID; return true;
    case Breakage::kPolicyInherit: c->alloc = ALLOC_INHERIT; return true;
    case Breakage::kPolicyOutOfRange:
      StoreRawEnum(&c->alloc, in.ConsumeIntegralInRange<int>(ALLOC_INHERIT + 1, 1 << 30));
      return true;
    case Breakage::kSegtypeOutOfRange:
      StoreRawEnum(&c->segtype, in.ConsumeIntegralInRange<int>(ALLOC_SEG_CACHE_POOL + 1, 1 << 30));
      return true;
    case Breakage::kWrongParity: {
      uint32_t right = ParityOf(static_cast<liballoc::SegmentType>(c->segtype));
      uint32_t wrong = in.ConsumeIntegralInRange<uint32_t>(1, UINT32_MAX);
      if (wrong == right) return false;
      c->parity_count = wrong;
      return true;
    }
    case Breakage::kParallelSourcesMissing: {
      if (!c->parallel_areas) return false;
      alloc_parallel_area* pa;
      dm_list_iterate_items(pa, c->parallel_areas) {
        if (pa->source_count == 0) pa->source_count = 1;
        pa->sources = nullptr;
        return true;
      }
      return false;
    }
    case Breakage::kNullRequest:
    case Breakage::kNullResultPointer: return true;
  }
  return false;
}

// The result lists turned back into a Result; batches and area_multiple (not
// part of the C result) come from the C++ result they were checked against.
liballoc::Result FromCResult(const alloc_result& c, const liballoc::Result& cpp) {
  liballoc::Result r;
  r.area_count = c.area_count;
  r.parity_count = c.parity_count;
  r.log_area_count = c.log_area_count;
  r.metadata_area_count = c.metadata_area_count;
  r.log_len = c.log_len;
  r.area_multiple = cpp.area_multiple;
  r.batches = cpp.batches;
  r.allocated_extents = c.total_extents;
  r.reduced = c.reduced != 0;
  r.slots.resize(c.slot_count);
  for (uint32_t s = 0; s < c.slot_count; ++s) {
    const alloc_segment* seg;
    dm_list_iterate_items(seg, &c.allocated[s]) {
      r.slots[s].push_back(liballoc::Piece{reinterpret_cast<uintptr_t>(seg->source_handle),
                                           seg->start_extent, seg->length, seg->batch});
    }
  }
  return r;
}

void CheckSourcePointers(const alloc_request& c, const alloc_result& res, const Request& r) {
  for (uint32_t s = 0; s < res.slot_count; ++s) {
    const alloc_segment* seg;
    dm_list_iterate_items(seg, &res.allocated[s]) {
      const alloc_source* first = nullptr;
      const alloc_source* src;
      dm_list_iterate_items(src, c.sources) {
        if (src->handle == seg->source_handle) {
          first = src;
          break;
        }
      }
      if (seg->source != first) {
        Violation(kTarget, "alloc_segment.source is not the first entry of its handle",
                  absl::StrCat("slot ", s, " piece at ", seg->start_extent), &r);
      }
    }
  }
}

void CheckAgainstCpp(const alloc_request& c, int ok, alloc_result* res, alloc_handle* ah,
                     const Request& expected_request) {
  absl::StatusOr<liballoc::Result> cpp = liballoc::Allocate(expected_request);
  if (!cpp.ok()) {
    std::optional<liballoc::AllocError> code = liballoc::AllocErrorOf(cpp.status());
    if (ok) Violation(kTarget, "C API succeeded where the C++ API failed",
                      cpp.status().ToString(), &expected_request);
    if (!code || alloc_last_error_code(ah) != static_cast<alloc_error_t>(*code) ||
        std::string(alloc_last_error(ah)) != cpp.status().message()) {
      Violation(kTarget, "C API failure differs from the C++ failure",
                absl::StrCat("C: ", alloc_last_error_code(ah), " \"", alloc_last_error(ah),
                             "\"; C++: ", cpp.status().ToString()),
                &expected_request);
    }
    CheckOk(kTarget, "failure not justified", liballoc::testing::CheckFailure(expected_request, cpp.status()),
            &expected_request);
    return;
  }
  if (!ok || res == nullptr) {
    Violation(kTarget, "C API failed where the C++ API succeeded",
              absl::StrCat(alloc_last_error_code(ah), " \"", alloc_last_error(ah), "\""),
              &expected_request);
  }
  if (alloc_last_error_code(ah) != ALLOC_OK) {
    Violation(kTarget, "success left an error code", alloc_last_error(ah), &expected_request);
  }
  Extent area_len = 0;
  for (const liballoc::Batch& b : cpp->batches) area_len += b.area_len;
  if (res->total_area_len != area_len) {
    Violation(kTarget, "total_area_len is not the sum of the batches' area_len",
              absl::StrCat(res->total_area_len, " vs ", area_len), &expected_request);
  }
  liballoc::Result rebuilt = FromCResult(*res, *cpp);
  CheckOk(kTarget, "C result lists differ from the C++ result",
          liballoc::testing::CompareOutcomes(*cpp, rebuilt), &expected_request);
  CheckSourcePointers(c, *res, expected_request);
  CheckOk(kTarget, "C result lists break an invariant",
          liballoc::testing::CheckResult(expected_request, rebuilt), &expected_request);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<liballoc::Source> vg = liballoc::fuzz::ConsumeVg(in, 256, /*generated_only=*/false);
  Request request = liballoc::fuzz::ConsumeRequest(in, vg);
  Breakage breakage = in.ConsumeIntegralInRange<uint8_t>(0, 3) == 0
                          ? in.ConsumeEnum<Breakage>()
                          : Breakage::kNone;

  dm_pool* mem = dm_pool_create("capi_fuzzer", 4096);
  if (mem == nullptr) return 0;
  alloc_request c;
  CRequestBuilder(mem).Build(request, &c);
  bool broken = Break(breakage, in, &c);

  alloc_handle* ah = alloc_create(mem);
  if (ah == nullptr) Violation(kTarget, "alloc_create failed on a valid pool", "");
  alloc_result* res = nullptr;
  int ok = alloc_allocate(ah, breakage == Breakage::kNullRequest ? nullptr : &c,
                          breakage == Breakage::kNullResultPointer ? nullptr : &res);
  if (broken) {
    if (ok || alloc_last_error_code(ah) != ALLOC_ERR_INVALID_REQUEST ||
        std::strlen(alloc_last_error(ah)) == 0) {
      Violation(kTarget, "a request breaking a C-level rule was not refused as invalid",
                absl::StrCat("breakage ", static_cast<int>(breakage), ": returned ", ok,
                             ", code ", alloc_last_error_code(ah), " \"", alloc_last_error(ah),
                             "\""),
                &request);
    }
  } else {
    CheckAgainstCpp(c, ok, res, ah, AsCApiReads(request));
  }
  alloc_destroy(ah);
  dm_pool_destroy(mem);
  return 0;
}
