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

}  // namespace
}  // namespace liballoc::testing
