#include "free_space_view.h"

#include <algorithm>

namespace liballoc {

void BuildView(const Request& request, FreeSpaceView* view) {
  view->sources.clear();
  view->index_of.clear();
  view->merged.clear();
  view->total_free = 0;
  view->index_of.reserve(request.sources.size());
  std::vector<int32_t> merged_of;  // per view source: index into merged, or -1
  for (const Source& src : request.sources) {
    if (!src.allocatable) continue;
    uint64_t free = 0;
    Extent max_count = 0;
    for (const Area& a : src.areas) {
      free += a.count;
      max_count = std::max(max_count, a.count);
    }
    view->total_free += free;
    auto [it, inserted] =
        view->index_of.emplace(src.handle, static_cast<uint32_t>(view->sources.size()));
    if (inserted) {
      ViewSource v;
      v.handle = src.handle;
      v.areas = src.areas.data();
      v.num_areas = static_cast<uint32_t>(src.areas.size());
      v.max_count = max_count;
      v.tag_names = &src.tags;
      view->sources.push_back(v);
      merged_of.push_back(-1);
      continue;
    }
    // A repeated handle (a PV named with several PE ranges): its areas are
    // appended in entry order, as LVM2 inserts them into the same map.
    const uint32_t m = it->second;
    ViewSource& v = view->sources[m];
    if (merged_of[m] < 0) {
      merged_of[m] = static_cast<int32_t>(view->merged.size());
      view->merged.emplace_back(v.areas, v.areas + v.num_areas);
    }
    std::vector<Area>& all = view->merged[merged_of[m]];
    all.insert(all.end(), src.areas.begin(), src.areas.end());
    v.max_count = std::max(v.max_count, max_count);
  }
  // Pointers into `merged` are taken last: the outer vector may have grown.
  for (uint32_t m = 0; m < view->sources.size(); ++m) {
    if (merged_of[m] < 0) continue;
    const std::vector<Area>& all = view->merged[merged_of[m]];
    view->sources[m].areas = all.data();
    view->sources[m].num_areas = static_cast<uint32_t>(all.size());
  }
}

}  // namespace liballoc
