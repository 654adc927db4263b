#include "lvm/plan_pv_list.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lvm/free_space.h"
#include "plan_test_vg.h"

namespace liballoc::lvm {
namespace {

using testing_vg::AddLinear;
using testing_vg::MakeVg;

struct Built {
  absl::Status status;
  std::vector<PvListEntry> list;
  CommandLog log;
};

Built Build(const VgModel& vg, std::vector<std::string> args) {
  Built b;
  b.status = BuildPvList(vg, AllFreeAreas(vg), args, b.log, &b.list);
  return b;
}

TEST(PlanPvListTest, RangeForms) {
  VgModel vg = MakeVg({40});
  Built b = Build(vg, {"/dev/sdb:5", "/dev/sdb:7-9", "/dev/sdb:30-", "/dev/sdb:10+3",
                       "/dev/sdb:+2:20+0"});
  ASSERT_TRUE(b.status.ok()) << b.log.stderr_lines.front();
  ASSERT_EQ(b.list.size(), 1u);
  std::vector<std::pair<Extent, Extent>> ranges;
  for (const PeRange& r : b.list[0].ranges) ranges.push_back({r.start, r.count});
  EXPECT_EQ(ranges, (std::vector<std::pair<Extent, Extent>>{
                        {5, 1}, {7, 3}, {30, 10}, {10, 3}, {0, 2}, {20, 1}}));
}

TEST(PlanPvListTest, PvKeysAreAcceptedAsNames) {
  VgModel vg = MakeVg({10, 10});
  Built b = Build(vg, {"pv1", "/dev/sdb:0-4"});
  ASSERT_TRUE(b.status.ok());
  ASSERT_EQ(b.list.size(), 2u);
  EXPECT_EQ(b.list[0].pv, 1u);
  EXPECT_EQ(b.list[1].pv, 0u);
}

TEST(PlanPvListTest, OverlapsAndBadRangesFailAsLvm) {
  VgModel vg = MakeVg({40});
  Built overlap = Build(vg, {"/dev/sdb:20-29", "/dev/sdb:25-30"});
  EXPECT_TRUE(absl::IsAborted(overlap.status));
  EXPECT_EQ(overlap.log.stderr_lines,
            std::vector<std::string>{
                "  Overlapping PE ranges specified (25-30, 20-29) on /dev/sdb."});
  Built twice = Build(vg, {"/dev/sdb", "/dev/sdb"});
  EXPECT_EQ(twice.log.stderr_lines,
            std::vector<std::string>{
                "  Overlapping PE ranges specified (0-39, 0-39) on /dev/sdb."});
  Built past_end = Build(vg, {"/dev/sdb:30-40"});
  EXPECT_EQ(past_end.log.stderr_lines,
            std::vector<std::string>{"  PE range error: start extent 30 to end extent 40."});
  Built reversed = Build(vg, {"/dev/sdb:9-3"});
  EXPECT_EQ(reversed.log.stderr_lines,
            std::vector<std::string>{"  PE range error: start extent 9 to end extent 3."});
  Built garbage = Build(vg, {"/dev/sdb:4x"});
  EXPECT_EQ(garbage.log.stderr_lines,
            std::vector<std::string>{"  Physical extent parsing error at x."});
  Built unknown = Build(vg, {"/dev/nope"});
  EXPECT_EQ(unknown.log.stderr_lines,
            std::vector<std::string>{
                "  Physical Volume \"/dev/nope\" not found in Volume Group \"vg0\"."});
}

TEST(PlanPvListTest, UnusablePvsAreDroppedWithWarnings) {
  VgModel vg = MakeVg({10, 10, 10, 10});
  AddLinear(vg, "full", {"pv0", 0}, 10);
  vg.pvs[1].status.clear();              // pvchange -x n
  vg.pvs[2].flags = {"MISSING"};
  Built b = Build(vg, {"/dev/sdb", "/dev/sdc", "/dev/sdd", "/dev/sde"});
  ASSERT_TRUE(b.status.ok());
  EXPECT_EQ(b.log.stderr_lines,
            (std::vector<std::string>{
                "  WARNING: No free extents on physical volume \"/dev/sdb\".",
                "  WARNING: Physical volume /dev/sdc not allocatable.",
                "  WARNING: Physical volume /dev/sdd is missing."}));
  ASSERT_EQ(b.list.size(), 1u);
  EXPECT_EQ(b.list[0].pv, 3u);

  Built none = Build(vg, {"/dev/sdb"});
  EXPECT_TRUE(absl::IsAborted(none.status));
  EXPECT_EQ(none.log.stderr_lines.back(), "  No specified PVs have space available.");
}

TEST(PlanPvListTest, TagsExpandInVgOrderAndCountAsNamingThePv) {
  VgModel vg = MakeVg({10, 10, 10});
  vg.pvs[0].tags = {"fast"};
  vg.pvs[2].tags = {"fast"};
  Built b = Build(vg, {"@fast"});
  ASSERT_TRUE(b.status.ok());
  ASSERT_EQ(b.list.size(), 2u);
  EXPECT_EQ(b.list[0].pv, 0u);
  EXPECT_EQ(b.list[1].pv, 2u);
  Built twice = Build(vg, {"@fast", "/dev/sdd"});
  EXPECT_TRUE(absl::IsAborted(twice.status));
}

TEST(PlanPvListTest, FreeExtentsCountOnlyInsideRanges) {
  VgModel vg = MakeVg({30});
  AddLinear(vg, "lv", {"pv0", 10}, 10);
  Built b = Build(vg, {"/dev/sdb:5-14", "/dev/sdb:25-"});
  ASSERT_TRUE(b.status.ok());
  EXPECT_EQ(FreeExtentsInList(b.list, AllFreeAreas(vg)), 5u + 5u);
}

}  // namespace
}  // namespace liballoc::lvm
