// Reads LVM2 text metadata (a vgcfgbackup file, or the metadata area text)
// into a VgModel, and checks that the model is a consistent VG.
#ifndef LIBALLOC_LVM_METADATA_READER_H_
#define LIBALLOC_LVM_METADATA_READER_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lvm/config_text.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm {

// Parses metadata text: top-level `key = value` entries (contents, version,
// description, ...) go to `header`, the single top-level section is the VG.
// Then ValidateVgModel. Errors name the line, PV, LV or segment concerned.
absl::StatusOr<VgModel> ParseMetadata(std::string_view text);

// The same from an already parsed tree.
absl::StatusOr<VgModel> VgModelFromConfig(const ConfigNode& root);

// Checks what LVM2 relies on when it reads metadata:
// - every LV's segments are contiguous from LE 0 and non-empty, and each
//   segment's extent_count is a whole number of area lengths;
// - every PV area lies inside its PV (pe + area_len <= pe_count);
// - no two PV areas overlap;
// - every PV key and LV name an area or mirror_log refers to exists.
// The reader sorts segments by start_extent first, as LVM2 does.
absl::Status ValidateVgModel(const VgModel& vg);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_METADATA_READER_H_
