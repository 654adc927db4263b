// RapidCheck generators for synthetic VGs and requests.
//
// A case is a VgShape plus a RequestShape (numbers and seeds), not the VG
// itself: RapidCheck shrinks the numbers (fewer sources, fewer areas, smaller
// PVs, seed 0, fewer request kinds), and the VG and request are regenerated
// from the shrunk shape, so a failure shrinks to a small VG that still fails.
// Header-only so that only targets that link rapidcheck depend on it.
#ifndef LIBALLOC_TESTING_RC_GENERATORS_H_
#define LIBALLOC_TESTING_RC_GENERATORS_H_

#include <ostream>

#include <rapidcheck.h>

#include "synthetic_request.h"
#include "synthetic_vg.h"

namespace liballoc::testing {

// Small VGs (1..max_sources sources of up to max_pe extents): what property
// tests need to hit ties, exhaustion and fragmentation quickly.
inline rc::Gen<VgShape> GenVgShape(uint32_t max_sources = 10, Extent max_pe = 120) {
  return rc::gen::build<VgShape>(
      rc::gen::set(&VgShape::seed, rc::gen::inRange<uint64_t>(0, 1u << 20)),
      rc::gen::set(&VgShape::source_count, rc::gen::inRange<uint32_t>(1, max_sources + 1)),
      rc::gen::set(&VgShape::pe_count_min, rc::gen::inRange<Extent>(1, max_pe + 1)),
      rc::gen::set(&VgShape::pe_count_max, rc::gen::inRange<Extent>(1, max_pe + 1)),
      rc::gen::set(&VgShape::areas_min, rc::gen::inRange<uint32_t>(1, 4)),
      rc::gen::set(&VgShape::areas_max, rc::gen::inRange<uint32_t>(1, 9)),
      rc::gen::set(&VgShape::fill_per_mille, rc::gen::inRange<uint32_t>(0, 1001)),
      rc::gen::set(&VgShape::sizes, rc::gen::element(AreaSizes::kUniform, AreaSizes::kSkewed,
                                                     AreaSizes::kEqual)),
      rc::gen::set(&VgShape::equal_run_per_mille, rc::gen::inRange<uint32_t>(0, 1001)),
      rc::gen::set(&VgShape::full_per_mille, rc::gen::inRange<uint32_t>(0, 300)),
      rc::gen::set(&VgShape::tag_vocabulary, rc::gen::inRange<uint32_t>(0, 5)),
      rc::gen::set(&VgShape::tagged_per_mille, rc::gen::inRange<uint32_t>(0, 1001)),
      rc::gen::set(&VgShape::unallocatable_per_mille, rc::gen::inRange<uint32_t>(0, 200)),
      rc::gen::set(&VgShape::scramble_handles, rc::gen::arbitrary<bool>()));
}

inline rc::Gen<RequestShape> GenRequestShape() {
  return rc::gen::build<RequestShape>(
      rc::gen::set(&RequestShape::seed, rc::gen::inRange<uint64_t>(0, 1u << 20)),
      rc::gen::set(&RequestShape::raid, rc::gen::arbitrary<bool>()),
      rc::gen::set(&RequestShape::mirror, rc::gen::arbitrary<bool>()),
      rc::gen::set(&RequestShape::pools, rc::gen::arbitrary<bool>()),
      rc::gen::set(&RequestShape::extend, rc::gen::arbitrary<bool>()),
      rc::gen::set(&RequestShape::pe_ranges, rc::gen::arbitrary<bool>()),
      rc::gen::set(&RequestShape::max_size_per_mille, rc::gen::inRange<uint32_t>(1, 1500)),
      rc::gen::set(&RequestShape::indivisible_per_mille, rc::gen::inRange<uint32_t>(0, 50)),
      rc::gen::set(&RequestShape::invalid_per_mille, rc::gen::inRange<uint32_t>(0, 30)));
}

struct AllocationCase {
  VgShape vg;
  RequestShape request;
};

inline rc::Gen<AllocationCase> GenAllocationCase(uint32_t max_sources = 10, Extent max_pe = 120) {
  return rc::gen::build<AllocationCase>(
      rc::gen::set(&AllocationCase::vg, GenVgShape(max_sources, max_pe)),
      rc::gen::set(&AllocationCase::request, GenRequestShape()));
}

// Counterexample output: the shape, enough to regenerate the case.
inline void showValue(const VgShape& s, std::ostream& os) {
  os << "VgShape{seed=" << s.seed << " sources=" << s.source_count << " pe=" << s.pe_count_min
     << ".." << s.pe_count_max << " areas=" << s.areas_min << ".." << s.areas_max
     << " fill=" << s.fill_per_mille << " sizes=" << static_cast<int>(s.sizes)
     << " equal_runs=" << s.equal_run_per_mille << " full=" << s.full_per_mille
     << " tags=" << s.tag_vocabulary << "/" << s.tagged_per_mille
     << " unallocatable=" << s.unallocatable_per_mille << " scramble=" << s.scramble_handles
     << "}";
}

inline void showValue(const RequestShape& s, std::ostream& os) {
  os << "RequestShape{seed=" << s.seed << " raid=" << s.raid << " mirror=" << s.mirror
     << " pools=" << s.pools << " extend=" << s.extend << " ranges=" << s.pe_ranges
     << " size=" << s.max_size_per_mille << " indivisible=" << s.indivisible_per_mille
     << " invalid=" << s.invalid_per_mille << "}";
}

inline void showValue(const AllocationCase& c, std::ostream& os) {
  showValue(c.vg, os);
  os << " ";
  showValue(c.request, os);
}

}  // namespace liballoc::testing

// So that properties can take shapes as arguments:
// RC_GTEST_PROP(Suite, Name, (const liballoc::testing::AllocationCase& c)).
namespace rc {

template <>
struct Arbitrary<liballoc::testing::VgShape> {
  static Gen<liballoc::testing::VgShape> arbitrary() { return liballoc::testing::GenVgShape(); }
};

template <>
struct Arbitrary<liballoc::testing::RequestShape> {
  static Gen<liballoc::testing::RequestShape> arbitrary() {
    return liballoc::testing::GenRequestShape();
  }
};

template <>
struct Arbitrary<liballoc::testing::AllocationCase> {
  static Gen<liballoc::testing::AllocationCase> arbitrary() {
    return liballoc::testing::GenAllocationCase();
  }
};

}  // namespace rc

#endif  // LIBALLOC_TESTING_RC_GENERATORS_H_
