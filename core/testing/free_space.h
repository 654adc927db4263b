// Keeping a VG's free areas up to date across a sequence of allocations, the
// way LVM2's PV segment map would: taking a Result's pieces out of the free
// areas, and giving removed extents back as maximal free runs (adjacent free
// PV segments merge, spec §1.2), so the next Request sees what LVM2 would.
#ifndef LIBALLOC_TESTING_FREE_SPACE_H_
#define LIBALLOC_TESTING_FREE_SPACE_H_

#include <vector>

#include "absl/status/status.h"
#include "liballoc/request.h"

namespace liballoc::testing {

// Removes [start, start + count) of `handle` from `vg`'s free areas. Fails
// (and changes nothing) unless the range lies inside one free area.
absl::Status TakeFree(std::vector<Source>& vg, SourceHandle handle, Extent start, Extent count);

// Takes every piece of `result`, source by source in one sweep each. Fails
// at a piece that is not free (outside one free area, or overlapping another
// piece of the result), leaving that source unchanged and the sources before
// it (in handle order) taken.
absl::Status TakeResult(std::vector<Source>& vg, const Result& result);

// Returns [start, start + count) of `handle` to the free areas, merged with
// touching neighbours. Fails if any of it is already free or out of range.
absl::Status GiveBack(std::vector<Source>& vg, SourceHandle handle, Extent start, Extent count);

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_FREE_SPACE_H_
