// The reference allocator: LVM2 2.03.16's allocation as LVM2 runs it: maps
// found by a walk over the maps made so far, lists built by sorted insertion,
// every source and every area walked each round. The oracle for the indexed
// one, and the cost of LVM2's loops in the benchmarks.
#include "alloc_shape.h"
#include "allocation_engine.h"
#include "free_space_view.h"
#include "liballoc/allocator.h"
#include "validate.h"

namespace liballoc {

absl::StatusOr<Result> AllocateReference(const Request& request, WorkCounters* counters) {
  if (absl::Status s = ValidateRequestFields(request); !s.ok()) return s;
  absl::StatusOr<AllocShape> shape = ComputeShape(request);
  if (!shape.ok()) return shape.status();
  FreeSpaceView view;
  // LVM2's maps, found by its walk (free_space_view.h), not the hashed scan.
  if (absl::Status s = BuildViewWith(request, &view, ViewScan::kLvm2MapWalk); !s.ok()) return s;
  EngineScratch scratch;
  scratch.reserve_all_lists = true;
  AllocationEngine engine(request, *shape, view, ScanStrategy::kReference, &scratch,
                          /*tree=*/nullptr, counters);
  return engine.Run();
}

}  // namespace liballoc
