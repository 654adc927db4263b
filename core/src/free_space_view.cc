#include "free_space_view.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_format.h"
#include "liballoc/error.h"

namespace liballoc {
namespace {

absl::Status Invalid(const std::string& what) {
  return MakeAllocError(AllocError::kInvalidRequest, what);
}

// Areas must not overlap; LVM2 creates them in PE order within a range, but
// ranges may come in any order, so only a sorted copy can be checked.
absl::Status CheckDisjoint(const Area* areas, uint32_t n, SourceHandle handle) {
  bool ascending = true;
  for (uint32_t i = 1; i < n && ascending; ++i) ascending = areas[i - 1].start < areas[i].start;
  std::vector<Area> sorted;
  if (!ascending) {
    sorted.assign(areas, areas + n);
    std::sort(sorted.begin(), sorted.end(),
              [](const Area& a, const Area& b) { return a.start < b.start; });
    areas = sorted.data();
  }
  for (uint32_t i = 1; i < n; ++i) {
    if (areas[i].start < areas[i - 1].start + areas[i - 1].count) {
      return Invalid(absl::StrFormat("source %#x: free areas at PE %u and PE %u overlap", handle,
                                     areas[i - 1].start, areas[i].start));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status BuildView(const Request& request, FreeSpaceView* view) {
  constexpr uint64_t kMax32 = std::numeric_limits<uint32_t>::max();
  view->sources.clear();
  view->merged.clear();
  view->total_free = 0;
  view->index_of.Reset(request.sources.size());
  view->sources.reserve(request.sources.size());
  HandleTable unallocatable;  // handle -> first entry index
  unallocatable.Reset(0);
  for (size_t i = 0; i < request.sources.size(); ++i) {
    const Source& src = request.sources[i];
    if (src.pe_count > kMax32) {
      return Invalid(absl::StrFormat("source %d: pe_count %u exceeds 2^32-1", i, src.pe_count));
    }
    // One tight pass accumulates the sums and whether anything may be off;
    // for areas in ascending PE order (how LVM2 creates them within a
    // range) only the last one can pass the source's end. Anything unusual
    // takes the slow path, which names the first broken invariant.
    uint64_t free = 0;
    Extent max_count = 0;
    uint64_t odd = 0;  // nonzero: an area overlaps the previous one, or is empty
    Extent prev_end = 0;
    for (const Area& a : src.areas) {
      const Extent end = a.start + a.count;
      odd |= static_cast<uint64_t>(a.start < prev_end) | static_cast<uint64_t>(end <= a.start);
      prev_end = end;
      free += a.count;
      max_count = a.count > max_count ? a.count : max_count;
    }
    const uint32_t n = static_cast<uint32_t>(src.areas.size());
    const Extent pe_count = src.pe_count;
    if (odd || prev_end > pe_count) {
      for (size_t j = 0; j < src.areas.size(); ++j) {
        const Area& a = src.areas[j];
        if (a.count == 0) {
          return Invalid(absl::StrFormat("source %d area %d: empty area at PE %u", i, j, a.start));
        }
        if (a.start >= pe_count || a.count > pe_count - a.start) {
          return Invalid(absl::StrFormat(
              "source %d area %d: PEs %u-%u outside the source's %u extents", i, j, a.start,
              a.start + a.count - 1, pe_count));
        }
      }
      if (absl::Status s = CheckDisjoint(src.areas.data(), n, src.handle); !s.ok()) return s;
    }
    if (!src.allocatable) {
      // Never used, but a handle must not claim two sizes.
      const uint32_t first = unallocatable.FindOrInsert(src.handle, static_cast<uint32_t>(i));
      if (request.sources[first].pe_count != src.pe_count) {
        return Invalid(absl::StrFormat("source %d: handle %#x given with pe_count %u and %u", i,
                                       src.handle, request.sources[first].pe_count, src.pe_count));
      }
      continue;
    }
    view->total_free += free;
    const uint32_t next = static_cast<uint32_t>(view->sources.size());
    const uint32_t m = view->index_of.FindOrInsert(src.handle, next);
    if (m == next) {
      ViewSource v;
      v.handle = src.handle;
      v.areas = src.areas.data();
      v.num_areas = n;
      v.max_count = max_count;
      v.tag_names = &src.tags;
      v.pe_count = src.pe_count;
      view->sources.push_back(v);
      continue;
    }
    // A repeated handle (a PV named with several PE ranges): its areas are
    // appended in entry order, as LVM2 inserts them into the same map.
    ViewSource& v = view->sources[m];
    if (v.pe_count != src.pe_count) {
      return Invalid(absl::StrFormat("source %d: handle %#x given with pe_count %u and %u", i,
                                     src.handle, v.pe_count, src.pe_count));
    }
    if (v.merged < 0) {
      v.merged = static_cast<int32_t>(view->merged.size());
      view->merged.emplace_back(v.areas, v.areas + v.num_areas);
    }
    std::vector<Area>& all = view->merged[v.merged];
    all.insert(all.end(), src.areas.begin(), src.areas.end());
    v.max_count = std::max(v.max_count, max_count);
  }
  if (view->total_free > kMax32) {
    return Invalid(absl::StrFormat("%u free extents in all: LVM2 counts free space in 32 bits",
                                   view->total_free));
  }
  // Pointers into `merged` are taken last: the outer vector may have grown.
  for (uint32_t m = 0; m < view->sources.size(); ++m) {
    if (view->sources[m].merged < 0) continue;
    const std::vector<Area>& all = view->merged[view->sources[m].merged];
    view->sources[m].areas = all.data();
    view->sources[m].num_areas = static_cast<uint32_t>(all.size());
    if (absl::Status s = CheckDisjoint(all.data(), view->sources[m].num_areas, view->sources[m].handle);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace liballoc
