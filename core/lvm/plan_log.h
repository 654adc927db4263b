// What an lvm command prints while it runs, and how planner steps report
// that the command stops.
//
// LVM2 prints errors and warnings on stderr and notices (rounding, "Using
// default stripesize") on stdout, each line indented by two spaces. The
// golden vectors record stderr only, so the two streams are kept apart.
//
// Planner steps return absl::Status with this convention:
//   OK                     go on;
//   kAborted               lvm failed the command (exit status 5), the reason
//                          is already in the log;
//   kFailedPrecondition    lvm rejected the command line (exit status 3), the
//                          reason is already in the log;
//   any other code         lvalloc itself cannot plan this input (exit 2); the
//                          status message says why.
#ifndef LIBALLOC_LVM_PLAN_LOG_H_
#define LIBALLOC_LVM_PLAN_LOG_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace liballoc::lvm {

struct CommandLog {
  std::vector<std::string> stderr_lines;  // "  Volume group ..." as printed
  std::vector<std::string> stdout_lines;
  // Both streams in the order lvm prints them: (true = stderr, line).
  std::vector<std::pair<bool, std::string>> transcript;

  void Error(std::string_view text) { Add(true, text); }
  void Warn(std::string_view text) { Add(true, text); }
  void Print(std::string_view text) { Add(false, text); }
  void Add(bool to_stderr, std::string_view text) {
    (to_stderr ? stderr_lines : stdout_lines).push_back(Indent(text));
    transcript.emplace_back(to_stderr, Indent(text));
  }

  static std::string Indent(std::string_view text) {
    return "  " + std::string(text);
  }
};

// lvm's exit statuses (ECMD_PROCESSED, EINVALID_CMD_LINE, ECMD_FAILED) and
// lvalloc's own for input it cannot plan.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInputError = 2;
inline constexpr int kExitInvalidCommandLine = 3;
inline constexpr int kExitCommandFailed = 5;

// The command failed (exit 5) after `log` got its reason.
inline absl::Status CommandFailed() {
  return absl::AbortedError("lvm command failed");
}

// lvm rejected the command line (exit 3) after `log` got its reason.
inline absl::Status CommandLineRejected() {
  return absl::FailedPreconditionError("lvm rejected the command line");
}

// Logs `text` as an lvm error and returns CommandFailed().
inline absl::Status FailCommand(CommandLog& log, std::string_view text) {
  log.Error(text);
  return CommandFailed();
}

// Logs `text` as an lvm error and returns CommandLineRejected().
inline absl::Status RejectCommandLine(CommandLog& log, std::string_view text) {
  log.Error(text);
  return CommandLineRejected();
}

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_LOG_H_
