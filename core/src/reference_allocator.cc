// The reference allocator: LVM2 2.03.16's allocation walking every source and
// every area each round, as LVM2 does. The oracle for the indexed one.
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
  if (absl::Status s = BuildView(request, &view); !s.ok()) return s;
  EngineScratch scratch;
  scratch.reserve_all_lists = true;
  AllocationEngine engine(request, *shape, view, ScanStrategy::kReference, &scratch,
                          /*tree=*/nullptr, counters);
  return engine.Run();
}

}  // namespace liballoc
