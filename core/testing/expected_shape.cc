#include "expected_shape.h"

namespace liballoc::testing {
namespace {

constexpr uint64_t kDefaultRegionSectors = 4096;  // 2 MiB, activation/*_region_size

uint64_t CeilDiv(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

uint32_t ParityDevs(SegmentType t) {
  if (t == SegmentType::kRaid4 || t == SegmentType::kRaid5) return 1;
  if (t == SegmentType::kRaid6) return 2;
  return 0;
}

bool IsRaid(SegmentType t) {
  return t == SegmentType::kRaid0 || t == SegmentType::kRaid0Meta || t == SegmentType::kRaid1 ||
         t == SegmentType::kRaid10 || t == SegmentType::kRaid4 || t == SegmentType::kRaid5 ||
         t == SegmentType::kRaid6;
}

// raid_rimage_extents: per-image size for a raid LV of `extents`.
uint64_t RimageExtents(SegmentType t, uint64_t extents, uint32_t stripes, uint32_t copies) {
  if (extents == 0 || t == SegmentType::kRaid1) return extents;
  if (t == SegmentType::kRaid10) extents *= copies ? copies : 1;
  // raid_rimage_extents returns 0 for an image beyond 2^32-1 extents, which
  // raid_rmeta_extents_delta then reads as "no new size".
  const uint64_t r = CeilDiv(extents, stripes ? stripes : 1);
  return r > 0xffffffffull ? 0 : r;
}

}  // namespace

uint32_t ExpectedAreaMultiple(SegmentType type, uint32_t n, uint32_t stripes) {
  if (n == 0) return 1;
  if (type == SegmentType::kStriped || type == SegmentType::kRaid0 ||
      type == SegmentType::kRaid0Meta) {
    return n;
  }
  if (uint32_t p = ParityDevs(type); p > 0) return n <= p ? 1 : n - p;
  if (type == SegmentType::kRaid10) return stripes == 0 ? n / 2 : stripes;
  return stripes != 0 ? stripes : 1;
}

uint64_t ExpectedMirrorLogExtents(uint64_t region_size, uint64_t extent_size, uint64_t area_len) {
  if (region_size == 0) region_size = kDefaultRegionSectors;
  uint64_t regions = CeilDiv(area_len * extent_size, region_size);
  uint64_t bitset_bytes = CeilDiv(regions, 32) * 32 / 8;
  uint64_t sectors = CeilDiv(1024 + bitset_bytes, 512);
  return CeilDiv(sectors, extent_size);
}

uint64_t ExpectedRmetaExtents(uint64_t rimage_extents, uint64_t region_size,
                              uint64_t extent_size) {
  if (region_size == 0) region_size = kDefaultRegionSectors;
  uint64_t regions = rimage_extents * extent_size / region_size;
  uint64_t sectors = CeilDiv(8192 + CeilDiv(regions, 8), 512);
  return CeilDiv(sectors, extent_size);
}

ExpectedShape DeriveShape(const Request& r) {
  ExpectedShape s;
  s.stripes = (r.mirrors > 0 && r.stripes == 0) ? 1 : r.stripes;
  s.area_count = r.mirrors > 1 ? r.mirrors * s.stripes : s.stripes;
  uint32_t parity_devs = ParityDevs(r.type);
  s.parity_count = s.area_count <= parity_devs ? 0 : parity_devs;
  s.area_multiple = ExpectedAreaMultiple(r.type, s.area_count + s.parity_count, s.stripes);
  s.logs_separate = r.logs_require_separate_pvs;
  if (IsRaid(r.type)) {
    if (r.log_count > 0) {
      s.metadata_area_count = r.log_count;
      uint64_t cur = RimageExtents(r.type, r.existing_extents, s.stripes, r.mirrors);
      uint64_t next = RimageExtents(r.type, r.existing_extents + r.extents, s.stripes, r.mirrors);
      uint64_t m_cur = ExpectedRmetaExtents(cur, r.region_size, r.extent_size);
      uint64_t m_next = ExpectedRmetaExtents(next, r.region_size, r.extent_size);
      // raid_rmeta_extents_delta: the full size on creation, else the change.
      s.log_len = cur == 0 ? m_next : next == 0 ? m_cur
                                    : (m_next > m_cur ? m_next - m_cur : m_cur - m_next);
      s.split_meta = s.log_len > 0;
      s.growth = s.log_len * (r.type == SegmentType::kRaid1 ? 1 : s.area_multiple);
    }
  } else if (r.type == SegmentType::kThinPool) {
    s.log_len = r.metadata_extents;
    s.log_area_count = r.log_count;
  } else if (r.type == SegmentType::kCachePool) {
    s.log_len = r.metadata_extents;
    s.metadata_area_count = r.log_count;
    if (!r.logs_require_separate_pvs) {
      s.split_meta = true;
      s.growth = s.log_len;
    }
  } else {
    s.log_area_count = r.log_count;
    if (r.log_count > 0) {
      s.log_len = ExpectedMirrorLogExtents(
          r.region_size, r.extent_size, (r.existing_extents + r.extents) / s.area_multiple);
    }
  }
  if (r.mirrors != 0 || s.stripes != 0) s.new_extents = r.extents + s.growth + r.existing_extents;
  return s;
}

}  // namespace liballoc::testing
