#include "lvm/free_space.h"

#include <random>
#include <string>

#include "gtest/gtest.h"
#include "lvm/metadata_reader.h"
#include "metadata_files.h"

namespace liballoc::lvm {
namespace {

using Runs = std::vector<std::pair<uint64_t, uint64_t>>;  // {start, count}

Runs AsRuns(const std::vector<liballoc::Area>& areas) {
  Runs runs;
  for (const liballoc::Area& a : areas) runs.emplace_back(a.start, a.count);
  return runs;
}

TEST(AreaMultiple, FollowsLvm2) {
  EXPECT_EQ(AreaMultiple("striped", 3), 3u);
  EXPECT_EQ(AreaMultiple("striped", 0), 1u);
  EXPECT_EQ(AreaMultiple("mirror", 2), 1u);
  EXPECT_EQ(AreaMultiple("raid1", 3), 1u);
  EXPECT_EQ(AreaMultiple("raid0", 4), 4u);
  EXPECT_EQ(AreaMultiple("raid0_meta", 2), 2u);
  EXPECT_EQ(AreaMultiple("raid5_ls", 3), 2u);
  EXPECT_EQ(AreaMultiple("raid4", 1), 1u);
  EXPECT_EQ(AreaMultiple("raid6_zr", 5), 3u);
  EXPECT_EQ(AreaMultiple("raid6", 2), 1u);
  EXPECT_EQ(AreaMultiple("raid10", 4), 2u);
  EXPECT_EQ(AreaMultiple("raid1+LOCKED", 2), 1u);
  EXPECT_EQ(AreaMultiple("striped+LOCKED", 2), 2u);
  SegmentModel seg;
  seg.type = "striped";
  seg.extent_count = 30;
  seg.areas.resize(3);
  EXPECT_EQ(AreaLen(seg), 10u);
}

TEST(FreeAreas, RecordedFragmentedVg) {
  absl::StatusOr<VgModel> vg = ParseMetadata(testing::ReadFileOrDie(
      std::string(LVM_TEST_DATA_DIR) + "/linear_striped_raid0.vg"));
  ASSERT_TRUE(vg.ok()) << vg.status();
  // pv0: lv1 0-9, striped 10-19, r0_rimage_0 20-29, lv1 30-34.
  EXPECT_EQ(AsRuns(FreeAreas(*vg, 0)), (Runs{{35, 65}}));
  // pv1: striped 0-9, r0_rimage_1 10-19.
  EXPECT_EQ(AsRuns(FreeAreas(*vg, 1)), (Runs{{20, 80}}));
  EXPECT_EQ(AsRuns(FreeAreas(*vg, 2)), (Runs{{10, 90}}));
  EXPECT_TRUE(FreeAreas(*vg, 3).empty());

  absl::StatusOr<VgModel> hole = ParseMetadata(testing::ReadFileOrDie(
      std::string(LVM_TEST_DATA_DIR) + "/tags_policies_hole.vg"));
  ASSERT_TRUE(hole.ok()) << hole.status();
  // Removing `striped` left holes at pv0 10-19 and pv1 0-9.
  EXPECT_EQ(AsRuns(FreeAreas(*hole, 0)).front(), (std::pair<uint64_t, uint64_t>{10, 10}));
  EXPECT_EQ(AsRuns(FreeAreas(*hole, 1)).front(), (std::pair<uint64_t, uint64_t>{0, 10}));
}

// Against a per-extent bitmap, on random VGs (areas may overlap or touch).
TEST(FreeAreas, MatchesABitmapOnRandomLayouts) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 200; ++round) {
    VgModel vg;
    vg.extent_size = 8;
    const int pv_count = 1 + static_cast<int>(rng() % 4);
    for (int p = 0; p < pv_count; ++p) {
      PvModel pv;
      pv.key = "pv" + std::to_string(p);
      pv.pe_count = rng() % 40;
      vg.pvs.push_back(pv);
    }
    std::vector<std::vector<bool>> used(pv_count);
    for (int p = 0; p < pv_count; ++p) used[p].assign(vg.pvs[p].pe_count, false);
    const int lv_count = static_cast<int>(rng() % 6);
    for (int l = 0; l < lv_count; ++l) {
      LvModel lv;
      lv.name = "lv" + std::to_string(l);
      const int segs = 1 + static_cast<int>(rng() % 3);
      for (int s = 0; s < segs; ++s) {
        SegmentModel seg;
        seg.type = "striped";
        const uint64_t stripes = 1 + rng() % 2;
        const uint64_t len = 1 + rng() % 6;
        seg.extent_count = len * stripes;
        for (uint64_t k = 0; k < stripes; ++k) {
          const int p = static_cast<int>(rng() % pv_count);
          const uint64_t start = rng() % 45;  // may run past the PV end: clipped
          seg.areas.push_back({false, vg.pvs[p].key, start});
          for (uint64_t e = start; e < start + len && e < vg.pvs[p].pe_count; ++e) {
            used[p][e] = true;
          }
        }
        lv.segments.push_back(seg);
      }
      vg.lvs.push_back(lv);
    }
    const auto all = AllFreeAreas(vg);
    ASSERT_EQ(all.size(), vg.pvs.size());
    for (int p = 0; p < pv_count; ++p) {
      Runs expected;
      for (uint64_t e = 0; e < used[p].size(); ++e) {
        if (used[p][e]) continue;
        if (!expected.empty() && expected.back().first + expected.back().second == e) {
          ++expected.back().second;
        } else {
          expected.emplace_back(e, 1);
        }
      }
      EXPECT_EQ(AsRuns(all[p]), expected) << "round " << round << " pv" << p;
      EXPECT_EQ(AsRuns(FreeAreas(vg, p)), expected);
    }
  }
}

TEST(FreeAreas, ScalesToThousandsOfPvs) {
  VgModel vg;
  vg.extent_size = 8192;
  for (int p = 0; p < 4096; ++p) {
    PvModel pv;
    pv.key = "pv" + std::to_string(p);
    pv.pe_count = 1000;
    vg.pvs.push_back(pv);
  }
  LvModel lv;
  lv.name = "big";
  uint64_t le = 0;
  for (int p = 0; p < 4096; ++p) {
    for (int k = 0; k < 16; ++k) {
      SegmentModel seg;
      seg.type = "striped";
      seg.start_extent = le;
      seg.extent_count = 10;
      seg.areas.push_back({false, vg.pvs[p].key, static_cast<uint64_t>(k) * 60});
      le += 10;
      lv.segments.push_back(seg);
    }
  }
  vg.lvs.push_back(lv);
  const auto all = AllFreeAreas(vg);
  ASSERT_EQ(all.size(), 4096u);
  EXPECT_EQ(all[4095].size(), 16u);
  EXPECT_EQ(all[4095][0].start, 10u);
  EXPECT_EQ(all[4095][0].count, 50u);
  EXPECT_EQ(all[4095][15].start, 910u);
  EXPECT_EQ(all[4095][15].count, 90u);
}

}  // namespace
}  // namespace liballoc::lvm
