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
// lists. A sentinel's `count` holds the list's free extents and its
// `unreserved` the number of its areas holding a tentative reservation.
#ifndef LIBALLOC_SRC_AREA_LIST_H_
#define LIBALLOC_SRC_AREA_LIST_H_

#include <cstdint>
#include <vector>

#include "liballoc/request.h"

namespace liballoc {

struct AreaNode {
  Extent start = 0;
  Extent count = 0;
  Extent unreserved = 0;
  uint32_t source = 0;
  uint32_t prev = 0;
  uint32_t next = 0;
};

class AreaLists {
 public:
  void Clear() { nodes_.clear(); }
  // Gives the nodes' memory back (Clear keeps it for the next call).
  void Release() { std::vector<AreaNode>().swap(nodes_); }

  // A new empty list for `source`; returns its sentinel.
  uint32_t NewList(uint32_t source) {
    const uint32_t id = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(AreaNode{0, 0, 0, source, id, id});
    return id;
  }

  // Creates an area and inserts it by its count, walking the list as LVM2's
  // map build does (quadratic in the list length: the reference's cost).
  uint32_t Create(uint32_t list, Extent start, Extent count) {
    const uint32_t id = NewNode(list, start, count);
    Insert(list, id, count);
    return id;
  }

  // Appends an area at the tail without walking: for building a list from
  // areas already in LVM2's order (count descending, creation order on ties).
  uint32_t Append(uint32_t list, Extent start, Extent count) {
    const uint32_t id = NewNode(list, start, count);
    Link(list, id, list);
    return id;
  }

  AreaNode& node(uint32_t id) { return nodes_[id]; }
  const AreaNode& node(uint32_t id) const { return nodes_[id]; }
  uint32_t first(uint32_t list) const { return nodes_[list].next; }
  uint32_t next(uint32_t id) const { return nodes_[id].next; }
  bool empty(uint32_t list) const { return nodes_[list].next == list; }
  Extent free(uint32_t list) const { return nodes_[list].count; }

  // Commits `n` extents from the start of area `id` (LVM2's consume_pv_area).
  void Consume(uint32_t list, uint32_t id, Extent n) {
    Remove(list, id);
    AreaNode& a = nodes_[id];
    if (a.unreserved != a.count) --nodes_[list].unreserved;
    if (n < a.count) {
      a.start += n;
      a.count -= n;
      a.unreserved = a.count;
      Insert(list, id, a.count);
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
      a.unreserved -= n;
      ReinsertReduced(list, id);  // may move it later in the list
    }
    return n;
  }

  // Restores every tentative reservation reached by LVM2's live walk; areas
  // the walk skips keep theirs (the reset quirk, spec E5). Returns the number
  // of areas visited.
  uint64_t Reset(uint32_t list) {
    uint64_t visited = 0;
    for (uint32_t id = first(list); id != list;) {
      ++visited;
      AreaNode& a = nodes_[id];
      if (a.unreserved != a.count) {
        a.unreserved = a.count;
        --nodes_[list].unreserved;
        ReinsertReduced(list, id);
      }
      id = nodes_[id].next;
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
    for (uint64_t i = 0; i < times; ++i) {
      const uint32_t id = first(list);
      Remove(list, id);
      Insert(list, id, head);
    }
  }

  size_t MemoryUsage() const { return nodes_.capacity() * sizeof(AreaNode); }

 private:
  void ReinsertReduced(uint32_t list, uint32_t id) {
    Remove(list, id);
    Insert(list, id, nodes_[id].unreserved);
  }

  uint32_t NewNode(uint32_t list, Extent start, Extent count) {
    const uint32_t id = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(AreaNode{start, count, count, nodes_[list].source, id, id});
    return id;
  }

  void Insert(uint32_t list, uint32_t id, Extent key) {
    uint32_t e = nodes_[list].next;
    while (e != list && !(key > nodes_[e].count)) e = nodes_[e].next;
    Link(list, id, e);
  }

  // Links `id` immediately before `e`.
  void Link(uint32_t list, uint32_t id, uint32_t e) {
    AreaNode& a = nodes_[id];
    a.next = e;
    a.prev = nodes_[e].prev;
    nodes_[a.prev].next = id;
    nodes_[e].prev = id;
    nodes_[list].count += a.count;
  }

  void Remove(uint32_t list, uint32_t id) {
    AreaNode& a = nodes_[id];
    nodes_[a.prev].next = a.next;
    nodes_[a.next].prev = a.prev;
    nodes_[list].count -= a.count;
  }

  std::vector<AreaNode> nodes_;
};

}  // namespace liballoc

#endif  // LIBALLOC_SRC_AREA_LIST_H_
