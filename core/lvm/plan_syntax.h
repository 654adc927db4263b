// lvm's command-definition matching (tools/lvmcmdline.c _find_command) for
// the lvcreate / lvextend / lvresize forms lvalloc plans: before a command
// runs, lvm picks the definition that best matches the options and
// positional arguments given, and rejects options that definition does not
// accept ("Command does not accept option: --stripes 2.") or a command line
// no definition matches ("No command with matching syntax recognised. ...").
//
// The definitions are restated here from LVM2 2.03.16's command-lines.in for
// the options lvalloc knows; definitions that need options lvalloc does not
// accept (thin, cache, snapshot, vdo, pool metadata, policies) are left out.
#ifndef LIBALLOC_LVM_PLAN_SYNTAX_H_
#define LIBALLOC_LVM_PLAN_SYNTAX_H_

#include "absl/status/status.h"
#include "lvm/plan_log.h"
#include "lvm/plan_options.h"

namespace liballoc::lvm {

// OK, or CommandSyntaxRejected() with lvm's lines in `log` (exit status 3,
// without the "Run `lvcreate --help'" hint, as lvm prints none there).
absl::Status CheckCommandSyntax(const CommandLine& line, CommandLog& log);

// lvm stopped while matching or parsing the command line (exit status 3,
// no --help hint).
absl::Status CommandSyntaxRejected();
bool IsCommandSyntaxRejection(const absl::Status& status);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_SYNTAX_H_
