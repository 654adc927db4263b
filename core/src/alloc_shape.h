// The per-call values LVM2 derives from a request before allocating
// (spec §2.2, LVM2's _alloc_init): how many parallel areas, parity, the area
// multiple, log/metadata lengths and the total target.
#ifndef LIBALLOC_SRC_ALLOC_SHAPE_H_
#define LIBALLOC_SRC_ALLOC_SHAPE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "liballoc/request.h"

namespace liballoc {

struct AllocShape {
  uint32_t area_count = 0;
  uint32_t parity_count = 0;
  uint32_t area_multiple = 1;
  uint32_t log_area_count = 0;
  uint32_t metadata_area_count = 0;
  uint32_t log_len = 0;
  bool alloc_and_split_meta = false;
  // Target in logical-extent equivalents, including the existing extents.
  uint32_t new_extents = 0;
  uint32_t existing = 0;

  uint32_t devices_needed() const { return area_count + parity_count; }
  // Data/parity slots plus log or split-metadata slots.
  uint32_t slot_count() const {
    return devices_needed() + (alloc_and_split_meta || metadata_area_count
                                   ? devices_needed()
                                   : log_area_count);
  }
};

// seg->len = area_len * AreaMultiple(type, n, stripes) (LVM2's _calc_area_multiple).
uint32_t AreaMultiple(SegmentType type, uint32_t area_count, uint32_t stripes);

uint32_t ParityDevices(SegmentType type);
bool IsRaid(SegmentType type);

// Mirror log length in extents (spec §2.5).
uint32_t MirrorLogExtents(uint32_t region_size, uint32_t extent_size,
                          uint32_t area_len);
// raid metadata length in extents for an image of `rimage_extents`.
uint32_t RaidRmetaExtents(uint32_t rimage_extents, uint32_t region_size,
                          uint32_t extent_size);

// kInvalidRequest when the request's numbers do not fit LVM2's 32-bit
// arithmetic or describe no allocation at all.
absl::StatusOr<AllocShape> ComputeShape(const Request& request);

}  // namespace liballoc

#endif  // LIBALLOC_SRC_ALLOC_SHAPE_H_
