// The allocation requests the benchmarks measure, as lvcreate/lvextend would
// issue them against a bench VG. A Workload turns a VG into one Request (with
// the sources filled in); extensions first carve the LV being extended out of
// the VG, so the request's sources are the VG minus that LV.
#ifndef LIBALLOC_BENCH_WORKLOAD_H_
#define LIBALLOC_BENCH_WORKLOAD_H_

#include <optional>
#include <string>
#include <vector>

#include "liballoc/request.h"

namespace liballoc::bench {

enum class Workload {
  kLinear,            // lvcreate -l N                       (normal)
  kStriped4,          // lvcreate -i 4 -l N                  (normal)
  kStriped16,         // lvcreate -i 16 -l N                 (normal)
  kClingExtend,       // lvextend --alloc cling of a linear LV
  kContiguousExtend,  // lvextend --alloc contiguous of a linear LV
  kAnywhere,          // lvcreate --alloc anywhere -l N
  kRaid5,             // lvcreate --type raid5 -i 4 -l N
  kRaid1,             // lvcreate --type raid1 -m 2 -l N
  kFreeAll,           // lvcreate -l 100%FREE (approx, extents = all free)
  kLinearBig,         // lvcreate -l 1/32 of the VG's free space
  kStriped16Big,      // lvcreate -i 16 -l 1/32 of the VG's free space
  kLinear1000,        // lvcreate -l 1000                    (normal)
  kStriped16x1000,    // lvcreate -i 16 -l 16000             (normal)
};

inline constexpr Workload kAllWorkloads[] = {
    Workload::kLinear,     Workload::kStriped4,         Workload::kStriped16,
    Workload::kClingExtend, Workload::kContiguousExtend, Workload::kAnywhere,
    Workload::kRaid5,      Workload::kRaid1,            Workload::kFreeAll,
    Workload::kLinearBig,  Workload::kStriped16Big,     Workload::kLinear1000,
    Workload::kStriped16x1000,
};

// "Linear", "Striped4", ... as used in benchmark names.
std::string WorkloadName(Workload w);
std::optional<Workload> ParseWorkload(const std::string& name);

// New LVs are 64 mean-sized free areas per data stripe (at most a quarter of
// the VG's free space): the same LV whatever the PV count, so a cost curve
// shows how an allocator scales with the VG, and large enough that LVM2
// needs dozens of rounds on a fragmented VG. The *Big workloads instead ask
// for 1/32 of the VG (thousands of rounds at 4,096 PVs). Extensions ask for
// half of what fits next to (contiguous) or on the PV of (cling) the LV's
// last extent. Linear1000 and Striped16x1000 are issue 5's own scale example
// (1,000 extents per data stripe, whatever the VG): on a fragmented VG a
// round or two place them, so a one-shot call costs little more than
// reading, checking and indexing its input, which makes them the rows that
// measure the one-shot floor (indexed / bare walk).
Request MakeWorkloadRequest(Workload w, const std::vector<Source>& vg);

// The layouts and policies the profiler sweeps.
enum class Layout { kLinear, kStriped4, kStriped16, kRaid1, kRaid5, kRaid10 };
inline constexpr Layout kAllLayouts[] = {Layout::kLinear, Layout::kStriped4, Layout::kStriped16,
                                         Layout::kRaid1,  Layout::kRaid5,    Layout::kRaid10};
std::string LayoutName(Layout l);

// Data stripes (LEs per batch of a whole segment) of a layout: new LV sizes
// are multiples of it.
uint32_t LayoutStripes(Layout l);

// A new LV of `extents` (rounded down to the layout's multiple, at least one
// multiple) with `layout` and `policy`; sources are left empty.
Request MakeLayoutRequest(Layout l, Policy p, Extent extents);

}  // namespace liballoc::bench

#endif  // LIBALLOC_BENCH_WORKLOAD_H_
