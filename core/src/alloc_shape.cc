#include "alloc_shape.h"

#include <limits>

#include "absl/strings/str_format.h"
#include "liballoc/error.h"

namespace liballoc {
namespace {

// LVM2's default raid/mirror region size (activation/*_region_size, 2 MiB).
constexpr uint64_t kDefaultRegionSectors = 4096;
// The dm-mirror log header (MIRROR_LOG_OFFSET sectors).
constexpr uint64_t kMirrorLogHeaderSectors = 2;

uint64_t DivUp(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
uint64_t RoundUp(uint64_t a, uint64_t b) { return DivUp(a, b) * b; }

bool HasStripedAreas(SegmentType t) {
  return t == SegmentType::kStriped || t == SegmentType::kRaid0 ||
         t == SegmentType::kRaid0Meta;
}

}  // namespace

bool IsRaid(SegmentType t) {
  switch (t) {
    case SegmentType::kRaid0:
    case SegmentType::kRaid0Meta:
    case SegmentType::kRaid1:
    case SegmentType::kRaid10:
    case SegmentType::kRaid4:
    case SegmentType::kRaid5:
    case SegmentType::kRaid6:
      return true;
    default:
      return false;
  }
}

uint32_t ParityDevices(SegmentType t) {
  switch (t) {
    case SegmentType::kRaid4:
    case SegmentType::kRaid5:
      return 1;
    case SegmentType::kRaid6:
      return 2;
    default:
      return 0;
  }
}

uint32_t AreaMultiple(SegmentType type, uint32_t area_count, uint32_t stripes) {
  if (area_count == 0) return 1;
  if (HasStripedAreas(type)) return area_count;
  const uint32_t parity = ParityDevices(type);
  if (IsRaid(type) && parity != 0) {
    return area_count <= parity ? 1 : area_count - parity;
  }
  if (type == SegmentType::kRaid10) return stripes == 0 ? area_count / 2 : stripes;
  if (stripes != 0) return stripes;
  return 1;
}

uint32_t MirrorLogExtents(uint32_t region_size, uint32_t extent_size,
                          uint32_t area_len) {
  const uint64_t region = region_size ? region_size : kDefaultRegionSectors;
  const uint64_t regions = DivUp(uint64_t{area_len} * extent_size, region);
  const uint64_t bitset_bytes = RoundUp(regions, 32) / 8;
  const uint64_t log_sectors = RoundUp(kMirrorLogHeaderSectors * 512 + bitset_bytes, 512) / 512;
  const uint64_t extents = DivUp(log_sectors, extent_size);
  return extents > std::numeric_limits<uint32_t>::max()
             ? std::numeric_limits<uint32_t>::max()
             : static_cast<uint32_t>(extents);
}

uint32_t RaidRmetaExtents(uint32_t rimage_extents, uint32_t region_size,
                          uint32_t extent_size) {
  const uint64_t region = region_size ? region_size : kDefaultRegionSectors;
  const uint64_t regions = uint64_t{rimage_extents} * extent_size / region;
  const uint64_t bytes = 2 * 4096 + DivUp(regions, 8);
  const uint64_t sectors = DivUp(bytes, 512);
  return static_cast<uint32_t>(DivUp(sectors, extent_size));
}

namespace {

uint32_t RaidRimageExtents(SegmentType type, uint32_t extents, uint32_t stripes,
                           uint32_t copies) {
  if (extents == 0 || type == SegmentType::kRaid1) return extents;
  uint64_t r = extents;
  if (type == SegmentType::kRaid10) r *= copies ? copies : 1;
  r = DivUp(r, stripes ? stripes : 1);
  return r > std::numeric_limits<uint32_t>::max() ? 0 : static_cast<uint32_t>(r);
}

uint32_t RaidRmetaExtentsDelta(uint32_t cur, uint32_t next, uint32_t region_size,
                               uint32_t extent_size) {
  const uint32_t m_cur = RaidRmetaExtents(cur, region_size, extent_size);
  const uint32_t m_new = RaidRmetaExtents(next, region_size, extent_size);
  if (cur == 0) return m_new;
  if (next == 0) return m_cur;
  return m_new > m_cur ? m_new - m_cur : m_cur - m_new;
}

absl::Status Invalid(const std::string& what) {
  return MakeAllocError(AllocError::kInvalidRequest, what);
}

}  // namespace

absl::StatusOr<AllocShape> ComputeShape(const Request& r) {
  constexpr uint64_t kMax32 = std::numeric_limits<uint32_t>::max();
  if (r.extent_size == 0) return Invalid("extent_size must be positive");
  if (r.extents > kMax32 || r.existing_extents > kMax32 ||
      r.extents + r.existing_extents > kMax32) {
    return Invalid(absl::StrFormat(
        "extents %u + existing %u exceed LVM2's 32-bit extent counts",
        r.extents, r.existing_extents));
  }
  if (r.metadata_extents > kMax32) {
    return Invalid("metadata_extents exceeds LVM2's 32-bit extent counts");
  }
  if (r.stripes > 65536 || r.mirrors > 65536 || r.log_count > 65536) {
    return Invalid(absl::StrFormat(
        "stripes (%u), mirrors (%u) or log_count (%u) out of range (at most 65536)",
        r.stripes, r.mirrors, r.log_count));
  }
  const uint32_t extents = static_cast<uint32_t>(r.extents);
  const uint32_t existing = static_cast<uint32_t>(r.existing_extents);
  uint32_t stripes = r.stripes;
  const uint32_t mirrors = r.mirrors;
  if (mirrors && !stripes) stripes = 1;

  AllocShape s;
  s.existing = existing;
  s.area_count = mirrors > 1 ? mirrors * stripes : stripes;
  const uint32_t metadata_area_count = r.log_count;
  if (stripes == 0 && mirrors == 0 && (existing != 0 || r.prev)) {
    // A log-only allocation (a mirror log) has no LV of its own in LVM2:
    // its target is 0, so an existing size would underflow every count.
    return Invalid("a log-only request (stripes = mirrors = 0) cannot extend an LV");
  }
  if ((stripes || mirrors) && extents == 0 && metadata_area_count) {
    // LVM2's tools never ask for logs or metadata without data; the
    // allocator would make a batch of empty data pieces.
    return Invalid("a request with data areas and logs/metadata needs extents > 0");
  }
  if (s.area_count + metadata_area_count == 0) {
    return Invalid("request allocates nothing: no data areas and no log/metadata areas");
  }
  if (uint64_t{s.area_count} * 2 + metadata_area_count > 1u << 20) {
    return Invalid(absl::StrFormat("too many parallel areas (%u)", s.area_count));
  }
  const uint32_t parity_devs = ParityDevices(r.type);
  s.parity_count = s.area_count <= parity_devs ? 0 : parity_devs;
  s.area_multiple = AreaMultiple(r.type, s.area_count + s.parity_count, stripes);

  uint64_t total = (mirrors || stripes) ? extents : 0;
  if (IsRaid(r.type)) {
    if (metadata_area_count) {
      if (metadata_area_count != s.area_count) {
        return Invalid(absl::StrFormat(
            "raid requests need one metadata area per data area (log_count %u, areas %u)",
            metadata_area_count, s.area_count));
      }
      const uint32_t cur = RaidRimageExtents(r.type, existing, stripes, mirrors);
      const uint32_t next = RaidRimageExtents(r.type, existing + extents, stripes, mirrors);
      s.log_len = RaidRmetaExtentsDelta(cur, next, r.region_size, r.extent_size);
      s.metadata_area_count = metadata_area_count;
      s.alloc_and_split_meta = s.log_len != 0;
      total += uint64_t{s.log_len} *
               (r.type == SegmentType::kRaid1 ? 1 : s.area_multiple);
    }
  } else if (r.type == SegmentType::kThinPool) {
    // LVM2's pool code always asks for one metadata area of at least one
    // extent; anything else would make empty (or overflowing) slots.
    if (metadata_area_count > 1 || (metadata_area_count && r.metadata_extents == 0)) {
      return Invalid("thin-pool requests take at most one metadata area, of at least one extent");
    }
    s.log_len = static_cast<uint32_t>(r.metadata_extents);
    s.log_area_count = metadata_area_count;
  } else if (r.type == SegmentType::kCachePool) {
    // The metadata is carved from the front of each data area, so there is
    // one metadata area per data area, each at least one extent long.
    if (metadata_area_count != s.area_count + s.parity_count || r.metadata_extents == 0) {
      return Invalid(absl::StrFormat(
          "cache-pool requests need one metadata area per data area (log_count %u, areas %u) "
          "of at least one extent (metadata_extents %u)",
          metadata_area_count, s.area_count, r.metadata_extents));
    }
    s.log_len = static_cast<uint32_t>(r.metadata_extents);
    s.metadata_area_count = metadata_area_count;
    if (!r.logs_require_separate_pvs) {
      s.alloc_and_split_meta = true;
      total += s.log_len;
    }
  } else {
    s.log_area_count = metadata_area_count;
    s.log_len = metadata_area_count == 0
                    ? 0
                    : MirrorLogExtents(r.region_size, r.extent_size,
                                       (existing + extents) / s.area_multiple);
  }
  if (mirrors || stripes) total += existing;
  if (total > kMax32) {
    return Invalid(absl::StrFormat(
        "allocation target of %u extents exceeds LVM2's 32-bit extent counts", total));
  }
  s.new_extents = static_cast<uint32_t>(total);
  return s;
}

}  // namespace liballoc
