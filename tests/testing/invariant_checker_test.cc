// The checker must catch each kind of violation: every test corrupts one
// hand-made, correct result (or failure) and expects the checker to object,
// naming what is wrong. The correct originals must pass, so the checker is
// not simply rejecting everything.
#include "invariant_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_format.h"
#include "liballoc/error.h"

namespace liballoc::testing {
namespace {

using ::testing::HasSubstr;

Source MakeSource(SourceHandle h, Extent pe_count, std::vector<Area> areas,
                  std::vector<std::string> tags = {}) {
  Source s;
  s.handle = h;
  s.pe_count = pe_count;
  s.areas = std::move(areas);
  s.tags = std::move(tags);
  return s;
}

// Spec §12 E2: free pv0:79-98, pv1:49-98, pv2:69-98; lvcreate -i2 -l 60 gives
// LE 0-59 on pv1:49-78 and pv2:69-98 in one batch of 30.
Request StripedRequest() {
  Request r;
  r.sources = {MakeSource(0, 99, {{79, 20}}), MakeSource(1, 99, {{49, 50}}),
               MakeSource(2, 99, {{69, 30}})};
  r.stripes = 2;
  r.mirrors = 1;
  r.extents = 60;
  r.lv_name = "lv";
  return r;
}

Result StripedResult() {
  Result res;
  res.area_count = 2;
  res.area_multiple = 2;
  res.slots = {{Piece{1, 49, 30, 0}}, {Piece{2, 69, 30, 0}}};
  res.batches = {Batch{Policy::kContiguous, 0, false, 30}};
  res.allocated_extents = 60;
  return res;
}

std::string Problem(const Request& r, const Result& res) {
  absl::Status s = CheckResult(r, res);
  return s.ok() ? "OK" : std::string(s.message());
}

TEST(InvariantCheckerTest, AcceptsCorrectStripedResult) {
  EXPECT_EQ(Problem(StripedRequest(), StripedResult()), "OK");
}

TEST(InvariantCheckerTest, ZeroLengthPiece) {
  Result res = StripedResult();
  res.slots[1].push_back(Piece{2, 99, 0, 0});
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("count is 0"));
}

TEST(InvariantCheckerTest, PieceOnAllocatedSpace) {
  Result res = StripedResult();
  res.slots[0][0].start = 40;  // pv1:40-69, but 40-48 is not free
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("not inside one free area"));
}

TEST(InvariantCheckerTest, PieceBeyondPeCount) {
  Request r = StripedRequest();
  r.sources[2].pe_count = 99;
  Result res = StripedResult();
  res.slots[1][0].start = 80;  // 80-109
  EXPECT_THAT(Problem(r, res), HasSubstr("beyond the source's 99 extents"));
}

TEST(InvariantCheckerTest, PieceOnUnknownOrUnallocatableSource) {
  Result res = StripedResult();
  res.slots[1][0].handle = 7;
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("not an allocatable source"));
  Request r = StripedRequest();
  r.sources[2].allocatable = false;
  EXPECT_THAT(Problem(r, StripedResult()), HasSubstr("not an allocatable source"));
}

TEST(InvariantCheckerTest, ExtentAllocatedTwice) {
  Request r = StripedRequest();
  r.policy = Policy::kAnywhere;  // two stripes may share a source, not an extent
  Result res = StripedResult();
  res.batches[0].pass = Policy::kAnywhere;
  res.slots[1][0] = Piece{1, 60, 30, 0};  // overlaps slot 0's pv1:49-78
  EXPECT_THAT(Problem(r, res), HasSubstr("allocated twice"));
  res.slots[1][0] = Piece{1, 79, 20, 0};  // fine place, wrong length
  EXPECT_THAT(Problem(r, res), HasSubstr("data length is 30"));
  // Two stripes on one source without overlap are fine with anywhere (E6).
  r.sources[1].areas = {{0, 99}};
  res.slots[1][0] = Piece{1, 0, 30, 0};
  EXPECT_EQ(Problem(r, res), "OK");
}

TEST(InvariantCheckerTest, StripesOnOneSourceOutsideAnywhere) {
  Request r = StripedRequest();
  r.sources[1].areas = {{0, 99}};
  Result res = StripedResult();
  res.slots[0][0] = Piece{1, 0, 30, 0};
  res.slots[1][0] = Piece{1, 30, 30, 0};
  EXPECT_THAT(Problem(r, res), HasSubstr("data slots 0 and 1 both on source 0x1"));
}

TEST(InvariantCheckerTest, UnequalStripes) {
  Result res = StripedResult();
  res.slots[1][0].count = 29;
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("data length is 30"));
}

TEST(InvariantCheckerTest, MissingPieceInABatch) {
  Result res = StripedResult();
  res.slots[1].clear();
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("data slot 1 has no piece"));
}

TEST(InvariantCheckerTest, BatchBookkeeping) {
  Result res = StripedResult();
  res.slots[0][0].batch = 3;
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("batch 3 does not exist"));
  res = StripedResult();
  res.batches.push_back(Batch{Policy::kNormal, 0, false, 5});
  res.slots[0].insert(res.slots[0].begin(), Piece{1, 79, 5, 1});  // batch 1 before batch 0
  res.slots[1].push_back(Piece{0, 79, 5, 1});
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("batches out of order"));
}

TEST(InvariantCheckerTest, WrongCounts) {
  Result res = StripedResult();
  res.area_multiple = 1;
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("Result.area_multiple is 1"));
  res = StripedResult();
  res.slots.push_back({});
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("number of slots is 3"));
}

TEST(InvariantCheckerTest, Totals) {
  Result res = StripedResult();
  res.allocated_extents = 58;
  EXPECT_THAT(Problem(StripedRequest(), res), HasSubstr("batches hold 60"));
  // Exact request, but less allocated.
  Request r = StripedRequest();
  r.extents = 80;
  EXPECT_THAT(Problem(r, StripedResult()), HasSubstr("needs exactly 80"));
  // The same is fine for an approximate request, if it says it was reduced.
  r.approx = true;
  EXPECT_THAT(Problem(r, StripedResult()), HasSubstr("reduced is 0"));
  res = StripedResult();
  res.reduced = true;
  EXPECT_EQ(Problem(r, res), "OK");
}

TEST(InvariantCheckerTest, PassAboveThePolicy) {
  Request r = StripedRequest();
  r.policy = Policy::kCling;
  Result res = StripedResult();
  res.batches[0].pass = Policy::kNormal;
  EXPECT_THAT(Problem(r, res), HasSubstr("above policy cling"));
  // cling implies cling_by_tags, if a tag list is configured.
  res.batches[0].pass = Policy::kClingByTags;
  EXPECT_THAT(Problem(r, res), HasSubstr("without a cling_tag_list"));
  r.cling_tag_list = std::vector<std::string>{"@*"};
  EXPECT_EQ(Problem(r, res), "OK");
}

TEST(InvariantCheckerTest, ContiguousPolicyAllowsOneBatch) {
  Request r = StripedRequest();
  r.policy = Policy::kContiguous;
  r.extents = 70;
  Result res = StripedResult();
  res.batches.push_back(Batch{Policy::kContiguous, 1, false, 5});
  res.slots[0].push_back(Piece{0, 79, 5, 1});
  res.slots[1].push_back(Piece{1, 79, 5, 1});
  res.allocated_extents = 70;
  EXPECT_THAT(Problem(r, res), HasSubstr("policy contiguous gave 2 batches"));
}

// lvextend of a 2-stripe LV whose last segment is pv1:40-48 + pv2:60-68.
Request ExtendRequest() {
  Request r = StripedRequest();
  r.mirrors = 0;
  r.extents = 20;
  r.existing_extents = 18;
  r.policy = Policy::kContiguous;
  PrevSegment prev;
  prev.area_count = 2;
  prev.le_end = 18;
  prev.last_extent = {PrevArea{0, SourceRef{1, {}}, 40, 9}, PrevArea{1, SourceRef{2, {}}, 60, 9}};
  prev.first_segment = prev.last_extent;
  r.prev = prev;
  return r;
}

TEST(InvariantCheckerTest, ContiguousExtensionMustFollowThePreviousSegment) {
  Request r = ExtendRequest();
  Result res = StripedResult();
  res.slots = {{Piece{1, 49, 10, 0}}, {Piece{2, 69, 10, 0}}};
  res.batches[0].area_len = 10;
  res.allocated_extents = 20;
  EXPECT_EQ(Problem(r, res), "OK");
  std::swap(r.prev->last_extent[0].slot, r.prev->last_extent[1].slot);  // stripes swapped
  EXPECT_THAT(Problem(r, res), HasSubstr("not right after the previous segment"));
  r = ExtendRequest();
  r.prev->last_extent[1].len = 8;  // pv2:60-67: 68 is not the next PE
  EXPECT_THAT(Problem(r, res), HasSubstr("slot 1 starts at source 0x2 PE 69"));
}

// raid1 -m1 -l 50 on two empty PVs: rmeta_0 pv0:0, rimage_0 pv0:1-50,
// rmeta_1 pv1:0, rimage_1 pv1:1-50 (spec §12, derived example).
Request Raid1Request() {
  Request r;
  r.sources = {MakeSource(0, 100, {{0, 100}}), MakeSource(1, 100, {{0, 100}})};
  r.type = SegmentType::kRaid1;
  r.stripes = 1;
  r.mirrors = 2;
  r.log_count = 2;
  r.extents = 50;
  return r;
}

Result Raid1Result() {
  Result res;
  res.area_count = 2;
  res.metadata_area_count = 2;
  res.log_len = 1;
  res.slots = {{Piece{0, 1, 50, 0}}, {Piece{1, 1, 50, 0}}, {Piece{0, 0, 1, 0}},
               {Piece{1, 0, 1, 0}}};
  res.batches = {Batch{Policy::kContiguous, 0, false, 51}};
  res.allocated_extents = 51;  // 50 + 1 rmeta extent (raid1 grows by log_len)
  return res;
}

TEST(InvariantCheckerTest, SplitMetadataInFrontOfItsImage) {
  EXPECT_EQ(Problem(Raid1Request(), Raid1Result()), "OK");
  Result res = Raid1Result();
  res.slots[3][0].handle = 0;
  res.slots[3][0].start = 60;
  EXPECT_THAT(Problem(Raid1Request(), res), HasSubstr("does not follow its metadata"));
  res = Raid1Result();
  res.slots[2].clear();
  EXPECT_THAT(Problem(Raid1Request(), res), HasSubstr("metadata slot 2 (for slot 0) is empty"));
  res = Raid1Result();
  res.allocated_extents = 50;
  EXPECT_THAT(Problem(Raid1Request(), res), HasSubstr("batches hold 51"));
}

// Old-style mirror log: stripes = mirrors = 0, one log slot, the mirror's
// legs on pv0 and pv1 as parallel areas.
Request MirrorLogRequest() {
  Request r;
  r.sources = {MakeSource(0, 100, {{50, 50}}), MakeSource(1, 100, {{50, 50}}),
               MakeSource(2, 100, {{0, 100}}, {"a"})};
  r.type = SegmentType::kMirror;
  r.stripes = 0;
  r.mirrors = 0;
  r.log_count = 1;
  r.extents = 50;
  r.parallel_areas = {ParallelArea{0, 50, {SourceRef{0, {}}, SourceRef{1, {}}}}};
  return r;
}

TEST(InvariantCheckerTest, LogSlots) {
  Result res;
  res.log_area_count = 1;
  res.log_len = 1;
  res.slots = {{Piece{2, 0, 1, 0}}};
  res.batches = {Batch{Policy::kNormal, 0, false, 0}};
  EXPECT_EQ(Problem(MirrorLogRequest(), res), "OK");
  res.slots[0][0].count = 2;
  EXPECT_THAT(Problem(MirrorLogRequest(), res), HasSubstr("log slot 0: expected one piece of 1"));
  res.slots[0].clear();
  EXPECT_THAT(Problem(MirrorLogRequest(), res), HasSubstr("found 0 piece(s)"));
}

// A first batch whose area_len rounded down to 0 (max_to_allocate below
// area_multiple) places no data but does place the logs, as LVM2's
// _alloc_parallel_area does; any other zero-length batch is a violation.
TEST(InvariantCheckerTest, ZeroLengthBatchOnlyCarryingTheLogs) {
  Request r;
  r.sources = {MakeSource(0, 100, {{0, 100}}), MakeSource(1, 100, {{0, 100}}),
               MakeSource(2, 100, {{0, 100}})};
  r.type = SegmentType::kMirror;
  r.stripes = 1;
  r.mirrors = 2;
  r.log_count = 1;
  r.region_size = 1024;
  r.extents = 10;
  r.lv_name = "lv";
  Result res;
  res.area_count = 2;
  res.area_multiple = 1;
  res.log_area_count = 1;
  res.log_len = 1;
  res.allocated_extents = 10;
  res.slots = {{Piece{0, 0, 10, 1}}, {Piece{1, 0, 10, 1}}, {Piece{2, 0, 1, 0}}};
  res.batches = {Batch{Policy::kNormal, 0, false, 0}, Batch{Policy::kNormal, 1, false, 10}};
  EXPECT_EQ(Problem(r, res), "OK");
  Result data_in_it = res;  // a data piece in the zero-length batch
  data_in_it.slots[0][0].batch = 0;
  EXPECT_NE(Problem(r, data_in_it), "OK");
  Result later = res;  // a zero-length batch after the first: never kept
  later.slots = {{Piece{0, 0, 10, 0}}, {Piece{1, 0, 10, 0}}, {Piece{2, 0, 1, 0}}};
  later.batches = {Batch{Policy::kNormal, 0, false, 10}, Batch{Policy::kNormal, 1, false, 0}};
  EXPECT_THAT(Problem(r, later), HasSubstr("batch 1 has area_len 0"));
}

TEST(InvariantCheckerTest, ParallelAreasAreAvoided) {
  // raid1 image addition: one new image, avoiding pv0 (the LV's image).
  Request r;
  r.sources = {MakeSource(0, 100, {{50, 50}}, {"x"}), MakeSource(1, 100, {{0, 100}}, {"x"})};
  r.type = SegmentType::kRaid1;
  r.stripes = 0;
  r.mirrors = 1;
  r.log_count = 1;
  r.extents = 20;
  r.parallel_areas = {ParallelArea{0, 20, {SourceRef{0, {"x"}}}}};
  Result res;
  res.area_count = 1;
  res.metadata_area_count = 1;
  res.log_len = 1;
  res.slots = {{Piece{1, 1, 20, 0}}, {Piece{1, 0, 1, 0}}};
  res.batches = {Batch{Policy::kNormal, 0, false, 21}};
  res.allocated_extents = 21;
  EXPECT_EQ(Problem(r, res), "OK");
  res.slots = {{Piece{0, 51, 20, 0}}, {Piece{0, 50, 1, 0}}};
  EXPECT_THAT(Problem(r, res), HasSubstr("asks to avoid (source 0)"));
  // With a cling_tag_list, sources sharing a listed tag are avoided too.
  res.slots = {{Piece{1, 1, 20, 0}}, {Piece{1, 0, 1, 0}}};
  r.cling_tag_list = std::vector<std::string>{"@x"};
  EXPECT_THAT(Problem(r, res), HasSubstr("slot 0 on source 0x1"));
  // ... but anywhere ignores parallel areas.
  res.batches[0].pass = Policy::kAnywhere;
  r.policy = Policy::kAnywhere;
  EXPECT_EQ(Problem(r, res), "OK");
}

TEST(InvariantCheckerTest, SuccessDespiteAnUpFrontFailure) {
  Request r = StripedRequest();
  r.extents = 61;  // not divisible by 2 stripes
  EXPECT_THAT(Problem(r, StripedResult()), HasSubstr("needs to be divisible by 2"));
  r = StripedRequest();
  r.extents = 102;  // 100 free
  EXPECT_THAT(Problem(r, StripedResult()), HasSubstr("102 extents needed, but only 100"));
  r = StripedRequest();
  r.sources[0].areas = {{0, 0}};
  EXPECT_THAT(Problem(r, StripedResult()), HasSubstr("invalid request"));
}

std::string FailureProblem(const Request& r, AllocError code, const std::string& message) {
  absl::Status s = CheckFailure(r, MakeAllocError(code, message));
  return s.ok() ? "OK" : std::string(s.message());
}

TEST(InvariantCheckerTest, InsufficientFreeSpaceMustBeTrue) {
  Request r = StripedRequest();
  r.extents = 102;
  EXPECT_EQ(FailureProblem(r, AllocError::kInsufficientFreeSpace,
                           "Insufficient free space: 102 extents needed, but only 100 available"),
            "OK");
  EXPECT_THAT(FailureProblem(r, AllocError::kInsufficientFreeSpace,
                             "Insufficient free space: 102 extents needed, but only 99 available"),
              HasSubstr("expected the up-front failure"));
  r.extents = 60;
  EXPECT_THAT(FailureProblem(r, AllocError::kInsufficientFreeSpace,
                             "Insufficient free space: 60 extents needed, but only 100 available"),
              HasSubstr("unjustified"));
  r.approx = true;
  EXPECT_THAT(FailureProblem(r, AllocError::kInsufficientFreeSpace,
                             "Insufficient free space: 102 extents needed, but only 100 available"),
              HasSubstr("approx allocation failed"));
}

TEST(InvariantCheckerTest, NotEnoughParallelPvsMustBeTrue) {
  const std::string text =
      "Not enough PVs with free space available for parallel allocation.\n"
      "Consider --alloc anywhere if desperate.";
  Request r = StripedRequest();
  r.stripes = 3;
  r.extents = 30;
  EXPECT_THAT(FailureProblem(r, AllocError::kNotEnoughParallelPvs, text),
              HasSubstr("condition does not hold"));
  // Separate logs, and 3 PVs for 3 stripes + 1 log: LVM2 fails before looking.
  r.type = SegmentType::kMirror;
  r.stripes = 1;
  r.mirrors = 3;
  r.log_count = 1;
  r.logs_require_separate_pvs = true;
  EXPECT_EQ(FailureProblem(r, AllocError::kNotEnoughParallelPvs, text), "OK");
  r.policy = Policy::kAnywhere;
  EXPECT_THAT(FailureProblem(r, AllocError::kNotEnoughParallelPvs, text),
              HasSubstr("condition does not hold"));
}

TEST(InvariantCheckerTest, InvalidRequestIffValidationFails) {
  Request r = StripedRequest();
  EXPECT_THAT(FailureProblem(r, AllocError::kInvalidRequest, "whatever"),
              HasSubstr("ValidateRequest accepts"));
  r.sources[0].areas = {{90, 20}};  // beyond pe_count 99
  EXPECT_EQ(FailureProblem(r, AllocError::kInvalidRequest, "whatever"), "OK");
  EXPECT_THAT(FailureProblem(r, AllocError::kInsufficientSuitable, "whatever"),
              HasSubstr("reported as insufficient_suitable"));
}

TEST(InvariantCheckerTest, InsufficientSuitableText) {
  Request r = StripedRequest();
  r.extents = 90;
  r.policy = Policy::kContiguous;
  const std::string good =
      "Insufficient suitable contiguous allocatable extents for logical volume lv: 90 more "
      "required";
  EXPECT_EQ(FailureProblem(r, AllocError::kInsufficientSuitable, good), "OK");
  EXPECT_THAT(FailureProblem(r, AllocError::kInsufficientSuitable,
                             "Insufficient suitable allocatable extents for logical volume lv: "
                             "90 more required"),
              HasSubstr("bad text"));
  EXPECT_THAT(FailureProblem(r, AllocError::kInsufficientSuitable,
                             "Insufficient suitable contiguous allocatable extents for logical "
                             "volume lv: 92 more required"),
              HasSubstr("0 < n <= 90"));
  r.approx = true;
  EXPECT_THAT(FailureProblem(r, AllocError::kInsufficientSuitable, good),
              HasSubstr("approx allocation failed"));
}

TEST(InvariantCheckerTest, OtherFailureCodes) {
  Request r = StripedRequest();
  EXPECT_THAT(FailureProblem(r, AllocError::kNothingFound,
                             "Insufficient suitable allocatable extents found for logical volume "
                             "lv."),
              HasSubstr("needs approx"));
  r.approx = true;
  EXPECT_EQ(FailureProblem(r, AllocError::kNothingFound,
                           "Insufficient suitable allocatable extents found for logical volume "
                           "lv."),
            "OK");
  EXPECT_THAT(FailureProblem(r, AllocError::kLogSpace,
                             "Insufficient free space for log allocation for logical volume lv."),
              HasSubstr("needs log slots (0)"));
  EXPECT_THAT(FailureProblem(r, AllocError::kMetadataDoesNotFit,
                             "Metadata does not fit on a single PV."),
              HasSubstr("needs split metadata (0)"));
  {
    // Striped cache pool: 9 + 15 extents over 3 stripes, 8 each, metadata 15.
    Request pool;
    pool.sources = {MakeSource(0, 100, {{0, 100}}), MakeSource(1, 100, {{0, 100}}),
                    MakeSource(2, 100, {{0, 100}})};
    pool.type = SegmentType::kCachePool;
    pool.stripes = 3;
    pool.log_count = 3;
    pool.metadata_extents = 15;
    pool.extents = 9;
    auto underflow = [](int meta, int share) {
      return absl::StrFormat("Metadata of %d extents does not fit in a parallel area of %d "
                             "extents (LVM2 2.03.16 would underflow and abort here); refusing.",
                             meta, share);
    };
    EXPECT_EQ(FailureProblem(pool, AllocError::kMetadataDoesNotFit, underflow(15, 8)), "OK");
    EXPECT_THAT(FailureProblem(pool, AllocError::kMetadataDoesNotFit, underflow(14, 8)),
                HasSubstr("needs split metadata"));  // not its log_len
    EXPECT_THAT(FailureProblem(pool, AllocError::kMetadataDoesNotFit, underflow(15, 9)),
                HasSubstr("share of at most 8"));  // more than 24 / 3
    EXPECT_THAT(FailureProblem(pool, AllocError::kMetadataDoesNotFit, underflow(15, 8) + "!"),
                HasSubstr("free area shorter than log_len"));  // not the exact text
  }
  EXPECT_THAT(FailureProblem(r, AllocError::kWouldDoubleBook,
                             "LVM2 2.03.16 would allocate extents 0-2 of a PV twice here"),
              HasSubstr("needs log slots (0)"));
  EXPECT_THAT(FailureProblem(r, AllocError::kMetadataDoesNotFit,
                             "Metadata of 15 extents does not fit in a parallel area of 8 "
                             "extents (LVM2 2.03.16 would underflow and abort here); refusing."),
              HasSubstr("needs split metadata (0)"));
  EXPECT_EQ(FailureProblem(MirrorLogRequest(), AllocError::kWouldDoubleBook,
                           "LVM2 2.03.16 would allocate extents 0-2 of a PV twice here"),
            "OK");
  absl::Status foreign = absl::UnknownError("boom");
  EXPECT_FALSE(CheckFailure(r, foreign).ok());
  EXPECT_FALSE(CheckFailure(r, absl::OkStatus()).ok());
}

TEST(InvariantCheckerTest, CheckOutcomeDispatches) {
  EXPECT_TRUE(CheckOutcome(StripedRequest(), StripedResult()).ok());
  Result res = StripedResult();
  res.slots[1][0].count = 1;
  EXPECT_FALSE(CheckOutcome(StripedRequest(), res).ok());
  EXPECT_FALSE(
      CheckOutcome(StripedRequest(), absl::StatusOr<Result>(MakeAllocError(
                                         AllocError::kNotDivisible, "Number of extents"))).ok());
}

}  // namespace
}  // namespace liballoc::testing
