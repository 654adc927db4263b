// Spec §14 edge cases at the core level. Each expectation is derived by hand
// from spec §3-§8; the derivation is in the comment above the test.
#include "allocation_test_support.h"

namespace liballoc {
namespace {

class EdgeCases : public AllocationTest {};

// Extension request for an LV whose last (and first) segment is `areas`
// (one PrevArea per stripe, slot = stripe index).
Request Extend(std::vector<Source> sources, uint32_t stripes, Extent extents,
               std::vector<PrevArea> last, Extent le_end) {
  Request r = Striped(std::move(sources), stripes, extents);
  r.mirrors = 0;  // lvextend linear/striped (spec §2.3)
  PrevSegment prev;
  prev.area_count = static_cast<uint32_t>(last.size());
  prev.le_end = le_end;
  prev.last_extent = last;
  prev.first_segment = last;
  r.prev = prev;
  r.existing_extents = le_end;
  return r;
}

// §14.1: equal areas on different PVs: the earlier PV in list order wins,
// and reversing the list reverses the choice. Contiguous pass: both offer
// used 10; the stable sort keeps list order.
TEST_P(EdgeCases, EqualAreasOnDifferentPvsFollowListOrder) {
  ExpectSlots(Striped({EmptyPv(0, 50), EmptyPv(1, 50)}, 1, 10), {{{0, 0, 9, 0}}});
  ExpectSlots(Striped({EmptyPv(1, 50), EmptyPv(0, 50)}, 1, 10), {{{1, 0, 9, 0}}});
}

// §14.2: equal areas on one PV: the lower PE first (list ties in creation
// order). Free 0-9 and 20-29, -l 5: the first area is accepted (unreserved
// 5, re-inserted at the tail) and the walk ends -> pv0:0-4.
TEST_P(EdgeCases, EqualAreasOnOnePvLowerPeFirst) {
  ExpectSlots(Striped({Pv(0, 30, {{0, 9}, {20, 29}})}, 1, 5), {{{0, 0, 4, 0}}});
}

// §14.3: areas 100 (0-99), 50 (101-150), 45 (152-196), request 40. The
// 100-area is accepted (unreserved 60, re-inserted still first), the 50-area
// replaces it (unreserved 10, moved to the tail), the walk ends: the 50-area
// is used, not the 45-area.
TEST_P(EdgeCases, AreaListSkipUsesTheFiftyNotTheFortyFive) {
  ExpectSlots(Striped({Pv(0, 200, {{0, 99}, {101, 150}, {152, 196}})}, 1, 40),
              {{{0, 101, 140, 0}}});
}

// §14.3: areas 50 (0-49) and 45 (51-95), request 40: the 50-area is accepted
// (unreserved 10, moved to the tail), the walk ends -> the 50-area.
TEST_P(EdgeCases, AreaListSkipWithTwoAreas) {
  ExpectSlots(Striped({Pv(0, 100, {{0, 49}, {51, 95}})}, 1, 40), {{{0, 0, 39, 0}}});
}

// §14.4: new linear LV larger than any PV. pv0 30, pv1 60, pv2 40 free, -l
// 100. Contiguous pass: used 30/60/40 -> pv1 (60). Cling pass: pv1 is
// exhausted, nothing clings. Normal pass: preferring round finds nothing,
// free round: 40 left, pv0 offers 30, pv2 offers 40 -> sorted pv2 first, so
// pv2:0-39 (choice by size, not VG order).
TEST_P(EdgeCases, LinearLargerThanAnyPv) {
  ExpectSlots(Striped({EmptyPv(0, 30), EmptyPv(1, 60), EmptyPv(2, 40)}, 1, 100),
              {{{1, 0, 59, 0}, {2, 0, 39, 1}}});
}

// §14.6: a striped request where only one PV has space fails without
// anywhere (one candidate per PV per scan, in every pass): 20 more required.
TEST_P(EdgeCases, StripesNeedDistinctPvsUnlessAnywhere) {
  Request r = Striped({EmptyPv(0, 49), Pv(1, 49, {})}, 2, 20);
  ExpectFailure(r, AllocError::kInsufficientSuitable,
                "Insufficient suitable allocatable extents for logical volume lv: 20 more "
                "required");
  r.policy = Policy::kAnywhere;
  ExpectSlots(r, {{{0, 0, 9, 0}}, {{0, 10, 19, 0}}});
}

// §14.7: lvextend where the space right after the last segment is free. LV
// pv0:0-9; pv0 free 10-99 (90), pv1 free 0-99 (100, larger). The contiguous
// pass (CONTIG_TO_PREV, positional) takes pv0's area as slot 0 -> pv0:10-19
// (LVM2 then merges it into the LV's segment).
TEST_P(EdgeCases, ExtendContinuesRightAfterTheLastSegment) {
  Request r = Extend({Pv(0, 100, {{10, 99}}), EmptyPv(1, 100)}, 1, 10,
                     {PrevArea{0, SourceRef{0, {}}, 0, 10}}, 10);
  Result res = ExpectSlots(r, {{{0, 10, 19, 0}}});
  ASSERT_EQ(res.batches.size(), 1u);
  EXPECT_EQ(res.batches[0].pass, Policy::kContiguous);
}

// §14.9: lvextend with another stripe count than the last segment: no
// COUNT_MATCHES, so no contiguity preference. LV pv2:0-9 (linear); pv0 and
// pv1 empty (100), pv2 free 10-49. With -i1 the contiguous pass continues on
// pv2:10-19. With -i2 +20, the contiguous pass is a plain round: pv0, pv1,
// pv2 all offer used 10, the stable sort keeps pv0, pv1.
TEST_P(EdgeCases, ExtendWithOtherStripeCountHasNoContiguityPreference) {
  std::vector<Source> vg = {EmptyPv(0, 100), EmptyPv(1, 100), Pv(2, 50, {{10, 49}})};
  std::vector<PrevArea> lv = {PrevArea{0, SourceRef{2, {}}, 0, 10}};
  ExpectSlots(Extend(vg, 1, 10, lv, 10), {{{2, 10, 19, 0}}});
  ExpectSlots(Extend(vg, 2, 20, lv, 10), {{{0, 0, 9, 0}}, {{1, 0, 9, 0}}});
}

// §14.10: --alloc contiguous for lvextend must continue exactly after every
// stripe. LV pv0:0-9 + pv1:0-9 (2 stripes); another LV holds pv1:10-14.
// Stripe 1 cannot continue -> "contiguous" failure for the whole request
// (20 missing extents x 2 stripes / area_multiple 2 = 20).
TEST_P(EdgeCases, ContiguousExtendMustFollowEveryStripe) {
  std::vector<PrevArea> lv = {PrevArea{0, SourceRef{0, {}}, 0, 10},
                              PrevArea{1, SourceRef{1, {}}, 0, 10}};
  Request r = Extend({Pv(0, 100, {{10, 99}}), Pv(1, 100, {{15, 99}}), EmptyPv(2, 100)}, 2, 20,
                     lv, 20);
  r.policy = Policy::kContiguous;
  ExpectFailure(r, AllocError::kInsufficientSuitable,
                "Insufficient suitable contiguous allocatable extents for logical volume lv: 20 "
                "more required");
  // With pv1:10 free both stripes continue: pv0:10-19, pv1:10-19.
  r.sources[1] = Pv(1, 100, {{10, 99}});
  ExpectSlots(r, {{{0, 10, 19, 0}}, {{1, 10, 19, 0}}});
}

// §14.13: non-allocatable sources are never used, however large. pv0 is
// not allocatable (100 free), pv1 has 20: -l 10 -> pv1:0-9.
TEST_P(EdgeCases, NonAllocatableSourcesAreSkipped) {
  Source big = EmptyPv(0, 100);
  big.allocatable = false;
  ExpectSlots(Striped({big, EmptyPv(1, 20)}, 1, 10), {{{1, 0, 9, 0}}});
  // Not even anywhere uses it; with only non-allocatable space the request
  // fails the free-space pre-check (0 available).
  Request r = Striped({big}, 1, 10);
  r.policy = Policy::kAnywhere;
  ExpectFailure(r, AllocError::kInsufficientFreeSpace,
                "Insufficient free space: 10 extents needed, but only 0 available");
}

// §14.14: approx (%FREE-style) shortfall: -l 200 on 3 x 50 with approx.
// Contiguous pass: pv0 (tie, VG order). Normal pass free rounds: pv1, then
// pv2 (a preferring round in between finds nothing). Then nothing is free;
// approx accepts 150 and says it was reduced.
TEST_P(EdgeCases, ApproxTakesWhatThereIs) {
  Request r = Striped({EmptyPv(0, 50), EmptyPv(1, 50), EmptyPv(2, 50)}, 1, 200);
  r.approx = true;
  Result res = ExpectSlots(r, {{{0, 0, 49, 0}, {1, 0, 49, 1}, {2, 0, 49, 2}}});
  EXPECT_TRUE(res.reduced);
  EXPECT_EQ(res.allocated_extents, 150u);
}

// §14.14: approx with no space at all for a new LV:
// "Insufficient suitable allocatable extents found for logical volume lv."
TEST_P(EdgeCases, ApproxWithNothingFound) {
  Request r = Striped({Pv(0, 50, {}), Pv(1, 50, {})}, 1, 10);
  r.approx = true;
  ExpectFailure(r, AllocError::kNothingFound,
                "Insufficient suitable allocatable extents found for logical volume lv.");
}

// Nothing to do: extending by 0 extents (existing >= target, no logs).
TEST_P(EdgeCases, NothingToDo) {
  Request r = Extend({EmptyPv(0, 50)}, 1, 0, {PrevArea{0, SourceRef{5, {}}, 0, 10}}, 10);
  Result res = ExpectSlots(r, {{}});
  EXPECT_TRUE(res.batches.empty());
  EXPECT_EQ(res.allocated_extents, 0u);
}

// §14.20: cling_tag_list. LV pv0:0-9 where pv0 (tags a, b) is full; pv1
// (tag a) and pv2 (tag b) are empty. lvextend --alloc cling +10:
//   contiguous pass: nothing after pv0:9;
//   cling pass (no tags): nothing is on pv0; non-positional retry: nothing;
//   cling_by_tags pass: the first area whose PV tag-matches the LV's PV:
//     "@b" -> pv2, "@a" -> pv1, "@*" -> pv1 (shares a; first in list order);
//   without a cling_tag_list there is no cling_by_tags pass -> failure.
Request TaggedClingRequest(std::optional<std::vector<std::string>> list) {
  Request r = Extend({Pv(0, 10, {}, {"a", "b"}), EmptyPv(1, 50, {"a"}), EmptyPv(2, 50, {"b"})},
                     1, 10, {PrevArea{0, SourceRef{0, {"a", "b"}}, 0, 10}}, 10);
  r.policy = Policy::kCling;
  r.cling_tag_list = std::move(list);
  return r;
}

TEST_P(EdgeCases, ClingTagListSpecificTags) {
  Result res = ExpectSlots(TaggedClingRequest(std::vector<std::string>{"@b"}), {{{2, 0, 9, 0}}});
  ASSERT_EQ(res.batches.size(), 1u);
  EXPECT_EQ(res.batches[0].pass, Policy::kClingByTags);
  ExpectSlots(TaggedClingRequest(std::vector<std::string>{"@a"}), {{{1, 0, 9, 0}}});
}

TEST_P(EdgeCases, ClingTagListWildcard) {
  ExpectSlots(TaggedClingRequest(std::vector<std::string>{"@*"}), {{{1, 0, 9, 0}}});
  // Invalid entries are ignored; "@c" matches nothing here.
  ExpectFailure(TaggedClingRequest(std::vector<std::string>{"", "b", "@", "@c"}),
                AllocError::kInsufficientSuitable,
                "Insufficient suitable allocatable extents for logical volume lv: 10 more "
                "required");
}

TEST_P(EdgeCases, ClingWithoutTagListFails) {
  ExpectFailure(TaggedClingRequest(std::nullopt), AllocError::kInsufficientSuitable,
                "Insufficient suitable allocatable extents for logical volume lv: 10 more "
                "required");
}

// §14.20 / §7.6: PARTITION_BY_TAGS in the contiguous pass of a new LV. pv0
// (a), pv1 (a), pv2 (no tags), all 50 free; -i2 -l 20 with cling_tag_list
// "@a". Candidates pv0, pv1, pv2 (used 10 each); partitioning keeps pv0,
// drops pv1 (shares a with pv0), keeps pv2 -> pv0:0-9, pv2:0-9. Without the
// list the same request takes pv0 and pv1.
TEST_P(EdgeCases, PartitionByTagsInTheContiguousPass) {
  Request r = Striped({EmptyPv(0, 50, {"a"}), EmptyPv(1, 50, {"a"}), EmptyPv(2, 50)}, 2, 20);
  ExpectSlots(r, {{{0, 0, 9, 0}}, {{1, 0, 9, 0}}});
  r.cling_tag_list = std::vector<std::string>{"@a"};
  Result res = ExpectSlots(r, {{{0, 0, 9, 0}}, {{2, 0, 9, 0}}});
  ASSERT_EQ(res.batches.size(), 1u);
  EXPECT_EQ(res.batches[0].pass, Policy::kContiguous);
}

LIBALLOC_INSTANTIATE_BOTH(EdgeCases);

}  // namespace
}  // namespace liballoc
