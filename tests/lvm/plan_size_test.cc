#include "lvm/plan_size.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace liballoc::lvm {
namespace {

TEST(PlanSizeTest, SizesDefaultToMebibytesAndAcceptLvmUnits) {
  std::vector<std::string> errors;
  EXPECT_EQ(ParseSizeArg("10", 2048, &errors)->value, 20480u);
  EXPECT_EQ(ParseSizeArg("4k", 2048, &errors)->value, 8u);
  EXPECT_EQ(ParseSizeArg("4K", 2048, &errors)->value, 8u);
  EXPECT_EQ(ParseSizeArg("1.5g", 2048, &errors)->value, 3u * 1024 * 1024);
  EXPECT_EQ(ParseSizeArg("1t", 2048, &errors)->value, 2ull << 30);
  EXPECT_EQ(ParseSizeArg("512b", 2048, &errors)->value, 1u);
  EXPECT_EQ(ParseSizeArg("7s", 2048, &errors)->value, 7u);
  EXPECT_EQ(ParseSizeArg("64", 2, &errors)->value, 128u);  // -I default KiB
  EXPECT_TRUE(errors.empty());
  std::optional<SizeValue> plus = ParseSizeArg("+8m", 2048, &errors);
  ASSERT_TRUE(plus.has_value());
  EXPECT_EQ(plus->sign, Sign::kPlus);
  EXPECT_EQ(plus->value, 16384u);
}

TEST(PlanSizeTest, BadSizesGiveLvmsReasons) {
  std::vector<std::string> errors;
  EXPECT_FALSE(ParseSizeArg("513b", 2048, &errors).has_value());
  EXPECT_EQ(errors, std::vector<std::string>{
                        "Size is not a multiple of 512. Try using 512 or 1024."});
  errors.clear();
  EXPECT_FALSE(ParseSizeArg("abc", 2048, &errors).has_value());
  EXPECT_EQ(errors, std::vector<std::string>{"Size requires number argument."});
  errors.clear();
  EXPECT_FALSE(ParseSizeArg("+-1", 2048, &errors).has_value());
  EXPECT_EQ(errors, std::vector<std::string>{"Multiple sign symbols detected."});
  errors.clear();
  EXPECT_FALSE(ParseSizeArg("10x", 2048, &errors).has_value());
  EXPECT_EQ(errors, std::vector<std::string>{"Can't parse size argument."});
}

TEST(PlanSizeTest, ExtentsWithPercentages) {
  std::vector<std::string> errors;
  std::optional<SizeValue> v = ParseExtentsArg("50%FREE", &errors);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->value, 50u);
  EXPECT_EQ(v->percent, Percent::kFree);
  EXPECT_EQ(ParseExtentsArg("10%vg", &errors)->percent, Percent::kVg);
  EXPECT_EQ(ParseExtentsArg("10%P", &errors)->percent, Percent::kPvs);
  EXPECT_EQ(ParseExtentsArg("+10%LV", &errors)->sign, Sign::kPlus);
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(ParseExtentsArg("10%XYZ", &errors).has_value());
  EXPECT_EQ(errors, std::vector<std::string>{"Specified %XYZ is unknown."});
  EXPECT_FALSE(ParseExtentsArg("ten", &errors).has_value());
  EXPECT_FALSE(ParseExtentsArg("10k", &errors).has_value());
}

TEST(PlanSizeTest, PercentOfExtentsRoundsAsLvm) {
  EXPECT_EQ(PercentOfExtents(50, 99, false), 49u);
  EXPECT_EQ(PercentOfExtents(50, 99, true), 50u);
  EXPECT_EQ(PercentOfExtents(1, 50, false), 0u);
}

TEST(PlanSizeTest, DisplaySizeMatchesLvm) {
  EXPECT_EQ(DisplaySize(8192), "4.00 MiB");
  EXPECT_EQ(DisplaySize(128), "64.00 KiB");
  // 1545 MiB is 1.5088 GiB: lvm marks the rounding up.
  EXPECT_EQ(DisplaySize(1545ull * 2048), "<1.51 GiB");
}

}  // namespace
}  // namespace liballoc::lvm
