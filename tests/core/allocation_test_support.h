// Shared helpers of the core's unit tests: building sources and requests in
// the spec's notation, and running both allocators on the same request.
#ifndef LIBALLOC_TESTS_CORE_ALLOCATION_TEST_SUPPORT_H_
#define LIBALLOC_TESTS_CORE_ALLOCATION_TEST_SUPPORT_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "invariant_checker.h"
#include "liballoc/allocator.h"
#include "liballoc/error.h"
#include "liballoc/request.h"
#include "outcome_diff.h"

namespace liballoc {

// A source whose free areas are given as inclusive PE ranges, like the
// spec's "free: pv0:79-98".
struct FreeRange {
  Extent first, last;
};

inline Source Pv(SourceHandle handle, Extent pe_count, std::vector<FreeRange> free,
                 std::vector<std::string> tags = {}) {
  Source s;
  s.handle = handle;
  s.pe_count = pe_count;
  for (const FreeRange& r : free) s.areas.push_back(Area{r.first, r.last - r.first + 1});
  s.tags = std::move(tags);
  return s;
}

// An empty PV: one free area over all of it.
inline Source EmptyPv(SourceHandle handle, Extent pe_count, std::vector<std::string> tags = {}) {
  return Pv(handle, pe_count, {{0, pe_count - 1}}, std::move(tags));
}

// lvcreate -i stripes -l extents (spec §2.3 first row).
inline Request Striped(std::vector<Source> sources, uint32_t stripes, Extent extents) {
  Request r;
  r.sources = std::move(sources);
  r.stripes = stripes;
  r.mirrors = 1;
  r.extents = extents;
  r.lv_name = "lv";
  return r;
}

// One expected piece: slot's PEs first..last on `handle`, in batch `batch`.
struct Expect {
  SourceHandle handle;
  Extent first, last;
  uint32_t batch;
};

// The allocator under test: every expectation is checked against both.
enum class Which { kReference, kIndexed };

inline absl::StatusOr<Result> RunAllocator(Which which, const Request& r) {
  return which == Which::kReference ? AllocateReference(r) : Allocate(r);
}

inline std::string WhichName(const ::testing::TestParamInfo<Which>& info) {
  return info.param == Which::kReference ? "Reference" : "Indexed";
}

class AllocationTest : public ::testing::TestWithParam<Which> {
 protected:
  // Allocates, checks the invariants, and compares every slot's pieces.
  Result ExpectSlots(const Request& r, const std::vector<std::vector<Expect>>& slots) {
    absl::StatusOr<Result> out = RunAllocator(GetParam(), r);
    EXPECT_TRUE(out.ok()) << out.status();
    if (!out.ok()) return Result{};
    EXPECT_TRUE(testing::CheckResult(r, *out).ok()) << testing::CheckResult(r, *out);
    EXPECT_EQ(out->slots.size(), slots.size()) << testing::DescribeOutcome(out);
    for (size_t s = 0; s < std::min(slots.size(), out->slots.size()); ++s) {
      const std::vector<Piece>& got = out->slots[s];
      EXPECT_EQ(got.size(), slots[s].size()) << "slot " << s << ": " << testing::DescribeOutcome(out);
      for (size_t i = 0; i < std::min(got.size(), slots[s].size()); ++i) {
        const Expect& e = slots[s][i];
        EXPECT_EQ(got[i].handle, e.handle) << "slot " << s << " piece " << i;
        EXPECT_EQ(got[i].start, e.first) << "slot " << s << " piece " << i;
        EXPECT_EQ(got[i].count, e.last - e.first + 1) << "slot " << s << " piece " << i;
        EXPECT_EQ(got[i].batch, e.batch) << "slot " << s << " piece " << i;
      }
    }
    return *out;
  }

  // Allocates and expects exactly this failure.
  void ExpectFailure(const Request& r, AllocError code, const std::string& message) {
    absl::StatusOr<Result> out = RunAllocator(GetParam(), r);
    ASSERT_FALSE(out.ok()) << testing::DescribeOutcome(out);
    EXPECT_EQ(AllocErrorOf(out.status()), code) << out.status();
    EXPECT_EQ(out.status().message(), message);
    EXPECT_TRUE(testing::CheckFailure(r, out.status()).ok())
        << testing::CheckFailure(r, out.status());
  }
};

#define LIBALLOC_INSTANTIATE_BOTH(Suite)                                              \
  INSTANTIATE_TEST_SUITE_P(BothAllocators, Suite,                                     \
                           ::testing::Values(Which::kReference, Which::kIndexed), \
                           WhichName)

}  // namespace liballoc

#endif  // LIBALLOC_TESTS_CORE_ALLOCATION_TEST_SUPPORT_H_
