// Per-source free-area lists with LVM2's exact ordering rules (spec §3.2).
//
// Each source's areas form a doubly linked list kept roughly in descending
// size. The exactness of the primitives decides tie-breaks, so they are
// reproduced literally:
//   - Insert(key) places an area before the first element whose `count` is
//     strictly smaller than `key`: after all equal-sized ones.
//   - A walk reads the successor *after* processing the current element; if
//     processing moved it, the walk continues from its new position.
// Nodes live in one vector (index links, no pointers) so a list survives
// growth and costs no allocation per area. Node i < num_sources is source i's
// sentinel.
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
  explicit AreaLists(uint32_t num_sources) : free_(num_sources, 0) {
    nodes_.resize(num_sources);
    for (uint32_t i = 0; i < num_sources; ++i) {
      nodes_[i].source = i;
      nodes_[i].prev = nodes_[i].next = i;
    }
  }

  // Creates an area and inserts it by its count (creation order).
  uint32_t Create(uint32_t source, Extent start, Extent count) {
    const uint32_t id = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(AreaNode{start, count, count, source, id, id});
    Insert(id, count);
    return id;
  }

  AreaNode& node(uint32_t id) { return nodes_[id]; }
  const AreaNode& node(uint32_t id) const { return nodes_[id]; }
  uint32_t first(uint32_t source) const { return nodes_[source].next; }
  uint32_t next(uint32_t id) const { return nodes_[id].next; }
  // The walk's end marker for `source`.
  uint32_t end(uint32_t source) const { return source; }
  bool empty(uint32_t source) const { return nodes_[source].next == source; }
  // Free extents left on `source` (sum of counts).
  Extent free(uint32_t source) const { return free_[source]; }
  uint64_t total_free() const { return total_free_; }

  // Commits `n` extents from the start of area `id` (LVM2's consume_pv_area).
  void Consume(uint32_t id, Extent n) {
    Remove(id);
    AreaNode& a = nodes_[id];
    if (n < a.count) {
      a.start += n;
      a.count -= n;
      a.unreserved = a.count;
      Insert(id, a.count);
    }
  }

  // Re-sorts an area by its unreserved size after a tentative reservation.
  void ReinsertReduced(uint32_t id) {
    Remove(id);
    Insert(id, nodes_[id].unreserved);
  }

  // Restores every tentative reservation reached by LVM2's live walk; areas
  // the walk skips keep theirs (the reset quirk, spec E5). Returns the number
  // of areas visited.
  uint64_t Reset(uint32_t source) {
    uint64_t visited = 0;
    for (uint32_t id = first(source); id != source;) {
      ++visited;
      AreaNode& a = nodes_[id];
      if (a.unreserved != a.count) {
        a.unreserved = a.count;
        ReinsertReduced(id);
      }
      id = nodes_[id].next;
    }
    return visited;
  }

 private:
  void Insert(uint32_t id, Extent key) {
    AreaNode& a = nodes_[id];
    uint32_t e = nodes_[a.source].next;
    while (e != a.source && !(key > nodes_[e].count)) e = nodes_[e].next;
    // Link before e.
    a.next = e;
    a.prev = nodes_[e].prev;
    nodes_[a.prev].next = id;
    nodes_[e].prev = id;
    free_[a.source] += a.count;
    total_free_ += a.count;
  }

  void Remove(uint32_t id) {
    AreaNode& a = nodes_[id];
    nodes_[a.prev].next = a.next;
    nodes_[a.next].prev = a.prev;
    free_[a.source] -= a.count;
    total_free_ -= a.count;
  }

  std::vector<AreaNode> nodes_;
  std::vector<Extent> free_;
  uint64_t total_free_ = 0;
};

}  // namespace liballoc

#endif  // LIBALLOC_SRC_AREA_LIST_H_
