// The allocator's read-only view of the free space: LVM2's pv_maps before any
// area list is built. One entry per allocatable source, in first-appearance
// order; each entry's areas in creation order. Built per call from a Request
// (one-shot), or kept up to date by an AreaIndex (persistent).
#ifndef LIBALLOC_SRC_FREE_SPACE_VIEW_H_
#define LIBALLOC_SRC_FREE_SPACE_VIEW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "handle_table.h"
#include "liballoc/request.h"

namespace liballoc {

struct ViewSource {
  SourceHandle handle = 0;
  const Area* areas = nullptr;  // creation order
  uint32_t num_areas = 0;
  Extent max_count = 0;         // the largest area, 0 if none
  const std::vector<std::string>* tag_names = nullptr;
  Extent pe_count = 0;
  int32_t merged = -1;          // index into FreeSpaceView::merged, or -1
};

struct FreeSpaceView {
  std::vector<ViewSource> sources;
  HandleTable index_of;
  uint64_t total_free = 0;
  // Areas of sources named by several request entries, concatenated.
  std::vector<std::vector<Area>> merged;
};

// Builds the view of `request.sources` (skipping non-allocatable entries,
// merging entries that share a handle; the view points into the request)
// and checks, in the same pass, the source invariants of request.h:
// kInvalidRequest naming the first one broken. One walk over the areas plus
// a hash insert per entry: this is most of a one-shot call's floor.
absl::Status BuildView(const Request& request, FreeSpaceView* view);

}  // namespace liballoc

#endif  // LIBALLOC_SRC_FREE_SPACE_VIEW_H_
