#include "lvm/plan_request.h"

#include <vector>

#include "gtest/gtest.h"
#include "lvm/free_space.h"
#include "plan_test_vg.h"

namespace liballoc::lvm {
namespace {

using testing_vg::AddLinear;
using testing_vg::MakeVg;

struct Flat {
  uint32_t slot;
  SourceHandle pv;
  Extent pe;
  Extent len;
  bool operator==(const Flat& o) const {
    return slot == o.slot && pv == o.pv && pe == o.pe && len == o.len;
  }
};

std::ostream& operator<<(std::ostream& os, const Flat& f) {
  return os << "{slot " << f.slot << " pv" << f.pv << ":" << f.pe << " len " << f.len << "}";
}

std::vector<Flat> Flatten(const std::vector<PrevArea>& areas) {
  std::vector<Flat> out;
  for (const PrevArea& a : areas) out.push_back({a.slot, a.source.handle, a.pe, a.len});
  return out;
}

AreaModel LvArea(const std::string& name) { return AreaModel{true, name, 0}; }

// A top-level segment of `type` over the named image LVs.
void AddLayeredLv(VgModel& vg, const std::string& name, const std::string& type,
                  uint64_t len, const std::vector<std::string>& images,
                  const std::string& log = "") {
  LvModel lv;
  lv.name = name;
  lv.status = {"READ", "WRITE", "VISIBLE"};
  SegmentModel seg;
  seg.extent_count = len;
  seg.type = type;
  for (const std::string& image : images) seg.areas.push_back(LvArea(image));
  seg.mirror_log = log;
  lv.segments.push_back(seg);
  vg.lvs.push_back(lv);
}

TEST(PlanRequestTest, SourcesFollowListOrderAndRanges) {
  VgModel vg = MakeVg({30, 30, 30});
  AddLinear(vg, "lv", {"pv0", 10}, 5);  // pv0 free: 0-9, 15-29
  vg.pvs[2].status.clear();              // not allocatable: no map entry
  std::vector<PvListEntry> list = {{1, {{0, 30}}}, {2, {{0, 30}}}, {0, {{20, 10}, {0, 12}}}};
  std::vector<Source> sources = MakeSources(vg, AllFreeAreas(vg), list);
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].handle, 1u);
  EXPECT_EQ(sources[1].handle, 0u);
  ASSERT_EQ(sources[1].areas.size(), 2u);
  EXPECT_EQ(sources[1].areas[0].start, 20u);  // range 20-29 first, as given
  EXPECT_EQ(sources[1].areas[0].count, 10u);
  EXPECT_EQ(sources[1].areas[1].start, 0u);   // then 0-11, which holds 0-9 free
  EXPECT_EQ(sources[1].areas[1].count, 10u);
}

TEST(PlanRequestTest, LinearPrevSegmentUsesLastExtentAndFirstSegment) {
  VgModel vg = MakeVg({30, 30});
  AddLinear(vg, "lv", {"pv0", 0}, 10);
  AddLinear(vg, "lv", {"pv1", 0}, 10);
  std::optional<PrevSegment> prev = MakePrevSegment(vg, vg.lvs[0]);
  ASSERT_TRUE(prev.has_value());
  EXPECT_EQ(prev->area_count, 1u);
  EXPECT_EQ(prev->stripes_per_image, 1u);
  EXPECT_EQ(prev->le_end, 20u);
  EXPECT_EQ(Flatten(prev->last_extent), (std::vector<Flat>{{0, 1, 0, 10}}));
  EXPECT_EQ(Flatten(prev->first_segment), (std::vector<Flat>{{0, 0, 0, 10}}));
}

TEST(PlanRequestTest, StripedPrevSegmentListsEveryStripe) {
  VgModel vg = MakeVg({30, 30});
  LvModel lv;
  lv.name = "lv";
  lv.status = {"READ", "WRITE", "VISIBLE"};
  SegmentModel seg;
  seg.extent_count = 20;
  seg.type = "striped";
  seg.stripe_size = 128;
  seg.areas = {{false, "pv0", 3}, {false, "pv1", 5}};
  lv.segments.push_back(seg);
  vg.lvs.push_back(lv);
  std::optional<PrevSegment> prev = MakePrevSegment(vg, vg.lvs[0]);
  ASSERT_TRUE(prev.has_value());
  EXPECT_EQ(prev->area_count, 2u);
  EXPECT_EQ(Flatten(prev->last_extent), (std::vector<Flat>{{0, 0, 3, 10}, {1, 1, 5, 10}}));
}

TEST(PlanRequestTest, Raid1PrevSegmentRecursesIntoImagesWithImageSlots) {
  VgModel vg = MakeVg({30, 30});
  AddLayeredLv(vg, "r", "raid1", 10, {"r_rimage_0", "r_rimage_1"});
  AddLinear(vg, "r_rimage_0", {"pv0", 1}, 10);
  AddLinear(vg, "r_rimage_1", {"pv1", 1}, 10);
  std::optional<PrevSegment> prev = MakePrevSegment(vg, vg.lvs[0]);
  ASSERT_TRUE(prev.has_value());
  EXPECT_EQ(prev->area_count, 2u);
  EXPECT_EQ(prev->stripes_per_image, 1u);
  EXPECT_EQ(Flatten(prev->last_extent), (std::vector<Flat>{{0, 0, 1, 10}, {1, 1, 1, 10}}));
}

TEST(PlanRequestTest, MirrorOfStripedLegsNumbersSlotsByImageAndStripe) {
  VgModel vg = MakeVg({30, 30, 30, 30});
  AddLayeredLv(vg, "m", "mirror", 10, {"m_mimage_0", "m_mimage_1"});
  for (int i = 0; i < 2; ++i) {
    LvModel image;
    image.name = absl::StrCat("m_mimage_", i);
    SegmentModel seg;
    seg.extent_count = 10;
    seg.type = "striped";
    seg.stripe_size = 128;
    seg.areas = {{false, absl::StrCat("pv", 2 * i), 0}, {false, absl::StrCat("pv", 2 * i + 1), 0}};
    image.segments.push_back(seg);
    vg.lvs.push_back(image);
  }
  std::optional<PrevSegment> prev = MakePrevSegment(vg, vg.lvs[0]);
  ASSERT_TRUE(prev.has_value());
  EXPECT_EQ(prev->stripes_per_image, 2u);
  EXPECT_EQ(Flatten(prev->last_extent),
            (std::vector<Flat>{{0, 0, 0, 5}, {1, 1, 0, 5}, {2, 2, 0, 5}, {3, 3, 0, 5}}));
}

TEST(PlanRequestTest, ParallelAreasOfAMirrorIncludeItsLog) {
  VgModel vg = MakeVg({30, 30, 30});
  AddLayeredLv(vg, "m", "mirror", 10, {"m_mimage_0", "m_mimage_1"}, "m_mlog");
  AddLinear(vg, "m_mimage_0", {"pv0", 0}, 10);
  AddLinear(vg, "m_mimage_1", {"pv1", 0}, 10);
  AddLinear(vg, "m_mlog", {"pv2", 0}, 1);
  std::vector<ParallelArea> areas = MakeParallelAreas(vg, vg.lvs[0]);
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].le, 0u);
  EXPECT_EQ(areas[0].len, 10u);
  std::vector<SourceHandle> pvs;
  for (const SourceRef& s : areas[0].sources) pvs.push_back(s.handle);
  EXPECT_EQ(pvs, (std::vector<SourceHandle>{0, 1, 2}));
}

TEST(PlanRequestTest, ParallelAreasSplitWhereAnImageChangesSegment) {
  VgModel vg = MakeVg({30, 30, 30});
  AddLayeredLv(vg, "m", "mirror", 10, {"m_mimage_0", "m_mimage_1"});
  AddLinear(vg, "m_mimage_0", {"pv0", 0}, 4);
  AddLinear(vg, "m_mimage_0", {"pv2", 0}, 6);
  AddLinear(vg, "m_mimage_1", {"pv1", 0}, 10);
  std::vector<ParallelArea> areas = MakeParallelAreas(vg, vg.lvs[0]);
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0].len, 4u);
  EXPECT_EQ(areas[1].le, 4u);
  EXPECT_EQ(areas[1].len, 6u);
  std::vector<SourceHandle> second;
  for (const SourceRef& s : areas[1].sources) second.push_back(s.handle);
  EXPECT_EQ(second, (std::vector<SourceHandle>{2, 1}));
}

}  // namespace
}  // namespace liballoc::lvm
