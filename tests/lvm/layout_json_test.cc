#include "lvm/layout_json.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lvm/metadata_reader.h"
#include "lvm/metadata_writer.h"
#include "metadata_files.h"

namespace liballoc::lvm {
namespace {

using ::testing::HasSubstr;

constexpr char kVg[] = R"(
vg0 {
	id = "x"
	seqno = 7
	status = ["READ", "WRITE"]
	extent_size = 8192
	physical_volumes {
		pv0 { id = "a" device = "/dev/sdb" status = ["ALLOCATABLE"] tags = ["z", "a"]
		      pe_start = 2048 pe_count = 100 }
		pv1 { id = "b" device = "/dev/sdc" status = [] pe_start = 2048 pe_count = 100 }
	}
	logical_volumes {
		lv1 {
			id = "c"
			status = ["READ", "WRITE", "VISIBLE"]
			creation_time = 1
			creation_host = "h"
			segment_count = 1
			segment1 {
				start_extent = 0
				extent_count = 30
				type = "striped"
				stripe_count = 2
				stripe_size = 128
				stripes = ["pv0", 0, "pv1", 0]
			}
		}
		m { id = "m" status = ["VISIBLE"] allocation_policy = "cling" segment_count = 1
		    segment1 { start_extent = 0 extent_count = 2 type = "mirror" mirror_count = 2
		               mirror_log = "m_mlog" region_size = 1024
		               mirrors = ["m_mimage_0", 0, "m_mimage_1", 0] } }
		m_mimage_0 { id = "1" status = [] segment_count = 1
		    segment1 { start_extent = 0 extent_count = 2 type = "striped" stripe_count = 1
		               stripes = ["pv0", 20] } }
		m_mimage_1 { id = "2" status = [] segment_count = 1
		    segment1 { start_extent = 0 extent_count = 2 type = "striped" stripe_count = 1
		               stripes = ["pv1", 20] } }
		m_mlog { id = "3" status = [] segment_count = 1
		    segment1 { start_extent = 0 extent_count = 1 type = "striped" stripe_count = 1
		               stripes = ["pv0", 22] } }
	}
}
)";

VgModel Parse(const std::string& text) {
  absl::StatusOr<VgModel> vg = ParseMetadata(text);
  EXPECT_TRUE(vg.ok()) << vg.status();
  return vg.ok() ? *std::move(vg) : VgModel();
}

TEST(LayoutJson, ExactText) {
  const std::string json = LayoutJson(Parse(kVg));
  EXPECT_EQ(json, R"({
  "alloc": "normal",
  "extent_size": 8192,
  "lvs": {
    "lv1": {
      "alloc": "inherit",
      "extent_count": 30,
      "segments": [
        {
          "areas": [
            {"pe": 0, "pv": "pv0"},
            {"pe": 0, "pv": "pv1"}
          ],
          "extent_count": 30,
          "params": {"stripe_size": 128},
          "start_extent": 0,
          "stripe_count": 2,
          "type": "striped"
        }
      ],
      "visible": true
    },
    "m": {
      "alloc": "cling",
      "extent_count": 2,
      "segments": [
        {
          "areas": [
            {"le": 0, "lv": "m_mimage_0"},
            {"le": 0, "lv": "m_mimage_1"}
          ],
          "extent_count": 2,
          "log": "m_mlog",
          "params": {"region_size": 1024},
          "start_extent": 0,
          "stripe_count": 2,
          "type": "mirror"
        }
      ],
      "visible": true
    },
    "m_mimage_0": {
      "alloc": "inherit",
      "extent_count": 2,
      "segments": [
        {
          "areas": [
            {"pe": 20, "pv": "pv0"}
          ],
          "extent_count": 2,
          "params": {},
          "start_extent": 0,
          "stripe_count": 1,
          "type": "striped"
        }
      ],
      "visible": false
    },
    "m_mimage_1": {
      "alloc": "inherit",
      "extent_count": 2,
      "segments": [
        {
          "areas": [
            {"pe": 20, "pv": "pv1"}
          ],
          "extent_count": 2,
          "params": {},
          "start_extent": 0,
          "stripe_count": 1,
          "type": "striped"
        }
      ],
      "visible": false
    },
    "m_mlog": {
      "alloc": "inherit",
      "extent_count": 1,
      "segments": [
        {
          "areas": [
            {"pe": 22, "pv": "pv0"}
          ],
          "extent_count": 1,
          "params": {},
          "start_extent": 0,
          "stripe_count": 1,
          "type": "striped"
        }
      ],
      "visible": false
    }
  },
  "pvs": {
    "pv0": {"allocatable": true, "device": "/dev/sdb", "pe_count": 100, "pe_start": 2048, "tags": ["a", "z"]},
    "pv1": {"allocatable": false, "device": "/dev/sdc", "pe_count": 100, "pe_start": 2048, "tags": []}
  },
  "vg": "vg0"
}
)");
}

TEST(LayoutJson, RaidMetaAreasAndStability) {
  for (const auto& t : testing::AllMetadataTexts()) {
    VgModel vg = Parse(t.text);
    const std::string json = LayoutJson(vg);
    // Independent of ids, seqno and LV order; equal after a write round trip.
    VgModel shuffled = vg;
    shuffled.seqno += 1;
    shuffled.id = "other";
    for (LvModel& lv : shuffled.lvs) lv.id.clear();
    std::reverse(shuffled.lvs.begin(), shuffled.lvs.end());
    EXPECT_EQ(LayoutJson(shuffled), json) << t.name;
    EXPECT_EQ(LayoutJson(Parse(WriteMetadata(vg))), json) << t.name;
    EXPECT_TRUE(CompareLayouts(vg, shuffled).ok()) << t.name;
  }
  VgModel raid = Parse(testing::ReadFileOrDie(std::string(LVM_TEST_DATA_DIR) + "/mirror_raid.vg"));
  EXPECT_THAT(LayoutJson(raid),
              HasSubstr("\"meta_areas\": [\n            {\"le\": 0, \"lv\": \"r1_rmeta_0\"},"));
}

TEST(CompareLayouts, ReportsTheDifferences) {
  const VgModel expected = Parse(kVg);
  VgModel actual = expected;
  EXPECT_TRUE(CompareLayouts(expected, actual).ok());

  actual.lvs[0].segments[0].areas[1].name = "pv0";
  actual.lvs[0].segments[0].areas[1].start = 50;
  actual.lvs[1].segments[0].mirror_log.clear();
  actual.lvs[2].status = {};  // not visible any more... it was not visible anyway
  actual.lvs[4].status = {"VISIBLE"};
  LvModel extra;
  extra.name = "zz";
  actual.lvs.push_back(extra);
  actual.lvs.erase(actual.lvs.begin() + 3);
  absl::Status s = CompareLayouts(expected, actual);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "layouts differ:\n"
            "LV lv1 segment 1 (LE 0): areas: expected [pv0:0, pv1:0], got [pv0:0, pv0:50]\n"
            "LV m segment 1 (LE 0): log: expected m_mlog, got none\n"
            "LV m_mimage_1: expected, missing\n"
            "LV m_mlog: visible: expected false, got true\n"
            "LV zz: not expected, present (0 extents)");

  // Informational fields (alloc, params, PVs) do not count.
  VgModel informational = expected;
  informational.lvs[0].allocation_policy = "anywhere";
  informational.lvs[0].segments[0].stripe_size = 64;
  informational.pvs[0].tags.clear();
  EXPECT_TRUE(CompareLayouts(expected, informational).ok());
}

}  // namespace
}  // namespace liballoc::lvm
