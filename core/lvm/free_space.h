// The free space of a VG: which PEs of each PV no LV segment uses.
//
// LVM2 keeps each PV as a partition of [0, pe_count) into PV segments, free
// ones merged (spec §1.2); the free PV segments are therefore the maximal free
// runs, ascending. That is what these functions return.
#ifndef LIBALLOC_LVM_FREE_SPACE_H_
#define LIBALLOC_LVM_FREE_SPACE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "liballoc/request.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm {

// LVM2's area multiple of an existing segment (spec §2.2 item 4 with
// stripes = 0): extent_count = area_len * AreaMultiple. `type` may carry
// "+FLAG" suffixes; they are ignored.
//   striped, raid0, raid0_meta: area_count;  raid4/5: area_count - 1;
//   raid6: area_count - 2 (1 when area_count <= parity devices);
//   raid10: area_count / 2;  everything else (mirror, raid1, ...): 1.
uint64_t AreaMultiple(std::string_view type, uint64_t area_count);

// Extents per area of a segment: extent_count / AreaMultiple (truncating, as
// LVM2 divides; the reader rejects striped segments where it is not exact).
uint64_t AreaLen(const SegmentModel& seg);

// The segment type without "+FLAG" suffixes ("raid1+LOCKED" -> "raid1").
std::string_view BaseSegmentType(std::string_view type);

// The maximal free runs of PV `pv_index` (an index into vg.pvs), ascending.
// Areas outside the PV are clipped; overlapping areas are tolerated (the
// reader rejects them, but a model being edited may have them).
std::vector<liballoc::Area> FreeAreas(const VgModel& vg, size_t pv_index);

// FreeAreas of every PV, indexed like vg.pvs, in O(A log A) for A PV areas.
std::vector<std::vector<liballoc::Area>> AllFreeAreas(const VgModel& vg);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_FREE_SPACE_H_
