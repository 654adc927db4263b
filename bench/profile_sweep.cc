#include "profile_sweep.h"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "bench_vg.h"
#include "cpu_clock.h"
#include "free_space.h"
#include "json_line.h"
#include "liballoc/allocator.h"
#include "liballoc/area_index.h"
#include "measured_allocation.h"
#include "placement_quality.h"

namespace liballoc::bench {
namespace {

struct Timing {
  absl::StatusOr<Result> last;
  WorkCounters counters;
  uint64_t calls = 0;
  double ns_per_call = 0;
};

// Repeats `call` until the budget (CPU time) is spent; keeps the last outcome and its
// counters (identical for every call: each one sees the same free space).
template <typename Call>
Timing Repeat(double budget_ms, Call call) {
  Timing t;
  const double start = ThreadCpuNanos();
  const double budget = budget_ms * 1e6;
  do {
    t.counters = WorkCounters{};
    t.last = call(&t.counters);
    ++t.calls;
  } while (t.last.ok() && ThreadCpuNanos() - start < budget && t.calls < 100000);
  t.ns_per_call = (ThreadCpuNanos() - start) / static_cast<double>(t.calls);
  return t;
}

std::string Percent(uint64_t done, uint64_t total) {
  return std::to_string(done) + "/" + std::to_string(total);
}

}  // namespace

Extent SweepLvExtents(const std::vector<Source>& vg, Layout layout) {
  const uint64_t areas = std::max<uint64_t>(1, AreaCount(vg));
  const Extent mean = std::max<Extent>(1, TotalFree(vg) / areas);
  return mean * 3 / 2 * LayoutStripes(layout);
}

void RunSweep(const SweepOptions& o, std::FILE* out) {
  const uint64_t total = o.pvs.size() * o.areas_per_pv.size() * o.layouts.size() *
                         o.policies.size() * 3;
  uint64_t done = 0;
  // Last measured reference cost per (areas, layout, policy): (pvs, ns).
  std::map<std::tuple<uint32_t, int, int>, std::pair<uint32_t, double>> last_reference;
  for (uint32_t areas : o.areas_per_pv) {
    for (uint32_t pvs : o.pvs) {
      std::vector<Source> vg = testing::GenerateVg(BenchVgShape(pvs, areas, /*tags=*/true));
      const double fragmentation_before = FragmentationScore(vg);
      absl::StatusOr<AreaIndex> index = AreaIndex::Build(vg);
      const size_t index_bytes = index.ok() ? index->MemoryUsage() : 0;
      const uint64_t area_count = AreaCount(vg);
      Request request;
      for (Layout layout : o.layouts) {
        for (Policy policy : o.policies) {
          Request shape = MakeLayoutRequest(layout, policy, SweepLvExtents(vg, layout));
          for (Impl impl : {Impl::kReference, Impl::kIndexed, Impl::kPersistent}) {
            ++done;
            JsonLine line;
            line.Add("kind", "sweep")
                .Add("pvs", uint64_t{pvs})
                .Add("areas_per_pv", uint64_t{areas})
                .Add("free_areas", area_count)
                .Add("layout", LayoutName(layout))
                .Add("policy", std::string(PolicyName(policy)))
                .Add("impl", ImplTag(impl))
                .Add("extents", shape.extents);
            const auto key = std::make_tuple(areas, static_cast<int>(layout),
                                             static_cast<int>(policy));
            if (impl == Impl::kReference && last_reference.count(key)) {
              const auto [prev_pvs, prev_ns] = last_reference[key];
              const double estimate = prev_ns * pvs / prev_pvs;
              if (estimate > o.reference_limit_ms * 1e6) {
                line.Add("skipped", "reference too slow: about " +
                                        std::to_string(static_cast<uint64_t>(estimate / 1e6)) +
                                        " ms per call extrapolated");
                std::fprintf(out, "%s\n", line.str().c_str());
                std::fflush(out);
                continue;
              }
            }
            if (impl == Impl::kPersistent && !index.ok()) {
              line.Add("ok", false).Add("error", std::string(index.status().message()));
              std::fprintf(out, "%s\n", line.str().c_str());
              continue;
            }
            Timing t;
            if (impl == Impl::kPersistent) {
              shape.sources.clear();
              t = Repeat(o.budget_ms, [&](WorkCounters* c) -> absl::StatusOr<Result> {
                absl::StatusOr<Result> r = index->Allocate(shape, c);
                if (!r.ok()) return r;
                for (const auto& slot : r->slots) {
                  for (const Piece& p : slot) {
                    absl::Status s = index->Release(p.handle, p.start, p.count);
                    if (!s.ok()) return s;
                  }
                }
                return r;
              });
            } else {
              shape.sources.swap(vg);  // lend the VG to the request, no copy
              t = Repeat(o.budget_ms, [&](WorkCounters* c) {
                return impl == Impl::kReference ? AllocateReference(shape, c)
                                                : AllocateIndexed(shape, c);
              });
              shape.sources.swap(vg);
            }
            if (impl == Impl::kReference) last_reference[key] = {pvs, t.ns_per_call};
            line.Add("ok", t.last.ok())
                .Add("calls", t.calls)
                .Add("ns_per_call", t.ns_per_call)
                .Add("areas_visited", t.counters.areas_visited)
                .Add("rounds", t.counters.rounds)
                .Add("scans", t.counters.sources_touched)
                .Add("fragmentation_before", fragmentation_before)
                .Add("index_bytes", static_cast<uint64_t>(index_bytes));
            if (t.last.ok()) {
              const PlacementQuality q = MeasurePlacement(*t.last);
              line.Add("sources_touched", q.sources_touched)
                  .Add("segments", q.segments)
                  .Add("pieces", q.pieces)
                  .Add("allocated_extents", t.last->allocated_extents);
              // Every implementation places the same extents: score the
              // free space left behind once, for the one-shot indexed run.
              if (impl == Impl::kIndexed) {
                std::vector<Source> after = vg;
                if (testing::TakeResult(after, *t.last).ok()) {
                  line.Add("fragmentation_after", FragmentationScore(after));
                }
              }
            } else {
              line.Add("error", std::string(t.last.status().message()));
            }
            std::fprintf(out, "%s\n", line.str().c_str());
            std::fflush(out);
            std::fprintf(stderr, "[%s] %u PVs x %u areas %-11s %-13s %-4s %s\n",
                         Percent(done, total).c_str(), pvs, areas, LayoutName(layout).c_str(),
                         std::string(PolicyName(policy)).c_str(), ImplTag(impl).c_str(),
                         t.last.ok() ? (std::to_string(t.ns_per_call / 1e3) + " us").c_str()
                                     : "failed");
          }
        }
      }
    }
  }
}

}  // namespace liballoc::bench
