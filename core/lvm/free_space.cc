#include "lvm/free_space.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace liballoc::lvm {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Used PE ranges [first, second) per PV, unsorted.
using UsedRanges = std::vector<std::pair<uint64_t, uint64_t>>;

// Adds the PV areas of every LV segment to `used`, for the PVs selected by
// `want` (a PV index, or all when want == npos).
void CollectUsed(const VgModel& vg, size_t want, std::vector<UsedRanges>* used) {
  absl::flat_hash_map<std::string_view, size_t> pv_index;
  pv_index.reserve(vg.pvs.size());
  for (size_t i = 0; i < vg.pvs.size(); ++i) pv_index.emplace(vg.pvs[i].key, i);
  for (const LvModel& lv : vg.lvs) {
    for (const SegmentModel& seg : lv.segments) {
      const uint64_t len = AreaLen(seg);
      for (const AreaModel& area : seg.areas) {
        if (area.is_lv) continue;
        auto it = pv_index.find(area.name);
        if (it == pv_index.end()) continue;
        if (want != static_cast<size_t>(-1) && it->second != want) continue;
        const uint64_t end = len > UINT64_MAX - area.start ? UINT64_MAX : area.start + len;
        (*used)[it->second].emplace_back(area.start, end);
      }
    }
  }
}

std::vector<liballoc::Area> Gaps(UsedRanges* used, uint64_t pe_count) {
  std::sort(used->begin(), used->end());
  std::vector<liballoc::Area> free;
  uint64_t next = 0;  // first PE not known to be used
  for (const auto& [first, end] : *used) {
    if (next >= pe_count) break;
    if (first > next) {
      free.push_back({next, std::min(first, pe_count) - next});
    }
    next = std::max(next, end);
  }
  if (next < pe_count) free.push_back({next, pe_count - next});
  return free;
}

}  // namespace

std::string_view BaseSegmentType(std::string_view type) {
  return type.substr(0, type.find('+'));
}

uint64_t AreaMultiple(std::string_view type, uint64_t area_count) {
  type = BaseSegmentType(type);
  if (area_count == 0) return 1;
  if (type == "striped" || StartsWith(type, "raid0")) return area_count;
  uint64_t parity = 0;
  if (StartsWith(type, "raid4") || StartsWith(type, "raid5")) parity = 1;
  if (StartsWith(type, "raid6")) parity = 2;
  if (parity > 0) return area_count <= parity ? 1 : area_count - parity;
  if (StartsWith(type, "raid10")) return std::max<uint64_t>(area_count / 2, 1);
  return 1;
}

uint64_t AreaLen(const SegmentModel& seg) {
  return seg.extent_count / AreaMultiple(seg.type, seg.areas.size());
}

std::vector<liballoc::Area> FreeAreas(const VgModel& vg, size_t pv_index) {
  if (pv_index >= vg.pvs.size()) return {};
  std::vector<UsedRanges> used(vg.pvs.size());
  CollectUsed(vg, pv_index, &used);
  return Gaps(&used[pv_index], vg.pvs[pv_index].pe_count);
}

std::vector<std::vector<liballoc::Area>> AllFreeAreas(const VgModel& vg) {
  std::vector<UsedRanges> used(vg.pvs.size());
  CollectUsed(vg, static_cast<size_t>(-1), &used);
  std::vector<std::vector<liballoc::Area>> free(vg.pvs.size());
  for (size_t i = 0; i < vg.pvs.size(); ++i) {
    free[i] = Gaps(&used[i], vg.pvs[i].pe_count);
  }
  return free;
}

}  // namespace liballoc::lvm
