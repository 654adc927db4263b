// PlanCommand end to end on hand-built VGs: spec examples, raid/mirror
// layouts derived from the spec (§9.3/§9.4, §12), and the input errors that
// are lvalloc's own (exit 2) versus LVM2's (exit 3/5).
#include "lvm/plan_command.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "plan_test_vg.h"

namespace liballoc::lvm {
namespace {

using testing_vg::AddLinear;
using testing_vg::MakeVg;

absl::StatusOr<CommandOutcome> Plan(const VgModel& vg, std::vector<std::string> argv,
                                    const std::string& config = "") {
  return PlanCommand(vg, argv, config);
}

const LvModel* FindLvIn(const VgModel& vg, const std::string& name) {
  for (const LvModel& lv : vg.lvs) {
    if (lv.name == name) return &lv;
  }
  return nullptr;
}

// "pv0:0+99 pv1:0+51" for a linear LV; one entry per segment, areas by ','.
std::string Layout(const VgModel& vg, const std::string& name) {
  const LvModel* lv = FindLvIn(vg, name);
  if (lv == nullptr) return "<missing>";
  std::vector<std::string> segs;
  for (const SegmentModel& seg : lv->segments) {
    std::vector<std::string> areas;
    for (const AreaModel& a : seg.areas) {
      areas.push_back(a.is_lv ? a.name : absl::StrCat(a.name, ":", a.start));
    }
    segs.push_back(absl::StrCat(absl::StrJoin(areas, ","), "+", seg.extent_count));
  }
  return absl::StrJoin(segs, " ");
}

TEST(PlanCommandTest, LinearLargerThanOnePv) {  // spec E1
  absl::StatusOr<CommandOutcome> out =
      Plan(MakeVg({99, 99, 99}), {"lvcreate", "-an", "-l", "150", "-n", "lv", "vg0"});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->exit_status, 0) << absl::StrJoin(out->messages, "\n");
  EXPECT_EQ(Layout(*out->vg, "lv"), "pv0:0+99 pv1:0+51");
  EXPECT_EQ(out->vg->seqno, 2u);
  EXPECT_EQ(out->notices, std::vector<std::string>{"  Logical volume \"lv\" created."});
  ASSERT_EQ(out->allocations.size(), 1u);
  EXPECT_EQ(out->allocations[0].lv_name, "lv");
}

TEST(PlanCommandTest, TouchingRangesMergeIntoOneSegment) {  // spec E7
  absl::StatusOr<CommandOutcome> out = Plan(
      MakeVg({40}), {"lvcreate", "-l", "10", "-n", "lv", "vg0", "/dev/sdb:0-4", "pv0:5-9"});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->exit_status, 0);
  EXPECT_EQ(Layout(*out->vg, "lv"), "pv0:0+10");
}

TEST(PlanCommandTest, UnnamedLvGetsNextLvolNumber) {
  VgModel vg = MakeVg({40});
  AddLinear(vg, "lvol0", {"pv0", 0}, 1);
  AddLinear(vg, "lvol3_rimage_0", {"pv0", 1}, 1);
  absl::StatusOr<CommandOutcome> out = Plan(vg, {"lvcreate", "-l", "1", "vg0"});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->exit_status, 0);
  EXPECT_EQ(out->vg->lvs.back().name, "lvol4");
  EXPECT_EQ(out->vg->lvs.back().allocation_policy, "");
}

TEST(PlanCommandTest, AllocStoredOnlyWhenGiven) {
  absl::StatusOr<CommandOutcome> out =
      Plan(MakeVg({40}), {"lvcreate", "--alloc", "cling", "-l", "1", "-n", "a", "vg0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(FindLvIn(*out->vg, "a")->allocation_policy, "cling");
}

TEST(PlanCommandTest, Raid1PutsMetadataInFrontOfEachImage) {  // spec §12
  absl::StatusOr<CommandOutcome> out =
      Plan(MakeVg({100, 100, 100}), {"lvcreate", "--type", "raid1", "-m", "1", "-l", "50",
                                     "-n", "r", "vg0"});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->exit_status, 0) << absl::StrJoin(out->messages, "\n");
  const VgModel& vg = *out->vg;
  EXPECT_EQ(Layout(vg, "r_rmeta_0"), "pv0:0+1");
  EXPECT_EQ(Layout(vg, "r_rimage_0"), "pv0:1+50");
  EXPECT_EQ(Layout(vg, "r_rmeta_1"), "pv1:0+1");
  EXPECT_EQ(Layout(vg, "r_rimage_1"), "pv1:1+50");
  const LvModel* top = FindLvIn(vg, "r");
  ASSERT_NE(top, nullptr);
  ASSERT_EQ(top->segments.size(), 1u);
  EXPECT_EQ(top->segments[0].type, "raid1");
  EXPECT_EQ(top->segments[0].extent_count, 50u);
  ASSERT_EQ(top->segments[0].meta_areas.size(), 2u);
  EXPECT_EQ(top->segments[0].meta_areas[1].name, "r_rmeta_1");
  EXPECT_EQ(top->segments[0].region_size, 4096u);
  EXPECT_TRUE(top->visible());
  EXPECT_FALSE(FindLvIn(vg, "r_rimage_0")->visible());
  EXPECT_FALSE(FindLvIn(vg, "r_rmeta_0")->visible());

  // Extending continues every image right after its last extent.
  absl::StatusOr<CommandOutcome> grown = Plan(vg, {"lvextend", "-l", "+10", "vg0/r"});
  ASSERT_TRUE(grown.ok()) << grown.status();
  ASSERT_EQ(grown->exit_status, 0) << absl::StrJoin(grown->messages, "\n");
  EXPECT_EQ(Layout(*grown->vg, "r_rimage_0"), "pv0:1+60");
  EXPECT_EQ(Layout(*grown->vg, "r_rimage_1"), "pv1:1+60");
  EXPECT_EQ(FindLvIn(*grown->vg, "r")->segments[0].extent_count, 60u);
}

TEST(PlanCommandTest, Raid5HasParityImageAndStripeSize) {
  absl::StatusOr<CommandOutcome> out = Plan(
      MakeVg({100, 100, 100}), {"lvcreate", "--type", "raid5", "-i", "2", "-l", "20", "-n", "r",
                                "vg0"});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->exit_status, 0) << absl::StrJoin(out->messages, "\n");
  const LvModel* top = FindLvIn(*out->vg, "r");
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->segments[0].areas.size(), 3u);
  EXPECT_EQ(top->segments[0].extent_count, 20u);
  EXPECT_EQ(top->segments[0].stripe_size, 128u);
  EXPECT_EQ(Layout(*out->vg, "r_rimage_2"), "pv2:1+10");
}

TEST(PlanCommandTest, MirrorLogGoesToTheLastEligiblePv) {  // spec §9.4
  absl::StatusOr<CommandOutcome> out =
      Plan(MakeVg({100, 100, 100, 100}),
           {"lvcreate", "--type", "mirror", "-m", "1", "-l", "10", "-n", "m", "vg0"});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->exit_status, 0) << absl::StrJoin(out->messages, "\n");
  EXPECT_EQ(Layout(*out->vg, "m_mimage_0"), "pv0:0+10");
  EXPECT_EQ(Layout(*out->vg, "m_mimage_1"), "pv1:0+10");
  EXPECT_EQ(Layout(*out->vg, "m_mlog"), "pv3:0+1");
  EXPECT_EQ(FindLvIn(*out->vg, "m")->segments[0].mirror_log, "m_mlog");
  EXPECT_EQ(out->allocations.size(), 2u);
}

TEST(PlanCommandTest, MirrorFillingTheVgGivesItsLastExtentToTheLog) {  // spec §2.4 item 6
  absl::StatusOr<CommandOutcome> out = Plan(
      MakeVg({20, 20}), {"lvcreate", "--type", "mirror", "-m", "1", "-l", "20", "-n", "m", "vg0"});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->exit_status, 0) << absl::StrJoin(out->messages, "\n");
  EXPECT_EQ(Layout(*out->vg, "m_mimage_0"), "pv0:0+19");
  EXPECT_EQ(Layout(*out->vg, "m_mimage_1"), "pv1:0+19");
  EXPECT_EQ(Layout(*out->vg, "m_mlog"), "pv1:19+1");
  EXPECT_EQ(FindLvIn(*out->vg, "m")->segments[0].extent_count, 19u);
}

TEST(PlanCommandTest, MirroredLogNeedsTheSetting) {
  const VgModel vg = MakeVg({100, 100, 100, 100});
  const std::vector<std::string> argv = {"lvcreate", "--type", "mirror", "-m1",
                                         "--mirrorlog", "mirrored", "-l", "10", "-n", "m",
                                         "vg0"};
  absl::StatusOr<CommandOutcome> refused = Plan(vg, argv);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->exit_status, 5);
  EXPECT_EQ(refused->messages,
            std::vector<std::string>{
                "  Log type \"mirrored\" is DEPRECATED. Use RAID1 LV or disk log instead."});
  absl::StatusOr<CommandOutcome> out =
      Plan(vg, argv, "global { support_mirrored_mirror_log = 1 }");
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->exit_status, 0) << absl::StrJoin(out->messages, "\n");
  EXPECT_EQ(Layout(*out->vg, "m_mlog"), "m_mlog_mimage_0,m_mlog_mimage_1+1");
  EXPECT_EQ(Layout(*out->vg, "m_mlog_mimage_0"), "pv2:0+1");
  EXPECT_EQ(Layout(*out->vg, "m_mlog_mimage_1"), "pv3:0+1");
}

TEST(PlanCommandTest, LvmRejectionsCarryLvmsTextAndStatus) {
  const VgModel vg = MakeVg({100, 100, 100});
  absl::StatusOr<CommandOutcome> raid10 =
      Plan(vg, {"lvcreate", "--type", "raid10", "-m", "2", "-l", "4", "vg0"});
  ASSERT_TRUE(raid10.ok());
  EXPECT_EQ(raid10->exit_status, 3);
  EXPECT_EQ(raid10->messages,
            (std::vector<std::string>{
                "  RAID10 currently supports only 2-way mirroring (i.e. '-m 1')",
                "  Run `lvcreate --help' for more information."}));

  absl::StatusOr<CommandOutcome> zero = Plan(vg, {"lvcreate", "-l", "0", "vg0"});
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->exit_status, 3);
  EXPECT_EQ(zero->messages.front(), "  --extents may not be zero.");

  absl::StatusOr<CommandOutcome> bad_value = Plan(vg, {"lvcreate", "-L", "12q", "vg0"});
  ASSERT_TRUE(bad_value.ok());
  EXPECT_EQ(bad_value->exit_status, 3);
  EXPECT_EQ(bad_value->messages,
            (std::vector<std::string>{"  Can't parse size argument.",
                                      "  Invalid argument for --size: 12q",
                                      "  Error during parsing of command line."}));

  absl::StatusOr<CommandOutcome> not_accepted =
      Plan(vg, {"lvcreate", "--type", "linear", "-i", "2", "-l", "4", "vg0"});
  ASSERT_TRUE(not_accepted.ok());
  EXPECT_EQ(not_accepted->exit_status, 3);
  EXPECT_EQ(not_accepted->messages,
            std::vector<std::string>{"  Command does not accept option: --stripes 2."});

  absl::StatusOr<CommandOutcome> no_size = Plan(vg, {"lvcreate", "-n", "lv1", "vg0"});
  ASSERT_TRUE(no_size.ok());
  EXPECT_EQ(no_size->exit_status, 3);
  EXPECT_EQ(no_size->messages,
            std::vector<std::string>{"  No command with matching syntax recognised.  Run "
                                     "'lvcreate --help' for more information."});

  absl::StatusOr<CommandOutcome> reserved =
      Plan(vg, {"lvcreate", "-l", "1", "-n", "lv_rimage_0", "vg0"});
  ASSERT_TRUE(reserved.ok());
  EXPECT_EQ(reserved->messages.front(),
            "  Names including \"_rimage\" are reserved. Please choose a different LV name.");

  absl::StatusOr<CommandOutcome> unknown_pv =
      Plan(vg, {"lvcreate", "-l", "1", "vg0", "/dev/sdz"});
  ASSERT_TRUE(unknown_pv.ok());
  EXPECT_EQ(unknown_pv->exit_status, 5);
  EXPECT_EQ(unknown_pv->messages,
            std::vector<std::string>{
                "  Physical Volume \"/dev/sdz\" not found in Volume Group \"vg0\"."});

  absl::StatusOr<CommandOutcome> unknown_lv = Plan(vg, {"lvextend", "-l", "+1", "vg0/nope"});
  ASSERT_TRUE(unknown_lv.ok());
  EXPECT_EQ(unknown_lv->exit_status, 5);
  EXPECT_EQ(unknown_lv->messages,
            std::vector<std::string>{"  Logical volume nope not found in volume group vg0."});

  absl::StatusOr<CommandOutcome> other_vg = Plan(vg, {"lvcreate", "-l", "1", "vg9"});
  ASSERT_TRUE(other_vg.ok());
  EXPECT_EQ(other_vg->exit_status, 5);
  EXPECT_EQ(other_vg->messages,
            (std::vector<std::string>{"  Volume group \"vg9\" not found",
                                      "  Cannot process volume group vg9"}));
  EXPECT_FALSE(other_vg->vg.has_value());
}

TEST(PlanCommandTest, InputsLvallocCannotPlanAreItsOwnErrors) {
  VgModel vg = MakeVg({100});
  AddLinear(vg, "lv", {"pv0", 0}, 10);
  EXPECT_EQ(Plan(vg, {"lvcreate", "--thinpool", "tp", "-l", "1", "vg0"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Plan(vg, {"lvcreate", "--type", "thin-pool", "-l", "1", "vg0"}).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(Plan(vg, {"lvcreate", "-l", "5000000000", "vg0"}).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Plan(vg, {"lvresize", "-l", "5", "vg0/lv"}).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(Plan(vg, {"lvextend", "-l", "+1", "vg0/lv"}, "allocation {").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Plan(vg, {"vgcreate", "vg1"}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace liballoc::lvm
