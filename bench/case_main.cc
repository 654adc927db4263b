// liballoc_bench_case: runs one benchmark case a fixed number of times and
// prints its deterministic counters as one JSON object. Under
// `valgrind --tool=callgrind --collect-atstart=no` only the allocation calls
// are counted (client requests toggle collection around them), so the
// instruction count excludes VG generation and index building: what the
// regression gate compares.
//
//   liballoc_bench_case --workload Linear --impl idx --pvs 256 --areas 16 [--calls 1]
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench_vg.h"
#include "measured_allocation.h"
#include "workload.h"

namespace liballoc::bench {
namespace {

int Usage(const char* why) {
  std::fprintf(stderr,
               "liballoc_bench_case: %s\nusage: liballoc_bench_case --workload NAME "
               "--impl ref|idx|pidx --pvs N --areas K [--calls C]\n",
               why);
  return 2;
}

int Main(int argc, char** argv) {
  std::string workload_name, impl_tag;
  long pvs = 0, areas = 0, calls = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--workload") workload_name = value;
    else if (flag == "--impl") impl_tag = value;
    else if (flag == "--pvs") pvs = std::strtol(value, nullptr, 10);
    else if (flag == "--areas") areas = std::strtol(value, nullptr, 10);
    else if (flag == "--calls") calls = std::strtol(value, nullptr, 10);
    else return Usage(("unknown flag " + flag).c_str());
  }
  if (argc % 2 == 0) return Usage("every flag needs a value");
  std::optional<Workload> w = ParseWorkload(workload_name);
  if (!w) return Usage(("unknown workload '" + workload_name + "'").c_str());
  std::optional<Impl> impl = ParseImpl(impl_tag);
  if (!impl) return Usage(("unknown implementation '" + impl_tag + "'").c_str());
  if (pvs <= 0 || pvs > 1 << 20 || areas <= 0 || areas > 4096 || calls <= 0) {
    return Usage("--pvs, --areas and --calls must be positive (pvs <= 2^20, areas <= 4096)");
  }

  absl::StatusOr<MeasuredAllocation> m = MeasuredAllocation::Create(
      *impl, MakeWorkloadRequest(*w, CachedBenchVg(static_cast<uint32_t>(pvs),
                                                   static_cast<uint32_t>(areas))));
  if (!m.ok()) {
    std::fprintf(stderr, "liballoc_bench_case: %s\n", std::string(m.status().message()).c_str());
    return 1;
  }
  WorkCounters counters;
  uint64_t pieces = 0;
  CALLGRIND_TOGGLE_COLLECT;
  for (long c = 0; c < calls; ++c) {
    absl::StatusOr<Result> result = m->Run(&counters);
    if (!result.ok()) {
      CALLGRIND_TOGGLE_COLLECT;
      std::fprintf(stderr, "liballoc_bench_case: allocation failed: %s\n",
                   std::string(result.status().message()).c_str());
      return 1;
    }
    pieces = PieceCount(*result);
    CALLGRIND_TOGGLE_COLLECT;
    absl::Status restored = m->Restore(*result);
    CALLGRIND_TOGGLE_COLLECT;
    if (!restored.ok()) {
      CALLGRIND_TOGGLE_COLLECT;
      std::fprintf(stderr, "liballoc_bench_case: release failed: %s\n",
                   std::string(restored.message()).c_str());
      return 1;
    }
  }
  CALLGRIND_TOGGLE_COLLECT;
  // Instruction counts are only comparable between builds of one build type
  // and compiler: the gate checks this string.
  std::printf(
      "{\"workload\": \"%s\", \"impl\": \"%s\", \"pvs\": %ld, \"areas\": %ld, \"calls\": %ld, "
      "\"toolchain\": \"%s, %s\", "
      "\"areas_visited\": %llu, \"rounds\": %llu, \"sources_touched\": %llu, \"pieces\": %llu}\n",
      workload_name.c_str(), impl_tag.c_str(), pvs, areas, calls, LIBALLOC_BUILD_TYPE, __VERSION__,
      static_cast<unsigned long long>(counters.areas_visited),
      static_cast<unsigned long long>(counters.rounds),
      static_cast<unsigned long long>(counters.sources_touched),
      static_cast<unsigned long long>(pieces));
  return 0;
}

}  // namespace
}  // namespace liballoc::bench

int main(int argc, char** argv) { return liballoc::bench::Main(argc, argv); }
