#include "allocation_engine.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "liballoc/error.h"

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
constexpr uint32_t kPreferenceFlags = kContigToPrev | kClingToPrev | kClingToAlloced;

bool IsCling(Policy p) { return p == Policy::kCling || p == Policy::kClingByTags; }

}  // namespace

void EngineScratch::Prepare(size_t num_sources) {
  if (states.size() != num_sources) {
    states.Assign(num_sources);
    epoch = 0;
  }
  if (++epoch == 0) {  // wrapped: forget every stamp
    states.Zero();
    epoch = 1;
  }
  lists.Clear();
}

AllocationEngine::AllocationEngine(const Request& request, const AllocShape& shape,
                                   const FreeSpaceView& view, ScanStrategy strategy,
                                   EngineScratch* scratch, MaxTree* tree,
                                   WorkCounters* counters)
    : req_(request),
      shape_(shape),
      view_(view),
      strategy_(strategy),
      scratch_(*scratch),
      tree_(tree),
      counters_(counters ? counters : &local_counters_),
      lists_(scratch->lists) {
  scratch_.Prepare(view_.sources.size());
}

SourceState& AllocationEngine::State(uint32_t m) {
  unsigned char* const slot = scratch_.states.Slot(m);
  uint32_t stamp;  // read as bytes: the slot may hold no state yet
  std::memcpy(&stamp, slot + offsetof(SourceState, stamp), sizeof stamp);
  if (stamp != scratch_.epoch) {
    SourceState* const st = ::new (static_cast<void*>(slot)) SourceState();
    st->stamp = scratch_.epoch;
    return *st;
  }
  return *std::launder(reinterpret_cast<SourceState*>(slot));
}

// Builds the source's list in LVM2's initial order (count descending, creation
// order among equals: what inserting in creation order produces), then applies
// the plain-round rotations it owes.
uint32_t AllocationEngine::ListOf(uint32_t m) {
  SourceState& st = State(m);
  if (!st.materialized) {
    const ViewSource& v = view_.sources[m];
    if (scratch_.reserve_all_lists && lists_.capacity() == 0) {
      size_t nodes = view_.sources.size();
      for (const ViewSource& s : view_.sources) nodes += s.num_areas;
      lists_.Reserve(nodes);
    }
    st.list = lists_.NewList(m);
    st.materialized = true;
    if (strategy_ == ScanStrategy::kReference) {
      for (uint32_t i = 0; i < v.num_areas; ++i) lists_.Create(st.list, v.areas[i].start, v.areas[i].count);
    } else {
      // A stable sort by count, descending: one 64-bit key per area (count
      // complemented above, creation index below), so ties keep creation
      // order and a small source sorts with plain integer compares.
      std::vector<uint64_t>& keys = sort_keys_;
      keys.resize(v.num_areas);
      uint64_t* key = keys.data();
      for (uint32_t i = 0; i < v.num_areas; ++i) {
        // Counts fit 32 bits: BuildView and AreaIndex::Build reject larger sources.
        key[i] = (uint64_t{~static_cast<uint32_t>(v.areas[i].count)} << 32) | i;
      }
      std::sort(keys.begin(), keys.end());
      lists_.FillInOrder(st.list, v.num_areas, [&](uint32_t i) -> const Area& {
        return v.areas[static_cast<uint32_t>(key[i])];
      });
    }
  }
  if (st.base != plain_rounds_) {
    lists_.RotateHeadRun(st.list, plain_rounds_ - st.base);
    st.base = plain_rounds_;
  }
  return st.list;
}

bool AllocationEngine::HasAreas(uint32_t m) {
  SourceState& st = State(m);
  return st.materialized ? !lists_.empty(st.list) : view_.sources[m].num_areas != 0;
}

const TagSet& AllocationEngine::TagsOf(uint32_t m) {
  auto it = tags_.find(m);
  if (it == tags_.end()) {
    const std::vector<std::string>* names = view_.sources[m].tag_names;
    it = tags_.emplace(m, names ? interner_.InternAll(*names) : TagSet{}).first;
  }
  return it->second;
}

void AllocationEngine::Touch(uint32_t m) {
  ++counters_->sources_touched;
  SourceState& st = State(m);
  if (!st.touched) {
    st.touched = true;
    touched_.push_back(m);
  }
}

// The tree holds a clean source's largest area (its list head); -1 keeps
// dirty, masked and empty sources out of the lazy candidate queries. Only
// plain rounds query it, so leaves are refreshed when one starts, once per
// source however many rounds changed it (preference rounds touch the same
// sources round after round). Leaves never refreshed keep their value from
// before the call: an AreaIndex resets every leaf the call changed from its
// own runs, and a one-shot tree is dropped.
void AllocationEngine::TreeUpdate(uint32_t m) {
  if (!tree_) return;
  SourceState& st = State(m);
  if (!st.tree_pending) {
    st.tree_pending = true;
    tree_pending_.push_back(m);
  }
}

void AllocationEngine::FlushTree() {
  for (uint32_t m : tree_pending_) {
    SourceState& st = State(m);
    st.tree_pending = false;
    int64_t value = -1;
    if (!st.dirty && !st.masked) {
      if (!st.materialized) {
        value = view_.sources[m].num_areas ? static_cast<int64_t>(view_.sources[m].max_count) : -1;
      } else if (!lists_.empty(st.list)) {
        value = static_cast<int64_t>(lists_.node(lists_.first(st.list)).count);
      }
    }
    if (tree_->Get(m) == value) continue;  // the journal lists entries that changed
    tree_->Set(m, value);
    tree_journal_.push_back(m);
  }
  tree_pending_.clear();
}

// After a round: a walked source whose reservations are all gone is lazy
// again; one that keeps a reservation is dirty until a reset clears it.
void AllocationEngine::SettleTouched() {
  if (strategy_ == ScanStrategy::kReference) {
    for (uint32_t m : touched_) State(m).touched = false;
    touched_.clear();
    return;
  }
  for (uint32_t m : touched_) {
    SourceState& st = State(m);
    st.touched = false;
    st.masked = false;
    st.base = plain_rounds_;
    if (lists_.empty(st.list)) {
      auto it = std::lower_bound(alloced_live_.begin(), alloced_live_.end(), m);
      if (it != alloced_live_.end() && *it == m) alloced_live_.erase(it);
    }
    const bool dirty = !lists_.Clean(st.list);
    if (dirty && !st.dirty) dirty_.push_back(m);
    st.dirty = dirty;
    TreeUpdate(m);
  }
  touched_.clear();
}

void AllocationEngine::ResetLists() {
  if (strategy_ == ScanStrategy::kReference) {
    for (uint32_t m = 0; m < view_.sources.size(); ++m) {
      counters_->areas_visited += lists_.Reset(ListOf(m));
    }
    return;
  }
  // Clean lists are unchanged by a reset: only dirty ones need the walk.
  std::vector<uint32_t>& still = scratch_ids_;
  still.clear();
  for (uint32_t m : dirty_) {
    SourceState& st = State(m);
    counters_->areas_visited += lists_.Reset(st.list);
    if (lists_.Clean(st.list)) {
      st.dirty = false;
      st.base = plain_rounds_;
      TreeUpdate(m);
    } else {
      still.push_back(m);
    }
  }
  dirty_.swap(still);  // the old dirty list becomes the scratch
}

void AllocationEngine::PrepareRefs() {
  if (req_.cling_tag_list) matcher_.emplace(*req_.cling_tag_list, interner_);
  auto convert = [this](const std::vector<PrevArea>& in, std::vector<PrevRef>& out) {
    for (const PrevArea& a : in) {
      out.push_back({a.slot, a.source.handle,
                     matcher_ ? interner_.InternAll(a.source.tags) : TagSet{}, a.pe, a.len});
    }
  };
  if (req_.prev) {
    convert(req_.prev->last_extent, prev_last_);
    convert(req_.prev->first_segment, prev_first_);
  }
  for (const ParallelArea& pa : req_.parallel_areas) {
    ParallelRange range{pa.le, pa.len, {}};
    for (const SourceRef& s : pa.sources) {
      range.sources.emplace_back(s.handle, matcher_ ? interner_.InternAll(s.tags) : TagSet{});
    }
    parallel_.push_back(std::move(range));
  }
}

absl::Status AllocationEngine::CheckSufficientFree() const {
  // LVM2 computes each term in 32 bits, truncating each division separately.
  const uint32_t rest = shape_.new_extents - allocated_;
  const uint32_t area_needed =
      static_cast<uint32_t>(uint64_t{rest} * shape_.area_count) / shape_.area_multiple;
  const uint32_t parity_needed =
      static_cast<uint32_t>(uint64_t{rest} * shape_.parity_count) / shape_.area_multiple;
  const uint32_t meta_needed = (shape_.alloc_and_split_meta ? 0 : shape_.metadata_area_count) +
                               (log_still_ ? shape_.log_len : 0);
  const uint64_t needed = uint64_t{area_needed} + parity_needed + meta_needed;
  if (needed > total_free_) {
    return MakeAllocError(
        AllocError::kInsufficientFreeSpace,
        absl::StrFormat("Insufficient free space: %u extents needed, but only %u available",
                        needed, total_free_));
  }
  return absl::OkStatus();
}

uint32_t AllocationEngine::InitFlags(Policy p) const {
  uint32_t flags = 0;
  if (req_.prev && shape_.devices_needed() == req_.prev->area_count) {
    flags |= kCountMatches;
    if (p == Policy::kContiguous) flags |= kContigToPrev | kPositional;
    else if (IsCling(p)) flags |= kClingToPrev | kPositional;
  } else if (IsCling(p)) {
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

absl::StatusOr<Result> AllocationEngine::Run() {
  allocated_ = shape_.existing;
  total_free_ = view_.total_free;
  result_.area_count = shape_.area_count;
  result_.parity_count = shape_.parity_count;
  result_.log_area_count = shape_.log_area_count;
  result_.metadata_area_count = shape_.metadata_area_count;
  result_.log_len = shape_.log_len;
  result_.area_multiple = shape_.area_multiple;
  result_.slots.assign(shape_.slot_count(), {});
  alloced_.assign(shape_.slot_count(), {});
  alloced_tags_.assign(shape_.area_count, {});

  if (allocated_ >= shape_.new_extents && shape_.log_area_count == 0) return result_;
  if (shape_.area_multiple > 1 && (shape_.new_extents - allocated_) % shape_.area_multiple != 0) {
    return MakeAllocError(
        AllocError::kNotDivisible,
        absl::StrFormat("Number of extents requested (%u) needs to be divisible by %u.",
                        shape_.new_extents - allocated_, shape_.area_multiple));
  }
  log_still_ = shape_.log_area_count;
  policy_ = req_.policy;
  can_split_ = policy_ != Policy::kContiguous;

  PrepareRefs();
  if (strategy_ == ScanStrategy::kReference) {
    // LVM2 builds every map up front, by sorted insertion.
    for (uint32_t m = 0; m < view_.sources.size(); ++m) ListOf(m);
  }

  uint64_t slots = view_.sources.size();
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
  areas_size_ = slots;

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
    if ((allocated_ == shape_.new_extents && !log_still_) || (!can_split_ && allocated_ != old)) {
      break;
    }
  }

  const std::string& lv = req_.lv_name;
  const char* contiguous = can_split_ ? "" : "contiguous ";
  if (allocated_ != shape_.new_extents) {
    const uint32_t missing =
        static_cast<uint32_t>(uint64_t{shape_.new_extents - allocated_} * shape_.area_count) /
        shape_.area_multiple;
    if (!req_.approx) {
      return MakeAllocError(
          AllocError::kInsufficientSuitable,
          absl::StrFormat(
              "Insufficient suitable %sallocatable extents for logical volume %s: %u more required",
              contiguous, lv, missing));
    }
    if (allocated_ == 0) {
      return MakeAllocError(
          AllocError::kNothingFound,
          absl::StrFormat("Insufficient suitable %sallocatable extents found for logical volume %s.",
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
  return std::move(result_);
}

absl::Status AllocationEngine::RunPolicy(Policy p, uint32_t flags) {
  round_in_pass_ = 0;
  do {
    if (DrainSoleSource(p, flags)) continue;  // rounds done in bulk; re-check the loop
    uint32_t max_to_allocate = shape_.new_extents - allocated_;
    const ParallelRange* parallel = nullptr;
    if (!parallel_.empty()) {
      const uint64_t next_le =
          (req_.prev ? req_.prev->le_end : 0) + allocated_ / shape_.area_multiple;
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
      if (req_.maximise_cling && IsCling(p) && (flags & kClingToPrev) && (flags & kPositional)) {
        flags &= ~kPositional;
      } else if (p == Policy::kNormal && (flags & kClingToAlloced)) {
        flags &= ~kClingToAlloced;
      } else {
        break;
      }
    } else if (req_.maximise_cling && p == Policy::kNormal && !(flags & kClingToAlloced)) {
      flags |= kClingToAlloced;
    }
  } while (p != Policy::kContiguous && allocated_ != shape_.new_extents && (flags & kCanSplit) &&
           (!req_.approx || total_free_ != 0));
  return absl::OkStatus();
}

void AllocationEngine::AddPiece(uint32_t slot, const Piece& piece) {
  std::vector<Piece>& pieces = result_.slots[slot];
  // A slot that gets one piece usually gets more (a round each): skip the
  // first steps of doubling from one; a malloc of 16 costs what one of 1 does.
  if (pieces.capacity() == 0) pieces.reserve(16);
  pieces.push_back(piece);
}

void AllocationEngine::ClearSlots() {
  npos_ = 0;
  for (Slot& s : slots_) s.area = kNoArea;
}

void AllocationEngine::SetSlot(uint32_t k, uint32_t area, Extent used) {
  if (k >= areas_size_) {  // LVM2 doubles its array on demand
    uint64_t size = areas_size_;
    while (k >= size) size = size ? size * 2 : 1;
    areas_size_ = size;
  }
  if (k >= slots_.size()) slots_.resize(k + 1, Slot{});
  slots_[k].area = area;
  slots_[k].used = used;
}

bool AllocationEngine::VisitPrev(const std::vector<PrevRef>& refs, uint32_t flags, uint32_t id,
                                 bool contiguity, bool by_tags) {
  const bool positional = flags & kPositional;
  const AreaNode& a = lists_.node(id);
  const SourceHandle handle = view_.sources[a.source].handle;
  for (const PrevRef& ref : refs) {
    if (positional && SlotArea(ref.slot) != kNoArea) continue;
    bool match;
    if (contiguity) {
      match = ref.handle == handle && ref.pe + ref.len == a.start;
    } else if (by_tags) {
      match = matcher_->Match(ref.tags, TagsOf(a.source));
    } else {
      match = ref.handle == handle;
    }
    if (!match) continue;
    if (positional && (ref.slot >= npos_ || ref.slot >= areas_size_)) continue;
    if (positional) SetSlot(ref.slot, id, a.count);
    return true;
  }
  return false;
}

bool AllocationEngine::ClingsToAlloced(uint32_t flags, uint32_t id, bool by_tags) {
  if (log_still_) return false;
  const bool positional = flags & kPositional;
  const uint32_t source = lists_.node(id).source;
  const Extent count = lists_.node(id).count;
  if (!by_tags && strategy_ == ScanStrategy::kReference) {
    // LVM2's loop: every piece of every data slot, oldest first (the cost
    // that makes its 100%FREE quadratic in the pieces placed).
    for (uint32_t s = 0; s < shape_.area_count; ++s) {
      if (positional && SlotArea(s) != kNoArea) continue;
      for (uint32_t piece_source : alloced_[s]) {
        if (piece_source == source) {
          if (positional) SetSlot(s, id, count);
          return true;
        }
      }
    }
    return false;
  }
  if (!by_tags) {
    // The first data slot (in slot order) holding a piece on this source.
    const int32_t held = State(source).alloced;
    if (held < 0) return false;
    if (!positional) return true;
    for (uint32_t s : alloced_slots_[held]) {
      if (positional && SlotArea(s) != kNoArea) continue;
      if (positional) SetSlot(s, id, count);
      return true;
    }
    return false;
  }
  for (uint32_t s = 0; s < shape_.area_count; ++s) {
    if (positional && SlotArea(s) != kNoArea) continue;
    if (strategy_ == ScanStrategy::kIndexed) {
      // Matching any piece's tags is matching their union: every
      // cling_tag_list entry asks for one tag present on both sides.
      if (matcher_->Match(TagsOf(source), alloced_tags_[s])) {
        if (positional) SetSlot(s, id, count);
        return true;
      }
      continue;
    }
    for (uint32_t piece_source : alloced_[s]) {
      if (matcher_->Match(TagsOf(source), TagsOf(piece_source))) {
        if (positional) SetSlot(s, id, count);
        return true;
      }
    }
  }
  return false;
}

bool AllocationEngine::IsParallel(uint32_t m, const ParallelRange& parallel) {
  const SourceHandle handle = view_.sources[m].handle;
  for (const auto& [h, tags] : parallel.sources) {
    if (h == handle) return true;
    if (matcher_ && matcher_->Match(tags, TagsOf(m))) return true;
  }
  return false;
}

AllocationEngine::AreaUse AllocationEngine::Evaluate(Policy p, uint32_t flags, uint32_t id,
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
  if (!iteration && !log_iteration && (flags & kPreferenceFlags)) {
    const bool maximise = req_.maximise_cling;
    const bool count_matches = flags & kCountMatches;
    if (((flags & kContigToPrev) || (maximise && count_matches)) &&
        VisitPrev(prev_last_, flags, id, /*contiguity=*/true, /*by_tags=*/false)) {
      return (flags & kPositional) ? AreaUse::kPreferred : AreaUse::kUse;
    }
    if (flags & kContigToPrev) return AreaUse::kNextArea;
    const std::vector<PrevRef>& cling_refs = maximise ? prev_first_ : prev_last_;
    if (((flags & kClingToPrev) || (maximise && count_matches)) &&
        VisitPrev(cling_refs, flags, id, false, false)) {
      return (flags & kPositional) ? AreaUse::kPreferred : AreaUse::kUse;
    }
    if ((flags & kClingToAlloced) && ClingsToAlloced(flags, id, false)) {
      return (flags & kPositional) ? AreaUse::kPreferred : AreaUse::kUse;
    }
    if (!(flags & kClingByTags) || !matcher_) return AreaUse::kNextSource;
    const bool found = count_matches ? VisitPrev(cling_refs, flags, id, false, /*by_tags=*/true)
                                     : ClingsToAlloced(flags, id, /*by_tags=*/true);
    if (!found) return AreaUse::kNextSource;
    return (flags & kPositional) ? AreaUse::kPreferred : AreaUse::kUse;
  }
  if (a.unreserved * shape_.area_multiple < still_needed &&
      ((!(flags & kCanSplit) && !shape_.log_area_count) ||
       (found_on_source && p != Policy::kAnywhere))) {
    return AreaUse::kNextSource;
  }
  return (flags & kPositional) ? AreaUse::kPreferred : AreaUse::kUse;
}

Extent AllocationEngine::RequiredExtents(Policy p, uint32_t id, uint32_t k,
                                         uint32_t max_to_allocate) {
  Extent required = max_to_allocate / shape_.area_multiple;
  if (p == Policy::kAnywhere) {
    if (k >= shape_.devices_needed()) required = shape_.log_len;
  } else if (required < shape_.log_len) {
    required = shape_.log_len;
  }
  return lists_.Reserve(State(lists_.node(id).source).list, id, required);
}

// The walk of a source that clings (it holds data) in a non-positional
// preference round: every area with space left is accepted and reserved
// (`required` each, as RequiredExtents asks outside anywhere), each replacing
// the previous one as the source's candidate. Returns the last, or kNoArea;
// `used` gets what was reserved of it.
uint32_t AllocationEngine::ClingingWalk(uint32_t list, Extent required, Extent* used) {
  uint32_t last = kNoArea;
  for (uint32_t id = lists_.first(list); id != list;) {
    ++counters_->areas_visited;
    if (lists_.node(id).unreserved != 0) {
      *used = lists_.Reserve(list, id, required);
      last = id;
    }
    id = lists_.next(id);  // read after reserving: follows a moved area
  }
  return last;
}

// One source of one scan (the inner loop of LVM2's _find_some_parallel_space).
void AllocationEngine::ScanOneSource(uint32_t m, Policy p, uint32_t flags,
                                     uint32_t max_to_allocate, uint32_t iteration,
                                     uint32_t log_iteration, uint32_t& ix, uint32_t& preferred) {
  const uint32_t list = ListOf(m);
  Touch(m);
  const bool anywhere = p == Policy::kAnywhere;
  const uint32_t preference = flags & ~(kCanSplit | kPositional);
  if (preference == kClingToAlloced && !iteration && !log_iteration && !log_still_ &&
      State(m).alloced >= 0) {
    // A preferring round on a source that already holds data: Evaluate's
    // answer for each area is known, so the walk skips its dispatch.
    if (flags & kPositional) {
      // The first area with space left clings into the first free slot this
      // source holds data in (preferred), or, with none free, ends the walk.
      for (uint32_t id = lists_.first(list); id != list; id = lists_.next(id)) {
        ++counters_->areas_visited;
        if (lists_.node(id).unreserved == 0) continue;
        if (ClingsToAlloced(flags, id, /*by_tags=*/false)) ++preferred;
        return;
      }
      return;
    }
    // Otherwise every area with space left is accepted.
    Extent used = 0;
    const uint32_t last = ClingingWalk(
        list, std::max<Extent>(max_to_allocate / shape_.area_multiple, shape_.log_len), &used);
    if (last != kNoArea) {
      ++ix;
      SetSlot(ix + npos_ - 1, last, used);
    }
    return;
  }
  bool found_on_source = false;
  for (uint32_t id = lists_.first(list); id != list;) {
    const AreaUse use =
        Evaluate(p, flags, id, max_to_allocate, found_on_source, iteration, log_iteration);
    if (use == AreaUse::kPreferred) {
      ++preferred;
      return;
    }
    if (use == AreaUse::kNextSource) return;
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

// The scan loop over sources (all, or an ordered subset that provably holds
// every source whose state or candidacy this round can change).
void AllocationEngine::ScanSources(const std::vector<uint32_t>* subset, Policy p, uint32_t flags,
                                   const ParallelRange* parallel, uint32_t max_to_allocate,
                                   uint32_t& ix, uint32_t& preferred, uint32_t& log_iteration) {
  const uint32_t devices_needed = shape_.devices_needed();
  const bool anywhere = p == Policy::kAnywhere;
  const uint32_t n = subset ? static_cast<uint32_t>(subset->size())
                            : static_cast<uint32_t>(view_.sources.size());
  uint32_t iteration = 0;
  bool again;
  do {
    const uint32_t last_ix = ix;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t m = subset ? (*subset)[i] : i;
      if (!HasAreas(m)) continue;
      bool skip = false;
      if (!anywhere) {
        if (!log_iteration && parallel && IsParallel(m, *parallel)) {
          skip = true;
        } else if (log_iteration) {
          for (uint32_t s = devices_needed; s < ix + npos_ && !skip; ++s) {
            skip = SlotArea(s) != kNoArea && lists_.node(SlotArea(s)).source == m;
          }
        } else if (iteration) {
          for (uint32_t s = 0; s < devices_needed && !skip; ++s) {
            skip = SlotArea(s) != kNoArea && lists_.node(SlotArea(s)).source == m;
          }
        }
      }
      if (!skip) {
        ScanOneSource(m, p, flags, max_to_allocate, iteration, log_iteration, ix, preferred);
      }
      if ((anywhere && ix + npos_ >= devices_needed + log_still_) ||
          (preferred == npos_ && npos_ == devices_needed + log_still_)) {
        break;
      }
    }
    again = false;
    if (anywhere && last_ix != ix && ix < devices_needed + log_still_) {
      again = true;
    } else if (p == Policy::kNormal && preferred && (preferred < npos_ || log_still_) &&
               (flags & kClingToAlloced)) {
      if (!iteration++) again = true;
    }
    if (!again && p == Policy::kNormal && preferred == npos_ && !req_.logs_require_separate_pvs &&
        ix + preferred >= devices_needed && ix + preferred < devices_needed + log_still_) {
      if (!log_iteration++) again = true;
    }
  } while (again);
}

// A plain round's walk of one source, without slot bookkeeping: its
// candidate (the last area it accepted), or none.
std::optional<AllocationEngine::Candidate> AllocationEngine::WalkPlain(uint32_t m, uint32_t flags,
                                                                       uint32_t max_to_allocate) {
  const uint32_t list = ListOf(m);
  Touch(m);
  std::optional<Candidate> candidate;
  for (uint32_t id = lists_.first(list); id != list;) {
    const AreaUse use = Evaluate(Policy::kNormal, flags, id, max_to_allocate,
                                 candidate.has_value(), 0, 0);
    if (use == AreaUse::kNextSource) break;
    if (use == AreaUse::kUse) {
      const Extent used = RequiredExtents(Policy::kNormal, id, 0, max_to_allocate);
      candidate = Candidate{used, m, id};
    }
    id = lists_.next(id);
  }
  return candidate;
}

// A plain round (no preference, no log, no parallel areas, not anywhere)
// answered from the tree. The candidates LVM2 would sort are: every dirty
// source's (walked exactly), then every clean source's, which is decided by
// its largest area c alone: if c holds the whole request (c * area_multiple
// >= max_to_allocate) the candidate's `used` is the per-area request R, else
// it is c. So in LVM2's stable order the clean candidates are: those that
// fit, in source order (used = R, the largest possible), then the rest by
// (c descending, source order) — the tree's two queries. Only the first
// devices_needed survivors (after tag partitioning) are committed.
//
// State: a clean source that fits is walked (its walk reserves and reorders
// several areas). One that does not fit only has its head area fully
// reserved; if it is not chosen, the next reset moves that head behind its
// equal-sized peers — counted in plain_rounds_ and applied when the source
// is next walked. Clean sources that fit but are never reached exist only if
// the batch was made of fitting candidates alone, which completes the
// request (area_len = R, so allocated reaches new_extents): their state is
// never looked at again.
bool AllocationEngine::PlainRoundIndexed(uint32_t flags, uint32_t max_to_allocate) {
  const uint32_t devices = shape_.devices_needed();
  const uint32_t am = shape_.area_multiple;
  const int64_t fit = (static_cast<int64_t>(max_to_allocate) + am - 1) / am;

  FlushTree();
  std::vector<Candidate>& exact = exact_;
  exact.clear();
  std::vector<uint32_t>& dirty = scratch_ids_;
  dirty.assign(dirty_.begin(), dirty_.end());
  std::sort(dirty.begin(), dirty.end());
  for (uint32_t m : dirty) {
    if (!HasAreas(m)) continue;
    if (auto c = WalkPlain(m, flags, max_to_allocate)) exact.push_back(*c);
  }
  std::stable_sort(exact.begin(), exact.end(),
                   [](const Candidate& a, const Candidate& b) { return a.used > b.used; });

  std::vector<uint32_t>& masked = masked_;
  masked.clear();
  auto mask = [&](uint32_t m) {
    State(m).masked = true;
    tree_->Set(m, -1);
    tree_journal_.push_back(m);
    masked.push_back(m);
  };
  // The lazy stream: fitting sources in source order, then the others by
  // largest area. `pending` is the next lazy candidate, not yet taken.
  bool fitting_phase = true;
  uint32_t from = 0;
  std::optional<Candidate> pending;
  auto next_lazy = [&]() -> std::optional<Candidate> {
    while (fitting_phase) {
      const uint32_t m = tree_->FirstAtLeast(from, fit);
      if (m == MaxTree::kNone) {
        fitting_phase = false;
        break;
      }
      from = m + 1;
      mask(m);
      if (auto c = WalkPlain(m, flags, max_to_allocate)) return c;
    }
    if (!(flags & kCanSplit)) return std::nullopt;  // non-fitting heads give no candidate
    const uint32_t m = tree_->LeftmostMax();
    if (m == MaxTree::kNone) return std::nullopt;
    const int64_t head = tree_->Get(m);
    mask(m);
    return Candidate{static_cast<Extent>(head), m, kNoArea};  // walked only if kept
  };
  auto before = [](const Candidate& a, const Candidate& b) {
    return a.used > b.used || (a.used == b.used && a.source < b.source);
  };

  const bool partition = (flags & kPartitionByTags) != 0;
  TagSet seen;
  std::vector<Candidate>& kept = kept_;
  kept.clear();
  size_t e = 0;
  pending = next_lazy();
  while (kept.size() < devices) {
    Candidate c;
    if (e < exact.size() && (!pending || before(exact[e], *pending))) {
      c = exact[e++];
    } else if (pending) {
      c = *pending;
      pending = next_lazy();
    } else {
      break;
    }
    if (partition) {
      const TagSet& tags = TagsOf(c.source);
      if (matcher_->Match(tags, seen)) continue;  // dropped, as _limit_to_one_area_per_tag does
      MergeTags(seen, tags);
    }
    if (c.area == kNoArea) {
      // A clean, non-fitting source that is kept: walk it now. Its walk
      // reserves exactly its head, which is the predicted candidate.
      std::optional<Candidate> walked = WalkPlain(c.source, flags, max_to_allocate);
      c = *walked;
    }
    kept.push_back(c);
  }
  // A lazy candidate peeked but not taken was never walked: give it back.
  for (uint32_t m : masked) {
    SourceState& st = State(m);
    if (!st.touched) {
      st.masked = false;
      TreeUpdate(m);
    }
  }
  if (kept.size() < devices) return false;
  for (uint32_t s = 0; s < devices; ++s) SetSlot(s, kept[s].area, kept[s].used);
  return true;
}

// A cling-to-allocated round of a one-slot request (no parity, no log, no
// metadata split pending) while exactly one source holds data and has space
// left. LVM2's scan walks that source alone (on every other one the first
// usable area neither clings nor is reserved), reserves every area with
// space left, and the last one is the round's only candidate, committed
// whole or up to the request. The same state changes as ScanSources +
// Commit + SettleTouched for this case (the slot array is not used: nothing
// reads it after a round), without their generality: the rounds that drain
// one PV after another in a large linear allocation (lvcreate -l 100%FREE)
// are almost all of this kind.
bool AllocationEngine::SoleClingApplies(Policy p, uint32_t flags, bool parallel) const {
  return strategy_ == ScanStrategy::kIndexed && !parallel && log_still_ == 0 &&
         p != Policy::kAnywhere && (flags & ~kCanSplit) == kClingToAlloced &&
         shape_.devices_needed() == 1 && !(shape_.alloc_and_split_meta && !split_meta_done_) &&
         alloced_live_.size() == 1;
}

void AllocationEngine::SoleClingRound(Policy p, uint32_t flags, uint32_t max_to_allocate) {
  const uint32_t m = alloced_live_.front();
  const uint32_t list = ListOf(m);
  Touch(m);
  const Extent wanted = max_to_allocate / shape_.area_multiple;
  Extent used = 0;
  const uint32_t last = ClingingWalk(list, std::max<Extent>(wanted, shape_.log_len), &used);
  if (last != kNoArea) {
    const Extent area_len = std::min(wanted, used);
    result_.batches.push_back(Batch{p, round_in_pass_, (flags & kPreferenceFlags) != 0, area_len});
    if (area_len != 0) {
      // The source already holds data in the only data slot: its tags are in
      // that slot's union and its cling bookkeeping is unchanged.
      AddPiece(0, Piece{view_.sources[m].handle, lists_.node(last).start, area_len,
                                       static_cast<uint32_t>(result_.batches.size() - 1)});
      lists_.Consume(list, last, area_len);
      total_free_ -= area_len;
    }
    allocated_ += static_cast<uint32_t>(area_len * shape_.area_multiple);
  }
  SettleTouched();
}

// The steady state of SoleClingRound, run in bulk. Once the sole source X
// has had one such round, every area it has left is reserved (the walk
// reserved each one with space). If X's list is sorted and the request
// still exceeds X's largest area, each further round does exactly this:
//   - the reset walk visits the head of each run of equal-sized areas,
//     restores it and moves it behind its run (a run of one stays), then
//     goes on after the run: the rest of the run keeps its reservation;
//   - the scan walks all of X, reserves the restored heads whole, and its
//     last candidate is the head restored in the last run, now the tail;
//   - that area is committed whole and leaves the list.
// So every run rotates by one per round and the last run is consumed in its
// current order; rounds cost O(1) here instead of two walks of X. The list
// is relinked once, in the order those rounds leave it. Counters advance as
// the rounds would advance them. Returns false (nothing done) unless the
// state above holds.
bool AllocationEngine::DrainSoleSource(Policy p, uint32_t flags) {
  // Rounds of this kind exist only without parallel areas at all (RunPolicy
  // has not picked this round's range yet) and while splitting goes on.
  if (!parallel_.empty() || !SoleClingApplies(p, flags, /*parallel=*/false) ||
      !(flags & kCanSplit) || shape_.area_multiple != 1) {
    return false;
  }
  const uint32_t m = alloced_live_.front();
  if (dirty_.size() != 1 || dirty_.front() != m) return false;
  SourceState& st = State(m);
  if (!st.materialized || st.base != plain_rounds_ || !lists_.Sorted(st.list)) return false;
  const uint32_t list = st.list;
  const Extent head_count = lists_.node(lists_.first(list)).count;
  if (shape_.new_extents - allocated_ < head_count || shape_.log_len > head_count) return false;

  // X's areas in list order, all reserved, as runs of equal counts.
  std::vector<uint32_t>& order = order_scratch_;
  order.clear();
  for (uint32_t id = lists_.first(list); id != list; id = lists_.next(id)) {
    if (lists_.node(id).unreserved != 0) return false;
    order.push_back(id);
  }
  std::vector<uint32_t>& run_start = scratch_ids_;  // index into `order` of each run's first area
  run_start.clear();
  for (uint32_t i = 0; i < order.size(); ++i) {
    if (i == 0 || lists_.node(order[i]).count != lists_.node(order[i - 1]).count) {
      run_start.push_back(i);
    }
  }
  run_start.push_back(static_cast<uint32_t>(order.size()));  // sentinel end

  const SourceHandle handle = view_.sources[m].handle;
  uint64_t rounds = 0;            // rotations every remaining run has had
  uint32_t areas = static_cast<uint32_t>(order.size());
  uint32_t runs = static_cast<uint32_t>(run_start.size() - 1);
  uint32_t next_in_last = 0;      // areas of the last run consumed so far
  uint32_t last_first = 0;        // rotation of the last run when it became last
  bool last_set = false;
  while (areas != 0 && allocated_ != shape_.new_extents &&
         shape_.new_extents - allocated_ >= head_count) {
    const uint32_t lo = run_start[runs - 1], hi = run_start[runs];
    const uint32_t size = hi - lo;
    if (!last_set) {
      last_first = static_cast<uint32_t>(rounds % size);
      next_in_last = 0;
      last_set = true;
    }
    const uint32_t id = order[lo + (last_first + next_in_last) % size];
    ++counters_->rounds;
    counters_->areas_visited += runs + areas;
    ++counters_->sources_touched;
    const Extent len = lists_.node(id).count;
    result_.batches.push_back(Batch{p, round_in_pass_, true, len});
    AddPiece(0, Piece{handle, lists_.node(id).start, len,
                                     static_cast<uint32_t>(result_.batches.size() - 1)});
    total_free_ -= len;
    allocated_ += static_cast<uint32_t>(len);
    ++round_in_pass_;
    ++rounds;
    --areas;
    order[lo + (last_first + next_in_last) % size] = kNoArea;
    if (++next_in_last == size) {
      --runs;
      last_set = false;
    }
  }
  if (rounds == 0) return false;

  // Relink: earlier runs rotated by `rounds`, the last one minus what it lost.
  std::vector<uint32_t>& relinked = subset_;
  relinked.clear();
  for (uint32_t r = 0; r < runs; ++r) {
    const uint32_t lo = run_start[r], size = run_start[r + 1] - lo;
    const uint32_t first = (r + 1 == runs && last_set) ? last_first + next_in_last
                                                        : static_cast<uint32_t>(rounds % size);
    for (uint32_t j = 0; j < size; ++j) {
      const uint32_t id = order[lo + (first + j) % size];
      if (id != kNoArea) relinked.push_back(id);
    }
  }
  lists_.Relink(list, relinked);
  if (areas == 0) {  // as SettleTouched leaves an emptied source
    alloced_live_.clear();
    st.dirty = false;
    dirty_.clear();
  }
  return true;
}

// The cling pass's rounds of a striped request once every data slot has one
// holder source and every such source one slot (after the first batch of an
// `lvcreate -i N` that did not fit in it), while no area carries a tentative
// reservation. LVM2's scan then walks only those sources, in source order;
// on each, the first area (the head: nothing is reserved) clings into the
// source's slot and counts as preferred, and the scan stops when the last
// slot is filled. Nothing is reserved and no candidate is sorted, so the
// commit takes area_len = min(request per area, smallest head) from every
// head in slot order. This does the same, with the same state changes and
// counters as ScanSources + Commit + SettleTouched, without their
// generality: a striped allocation larger than its first batch spends
// almost all its rounds here.
//
// Between such rounds only heads are read, and a head only shrinks (or goes):
// LVM2 re-inserts it behind every area at least as large, which in a sorted
// list is the order (count descending, then insertion order). So while these
// rounds go on, each holder's list is kept as a heap on that key (StripeHead)
// instead of walking the list per re-insert; FlushStripeHeaps relinks the
// lists in that order before anything else reads them. (Insertion numbers
// fit 32 bits: an area of c extents is inserted at most c times.)
bool AllocationEngine::StripeClingRound(Policy p, uint32_t flags, const ParallelRange* parallel,
                                        uint32_t max_to_allocate) {
  const uint32_t n = shape_.area_count;
  if (strategy_ != ScanStrategy::kIndexed || parallel || log_still_ != 0 ||
      p == Policy::kAnywhere || (flags & ~kCanSplit) != (kClingToAlloced | kPositional) ||
      shape_.parity_count != 0 || (shape_.alloc_and_split_meta && !split_meta_done_) ||
      !dirty_.empty() || alloced_live_.size() != n || n < 2 ||
      max_to_allocate / shape_.area_multiple == 0) {
    FlushStripeHeaps();
    return false;
  }
  std::vector<uint32_t>& holder = holder_of_slot_;
  if (!stripe_heaps_active_) {
    holder.assign(n, kNoArea);
    for (uint32_t m : alloced_live_) {
      const SourceState& st = State(m);
      const std::vector<uint32_t>& held = alloced_slots_[st.alloced];
      if (held.size() != 1 || holder[held[0]] != kNoArea || !st.materialized ||
          st.base != plain_rounds_ || lists_.empty(st.list) || !lists_.Sorted(st.list)) {
        return false;
      }
      holder[held[0]] = m;
    }
    // Every slot has its own holder (n holders, n slots, none shared), each
    // with a sorted list of clean areas: one heap per slot, inserted in list order
    // (a sorted array is already a heap).
    stripe_heaps_.resize(n);
    stripe_seq_ = 0;
    for (uint32_t s = 0; s < n; ++s) {
      std::vector<StripeHead>& heap = stripe_heaps_[s];
      heap.clear();
      heap.reserve(view_.sources[holder[s]].num_areas);  // at least the list's length
      const uint32_t list = State(holder[s]).list;
      for (uint32_t id = lists_.first(list); id != list; id = lists_.next(id)) {
        heap.push_back(StripeHead{StripeKey(lists_.node(id).count, stripe_seq_++), id});
      }
    }
    stripe_heaps_active_ = true;
    // What settling each round would do to the holders: their tree leaves
    // (pending until FlushTree, which only a plain round runs, after the
    // heaps end) and nothing else (touched and masked end false, base is
    // plain_rounds_ already: no plain round runs meanwhile).
    for (uint32_t m : alloced_live_) TreeUpdate(m);
  }
  // While the heaps are active the holders are unchanged: alloced_live_
  // loses a source only when its heap empties, which ends them below.
  Extent area_len = max_to_allocate / shape_.area_multiple;
  counters_->sources_touched += n;  // the scan walks each holder's head
  counters_->areas_visited += n;
  for (uint32_t s = 0; s < n; ++s) {
    area_len = std::min<Extent>(area_len, stripe_heaps_[s].front().key >> 32);
  }
  const uint32_t batch = static_cast<uint32_t>(result_.batches.size());
  result_.batches.push_back(Batch{p, round_in_pass_, true, area_len});
  bool emptied = false;
  for (uint32_t s = 0; s < n; ++s) {
    std::vector<StripeHead>& heap = stripe_heaps_[s];
    AreaNode& a = lists_.node(heap.front().id);
    // A piece per round: grow by 4x (up to 1,024), not by doubling.
    std::vector<Piece>& pieces = result_.slots[s];
    if (pieces.size() == pieces.capacity() && pieces.capacity() < 1024) {
      pieces.reserve(std::max<size_t>(16, pieces.capacity() * 4));
    }
    AddPiece(s, Piece{view_.sources[holder[s]].handle, a.start, area_len, batch});
    // As Consume: the head shrinks and goes behind its equals, or goes.
    // (The source's tags are already in the slot's union; its slot and
    // liveness only change if its list empties.)
    StripeHead top;
    if (area_len < a.count) {
      a.start += static_cast<uint32_t>(area_len);
      a.count -= static_cast<uint32_t>(area_len);
      a.unreserved = a.count;
      top = StripeHead{StripeKey(a.count, stripe_seq_++), heap.front().id};
    } else {
      top = heap.back();
      heap.pop_back();
      if (heap.empty()) {
        emptied = true;
        total_free_ -= area_len;
        continue;
      }
    }
    SiftDownStripeHead(heap, top);
    total_free_ -= area_len;
  }
  allocated_ += static_cast<uint32_t>(area_len * shape_.area_multiple);
  if (emptied) {
    // A holder has no area left: back to lists, and settle as the scan's
    // touches would (SettleTouched drops it from the live set).
    FlushStripeHeaps();
    for (uint32_t m : alloced_live_) {
      SourceState& st = State(m);
      if (!st.touched) {
        st.touched = true;
        touched_.push_back(m);
      }
    }
    SettleTouched();
  }
  return true;
}

// Puts `top` at the root of `heap` (the root's old entry is gone) and sifts it
// down: every entry comes before (is not after) its children.
void AllocationEngine::SiftDownStripeHead(std::vector<StripeHead>& heap, StripeHead top) {
  const size_t size = heap.size();
  size_t i = 0;
  while (true) {
    size_t child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child].key < heap[child + 1].key) ++child;
    if (top.key > heap[child].key) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = top;
}

void AllocationEngine::FlushStripeHeaps() {
  if (!stripe_heaps_active_) return;
  stripe_heaps_active_ = false;
  std::vector<uint32_t>& ids = subset_;
  for (uint32_t s = 0; s < stripe_heaps_.size(); ++s) {
    std::vector<StripeHead>& heap = stripe_heaps_[s];
    std::sort(heap.begin(), heap.end(),
              [](const StripeHead& a, const StripeHead& b) { return a.key > b.key; });
    ids.clear();
    for (const StripeHead& h : heap) ids.push_back(h.id);
    lists_.Relink(State(holder_of_slot_[s]).list, ids);
  }
}

absl::Status AllocationEngine::OneRound(Policy p, uint32_t flags, const ParallelRange* parallel,
                                        uint32_t max_to_allocate) {
  ++counters_->rounds;
  ClearSlots();
  ResetLists();

  const uint32_t devices_needed = shape_.devices_needed();
  if (flags & kPositional) {
    if (flags & (kContigToPrev | kClingToPrev)) {
      npos_ = req_.prev->stripes_per_image * req_.prev->area_count;
    } else if (flags & kClingToAlloced) {
      npos_ = shape_.area_count;
    }
  }
  uint32_t ix = 0, preferred = 0, log_iteration = 0;

  const bool indexed = strategy_ == ScanStrategy::kIndexed;
  const bool simple = indexed && !parallel && log_still_ == 0 && p != Policy::kAnywhere;
  if (SoleClingApplies(p, flags, parallel != nullptr)) {
    SoleClingRound(p, flags, max_to_allocate);
    return absl::OkStatus();
  }
  if (StripeClingRound(p, flags, parallel, max_to_allocate)) return absl::OkStatus();
  const bool plain = simple && !(flags & (kPreferenceFlags | kPositional)) &&
                     max_to_allocate / shape_.area_multiple >= shape_.log_len;
  if (plain) {
    const bool ready = PlainRoundIndexed(flags, max_to_allocate);
    if (flags & kCanSplit) ++plain_rounds_;
    absl::Status status = ready ? Commit(p, flags, max_to_allocate, 0) : absl::OkStatus();
    SettleTouched();
    return status;
  }
  if (simple && (flags & kPreferenceFlags) && !((flags & kClingByTags) && matcher_)) {
    // Preference rounds: only sources a preference can match are walked; for
    // every other source LVM2's walk stops at its first usable area with no
    // reservation.
    std::vector<uint32_t>& subset = subset_;
    subset.assign(alloced_live_.begin(), alloced_live_.end());
    const bool count_matches = flags & kCountMatches;
    const bool maximise = req_.maximise_cling;
    auto add_refs = [&](const std::vector<PrevRef>& refs) {
      for (const PrevRef& r : refs) {
        const uint32_t m = view_.index_of.Find(r.handle);
        if (m != HandleTable::kNone) subset.push_back(m);
      }
    };
    if ((flags & kContigToPrev) || (maximise && count_matches)) add_refs(prev_last_);
    if ((flags & kClingToPrev) || (maximise && count_matches)) {
      add_refs(maximise ? prev_first_ : prev_last_);
    }
    if (subset.size() != alloced_live_.size()) {  // alloced_live_ alone is sorted and unique
      std::sort(subset.begin(), subset.end());
      subset.erase(std::unique(subset.begin(), subset.end()), subset.end());
    }
    ScanSources(&subset, p, flags, parallel, max_to_allocate, ix, preferred, log_iteration);
  } else {
    ScanSources(nullptr, p, flags, parallel, max_to_allocate, ix, preferred, log_iteration);
  }

  absl::Status status = absl::OkStatus();
  auto finish = [&]() {
    SettleTouched();
    return status;
  };
  if (preferred < npos_ && !(flags & kClingToAlloced) && ix == 0) return finish();
  if (ix + preferred < devices_needed + log_still_) return finish();

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
      if (SlotArea(s) == kNoArea) {
        SetSlot(s, SlotArea(npos_), slots_[npos_].used);
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
    if (req_.logs_require_separate_pvs && too_small && too_small >= devices_needed) return finish();
    if (npos_ + ix < too_small + shape_.log_area_count) return finish();
    log_offset = npos_ + ix - (too_small + shape_.log_area_count);
  }
  if (ix + npos_ < devices_needed) return finish();

  if ((flags & kPartitionByTags) && npos_ == 0) {
    PartitionByTags(log_offset, ix);
    if (log_still_) {
      too_small = 0;
      while (too_small < ix && SlotArea(ix - 1 - too_small) != kNoArea &&
             slots_[ix - 1 - too_small].used < shape_.log_len) {
        ++too_small;
      }
      if (ix < too_small + shape_.log_area_count) return finish();
      log_offset = ix - too_small - shape_.log_area_count;
    }
    if (ix < devices_needed + (log_still_ ? log_still_ + too_small : 0)) return finish();
  }

  status = Commit(p, flags, max_to_allocate, log_offset);
  if (status.ok()) log_still_ = 0;
  return finish();
}

void AllocationEngine::PartitionByTags(uint32_t log_offset, uint32_t& ix) {
  TagSet seen;
  uint32_t s = 0, u = 0;
  while (s < slots_.size() && slots_[s].area != kNoArea) {
    if (u == log_offset) seen.clear();
    const TagSet& tags = TagsOf(lists_.node(slots_[s].area).source);
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

absl::Status AllocationEngine::Commit(Policy p, uint32_t flags, uint32_t max_to_allocate,
                                      uint32_t log_offset) {
  const uint32_t devices = shape_.devices_needed();
  const uint32_t total = devices + log_still_;
  Extent area_len = max_to_allocate / shape_.area_multiple;
  for (uint32_t s = 0; s < devices; ++s) area_len = std::min(area_len, slots_[s].used);

  const bool split = shape_.alloc_and_split_meta && !split_meta_done_;
  const uint32_t batch = static_cast<uint32_t>(result_.batches.size());
  result_.batches.push_back(Batch{p, round_in_pass_, (flags & kPreferenceFlags) != 0, area_len});
  // LVM2 skips with area_count, not counting parity: logs never meet parity.
  int64_t skip = 0;
  Extent len = area_len;
  std::vector<uint32_t>& used_up = scratch_ids_;  // areas this batch consumed whole
  used_up.clear();
  bool placed = false;
  for (uint32_t s = 0; s < total; ++s) {
    if (s == devices) {
      skip = int64_t{log_offset} - shape_.area_count;
      len = shape_.log_len;
    }
    const uint32_t id = slots_[static_cast<size_t>(s + skip)].area;
    if (std::find(used_up.begin(), used_up.end(), id) != used_up.end() ||
        (!split && len > lists_.node(id).count)) {
      // A log sharing an area with data (spec §7.5) can find it used up (LVM2
      // then takes the log from the area's stale start, allocating those
      // extents twice) or shorter than the log (LVM2 aborts on an assertion
      // in consume_pv_area). Refuse the batch instead.
      return MakeAllocError(
          AllocError::kWouldDoubleBook,
          absl::StrFormat("LVM2 2.03.16 would allocate extents %u-%u of a PV that are not free "
                          "here (log placed on an area this batch used); refusing.",
                          lists_.node(id).start, lists_.node(id).start + len - 1));
    }
    const uint32_t src = lists_.node(id).source;
    const uint32_t list = State(src).list;
    const SourceHandle handle = view_.sources[src].handle;
    if (split) {
      const uint32_t m = s + devices;
      if (shape_.log_len > lists_.node(id).count) {
        return MakeAllocError(AllocError::kMetadataDoesNotFit, "Metadata does not fit on a single PV.");
      }
      AddPiece(m, Piece{handle, lists_.node(id).start, shape_.log_len, batch});
      placed = true;
      if (strategy_ == ScanStrategy::kReference) alloced_[m].push_back(src);
      if (shape_.log_len == lists_.node(id).count) used_up.push_back(id);
      lists_.Consume(list, id, shape_.log_len);
      total_free_ -= shape_.log_len;
      if (len < shape_.log_len) {
        // LVM2 2.03.16 computes this area's data as len - log_len in 32 bits
        // (a cache pool adds its metadata to the total once, yet splits it
        // from every stripe), wraps, and aborts on consume_pv_area's
        // assertion. Refuse with a message that says so.
        return MakeAllocError(
            AllocError::kMetadataDoesNotFit,
            absl::StrFormat("Metadata of %u extents does not fit in a parallel area of %u "
                            "extents (LVM2 2.03.16 would underflow and abort here); refusing.",
                            shape_.log_len, len));
      }
    }
    const Extent n = split ? len - shape_.log_len : len;
    if (n == 0) continue;
    AddPiece(s, Piece{handle, lists_.node(id).start, n, batch});
    placed = true;
    if (strategy_ == ScanStrategy::kReference) alloced_[s].push_back(src);
    if (s < shape_.area_count) {
      if (matcher_) MergeTags(alloced_tags_[s], TagsOf(src));
      SourceState& st = State(src);
      if (st.alloced < 0) {
        st.alloced = static_cast<int32_t>(alloced_slots_.size());
        alloced_slots_.emplace_back();
      }
      std::vector<uint32_t>& in = alloced_slots_[st.alloced];
      if (std::find(in.begin(), in.end(), s) == in.end()) {
        in.insert(std::upper_bound(in.begin(), in.end(), s), s);
      }
      auto live = std::lower_bound(alloced_live_.begin(), alloced_live_.end(), src);
      if (live == alloced_live_.end() || *live != src) alloced_live_.insert(live, src);
    }
    if (n == lists_.node(id).count) used_up.push_back(id);
    lists_.Consume(list, id, n);
    total_free_ -= n;
  }
  // A batch whose area_len rounds down to 0 (max_to_allocate below
  // area_multiple, as at a parallel-area boundary) places nothing: LVM2
  // skips its empty areas and keeps no trace of it, so neither does the
  // Result.
  if (!placed) result_.batches.pop_back();
  if (shape_.alloc_and_split_meta) split_meta_done_ = true;
  allocated_ += static_cast<uint32_t>(area_len * shape_.area_multiple);
  return absl::OkStatus();
}

}  // namespace liballoc
