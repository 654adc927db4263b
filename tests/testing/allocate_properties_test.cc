// Properties of the allocators over generated VGs and requests (RapidCheck).
// Each property runs RC_PARAMS's max_success cases (ctest sets a modest
// default, see CMakeLists.txt); failures shrink to small VG/request shapes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "invariant_checker.h"
#include "liballoc/error.h"
#include "liballoc/allocator.h"
#include "outcome_diff.h"
#include "rc_generators.h"

namespace liballoc::testing {
namespace {

struct Generated {
  std::vector<Source> vg;
  Request request;
};

Generated Materialize(const AllocationCase& c) {
  Generated g;
  g.vg = GenerateVg(c.vg);
  g.request = GenerateRequest(g.vg, c.request);
  return g;
}

// "ok" or the failure's short name, to see what the generator exercises.
std::string Outcome(const absl::StatusOr<Result>& outcome) {
  if (outcome.ok()) return outcome->reduced ? "ok (reduced)" : "ok";
  std::optional<AllocError> code = AllocErrorOf(outcome.status());
  return code ? std::string(AllocErrorName(*code)) : "foreign status";
}

void AssertOk(const absl::Status& status, const Request& request,
              const absl::StatusOr<Result>& outcome) {
  if (status.ok()) return;
  RC_LOG() << "request: " << DescribeRequest(request) << "\noutcome: " << DescribeOutcome(outcome)
           << "\n";
  RC_FAIL(std::string(status.message()));
}

RC_GTEST_PROP(AllocateProperty, OutcomeSatisfiesInvariants, ()) {
  Generated g = Materialize(*GenAllocationCase());
  absl::StatusOr<Result> outcome = Allocate(g.request);
  RC_TAG(Outcome(outcome));
  AssertOk(CheckOutcome(g.request, outcome), g.request, outcome);
}

RC_GTEST_PROP(AllocateProperty, ReferenceOutcomeSatisfiesInvariants, ()) {
  Generated g = Materialize(*GenAllocationCase());
  absl::StatusOr<Result> outcome = AllocateReference(g.request);
  RC_TAG(Outcome(outcome));
  AssertOk(CheckOutcome(g.request, outcome), g.request, outcome);
}

RC_GTEST_PROP(AllocateProperty, Deterministic, (const AllocationCase& c)) {
  Generated g = Materialize(c);
  absl::StatusOr<Result> first = Allocate(g.request);
  absl::StatusOr<Result> second = Allocate(g.request);
  AssertOk(CompareOutcomes(first, second), g.request, first);
}

RC_GTEST_PROP(AllocateProperty, IndexedEqualsReference, ()) {
  Generated g = Materialize(*GenAllocationCase());
  absl::StatusOr<Result> reference = AllocateReference(g.request);
  absl::StatusOr<Result> indexed = Allocate(g.request);
  AssertOk(CompareOutcomes(reference, indexed), g.request, reference);
}

// Larger VGs (up to 64 sources of up to 3000 PEs, up to 8 areas each): where
// an index and a linear walk are most likely to disagree on tie-breaks.
RC_GTEST_PROP(AllocateProperty, IndexedEqualsReferenceOnLargerVgs, ()) {
  Generated g = Materialize(*GenAllocationCase(64, 3000));
  absl::StatusOr<Result> reference = AllocateReference(g.request);
  absl::StatusOr<Result> indexed = Allocate(g.request);
  RC_TAG(Outcome(reference));
  AssertOk(CompareOutcomes(reference, indexed), g.request, reference);
  AssertOk(CheckOutcome(g.request, indexed), g.request, indexed);
}

// A PV of 1 to max_areas - 1 areas, ascending with small gaps, whose sizes
// take `distinct` + 1 classes (1 + step * k), plus up to `jitter` extents:
// runs of equal sizes are common, where LVM2's tie-breaks decide.
Source GenPvOfSizeClasses(SourceHandle handle, Extent pe_count, uint32_t max_areas, Extent step,
                          uint32_t distinct, Extent jitter) {
  Source s;
  s.handle = handle;
  s.pe_count = pe_count;
  const auto areas = *rc::gen::inRange<uint32_t>(1, max_areas);
  Extent pe = *rc::gen::inRange<Extent>(0, 5);
  for (uint32_t a = 0; a < areas; ++a) {
    Extent count = 1 + step * *rc::gen::inRange<uint32_t>(0, distinct);
    if (jitter) count += *rc::gen::inRange<Extent>(0, jitter + 1);
    s.areas.push_back({pe, count});
    pe += count + 1 + *rc::gen::inRange<Extent>(0, 3);
  }
  return s;
}

Extent FreeExtents(const Request& r) {
  Extent free = 0;
  for (const Source& s : r.sources) {
    for (const Area& a : s.areas) free += a.count;
  }
  return free;
}

// Large linear requests with maximise_cling on PVs full of equal-sized areas:
// the rounds that drain one PV after another, which the indexed engine runs
// in bulk once their pattern is fixed (runs of equal sizes rotate each
// round). Most generated requests never reach that state; these always do.
RC_GTEST_PROP(AllocateProperty, IndexedEqualsReferenceWhenDrainingPvs, ()) {
  Request r;
  const auto pvs = *rc::gen::inRange<uint32_t>(1, 9);
  const auto distinct = *rc::gen::inRange<uint32_t>(1, 4);
  for (uint32_t i = 0; i < pvs; ++i) {
    r.sources.push_back(GenPvOfSizeClasses(0x1000 + i, 4000, 12, 7, distinct, 0));
  }
  const Extent free = FreeExtents(r);
  r.policy = *rc::gen::element(Policy::kNormal, Policy::kNormal, Policy::kCling);
  r.maximise_cling = *rc::gen::element(true, true, false);
  r.approx = *rc::gen::arbitrary<bool>();
  r.extents = r.approx ? free : *rc::gen::inRange<Extent>(1, free + 1);
  r.lv_name = "lvol0";
  absl::StatusOr<Result> reference = AllocateReference(r);
  absl::StatusOr<Result> indexed = Allocate(r);
  RC_TAG(Outcome(reference));
  AssertOk(CompareOutcomes(reference, indexed), r, reference);
}

// Striped requests larger than their first batch on PVs of many areas, some
// of equal sizes: after the first batch, each stripe clings to its PV round
// after round, the rounds the indexed engine runs on per-PV heaps
// (StripeClingRound) until a PV runs dry or the pass changes. The tags and
// policies make some requests leave those rounds midway.
RC_GTEST_PROP(AllocateProperty, IndexedEqualsReferenceOnStripeClingRounds, ()) {
  Request r;
  const auto stripes = *rc::gen::inRange<uint32_t>(2, 9);
  const auto pvs = *rc::gen::inRange<uint32_t>(stripes, stripes + 6);
  const auto distinct = *rc::gen::inRange<uint32_t>(1, 6);
  for (uint32_t i = 0; i < pvs; ++i) {
    Source s = GenPvOfSizeClasses(0x2000 + i, 20000, 24, 5, distinct, 1);
    if (*rc::gen::inRange<int>(0, 4) == 0) s.tags = {"t" + std::to_string(i % 3)};
    r.sources.push_back(std::move(s));
  }
  const Extent free = FreeExtents(r);
  r.stripes = stripes;
  r.policy = *rc::gen::element(Policy::kNormal, Policy::kCling, Policy::kCling,
                               Policy::kClingByTags, Policy::kAnywhere);
  if (*rc::gen::arbitrary<bool>()) r.cling_tag_list = std::vector<std::string>{"@t0", "@t1"};
  r.maximise_cling = *rc::gen::element(true, true, false);
  r.approx = *rc::gen::arbitrary<bool>();
  const Extent most = free / stripes;
  r.extents = stripes * (r.approx ? most : *rc::gen::inRange<Extent>(1, most + 2));
  r.lv_name = "lvol0";
  absl::StatusOr<Result> reference = AllocateReference(r);
  absl::StatusOr<Result> indexed = Allocate(r);
  RC_TAG(Outcome(reference));
  AssertOk(CompareOutcomes(reference, indexed), r, reference);
  AssertOk(CheckOutcome(r, indexed), r, indexed);
}

}  // namespace
}  // namespace liballoc::testing
