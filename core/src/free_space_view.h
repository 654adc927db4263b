// The allocator's read-only view of the free space: LVM2's pv_maps before any
// area list is built. One entry per allocatable source, in first-appearance
// order; each entry's areas in creation order. Built per call from a Request
// (one-shot), or kept up to date by an AreaIndex (persistent).
#ifndef LIBALLOC_SRC_FREE_SPACE_VIEW_H_
#define LIBALLOC_SRC_FREE_SPACE_VIEW_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "liballoc/request.h"
#include "tag_matcher.h"

namespace liballoc {

struct ViewSource {
  SourceHandle handle = 0;
  const Area* areas = nullptr;  // creation order
  uint32_t num_areas = 0;
  Extent max_count = 0;         // the largest area, 0 if none
  const std::vector<std::string>* tag_names = nullptr;
};

struct FreeSpaceView {
  std::vector<ViewSource> sources;
  absl::flat_hash_map<SourceHandle, uint32_t> index_of;
  uint64_t total_free = 0;
  // Areas of sources named by several request entries, concatenated.
  std::vector<std::vector<Area>> merged;
};

// Builds the view of `request.sources` (skipping non-allocatable entries,
// merging entries that share a handle). The view points into the request.
void BuildView(const Request& request, FreeSpaceView* view);

}  // namespace liballoc

#endif  // LIBALLOC_SRC_FREE_SPACE_VIEW_H_
