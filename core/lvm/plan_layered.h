// raid and old-style mirror LVs: creating them (image and metadata sub-LVs,
// the top-level segment, the separate mirror log allocation, spec §9.3/§9.4)
// and extending them (one more batch per image).
#ifndef LIBALLOC_LVM_PLAN_LAYERED_H_
#define LIBALLOC_LVM_PLAN_LAYERED_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "liballoc/request.h"
#include "lvm/plan_apply.h"
#include "lvm/plan_config.h"
#include "lvm/plan_context.h"
#include "lvm/plan_log.h"
#include "lvm/plan_pv_list.h"
#include "lvm/plan_segtype.h"

namespace liballoc::lvm {

struct LayeredParams {
  SegtypeInfo type;
  uint32_t stripes = 1;   // data stripes (raid10: per copy)
  uint32_t mirrors = 1;   // data copies
  uint64_t stripe_size = 0;  // sectors
  uint64_t region_size = 0;  // sectors
  uint32_t log_count = 0;    // mirror: 0 core, 1 disk, 2 mirrored
  bool nosync = false;
  NewLvStamp stamp;
  std::vector<PvListEntry> pv_list;
};

// get_default_region_size: activation/raid_region_size overrides
// activation/mirror_region_size; in sectors, a power of two.
uint64_t DefaultRegionSize(const PlanConfig& config, CommandLog& log);

// adjusted_mirror_region_size: a region no larger than the LV (reduced to a
// power of two, with lvm's notice).
uint64_t AdjustedRegionSize(uint64_t extent_size, uint64_t extents,
                            uint64_t region_size, CommandLog& log);

// Allocates and builds a new raid/mirror LV; ctx.vg.lvs.back() is the new,
// empty top-level LV and `request` carries sources, policy and size.
absl::Status CreateLayeredLv(PlanContext& ctx, Request request,
                             const LayeredParams& params);

// Appends one allocation's images to an existing raid/mirror LV `lv_index`
// (its single top-level segment grows by result's logical extents).
absl::Status ExtendLayeredLv(PlanContext& ctx, size_t lv_index,
                             const Request& request, const SegtypeInfo& type,
                             uint32_t stripes, uint64_t stripe_size);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_LAYERED_H_
