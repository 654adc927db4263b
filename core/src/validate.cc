// Request validation: everything the allocator assumes about its input is
// checked here once, so the allocators can trust it (and never crash on it).
#include <algorithm>
#include <limits>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "alloc_shape.h"
#include "liballoc/allocator.h"
#include "liballoc/error.h"

namespace liballoc {
namespace {

absl::Status Invalid(const std::string& what) {
  return MakeAllocError(AllocError::kInvalidRequest, what);
}

}  // namespace

absl::Status ValidateRequest(const Request& r) {
  constexpr uint64_t kMax32 = std::numeric_limits<uint32_t>::max();
  if (r.policy > Policy::kAnywhere) return Invalid("unknown allocation policy");
  if (r.type > SegmentType::kCachePool) return Invalid("unknown segment type");
  if (auto shape = ComputeShape(r); !shape.ok()) return shape.status();

  // Per handle: all areas of all entries, to find overlaps across entries.
  absl::flat_hash_map<SourceHandle, std::vector<std::pair<Extent, Extent>>> by_handle;
  absl::flat_hash_map<SourceHandle, Extent> pe_counts;
  uint64_t total_free = 0;
  for (size_t i = 0; i < r.sources.size(); ++i) {
    const Source& src = r.sources[i];
    if (src.pe_count > kMax32) {
      return Invalid(absl::StrFormat("source %d: pe_count %u exceeds 2^32-1", i, src.pe_count));
    }
    auto [it, inserted] = pe_counts.emplace(src.handle, src.pe_count);
    if (!inserted && it->second != src.pe_count) {
      return Invalid(absl::StrFormat(
          "source %d: handle %#x given with pe_count %u and %u", i, src.handle,
          it->second, src.pe_count));
    }
    auto& spans = by_handle[src.handle];
    for (size_t j = 0; j < src.areas.size(); ++j) {
      const Area& a = src.areas[j];
      if (a.count == 0) {
        return Invalid(absl::StrFormat("source %d area %d: empty area at PE %u", i, j, a.start));
      }
      if (a.start >= src.pe_count || a.count > src.pe_count - a.start) {
        return Invalid(absl::StrFormat(
            "source %d area %d: PEs %u-%u outside the source's %u extents", i, j,
            a.start, a.start + a.count - 1, src.pe_count));
      }
      spans.emplace_back(a.start, a.count);
      if (src.allocatable) total_free += a.count;
    }
  }
  if (total_free > kMax32) {
    return Invalid(absl::StrFormat(
        "%u free extents in all: LVM2 counts free space in 32 bits", total_free));
  }
  for (auto& [handle, spans] : by_handle) {
    std::sort(spans.begin(), spans.end());
    for (size_t k = 1; k < spans.size(); ++k) {
      if (spans[k].first < spans[k - 1].first + spans[k - 1].second) {
        return Invalid(absl::StrFormat(
            "source %#x: free areas at PE %u and PE %u overlap", handle,
            spans[k - 1].first, spans[k].first));
      }
    }
  }
  if (r.prev) {
    if (r.prev->area_count == 0) return Invalid("prev segment has no areas");
    if (r.prev->le_end == 0 || r.prev->le_end > r.existing_extents) {
      return Invalid(absl::StrFormat(
          "prev segment ends at LE %u but the LV has %u extents", r.prev->le_end,
          r.existing_extents));
    }
    if (r.prev->stripes_per_image == 0 || r.prev->stripes_per_image > 65536 ||
        r.prev->area_count > 65536) {
      return Invalid("prev segment stripes_per_image/area_count out of range");
    }
  }
  for (const ParallelArea& pa : r.parallel_areas) {
    if (pa.le > kMax32 || pa.len > kMax32 || pa.le + pa.len > kMax32) {
      return Invalid("parallel area beyond 2^32-1 extents");
    }
  }
  return absl::OkStatus();
}

}  // namespace liballoc
