#include "violation.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "testing/outcome_diff.h"

namespace liballoc::fuzz {

void Violation(std::string_view target, std::string_view what, std::string_view detail,
               const Request* request) {
  std::fprintf(stderr, "\n==== liballoc fuzz target '%.*s': %.*s\n%.*s\n",
               static_cast<int>(target.size()), target.data(), static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  if (request != nullptr) {
    std::string text = testing::DescribeRequest(*request);
    std::fprintf(stderr, "---- request\n%s\n", text.c_str());
  }
  std::fflush(stderr);
  std::abort();
}

void CheckOk(std::string_view target, std::string_view what, const absl::Status& status,
             const Request* request) {
  if (!status.ok()) Violation(target, what, status.ToString(), request);
}

}  // namespace liballoc::fuzz
