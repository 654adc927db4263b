#include "lvm/plan_segtype.h"

#include "lvm/free_space.h"

namespace liballoc::lvm {

std::optional<SegtypeInfo> LookupSegtype(std::string_view name) {
  name = BaseSegmentType(name);
  SegtypeInfo info;
  info.name = std::string(name);
  if (name == "striped" || name == "linear") {
    info.name = "striped";
    info.alloc_type = SegmentType::kStriped;
    return info;
  }
  if (name == "mirror") {
    info.alloc_type = SegmentType::kMirror;
    info.is_mirrored = true;
    return info;
  }
  info.is_raid = true;
  info.raid_with_meta = true;
  if (name == "raid0") {
    info.alloc_type = SegmentType::kRaid0;
    info.raid_with_meta = false;
    return info;
  }
  if (name == "raid0_meta") {
    info.alloc_type = SegmentType::kRaid0Meta;
    return info;
  }
  if (name == "raid1") {
    info.alloc_type = SegmentType::kRaid1;
    info.is_mirrored = true;
    return info;
  }
  if (name == "raid10") {
    info.alloc_type = SegmentType::kRaid10;
    info.is_mirrored = true;
    return info;
  }
  if (name == "raid4") {
    info.alloc_type = SegmentType::kRaid4;
    info.parity_devs = 1;
    return info;
  }
  static constexpr std::string_view kRaid5[] = {
      "raid5", "raid5_la", "raid5_ra", "raid5_ls", "raid5_rs", "raid5_n"};
  for (std::string_view r : kRaid5) {
    if (name == r) {
      info.alloc_type = SegmentType::kRaid5;
      info.parity_devs = 1;
      return info;
    }
  }
  static constexpr std::string_view kRaid6[] = {
      "raid6",    "raid6_zr",   "raid6_nr",   "raid6_nc",   "raid6_n_6",
      "raid6_la_6", "raid6_ra_6", "raid6_ls_6", "raid6_rs_6"};
  for (std::string_view r : kRaid6) {
    if (name == r) {
      info.alloc_type = SegmentType::kRaid6;
      info.parity_devs = 2;
      return info;
    }
  }
  return std::nullopt;
}

uint32_t AllocAreaMultiple(const SegtypeInfo& type, uint32_t area_count,
                      uint32_t stripes) {
  if (area_count == 0) return 1;
  const bool striped_areas = type.alloc_type == SegmentType::kStriped ||
                             type.alloc_type == SegmentType::kRaid0 ||
                             type.alloc_type == SegmentType::kRaid0Meta;
  if (striped_areas) return area_count;
  if (type.is_raid && type.parity_devs > 0) {
    return area_count <= type.parity_devs ? 1 : area_count - type.parity_devs;
  }
  if (type.alloc_type == SegmentType::kRaid10) {
    return stripes == 0 ? area_count / 2 : stripes;
  }
  if (stripes != 0) return stripes;
  return 1;
}


}  // namespace liballoc::lvm
