#include "extent_ledger.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "free_space.h"

namespace liballoc::testing {
namespace {

using ::testing::HasSubstr;

TEST(ExtentLedgerTest, DoubleBookingIsRefusedAndNamed) {
  ExtentLedger ledger;
  ASSERT_TRUE(ledger.Claim(1, 10, 5, 100).ok());   // 10-14
  ASSERT_TRUE(ledger.Claim(1, 15, 5, 101).ok());   // touching is fine
  ASSERT_TRUE(ledger.Claim(2, 10, 5, 101).ok());   // other source
  absl::Status s = ledger.Claim(1, 12, 10, 102);   // 12-21 hits 100's 12
  EXPECT_THAT(s.message(), HasSubstr("extent 12 of source 0x1 is owned by 100"));
  s = ledger.Claim(1, 0, 11, 102);                 // 0-10 hits 100's 10
  EXPECT_THAT(s.message(), HasSubstr("extent 10 of source 0x1 is owned by 100"));
  s = ledger.Claim(1, 19, 1, 102);                 // last extent of 101's claim
  EXPECT_THAT(s.message(), HasSubstr("extent 19"));
  EXPECT_FALSE(ledger.Claim(1, 30, 0, 102).ok());  // empty claims are refused
  EXPECT_EQ(ledger.OwnedBy(100), 5u);
  EXPECT_EQ(ledger.OwnedBy(101), 10u);
  EXPECT_EQ(ledger.OwnedBy(102), 0u);
}

TEST(ExtentLedgerTest, ReleaseOnlyWhatWasClaimed) {
  ExtentLedger ledger;
  ASSERT_TRUE(ledger.Claim(1, 10, 5, 100).ok());
  EXPECT_FALSE(ledger.Release(1, 10, 4, 100).ok());  // not the whole claim
  EXPECT_FALSE(ledger.Release(1, 10, 5, 101).ok());  // not the owner
  EXPECT_TRUE(ledger.Release(1, 10, 5, 100).ok());
  EXPECT_FALSE(ledger.Release(1, 10, 5, 100).ok());  // twice
  EXPECT_TRUE(ledger.Claim(1, 10, 5, 101).ok());     // free again
}

TEST(ExtentLedgerTest, ClaimResultIsAllOrNothing) {
  ExtentLedger ledger;
  ASSERT_TRUE(ledger.Claim(2, 5, 1, 7).ok());
  Result res;
  res.slots = {{Piece{1, 0, 10, 0}}, {Piece{2, 0, 10, 0}}};  // the second hits owner 7
  EXPECT_FALSE(ledger.ClaimResult(res, 8).ok());
  EXPECT_EQ(ledger.OwnedBy(8), 0u);
  res.slots[1][0].start = 6;
  EXPECT_TRUE(ledger.ClaimResult(res, 8).ok());
  EXPECT_EQ(ledger.ReleaseAll(8), 20u);
  EXPECT_EQ(ledger.OwnedBy(7), 1u);
}

TEST(ExtentLedgerTest, AccountsCatchLeaksAndOverlaps) {
  Source s;
  s.handle = 3;
  s.pe_count = 20;
  s.areas = {{0, 5}, {10, 5}};
  std::vector<Source> vg = {s};
  ExtentLedger ledger;
  ASSERT_TRUE(ledger.ClaimAllocatedSpace(vg, 1).ok());  // 5-9 and 15-19
  EXPECT_TRUE(ledger.CheckAccounts(vg).ok());
  EXPECT_EQ(ledger.OwnedBy(1), 10u);
  // Taking extents from the VG without claiming them is a leak.
  ASSERT_TRUE(TakeFree(vg, 3, 0, 2).ok());
  EXPECT_THAT(ledger.CheckAccounts(vg).message(), HasSubstr("leak: extents 0-1 of source 0x3"));
  ASSERT_TRUE(ledger.Claim(3, 0, 2, 2).ok());
  EXPECT_TRUE(ledger.CheckAccounts(vg).ok());
  // Returning them to the VG while still owned counts them twice.
  ASSERT_TRUE(GiveBack(vg, 3, 0, 2).ok());
  EXPECT_THAT(ledger.CheckAccounts(vg).message(), HasSubstr("counted twice"));
  ledger.ReleaseAll(2);
  EXPECT_TRUE(ledger.CheckAccounts(vg).ok());
  // A leak at the end of the source.
  ledger.ReleaseAll(1);
  ASSERT_TRUE(ledger.Claim(3, 5, 5, 1).ok());
  EXPECT_THAT(ledger.CheckAccounts(vg).message(), HasSubstr("leak: extents 15-19"));
}

TEST(FreeSpaceTest, TakeSplitsAndGiveBackMerges) {
  Source s;
  s.handle = 9;
  s.pe_count = 100;
  s.areas = {{0, 100}};
  std::vector<Source> vg = {s};
  ASSERT_TRUE(TakeFree(vg, 9, 10, 5).ok());
  ASSERT_EQ(vg[0].areas.size(), 2u);
  EXPECT_EQ(vg[0].areas[0].count, 10u);
  EXPECT_EQ(vg[0].areas[1].start, 15u);
  EXPECT_EQ(vg[0].areas[1].count, 85u);
  EXPECT_FALSE(TakeFree(vg, 9, 8, 5).ok());   // 10-12 is not free
  EXPECT_FALSE(TakeFree(vg, 8, 0, 1).ok());   // no such source
  ASSERT_TRUE(TakeFree(vg, 9, 0, 10).ok());   // the whole first area
  ASSERT_EQ(vg[0].areas.size(), 1u);
  ASSERT_TRUE(TakeFree(vg, 9, 99, 1).ok());   // the tail
  EXPECT_EQ(vg[0].areas[0].count, 84u);
  // Giving back merges with touching free runs on both sides.
  ASSERT_TRUE(GiveBack(vg, 9, 10, 5).ok());   // touches 15-98
  ASSERT_EQ(vg[0].areas.size(), 1u);
  EXPECT_EQ(vg[0].areas[0].start, 10u);
  ASSERT_TRUE(GiveBack(vg, 9, 0, 5).ok());    // separate run
  ASSERT_TRUE(GiveBack(vg, 9, 99, 1).ok());   // touches 10-98 from above
  ASSERT_EQ(vg[0].areas.size(), 2u);
  EXPECT_EQ(vg[0].areas[1].count, 90u);
  ASSERT_TRUE(GiveBack(vg, 9, 5, 5).ok());    // bridges the two runs
  ASSERT_EQ(vg[0].areas.size(), 1u);
  EXPECT_EQ(vg[0].areas[0].count, 100u);
  EXPECT_FALSE(GiveBack(vg, 9, 50, 1).ok());  // already free
  EXPECT_FALSE(GiveBack(vg, 9, 100, 1).ok()); // outside
}

// TakeResult takes a whole Result in one sweep per source (piece by piece it
// was quadratic: 20 s under ASan on a differential fuzz input of 24,320
// batches, corpus/differential/regressions/
// raid4-anywhere-24k-batches-quadratic-take-result-20s).
// It must leave exactly what TakeFree piece by piece leaves, and refuse
// what TakeFree refuses.
TEST(FreeSpaceTest, TakeResultEqualsTakingEachPiece) {
  Source a;
  a.handle = 7;
  a.pe_count = 100;
  a.areas = {{0, 10}, {20, 30}, {60, 40}};
  Source b;
  b.handle = 2;
  b.pe_count = 50;
  b.areas = {{0, 50}};
  const std::vector<Source> vg = {a, b};
  Result r;
  // Slots in any order of PEs: a whole area, touching pieces, an area's
  // head and tail, another source.
  r.slots = {{{7, 60, 5, 0}, {7, 0, 10, 1}, {2, 49, 1, 2}},
             {{7, 65, 5, 0}, {7, 95, 5, 1}, {2, 0, 3, 2}},
             {{7, 25, 5, 0}, {7, 20, 1, 1}}};
  std::vector<Source> swept = vg;
  ASSERT_TRUE(TakeResult(swept, r).ok());
  std::vector<Source> one_by_one = vg;
  for (const std::vector<Piece>& slot : r.slots) {
    for (const Piece& p : slot) ASSERT_TRUE(TakeFree(one_by_one, p.handle, p.start, p.count).ok());
  }
  for (size_t i = 0; i < vg.size(); ++i) {
    ASSERT_EQ(swept[i].areas.size(), one_by_one[i].areas.size()) << "source " << i;
    for (size_t k = 0; k < swept[i].areas.size(); ++k) {
      EXPECT_EQ(swept[i].areas[k].start, one_by_one[i].areas[k].start) << i << "/" << k;
      EXPECT_EQ(swept[i].areas[k].count, one_by_one[i].areas[k].count) << i << "/" << k;
    }
  }
  // 7: 21-24, 30-49, 70-94 left; 2: 3-48.
  ASSERT_EQ(swept[0].areas.size(), 3u);
  EXPECT_EQ(swept[0].areas[0].start, 21u);
  EXPECT_EQ(swept[0].areas[0].count, 4u);
  EXPECT_EQ(swept[0].areas[2].start, 70u);
  EXPECT_EQ(swept[0].areas[2].count, 25u);
  ASSERT_EQ(swept[1].areas.size(), 1u);
  EXPECT_EQ(swept[1].areas[0].start, 3u);
  EXPECT_EQ(swept[1].areas[0].count, 46u);

  auto refused = [&](std::vector<std::vector<Piece>> slots) {
    Result bad;
    bad.slots = std::move(slots);
    std::vector<Source> copy = vg;
    return TakeResult(copy, bad);
  };
  // Overlapping pieces (two slots on 62-64), a piece in a gap (12-14), one
  // crossing an area's end (45-54), one past the last area, an empty piece,
  // an unknown source; every area taken whole is fine.
  EXPECT_THAT(refused({{{7, 60, 5, 0}}, {{7, 62, 3, 0}}}).message(),
              HasSubstr("PEs 62-64 of source 0x7 are not inside one free area"));
  EXPECT_FALSE(refused({{{7, 12, 3, 0}}}).ok());
  EXPECT_FALSE(refused({{{7, 45, 10, 0}}}).ok());
  EXPECT_FALSE(refused({{{2, 50, 1, 0}}}).ok());
  EXPECT_FALSE(refused({{{2, 10, 0, 0}}}).ok());
  EXPECT_FALSE(refused({{{5, 0, 1, 0}}}).ok());
  EXPECT_TRUE(refused({{{7, 0, 10, 0}, {7, 20, 30, 1}, {7, 60, 40, 2}}}).ok());
}

}  // namespace
}  // namespace liballoc::testing
