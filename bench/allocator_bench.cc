// Google Benchmark over the bench VGs: every workload with the reference,
// the one-shot indexed and the persistent-index allocator side by side, named
// BM_<Workload>/<ref|idx|pidx>/<PVs>/<areas per PV>, plus BM_BareWalk/<PVs>/
// <areas>: one pass summing the free areas, the floor for any one-shot
// allocator (it must at least read its input). The one-shot floor target
// (tools/bench-compare/ratios.py) holds idx of Linear1000 and Striped16x1000
// (1,000 extents per stripe, a round or two) against it.
//
// User counters (per call, deterministic): areas_visited, rounds,
// sources_touched, pieces (segments produced), free_areas; pidx adds
// index_bytes and bytes_per_free_area (as built), index_bytes_after (after
// all the calls and their releases) and release_ns (CPU time to release one
// call's pieces, which the timing leaves out: pidx times the allocation).
//
// LIBALLOC_BENCH_QUICK=1 registers the small grid CI runs (bench_grid.h).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_grid.h"
#include "bench_vg.h"
#include "benchmark/benchmark.h"
#include "cpu_clock.h"
#include "measured_allocation.h"
#include "workload.h"

namespace liballoc::bench {
namespace {

void BareWalk(benchmark::State& state, VgSize size) {
  const std::vector<Source>& vg = CachedBenchVg(size.pvs, size.areas_per_pv);
  for (auto _ : state) {
    uint64_t sum = 0;
    for (const Source& s : vg) {
      for (const Area& a : s.areas) sum += a.count;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["free_areas"] = static_cast<double>(AreaCount(vg));
}

void Allocation(benchmark::State& state, Workload w, Impl impl, VgSize size) {
  absl::StatusOr<MeasuredAllocation> m = MeasuredAllocation::Create(
      impl, MakeWorkloadRequest(w, CachedBenchVg(size.pvs, size.areas_per_pv)));
  if (!m.ok()) {
    state.SkipWithError(std::string(m.status().message()).c_str());
    return;
  }
  WorkCounters counters;
  uint64_t pieces = 0;
  double release_ns = 0;
  for (auto _ : state) {
    absl::StatusOr<Result> result = m->Run(&counters);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    pieces = PieceCount(*result);
    benchmark::DoNotOptimize(result);
    if (impl == Impl::kPersistent) {
      // The release is the index's other operation, not this allocation's
      // cost: timed apart and reported as release_ns.
      state.PauseTiming();
      const double t0 = ThreadCpuNanos();
      absl::Status restored = m->Restore(*result);
      release_ns += ThreadCpuNanos() - t0;
      state.ResumeTiming();
      if (!restored.ok()) {
        state.SkipWithError(std::string(restored.message()).c_str());
        return;
      }
    }
  }
  state.counters["areas_visited"] = static_cast<double>(counters.areas_visited);
  state.counters["rounds"] = static_cast<double>(counters.rounds);
  state.counters["sources_touched"] = static_cast<double>(counters.sources_touched);
  state.counters["pieces"] = static_cast<double>(pieces);
  state.counters["free_areas"] = static_cast<double>(m->area_count());
  if (impl == Impl::kPersistent) {
    const double built = static_cast<double>(m->BuiltIndexBytes());
    const double after = static_cast<double>(m->IndexBytes());
    const double areas = static_cast<double>(std::max<uint64_t>(1, m->area_count()));
    state.counters["index_bytes"] = built;
    state.counters["bytes_per_free_area"] = built / areas;
    // After every iteration's allocate + release: capacity the index kept.
    state.counters["index_bytes_after"] = after;
    state.counters["release_ns"] =
        benchmark::Counter(release_ns, benchmark::Counter::kAvgIterations);
  }
}

bool QuickMode() {
  const char* v = std::getenv("LIBALLOC_BENCH_QUICK");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

void RegisterAll() {
  const bool quick = QuickMode();
  for (VgSize size : BenchVgSizes(quick)) {
    const std::string vg = std::to_string(size.pvs) + "/" + std::to_string(size.areas_per_pv);
    benchmark::RegisterBenchmark(("BM_BareWalk/" + vg).c_str(), BareWalk, size)
        ->Unit(benchmark::kMicrosecond);
    for (Workload w : kAllWorkloads) {
      if (!Registered(w, size)) continue;
      for (Impl impl : {Impl::kReference, Impl::kIndexed, Impl::kPersistent}) {
        if (impl == Impl::kReference && !ReferenceRuns(w, size)) continue;
        if (quick && !QuickRuns(w, impl, size)) continue;
        const std::string name = "BM_" + WorkloadName(w) + "/" + ImplTag(impl) + "/" + vg;
        benchmark::RegisterBenchmark(name.c_str(), Allocation, w, impl, size)
            ->Unit(benchmark::kMicrosecond);
      }
    }
  }
}

}  // namespace
}  // namespace liballoc::bench

int main(int argc, char** argv) {
  // A shorter default minimum time than the library's 0.5 s (a per-benchmark
  // MinTime would show up in every name); --benchmark_min_time overrides it.
  std::vector<char*> args(argv, argv + argc);
  std::string min_time = liballoc::bench::QuickMode() ? "--benchmark_min_time=0.05"
                                                      : "--benchmark_min_time=0.2";
  args.insert(args.begin() + 1, min_time.data());
  argc = static_cast<int>(args.size());
  argv = args.data();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  liballoc::bench::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
