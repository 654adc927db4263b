// Per-source free-area lists with LVM2's exact ordering rules (spec §3.2).
//
// Each source's areas form a doubly linked list kept roughly in descending
// size. The exactness of the primitives decides tie-breaks, so they are
// reproduced literally:
//   - Insert(key) places an area before the first element whose `count` is
//     strictly smaller than `key`: after all equal-sized ones.
//   - A walk reads the successor *after* processing the current element; if
//     processing moved it, the walk continues from its new position.
// Nodes live in one vector (index links, no pointers) so lists survive growth
// and cost no allocation per area. A list is identified by its sentinel node,
// created on demand, so an allocation that touches few sources builds few
// lists. A sentinel's `count` holds the list's free extents, its
// `unreserved` the number of its areas holding a tentative reservation, and
// its `start` whether the list is known to be sorted (see Sorted()).
//
// Re-inserting an area at its own count is what most operations do (a reset,
// a consume, a rotation); LVM2 searches from the head, which makes a reset
// quadratic in the list length. In a list whose counts are non-increasing
// from the head, every area before the moved one's old position has a count
// at least the key, so the search may start at its old successor: same
// position, without the walk over the prefix.
#ifndef LIBALLOC_SRC_AREA_LIST_H_
#define LIBALLOC_SRC_AREA_LIST_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "liballoc/request.h"

namespace liballoc {

// 32-bit extents: LVM2 counts extents in 32 bits and every source reaching
// an engine has pe_count <= 2^32-1 (BuildView, AreaIndex::Build), so starts,
// counts and a list's total fit. 24 bytes a node: lists are walked by
// pointer chasing and a large call builds tens of thousands of them.
struct AreaNode {
  uint32_t start = 0;
  uint32_t count = 0;
  uint32_t unreserved = 0;
  uint32_t source = 0;
  uint32_t prev = 0;
  uint32_t next = 0;
};

class AreaLists {
 public:
  void Clear() { nodes_.clear(); }
  void Reserve(size_t nodes) { nodes_.reserve(nodes); }
  size_t capacity() const { return nodes_.capacity(); }
  // Gives the nodes' memory back (Clear keeps it for the next call).
  void Release() { std::vector<AreaNode>().swap(nodes_); }

  // A new empty list for `source`; returns its sentinel.
  uint32_t NewList(uint32_t source) {
    const uint32_t id = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(AreaNode{kSorted, 0, 0, source, id, id});
    return id;
  }

  // Creates an area and inserts it by its count, walking the list as LVM2's
  // map build does (quadratic in the list length: the reference's cost).
  uint32_t Create(uint32_t list, Extent start, Extent count) {
    const uint32_t id = NewNode(list, start, count);
    LinkBefore(id, SearchFrom(list, nodes_[list].next, count));
    return id;
  }

  // Fills the empty list `list` with n areas already in LVM2's order (count
  // descending, creation order on ties), area_at(i) giving the i-th: the
  // list n sorted insertions would build, without walking. Their ids are
  // consecutive from the one returned.
  template <class AreaAt>
  uint32_t FillInOrder(uint32_t list, uint32_t n, AreaAt area_at) {
    const uint32_t first = static_cast<uint32_t>(nodes_.size());
    if (n == 0) return first;
    const uint32_t source = nodes_[list].source;
    nodes_.resize(nodes_.size() + n);
    AreaNode* out = nodes_.data() + first;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const Area& a = area_at(i);
      const auto c = static_cast<uint32_t>(a.count);
      out[i] = AreaNode{static_cast<uint32_t>(a.start), c, c, source,
                        i == 0 ? list : first + i - 1, i + 1 == n ? list : first + i + 1};
      total += c;
    }
    AreaNode& sentinel = nodes_[list];
    sentinel.next = first;
    sentinel.prev = first + n - 1;
    sentinel.count += static_cast<uint32_t>(total);
    return first;
  }

  AreaNode& node(uint32_t id) { return nodes_[id]; }
  const AreaNode& node(uint32_t id) const { return nodes_[id]; }
  uint32_t first(uint32_t list) const { return nodes_[list].next; }
  uint32_t next(uint32_t id) const { return nodes_[id].next; }
  bool empty(uint32_t list) const { return nodes_[list].next == list; }
  Extent free(uint32_t list) const { return nodes_[list].count; }
  // True if the list's counts are known to be non-increasing from the head.
  // Only a partial reservation (re-inserted by what is left unreserved) can
  // break that; a reset that leaves the list in order restores it.
  bool Sorted(uint32_t list) const { return nodes_[list].start == kSorted; }

  // Commits `n` extents from the start of area `id` (LVM2's consume_pv_area).
  void Consume(uint32_t list, uint32_t id, Extent n) {
    AreaNode& a = nodes_[id];
    if (a.unreserved != a.count) --nodes_[list].unreserved;
    const uint32_t taken = n < a.count ? static_cast<uint32_t>(n) : a.count;
    nodes_[list].count -= taken;
    if (taken < a.count) {
      a.start += taken;
      a.count -= taken;
      a.unreserved = a.count;
      Reinsert(list, id, a.count);
    } else {
      Unlink(id);
    }
  }

  // Tentatively reserves `n` (< unreserved) or all of area `id`, as LVM2's
  // _calc_required_extents does; returns what was reserved.
  Extent Reserve(uint32_t list, uint32_t id, Extent n) {
    AreaNode& a = nodes_[id];
    if (a.unreserved == a.count) ++nodes_[list].unreserved;
    if (n >= a.unreserved) {
      n = a.unreserved;
      a.unreserved = 0;  // stays where it is in the list
    } else {
      a.unreserved -= static_cast<uint32_t>(n);
      // Moves by what is left: the list's counts may fall out of order.
      Reinsert(list, id, a.unreserved);
      nodes_[list].start = kUnsorted;
    }
    return n;
  }

  // Restores every tentative reservation reached by LVM2's live walk; areas
  // the walk skips keep theirs (the reset quirk, spec E5). Returns the number
  // of areas visited.
  uint64_t Reset(uint32_t list) {
    uint64_t visited = 0;
    const bool sorted = Sorted(list);
    for (uint32_t id = first(list); id != list;) {
      ++visited;
      AreaNode& a = nodes_[id];
      if (a.unreserved != a.count) {
        a.unreserved = a.count;
        --nodes_[list].unreserved;
        Reinsert(list, id, a.count);
      }
      id = nodes_[id].next;
    }
    if (!sorted) {
      bool in_order = true;
      for (uint32_t id = first(list); in_order && nodes_[id].next != list; id = nodes_[id].next) {
        in_order = nodes_[id].count >= nodes_[nodes_[id].next].count;
      }
      if (in_order) nodes_[list].start = kSorted;
    }
    return visited;
  }

  // True if no area of the list holds a tentative reservation.
  bool Clean(uint32_t list) const { return nodes_[list].unreserved == 0; }

  // Moves the head area behind its equal-sized peers, `times` times: what a
  // plain round's full reservation of the head followed by the next reset
  // does to a clean list.
  void RotateHeadRun(uint32_t list, uint64_t times) {
    if (empty(list) || times == 0) return;
    const Extent head = nodes_[first(list)].count;
    uint64_t run = 0;
    for (uint32_t id = first(list); id != list && nodes_[id].count == head; id = nodes_[id].next) ++run;
    times %= run;
    for (uint64_t i = 0; i < times; ++i) Reinsert(list, first(list), head);
  }

  // Makes the list exactly `ids`, in that order (areas of this list; those
  // left out are gone, as if consumed whole). For a caller that computed
  // the order a run of operations leaves; the sorted flag is kept, so the
  // order must respect it.
  void Relink(uint32_t list, const std::vector<uint32_t>& ids) {
    AreaNode& sentinel = nodes_[list];
    sentinel.prev = sentinel.next = list;
    sentinel.count = 0;
    sentinel.unreserved = 0;
    for (uint32_t id : ids) {
      LinkBefore(id, list);
      nodes_[list].count += nodes_[id].count;
      nodes_[list].unreserved += nodes_[id].unreserved != nodes_[id].count;
    }
  }

  size_t MemoryUsage() const { return nodes_.capacity() * sizeof(AreaNode); }

 private:
  // Sentinel `start` values.
  static constexpr uint32_t kSorted = 1;
  static constexpr uint32_t kUnsorted = 0;

  uint32_t NewNode(uint32_t list, Extent start, Extent count) {
    const uint32_t id = static_cast<uint32_t>(nodes_.size());
    const auto c = static_cast<uint32_t>(count);
    nodes_.push_back(AreaNode{static_cast<uint32_t>(start), c, c, nodes_[list].source, id, id});
    nodes_[list].count += c;
    return id;
  }

  // LVM2's remove-then-insert of `id` with `key` (never above its count):
  // the insert goes before the first area whose count is below `key`,
  // searching from the head. In a sorted list every area before `id` has a
  // count at least its own, so the search would pass them all: it starts
  // at `id`'s successor instead, and if that one is already below `key`
  // the area stays where it is.
  //
  // In a sorted list the boundary (last count >= key, first below) is also
  // found from the tail, so the search runs from both ends at once: an area
  // that shrank a lot (a consumed head) lands near the tail.
  void Reinsert(uint32_t list, uint32_t id, Extent key) {
    uint32_t e = nodes_[id].next;
    if (!Sorted(list)) {
      e = nodes_[list].next;
      if (e == id) e = nodes_[id].next;
      Unlink(id);
      LinkBefore(id, SearchFrom(list, e, key));
      return;
    }
    if (e == list || key > nodes_[e].count) return;
    Unlink(id);
    uint32_t back = nodes_[list].prev;  // never before `e`: e's count is >= key
    for (e = nodes_[e].next;; e = nodes_[e].next, back = nodes_[back].prev) {
      if (e == list || key > nodes_[e].count) break;
      if (!(key > nodes_[back].count)) {
        e = nodes_[back].next;
        break;
      }
    }
    LinkBefore(id, e);
  }

  // The first area from `e` on whose count is below `key`, or the sentinel.
  uint32_t SearchFrom(uint32_t list, uint32_t e, Extent key) const {
    while (e != list && !(key > nodes_[e].count)) e = nodes_[e].next;
    return e;
  }

  void LinkBefore(uint32_t id, uint32_t e) {
    AreaNode& a = nodes_[id];
    a.next = e;
    a.prev = nodes_[e].prev;
    nodes_[a.prev].next = id;
    nodes_[e].prev = id;
  }

  void Unlink(uint32_t id) {
    AreaNode& a = nodes_[id];
    nodes_[a.prev].next = a.next;
    nodes_[a.next].prev = a.prev;
  }

  std::vector<AreaNode> nodes_;
};

}  // namespace liballoc

#endif  // LIBALLOC_SRC_AREA_LIST_H_
