#include "synthetic_request.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

#include "prng.h"

namespace liballoc::testing {
namespace {

// The operations of spec §2.3 that reach the allocator with distinct shapes.
enum class Op : uint8_t {
  kStriped, kRaid0, kRaid0Meta, kRaid1, kRaid10, kRaid4, kRaid5, kRaid6,
  kMirrorLegs, kMirrorLog, kThinPool, kCachePool, kRaidAddImages,
};

Op DrawOp(const RequestShape& shape, SplitMix64& rng) {
  std::vector<Op> ops = {Op::kStriped, Op::kStriped, Op::kStriped};
  if (shape.raid) {
    ops.insert(ops.end(), {Op::kRaid0, Op::kRaid0Meta, Op::kRaid1, Op::kRaid1, Op::kRaid10,
                           Op::kRaid4, Op::kRaid5, Op::kRaid6, Op::kRaidAddImages});
  }
  if (shape.mirror) ops.insert(ops.end(), {Op::kMirrorLegs, Op::kMirrorLog});
  if (shape.pools) ops.insert(ops.end(), {Op::kThinPool, Op::kCachePool});
  return ops[rng.Below(ops.size())];
}

void Shuffle(std::vector<size_t>& v, SplitMix64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.Below(i)]);
}

// `count` distinct indices of [0, n) in random order (partial Fisher-Yates).
std::vector<size_t> DrawIndices(size_t n, size_t count, SplitMix64& rng) {
  std::vector<size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  count = std::min(count, n);
  for (size_t i = 0; i < count; ++i) std::swap(idx[i], idx[i + rng.Below(n - i)]);
  idx.resize(count);
  return idx;
}

// The free areas of `source` inside [lo, hi), in ascending order.
std::vector<Area> Clip(const Source& source, Extent lo, Extent hi) {
  std::vector<Area> out;
  for (const Area& a : source.areas) {
    Extent s = std::max(a.start, lo), e = std::min(a.start + a.count, hi);
    if (s < e) out.push_back(Area{s, e - s});
  }
  return out;
}

// One to three disjoint PE ranges of [0, pe_count), as LVM2 PV arguments
// (pv:A-B) would give them, in random order.
std::vector<std::pair<Extent, Extent>> DrawRanges(Extent pe_count, SplitMix64& rng) {
  uint64_t k = std::min<uint64_t>(rng.Between(1, 3), pe_count);
  std::vector<Extent> cuts;
  for (uint64_t i = 0; i < 2 * k; ++i) cuts.push_back(rng.Below(pe_count + 1));
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::pair<Extent, Extent>> ranges;
  for (uint64_t i = 0; i < k; ++i) {
    if (cuts[2 * i] < cuts[2 * i + 1]) ranges.emplace_back(cuts[2 * i], cuts[2 * i + 1]);
  }
  if (ranges.empty()) ranges.emplace_back(0, pe_count);
  for (size_t i = ranges.size(); i > 1; --i) std::swap(ranges[i - 1], ranges[rng.Below(i)]);
  return ranges;
}

std::vector<Source> DrawSourceList(const std::vector<Source>& vg, const RequestShape& shape,
                                   SplitMix64& rng) {
  uint64_t mode = rng.Below(shape.pe_ranges ? 3 : 2);
  if (mode == 0 || vg.empty()) return vg;  // the implicit list: every VG source, VG order
  std::vector<Source> list;
  if (mode == 1) {
    for (size_t i : DrawIndices(vg.size(), rng.Between(1, vg.size()), rng)) list.push_back(vg[i]);
    return list;
  }
  for (size_t i : DrawIndices(vg.size(), rng.Between(1, std::min<size_t>(vg.size(), 8)), rng)) {
    for (const auto& [lo, hi] : DrawRanges(vg[i].pe_count, rng)) {
      Source entry = vg[i];
      entry.areas = Clip(vg[i], lo, hi);
      list.push_back(std::move(entry));
    }
  }
  // Entries of one handle need not be adjacent (pv0:1-2 pv1 pv0:5-6).
  std::vector<size_t> order(list.size());
  std::iota(order.begin(), order.end(), 0);
  Shuffle(order, rng);
  std::vector<Source> shuffled;
  for (size_t i : order) shuffled.push_back(std::move(list[i]));
  return shuffled;
}

SourceRef RefOf(const Source& s) { return SourceRef{s.handle, s.tags}; }

// Allocated space of the VG, handed out as non-overlapping PrevAreas.
class GapPicker {
 public:
  GapPicker(const std::vector<Source>& vg, SplitMix64& rng) : vg_(vg), rng_(rng) {}

  // A PrevArea of length <= max_len inside an unused gap, or false if none
  // was found after a bounded number of tries.
  bool Pick(uint32_t slot, Extent max_len, PrevArea* out) {
    for (int attempt = 0; attempt < 64 && !vg_.empty(); ++attempt) {
      size_t i = rng_.Below(vg_.size());
      const Source& s = vg_[i];
      std::vector<std::pair<Extent, Extent>> gaps;  // [start, end), ends before a free area first
      Extent pe = 0;
      for (const Area& a : s.areas) {
        if (a.start > pe) gaps.emplace_back(pe, a.start);
        pe = a.start + a.count;
      }
      size_t before_free = gaps.size();
      if (s.pe_count > pe) gaps.emplace_back(pe, s.pe_count);
      if (gaps.empty()) continue;
      // Mostly gaps that end where free space starts, so that contiguous
      // extension is possible.
      size_t g = (before_free > 0 && rng_.Chance(600)) ? rng_.Below(before_free)
                                                       : rng_.Below(gaps.size());
      if (std::find(used_.begin(), used_.end(), std::make_pair(i, g)) != used_.end()) continue;
      used_.emplace_back(i, g);
      auto [lo, hi] = gaps[g];
      Extent len = rng_.Between(1, std::min(max_len, hi - lo));
      Extent start = (g < before_free && rng_.Chance(700)) ? hi - len
                                                           : lo + rng_.Below(hi - lo - len + 1);
      *out = PrevArea{slot, RefOf(s), start, len};
      return true;
    }
    return false;
  }

 private:
  const std::vector<Source>& vg_;
  SplitMix64& rng_;
  std::vector<std::pair<size_t, size_t>> used_;
};

// One segment's PV areas for `areas` slots (image-major when stripes_per_image > 1).
bool DrawSegment(GapPicker& gaps, uint32_t areas, Extent max_len, SplitMix64& rng,
                 std::vector<PrevArea>* out, Extent* len) {
  *len = rng.Between(1, max_len);
  for (uint32_t s = 0; s < areas; ++s) {
    PrevArea a;
    if (!gaps.Pick(s, *len, &a)) return false;
    out->push_back(a);
  }
  // A segment's areas share one area_len; shorten all to the shortest gap.
  Extent shortest = *len;
  for (const PrevArea& a : *out) shortest = std::min(shortest, a.len);
  for (PrevArea& a : *out) {
    a.pe += a.len - shortest;  // keep the end: it may touch free space
    a.len = shortest;
  }
  *len = shortest;
  return true;
}

uint32_t ParityDevs(SegmentType t) {
  switch (t) {
    case SegmentType::kRaid4:
    case SegmentType::kRaid5: return 1;
    case SegmentType::kRaid6: return 2;
    default: return 0;
  }
}

// area_multiple of spec §2.2 item 4, for sizing only.
uint32_t AreaMultiple(SegmentType t, uint32_t n, uint32_t stripes) {
  if (n == 0) return 1;
  if (t == SegmentType::kStriped || t == SegmentType::kRaid0 || t == SegmentType::kRaid0Meta) return n;
  uint32_t p = ParityDevs(t);
  if (p > 0) return n <= p ? 1 : n - p;
  if (t == SegmentType::kRaid10) return stripes == 0 ? n / 2 : stripes;
  return stripes != 0 ? stripes : 1;
}

std::optional<std::vector<std::string>> DrawClingTagList(SplitMix64& rng) {
  switch (rng.Below(8)) {
    case 0: return std::vector<std::string>{"@*"};
    case 1: return std::vector<std::string>{"@t0"};
    case 2: return std::vector<std::string>{"@t1", "@t0"};
    case 3: return std::vector<std::string>{"", "t1", "@", "@t2"};  // invalid entries are ignored
    case 4: return std::vector<std::string>{"@t3", "@*"};
    default: return std::nullopt;
  }
}

std::vector<SourceRef> DrawRefs(const std::vector<Source>& vg, uint64_t count, SplitMix64& rng) {
  std::vector<SourceRef> refs;
  for (size_t i : DrawIndices(vg.size(), count, rng)) refs.push_back(RefOf(vg[i]));
  return refs;
}

void BreakOneInvariant(Request& r, SplitMix64& rng) {
  for (Source& s : r.sources) {
    if (s.areas.empty()) continue;
    switch (rng.Below(4)) {
      case 0: s.areas.back().count = s.pe_count - s.areas.back().start + 1; return;  // past pe_count
      case 1: s.areas.front().count = 0; return;
      case 2: r.sources.push_back(s); return;  // the same areas twice: overlap
      default: break;
    }
    break;
  }
  r.existing_extents = (uint64_t{1} << 32) - r.extents + rng.Below(4);  // 32-bit overflow
}

}  // namespace

Request GenerateRequest(const std::vector<Source>& vg, const RequestShape& shape) {
  SplitMix64 rng(Mix64(shape.seed ^ 0x243f6a8885a308d3ULL));
  Request r;
  r.sources = DrawSourceList(vg, shape, rng);
  r.policy = static_cast<Policy>(rng.Below(5));
  r.approx = rng.Chance(200);
  r.maximise_cling = rng.Chance(750);
  r.cling_tag_list = DrawClingTagList(rng);
  r.logs_require_separate_pvs = rng.Chance(200);
  static constexpr uint32_t kExtentSizes[] = {8192, 8192, 8192, 2048, 128, 8};
  r.extent_size = kExtentSizes[rng.Below(6)];
  static constexpr uint32_t kRegionSizes[] = {0, 0, 0, 1024, 4096, 65536};
  r.region_size = kRegionSizes[rng.Below(6)];
  r.lv_name = "lvol" + std::to_string(rng.Below(10));

  Extent free = 0;
  for (const Source& s : r.sources) {
    if (!s.allocatable) continue;
    for (const Area& a : s.areas) free += a.count;
  }

  Op op = DrawOp(shape, rng);
  bool extend = shape.extend && rng.Chance(350) &&
                (op == Op::kStriped || op == Op::kRaid0 || op == Op::kRaid0Meta ||
                 op == Op::kRaid1 || op == Op::kRaid10 || op == Op::kRaid5 ||
                 op == Op::kRaid6 || op == Op::kMirrorLegs);
  uint32_t prev_images = 0, spi = 1;  // the LV's segment shape when extending
  switch (op) {
    case Op::kStriped:
      r.type = SegmentType::kStriped;
      r.stripes = rng.Chance(500) ? 1 : static_cast<uint32_t>(rng.Between(2, 6));
      r.mirrors = extend ? 0 : 1;
      // Edge case 9: extending with another stripe count than the last segment.
      prev_images = rng.Chance(800) ? r.stripes : static_cast<uint32_t>(rng.Between(1, 4));
      break;
    case Op::kRaid0:
    case Op::kRaid0Meta:
      r.type = op == Op::kRaid0 ? SegmentType::kRaid0 : SegmentType::kRaid0Meta;
      r.stripes = static_cast<uint32_t>(rng.Between(2, 5));
      r.mirrors = extend ? 0 : 1;
      r.log_count = (op == Op::kRaid0Meta && !extend) ? r.stripes : 0;
      prev_images = r.stripes;
      break;
    case Op::kRaid1:
      r.type = SegmentType::kRaid1;
      r.stripes = 1;
      r.mirrors = static_cast<uint32_t>(rng.Between(2, 5));
      r.log_count = extend ? 0 : r.mirrors;
      prev_images = r.mirrors;
      break;
    case Op::kRaid10:
      r.type = SegmentType::kRaid10;
      r.stripes = static_cast<uint32_t>(rng.Between(2, 4));
      r.mirrors = 2;
      r.log_count = extend ? 0 : 2 * r.stripes;
      prev_images = 2 * r.stripes;
      break;
    case Op::kRaid4:
    case Op::kRaid5:
    case Op::kRaid6:
      r.type = op == Op::kRaid4 ? SegmentType::kRaid4
               : op == Op::kRaid5 ? SegmentType::kRaid5 : SegmentType::kRaid6;
      r.stripes = static_cast<uint32_t>(rng.Between(op == Op::kRaid6 ? 3 : 2, 5));
      r.mirrors = extend ? 0 : 1;
      r.log_count = extend ? 0 : r.stripes;
      prev_images = r.stripes + ParityDevs(r.type);
      break;
    case Op::kMirrorLegs:
      r.type = SegmentType::kMirror;
      r.stripes = rng.Chance(750) ? 1 : 2;
      r.mirrors = static_cast<uint32_t>(rng.Between(2, 4));
      prev_images = r.mirrors;
      spi = r.stripes;
      break;
    case Op::kMirrorLog:
      r.type = SegmentType::kMirror;
      r.stripes = 0;
      r.mirrors = 0;
      r.log_count = rng.Chance(800) ? 1 : 2;
      r.lv_name.clear();  // the log call has no LV
      break;
    case Op::kThinPool:
      r.type = SegmentType::kThinPool;
      r.stripes = rng.Chance(750) ? 1 : 2;
      r.mirrors = 1;
      r.log_count = 1;
      r.metadata_extents = rng.Between(1, std::max<Extent>(1, free / 40));
      break;
    case Op::kCachePool:
      r.type = SegmentType::kCachePool;
      r.stripes = 1;
      r.mirrors = 1;
      r.log_count = 1;
      r.metadata_extents = rng.Between(1, std::max<Extent>(1, free / 40));
      r.logs_require_separate_pvs = false;  // 1 is unsupported (spec §2.2 quirk)
      break;
    case Op::kRaidAddImages:
      r.type = SegmentType::kRaid1;
      r.stripes = 0;
      r.mirrors = static_cast<uint32_t>(rng.Between(1, 3));
      r.log_count = r.mirrors;
      break;
  }

  uint32_t stripes = (r.mirrors > 0 && r.stripes == 0) ? 1 : r.stripes;
  uint32_t area_count = r.mirrors > 1 ? r.mirrors * stripes : stripes;
  uint32_t parity = area_count <= ParityDevs(r.type) ? 0 : ParityDevs(r.type);
  uint32_t multiple = AreaMultiple(r.type, area_count + parity, stripes);
  uint32_t images = std::max<uint32_t>(1, area_count + parity);

  // Size: a share of the free space, in whole multiples of area_multiple;
  // sometimes tiny, to provoke ties.
  Extent max_logical = static_cast<Extent>(
      static_cast<unsigned __int128>(free) * shape.max_size_per_mille / 1000 * multiple / images);
  Extent units = std::min<Extent>(max_logical / multiple, (uint64_t{1} << 30) / multiple);
  units = rng.Chance(150) ? rng.Between(1, 3) : rng.Between(1, std::max<Extent>(1, units));
  r.extents = units * multiple;
  if (multiple > 1 && rng.Chance(shape.indivisible_per_mille)) r.extents += rng.Between(1, multiple - 1);

  if (op == Op::kMirrorLog || op == Op::kRaidAddImages) {
    // The LV that gets the log or the new images: parallel areas over its LEs.
    uint64_t ranges = op == Op::kMirrorLog ? rng.Between(1, 3) : 1;
    Extent le = 0;
    for (uint64_t i = 0; i < ranges && le < r.extents; ++i) {
      Extent len = i + 1 == ranges ? r.extents - le : rng.Between(1, r.extents - le);
      r.parallel_areas.push_back(ParallelArea{le, len, DrawRefs(vg, rng.Between(1, 3), rng)});
      le += len;
    }
  }

  if (extend) {
    // The LV being extended lives in the VG's allocated space. Its first and
    // last segments are drawn separately (or are the same segment); what lies
    // between them only adds to le_end.
    GapPicker gaps(vg, rng);
    PrevSegment prev;
    prev.area_count = prev_images;
    prev.stripes_per_image = spi;
    Extent last_len = 0, first_len = 0, middle = 0;
    bool ok = DrawSegment(gaps, prev_images * spi, 64, rng, &prev.last_extent, &last_len);
    if (ok && rng.Chance(500)) {
      ok = DrawSegment(gaps, prev_images * spi, 64, rng, &prev.first_segment, &first_len);
      middle = rng.Below(100);
    } else {
      prev.first_segment = prev.last_extent;
    }
    if (ok) {
      // LEs per area extent: the stripes of a striped/raid segment, the legs'
      // stripes of an old-style mirror.
      uint32_t le_per_pe =
          r.type == SegmentType::kMirror ? spi : AreaMultiple(r.type, prev_images, 0);
      prev.le_end = (first_len + middle + last_len) * le_per_pe;
      r.existing_extents = prev.le_end;
      r.prev = std::move(prev);
    }
  }

  if (rng.Chance(shape.invalid_per_mille)) BreakOneInvariant(r, rng);
  return r;
}

}  // namespace liballoc::testing
