#include "lvm/plan_options.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace liballoc::lvm {
namespace {

absl::StatusOr<CommandLine> Parse(std::vector<std::string> argv) {
  return ParseCommandLine(argv);
}

TEST(PlanOptionsTest, ShortOptionsTakeAttachedOrSeparateValues) {
  absl::StatusOr<CommandLine> line = Parse({"lvcreate", "-l2", "-n", "lv1", "vg0"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->Value(Opt::kExtents), "2");
  EXPECT_EQ(line->Value(Opt::kName), "lv1");
  EXPECT_EQ(line->positional, std::vector<std::string>{"vg0"});
}

TEST(PlanOptionsTest, LongOptionsTakeEqualsOrSeparateValuesAndUniquePrefixes) {
  absl::StatusOr<CommandLine> line =
      Parse({"lvcreate", "--extents=3", "--name", "lv1", "--stripes", "2", "--alloc=cling",
             "--regionsi", "1m", "vg0"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->Value(Opt::kExtents), "3");
  EXPECT_EQ(line->Value(Opt::kStripes), "2");
  EXPECT_EQ(line->Value(Opt::kAlloc), "cling");
  EXPECT_EQ(line->Value(Opt::kRegionSize), "1m");
}

TEST(PlanOptionsTest, LiveSystemFlagsAreAcceptedAndIgnored) {
  absl::StatusOr<CommandLine> line =
      Parse({"lvcreate", "-an", "-Zn", "-Wy", "-vy", "--activate", "y", "-l", "1", "vg0"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->options.size(), 1u);
  EXPECT_EQ(line->positional, std::vector<std::string>{"vg0"});
}

TEST(PlanOptionsTest, OptionsMayFollowPositionalArgumentsUntilDoubleDash) {
  absl::StatusOr<CommandLine> line =
      Parse({"lvextend", "vg0/lv1", "-l", "+5", "--", "-weird-pv"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, CommandName::kLvextend);
  EXPECT_EQ(line->Value(Opt::kExtents), "+5");
  EXPECT_EQ(line->positional, (std::vector<std::string>{"vg0/lv1", "-weird-pv"}));
}

TEST(PlanOptionsTest, DashNMeansNofsckForLvextend) {
  absl::StatusOr<CommandLine> line = Parse({"lvextend", "-n", "-l+1", "vg0/lv1"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_FALSE(line->Has(Opt::kName));
  EXPECT_EQ(line->positional, std::vector<std::string>{"vg0/lv1"});
}

TEST(PlanOptionsTest, UnknownOptionsAndCommandsAreInputErrors) {
  EXPECT_EQ(Parse({"lvcreate", "--thinpool", "tp", "vg0"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse({"lvcreate", "-f", "vg0"}).status().code(),  // lvextend's, not lvcreate's
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse({"lvcreate", "-X", "vg0"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse({"lvremove", "vg0/lv1"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse({"lvcreate", "-l"}).status().code(), absl::StatusCode::kInvalidArgument);
  // "--str" is a prefix of --stripes and --stripesize.
  EXPECT_EQ(Parse({"lvcreate", "--str", "2", "vg0"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace liballoc::lvm
