// Which (workload, implementation, VG) combinations the benchmark binary
// registers, in full and in quick (CI) mode, and where the reference is too
// slow to run.
#ifndef LIBALLOC_BENCH_BENCH_GRID_H_
#define LIBALLOC_BENCH_BENCH_GRID_H_

#include <cstdint>
#include <vector>

#include "measured_allocation.h"
#include "workload.h"

namespace liballoc::bench {

struct VgSize {
  uint32_t pvs;
  uint32_t areas_per_pv;  // 1 = empty VG
};

// Full: 16 to 65,536 PVs, empty and 8/16/64 areas per PV. Quick (the CI gate,
// LIBALLOC_BENCH_QUICK=1): up to 1,024 PVs plus the 4,096 x 16 VG of the
// one-shot targets.
std::vector<VgSize> BenchVgSizes(bool quick);

// Whether the workload is measured on this VG at all.
bool Registered(Workload w, VgSize vg);

// The reference walks every area each round, so its cost is rounds x areas:
// it runs up to 4,096 x 64 (262,144 areas); 100%FREE needs a round per area,
// so only below 1,024 x 16.
bool ReferenceRuns(Workload w, VgSize vg);

// In quick mode only what the gate and the targets need runs at 4,096 PVs.
bool QuickRuns(Workload w, Impl impl, VgSize vg);

}  // namespace liballoc::bench

#endif  // LIBALLOC_BENCH_BENCH_GRID_H_
