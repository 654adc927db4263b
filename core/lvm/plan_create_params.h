// lvcreate's command-line phase (tools/lvcreate.c _lvcreate_params and the
// helpers it calls): the segment type, names, size, stripe, mirror and raid
// options, checked in lvm's order. Every refusal here is lvm's exit status 3.
// Internal to the planner.
#ifndef LIBALLOC_LVM_PLAN_CREATE_PARAMS_H_
#define LIBALLOC_LVM_PLAN_CREATE_PARAMS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lvm/plan_context.h"
#include "lvm/plan_layered.h"
#include "lvm/plan_segtype.h"

namespace liballoc::lvm {

struct CreateParams {
  SegtypeInfo type;
  bool is_mirror = false;
  bool is_raid = false;
  std::string vg_name;
  std::string lv_name;  // empty: lvm picks "lvol<N>"
  std::vector<std::string> pv_args;
  uint64_t stripes = 1;  // raid10: doubled here, halved by the raid checks
  bool stripes_supplied = false;
  uint64_t stripe_size = 0;  // sectors
  uint32_t mirrors = 1;
  LayeredParams layered;     // nosync, region_size, log_count so far
  std::string alloc;         // "inherit" unless --alloc or -C y
};

absl::StatusOr<CreateParams> ReadCreateParams(PlanContext& ctx);

// lvm's limits shared by both phases.
inline constexpr uint64_t kStripeSizeMin = 8;  // the page size, in sectors
bool IsAnyRaid0(const SegtypeInfo& type);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_CREATE_PARAMS_H_
