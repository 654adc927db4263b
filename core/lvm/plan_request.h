// From a VG and the PV list to the allocator's view: sources (free areas in
// PV-list order), the previous segment of an LV being extended (spec §8.1
// traversal, flattened), and parallel areas to avoid.
//
// Source handles are indexes into vg.pvs.
#ifndef LIBALLOC_LVM_PLAN_REQUEST_H_
#define LIBALLOC_LVM_PLAN_REQUEST_H_

#include <optional>
#include <vector>

#include "absl/types/span.h"
#include "liballoc/request.h"
#include "lvm/plan_pv_list.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm {

// The sources of `list`: PVs that are not allocatable or missing are left
// out (LVM2 gives them no map entry); a PV entry whose ranges hold no free
// PE stays, with no areas.
std::vector<Source> MakeSources(const VgModel& vg,
                                absl::Span<const std::vector<Area>> free_runs,
                                absl::Span<const PvListEntry> list);

// PrevSegment for extending `lv` (its last segment), or nullopt when the LV
// has no segments.
std::optional<PrevSegment> MakePrevSegment(const VgModel& vg, const LvModel& lv);

// The PV areas of `lv`'s segments walked from LE 0 as LVM2's
// build_parallel_areas_from_lv does: one entry per run where no image
// changes segment, listing every PV the LV uses in that LE range.
std::vector<ParallelArea> MakeParallelAreas(const VgModel& vg,
                                            const LvModel& lv);

// Index of the LV named `name` in vg.lvs, or -1.
int FindLv(const VgModel& vg, std::string_view name);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_REQUEST_H_
