#include "bench_grid.h"

namespace liballoc::bench {

std::vector<VgSize> BenchVgSizes(bool quick) {
  if (quick) {
    return {{16, 1}, {16, 8}, {256, 1}, {256, 8}, {256, 16}, {1024, 16}, {4096, 16}};
  }
  return {{16, 1},    {16, 8},    {16, 64},   {256, 1},    {256, 8},    {256, 16},
          {256, 64},  {1024, 1},  {1024, 16}, {1024, 64},  {4096, 1},   {4096, 8},
          {4096, 16}, {4096, 64}, {65536, 1}, {65536, 8},  {65536, 16}, {65536, 64}};
}

bool Registered(Workload w, VgSize vg) {
  const uint64_t areas = uint64_t{vg.pvs} * vg.areas_per_pv;
  // The 1/32-of-the-VG LVs are for the one-shot targets (4,096 x 16) and
  // need the reference next to them: no point beyond it.
  if (w == Workload::kLinearBig || w == Workload::kStriped16Big) {
    return vg.pvs >= 256 && areas <= 4096 * 16;
  }
  return true;
}

bool ReferenceRuns(Workload w, VgSize vg) {
  const uint64_t areas = uint64_t{vg.pvs} * vg.areas_per_pv;
  if (w == Workload::kFreeAll) return areas < 1024 * 16;
  return areas <= 4096 * 64;
}

bool QuickRuns(Workload w, Impl impl, VgSize vg) {
  if (vg.pvs < 4096) return true;
  // 4,096 x 16: the one-shot targets (linear and -i 16 normal, ref vs idx).
  return (w == Workload::kLinear || w == Workload::kStriped16 || w == Workload::kLinearBig ||
          w == Workload::kStriped16Big || w == Workload::kLinear1000 ||
          w == Workload::kStriped16x1000) &&
         impl != Impl::kPersistent;
}

}  // namespace liballoc::bench
