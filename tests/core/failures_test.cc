// Up-front failures of spec §4 and their exact texts (§11).
#include "allocation_test_support.h"

namespace liballoc {
namespace {

class Failures : public AllocationTest {};

// §14.22: the remaining amount must be divisible by the area multiple.
TEST_P(Failures, NotDivisible) {
  ExpectFailure(Striped({EmptyPv(0, 100), EmptyPv(1, 100)}, 2, 61), AllocError::kNotDivisible,
                "Number of extents requested (61) needs to be divisible by 2.");
}

// The pre-check: 3 x 99 = 297 free, 300 needed.
TEST_P(Failures, InsufficientFreeSpace) {
  ExpectFailure(Striped({EmptyPv(0, 99), EmptyPv(1, 99), EmptyPv(2, 99)}, 1, 300),
                AllocError::kInsufficientFreeSpace,
                "Insufficient free space: 300 extents needed, but only 297 available");
}

// The pre-check is skipped for approx requests: the same request succeeds,
// reduced to what there is (E1-like passes: pv0, pv1, pv2).
TEST_P(Failures, ApproxSkipsTheFreeSpacePreCheck) {
  Request r = Striped({EmptyPv(0, 99), EmptyPv(1, 99), EmptyPv(2, 99)}, 1, 300);
  r.approx = true;
  Result res = ExpectSlots(r, {{{0, 0, 98, 0}, {1, 0, 98, 1}, {2, 0, 98, 2}}});
  EXPECT_EQ(res.allocated_extents, 297u);
  EXPECT_TRUE(res.reduced);
}

// §14.15: enough free space in total but not enough distinct PVs: the policy
// failure, not the pre-check's text. -i3 -l 30 on two PVs of 100.
TEST_P(Failures, EnoughSpaceButTooFewPvs) {
  ExpectFailure(Striped({EmptyPv(0, 100), EmptyPv(1, 100)}, 3, 30),
                AllocError::kInsufficientSuitable,
                "Insufficient suitable allocatable extents for logical volume lv: 30 more "
                "required");
}

// Not enough PVs for parallel allocation needs separate logs and fewer map
// entries than data + log slots; anywhere skips the check.
TEST_P(Failures, NotEnoughPvsForParallelAllocation) {
  Request r = Striped({EmptyPv(0, 100), EmptyPv(1, 100)}, 1, 10);
  r.type = SegmentType::kMirror;
  r.mirrors = 2;
  r.log_count = 1;
  r.logs_require_separate_pvs = true;
  ExpectFailure(r, AllocError::kNotEnoughParallelPvs,
                "Not enough PVs with free space available for parallel allocation.\n"
                "Consider --alloc anywhere if desperate.");
}

// A request breaking request.h's invariants is rejected, never crashes.
TEST_P(Failures, InvalidRequests) {
  for (Request r : {Striped({Pv(0, 10, {{5, 12}})}, 1, 1),      // beyond pe_count
                    Striped({Pv(0, 10, {{5, 6}}), Pv(0, 10, {{6, 7}})}, 1, 1)}) {  // overlap
    absl::StatusOr<Result> out = RunAllocator(GetParam(), r);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(AllocErrorOf(out.status()), AllocError::kInvalidRequest) << out.status();
  }
}

LIBALLOC_INSTANTIATE_BOTH(Failures);

}  // namespace
}  // namespace liballoc

namespace liballoc {
namespace {

// A log candidate can be the very area a data slot takes (spec §7.5: "the
// log is placed right after the data in that area"), but nothing guarantees
// that the area still holds log_len extents after the data piece. Derived
// by hand: thin pool, 1 data extent, 2 metadata extents; pv0 free 0-1 and
// 3-41, pv1 free 0-0 (1 PE). Contiguous pass: pv0 walks 3-41 then 0-1,
// which replaces it as the candidate (used max(1, log_len) = 2); pv1 offers
// 0-0 (used 1). Sorted: pv0 (2), pv1 (1); one trailing too-small candidate,
// so log_offset = 2 - 1 - 1 = 0: the log shares pv0's 0-1 area with the data.
// Data takes PE 0, leaving 1 PE for a 2-extent log: LVM2 2.03.16 reaches
// consume_pv_area(pva, 2) on a 1-extent area, where assert(to_go <=
// pva->count) fails. Whatever liballoc does here, it must not place the
// metadata on PE 2, which is not free: a failure or a valid layout passes.
TEST_P(Failures, LogLongerThanWhatIsLeftOfADataArea) {
  Request r = Striped({Pv(0, 43, {{0, 1}, {3, 41}}), EmptyPv(1, 1)}, 1, 1);
  r.type = SegmentType::kThinPool;
  r.log_count = 1;
  r.metadata_extents = 2;
  absl::StatusOr<Result> out = RunAllocator(GetParam(), r);
  EXPECT_TRUE(testing::CheckOutcome(r, out).ok())
      << testing::CheckOutcome(r, out) << "\n" << testing::DescribeOutcome(out);
}

}  // namespace
}  // namespace liballoc
