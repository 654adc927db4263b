#include "workload.h"

#include <algorithm>

#include "bench_vg.h"

namespace liballoc::bench {
namespace {

Extent RoundDown(Extent n, Extent multiple) { return std::max(multiple, n / multiple * multiple); }

// The request of a new LV over the whole VG.
Request NewLv(const std::vector<Source>& vg, SegmentType type, uint32_t stripes,
              uint32_t mirrors, uint32_t log_count, Extent extents, Policy policy) {
  Request r;
  r.sources = vg;
  r.type = type;
  r.stripes = stripes;
  r.mirrors = mirrors;
  r.log_count = log_count;
  r.extents = extents;
  r.policy = policy;
  r.lv_name = "bench";
  return r;
}

// A linear LV of a few extents at the start of a free area of a PV in the
// middle of the VG, taken out of the request's sources; the request extends
// it. Returns the index of that PV.
size_t CarveLinearLv(Request& r) {
  size_t index = r.sources.size() / 2;
  while (r.sources[index].areas.empty() || r.sources[index].areas[0].count < 4) {
    index = (index + 1) % r.sources.size();
  }
  Source& pv = r.sources[index];
  Area& first = pv.areas[0];
  Extent len = std::min<Extent>(16, first.count / 4);
  PrevArea area{0, SourceRef{pv.handle, pv.tags}, first.start, len};
  first.start += len;
  first.count -= len;
  PrevSegment prev;
  prev.area_count = 1;
  prev.stripes_per_image = 1;
  prev.le_end = len;
  prev.last_extent = {area};
  prev.first_segment = {area};
  r.prev = std::move(prev);
  r.existing_extents = len;
  r.mirrors = 0;  // extending a non-mirrored LV
  return index;
}

}  // namespace

std::string WorkloadName(Workload w) {
  switch (w) {
    case Workload::kLinear: return "Linear";
    case Workload::kStriped4: return "Striped4";
    case Workload::kStriped16: return "Striped16";
    case Workload::kClingExtend: return "ClingExtend";
    case Workload::kContiguousExtend: return "ContiguousExtend";
    case Workload::kAnywhere: return "Anywhere";
    case Workload::kRaid5: return "Raid5";
    case Workload::kRaid1: return "Raid1";
    case Workload::kFreeAll: return "FreeAll";
    case Workload::kLinearBig: return "LinearBig";
    case Workload::kStriped16Big: return "Striped16Big";
    case Workload::kLinear1000: return "Linear1000";
    case Workload::kStriped16x1000: return "Striped16x1000";
  }
  return "?";
}

std::optional<Workload> ParseWorkload(const std::string& name) {
  for (Workload w : kAllWorkloads) {
    if (WorkloadName(w) == name) return w;
  }
  return std::nullopt;
}

Request MakeWorkloadRequest(Workload w, const std::vector<Source>& vg) {
  const Extent free = TotalFree(vg);
  const Extent mean_area = std::max<Extent>(1, free / std::max<uint64_t>(1, AreaCount(vg)));
  // `images` copies of `stripes` data stripes of 64 mean areas each.
  auto lv = [&](uint32_t stripes, uint32_t images) {
    const Extent wanted = 64 * mean_area * stripes;
    const Extent cap = free / 4 / images;
    return RoundDown(std::min(wanted, cap), stripes);
  };
  const Extent big = std::max<Extent>(1, free / 32);
  switch (w) {
    case Workload::kLinear:
      return NewLv(vg, SegmentType::kStriped, 1, 1, 0, lv(1, 1), Policy::kNormal);
    case Workload::kStriped4:
      return NewLv(vg, SegmentType::kStriped, 4, 1, 0, lv(4, 1), Policy::kNormal);
    case Workload::kStriped16:
      return NewLv(vg, SegmentType::kStriped, 16, 1, 0, lv(16, 1), Policy::kNormal);
    case Workload::kLinearBig:
      return NewLv(vg, SegmentType::kStriped, 1, 1, 0, big, Policy::kNormal);
    case Workload::kStriped16Big:
      return NewLv(vg, SegmentType::kStriped, 16, 1, 0, RoundDown(big, 16), Policy::kNormal);
    case Workload::kLinear1000:
      return NewLv(vg, SegmentType::kStriped, 1, 1, 0, 1000, Policy::kNormal);
    case Workload::kStriped16x1000:
      return NewLv(vg, SegmentType::kStriped, 16, 1, 0, 16 * 1000, Policy::kNormal);
    case Workload::kAnywhere:
      return NewLv(vg, SegmentType::kStriped, 1, 1, 0, lv(1, 1), Policy::kAnywhere);
    case Workload::kRaid5:
      // 4 data images + parity, one rmeta per image LVM2 counts in log_count.
      return NewLv(vg, SegmentType::kRaid5, 4, 1, 4, lv(4, 2), Policy::kNormal);
    case Workload::kRaid1:
      // Three copies, each the full size.
      return NewLv(vg, SegmentType::kRaid1, 1, 3, 3, lv(1, 3), Policy::kNormal);
    case Workload::kFreeAll: {
      Request r = NewLv(vg, SegmentType::kStriped, 1, 1, 0, TotalFree(vg), Policy::kNormal);
      r.approx = true;
      return r;
    }
    case Workload::kClingExtend: {
      Request r = NewLv(vg, SegmentType::kStriped, 1, 1, 0, 1, Policy::kCling);
      const Source& pv = r.sources[CarveLinearLv(r)];
      Extent on_pv = 0;
      for (const Area& a : pv.areas) on_pv += a.count;
      r.extents = std::max<Extent>(1, on_pv / 2);
      return r;
    }
    case Workload::kContiguousExtend: {
      Request r = NewLv(vg, SegmentType::kStriped, 1, 1, 0, 1, Policy::kContiguous);
      const Source& pv = r.sources[CarveLinearLv(r)];
      r.extents = std::max<Extent>(1, pv.areas[0].count / 2);
      return r;
    }
  }
  return Request{};
}

std::string LayoutName(Layout l) {
  switch (l) {
    case Layout::kLinear: return "linear";
    case Layout::kStriped4: return "striped-i4";
    case Layout::kStriped16: return "striped-i16";
    case Layout::kRaid1: return "raid1-m2";
    case Layout::kRaid5: return "raid5-i4";
    case Layout::kRaid10: return "raid10-i2";
  }
  return "?";
}


uint32_t LayoutStripes(Layout l) {
  switch (l) {
    case Layout::kStriped4: return 4;
    case Layout::kStriped16: return 16;
    case Layout::kRaid5: return 4;
    case Layout::kRaid10: return 2;
    default: return 1;
  }
}

Request MakeLayoutRequest(Layout l, Policy p, Extent extents) {
  const uint32_t stripes = LayoutStripes(l);
  const Extent size = RoundDown(extents, stripes);
  std::vector<Source> none;
  Request r;
  switch (l) {
    case Layout::kLinear:
      r = NewLv(none, SegmentType::kStriped, 1, 1, 0, size, p);
      break;
    case Layout::kStriped4:
    case Layout::kStriped16:
      r = NewLv(none, SegmentType::kStriped, stripes, 1, 0, size, p);
      break;
    case Layout::kRaid1:
      r = NewLv(none, SegmentType::kRaid1, 1, 3, 3, size, p);
      break;
    case Layout::kRaid5:
      r = NewLv(none, SegmentType::kRaid5, 4, 1, 4, size, p);
      break;
    case Layout::kRaid10:
      r = NewLv(none, SegmentType::kRaid10, 2, 2, 4, size, p);
      break;
  }
  // cling_by_tags only differs from cling with a tag list; "@*" matches any
  // shared tag, LVM2's most common setting.
  if (p == Policy::kClingByTags) r.cling_tag_list = std::vector<std::string>{"@*"};
  return r;
}

}  // namespace liballoc::bench
