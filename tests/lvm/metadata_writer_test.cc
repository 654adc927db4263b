#include "lvm/metadata_writer.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lvm/metadata_reader.h"
#include "metadata_files.h"

namespace liballoc::lvm {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// parse -> write -> parse gives the same model, for every recorded file and
// golden vector; and writing is a fixed point after the first round.
TEST(MetadataWriter, RoundTripsEveryRecordedFile) {
  std::vector<testing::MetadataText> texts = testing::AllMetadataTexts();
  ASSERT_FALSE(texts.empty());
  for (const auto& t : texts) {
    absl::StatusOr<VgModel> vg = ParseMetadata(t.text);
    ASSERT_TRUE(vg.ok()) << t.name << ": " << vg.status();
    const std::string written = WriteMetadata(*vg);
    absl::StatusOr<VgModel> again = ParseMetadata(written);
    ASSERT_TRUE(again.ok()) << t.name << ": " << again.status() << "\n" << written;
    EXPECT_TRUE(*again == *vg) << t.name << " changed in the round trip:\n" << written;
    EXPECT_EQ(WriteMetadata(*again), written) << t.name;
  }
}

TEST(MetadataWriter, WritesLvm2Layout) {
  absl::StatusOr<VgModel> vg = ParseMetadata(testing::ReadFileOrDie(
      std::string(LVM_TEST_DATA_DIR) + "/mirror_raid.vg"));
  ASSERT_TRUE(vg.ok()) << vg.status();
  const std::string text = WriteMetadata(*vg);
  EXPECT_THAT(text, HasSubstr("\n\t\tpv0 {\n\t\t\tid = \""));
  EXPECT_THAT(text, HasSubstr(
      "\t\t\t\ttype = \"raid5_ls\"\n\t\t\t\tdevice_count = 3\n\t\t\t\tregion_size = 4096\n"
      "\t\t\t\tstripe_size = 128\n\n\t\t\t\traids = [\n"
      "\t\t\t\t\t\"r5_rmeta_0\", \"r5_rimage_0\",\n"));
  EXPECT_THAT(text, HasSubstr("\t\t\t\tmirror_count = 2\n\t\t\t\tmirror_log = \"m1_mlog\"\n"
                              "\t\t\t\tregion_size = 1024\n\n\t\t\t\tmirrors = [\n"
                              "\t\t\t\t\t\"m1_mimage_0\", 0,\n\t\t\t\t\t\"m1_mimage_1\", 0\n"));
  EXPECT_THAT(text, HasSubstr("\tformat = \"lvm2\"\n"));
}

TEST(MetadataWriter, NewLvsGetIdsAndCreationFromOptions) {
  absl::StatusOr<VgModel> vg = ParseMetadata(testing::ReadFileOrDie(
      std::string(LVM_TEST_DATA_DIR) + "/linear_striped_raid0.vg"));
  ASSERT_TRUE(vg.ok()) << vg.status();
  LvModel lv;
  lv.name = "fresh";
  lv.status = {"READ", "WRITE", "VISIBLE"};
  SegmentModel seg;
  seg.extent_count = 5;
  seg.type = "striped";
  seg.areas.push_back({false, "pv2", 90});
  lv.segments.push_back(seg);
  vg->lvs.push_back(lv);
  WriteOptions options;
  options.creation_host = "host1";
  options.creation_time = 1700000000;
  const std::string text = WriteMetadata(*vg, options);
  absl::StatusOr<VgModel> again = ParseMetadata(text);
  ASSERT_TRUE(again.ok()) << again.status() << "\n" << text;
  const LvModel& fresh = again->lvs[3];  // visible LVs are written first
  ASSERT_EQ(fresh.name, "fresh");
  EXPECT_EQ(fresh.id, LvmStyleId(vg->id + "/fresh"));
  ASSERT_EQ(fresh.extra.size(), 2u);
  EXPECT_EQ(fresh.extra[0], RawField("creation_time", "1700000000"));
  EXPECT_EQ(fresh.extra[1], RawField("creation_host", "\"host1\""));
  // Existing LVs keep theirs.
  EXPECT_EQ(again->lvs[0].extra, vg->lvs[0].extra);
}

TEST(MetadataWriter, LvmStyleIdsAreDeterministicAndWellFormed) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = LvmStyleId("vg/lv" + std::to_string(i));
    EXPECT_THAT(id, MatchesRegex("[0-9a-zA-Z!#]{6}(-[0-9a-zA-Z!#]{4}){5}-[0-9a-zA-Z!#]{6}"));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(LvmStyleId("abc"), LvmStyleId("abc"));
  EXPECT_NE(LvmStyleId("abc"), LvmStyleId("abd"));
}

TEST(MetadataWriter, KeptSectionsAndOddStringsSurvive) {
  const char* text = R"(vg { id = "x" seqno = 3 status = ["READ"] extent_size = 8
    unknown_key = [1, "two", 3.5]
    physical_volumes { pv0 { id = "a" device = "/dev/we\"ird\\name" status = []
                              pe_start = 0 pe_count = 10 } }
    logical_volumes {
      t { id = "t" status = ["VISIBLE"] segment_count = 1
          segment1 { start_extent = 0 extent_count = 4 type = "thin-pool"
                     metadata = "t_tmeta" pool = "t_tdata" chunk_size = 128
                     policy_settings { a = 1 b { c = "d" } } } }
      t_tmeta { id = "m" status = [] segment_count = 1
          segment1 { start_extent = 0 extent_count = 1 type = "striped" stripe_count = 1
                     stripes = ["pv0", 0] } }
      t_tdata { id = "d" status = [] segment_count = 1
          segment1 { start_extent = 0 extent_count = 4 type = "striped" stripe_count = 1
                     stripes = ["pv0", 1] } }
    }
    historical_logical_volumes { old { id = "o" creation_time = 1 removal_time = 2 } }
  })";
  absl::StatusOr<VgModel> vg = ParseMetadata(text);
  ASSERT_TRUE(vg.ok()) << vg.status();
  EXPECT_EQ(vg->pvs[0].device, "/dev/we\"ird\\name");
  const std::string written = WriteMetadata(*vg);
  absl::StatusOr<VgModel> again = ParseMetadata(written);
  ASSERT_TRUE(again.ok()) << again.status() << "\n" << written;
  // The text had no header; the writer supplies the standard one.
  ASSERT_EQ(again->header.size(), 5u);
  EXPECT_EQ(again->header[0], RawField("contents", "\"Text Format Volume Group\""));
  again->header.clear();
  EXPECT_TRUE(*again == *vg) << written;
  EXPECT_THAT(written, HasSubstr("\t\t\t\tpolicy_settings {\n\t\t\t\t\ta = 1\n\t\t\t\t\tb {\n"));
  EXPECT_THAT(written, HasSubstr("\thistorical_logical_volumes {\n\t\told {\n"));
}

}  // namespace
}  // namespace liballoc::lvm
