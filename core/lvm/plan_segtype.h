// What the planner needs to know about an LVM2 segment type name: how it
// maps onto the allocator's SegmentType, its parity devices, and LVM2's
// area multiple (spec §2.2 item 4).
#ifndef LIBALLOC_LVM_PLAN_SEGTYPE_H_
#define LIBALLOC_LVM_PLAN_SEGTYPE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "liballoc/request.h"

namespace liballoc::lvm {

struct SegtypeInfo {
  std::string name;  // as stored in metadata ("striped", "raid5_ls", ...)
  SegmentType alloc_type = SegmentType::kStriped;
  uint32_t parity_devs = 0;
  bool is_raid = false;
  bool is_mirrored = false;  // mirror, raid1, raid10 (LVM2's SEG_AREAS_MIRRORED or raid1/10)
  bool raid_with_meta = false;  // every raid type except raid0
};

// Known allocatable types: striped (and "linear" as its alias), mirror,
// raid0, raid0_meta, raid1, raid10, raid4, raid5 and its layouts, raid6 and
// its layouts; "+FLAG" suffixes of stored types are ignored. nullopt for
// anything else (thin, cache, error, zero, ...).
std::optional<SegtypeInfo> LookupSegtype(std::string_view name);

// LVM2's _calc_area_multiple(segtype, area_count, stripes).
uint32_t AllocAreaMultiple(const SegtypeInfo& type, uint32_t area_count,
                      uint32_t stripes);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_SEGTYPE_H_
