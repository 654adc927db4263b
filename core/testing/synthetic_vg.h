// Synthetic volume groups for tests, fuzzers and benchmarks.
//
// GenerateVg(shape) is a pure function of `shape` (seed included): the same
// shape gives the same sources on every platform and standard library (see
// prng.h). Source i is generated from (seed, i) alone, so the first n sources
// of a VG do not change when source_count grows; that keeps RapidCheck's
// shrinking of source_count meaningful.
//
// Invariants of every generated source (tests/testing checks them):
//   - pe_count in [pe_count_min, pe_count_max] and >= 1;
//   - areas sorted by start, each count >= 1, inside [0, pe_count), and
//     separated by at least one allocated PE (free runs are maximal, as in a
//     VG read from metadata: LVM2 merges adjacent free PV segments);
//   - at most areas_max areas; no areas at all for "full" sources;
//   - tags are distinct names "t0".."t<tag_vocabulary-1>";
//   - handles are unique (the index, or a bijective scramble of it).
#ifndef LIBALLOC_TESTING_SYNTHETIC_VG_H_
#define LIBALLOC_TESTING_SYNTHETIC_VG_H_

#include <cstdint>
#include <vector>

#include "liballoc/request.h"

namespace liballoc::testing {

// How free-area sizes are distributed within a source (before equal runs).
enum class AreaSizes : uint8_t {
  kUniform,  // weights uniform in [1, 1024]
  kSkewed,   // log-uniform weights: many small areas, a few large ones
  kEqual,    // all areas of a source equally large (up to rounding of the gaps)
};

struct VgShape {
  uint64_t seed = 1;
  uint32_t source_count = 8;
  // Each source's pe_count is uniform in [pe_count_min, pe_count_max].
  Extent pe_count_min = 100;
  Extent pe_count_max = 100;
  // Number of free areas per source, uniform in [areas_min, areas_max]; fewer
  // when the source is too small to hold that many separated areas.
  uint32_t areas_min = 1;
  uint32_t areas_max = 1;
  // Share of each source's PEs that is allocated, per mille. With more than
  // one area at least areas-1 PEs are allocated (the gaps between areas).
  uint32_t fill_per_mille = 0;
  AreaSizes sizes = AreaSizes::kUniform;
  // Chance (per mille) that an area gets the same size as the previous one:
  // runs of equal-sized areas exercise LVM2's tie-breaks.
  uint32_t equal_run_per_mille = 0;
  // Chance (per mille) that a source is completely allocated (no free area).
  uint32_t full_per_mille = 0;
  // Tags: a source is tagged with chance tagged_per_mille and then gets one or
  // two distinct tags drawn from "t0".."t<tag_vocabulary-1>".
  uint32_t tag_vocabulary = 0;
  uint32_t tagged_per_mille = 0;
  // Chance (per mille) that a source is not allocatable (pvchange -x n).
  uint32_t unallocatable_per_mille = 0;
  // Handles are index-derived but not equal to the index, so code that
  // confuses handles with positions fails.
  bool scramble_handles = false;
};

// The handle GenerateVg gives source `index` of `shape`.
SourceHandle SyntheticHandle(const VgShape& shape, uint32_t index);

// The VG described by `shape`, sources in VG order.
std::vector<Source> GenerateVg(const VgShape& shape);

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_SYNTHETIC_VG_H_
