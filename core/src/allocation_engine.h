// One allocation call: LVM2 2.03.16's _allocate (spec §4–§7) — the policy
// ladder, its rounds, the per-round scan, candidate sort and commit.
//
// Two scan strategies share everything else:
//   - kReference walks every source and every area each round, as LVM2 does.
//   - kIndexed walks only what can change the outcome and keeps the rest
//     implicit. Its invariants (each argued in allocation_engine.cc):
//       * a source is *lazy* when all its areas are unreserved ("clean"); a
//         clean list is sorted by count, so its candidate in a plain round is
//         decided by its largest area alone, and the only lasting effect of a
//         plain round on an unchosen lazy source is that the next reset moves
//         its head area behind its equal-sized peers. That rotation is
//         counted, not performed, until the source is next walked;
//       * a *dirty* source (some reservation survived a reset) is walked
//         exactly every round, as LVM2 would;
//       * rounds whose outcome depends on cling/contiguity preferences walk
//         only the sources those preferences can match; no other source
//         changes state in such a round;
//       * any other round (parallel areas, logs, tag-based cling, anywhere)
//         falls back to walking every source: exact by construction.
#ifndef LIBALLOC_SRC_ALLOCATION_ENGINE_H_
#define LIBALLOC_SRC_ALLOCATION_ENGINE_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "alloc_shape.h"
#include "area_list.h"
#include "free_space_view.h"
#include "liballoc/allocator.h"
#include "max_tree.h"
#include "tag_matcher.h"

namespace liballoc {

enum class ScanStrategy { kReference, kIndexed };

// Per-source state of one call. Stamped with the call's epoch so an AreaIndex
// can keep the array across calls and pay nothing for sources a call never
// touches.
struct SourceState {
  uint32_t stamp = 0;
  uint32_t list = 0;      // sentinel in AreaLists, valid if materialized
  uint32_t base = 0;      // plain rounds already applied to the list
  bool materialized = false;
  bool dirty = false;
  bool touched = false;   // walked in the current round
  bool masked = false;    // temporarily out of the tree in the current round
  bool tree_pending = false;  // its tree leaf awaits FlushTree
  int32_t alloced = -1;   // index into the engine's data-slot lists, -1: none
};

// Storage for the per-source states: zeroed bytes, each SourceState built in
// its slot when the engine first uses it in a call (State). A zero stamp
// matches no epoch, so zeroed storage needs no other initialization: one
// memset instead of constructing every state (at 4,096 sources, filling
// 80 KiB state by state was several percent of a one-shot call).
class SourceStateStore {
 public:
  // Zeroed storage for n states, none built.
  void Assign(size_t n) {
    slots_.reset(new unsigned char[n * sizeof(SourceState)]());
    size_ = n;
  }
  // Every state forgotten (zero stamps), for an epoch that wrapped.
  void Zero() { std::memset(slots_.get(), 0, size_ * sizeof(SourceState)); }
  size_t size() const { return size_; }
  size_t capacity() const { return size_; }
  unsigned char* Slot(uint32_t m) { return slots_.get() + size_t{m} * sizeof(SourceState); }

 private:
  std::unique_ptr<unsigned char[]> slots_;
  size_t size_ = 0;
};

// Memory an engine reuses between calls.
struct EngineScratch {
  SourceStateStore states;
  uint32_t epoch = 0;
  AreaLists lists;
  // One-shot calls (scratch used once): the first list built reserves room
  // for every list the call could build, instead of growing by doubling
  // (which copies the nodes and, on large VGs, maps and faults in fresh
  // memory at every step; untouched capacity costs address space only). A
  // persistent index keeps its lists' memory across calls and must not.
  bool reserve_all_lists = false;

  void Prepare(size_t num_sources);
};

class AllocationEngine {
 public:
  // `tree` (indexed only) holds each source's largest area for every clean
  // source and is left in that state on return, updated for what the call
  // consumed. The view must outlive the engine.
  AllocationEngine(const Request& request, const AllocShape& shape,
                   const FreeSpaceView& view, ScanStrategy strategy,
                   EngineScratch* scratch, MaxTree* tree, WorkCounters* counters);

  absl::StatusOr<Result> Run();

  // Sources whose tree entry this call changed (an AreaIndex restores them
  // from its own state afterwards).
  std::vector<uint32_t>& tree_journal() { return tree_journal_; }

 private:
  enum class AreaUse { kNextArea, kNextSource, kPreferred, kUse };
  struct Slot {
    uint32_t area = kNoArea;
    Extent used = 0;  // survives ClearSlots, as LVM2's does
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
  struct Candidate {
    Extent used;
    uint32_t source;
    uint32_t area;
  };
  static constexpr uint32_t kNoArea = 0xffffffffu;

  // Setup and the ladder (spec §4, §5).
  void PrepareRefs();
  absl::Status CheckSufficientFree() const;
  uint32_t InitFlags(Policy p) const;
  absl::Status RunPolicy(Policy p, uint32_t flags);

  // One round (spec §7): reset, scan, choose, commit.
  absl::Status OneRound(Policy p, uint32_t flags, const ParallelRange* parallel,
                        uint32_t max_to_allocate);
  void ResetLists();
  bool PlainRoundIndexed(uint32_t flags, uint32_t max_to_allocate);
  uint32_t ClingingWalk(uint32_t list, Extent required, Extent* used);
  // Whether a round with these flags is a SoleClingRound (see there).
  bool SoleClingApplies(Policy p, uint32_t flags, bool parallel) const;
  void SoleClingRound(Policy p, uint32_t flags, uint32_t max_to_allocate);
  bool DrainSoleSource(Policy p, uint32_t flags);
  // A positional cling-to-allocated round in which every data slot has one
  // holder (see there); false, with nothing done, if the round is not one.
  bool StripeClingRound(Policy p, uint32_t flags, const ParallelRange* parallel,
                        uint32_t max_to_allocate);
  // A holder's area while StripeClingRound keeps its list as a heap: `key`
  // orders it as the list does, higher first: the count above, the
  // complemented insertion order below (among equal counts, the area
  // inserted first comes first).
  struct StripeHead {
    uint64_t key;
    uint32_t id;
  };
  static uint64_t StripeKey(uint32_t count, uint32_t seq) {
    return (uint64_t{count} << 32) | ~seq;
  }
  static void SiftDownStripeHead(std::vector<StripeHead>& heap, StripeHead top);
  void FlushStripeHeaps();  // relinks the holders' lists in heap order
  void ScanSources(const std::vector<uint32_t>* subset, Policy p, uint32_t flags,
                   const ParallelRange* parallel, uint32_t max_to_allocate,
                   uint32_t& ix, uint32_t& preferred, uint32_t& log_iteration);
  void ScanOneSource(uint32_t m, Policy p, uint32_t flags, uint32_t max_to_allocate,
                     uint32_t iteration, uint32_t log_iteration, uint32_t& ix,
                     uint32_t& preferred);
  std::optional<Candidate> WalkPlain(uint32_t m, uint32_t flags, uint32_t max_to_allocate);
  AreaUse Evaluate(Policy p, uint32_t flags, uint32_t id, uint32_t still_needed,
                   bool found_on_source, uint32_t iteration, uint32_t log_iteration);
  bool VisitPrev(const std::vector<PrevRef>& refs, uint32_t flags, uint32_t id,
                 bool contiguity, bool by_tags);
  bool ClingsToAlloced(uint32_t flags, uint32_t id, bool by_tags);
  bool IsParallel(uint32_t m, const ParallelRange& parallel);
  Extent RequiredExtents(Policy p, uint32_t id, uint32_t k, uint32_t max_to_allocate);
  void PartitionByTags(uint32_t log_offset, uint32_t& ix);
  absl::Status Commit(Policy p, uint32_t flags, uint32_t max_to_allocate,
                      uint32_t log_offset);

  // Slots: a logical array of `areas_size_` entries, physically grown only
  // as far as it is written, so a call never pays for all sources.
  uint32_t SlotArea(uint32_t k) const { return k < slots_.size() ? slots_[k].area : kNoArea; }
  void SetSlot(uint32_t k, uint32_t area, Extent used);
  void AddPiece(uint32_t slot, const Piece& piece);
  void ClearSlots();

  // Per-source state and lists.
  SourceState& State(uint32_t m);
  uint32_t ListOf(uint32_t m);  // materializes the source if needed
  bool HasAreas(uint32_t m);
  const TagSet& TagsOf(uint32_t m);
  void Touch(uint32_t m);
  void SettleTouched();
  void TreeUpdate(uint32_t m);  // queues the leaf for FlushTree
  void FlushTree();

  const Request& req_;
  const AllocShape& shape_;
  const FreeSpaceView& view_;
  const ScanStrategy strategy_;
  EngineScratch& scratch_;
  MaxTree* tree_;
  WorkCounters* counters_;
  WorkCounters local_counters_;
  AreaLists& lists_;

  TagInterner interner_;
  std::optional<TagMatcher> matcher_;
  // Node-based: TagsOf hands out references that must survive later inserts
  // (a match compares two sources' tags, each looked up on demand).
  absl::node_hash_map<uint32_t, TagSet> tags_;
  std::vector<PrevRef> prev_last_;
  std::vector<PrevRef> prev_first_;
  std::vector<ParallelRange> parallel_;

  std::vector<Slot> slots_;
  uint64_t areas_size_ = 0;
  uint32_t npos_ = 0;
  uint32_t allocated_ = 0;
  uint32_t log_still_ = 0;
  uint64_t total_free_ = 0;
  bool split_meta_done_ = false;
  Policy policy_ = Policy::kNormal;  // LVM2's ah->alloc: may be raised
  bool can_split_ = true;            // fixed at the start: false for contiguous
  uint32_t round_in_pass_ = 0;

  // Indexed bookkeeping.
  uint32_t plain_rounds_ = 0;              // rotations owed to untouched lazy sources
  std::vector<uint32_t> dirty_;            // sources with surviving reservations
  std::vector<uint32_t> touched_;          // walked this round
  std::vector<uint32_t> alloced_live_;     // sources holding data pieces, not empty; sorted
  // Per source holding data pieces: the data slots it holds pieces of, in
  // slot order (SourceState::alloced indexes this).
  std::vector<std::vector<uint32_t>> alloced_slots_;

  std::vector<uint32_t> tree_journal_;
  std::vector<uint32_t> tree_pending_;     // sources whose leaf may be stale

  // Per-round scratch, kept to avoid allocating every round.
  std::vector<uint32_t> scratch_ids_;
  std::vector<uint32_t> order_scratch_;  // DrainSoleSource's runs
  std::vector<uint32_t> holder_of_slot_;  // StripeClingRound's slot -> source
  std::vector<std::vector<StripeHead>> stripe_heaps_;  // per slot, while active
  bool stripe_heaps_active_ = false;
  uint32_t stripe_seq_ = 0;
  std::vector<uint64_t> sort_keys_;      // ListOf's sort
  std::vector<uint32_t> subset_;
  std::vector<uint32_t> masked_;
  std::vector<Candidate> exact_;
  std::vector<Candidate> kept_;

  Result result_;
  // Per result slot: the source of each piece (the reference's cling walks;
  // the indexed strategy keeps alloced_slots_ and alloced_tags_ instead).
  std::vector<std::vector<uint32_t>> alloced_;
  std::vector<TagSet> alloced_tags_;           // per data slot: union of its pieces' tags
};

}  // namespace liballoc

#endif  // LIBALLOC_SRC_ALLOCATION_ENGINE_H_
