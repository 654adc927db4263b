// The profiler's sweep: PV counts x fragmentation x layouts x policies, each
// with the reference, the one-shot indexed and the persistent-index
// allocator. One JSON line per case on `out`, progress on stderr.
#ifndef LIBALLOC_BENCH_PROFILE_SWEEP_H_
#define LIBALLOC_BENCH_PROFILE_SWEEP_H_

#include <cstdint>
#include <cstdio>
#include <vector>

#include "liballoc/request.h"
#include "workload.h"

namespace liballoc::bench {

struct SweepOptions {
  std::vector<uint32_t> pvs = {16, 64, 256, 1024, 4096, 16384, 65536};
  std::vector<uint32_t> areas_per_pv = {1, 16, 64};
  std::vector<Layout> layouts{std::begin(kAllLayouts), std::end(kAllLayouts)};
  std::vector<Policy> policies = {Policy::kContiguous, Policy::kCling, Policy::kClingByTags,
                                  Policy::kNormal, Policy::kAnywhere};
  // Each case repeats its call until this much time has passed (at least once).
  double budget_ms = 20;
  // The reference is skipped once its cost, extrapolated linearly in the PV
  // count from the previous size, would exceed this per call.
  double reference_limit_ms = 100;
};

// The LV each case allocates: 1.5 mean-sized free areas per data stripe, so
// contiguous can succeed (a quarter of the areas are that large) while normal
// still has to choose among every PV. The same LV in a bigger VG: the cost
// curve shows how each allocator scales with the VG, not with the LV.
Extent SweepLvExtents(const std::vector<Source>& vg, Layout layout);

void RunSweep(const SweepOptions& options, std::FILE* out);

}  // namespace liballoc::bench

#endif  // LIBALLOC_BENCH_PROFILE_SWEEP_H_
