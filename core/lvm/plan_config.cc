#include "lvm/plan_config.h"

#include "lvm/config_text.h"

namespace liballoc::lvm {

absl::StatusOr<PlanConfig> ParsePlanConfig(std::string_view text) {
  PlanConfig config;
  if (text.empty()) return config;
  absl::StatusOr<ConfigNode> root = ParseConfigText(text, "--config");
  if (!root.ok()) return absl::InvalidArgumentError(root.status().message());

  auto read_bool = [&](std::string_view path, bool* out) {
    if (std::optional<int64_t> v = root->FindInt(path)) *out = *v != 0;
  };
  auto read_uint = [&](std::string_view path, uint64_t* out) {
    if (std::optional<int64_t> v = root->FindInt(path); v && *v > 0) {
      *out = static_cast<uint64_t>(*v);
    }
  };
  auto read_string = [&](std::string_view path, std::string* out) {
    if (std::optional<std::string> v = root->FindString(path)) *out = *v;
  };

  read_bool("allocation/maximise_cling", &config.maximise_cling);
  read_bool("allocation/mirror_logs_require_separate_pvs",
            &config.mirror_logs_require_separate_pvs);
  read_bool("allocation/raid_stripe_all_devices",
            &config.raid_stripe_all_devices);
  read_bool("global/support_mirrored_mirror_log",
            &config.support_mirrored_mirror_log);
  read_string("global/mirror_segtype_default", &config.mirror_segtype_default);
  read_string("global/raid10_segtype_default", &config.raid10_segtype_default);
  read_uint("metadata/stripesize", &config.stripesize_kb);
  read_uint("activation/raid_region_size", &config.raid_region_size_kb);
  read_uint("activation/mirror_region_size", &config.mirror_region_size_kb);
  if (const std::vector<ConfigValue>* tags =
          root->FindValues("allocation/cling_tag_list")) {
    // Non-string entries are kept out; the allocator ignores invalid strings
    // (empty, not starting with '@') itself, as LVM2 does.
    std::vector<std::string> list;
    constexpr const char* kEntry = " in config file entry allocation/cling_tag_list";
    for (const ConfigValue& v : *tags) {
      if (v.kind != ConfigValue::Kind::kString) {
        config.cling_tag_list_warnings.push_back(
            std::string("WARNING: Ignoring invalid string") + kEntry);
        continue;
      }
      list.push_back(v.text);
      if (v.text.empty()) {
        config.cling_tag_list_warnings.push_back(
            std::string("WARNING: Ignoring empty string") + kEntry);
      } else if (v.text[0] != '@') {
        config.cling_tag_list_warnings.push_back(
            std::string("WARNING: Ignoring string not starting with @") + kEntry +
            ": " + v.text);
      } else if (v.text.size() == 1) {
        config.cling_tag_list_warnings.push_back(
            std::string("WARNING: Ignoring empty tag") + kEntry);
      }
    }
    config.cling_tag_list = std::move(list);
  }
  return config;
}

}  // namespace liballoc::lvm
