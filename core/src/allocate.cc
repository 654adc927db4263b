#include "liballoc/allocator.h"

namespace liballoc {

absl::StatusOr<Result> Allocate(const Request& request, WorkCounters* counters) {
  return AllocateReference(request, counters);
}

}  // namespace liballoc
