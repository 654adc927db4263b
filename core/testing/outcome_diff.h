// Byte-for-byte comparison of two allocation outcomes (reference vs indexed,
// or one allocator run twice), naming the first difference. Every field of
// Result, Batch and Piece is compared, and failures by code and message.
#ifndef LIBALLOC_TESTING_OUTCOME_DIFF_H_
#define LIBALLOC_TESTING_OUTCOME_DIFF_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "liballoc/request.h"

namespace liballoc::testing {

// OK if identical, else kInternal "<what>: expected ..., got ...".
absl::Status CompareOutcomes(const absl::StatusOr<Result>& expected,
                             const absl::StatusOr<Result>& actual);

// A compact human-readable rendering, for test failure messages.
std::string DescribeOutcome(const absl::StatusOr<Result>& outcome);
// Every field of a request, sources included (one line per source).
std::string DescribeRequest(const Request& request);

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_OUTCOME_DIFF_H_
