// Request validation: everything the allocator assumes about its input is
// checked once, so the allocators can trust it (and never crash on it).
#include "validate.h"

#include <limits>

#include "absl/strings/str_format.h"
#include "alloc_shape.h"
#include "free_space_view.h"
#include "liballoc/allocator.h"
#include "liballoc/error.h"

namespace liballoc {
namespace {

absl::Status Invalid(const std::string& what) {
  return MakeAllocError(AllocError::kInvalidRequest, what);
}

}  // namespace

absl::Status ValidateRequestFields(const Request& r) {
  constexpr uint64_t kMax32 = std::numeric_limits<uint32_t>::max();
  if (r.policy > Policy::kAnywhere) return Invalid("unknown allocation policy");
  if (r.type > SegmentType::kCachePool) return Invalid("unknown segment type");
  if (auto shape = ComputeShape(r); !shape.ok()) return shape.status();
  if (r.prev) {
    if (r.prev->area_count == 0) return Invalid("prev segment has no areas");
    if (r.prev->le_end == 0 || r.prev->le_end > r.existing_extents) {
      return Invalid(absl::StrFormat("prev segment ends at LE %u but the LV has %u extents",
                                     r.prev->le_end, r.existing_extents));
    }
    if (r.prev->stripes_per_image == 0 ||
        uint64_t{r.prev->stripes_per_image} * r.prev->area_count > (1u << 20)) {
      return Invalid("prev segment stripes_per_image x area_count out of range (at most 2^20)");
    }
  }
  for (const ParallelArea& pa : r.parallel_areas) {
    if (pa.le > kMax32 || pa.len > kMax32 || pa.le + pa.len > kMax32) {
      return Invalid("parallel area beyond 2^32-1 extents");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRequest(const Request& r) {
  if (absl::Status s = ValidateRequestFields(r); !s.ok()) return s;
  FreeSpaceView view;
  return BuildView(r, &view);
}

}  // namespace liballoc
