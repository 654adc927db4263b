// The allocatable PV list built from command-line PV arguments (spec §2.6;
// LVM2's create_pv_list): `PV`, `PV:A`, `PV:A-B`, `PV:A-`, `PV:-B`,
// `PV:A+N`, `PV:+N`, several ranges `PV:R1:R2`, and `@tag`.
#ifndef LIBALLOC_LVM_PLAN_PV_LIST_H_
#define LIBALLOC_LVM_PLAN_PV_LIST_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "liballoc/request.h"
#include "lvm/plan_log.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm {

struct PeRange {
  Extent start = 0;
  Extent count = 0;
};

struct PvListEntry {
  size_t pv = 0;                // index into vg.pvs
  std::vector<PeRange> ranges;  // in argument order, never overlapping
};

// A PV argument names a PV by its device (the metadata's device hint, as
// lvm does) or, as an lvalloc extension, by its metadata key ("pv0").
// Returns the index into vg.pvs or -1.
int FindPvByName(const VgModel& vg, std::string_view name);

// Builds the list in argument order, warning about (and dropping) PVs that
// are not allocatable, missing or full, exactly as create_pv_list does.
// Failures are lvm's (kAborted, message in `log`).
absl::Status BuildPvList(const VgModel& vg, absl::Span<const std::vector<Area>> free_runs,
                         absl::Span<const std::string> args, CommandLog& log,
                         std::vector<PvListEntry>* list);

// The implicit list without PV arguments: every VG PV, whole, VG order.
std::vector<PvListEntry> WholeVgPvList(const VgModel& vg);

// Free PEs inside the list's ranges (pv_list_extents_free, for %PVS).
Extent FreeExtentsInList(absl::Span<const PvListEntry> list,
                         absl::Span<const std::vector<Area>> free_runs);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_PV_LIST_H_
