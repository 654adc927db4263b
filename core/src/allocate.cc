// The one-shot indexed allocator (the default): the same engine as the
// reference, with a per-call tree over the sources' largest areas.
#include <vector>

#include "alloc_shape.h"
#include "allocation_engine.h"
#include "free_space_view.h"
#include "liballoc/allocator.h"
#include "validate.h"
#include "max_tree.h"

namespace liballoc {

absl::StatusOr<Result> AllocateIndexed(const Request& request, WorkCounters* counters) {
  if (absl::Status s = ValidateRequestFields(request); !s.ok()) return s;
  absl::StatusOr<AllocShape> shape = ComputeShape(request);
  if (!shape.ok()) return shape.status();
  FreeSpaceView view;
  MaxTree tree;
  if (absl::Status s = BuildView(request, &view, &tree); !s.ok()) return s;
  EngineScratch scratch;
  scratch.reserve_all_lists = true;
  AllocationEngine engine(request, *shape, view, ScanStrategy::kIndexed, &scratch, &tree, counters);
  return engine.Run();
}

absl::StatusOr<Result> Allocate(const Request& request, WorkCounters* counters) {
  return AllocateIndexed(request, counters);
}

}  // namespace liballoc
