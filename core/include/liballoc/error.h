// liballoc's failure outcomes. Each LVM2 failure of the allocation path has its
// own code; the absl::Status message is LVM2's own text for it (spec §11), so a
// caller can print it as lvm would.
#ifndef LIBALLOC_ERROR_H_
#define LIBALLOC_ERROR_H_

#include <optional>
#include <string_view>

#include "absl/status/status.h"

namespace liballoc {

enum class AllocError : int {
  kInvalidRequest = 1,        // the request breaks an invariant of request.h
  kInsufficientFreeSpace,     // "Insufficient free space: %llu extents needed, but only %u available"
  kInsufficientSuitable,      // "Insufficient suitable [contiguous ]allocatable extents for logical volume %s: %u more required"
  kNothingFound,              // approx: "Insufficient suitable allocatable extents found for logical volume %s."
  kLogSpace,                  // "Insufficient free space for log allocation for logical volume %s."
  kNotEnoughParallelPvs,      // "Not enough PVs with free space available for parallel allocation."
  kNotDivisible,              // "Number of extents requested (%u) needs to be divisible by %u."
  // "Metadata does not fit on a single PV.", or liballoc's refusal where
  // LVM2 2.03.16 would underflow (a parallel area shorter than its split
  // metadata): "Metadata of %u extents does not fit in a parallel area of %u
  // extents (LVM2 2.03.16 would underflow and abort here); refusing."
  kMetadataDoesNotFit,
  // LVM2 2.03.16 would put a log on an area the same batch had just used up
  // and so double-book extents (spec §7.5 lets the log share a data area);
  // liballoc refuses that batch instead.
  kWouldDoubleBook,
};

// A Status carrying `code` (also readable with AllocErrorOf) and `message`.
absl::Status MakeAllocError(AllocError code, std::string_view message);

// The AllocError of a status made by liballoc, or nullopt for OK/foreign ones.
std::optional<AllocError> AllocErrorOf(const absl::Status& status);

// Stable short name ("insufficient_suitable", ...), for tools and JSON.
std::string_view AllocErrorName(AllocError code);

}  // namespace liballoc

#endif  // LIBALLOC_ERROR_H_
