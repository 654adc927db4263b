// Plans one lvcreate / lvextend / lvresize command on a VG as LVM2 2.03.16
// would run it: same checks in the same order, same messages, same exit
// status, and on success the VG as LVM2 would write it.
#ifndef LIBALLOC_LVM_PLAN_COMMAND_H_
#define LIBALLOC_LVM_PLAN_COMMAND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "liballoc/request.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm {

// One call of the allocator made by the command, for --explain.
struct AllocationRecord {
  std::string lv_name;  // the LV the space went to ("lv1", "lv1_mlog", ...)
  Request request;
  Result result;
};

struct CommandOutcome {
  int exit_status = 0;  // 0 ok, 3 command line rejected by lvm, 5 failed
  std::vector<std::string> messages;  // stderr lines as lvm prints them ("  ...")
  std::vector<std::string> notices;   // stdout lines as lvm prints them
  // messages and notices interleaved as lvm prints them (true = stderr).
  std::vector<std::pair<bool, std::string>> transcript;
  std::optional<VgModel> vg;          // the VG after the command, on success
  std::vector<AllocationRecord> allocations;
};

// What the planner cannot read from the VG: stamps for new LVs.
struct PlanEnvironment {
  int64_t creation_time = 0;
  std::string creation_host = "lvalloc";
};

// argv[0] is "lvcreate", "lvextend" or "lvresize"; the rest is the command
// line. `config_text` is what `--config` would be given (may be empty).
// The error status is lvalloc's own: an option or command form it does not
// plan, a shrink, a size beyond 2^32 extents, unreadable config text, or a
// VG it cannot map (InvalidArgument / Unimplemented / OutOfRange; lvalloc
// exits 2). Everything lvm itself would reject or fail is an outcome.
absl::StatusOr<CommandOutcome> PlanCommand(const VgModel& vg,
                                           absl::Span<const std::string> argv,
                                           std::string_view config_text,
                                           const PlanEnvironment& env = {});

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_COMMAND_H_
