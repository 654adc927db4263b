// AreaLists against a literal model of LVM2's lists: a vector in list order,
// every insert searching from the head, the reset walk reading its successor
// after processing. The shortcut AreaLists takes in sorted lists (searching
// from the moved area's successor) must give the same order, reservations
// and totals after every operation; both allocators share AreaLists, so the
// reference/indexed identity properties cannot catch a mistake here.
#include "area_list.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "testing/prng.h"

namespace liballoc {
namespace {

struct ModelArea {
  Extent start, count, unreserved;
};

class ModelList {
 public:
  std::vector<uint32_t> order;          // ids in list order
  std::vector<ModelArea> areas;         // by id

  uint32_t Add(Extent start, Extent count, bool append) {
    const uint32_t id = static_cast<uint32_t>(areas.size());
    areas.push_back({start, count, count});
    if (append) order.push_back(id);
    else Insert(id, count);
    return id;
  }
  void Insert(uint32_t id, Extent key) {
    size_t i = 0;
    while (i < order.size() && !(key > areas[order[i]].count)) ++i;
    order.insert(order.begin() + static_cast<long>(i), id);
  }
  void Remove(uint32_t id) { order.erase(std::find(order.begin(), order.end(), id)); }
  size_t Pos(uint32_t id) const {
    return static_cast<size_t>(std::find(order.begin(), order.end(), id) - order.begin());
  }
  Extent Reserve(uint32_t id, Extent n) {
    ModelArea& a = areas[id];
    if (n >= a.unreserved) {
      n = a.unreserved;
      a.unreserved = 0;
    } else {
      a.unreserved -= n;
      Remove(id);
      Insert(id, a.unreserved);
    }
    return n;
  }
  uint64_t Reset() {
    uint64_t visited = 0;
    for (size_t i = 0; i < order.size();) {
      ++visited;
      const uint32_t id = order[i];
      ModelArea& a = areas[id];
      if (a.unreserved != a.count) {
        a.unreserved = a.count;
        Remove(id);
        Insert(id, a.count);
      }
      i = Pos(id) + 1;
    }
    return visited;
  }
  void Consume(uint32_t id, Extent n) {
    Remove(id);
    ModelArea& a = areas[id];
    if (n < a.count) {
      a.start += n;
      a.count -= n;
      a.unreserved = a.count;
      Insert(id, a.count);
    }
  }
  void RotateHeadRun(uint64_t times) {
    if (order.empty() || times == 0) return;
    const Extent head = areas[order[0]].count;
    uint64_t run = 0;
    while (run < order.size() && areas[order[run]].count == head) ++run;
    for (uint64_t i = 0; i < times % run; ++i) {
      const uint32_t id = order[0];
      Remove(id);
      Insert(id, head);
    }
  }
  bool Contains(uint32_t id) const { return Pos(id) < order.size(); }
};

void ExpectSame(const AreaLists& lists, uint32_t list, const std::vector<uint32_t>& node_of,
                const ModelList& model, uint64_t step) {
  std::vector<uint32_t> got;
  for (uint32_t id = lists.first(list); id != list; id = lists.next(id)) got.push_back(id);
  std::vector<uint32_t> want;
  Extent free = 0;
  uint32_t reserved = 0;
  for (uint32_t m : model.order) {
    want.push_back(node_of[m]);
    free += model.areas[m].count;
    reserved += model.areas[m].unreserved != model.areas[m].count;
  }
  ASSERT_EQ(got, want) << "order differs after step " << step;
  for (uint32_t m : model.order) {
    const AreaNode& n = lists.node(node_of[m]);
    ASSERT_EQ(n.start, model.areas[m].start) << "step " << step;
    ASSERT_EQ(n.count, model.areas[m].count) << "step " << step;
    ASSERT_EQ(n.unreserved, model.areas[m].unreserved) << "step " << step;
  }
  ASSERT_EQ(lists.free(list), free) << "step " << step;
  ASSERT_EQ(lists.Clean(list), reserved == 0) << "step " << step;
  if (lists.Sorted(list)) {
    for (size_t i = 1; i < model.order.size(); ++i) {
      ASSERT_GE(model.areas[model.order[i - 1]].count, model.areas[model.order[i]].count)
          << "list claims to be sorted after step " << step;
    }
  }
}

// Random operation sequences; few distinct sizes so runs of equal counts (the
// quirks' trigger) are common.
TEST(AreaListTest, MatchesLiteralModel) {
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    testing::SplitMix64 rng(seed);
    AreaLists lists;
    const uint32_t list = lists.NewList(7);
    ModelList model;
    std::vector<uint32_t> node_of;  // model id -> node id
    const uint32_t sizes = 2 + static_cast<uint32_t>(rng.Below(6));
    const bool append_build = rng.Below(2) == 0;
    const uint32_t initial = 1 + static_cast<uint32_t>(rng.Below(12));
    Extent pe = 0;
    std::vector<Extent> counts;
    for (uint32_t i = 0; i < initial; ++i) counts.push_back(1 + rng.Below(sizes) * 3);
    if (append_build) std::stable_sort(counts.begin(), counts.end(), std::greater<Extent>());
    std::vector<Area> areas;
    for (Extent c : counts) {
      if (append_build) {
        areas.push_back(Area{pe, c});
      } else {
        node_of.push_back(lists.Create(list, pe, c));
      }
      model.Add(pe, c, append_build);
      pe += c + 1;
    }
    if (append_build) {  // the engine's build: one fill in sorted order
      const uint32_t first = lists.FillInOrder(list, static_cast<uint32_t>(areas.size()),
                                               [&](uint32_t i) -> const Area& { return areas[i]; });
      for (uint32_t i = 0; i < areas.size(); ++i) node_of.push_back(first + i);
    }
    ExpectSame(lists, list, node_of, model, 0);
    for (uint64_t step = 1; step <= 60 && !model.order.empty(); ++step) {
      const uint32_t pick = model.order[rng.Below(model.order.size())];
      switch (rng.Below(6)) {
        case 0:
        case 1: {  // reservations, full or partial
          const Extent n = 1 + rng.Below(model.areas[pick].count + 2);
          if (model.areas[pick].unreserved == 0) break;
          ASSERT_EQ(lists.Reserve(list, node_of[pick], n), model.Reserve(pick, n));
          break;
        }
        case 2:
          ASSERT_EQ(lists.Reset(list), model.Reset());
          break;
        case 3: {
          const Extent n = 1 + rng.Below(model.areas[pick].count);
          lists.Consume(list, node_of[pick], n);
          model.Consume(pick, n);
          break;
        }
        case 4: {
          const uint64_t times = rng.Below(5);
          // Only meaningful on a clean list, where the engine uses it.
          if (!lists.Clean(list)) break;
          lists.RotateHeadRun(list, times);
          model.RotateHeadRun(times);
          break;
        }
        case 5: {  // a new area, inserted by its count as LVM2's map build does
          const Extent c = 1 + rng.Below(sizes) * 3;
          node_of.push_back(lists.Create(list, pe, c));
          model.Add(pe, c, /*append=*/false);
          pe += c + 1;
          break;
        }
      }
      ExpectSame(lists, list, node_of, model, step);
      if (HasFatalFailure()) {
        ADD_FAILURE() << "seed " << seed;
        return;
      }
    }
  }
}

}  // namespace
}  // namespace liballoc
