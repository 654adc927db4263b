// The command line of lvcreate / lvextend / lvresize as getopt_long reads it
// for lvm: short options with attached or separate values (`-l2`, `-l 2`),
// clusters (`-fy`), long options with `=` or separate values and unique
// prefixes, options after positional arguments, `--` ending the options.
//
// Values stay text here; the planner interprets them (plan_size.h), because
// lvm reports a bad value as part of the command (exit status 3) while an
// option lvalloc does not know is lvalloc's own input error (exit 2).
#ifndef LIBALLOC_LVM_PLAN_OPTIONS_H_
#define LIBALLOC_LVM_PLAN_OPTIONS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace liballoc::lvm {

enum class CommandName { kLvcreate, kLvextend, kLvresize };

// Options the planner interprets, by their long names.
enum class Opt {
  kExtents,     // -l
  kSize,        // -L
  kName,        // -n (lvcreate)
  kStripes,     // -i
  kStripeSize,  // -I
  kAlloc,       // --alloc
  kContiguous,  // -C y|n
  kType,        // --type
  kMirrors,     // -m
  kMirrorLog,   // --mirrorlog
  kCoreLog,     // --corelog
  kNoSync,      // --nosync
  kRegionSize,  // -R
};

// An option as given, by its long name without "--" ("activate"), also for
// options the planner ignores; `value` is empty for flags.
struct GivenOption {
  std::string long_name;
  std::string value;
  bool has_value = false;
};

struct CommandLine {
  CommandName command = CommandName::kLvcreate;
  std::vector<GivenOption> given;  // every option, argv order
  // The value text of each option given (the last one when repeated; flags
  // map to "").
  std::map<Opt, std::string> options;
  std::vector<std::string> positional;  // VG or VG/LV, then PV arguments
  std::string config_text;  // --config values given on the command line

  bool Has(Opt opt) const { return options.count(opt) != 0; }
  std::optional<std::string> Value(Opt opt) const;
};

// The long option name lvm uses in messages ("--extents").
const char* LongOptionName(Opt opt);

// Parses argv (argv[0] is the command name: "lvcreate", "lvextend",
// "lvresize"). Live-system options (-a/--activate, -Z/--zero,
// -W/--wipesignatures, -A/--autobackup, -y/--yes, -v, -q, --noudevsync,
// --ignoremonitoring, --monitor for lvcreate; -f/--force, -n/--nofsck for
// lvextend/lvresize) are accepted and ignored. Any other option is an InvalidArgument error naming it.
absl::StatusOr<CommandLine> ParseCommandLine(
    absl::Span<const std::string> argv);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_OPTIONS_H_
