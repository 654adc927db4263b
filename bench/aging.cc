#include "aging.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "bench_vg.h"
#include "cpu_clock.h"
#include "json_line.h"
#include "liballoc/area_index.h"
#include "placement_quality.h"
#include "prng.h"

namespace liballoc::bench {
namespace {

struct Lv {
  std::vector<std::vector<Piece>> slots;  // as allocated, extensions appended
  uint32_t data_slots = 0;                // data + parity: what an extension continues
  Extent le_count = 0;
};

// Striped layouts extend like LVM2's lvextend; raid extension adds images'
// metadata handling the churn does not model, so raid LVs only come and go.
bool Extendable(Layout layout) {
  return layout == Layout::kLinear || layout == Layout::kStriped4 ||
         layout == Layout::kStriped16;
}

SourceRef RefOf(const std::vector<Source>& vg, SourceHandle handle) {
  // Bench VGs use index handles (no scrambling).
  return SourceRef{handle, handle < vg.size() ? vg[handle].tags : std::vector<std::string>{}};
}

// The lvextend request for `lv`: its last and first PV areas per stripe.
Request ExtensionRequest(const Lv& lv, const std::vector<Source>& vg, Layout layout,
                         Policy policy, Extent extents) {
  Request r = MakeLayoutRequest(layout, policy, extents);
  r.mirrors = 0;
  r.existing_extents = lv.le_count;
  PrevSegment prev;
  prev.area_count = lv.data_slots;
  prev.stripes_per_image = 1;
  prev.le_end = lv.le_count;
  for (uint32_t s = 0; s < lv.data_slots; ++s) {
    const Piece& last = lv.slots[s].back();
    const Piece& first = lv.slots[s].front();
    prev.last_extent.push_back(PrevArea{s, RefOf(vg, last.handle), last.start, last.count});
    prev.first_segment.push_back(PrevArea{s, RefOf(vg, first.handle), first.start, first.count});
  }
  r.prev = std::move(prev);
  return r;
}

struct Window {
  uint64_t allocations = 0;
  double ns = 0;
  uint64_t areas_visited = 0;
  uint64_t rounds = 0;
};

}  // namespace

bool RunAging(const AgingOptions& o, Policy policy, Layout layout, std::FILE* out) {
  const std::vector<Source> vg = testing::GenerateVg(BenchVgShape(o.pvs, o.areas_per_pv, true));
  absl::StatusOr<AreaIndex> index = AreaIndex::Build(vg);
  if (!index.ok()) {
    std::fprintf(stderr, "aging: cannot build the index: %s\n",
                 std::string(index.status().message()).c_str());
    return false;
  }
  uint64_t pe_total = 0;
  for (const Source& s : vg) pe_total += s.pe_count;
  const uint64_t pe_free_at_start = index->total_free();
  const Extent lv_max = std::max<Extent>(
      LayoutStripes(layout), pe_free_at_start / std::max<uint32_t>(1, o.pvs) / o.lv_divisor);
  testing::SplitMix64 rng(testing::Mix64(o.seed ^ (static_cast<uint64_t>(policy) << 8) ^
                                         static_cast<uint64_t>(layout)));
  std::vector<Lv> lvs;
  bool filling = true;
  uint64_t failures = 0, failed_extends = 0, creates = 0, extends = 0, removes = 0;
  Window window;

  auto allocate = [&](const Request& r, Result* result) {
    WorkCounters c;
    const double start = ThreadCpuNanos();
    absl::StatusOr<Result> got = index->Allocate(r, &c);
    window.ns += ThreadCpuNanos() - start;
    ++window.allocations;
    window.areas_visited += c.areas_visited;
    window.rounds += c.rounds;
    if (!got.ok()) return false;
    *result = *std::move(got);
    return true;
  };

  for (uint32_t step = 1; step <= o.steps; ++step) {
    const uint64_t used = pe_total - index->total_free();
    const uint64_t fill = pe_total ? used * 1000 / pe_total : 0;
    if (filling && fill >= o.high_per_mille) filling = false;
    if (!filling && (fill <= o.low_per_mille || lvs.empty())) filling = true;

    if (filling) {
      const Extent size = rng.Between(lv_max / 2, lv_max);
      Result result;
      if (!lvs.empty() && Extendable(layout) && rng.Chance(o.extend_per_mille)) {
        Lv& lv = lvs[rng.Below(lvs.size())];
        if (allocate(ExtensionRequest(lv, vg, layout, policy, size), &result)) {
          for (size_t s = 0; s < result.slots.size() && s < lv.slots.size(); ++s) {
            lv.slots[s].insert(lv.slots[s].end(), result.slots[s].begin(), result.slots[s].end());
          }
          lv.le_count += result.allocated_extents;
          ++extends;
        } else {
          ++failed_extends;  // e.g. nothing contiguous: the LV stays as it is
        }
      } else if (allocate(MakeLayoutRequest(layout, policy, size), &result)) {
        Lv lv;
        lv.data_slots = result.area_count + result.parity_count;
        lv.le_count = result.allocated_extents;
        lv.slots = std::move(result.slots);
        lvs.push_back(std::move(lv));
        ++creates;
      } else {
        ++failures;
        filling = false;  // no room for a new LV under this policy: drain
      }
    } else {
      const size_t victim = rng.Below(lvs.size());
      for (const auto& slot : lvs[victim].slots) {
        for (const Piece& p : slot) {
          absl::Status released = index->Release(p.handle, p.start, p.count);
          if (!released.ok()) {
            std::fprintf(stderr, "aging: release rejected: %s\n",
                         std::string(released.message()).c_str());
            return false;
          }
        }
      }
      lvs[victim] = std::move(lvs.back());
      lvs.pop_back();
      ++removes;
    }

    if (step % o.sample_every == 0 || step == o.steps) {
      const std::vector<Source> now = index->ToSources();
      uint64_t pieces = 0;
      for (const Lv& lv : lvs) {
        for (uint32_t s = 0; s < lv.data_slots && s < lv.slots.size(); ++s) {
          pieces += lv.slots[s].size();
        }
      }
      uint64_t data_slots = 0, lv_sources = 0;
      std::vector<SourceHandle> handles;
      for (const Lv& lv : lvs) {
        data_slots += lv.data_slots;
        handles.clear();
        for (const auto& slot : lv.slots) {
          for (const Piece& p : slot) handles.push_back(p.handle);
        }
        std::sort(handles.begin(), handles.end());
        lv_sources += std::unique(handles.begin(), handles.end()) - handles.begin();
      }
      const double n = window.allocations ? static_cast<double>(window.allocations) : 1.0;
      JsonLine line;
      line.Add("kind", "aging")
          .Add("policy", std::string(PolicyName(policy)))
          .Add("layout", LayoutName(layout))
          .Add("pvs", uint64_t{o.pvs})
          .Add("step", uint64_t{step})
          .Add("fill", static_cast<double>(pe_total - index->total_free()) /
                           static_cast<double>(pe_total))
          .Add("free_areas", AreaCount(now))
          .Add("fragmentation", FragmentationScore(now))
          .Add("lvs", static_cast<uint64_t>(lvs.size()))
          .Add("pieces_per_image", data_slots ? static_cast<double>(pieces) / data_slots : 0.0)
          .Add("pvs_per_lv", lvs.empty() ? 0.0
                                         : static_cast<double>(lv_sources) /
                                               static_cast<double>(lvs.size()))
          .Add("allocations", window.allocations)
          .Add("ns_per_allocation", window.ns / n)
          .Add("areas_visited_per_allocation", static_cast<double>(window.areas_visited) / n)
          .Add("rounds_per_allocation", static_cast<double>(window.rounds) / n)
          .Add("creates", creates)
          .Add("extends", extends)
          .Add("removes", removes)
          .Add("failures", failures)
          .Add("failed_extends", failed_extends)
          .Add("index_bytes", static_cast<uint64_t>(index->MemoryUsage()));
      std::fprintf(out, "%s\n", line.str().c_str());
      std::fflush(out);
      window = Window{};
    }
  }
  std::fprintf(stderr, "aging %-13s %-11s %u steps: %llu creates, %llu extends, %llu removes, "
               "%llu failed creates, %llu failed extends\n",
               std::string(PolicyName(policy)).c_str(), LayoutName(layout).c_str(), o.steps,
               static_cast<unsigned long long>(creates), static_cast<unsigned long long>(extends),
               static_cast<unsigned long long>(removes),
               static_cast<unsigned long long>(failures),
               static_cast<unsigned long long>(failed_extends));
  return true;
}

}  // namespace liballoc::bench
