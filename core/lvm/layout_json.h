// The layout JSON of /work/shared/spec/layout-json.md: a normalization of a
// VG's metadata, free of ids, timestamps and sequence numbers, so that two
// layouts are equal exactly when the allocations are.
#ifndef LIBALLOC_LVM_LAYOUT_JSON_H_
#define LIBALLOC_LVM_LAYOUT_JSON_H_

#include <string>

#include "absl/status/status.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm {

// The layout as JSON text: keys sorted, two-space indentation, a container
// on one line when its members are scalars or arrays of scalars (areas,
// params, PVs), a final newline. Byte-stable: equal models give equal text.
std::string LayoutJson(const VgModel& vg);

// OK when the layouts are equal by the spec's rules (the set of LV names; per
// LV `visible`; per segment start_extent, extent_count, type, stripe_count,
// areas, meta_areas, log). Otherwise a FailedPrecondition error whose message
// lists the first differences, one per line, e.g.
//   LV lv1 segment 1 (LE 0): areas: expected [pv0:0, pv1:0], got [pv0:0, pv2:0]
absl::Status CompareLayouts(const VgModel& expected, const VgModel& actual);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_LAYOUT_JSON_H_
