// raid, old-style mirror and pool requests (spec §2.3 rows), expectations
// derived by hand from spec §2.2, §2.5, §7 and §9.
#include "allocation_test_support.h"

namespace liballoc {
namespace {

class RaidMirrorPool : public AllocationTest {};

// lvcreate --type raid1 -m N -l extents (spec §2.3): stripes 1, mirrors
// N+1, one rmeta per image.
Request Raid1(std::vector<Source> sources, uint32_t copies, Extent extents) {
  Request r = Striped(std::move(sources), 1, extents);
  r.type = SegmentType::kRaid1;
  r.mirrors = copies;
  r.log_count = copies;
  return r;
}

// raid1 -m1 -l 50 on two empty PVs (spec §12, derived): rmeta_0 pv0:0,
// rimage_0 pv0:1-50, rmeta_1 pv1:0, rimage_1 pv1:1-50. log_len: 50 extents
// of 4 MiB = 100 regions of 2 MiB -> 8192 + 13 bytes -> 17 sectors -> 1
// extent. Target 50 + 1 (raid1 grows by log_len); contiguous pass: used
// 51/51 -> pv0, pv1 in one batch. PV size 100 (any >= 51 works).
TEST_P(RaidMirrorPool, Raid1MetadataInFrontOfEachImage) {
  Result res = ExpectSlots(Raid1({EmptyPv(0, 100), EmptyPv(1, 100)}, 2, 50),
                           {{{0, 1, 50, 0}}, {{1, 1, 50, 0}}, {{0, 0, 0, 0}}, {{1, 0, 0, 0}}});
  EXPECT_EQ(res.log_len, 1u);
  EXPECT_EQ(res.metadata_area_count, 2u);
  EXPECT_EQ(res.batches[0].area_len, 51u);
  EXPECT_EQ(res.allocated_extents, 51u);
}

// raid1 -m1 -l 100%FREE on 6 PVs x 38 (spec §12, §14.17): the tool asks for
// 228 / 2 = 114 extents, approx. log_len 1 (114 x 4 MiB = 228 regions ->
// 8221 bytes -> 1 extent), target 115 per image. Contiguous pass: all offer
// 38 -> (pv0, pv1), area_len 38 = rmeta 1 + rimage 37. Cling pass: pv0/pv1
// are exhausted, nothing. Normal pass: preferring rounds find nothing, free
// rounds take (pv2, pv3) then (pv4, pv5), 38 each. 114 < 115 and nothing is
// free: approx accepts -> images of 37 + 38 + 38 = 113 extents.
TEST_P(RaidMirrorPool, Raid1HundredPercentFreeOnSixPvs) {
  std::vector<Source> vg;
  for (SourceHandle h = 0; h < 6; ++h) vg.push_back(EmptyPv(h, 38));
  Request r = Raid1(vg, 2, 114);
  r.approx = true;
  Result res = ExpectSlots(r, {{{0, 1, 37, 0}, {2, 0, 37, 1}, {4, 0, 37, 2}},
                               {{1, 1, 37, 0}, {3, 0, 37, 1}, {5, 0, 37, 2}},
                               {{0, 0, 0, 0}},
                               {{1, 0, 0, 0}}});
  EXPECT_TRUE(res.reduced);
  EXPECT_EQ(res.allocated_extents, 114u);  // 113 data + 1 rmeta, as LVM2 counts
}

// §14.16 / §9.3: when an image does not fit on one PV, later batches may
// put it on a PV holding another image. PVs in order: pv0 30, pv1 30, pv2
// 100; raid1 -m1 -l 50 (target 51). Contiguous pass: used 30/30/51 ->
// sorted pv2, pv0, pv1 -> slot 0 = pv2, slot 1 = pv0, area_len 30 (rmeta
// + 29). Cling pass: pv2 clings to slot 0 but slot 1 finds nothing. Normal
// pass: the preferring round has only pv2; the free round offers pv1 (21)
// and pv2 (21) -> tie, list order -> slot 0 = pv1:0-20, slot 1 = pv2:30-50:
// image 1 continues on image 0's PV.
TEST_P(RaidMirrorPool, Raid1LaterBatchMayReuseAnotherImagesPv) {
  Result res = ExpectSlots(
      Raid1({EmptyPv(0, 30), EmptyPv(1, 30), EmptyPv(2, 100)}, 2, 50),
      {{{2, 1, 29, 0}, {1, 0, 20, 1}}, {{0, 1, 29, 0}, {2, 30, 50, 1}}, {{2, 0, 0, 0}},
       {{0, 0, 0, 0}}});
  ASSERT_EQ(res.batches.size(), 2u);
  EXPECT_EQ(res.batches[1].pass, Policy::kNormal);
}

// raid5 -i2 -l 10 on three empty PVs: area_count 2, parity 1, area_multiple
// 2; rimage = ceil(10 / 2) = 5 -> log_len 1; target 10 + 1 x 2 = 12, i.e.
// 6 per image (rmeta 1 + rimage 5). Contiguous pass: used 6/6/6 -> pv0,
// pv1, pv2 (parity last).
TEST_P(RaidMirrorPool, Raid5SplitsMetadataForParityToo) {
  Request r = Striped({EmptyPv(0, 100), EmptyPv(1, 100), EmptyPv(2, 100)}, 2, 10);
  r.type = SegmentType::kRaid5;
  r.log_count = 2;
  Result res = ExpectSlots(r, {{{0, 1, 5, 0}}, {{1, 1, 5, 0}}, {{2, 1, 5, 0}},
                               {{0, 0, 0, 0}}, {{1, 0, 0, 0}}, {{2, 0, 0, 0}}});
  EXPECT_EQ(res.parity_count, 1u);
  EXPECT_EQ(res.area_multiple, 2u);
  EXPECT_EQ(res.allocated_extents, 12u);
}

// §11's raid failure counts: "%u more required" counts data images only and
// includes their rmeta while the first batch is missing. Too few PVs make
// every pass fail: raid5 -i2 -l 10 on 2 PVs -> 12; raid6 -i3 -l 12 on 4 PVs
// -> 15; raid10 -i2 -m1 -l 4 on 3 PVs -> 12; raid1 -m2 -l 13 on 2 PVs -> 42.
TEST_P(RaidMirrorPool, RaidFailureCountsIncludeMetadata) {
  const std::string text = "Insufficient suitable allocatable extents for logical volume lv: ";
  Request r5 = Striped({EmptyPv(0, 100), EmptyPv(1, 100)}, 2, 10);
  r5.type = SegmentType::kRaid5;
  r5.log_count = 2;
  ExpectFailure(r5, AllocError::kInsufficientSuitable, text + "12 more required");

  Request r6 = Striped({EmptyPv(0, 100), EmptyPv(1, 100), EmptyPv(2, 100), EmptyPv(3, 100)}, 3, 12);
  r6.type = SegmentType::kRaid6;
  r6.log_count = 3;
  ExpectFailure(r6, AllocError::kInsufficientSuitable, text + "15 more required");

  Request r10 = Striped({EmptyPv(0, 100), EmptyPv(1, 100), EmptyPv(2, 100)}, 2, 4);
  r10.type = SegmentType::kRaid10;
  r10.mirrors = 2;
  r10.log_count = 4;
  ExpectFailure(r10, AllocError::kInsufficientSuitable, text + "12 more required");

  ExpectFailure(Raid1({EmptyPv(0, 100), EmptyPv(1, 100)}, 3, 13),
                AllocError::kInsufficientSuitable, text + "42 more required");
}

// Old-style mirror legs, --type mirror -m1 -l 20 (log allocated later):
// stripes 1, mirrors 2, area_multiple 1. Contiguous pass on three empty PVs:
// used 20/20/20 -> pv0, pv1.
TEST_P(RaidMirrorPool, MirrorLegs) {
  Request r = Striped({EmptyPv(0, 50), EmptyPv(1, 50), EmptyPv(2, 50)}, 1, 20);
  r.type = SegmentType::kMirror;
  r.mirrors = 2;
  ExpectSlots(r, {{{0, 0, 19, 0}}, {{1, 0, 19, 0}}});
}

// The mirror log: stripes = mirrors = 0, log_count 1, extents = LV size,
// parallel_areas = the legs' PVs (spec §2.3, §9.4).
Request MirrorLog(std::vector<Source> sources, Extent lv_size, std::vector<SourceHandle> legs) {
  Request r;
  r.sources = std::move(sources);
  r.type = SegmentType::kMirror;
  r.stripes = 0;
  r.mirrors = 0;
  r.log_count = 1;
  r.extents = lv_size;
  ParallelArea pa{0, lv_size, {}};
  for (SourceHandle h : legs) pa.sources.push_back(SourceRef{h, {}});
  r.parallel_areas = {pa};
  return r;
}

// §9.4: legs on pv0/pv1 of a 4-PV VG -> log on pv3 (the last eligible PV).
// log_len 1 (10 extents -> 20 regions -> 1 KiB + 4 bytes -> 3 sectors).
// Contiguous pass: pv0/pv1 are parallel PVs; pv2 and pv3 offer used =
// log_len 1; equal after the stable sort, the log takes the candidate just
// before the (zero) too-small ones: pv3.
TEST_P(RaidMirrorPool, MirrorLogGoesToTheLastEligiblePv) {
  Request r = MirrorLog({Pv(0, 20, {{10, 19}}), Pv(1, 20, {{10, 19}}), EmptyPv(2, 20),
                         EmptyPv(3, 20)},
                        10, {0, 1});
  Result res = ExpectSlots(r, {{{3, 0, 0, 0}}});
  EXPECT_EQ(res.log_len, 1u);
  EXPECT_EQ(res.allocated_extents, 0u);
}

// §14.18: mirror with a disk log on exactly 2 PVs (legs pv0:0-9, pv1:0-9 of
// 20-extent PVs). Every pass skips both (parallel) until the normal pass's
// log iteration (§7.2 (c)), which offers pv0 and pv1 (used 1 each); the log
// takes the last one: pv1:10, right after pv1's leg.
TEST_P(RaidMirrorPool, MirrorLogOnTwoPvsFollowsTheSecondLeg) {
  Request r = MirrorLog({Pv(0, 20, {{10, 19}}), Pv(1, 20, {{10, 19}})}, 10, {0, 1});
  Result res = ExpectSlots(r, {{{1, 10, 10, 0}}});
  ASSERT_EQ(res.batches.size(), 1u);
  EXPECT_EQ(res.batches[0].pass, Policy::kNormal);
}

// §14.18 with mirror_logs_require_separate_pvs=1: no log iteration, so no
// PV can take the log. The allocator's message has an empty LV name (the log
// call has no LV).
TEST_P(RaidMirrorPool, MirrorLogOnTwoPvsWithSeparateLogsFails) {
  Request r = MirrorLog({Pv(0, 20, {{10, 19}}), Pv(1, 20, {{10, 19}})}, 10, {0, 1});
  r.logs_require_separate_pvs = true;
  ExpectFailure(r, AllocError::kLogSpace,
                "Insufficient free space for log allocation for logical volume .");
}

// Thin pool (spec §9.5, §14.19): the metadata goes the log path. On one PV
// (pmspare at 0-1): data 20, metadata 2. Contiguous and cling passes cannot
// place the log (one candidate for two slots; cling fails while logs are
// pending). Normal pass: the free round finds pv0 for data (ix 1) and the log
// iteration offers pv0 again (used 20, not too small); log_offset 1 -> the
// log is carved from the same area right after the data: tdata pv0:2-21,
// tmeta pv0:22-23.
TEST_P(RaidMirrorPool, ThinPoolOnOnePvPutsMetadataAfterData) {
  Request r = Striped({Pv(0, 100, {{2, 99}})}, 1, 20);
  r.type = SegmentType::kThinPool;
  r.log_count = 1;
  r.metadata_extents = 2;
  Result res = ExpectSlots(r, {{{0, 2, 21, 0}}, {{0, 22, 23, 0}}});
  EXPECT_EQ(res.log_area_count, 1u);
  EXPECT_EQ(res.allocated_extents, 20u);
}

// Thin pool on two PVs (spec §9.5): pmspare pv0:0-1, then the contiguous
// pass offers pv0 and pv1 (used 20 each); data takes the first, the log the
// last that can hold it -> tdata pv0:2-21, tmeta pv1:0-1.
TEST_P(RaidMirrorPool, ThinPoolOnTwoPvsPutsMetadataOnTheOther) {
  Request r = Striped({Pv(0, 100, {{2, 99}}), EmptyPv(1, 100)}, 1, 20);
  r.type = SegmentType::kThinPool;
  r.log_count = 1;
  r.metadata_extents = 2;
  ExpectSlots(r, {{{0, 2, 21, 0}}, {{1, 0, 1, 0}}});
}

// Thin pool with thin_pool_metadata_require_separate_pvs=1 on one PV: one
// map entry for one data + one log slot -> the up-front "Not enough PVs"
// failure (spec §4).
TEST_P(RaidMirrorPool, SeparateMetadataNeedsAnotherPv) {
  Request r = Striped({EmptyPv(0, 100)}, 1, 20);
  r.type = SegmentType::kThinPool;
  r.log_count = 1;
  r.metadata_extents = 2;
  r.logs_require_separate_pvs = true;
  ExpectFailure(r, AllocError::kNotEnoughParallelPvs,
                "Not enough PVs with free space available for parallel allocation.\n"
                "Consider --alloc anywhere if desperate.");
}

// Cache pool whose metadata (5) is longer than the area chosen: pv0 has ten
// 3-extent areas (30 free, enough for the pre-check of 25). The contiguous
// pass accepts the first area (used 3; the next is too small to replace it),
// area_len 3, and carving 5 metadata extents from a 3-extent area fails.
TEST_P(RaidMirrorPool, MetadataDoesNotFitOnASinglePv) {
  std::vector<FreeRange> small;
  for (Extent pe = 0; pe < 40; pe += 4) small.push_back({pe, pe + 2});
  Request r = Striped({Pv(0, 40, small)}, 1, 20);
  r.type = SegmentType::kCachePool;
  r.log_count = 1;
  r.metadata_extents = 5;
  ExpectFailure(r, AllocError::kMetadataDoesNotFit, "Metadata does not fit on a single PV.");
}

// Striped cache pool (fuzz finding): LVM2 adds the 15 metadata extents to
// the total once (9 + 15 = 24), gives each of the 3 stripes 24 / 3 = 8, then
// splits 15 metadata extents from each: 8 - 15 wraps in 32 bits and LVM2
// aborts on an assertion. liballoc refuses, saying why, before any data
// piece of the underflowing stripe is placed.
TEST_P(RaidMirrorPool, StripedCachePoolShareShorterThanMetadataIsRefused) {
  Request r = Striped({EmptyPv(0, 100), EmptyPv(1, 100), EmptyPv(2, 100)}, 3, 9);
  r.type = SegmentType::kCachePool;
  r.log_count = 3;
  r.metadata_extents = 15;
  ExpectFailure(r, AllocError::kMetadataDoesNotFit,
                "Metadata of 15 extents does not fit in a parallel area of 8 extents (LVM2 "
                "2.03.16 would underflow and abort here); refusing.");
}

// Fuzz finding: -i 4, approx, anywhere, parallel areas ending at LE 3 and 20,
// 2 existing extents. After the first batch (area_len 2), every later round's
// max_to_allocate is below area_multiple, so area_len rounds down to 0 and
// LVM2 skips every area: nothing is placed and no segment is made. The
// Result keeps no such empty batch either (it used to keep four).
TEST_P(RaidMirrorPool, RoundsThatPlaceNothingLeaveNoBatch) {
  std::vector<Source> pvs;
  for (SourceHandle h = 0; h < 6; ++h) pvs.push_back(EmptyPv(h, 100));
  Request r = Striped(pvs, 4, 20);
  r.mirrors = 0;
  r.existing_extents = 2;
  r.approx = true;
  r.policy = Policy::kAnywhere;
  r.parallel_areas = {ParallelArea{0, 3, {}}, ParallelArea{3, 17, {}}};
  Result res = ExpectSlots(r, {{{0, 0, 1, 0}}, {{1, 0, 1, 0}}, {{2, 0, 1, 0}}, {{3, 0, 1, 0}}});
  ASSERT_EQ(res.batches.size(), 1u);
  EXPECT_EQ(res.batches[0].area_len, 2u);
}

// Fuzz finding (corpus/allocate/regressions/striped-mirror-log-parallel-area-
// boundary-log-only-batch): the same rounding with a mirror log pending. A
// striped mirror (-m1 -i2: 4 areas, area_multiple 2) of 3 existing extents
// next to a parallel area ending at LE 2 gets max_to_allocate 2*2 - 3 = 1, so
// area_len 0. LVM2 2.03.16's _alloc_parallel_area still places the log
// (len = log_len for the log slots) and _find_some_parallel_space clears
// log_area_count_still_needed; later rounds place nothing. The approx
// request is reduced to 0 new extents (LVM2: "Found fewer allocatable
// extents", as allocated counts the 3 existing ones), and batch 0, with
// area_len 0, holds the log alone.
TEST_P(RaidMirrorPool, RoundWithAreaLenZeroStillPlacesPendingLog) {
  std::vector<Source> pvs;
  for (SourceHandle h = 0; h < 6; ++h) pvs.push_back(EmptyPv(h, 100 - 10 * h));
  Request r = Striped(pvs, 2, 4);
  r.type = SegmentType::kMirror;
  r.mirrors = 2;
  r.log_count = 1;
  r.existing_extents = 3;
  r.approx = true;
  r.parallel_areas = {ParallelArea{0, 2, {}}};
  // The log on the smallest PV with room for it (pv5), data slots empty.
  Result res = ExpectSlots(r, {{}, {}, {}, {}, {{5, 0, 0, 0}}});
  ASSERT_EQ(res.batches.size(), 1u);
  EXPECT_EQ(res.batches[0].area_len, 0u);
  EXPECT_EQ(res.allocated_extents, 0u);
  EXPECT_TRUE(res.reduced);
}

// lvconvert -m +1 of a linear LV on pv0:0-49 (spec §2.3 last-but-one row):
// raid1, stripes 0 (-> 1), mirrors 1, log_count 1, extents = LV size 50,
// one parallel area over the whole LV naming pv0. area_count 1, area_multiple
// 1, log_len 1 (new image), target 51. Contiguous pass: next_le 0 < 50, the
// cap is (0 + 50) x 1 = 50 >= 51 - 1 (pending rmeta), so max stays 51; pv0
// (the largest, 150 free) is a parallel PV and skipped; pv1 and pv2 offer 51
// -> pv1: rmeta pv1:0, rimage pv1:1-50.
TEST_P(RaidMirrorPool, AddedRaidImageAvoidsTheLvsPvs) {
  Request r = Striped({Pv(0, 200, {{50, 199}}), EmptyPv(1, 100), EmptyPv(2, 100)}, 0, 50);
  r.type = SegmentType::kRaid1;
  r.mirrors = 1;
  r.log_count = 1;
  r.parallel_areas = {ParallelArea{0, 50, {SourceRef{0, {}}}}};
  Result res = ExpectSlots(r, {{{1, 1, 50, 0}}, {{1, 0, 0, 0}}});
  EXPECT_EQ(res.allocated_extents, 51u);
}

// lvextend -l +20 of a raid1 -m1 LV whose images are pv0:1-50 and pv1:1-50
// (rmeta at PE 0): raid1, stripes 1, mirrors 2, no log; prev segment with
// two areas (COUNT_MATCHES). The contiguous pass fills both positional slots
// with the areas right after the images -> pv0:51-70, pv1:51-70, although
// pv2 is empty and larger.
TEST_P(RaidMirrorPool, Raid1ExtensionContinuesEachImage) {
  Request r = Striped({Pv(0, 100, {{51, 99}}), Pv(1, 100, {{51, 99}}), EmptyPv(2, 200)}, 1, 20);
  r.type = SegmentType::kRaid1;
  r.mirrors = 2;
  r.existing_extents = 50;
  PrevSegment prev;
  prev.area_count = 2;
  prev.le_end = 50;
  prev.last_extent = {PrevArea{0, SourceRef{0, {}}, 1, 50}, PrevArea{1, SourceRef{1, {}}, 1, 50}};
  prev.first_segment = prev.last_extent;
  r.prev = prev;
  Result res = ExpectSlots(r, {{{0, 51, 70, 0}}, {{1, 51, 70, 0}}});
  EXPECT_EQ(res.batches[0].pass, Policy::kContiguous);
  EXPECT_EQ(res.metadata_area_count, 0u);
}

LIBALLOC_INSTANTIATE_BOTH(RaidMirrorPool);

}  // namespace
}  // namespace liballoc
