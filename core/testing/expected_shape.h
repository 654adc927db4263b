// The checker's own derivation of a request's shape (spec §2.2, §2.5).
//
// Deliberately independent of core/src/alloc_shape: the invariant checker
// compares the Result's counts against these, so a slip in the core's
// derivation shows up as a violation instead of being trusted.
#ifndef LIBALLOC_TESTING_EXPECTED_SHAPE_H_
#define LIBALLOC_TESTING_EXPECTED_SHAPE_H_

#include <cstdint>

#include "liballoc/request.h"

namespace liballoc::testing {

struct ExpectedShape {
  uint32_t stripes = 0;        // after "mirrors > 0 and stripes == 0 -> 1"
  uint32_t area_count = 0;     // data slots
  uint32_t parity_count = 0;
  uint32_t area_multiple = 1;
  uint32_t log_area_count = 0;       // separate log slots (mirror log, thin-pool metadata)
  uint32_t metadata_area_count = 0;  // raid rmeta / cache-pool cmeta
  uint64_t log_len = 0;
  bool split_meta = false;           // metadata carved from the front of data areas
  uint64_t growth = 0;               // logical extents the split metadata adds to the target
  uint64_t new_extents = 0;          // absolute target, existing included (0 for log-only)
  bool logs_separate = false;

  uint32_t devices_needed() const { return area_count + parity_count; }
  // Slots of a Result: data + parity, then one metadata slot per data/parity
  // slot (split or raid metadata) or the log slots.
  uint32_t slot_count() const {
    return devices_needed() + (metadata_area_count ? devices_needed() : log_area_count);
  }
};

ExpectedShape DeriveShape(const Request& request);

// Helpers of spec §2.2/§2.5, exposed for the unit tests' hand derivations.
uint32_t ExpectedAreaMultiple(SegmentType type, uint32_t n, uint32_t stripes);
uint64_t ExpectedMirrorLogExtents(uint64_t region_size, uint64_t extent_size, uint64_t area_len);
uint64_t ExpectedRmetaExtents(uint64_t rimage_extents, uint64_t region_size, uint64_t extent_size);

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_EXPECTED_SHAPE_H_
