// Aging: a seeded churn of LV creations, extensions and removals on one
// persistent AreaIndex, cycling the VG between a high and a low fill mark,
// per policy and layout. Shows how each policy fragments the free space over
// time and what that does to the allocation cost. One JSON line per sample.
#ifndef LIBALLOC_BENCH_AGING_H_
#define LIBALLOC_BENCH_AGING_H_

#include <cstdint>
#include <cstdio>

#include "liballoc/request.h"
#include "workload.h"

namespace liballoc::bench {

struct AgingOptions {
  uint64_t seed = 1;
  uint32_t pvs = 1024;
  uint32_t areas_per_pv = 1;  // the VG the churn starts from (1 = empty)
  uint32_t steps = 20000;
  uint32_t sample_every = 200;
  // Fill marks, per mille of the VG's PEs: fill up to high, drain to low.
  uint32_t high_per_mille = 850;
  uint32_t low_per_mille = 500;
  // A step that does not create or remove extends a random LV, with this
  // chance (per mille) during the filling phase.
  uint32_t extend_per_mille = 400;
  // New LVs and extensions are 1/(2 * lv_divisor) .. 1/lv_divisor of a PV's
  // mean initial free space: LVs smaller than PVs, so cling and contiguous
  // extensions can succeed, and about 6 x pvs LVs live at the high mark.
  uint32_t lv_divisor = 4;
};

// Runs the churn for `policy` and `layout`; returns false (after printing
// the reason to stderr) if the index rejected an operation it must accept.
bool RunAging(const AgingOptions& options, Policy policy, Layout layout, std::FILE* out);

}  // namespace liballoc::bench

#endif  // LIBALLOC_BENCH_AGING_H_
