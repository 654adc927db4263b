// How good a placement is, independent of how fast it was found: what the
// profiler reports per policy next to the cost.
#ifndef LIBALLOC_BENCH_PLACEMENT_QUALITY_H_
#define LIBALLOC_BENCH_PLACEMENT_QUALITY_H_

#include <cstdint>
#include <vector>

#include "liballoc/request.h"

namespace liballoc::bench {

// The free-space fragmentation score: the share of the free extents that do
// not lie in their PV's largest free run,
//   1 - sum over PVs of largest_run(pv) / sum over PVs of free(pv).
// 0 when every PV's free space is one run (the best LVM2 can have); it tends
// to 1 as free space splinters into many small runs per PV. Per PV rather
// than VG-wide because LVM2 allocates per PV: a VG of many PVs with one run
// each is not fragmented. Unallocatable PVs are ignored.
double FragmentationScore(const std::vector<Source>& vg);

struct PlacementQuality {
  uint64_t sources_touched = 0;  // distinct PVs holding any piece of the result
  uint64_t segments = 0;         // batches: LVM2 makes one LV segment per batch
  uint64_t pieces = 0;           // PV areas over all slots (data, parity, meta)
};

PlacementQuality MeasurePlacement(const Result& result);

}  // namespace liballoc::bench

#endif  // LIBALLOC_BENCH_PLACEMENT_QUALITY_H_
