// The state one planned command works on, shared by the lvcreate and
// lvextend/lvresize flows (plan_create.cc, plan_resize.cc). Internal to the
// planner.
#ifndef LIBALLOC_LVM_PLAN_CONTEXT_H_
#define LIBALLOC_LVM_PLAN_CONTEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "liballoc/request.h"
#include "lvm/plan_command.h"
#include "lvm/plan_config.h"
#include "lvm/plan_log.h"
#include "lvm/plan_options.h"
#include "lvm/plan_size.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm {

// Option values after lvm's own value parsing.
struct OptionValues {
  std::optional<SizeValue> extents;      // -l
  std::optional<SizeValue> size;         // -L, sectors
  std::optional<uint64_t> stripes;       // -i
  std::optional<SizeValue> stripe_size;  // -I, sectors
  std::optional<uint64_t> mirrors;       // -m
  Sign mirrors_sign = Sign::kNone;
  std::optional<uint64_t> region_size;   // -R, sectors
  std::optional<std::string> alloc;      // --alloc, validated
  bool contiguous = false;               // -C y
  std::optional<int> mirror_log;         // --mirrorlog: 0 core, 1 disk, 2 mirrored
};

struct PlanContext {
  VgModel vg;  // the VG as the command changes it
  PlanConfig config;
  CommandLine line;
  OptionValues values;
  CommandLog log;
  PlanEnvironment env;
  std::vector<AllocationRecord> allocations;
  // VG commits the command makes before its final one (lvm wipes new rmeta
  // and mirror log LVs through a committed VG), so seqno grows by 1 + this.
  uint64_t intermediate_commits = 0;

  // Free PEs of the whole VG (vg->free_count) and all PEs (extent_count).
  uint64_t VgFreeCount() const;
  uint64_t VgExtentCount() const;
  // Free runs of every PV, indexed like vg.pvs, for the VG as it is now.
  std::vector<std::vector<Area>> FreeRuns() const;

  // Runs the allocator. An allocation failure is logged as lvm prints it
  // (one line per message line) and returned as CommandFailed(); the result
  // is recorded for --explain on success.
  absl::StatusOr<Result> Allocate(const Request& request,
                                  const std::string& lv_name);
};

// "contiguous", ... as liballoc's Policy; "inherit" and "" resolve to the VG
// policy (itself "" = normal).
Policy ResolvePolicy(const std::string& lv_or_command_policy,
                     const std::string& vg_policy);

// lvm's "--extents/--size/--stripes/--stripesize/--regionsize may not be
// zero." checks, made in the same order by lvcreate and lvresize.
absl::Status RejectZeroSizeArguments(const CommandLine& line, const OptionValues& values,
                                     CommandLog& log);

// The flows. Each returns OK with ctx.vg updated, or a status per
// plan_log.h's convention.
absl::Status PlanLvcreate(PlanContext& ctx);
absl::Status PlanLvresize(PlanContext& ctx);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_CONTEXT_H_
