// Replays every recorded LVM2 vector through the planner: one test per
// vector, named after it, comparing exit status, LVM's stderr and stdout
// lines, and (on success) the VG's seqno, the layout of every LV and the
// written metadata (ids and stamps aside) with the recorded VG.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "golden_vector.h"
#include "gtest/gtest.h"
#include "lvm/layout_json.h"
#include "lvm/metadata_reader.h"
#include "lvm/metadata_writer.h"
#include "lvm/plan_command.h"

namespace liballoc::golden {
namespace {

std::vector<std::string> WithoutEnvironmentWarnings(const std::vector<std::string>& lines) {
  std::vector<std::string> kept;
  for (const std::string& line : lines) {
    if (!IsEnvironmentWarning(line)) kept.push_back(line);
  }
  return kept;
}

class GoldenReplayTest : public testing::TestWithParam<std::string> {};

TEST_P(GoldenReplayTest, MatchesLvm) {
  absl::StatusOr<GoldenVector> vector = LoadGoldenVector(GetParam());
  ASSERT_TRUE(vector.ok()) << vector.status();
  SCOPED_TRACE(absl::StrCat(vector->name, ": ", absl::StrJoin(vector->command, " ")));
  absl::StatusOr<lvm::VgModel> before = lvm::ParseMetadata(vector->before);
  ASSERT_TRUE(before.ok()) << before.status();

  absl::StatusOr<lvm::CommandOutcome> outcome =
      lvm::PlanCommand(*before, vector->command, vector->config);
  ASSERT_TRUE(outcome.ok()) << "lvalloc refused the vector: " << outcome.status();

  EXPECT_EQ(outcome->exit_status, vector->exit_status);
  EXPECT_EQ(WithoutEnvironmentWarnings(outcome->messages),
            WithoutEnvironmentWarnings(vector->stderr_lines));
  if (!vector->stdout_lines.empty()) {
    EXPECT_EQ(outcome->notices, vector->stdout_lines);
  }
  if (vector->after.has_value()) {
    ASSERT_TRUE(outcome->vg.has_value()) << "lvm succeeded, the planner did not";
    absl::StatusOr<lvm::VgModel> after = lvm::ParseMetadata(*vector->after);
    ASSERT_TRUE(after.ok()) << after.status();
    // lvm commits the VG once more for each rmeta/log wipe.
    EXPECT_EQ(outcome->vg->seqno, after->seqno);
    // Everything else LVM2 writes (LV order, status flags, segment keys)
    // is written alike, ids and stamps aside.
    EXPECT_EQ(NormalizedVgText(lvm::WriteMetadata(*outcome->vg)),
              NormalizedVgText(*vector->after));
    absl::Status same = lvm::CompareLayouts(*after, *outcome->vg);
    EXPECT_TRUE(same.ok()) << same.message() << "\nexpected:\n"
                           << lvm::LayoutJson(*after) << "\nplanned:\n"
                           << lvm::LayoutJson(*outcome->vg);
  } else {
    EXPECT_FALSE(outcome->vg.has_value()) << "lvm failed, the planner did not";
  }
}

std::vector<std::string> VectorFiles() { return ListGoldenVectorFiles(GOLDEN_DIR); }

INSTANTIATE_TEST_SUITE_P(
    Vectors, GoldenReplayTest, testing::ValuesIn(VectorFiles()),
    [](const testing::TestParamInfo<std::string>& info) {
      absl::StatusOr<GoldenVector> v = LoadGoldenVector(info.param);
      return v.ok() ? TestNameOf(v->name) : absl::StrCat("unreadable_", info.index);
    });

}  // namespace
}  // namespace liballoc::golden
