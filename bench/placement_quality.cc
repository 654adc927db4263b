#include "placement_quality.h"

#include <algorithm>
#include <unordered_set>

namespace liballoc::bench {

double FragmentationScore(const std::vector<Source>& vg) {
  uint64_t free = 0, in_largest = 0;
  for (const Source& s : vg) {
    if (!s.allocatable) continue;
    Extent largest = 0;
    for (const Area& a : s.areas) {
      free += a.count;
      largest = std::max(largest, a.count);
    }
    in_largest += largest;
  }
  return free == 0 ? 0.0 : 1.0 - static_cast<double>(in_largest) / static_cast<double>(free);
}

PlacementQuality MeasurePlacement(const Result& result) {
  PlacementQuality q;
  std::unordered_set<SourceHandle> sources;
  for (const auto& slot : result.slots) {
    for (const Piece& p : slot) sources.insert(p.handle);
    q.pieces += slot.size();
  }
  q.sources_touched = sources.size();
  q.segments = result.batches.size();
  return q;
}

}  // namespace liballoc::bench
