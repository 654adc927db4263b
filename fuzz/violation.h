// How every fuzz target stops on a broken invariant: print what broke (and the
// request, so a crash report is readable without re-running) and abort(), so
// libFuzzer saves the input and the replayer exits non-zero.
#ifndef LIBALLOC_FUZZ_VIOLATION_H_
#define LIBALLOC_FUZZ_VIOLATION_H_

#include <string_view>

#include "absl/status/status.h"
#include "liballoc/request.h"

namespace liballoc::fuzz {

[[noreturn]] void Violation(std::string_view target, std::string_view what,
                            std::string_view detail, const Request* request = nullptr);

// Violation(target, what, status.ToString(), request) unless `status` is OK.
void CheckOk(std::string_view target, std::string_view what, const absl::Status& status,
             const Request* request = nullptr);

}  // namespace liballoc::fuzz

#endif  // LIBALLOC_FUZZ_VIOLATION_H_
