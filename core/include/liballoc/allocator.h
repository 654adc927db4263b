// The C++ entry points. Both allocators take the same Request and give the
// same Result or the same failure, byte for byte: the reference allocator walks
// every source and area each round as LVM2 2.03.16 does; the indexed one
// answers the same questions from an index. The reference is the oracle.
#ifndef LIBALLOC_ALLOCATOR_H_
#define LIBALLOC_ALLOCATOR_H_

#include "absl/status/statusor.h"
#include "liballoc/request.h"

namespace liballoc {

// Deterministic work counters, for benchmarks and the regression gate.
struct WorkCounters {
  uint64_t areas_visited = 0;
  uint64_t rounds = 0;
  uint64_t sources_touched = 0;  // source scans started
};

// Checks the invariants stated in request.h. OK or kInvalidRequest naming the
// first broken one.
absl::Status ValidateRequest(const Request& request);

// LVM2 2.03.16's allocation, the straightforward way (spec §3–§7).
absl::StatusOr<Result> AllocateReference(const Request& request,
                                         WorkCounters* counters = nullptr);

// The same allocation answered from a per-call index: byte-identical results
// and failures, at a cost that grows with the areas used, not all areas.
absl::StatusOr<Result> AllocateIndexed(const Request& request,
                                       WorkCounters* counters = nullptr);

// The default allocator (the indexed one).
absl::StatusOr<Result> Allocate(const Request& request,
                                WorkCounters* counters = nullptr);

}  // namespace liballoc

#endif  // LIBALLOC_ALLOCATOR_H_
