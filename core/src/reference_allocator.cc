// The reference allocator: LVM2 2.03.16's _allocate and everything below it
// (spec §3–§7), walking every source and area each round as LVM2 does. It is
// the oracle the indexed allocator is checked against, so it favours being
// obviously equal to the spec over being fast.
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "alloc_shape.h"
#include "area_list.h"
#include "liballoc/allocator.h"
#include "liballoc/error.h"
#include "tag_matcher.h"

namespace liballoc {
namespace {

// alloc_parms flags (spec §5).
enum : uint32_t {
  kCountMatches = 1u << 0,
  kContigToPrev = 1u << 1,
  kClingToPrev = 1u << 2,
  kClingToAlloced = 1u << 3,
  kClingByTags = 1u << 4,
  kPartitionByTags = 1u << 5,
  kPositional = 1u << 6,
  kCanSplit = 1u << 7,
};

enum class AreaUse { kNextArea, kNextSource, kPreferred, kUse };

constexpr uint32_t kNoArea = std::numeric_limits<uint32_t>::max();

// One candidate slot of a round (LVM2's pv_area_used). `used` deliberately
// survives ClearSlots, as LVM2's does.
struct Slot {
  uint32_t area = kNoArea;
  Extent used = 0;
};

struct SourceInfo {
  SourceHandle handle = 0;
  TagSet tags;
};

struct PrevRef {
  uint32_t slot;
  SourceHandle handle;
  TagSet tags;
  Extent pe;
  Extent len;
};

struct ParallelRange {
  Extent le;
  Extent len;
  std::vector<std::pair<SourceHandle, TagSet>> sources;
};

// A committed piece as the allocator needs it (source index for cling checks).
struct Alloced {
  uint32_t source;
};

class ReferenceAllocation {
 public:
  ReferenceAllocation(const Request& request, const AllocShape& shape,
                      WorkCounters* counters)
      : req_(request), shape_(shape), counters_(counters), lists_(0) {}

  absl::StatusOr<Result> Run();

 private:
  void BuildSources();
  absl::Status CheckSufficientFree() const;
  uint32_t InitFlags(Policy p) const;
  absl::Status RunPolicy(Policy p, uint32_t flags);
  absl::Status OneRound(Policy p, uint32_t flags, const ParallelRange* parallel,
                        uint32_t max_to_allocate);
  AreaUse Evaluate(Policy p, uint32_t flags, uint32_t id, uint32_t still_needed,
                   bool found_on_source, uint32_t iteration, uint32_t log_iteration);
  bool VisitPrev(const std::vector<PrevRef>& refs, uint32_t flags, uint32_t id,
                 bool contiguity, bool by_tags);
  bool ClingsToAlloced(uint32_t flags, uint32_t id, bool by_tags);
  bool IsParallel(uint32_t source, const ParallelRange& parallel) const;
  Extent RequiredExtents(Policy p, uint32_t id, uint32_t k, uint32_t max_to_allocate);
  void SetSlot(uint32_t k, uint32_t area, Extent used);
  void ClearSlots();
  void PartitionByTags(uint32_t log_offset, uint32_t& ix);
  absl::Status Commit(Policy p, uint32_t flags, uint32_t max_to_allocate,
                      uint32_t log_offset);

  const Request& req_;
  const AllocShape& shape_;
  WorkCounters* counters_;
  WorkCounters local_counters_;

  TagInterner interner_;
  std::optional<TagMatcher> matcher_;  // set iff cling_tag_list is configured
  std::vector<SourceInfo> sources_;
  AreaLists lists_;
  std::vector<PrevRef> prev_last_;
  std::vector<PrevRef> prev_first_;
  std::vector<ParallelRange> parallel_;

  std::vector<Slot> slots_;
  uint32_t npos_ = 0;
  uint32_t allocated_ = 0;
  uint32_t log_still_ = 0;
  bool split_meta_done_ = false;
  Policy policy_ = Policy::kNormal;  // LVM2's ah->alloc: may be raised
  bool can_split_ = true;            // fixed at the start: false for contiguous
  uint32_t round_in_pass_ = 0;

  Result result_;
  std::vector<std::vector<Alloced>> alloced_;  // per result slot
};

void ReferenceAllocation::BuildSources() {
  absl::flat_hash_map<SourceHandle, uint32_t> index;
  // First pass: map order is first appearance of each allocatable handle.
  for (const Source& src : req_.sources) {
    if (!src.allocatable) continue;
    if (index.emplace(src.handle, static_cast<uint32_t>(sources_.size())).second) {
      sources_.push_back(SourceInfo{src.handle, interner_.InternAll(src.tags)});
    }
  }
  lists_ = AreaLists(static_cast<uint32_t>(sources_.size()));
  for (const Source& src : req_.sources) {
    if (!src.allocatable) continue;
    const uint32_t s = index.at(src.handle);
    for (const Area& a : src.areas) lists_.Create(s, a.start, a.count);
  }
}

absl::Status ReferenceAllocation::CheckSufficientFree() const {
  // LVM2 computes each term in 32 bits, truncating each division separately.
  const uint32_t rest = shape_.new_extents - allocated_;
  const uint32_t area_needed = static_cast<uint32_t>(uint64_t{rest} * shape_.area_count) /
                               shape_.area_multiple;
  const uint32_t parity_needed =
      static_cast<uint32_t>(uint64_t{rest} * shape_.parity_count) / shape_.area_multiple;
  const uint32_t meta_needed =
      (shape_.alloc_and_split_meta ? 0 : shape_.metadata_area_count) +
      (log_still_ ? shape_.log_len : 0);
  const uint64_t needed = uint64_t{area_needed} + parity_needed + meta_needed;
  const uint64_t free = lists_.total_free();
  if (needed > free) {
    return MakeAllocError(
        AllocError::kInsufficientFreeSpace,
        absl::StrFormat("Insufficient free space: %u extents needed, but only %u available",
                        needed, free));
  }
  return absl::OkStatus();
}

uint32_t ReferenceAllocation::InitFlags(Policy p) const {
  uint32_t flags = 0;
  const bool cling = p == Policy::kCling || p == Policy::kClingByTags;
  if (req_.prev && shape_.devices_needed() == req_.prev->area_count) {
    flags |= kCountMatches;
    if (p == Policy::kContiguous) flags |= kContigToPrev | kPositional;
    else if (cling) flags |= kClingToPrev | kPositional;
  } else if (cling) {
    flags |= kClingToAlloced | kPositional;
  }
  if (p == Policy::kClingByTags) flags |= kClingByTags;
  if (p == Policy::kContiguous && matcher_) flags |= kPartitionByTags;
  if (req_.maximise_cling && p == Policy::kNormal && allocated_ != shape_.new_extents) {
    flags |= kClingToAlloced;
  }
  if (can_split_) flags |= kCanSplit;
  return flags;
}

absl::StatusOr<Result> ReferenceAllocation::Run() {
  if (!counters_) counters_ = &local_counters_;
  allocated_ = shape_.existing;
  result_.area_count = shape_.area_count;
  result_.parity_count = shape_.parity_count;
  result_.log_area_count = shape_.log_area_count;
  result_.metadata_area_count = shape_.metadata_area_count;
  result_.log_len = shape_.log_len;
  result_.area_multiple = shape_.area_multiple;
  result_.slots.assign(shape_.slot_count(), {});
  alloced_.assign(shape_.slot_count(), {});

  if (allocated_ >= shape_.new_extents && shape_.log_area_count == 0) return result_;
  if (shape_.area_multiple > 1 &&
      (shape_.new_extents - allocated_) % shape_.area_multiple != 0) {
    return MakeAllocError(
        AllocError::kNotDivisible,
        absl::StrFormat("Number of extents requested (%u) needs to be divisible by %u.",
                        shape_.new_extents - allocated_, shape_.area_multiple));
  }
  log_still_ = shape_.log_area_count;
  policy_ = req_.policy;
  can_split_ = policy_ != Policy::kContiguous;
  const bool can_split = can_split_;

  BuildSources();
  if (req_.cling_tag_list) matcher_.emplace(*req_.cling_tag_list, interner_);
  if (req_.prev) {
    for (const PrevArea& a : req_.prev->last_extent) {
      prev_last_.push_back({a.slot, a.source.handle, interner_.InternAll(a.source.tags), a.pe, a.len});
    }
    for (const PrevArea& a : req_.prev->first_segment) {
      prev_first_.push_back({a.slot, a.source.handle, interner_.InternAll(a.source.tags), a.pe, a.len});
    }
  }
  for (const ParallelArea& pa : req_.parallel_areas) {
    ParallelRange range{pa.le, pa.len, {}};
    for (const SourceRef& s : pa.sources) {
      range.sources.emplace_back(s.handle, interner_.InternAll(s.tags));
    }
    parallel_.push_back(std::move(range));
  }

  uint64_t slots = sources_.size();
  const uint64_t wanted = shape_.devices_needed() + shape_.log_area_count;
  if (slots != 0 && slots < wanted) {
    if (policy_ != Policy::kAnywhere && req_.logs_require_separate_pvs) {
      return MakeAllocError(AllocError::kNotEnoughParallelPvs,
                            "Not enough PVs with free space available for parallel "
                            "allocation.\nConsider --alloc anywhere if desperate.");
    }
    slots = wanted;
  }
  if (req_.prev) slots += uint64_t{req_.prev->stripes_per_image} * req_.prev->area_count;
  slots_.assign(slots, Slot{});

  if (policy_ == Policy::kCling) policy_ = Policy::kClingByTags;
  for (int pi = static_cast<int>(Policy::kContiguous); pi <= static_cast<int>(policy_); ++pi) {
    const Policy p = static_cast<Policy>(pi);
    if (p == Policy::kClingByTags && !matcher_) continue;
    const uint32_t old = allocated_;
    if (!req_.approx) {
      if (absl::Status s = CheckSufficientFree(); !s.ok()) return s;
    }
    if (absl::Status s = RunPolicy(p, InitFlags(p)); !s.ok()) return s;
    if (allocated_ == shape_.new_extents && log_still_ && policy_ < Policy::kNormal) {
      policy_ = Policy::kNormal;  // only the log is missing: go on up to normal
      continue;
    }
    if ((allocated_ == shape_.new_extents && !log_still_) || (!can_split && allocated_ != old)) {
      break;
    }
  }

  const std::string& lv = req_.lv_name;
  const char* contiguous = can_split ? "" : "contiguous ";
  if (allocated_ != shape_.new_extents) {
    const uint32_t missing = static_cast<uint32_t>(
        uint64_t{shape_.new_extents - allocated_} * shape_.area_count) / shape_.area_multiple;
    if (!req_.approx) {
      return MakeAllocError(
          AllocError::kInsufficientSuitable,
          absl::StrFormat("Insufficient suitable %sallocatable extents for logical volume "
                          "%s: %u more required",
                          contiguous, lv, missing));
    }
    if (allocated_ == 0) {
      return MakeAllocError(
          AllocError::kNothingFound,
          absl::StrFormat("Insufficient suitable %sallocatable extents found for "
                          "logical volume %s.",
                          contiguous, lv));
    }
    result_.reduced = true;
  }
  if (log_still_) {
    return MakeAllocError(
        AllocError::kLogSpace,
        absl::StrFormat("Insufficient free space for log allocation for logical volume %s.", lv));
  }
  result_.allocated_extents = allocated_ - shape_.existing;
  return result_;
}

absl::Status ReferenceAllocation::RunPolicy(Policy p, uint32_t flags) {
  round_in_pass_ = 0;
  do {
    uint32_t max_to_allocate = shape_.new_extents - allocated_;
    const ParallelRange* parallel = nullptr;
    if (!parallel_.empty()) {
      const uint64_t next_le = (req_.prev ? req_.prev->le_end : 0) +
                               allocated_ / shape_.area_multiple;
      const uint32_t pending_meta =
          shape_.alloc_and_split_meta && !split_meta_done_ ? shape_.log_len : 0;
      for (const ParallelRange& pr : parallel_) {
        if (next_le >= pr.le + pr.len) continue;
        // 32-bit arithmetic, as LVM2 does it.
        const uint32_t tmp = max_to_allocate + allocated_ - pending_meta;
        const uint32_t limit = static_cast<uint32_t>((pr.le + pr.len) * shape_.area_multiple);
        if (tmp > limit) max_to_allocate = limit - allocated_ + pending_meta;
        parallel = &pr;
        break;
      }
    }
    const uint32_t old = allocated_;
    if (absl::Status s = OneRound(p, flags, parallel, max_to_allocate); !s.ok()) return s;
    ++round_in_pass_;
    if (allocated_ == old) {
      const bool cling = p == Policy::kCling || p == Policy::kClingByTags;
      if (req_.maximise_cling && cling && (flags & kClingToPrev) && (flags & kPositional)) {
        flags &= ~kPositional;
      } else if (p == Policy::kNormal && (flags & kClingToAlloced)) {
        flags &= ~kClingToAlloced;
      } else {
        break;
      }
    } else if (req_.maximise_cling && p == Policy::kNormal && !(flags & kClingToAlloced)) {
      flags |= kClingToAlloced;
    }
  } while (p != Policy::kContiguous && allocated_ != shape_.new_extents &&
           (flags & kCanSplit) && (!req_.approx || lists_.total_free() != 0));
  return absl::OkStatus();
}

void ReferenceAllocation::ClearSlots() {
  npos_ = 0;
  for (Slot& s : slots_) s.area = kNoArea;
}

void ReferenceAllocation::SetSlot(uint32_t k, uint32_t area, Extent used) {
  if (k >= slots_.size()) {
    size_t size = slots_.size();
    while (k >= size) size = size ? size * 2 : 1;
    slots_.resize(size, Slot{});
  }
  slots_[k].area = area;
  slots_[k].used = used;
}

bool ReferenceAllocation::VisitPrev(const std::vector<PrevRef>& refs, uint32_t flags,
                                    uint32_t id, bool contiguity, bool by_tags) {
  const bool positional = flags & kPositional;
  const AreaNode& a = lists_.node(id);
  const SourceInfo& src = sources_[a.source];
  for (const PrevRef& ref : refs) {
    if (positional && ref.slot < slots_.size() && slots_[ref.slot].area != kNoArea) continue;
    bool match;
    if (contiguity) {
      match = ref.handle == src.handle && ref.pe + ref.len == a.start;
    } else if (by_tags) {
      match = matcher_->Match(ref.tags, src.tags);
    } else {
      match = ref.handle == src.handle;
    }
    if (!match) continue;
    if (positional && (ref.slot >= npos_ || ref.slot >= slots_.size())) continue;
    if (positional) SetSlot(ref.slot, id, a.count);
    return true;
  }
  return false;
}

bool ReferenceAllocation::ClingsToAlloced(uint32_t flags, uint32_t id, bool by_tags) {
  if (log_still_) return false;
  const bool positional = flags & kPositional;
  const AreaNode& a = lists_.node(id);
  for (uint32_t s = 0; s < shape_.area_count; ++s) {
    if (positional && slots_[s].area != kNoArea) continue;
    for (const Alloced& piece : alloced_[s]) {
      const bool match = by_tags ? matcher_->Match(sources_[a.source].tags,
                                                   sources_[piece.source].tags)
                                 : piece.source == a.source;
      if (match) {
        if (positional) SetSlot(s, id, a.count);
        return true;
      }
    }
  }
  return false;
}

bool ReferenceAllocation::IsParallel(uint32_t source, const ParallelRange& parallel) const {
  const SourceInfo& src = sources_[source];
  for (const auto& [handle, tags] : parallel.sources) {
    if (handle == src.handle) return true;
    if (matcher_ && matcher_->Match(tags, src.tags)) return true;
  }
  return false;
}

AreaUse ReferenceAllocation::Evaluate(Policy p, uint32_t flags, uint32_t id,
                                      uint32_t still_needed, bool found_on_source,
                                      uint32_t iteration, uint32_t log_iteration) {
  ++counters_->areas_visited;
  const AreaNode& a = lists_.node(id);
  if (a.unreserved == 0) return AreaUse::kNextArea;
  if (iteration) {
    for (const Slot& s : slots_) {
      if (s.area == id) return AreaUse::kNextArea;
    }
  }
  const bool count_matches = flags & kCountMatches;
  if (!iteration && !log_iteration &&
      (flags & (kContigToPrev | kClingToPrev | kClingToAlloced))) {
    const bool maximise = req_.maximise_cling;
    if (((flags & kContigToPrev) || (maximise && count_matches)) &&
        VisitPrev(prev_last_, flags, id, /*contiguity=*/true, /*by_tags=*/false)) {
      goto found;
    }
    if (flags & kContigToPrev) return AreaUse::kNextArea;
    {
      const std::vector<PrevRef>& cling_refs = maximise ? prev_first_ : prev_last_;
      if (((flags & kClingToPrev) || (maximise && count_matches)) &&
          VisitPrev(cling_refs, flags, id, false, false)) {
        goto found;
      }
      if ((flags & kClingToAlloced) && ClingsToAlloced(flags, id, false)) goto found;
      if (!(flags & kClingByTags) || !matcher_) return AreaUse::kNextSource;
      if (count_matches) {
        if (VisitPrev(cling_refs, flags, id, false, /*by_tags=*/true)) goto found;
      } else if (ClingsToAlloced(flags, id, /*by_tags=*/true)) {
        goto found;
      }
      return AreaUse::kNextSource;
    }
  }
  if (a.unreserved * shape_.area_multiple < still_needed &&
      ((!(flags & kCanSplit) && !shape_.log_area_count) ||
       (found_on_source && p != Policy::kAnywhere))) {
    return AreaUse::kNextSource;
  }
found:
  return (flags & kPositional) ? AreaUse::kPreferred : AreaUse::kUse;
}

Extent ReferenceAllocation::RequiredExtents(Policy p, uint32_t id, uint32_t k,
                                            uint32_t max_to_allocate) {
  Extent required = max_to_allocate / shape_.area_multiple;
  if (p == Policy::kAnywhere) {
    if (k >= shape_.devices_needed()) required = shape_.log_len;
  } else if (required < shape_.log_len) {
    required = shape_.log_len;
  }
  AreaNode& a = lists_.node(id);
  if (required >= a.unreserved) {
    required = a.unreserved;
    a.unreserved = 0;
  } else {
    a.unreserved -= required;
    lists_.ReinsertReduced(id);
  }
  return required;
}

absl::Status ReferenceAllocation::OneRound(Policy p, uint32_t flags,
                                           const ParallelRange* parallel,
                                           uint32_t max_to_allocate) {
  ++counters_->rounds;
  ClearSlots();
  for (uint32_t s = 0; s < sources_.size(); ++s) counters_->areas_visited += lists_.Reset(s);

  const uint32_t devices_needed = shape_.devices_needed();
  if (flags & kPositional) {
    if (flags & (kContigToPrev | kClingToPrev)) {
      npos_ = req_.prev->stripes_per_image * req_.prev->area_count;
    } else if (flags & kClingToAlloced) {
      npos_ = shape_.area_count;
    }
  }
  uint32_t ix = 0, preferred = 0, iteration = 0, log_iteration = 0;
  const bool anywhere = p == Policy::kAnywhere;
  bool again;
  do {
    const uint32_t last_ix = ix;
    for (uint32_t m = 0; m < sources_.size(); ++m) {
      if (lists_.empty(m)) continue;
      ++counters_->sources_touched;
      bool skip = false;
      if (!anywhere) {
        if (!log_iteration && parallel && IsParallel(m, *parallel)) {
          skip = true;
        } else if (log_iteration) {
          for (uint32_t s = devices_needed; s < ix + npos_; ++s) {
            if (slots_[s].area != kNoArea && lists_.node(slots_[s].area).source == m) skip = true;
          }
        } else if (iteration) {
          for (uint32_t s = 0; s < devices_needed; ++s) {
            if (slots_[s].area != kNoArea && lists_.node(slots_[s].area).source == m) skip = true;
          }
        }
      }
      if (!skip) {
        bool found_on_source = false;
        for (uint32_t id = lists_.first(m); id != lists_.end(m);) {
          const AreaUse use = Evaluate(p, flags, id, max_to_allocate, found_on_source,
                                       iteration, log_iteration);
          if (use == AreaUse::kPreferred) {
            ++preferred;
            break;
          }
          if (use == AreaUse::kNextSource) break;
          if (use == AreaUse::kUse) {
            if (!found_on_source || anywhere) {
              ++ix;
              found_on_source = true;
            }
            const uint32_t k = ix + npos_ - 1;
            const Extent required = RequiredExtents(p, id, k, max_to_allocate);
            SetSlot(k, id, required);
          }
          id = lists_.next(id);  // read after processing: follows a moved area
        }
      }
      if ((anywhere && ix + npos_ >= devices_needed + log_still_) ||
          (preferred == npos_ && npos_ == devices_needed + log_still_)) {
        break;
      }
    }
    again = false;
    if (anywhere && last_ix != ix && ix < devices_needed + log_still_) {
      again = true;
    } else if (p == Policy::kNormal && preferred &&
               (preferred < npos_ || log_still_) && (flags & kClingToAlloced)) {
      if (!iteration++) again = true;
    }
    if (!again && p == Policy::kNormal && preferred == npos_ &&
        !req_.logs_require_separate_pvs && ix + preferred >= devices_needed &&
        ix + preferred < devices_needed + log_still_) {
      if (!log_iteration++) again = true;
    }
  } while (again);

  if (preferred < npos_ && !(flags & kClingToAlloced) && ix == 0) return absl::OkStatus();
  if (ix + preferred < devices_needed + log_still_) return absl::OkStatus();

  auto by_used_desc = [](const Slot& l, const Slot& r) { return l.used > r.used; };
  if (log_iteration) {
    if (ix > devices_needed + 1) {
      std::stable_sort(slots_.begin() + devices_needed, slots_.begin() + ix, by_used_desc);
    }
  } else if (ix > 1) {
    std::stable_sort(slots_.begin() + npos_, slots_.begin() + npos_ + ix, by_used_desc);
  }

  if (preferred && preferred != npos_) {
    for (uint32_t s = 0; s < devices_needed; ++s) {
      if (slots_[s].area == kNoArea) {
        slots_[s] = slots_[npos_];
        slots_[npos_++].area = kNoArea;
      }
    }
  }

  uint32_t too_small = 0;
  uint32_t log_offset = 0;
  if (log_still_) {
    while (too_small < npos_ + ix && slots_[npos_ + ix - 1 - too_small].used < shape_.log_len) {
      ++too_small;
    }
    if (req_.logs_require_separate_pvs && too_small && too_small >= devices_needed) {
      return absl::OkStatus();
    }
    if (npos_ + ix < too_small + shape_.log_area_count) return absl::OkStatus();
    log_offset = npos_ + ix - (too_small + shape_.log_area_count);
  }
  if (ix + npos_ < devices_needed) return absl::OkStatus();

  if ((flags & kPartitionByTags) && npos_ == 0) {
    PartitionByTags(log_offset, ix);
    if (log_still_) {
      too_small = 0;
      while (too_small < ix && slots_[ix - 1 - too_small].area != kNoArea &&
             slots_[ix - 1 - too_small].used < shape_.log_len) {
        ++too_small;
      }
      if (ix < too_small + shape_.log_area_count) return absl::OkStatus();
      log_offset = ix - too_small - shape_.log_area_count;
    }
    if (ix < devices_needed + (log_still_ ? log_still_ + too_small : 0)) {
      return absl::OkStatus();
    }
  }

  if (absl::Status s = Commit(p, flags, max_to_allocate, log_offset); !s.ok()) return s;
  log_still_ = 0;
  return absl::OkStatus();
}

void ReferenceAllocation::PartitionByTags(uint32_t log_offset, uint32_t& ix) {
  TagSet seen;
  uint32_t s = 0, u = 0;
  while (s < slots_.size() && slots_[s].area != kNoArea) {
    if (u == log_offset) seen.clear();
    const TagSet& tags = sources_[lists_.node(slots_[s].area).source].tags;
    if (!matcher_->Match(tags, seen)) {
      MergeTags(seen, tags);
      if (s != u) slots_[u] = slots_[s];
      ++u;
    } else {
      --ix;
    }
    ++s;
  }
  if (u < slots_.size()) slots_[u].area = kNoArea;
}

absl::Status ReferenceAllocation::Commit(Policy p, uint32_t flags,
                                         uint32_t max_to_allocate, uint32_t log_offset) {
  const uint32_t devices = shape_.devices_needed();
  const uint32_t total = devices + log_still_;
  Extent area_len = max_to_allocate / shape_.area_multiple;
  for (uint32_t s = 0; s < devices; ++s) area_len = std::min(area_len, slots_[s].used);

  const bool split = shape_.alloc_and_split_meta && !split_meta_done_;
  const uint32_t batch = static_cast<uint32_t>(result_.batches.size());
  result_.batches.push_back(Batch{p, round_in_pass_,
                                  (flags & (kContigToPrev | kClingToPrev | kClingToAlloced)) != 0,
                                  area_len});
  // LVM2 skips with area_count, not counting parity: logs never meet parity.
  int64_t skip = 0;
  Extent len = area_len;
  for (uint32_t s = 0; s < total; ++s) {
    if (s == devices) {
      skip = int64_t{log_offset} - shape_.area_count;
      len = shape_.log_len;
    }
    const uint32_t id = slots_[static_cast<size_t>(s + skip)].area;
    const AreaNode& a = lists_.node(id);
    const uint32_t src = a.source;
    if (split) {
      const uint32_t m = s + devices;
      if (shape_.log_len > a.count) {
        return MakeAllocError(AllocError::kMetadataDoesNotFit,
                              "Metadata does not fit on a single PV.");
      }
      result_.slots[m].push_back(Piece{sources_[src].handle, a.start, shape_.log_len, batch});
      alloced_[m].push_back(Alloced{src});
      lists_.Consume(id, shape_.log_len);
    }
    if (split && len < shape_.log_len) {
      // LVM2 2.03.16 would underflow here (area shorter than its metadata)
      // and abort on an assertion; refuse instead of corrupting.
      return MakeAllocError(AllocError::kMetadataDoesNotFit,
                            "Metadata does not fit on a single PV.");
    }
    const Extent n = split ? len - shape_.log_len : len;
    if (n == 0) continue;
    const AreaNode& after = lists_.node(id);
    result_.slots[s].push_back(Piece{sources_[src].handle, after.start, n, batch});
    alloced_[s].push_back(Alloced{src});
    lists_.Consume(id, n);
  }
  if (shape_.alloc_and_split_meta) split_meta_done_ = true;
  allocated_ += static_cast<uint32_t>(area_len * shape_.area_multiple);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Result> AllocateReference(const Request& request, WorkCounters* counters) {
  if (absl::Status s = ValidateRequest(request); !s.ok()) return s;
  absl::StatusOr<AllocShape> shape = ComputeShape(request);
  if (!shape.ok()) return shape.status();
  ReferenceAllocation allocation(request, *shape, counters);
  return allocation.Run();
}

}  // namespace liballoc
