#include "liballoc/error.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"

namespace liballoc {
namespace {

// The payload that carries the AllocError inside an absl::Status.
constexpr char kPayloadUrl[] = "type.liballoc/AllocError";

absl::StatusCode CanonicalCode(AllocError code) {
  switch (code) {
    case AllocError::kInvalidRequest:
      return absl::StatusCode::kInvalidArgument;
    case AllocError::kNotDivisible:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kResourceExhausted;
  }
}

}  // namespace

absl::Status MakeAllocError(AllocError code, std::string_view message) {
  absl::Status status(CanonicalCode(code), absl::string_view(message.data(), message.size()));
  status.SetPayload(kPayloadUrl, absl::Cord(std::to_string(static_cast<int>(code))));
  return status;
}

std::optional<AllocError> AllocErrorOf(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  absl::optional<absl::Cord> payload = status.GetPayload(kPayloadUrl);
  if (!payload) return std::nullopt;
  int value = 0;
  if (!absl::SimpleAtoi(std::string(*payload), &value)) return std::nullopt;
  return static_cast<AllocError>(value);
}

std::string_view AllocErrorName(AllocError code) {
  switch (code) {
    case AllocError::kInvalidRequest: return "invalid_request";
    case AllocError::kInsufficientFreeSpace: return "insufficient_free_space";
    case AllocError::kInsufficientSuitable: return "insufficient_suitable";
    case AllocError::kNothingFound: return "nothing_found";
    case AllocError::kLogSpace: return "log_space";
    case AllocError::kNotEnoughParallelPvs: return "not_enough_parallel_pvs";
    case AllocError::kNotDivisible: return "not_divisible";
    case AllocError::kMetadataDoesNotFit: return "metadata_does_not_fit";
    case AllocError::kWouldDoubleBook: return "would_double_book";
  }
  return "unknown";
}

}  // namespace liballoc
