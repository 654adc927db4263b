// The lvm.conf settings the planner honours, read from a `--config` string
// (LVM2's config text: `allocation { maximise_cling = 0 }` or
// `allocation/maximise_cling = 0`). Defaults are LVM2 2.03.16's; settings
// not listed here are accepted and ignored.
#ifndef LIBALLOC_LVM_PLAN_CONFIG_H_
#define LIBALLOC_LVM_PLAN_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace liballoc::lvm {

struct PlanConfig {
  bool maximise_cling = true;
  std::optional<std::vector<std::string>> cling_tag_list;
  // What lvm warns about the list's invalid entries each time it sets up an
  // allocation (_validate_tag_list), in list order.
  std::vector<std::string> cling_tag_list_warnings;
  bool mirror_logs_require_separate_pvs = false;
  bool raid_stripe_all_devices = false;
  bool support_mirrored_mirror_log = false;
  std::string mirror_segtype_default = "raid1";
  std::string raid10_segtype_default = "raid10";
  uint64_t stripesize_kb = 64;             // metadata/stripesize
  uint64_t raid_region_size_kb = 2048;     // activation/raid_region_size
  uint64_t mirror_region_size_kb = 2048;   // activation/mirror_region_size
};

// InvalidArgument with the parser's "line L, column C" message when the text
// is not config text.
absl::StatusOr<PlanConfig> ParsePlanConfig(std::string_view text);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_CONFIG_H_
