// Random allocation requests over a synthetic (or any) VG.
//
// GenerateRequest(vg, shape) is a pure function of its arguments. It draws one
// of the operations of spec §2.3 (create or extend linear/striped, raid0,
// raid0_meta, raid1, raid10, raid4/5/6, old-style mirror legs and logs, thin
// and cache pools, raid image addition) with a random policy, size, PV list
// and allocation settings.
//
// What a generated request guarantees (so failures point at the allocator):
//   - it passes ValidateRequest, unless shape.invalid_per_mille fired (then
//     exactly one invariant of request.h is broken on purpose);
//   - its sources are VG sources or PE-range subsets of them (several entries
//     may share a handle, with disjoint ranges, in any order); areas of an
//     entry ascend and never extend beyond the VG's free areas;
//   - a previous segment (extension) lies in the VG's *allocated* space: every
//     PrevArea is inside a gap between free areas of its source, and the
//     PrevAreas of one request never overlap. Extensions are only drawn when
//     the VG has enough allocated gaps;
//   - parallel areas name VG sources (with their tags);
//   - extents is a multiple of the area multiple, except when
//     shape.indivisible_per_mille fired.
// It does not guarantee that the allocation can succeed.
#ifndef LIBALLOC_TESTING_SYNTHETIC_REQUEST_H_
#define LIBALLOC_TESTING_SYNTHETIC_REQUEST_H_

#include <cstdint>
#include <vector>

#include "liballoc/request.h"

namespace liballoc::testing {

struct RequestShape {
  uint64_t seed = 1;
  // Kinds of operation to draw from. At least linear/striped is always allowed.
  bool raid = true;
  bool mirror = true;      // old-style mirror legs, logs and extensions
  bool pools = true;       // thin-pool, cache-pool
  bool extend = true;      // requests with a previous segment
  bool pe_ranges = true;   // PV lists with PE ranges and repeated handles
  // Upper end of the requested size as a share of the free space the PV list
  // offers (per mille); above 1000 asks for more than can fit.
  uint32_t max_size_per_mille = 1200;
  // Chance (per mille) of a deliberately non-divisible extent count.
  uint32_t indivisible_per_mille = 10;
  // Chance (per mille) of a request that breaks an invariant of request.h.
  uint32_t invalid_per_mille = 0;
};

Request GenerateRequest(const std::vector<Source>& vg, const RequestShape& shape);

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_SYNTHETIC_REQUEST_H_
