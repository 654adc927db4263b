#include "lvm/plan_request.h"

#include <algorithm>
#include <functional>

#include "lvm/free_space.h"
#include "lvm/plan_segtype.h"

namespace liballoc::lvm {
namespace {

const SegmentModel* FindSegmentByLe(const LvModel& lv, Extent le) {
  for (const SegmentModel& seg : lv.segments) {
    if (le >= seg.start_extent && le < seg.start_extent + seg.extent_count) {
      return &seg;
    }
  }
  return nullptr;
}

uint32_t AreaCount(const SegmentModel& seg) {
  return static_cast<uint32_t>(seg.areas.size());
}

bool SegmentIsMirrored(const SegmentModel& seg) {
  std::optional<SegtypeInfo> type = LookupSegtype(seg.type);
  return type && type->is_mirrored;
}

// LVM2's _stripes_per_mimage.
uint32_t StripesPerImage(const VgModel& vg, const SegmentModel& seg) {
  if (!SegmentIsMirrored(seg) || seg.areas.empty() || !seg.areas[0].is_lv) {
    return 1;
  }
  int sub = FindLv(vg, seg.areas[0].name);
  if (sub < 0 || vg.lvs[sub].segments.empty()) return 1;
  const SegmentModel& last = vg.lvs[sub].segments.back();
  std::optional<SegtypeInfo> type = LookupSegtype(last.type);
  const bool striped_areas =
      type && (type->alloc_type == SegmentType::kStriped ||
               type->alloc_type == SegmentType::kRaid0 ||
               type->alloc_type == SegmentType::kRaid0Meta);
  return striped_areas ? AreaCount(last) : 1;
}

struct Visited {
  uint32_t slot = 0;
  size_t pv = 0;
  Extent pe = 0;
  Extent len = 0;
};

// LVM2's _for_each_pv (spec §8.1). `fn` is called for every PV area in
// visit order; it never stops the walk here (the allocator applies its
// predicates to the flattened list itself).
void ForEachPv(const VgModel& vg, const LvModel& lv, Extent le, Extent len,
               Extent* max_seg_len, uint32_t max_areas, int top_index,
               bool only_single_area_segments,
               const std::function<void(const Visited&)>& fn, int depth = 0) {
  if (depth > 16) return;  // malformed metadata with an LV cycle
  const SegmentModel* seg = FindSegmentByLe(lv, le);
  if (seg == nullptr) return;
  Extent remaining = seg->extent_count - (le - seg->start_extent);
  if (remaining > len) remaining = len;
  if (max_seg_len != nullptr && *max_seg_len > remaining) *max_seg_len = remaining;
  const uint32_t multiple = static_cast<uint32_t>(AreaMultiple(seg->type, AreaCount(*seg)));
  Extent area_len = remaining / multiple;
  if (area_len == 0) area_len = 1;
  uint32_t stripes_per_image = 1;
  if (top_index == -1) stripes_per_image = StripesPerImage(vg, *seg);
  const Extent seg_area_len = seg->extent_count / multiple;

  for (uint32_t s = 0; s < AreaCount(*seg) && (max_areas == 0 || s <= max_areas);
       ++s) {
    const AreaModel& area = seg->areas[s];
    if (area.is_lv) {
      int sub = FindLv(vg, area.name);
      if (sub < 0) continue;
      ForEachPv(vg, vg.lvs[sub], area.start + (le - seg->start_extent) / multiple,
                area_len, max_seg_len,
                (stripes_per_image == 1 && only_single_area_segments) ? 1u : 0u,
                top_index != -1 ? top_index : static_cast<int>(s * stripes_per_image),
                only_single_area_segments, fn, depth + 1);
    } else {
      int pv = FindPvByName(vg, area.name);
      if (pv < 0) continue;
      fn({top_index != -1 ? static_cast<uint32_t>(top_index) + s : s,
          static_cast<size_t>(pv), area.start, seg_area_len});
    }
  }
  if (!only_single_area_segments && SegmentIsMirrored(*seg) &&
      !seg->mirror_log.empty()) {
    int log = FindLv(vg, seg->mirror_log);
    if (log >= 0) {
      ForEachPv(vg, vg.lvs[log], 0, vg.lvs[log].le_count(), nullptr, 0, 0,
                only_single_area_segments, fn, depth + 1);
    }
  }
}

SourceRef RefOf(const VgModel& vg, size_t pv) {
  return SourceRef{static_cast<SourceHandle>(pv), vg.pvs[pv].tags};
}

}  // namespace

int FindLv(const VgModel& vg, std::string_view name) {
  for (size_t i = 0; i < vg.lvs.size(); ++i) {
    if (vg.lvs[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<Source> MakeSources(const VgModel& vg,
                                absl::Span<const std::vector<Area>> free_runs,
                                absl::Span<const PvListEntry> list) {
  std::vector<Source> sources;
  for (const PvListEntry& entry : list) {
    const PvModel& pv = vg.pvs[entry.pv];
    if (!pv.allocatable() || pv.missing()) continue;
    Source source;
    source.handle = entry.pv;
    source.pe_count = pv.pe_count;
    source.tags = pv.tags;
    for (const PeRange& range : entry.ranges) {
      const Extent range_end = std::min(range.start + range.count, pv.pe_count);
      for (const Area& run : free_runs[entry.pv]) {
        const Extent lo = std::max(run.start, range.start);
        const Extent hi = std::min(run.start + run.count, range_end);
        if (hi > lo) source.areas.push_back({lo, hi - lo});
      }
    }
    sources.push_back(std::move(source));
  }
  return sources;
}

std::optional<PrevSegment> MakePrevSegment(const VgModel& vg, const LvModel& lv) {
  if (lv.segments.empty()) return std::nullopt;
  const SegmentModel& last = lv.segments.back();
  PrevSegment prev;
  prev.area_count = AreaCount(last);
  prev.stripes_per_image = StripesPerImage(vg, last);
  prev.le_end = last.start_extent + last.extent_count;
  auto collect = [&vg](std::vector<PrevArea>* out) {
    return [&vg, out](const Visited& v) {
      out->push_back(PrevArea{v.slot, RefOf(vg, v.pv), v.pe, v.len});
    };
  };
  ForEachPv(vg, lv, prev.le_end - 1, 1, nullptr, 0, -1, true,
            collect(&prev.last_extent));
  ForEachPv(vg, lv, 0, prev.le_end, nullptr, 0, -1, true,
            collect(&prev.first_segment));
  return prev;
}

std::vector<ParallelArea> MakeParallelAreas(const VgModel& vg,
                                            const LvModel& lv) {
  std::vector<ParallelArea> areas;
  const Extent le_count = lv.le_count();
  if (lv.segments.empty()) return areas;
  const SegmentModel& first = lv.segments.front();
  std::optional<SegtypeInfo> type = LookupSegtype(first.type);
  const uint32_t raid_multiple =
      type && type->parity_devs ? AreaCount(first) - type->parity_devs : 1;
  Extent current = 0;
  do {
    ParallelArea area;
    area.le = current;
    area.len = le_count - current;
    std::vector<size_t> pvs;
    ForEachPv(vg, lv, current, area.len, &area.len, 0, -1, false,
              [&pvs](const Visited& v) {
                if (std::find(pvs.begin(), pvs.end(), v.pv) == pvs.end()) {
                  pvs.push_back(v.pv);
                }
              });
    for (size_t pv : pvs) area.sources.push_back(RefOf(vg, pv));
    current = area.le + area.len;
    const bool stuck = area.len == 0;  // malformed metadata: no progress
    areas.push_back(std::move(area));
    if (stuck) break;
  } while (current * raid_multiple < le_count);
  return areas;
}

}  // namespace liballoc::lvm
