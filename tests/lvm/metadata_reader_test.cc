#include "lvm/metadata_reader.h"

#include <random>
#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metadata_files.h"

namespace liballoc::lvm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string DataFile(const std::string& name) {
  return testing::ReadFileOrDie(std::string(LVM_TEST_DATA_DIR) + "/" + name);
}

const LvModel* FindLv(const VgModel& vg, const std::string& name) {
  for (const LvModel& lv : vg.lvs) {
    if (lv.name == name) return &lv;
  }
  return nullptr;
}

TEST(MetadataReader, EveryRecordedFileParses) {
  std::vector<testing::MetadataText> texts = testing::AllMetadataTexts();
  ASSERT_GE(texts.size(), 4u);
  for (const auto& t : texts) {
    absl::StatusOr<VgModel> vg = ParseMetadata(t.text);
    EXPECT_TRUE(vg.ok()) << t.name << ": " << vg.status();
  }
}

TEST(MetadataReader, LinearStripedRaid0) {
  absl::StatusOr<VgModel> vg = ParseMetadata(DataFile("linear_striped_raid0.vg"));
  ASSERT_TRUE(vg.ok()) << vg.status();
  EXPECT_EQ(vg->name, "vgsample");
  EXPECT_EQ(vg->extent_size, 2048u);
  EXPECT_EQ(vg->alloc_policy, "");
  EXPECT_THAT(vg->status, ElementsAre("RESIZEABLE", "READ", "WRITE"));
  ASSERT_EQ(vg->pvs.size(), 3u);
  EXPECT_EQ(vg->pvs[1].key, "pv1");
  EXPECT_EQ(vg->pvs[1].pe_count, 100u);
  EXPECT_EQ(vg->pvs[1].pe_start, 2048u);
  EXPECT_EQ(vg->pvs[1].dev_size, 206848u);
  EXPECT_TRUE(vg->pvs[1].allocatable());
  EXPECT_EQ(vg->pvs[1].id.size(), 38u);
  ASSERT_FALSE(vg->header.empty());
  EXPECT_EQ(vg->header[0].first, "contents");
  EXPECT_EQ(vg->header[0].second, "\"Text Format Volume Group\"");

  const LvModel* lv1 = FindLv(*vg, "lv1");
  ASSERT_NE(lv1, nullptr);
  EXPECT_TRUE(lv1->visible());
  EXPECT_EQ(lv1->le_count(), 15u);
  ASSERT_EQ(lv1->segments.size(), 2u);
  EXPECT_EQ(lv1->segments[1].start_extent, 10u);
  EXPECT_EQ(lv1->segments[1].type, "striped");
  ASSERT_EQ(lv1->segments[1].areas.size(), 1u);
  EXPECT_FALSE(lv1->segments[1].areas[0].is_lv);
  EXPECT_EQ(lv1->segments[1].areas[0].name, "pv0");
  // creation_time/host are kept verbatim.
  ASSERT_GE(lv1->extra.size(), 2u);
  EXPECT_EQ(lv1->extra[0].first, "creation_time");
  EXPECT_EQ(lv1->extra[1].first, "creation_host");

  const LvModel* striped = FindLv(*vg, "striped");
  ASSERT_NE(striped, nullptr);
  EXPECT_EQ(striped->segments[0].stripe_size, 128u);
  EXPECT_EQ(striped->segments[0].areas.size(), 2u);

  const LvModel* r0 = FindLv(*vg, "r0");
  ASSERT_NE(r0, nullptr);
  const SegmentModel& seg = r0->segments[0];
  EXPECT_EQ(seg.type, "raid0");
  ASSERT_EQ(seg.areas.size(), 3u);
  EXPECT_TRUE(seg.areas[2].is_lv);
  EXPECT_EQ(seg.areas[2].name, "r0_rimage_2");
  EXPECT_TRUE(seg.meta_areas.empty());
  EXPECT_FALSE(FindLv(*vg, "r0_rimage_0")->visible());
}

TEST(MetadataReader, TagsPoliciesAndFlags) {
  absl::StatusOr<VgModel> vg = ParseMetadata(DataFile("tags_policies_hole.vg"));
  ASSERT_TRUE(vg.ok()) << vg.status();
  EXPECT_EQ(vg->alloc_policy, "cling");
  EXPECT_THAT(vg->tags, ElementsAre("vgtag"));
  EXPECT_THAT(vg->pvs[1].tags, ElementsAre("ssd", "rack_1"));  // LVM2 keeps the order given
  EXPECT_FALSE(vg->pvs[2].allocatable());
  const LvModel* tagged = FindLv(*vg, "tagged");
  ASSERT_NE(tagged, nullptr);
  EXPECT_EQ(tagged->allocation_policy, "anywhere");
  EXPECT_THAT(tagged->tags, ElementsAre("fast"));
}

TEST(MetadataReader, MirrorAndRaid) {
  absl::StatusOr<VgModel> vg = ParseMetadata(DataFile("mirror_raid.vg"));
  ASSERT_TRUE(vg.ok()) << vg.status();
  const SegmentModel& m1 = FindLv(*vg, "m1")->segments[0];
  EXPECT_EQ(m1.type, "mirror");
  EXPECT_EQ(m1.mirror_log, "m1_mlog");
  EXPECT_EQ(m1.region_size, 1024u);
  ASSERT_EQ(m1.areas.size(), 2u);
  EXPECT_TRUE(m1.areas[1].is_lv);
  EXPECT_EQ(m1.areas[1].name, "m1_mimage_1");

  const SegmentModel& r5 = FindLv(*vg, "r5")->segments[0];
  EXPECT_EQ(r5.type, "raid5_ls");
  ASSERT_EQ(r5.areas.size(), 3u);
  ASSERT_EQ(r5.meta_areas.size(), 3u);
  EXPECT_EQ(r5.areas[0].name, "r5_rimage_0");
  EXPECT_EQ(r5.meta_areas[2].name, "r5_rmeta_2");
  EXPECT_EQ(r5.stripe_size, 128u);
  EXPECT_EQ(r5.region_size, 4096u);

  const SegmentModel& r0m = FindLv(*vg, "r0m")->segments[0];
  EXPECT_EQ(r0m.type, "raid0_meta");
  EXPECT_EQ(r0m.meta_areas.size(), 2u);
}

// A minimal VG to break in the tests below.
constexpr char kSmall[] = R"(
contents = "Text Format Volume Group"
vg {
	id = "x"
	seqno = 1
	status = ["READ", "WRITE"]
	extent_size = 8192
	physical_volumes {
		pv0 { id = "a" status = ["ALLOCATABLE"] pe_start = 2048 pe_count = 100 }
		pv1 { id = "b" status = ["ALLOCATABLE"] pe_start = 2048 pe_count = 50 }
	}
	logical_volumes {
		lv1 {
			id = "c"
			status = ["READ", "WRITE", "VISIBLE"]
			segment_count = 2
			segment2 {
				start_extent = 10
				extent_count = 20
				type = "striped"
				stripe_count = 2
				stripe_size = 128
				stripes = ["pv0", 10, "pv1", 0]
			}
			segment1 {
				start_extent = 0
				extent_count = 10
				type = "striped"
				stripe_count = 1
				stripes = ["pv0", 0]
			}
		}
	}
}
)";

std::string Broken(const std::string& from, const std::string& to) {
  std::string text = absl::StrReplaceAll(kSmall, {{from, to}});
  EXPECT_NE(text, kSmall) << "no " << from;
  absl::StatusOr<VgModel> vg = ParseMetadata(text);
  EXPECT_FALSE(vg.ok()) << from << " -> " << to;
  return vg.ok() ? "" : std::string(vg.status().message());
}

// lvcreate -n pv1 is valid where a PV's key is pv1 (fuzz finding): LVM2
// reads such metadata, an area naming "pv1" being the PV (text_import_areas
// looks PVs up first).
TEST(MetadataReader, AnLvMayShareItsNameWithAPvKey) {
  std::string text = absl::StrReplaceAll(kSmall, {{"\t\tlv1 {", "\t\tpv1 {"}});
  absl::StatusOr<VgModel> vg = ParseMetadata(text);
  ASSERT_TRUE(vg.ok()) << vg.status();
  ASSERT_EQ(vg->lvs.size(), 1u);
  EXPECT_EQ(vg->lvs[0].name, "pv1");
  const SegmentModel& striped = vg->lvs[0].segments[1];
  ASSERT_EQ(striped.areas.size(), 2u);
  EXPECT_FALSE(striped.areas[1].is_lv);  // the PV, not the LV
  EXPECT_EQ(striped.areas[1].name, "pv1");
}

TEST(MetadataReader, SortsSegmentsByStartExtent) {
  absl::StatusOr<VgModel> vg = ParseMetadata(kSmall);
  ASSERT_TRUE(vg.ok()) << vg.status();
  ASSERT_EQ(vg->lvs[0].segments.size(), 2u);
  EXPECT_EQ(vg->lvs[0].segments[0].start_extent, 0u);
  EXPECT_EQ(vg->lvs[0].segments[1].start_extent, 10u);
}

TEST(MetadataReader, ValidationErrorsNameWhatIsWrong) {
  EXPECT_THAT(Broken("\"pv1\", 0]", "\"pv1\", 41]"),
              HasSubstr("LV lv1 segment 2 (LE 10, 20 extents, striped): area pv1:41-50 lies "
                        "outside the PV (pe_count 50)"));
  EXPECT_THAT(Broken("\"pv0\", 10, \"pv1\"", "\"pv0\", 5, \"pv1\""),
              HasSubstr("PV pv0: PEs 5-14 of LV lv1 segment 2 overlap PEs 0-9 of LV lv1 "
                        "segment 1"));
  EXPECT_THAT(Broken("start_extent = 10", "start_extent = 11"),
              HasSubstr("starts at LE 11 but the segments before it end at LE 10"));
  EXPECT_THAT(Broken("\"pv1\", 0]", "\"pv9\", 0]"),
              HasSubstr("\"stripes\" names \"pv9\", which is neither a PV nor an LV"));
  EXPECT_THAT(Broken("stripe_count = 2", "stripe_count = 3"),
              HasSubstr("stripe_count = 3 but \"stripes\" lists 2 areas"));
  EXPECT_THAT(Broken("extent_count = 20", "extent_count = 21"),
              HasSubstr("not a multiple of its 2 stripes"));
  EXPECT_THAT(Broken("segment_count = 2", "segment_count = 3"),
              HasSubstr("segment_count = 3 but the LV has 2 segment sections"));
  EXPECT_THAT(Broken("pe_count = 50", "pe_count = -50"),
              HasSubstr("PV pv1: \"pe_count\" must be a non-negative integer, not -50"));
  EXPECT_THAT(Broken("pe_count = 50", "pe_countx = 50"), HasSubstr("PV pv1: missing \"pe_count\""));
  // LVM2 stores extent counts in 32 bits; the core's area lists rely on that.
  EXPECT_THAT(Broken("pe_count = 50", "pe_count = 4294967296"),
              HasSubstr("PV pv1: \"pe_count\" is 4294967296, above LVM2's 32-bit limit"));
  EXPECT_THAT(Broken("start_extent = 10", "start_extent = 4294967306"),
              HasSubstr("\"start_extent\" is 4294967306, above LVM2's 32-bit limit"));
  EXPECT_THAT(Broken("[\"pv0\", 0]", "[\"pv0\"]"), HasSubstr("name, extent pairs"));
  EXPECT_THAT(Broken("[\"pv0\", 0]", "[0, \"pv0\"]"), HasSubstr("must be a PV or LV name"));
  EXPECT_THAT(Broken("extent_size = 8192", "extent_size = 0"), HasSubstr("extent_size is 0"));
  absl::StatusOr<VgModel> two = ParseMetadata(std::string(kSmall) + "vg2 { }\n");
  ASSERT_FALSE(two.ok());
  EXPECT_THAT(std::string(two.status().message()), HasSubstr("a second top-level section"));
  EXPECT_THAT(Broken("\t\t}\n\t}\n}", "\t\t}\n\t}\n"), HasSubstr("expected '}'"));
}

TEST(MetadataReader, RaidListPairsRmetaWithRimage) {
  // raid1 with rmeta for only one image cannot be represented; it is an error.
  std::string text = R"(vg { id = "x" seqno = 1 status = [] extent_size = 8
    physical_volumes { pv0 { id = "a" status = [] pe_start = 0 pe_count = 10 } }
    logical_volumes {
      r { id = "r" status = ["VISIBLE"] segment_count = 1
          segment1 { start_extent = 0 extent_count = 1 type = "raid1" device_count = 2
                     raids = ["r_rmeta_0", "r_rimage_0", "r_rimage_1"] } }
      r_rmeta_0 { id = "1" status = [] segment_count = 0 }
      r_rimage_0 { id = "2" status = [] segment_count = 0 }
      r_rimage_1 { id = "3" status = [] segment_count = 0 }
    } })";
  absl::StatusOr<VgModel> vg = ParseMetadata(text);
  ASSERT_FALSE(vg.ok());
  EXPECT_THAT(std::string(vg.status().message()),
              HasSubstr("mixes images with and without an rmeta LV"));
}

// Damaged metadata gives a model or an error, never a crash or a hang.
TEST(MetadataReader, RandomlyDamagedTextIsHandled) {
  const std::string original = DataFile("mirror_raid.vg");
  const char kBytes[] = "{}[]=,\"'#\n\t -0123456789apvlr_";
  std::mt19937 rng(1);
  int parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = original;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t pos = rng() % text.size();
      switch (rng() % 4) {
        case 0: text[pos] = kBytes[rng() % (sizeof(kBytes) - 1)]; break;
        case 1: text.erase(pos, 1 + rng() % 40); break;
        case 2: text.insert(pos, 1, kBytes[rng() % (sizeof(kBytes) - 1)]); break;
        case 3: text.resize(pos); break;
      }
      if (text.empty()) text = "x";
    }
    absl::StatusOr<VgModel> vg = ParseMetadata(text);
    if (vg.ok()) {
      ++parsed;
      EXPECT_TRUE(ValidateVgModel(*vg).ok());
    } else {
      EXPECT_THAT(std::string(vg.status().message()), ::testing::Not(::testing::IsEmpty()));
    }
  }
  EXPECT_GT(parsed, 0);  // some edits (inside comments, ids) keep it valid
}

}  // namespace
}  // namespace liballoc::lvm
