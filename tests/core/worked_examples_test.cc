// Spec §12 worked examples E1-E9 (recorded from real LVM2 2.03.16), as core
// requests. PVs are handles 0, 1, 2 in VG order; ranges are inclusive PEs.
// Where an example leaves PV sizes open, the sizes chosen do not influence
// the outcome (noted per test).
#include "allocation_test_support.h"

namespace liballoc {
namespace {

class WorkedExamples : public AllocationTest {};

// E1: pv0, pv1, pv2 each 99 free PEs; lvcreate -l 150 ->
// LE 0-98 pv0:0-98, LE 99-149 pv1:0-50.
TEST_P(WorkedExamples, E1LinearLargerThanOnePv) {
  Request r = Striped({EmptyPv(0, 99), EmptyPv(1, 99), EmptyPv(2, 99)}, 1, 150);
  Result res = ExpectSlots(r, {{{0, 0, 98, 0}, {1, 0, 50, 1}}});
  ASSERT_EQ(res.batches.size(), 2u);
  // Contiguous pass: all three offer used 99, stable sort keeps pv0.
  EXPECT_EQ(res.batches[0].pass, Policy::kContiguous);
  // Normal pass, free round: pv1 and pv2 offer 51 each -> pv1.
  EXPECT_EQ(res.batches[1].pass, Policy::kNormal);
  EXPECT_EQ(res.allocated_extents, 150u);
}

// E2: free pv0:79-98 (20), pv1:49-98 (50), pv2:69-98 (30).
// lvcreate -i2 -l 60 -> pv1:49-78 + pv2:69-98 (used 30/30/20: the two 30s).
TEST_P(WorkedExamples, E2StripedUnequalPvs) {
  std::vector<Source> vg = {Pv(0, 99, {{79, 98}}), Pv(1, 99, {{49, 98}}), Pv(2, 99, {{69, 98}})};
  ExpectSlots(Striped(vg, 2, 60), {{{1, 49, 78, 0}}, {{2, 69, 98, 0}}});
}

// E2 with -l 80: the second batch (normal pass, free round) gets pv0 and
// pv1 with used 10 each; the tie keeps VG order, so stripe 0 moves to pv0.
TEST_P(WorkedExamples, E2StripedSecondBatchMovesStripeZero) {
  std::vector<Source> vg = {Pv(0, 99, {{79, 98}}), Pv(1, 99, {{49, 98}}), Pv(2, 99, {{69, 98}})};
  Result res = ExpectSlots(Striped(vg, 2, 80), {{{1, 49, 78, 0}, {0, 79, 88, 1}},
                                                {{2, 69, 98, 0}, {1, 79, 88, 1}}});
  ASSERT_EQ(res.batches.size(), 2u);
  EXPECT_EQ(res.batches[0].area_len, 30u);
  EXPECT_EQ(res.batches[1].area_len, 10u);
  EXPECT_EQ(res.batches[1].pass, Policy::kNormal);
}

// E3: pv0 free 0-39 (40), 41-60 (20), 62-79 (18); lvcreate -l 16 vg pv0 ->
// pv0:41-56. The 40-area is accepted (unreserved 24, still ahead of the 20),
// the 20-area replaces it (unreserved 4, re-inserted at the tail) and the walk
// ends: the 18-area is never examined. pe_count 80 (any >= 80 works).
TEST_P(WorkedExamples, E3AreaListSkip) {
  Request r = Striped({Pv(0, 80, {{0, 39}, {41, 60}, {62, 79}})}, 1, 16);
  ExpectSlots(r, {{{0, 41, 56, 0}}});
}

// E4: lv = pv0:0-9 then pv1:0-9; other LVs at pv0:10-14 and pv1:10-14; pv2
// empty. lvextend --alloc cling -l +10 -> pv0:15-24 with maximise_cling=1,
// pv1:15-24 with 0. PV size 50 (any size with room after PE 14 works: the
// contiguous pass fails because PE 10 of pv1 is taken).
Request E4Request(bool maximise_cling) {
  Request r = Striped({Pv(0, 50, {{15, 49}}), Pv(1, 50, {{15, 49}}), EmptyPv(2, 50)}, 1, 10);
  r.mirrors = 0;  // lvextend of a linear LV (spec §2.3)
  r.policy = Policy::kCling;
  r.maximise_cling = maximise_cling;
  r.existing_extents = 20;
  PrevSegment prev;
  prev.area_count = 1;
  prev.le_end = 20;
  prev.last_extent = {PrevArea{0, SourceRef{1, {}}, 0, 10}};    // segment 2: pv1:0-9
  prev.first_segment = {PrevArea{0, SourceRef{0, {}}, 0, 10}};  // segment 1: pv0:0-9
  r.prev = prev;
  return r;
}

TEST_P(WorkedExamples, E4ClingFollowsFirstSegmentWithMaximiseCling) {
  Result res = ExpectSlots(E4Request(true), {{{0, 15, 24, 0}}});
  ASSERT_EQ(res.batches.size(), 1u);
  EXPECT_EQ(res.batches[0].pass, Policy::kCling);
}

TEST_P(WorkedExamples, E4ClingFollowsLastExtentWithoutMaximiseCling) {
  ExpectSlots(E4Request(false), {{{1, 15, 24, 0}}});
}

// E5: pv0 free 0-29 (C), 31-40 (A), 42-51 (B); pv1 free 0-19; pv2 free 0-9.
// lvcreate -i2 -l 60 -> LE 0-39 pv0:0-19 pv1:0-19, LE 40-59 pv0:31-40
// pv2:0-9 (the reset walk leaves B and C' reserved, so pv0 offers A).
// pe_counts 52/20/10: the PVs end with their free runs.
TEST_P(WorkedExamples, E5ResetWalkLeavesAreasReserved) {
  std::vector<Source> vg = {Pv(0, 52, {{0, 29}, {31, 40}, {42, 51}}), EmptyPv(1, 20),
                            EmptyPv(2, 10)};
  Result res = ExpectSlots(Striped(vg, 2, 60), {{{0, 0, 19, 0}, {0, 31, 40, 1}},
                                                {{1, 0, 19, 0}, {2, 0, 9, 1}}});
  ASSERT_EQ(res.batches.size(), 2u);
  EXPECT_EQ(res.batches[0].area_len, 20u);
  EXPECT_EQ(res.batches[1].area_len, 10u);
}

// E6: a single PV with 49 free PEs; lvcreate -i2 -l 20 --alloc anywhere ->
// LE 0-19 pv0:0-9 pv0:10-19 (the second scan re-uses the partly reserved
// area; slots are consumed in order).
TEST_P(WorkedExamples, E6AnywhereTwoStripesOnOnePv) {
  Request r = Striped({EmptyPv(0, 49)}, 2, 20);
  r.policy = Policy::kAnywhere;
  Result res = ExpectSlots(r, {{{0, 0, 9, 0}}, {{0, 10, 19, 0}}});
  ASSERT_EQ(res.batches.size(), 1u);
  EXPECT_EQ(res.batches[0].pass, Policy::kAnywhere);
}

// E7: pv0 empty; lvcreate -l 10 vg pv0:0-4 pv0:5-9 -> two batches pv0:0-4,
// pv0:5-9 (LVM2 then merges them into one segment, a tool-level step).
// pv0's size is not given; 100 PEs (anything >= 10 works).
TEST_P(WorkedExamples, E7TouchingRangesGiveTwoBatches) {
  Request r = Striped({Pv(0, 100, {{0, 4}}), Pv(0, 100, {{5, 9}})}, 1, 10);
  ExpectSlots(r, {{{0, 0, 4, 0}, {0, 5, 9, 1}}});
}

// E7: pv0:15-19 pv0:10-14 -> LE 0-4 pv0:15-19, LE 5-9 pv0:10-14 (equal
// areas keep creation order = argument order).
TEST_P(WorkedExamples, E7RangeOrderDecidesBetweenEqualAreas) {
  Request r = Striped({Pv(0, 100, {{15, 19}}), Pv(0, 100, {{10, 14}})}, 1, 10);
  ExpectSlots(r, {{{0, 15, 19, 0}, {0, 10, 14, 1}}});
}

// E7: overlapping ranges pv0:20-29 pv0:25-30 are rejected (by the tool with
// "Overlapping PE ranges"; at the core, request.h forbids overlapping areas).
TEST_P(WorkedExamples, E7OverlappingRangesAreInvalid) {
  Request r = Striped({Pv(0, 100, {{20, 29}}), Pv(0, 100, {{25, 30}})}, 1, 10);
  absl::StatusOr<Result> out = RunAllocator(GetParam(), r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(AllocErrorOf(out.status()), AllocError::kInvalidRequest);
}

// E8: pv0 has an LV at 0-4, pv1 empty; cache pool -l 20 with 5 metadata
// extents -> lvol0_pmspare pv0:5-9 (a separate linear allocation), then
// cp_cmeta pv0:10-14, cp_cdata pv0:15-34. PV sizes 100 (any >= 35 works: the
// contiguous pass sees used 5/5, then 25/25, ties keep pv0).
TEST_P(WorkedExamples, E8CachePoolSplitMetadata) {
  ExpectSlots(Striped({Pv(0, 100, {{5, 99}}), EmptyPv(1, 100)}, 1, 5), {{{0, 5, 9, 0}}});
  Request pool = Striped({Pv(0, 100, {{10, 99}}), EmptyPv(1, 100)}, 1, 20);
  pool.type = SegmentType::kCachePool;
  pool.log_count = 1;
  pool.metadata_extents = 5;
  Result res = ExpectSlots(pool, {{{0, 15, 34, 0}}, {{0, 10, 14, 0}}});
  // The cmeta extents count towards the allocation target (spec §2.2 item 5).
  EXPECT_EQ(res.allocated_extents, 25u);
}

// E9: pv0 free 20-48 (29), pv1 free 0-48 (49); lvcreate -l 60 --alloc
// contiguous fails; -i2 -l 30 --alloc contiguous -> pv0:20-34 pv1:0-14.
TEST_P(WorkedExamples, E9ContiguousFailure) {
  Request r = Striped({Pv(0, 49, {{20, 48}}), EmptyPv(1, 49)}, 1, 60);
  r.policy = Policy::kContiguous;
  r.lv_name = "r5";
  ExpectFailure(r, AllocError::kInsufficientSuitable,
                "Insufficient suitable contiguous allocatable extents for logical volume r5: 60 "
                "more required");
}

TEST_P(WorkedExamples, E9ContiguousStriped) {
  Request r = Striped({Pv(0, 49, {{20, 48}}), EmptyPv(1, 49)}, 2, 30);
  r.policy = Policy::kContiguous;
  ExpectSlots(r, {{{0, 20, 34, 0}}, {{1, 0, 14, 0}}});
}

LIBALLOC_INSTANTIATE_BOTH(WorkedExamples);

}  // namespace
}  // namespace liballoc
