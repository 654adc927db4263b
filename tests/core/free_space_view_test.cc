// BuildView (core/src/free_space_view.cc) against an oracle: the
// straightforward entry-by-entry checks BuildView had before its fast pass
// (a per-area branch for each invariant, a std::map for handles), kept here
// verbatim in behaviour. For every request, valid or not, each way of
// building the view (the fast pass on the scalar kernel, on the AVX2 kernel
// where the CPU has it, and the exact pass alone) must give the oracle's
// status (code and message) and, when valid, the oracle's view.
//
// The requests are random but biased towards the cases the fast pass must
// not get wrong: entries of 0 to 40 areas (so both the four-area vector
// steps and their tails), each invariant broken at every position, values
// around 2^32 and 2^64 (wrapping sums), areas out of PE order (valid: the
// fast pass must hand them to the exact one), repeated and unallocatable
// handles, and free space in all beyond 32 bits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "free_space_view.h"
#include "max_tree.h"
#include "liballoc/error.h"
#include "liballoc/request.h"

namespace liballoc {
namespace {

// ---- The oracle: BuildView as it was before the fast pass.

struct OracleSource {
  SourceHandle handle = 0;
  std::vector<Area> areas;
  Extent max_count = 0;
  const std::vector<std::string>* tag_names = nullptr;
  Extent pe_count = 0;
};

struct OracleView {
  std::vector<OracleSource> sources;
  uint64_t total_free = 0;
};

absl::Status Invalid(const std::string& what) {
  return MakeAllocError(AllocError::kInvalidRequest, what);
}

absl::Status OracleCheckDisjoint(std::vector<Area> areas, SourceHandle handle) {
  std::stable_sort(areas.begin(), areas.end(),
                   [](const Area& a, const Area& b) { return a.start < b.start; });
  for (size_t i = 1; i < areas.size(); ++i) {
    if (areas[i].start < areas[i - 1].start + areas[i - 1].count) {
      return Invalid(absl::StrFormat("source %#x: free areas at PE %u and PE %u overlap", handle,
                                     areas[i - 1].start, areas[i].start));
    }
  }
  return absl::OkStatus();
}

absl::Status OracleBuildView(const Request& request, OracleView* view) {
  constexpr uint64_t kMax32 = std::numeric_limits<uint32_t>::max();
  std::map<SourceHandle, size_t> index_of;
  std::map<SourceHandle, size_t> unallocatable;
  for (size_t i = 0; i < request.sources.size(); ++i) {
    const Source& src = request.sources[i];
    if (src.pe_count > kMax32) {
      return Invalid(absl::StrFormat("source %d: pe_count %u exceeds 2^32-1", i, src.pe_count));
    }
    uint64_t free = 0;
    Extent max_count = 0;
    for (size_t j = 0; j < src.areas.size(); ++j) {
      const Area& a = src.areas[j];
      if (a.count == 0) {
        return Invalid(absl::StrFormat("source %d area %d: empty area at PE %u", i, j, a.start));
      }
      if (a.start >= src.pe_count || a.count > src.pe_count - a.start) {
        return Invalid(absl::StrFormat(
            "source %d area %d: PEs %u-%u outside the source's %u extents", i, j, a.start,
            a.start + a.count - 1, src.pe_count));
      }
      free += a.count;
      max_count = std::max(max_count, a.count);
    }
    if (absl::Status s = OracleCheckDisjoint(src.areas, src.handle); !s.ok()) return s;
    if (!src.allocatable) {
      const size_t first = unallocatable.emplace(src.handle, i).first->second;
      if (request.sources[first].pe_count != src.pe_count) {
        return Invalid(absl::StrFormat("source %d: handle %#x given with pe_count %u and %u", i,
                                       src.handle, request.sources[first].pe_count, src.pe_count));
      }
      continue;
    }
    view->total_free += free;
    auto [it, added] = index_of.emplace(src.handle, view->sources.size());
    if (added) {
      view->sources.push_back({src.handle, src.areas, max_count, &src.tags, src.pe_count});
      continue;
    }
    OracleSource& v = view->sources[it->second];
    if (v.pe_count != src.pe_count) {
      return Invalid(absl::StrFormat("source %d: handle %#x given with pe_count %u and %u", i,
                                     src.handle, v.pe_count, src.pe_count));
    }
    v.areas.insert(v.areas.end(), src.areas.begin(), src.areas.end());
    v.max_count = std::max(v.max_count, max_count);
  }
  if (view->total_free > kMax32) {
    return Invalid(absl::StrFormat("%u free extents in all: LVM2 counts free space in 32 bits",
                                   view->total_free));
  }
  for (const OracleSource& v : view->sources) {
    if (absl::Status s = OracleCheckDisjoint(v.areas, v.handle); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// ---- Comparison.

std::vector<ViewScan> Scans() {
  std::vector<ViewScan> scans = {ViewScan::kAuto, ViewScan::kScalar, ViewScan::kExactOnly,
                                 ViewScan::kLvm2MapWalk};
  if (Avx2ViewScanAvailable()) scans.push_back(ViewScan::kAvx2);
  return scans;
}

const char* ScanName(ViewScan scan) {
  switch (scan) {
    case ViewScan::kAuto: return "auto";
    case ViewScan::kScalar: return "scalar";
    case ViewScan::kAvx2: return "avx2";
    case ViewScan::kExactOnly: return "exact";
    case ViewScan::kLvm2MapWalk: return "lvm2-map-walk";
  }
  return "?";
}

std::string Describe(const Request& r) {
  std::string out;
  for (size_t i = 0; i < r.sources.size(); ++i) {
    const Source& s = r.sources[i];
    absl::StrAppendFormat(&out, "  [%d] handle %#x pe_count %u%s:", i, s.handle, s.pe_count,
                          s.allocatable ? "" : " (unallocatable)");
    for (const Area& a : s.areas) absl::StrAppendFormat(&out, " %u+%u", a.start, a.count);
    out += "\n";
  }
  return out;
}

// Every way of building the view agrees with the oracle on `r`. Returns
// whether the request was valid.
bool ExpectSameAsOracle(const Request& r) {
  OracleView want;
  const absl::Status want_status = OracleBuildView(r, &want);
  for (ViewScan scan : Scans()) {
    FreeSpaceView got;
    MaxTree tree;
    const absl::Status got_status = BuildViewWith(r, &got, scan, &tree);
    EXPECT_EQ(got_status, want_status) << ScanName(scan) << "\n" << Describe(r);
    if (!want_status.ok() || !got_status.ok()) continue;
    // The tree built alongside: leaf m is source m's largest area (-1 if
    // none), and it answers as one built from those values.
    std::vector<int64_t> leaves;
    for (const OracleSource& w : want.sources) {
      leaves.push_back(w.areas.empty() ? -1 : static_cast<int64_t>(w.max_count));
    }
    const MaxTree expected(leaves);
    EXPECT_EQ(tree.size(), leaves.size()) << ScanName(scan) << "\n" << Describe(r);
    if (tree.size() == leaves.size()) {
      for (uint32_t m = 0; m < leaves.size(); ++m) EXPECT_EQ(tree.Get(m), leaves[m]);
      EXPECT_EQ(tree.Max(), expected.Max());
      EXPECT_EQ(tree.LeftmostMax(), expected.LeftmostMax());
      for (int64_t t : {int64_t{0}, int64_t{1}, int64_t{5}, expected.Max(), expected.Max() + 1}) {
        for (uint32_t from : {0u, 1u, static_cast<uint32_t>(leaves.size() / 2)}) {
          EXPECT_EQ(tree.FirstAtLeast(from, t), expected.FirstAtLeast(from, t));
        }
      }
    }
    EXPECT_EQ(got.total_free, want.total_free) << ScanName(scan) << "\n" << Describe(r);
    EXPECT_EQ(got.sources.size(), want.sources.size()) << ScanName(scan) << "\n" << Describe(r);
    if (got.sources.size() != want.sources.size()) continue;
    for (size_t m = 0; m < want.sources.size(); ++m) {
      const ViewSource& g = got.sources[m];
      const OracleSource& w = want.sources[m];
      SCOPED_TRACE(absl::StrFormat("%s, view source %d\n%s", ScanName(scan), m, Describe(r)));
      EXPECT_EQ(g.handle, w.handle);
      EXPECT_EQ(g.max_count, w.max_count);
      EXPECT_EQ(g.tag_names, w.tag_names);
      EXPECT_EQ(g.pe_count, w.pe_count);
      EXPECT_EQ(g.num_areas, w.areas.size());
      if (g.num_areas != w.areas.size()) continue;
      for (uint32_t k = 0; k < g.num_areas; ++k) {
        EXPECT_EQ(g.areas[k].start, w.areas[k].start);
        EXPECT_EQ(g.areas[k].count, w.areas[k].count);
      }
      EXPECT_EQ(got.index_of.Find(w.handle), m);
    }
    // A handle not in the view is not found.
    SourceHandle absent = 0x5eed;
    while (std::any_of(r.sources.begin(), r.sources.end(),
                       [&](const Source& s) { return s.handle == absent; })) {
      ++absent;
    }
    EXPECT_EQ(got.index_of.Find(absent), HandleTable::kNone);
  }
  return want_status.ok();
}

// ---- Hand-written cases: one per message, at several positions.

Source Src(SourceHandle handle, Extent pe_count, std::vector<Area> areas, bool allocatable = true) {
  Source s;
  s.handle = handle;
  s.pe_count = pe_count;
  s.areas = std::move(areas);
  s.allocatable = allocatable;
  return s;
}

Request WithSources(std::vector<Source> sources) {
  Request r;
  r.sources = std::move(sources);
  return r;
}

// n ascending areas of `len` with gaps of `gap`, from PE `first`.
std::vector<Area> Ascending(uint32_t n, Extent first = 0, Extent len = 3, Extent gap = 1) {
  std::vector<Area> areas;
  for (uint32_t i = 0; i < n; ++i) areas.push_back({first + i * (len + gap), len});
  return areas;
}

TEST(FreeSpaceView, ValidRequests) {
  EXPECT_TRUE(ExpectSameAsOracle(WithSources({})));
  EXPECT_TRUE(ExpectSameAsOracle(WithSources({Src(1, 100, {}), Src(2, 0, {})})));
  for (uint32_t n = 0; n <= 17; ++n) {
    EXPECT_TRUE(ExpectSameAsOracle(WithSources({Src(7, 1000, Ascending(n)), Src(9, 100, Ascending(n % 5))})));
  }
  // Touching areas are fine (LVM2 keeps them apart); the last may end at
  // pe_count; a 2^32-1-extent PV with one area over all of it.
  EXPECT_TRUE(ExpectSameAsOracle(WithSources({Src(1, 12, {{0, 3}, {3, 3}, {6, 3}, {9, 3}})})));
  EXPECT_TRUE(ExpectSameAsOracle(WithSources({Src(1, 0xffffffffull, {{0, 0xffffffffull}})})));
  // Ranges out of PE order: valid, decided by the exact pass.
  EXPECT_TRUE(ExpectSameAsOracle(
      WithSources({Src(1, 100, {{50, 5}, {60, 5}, {70, 5}, {80, 5}, {0, 5}, {10, 5}})})));
  // A PV named twice (PE ranges) and an unallocatable one.
  EXPECT_TRUE(ExpectSameAsOracle(WithSources({Src(1, 100, Ascending(5, 0)), Src(2, 100, Ascending(4)),
                                              Src(1, 100, Ascending(6, 40)), Src(3, 50, Ascending(2), false),
                                              Src(3, 50, Ascending(3), false)})));
}

TEST(FreeSpaceView, EveryInvariantAtEveryPosition) {
  // Entries before and after the broken one, so that the first broken
  // invariant in entry order is what must be named.
  for (uint32_t n = 1; n <= 13; ++n) {
    for (uint32_t at = 0; at < n; ++at) {
      for (int what = 0; what < 9; ++what) {
        std::vector<Area> areas = Ascending(n, 2);
        Extent pe_count = 2 + 4 * n + 5;
        switch (what) {
          case 0: areas[at].count = 0; break;                           // empty
          case 1: areas[at].start = pe_count; break;                    // starts past the end
          case 2: areas[at].count = pe_count; break;                    // ends past the end
          case 3: areas[at].count = ~Extent{0}; break;                  // count wraps
          case 4: areas[at].start = ~Extent{0} - 1; break;              // start + count wraps
          case 5: areas[at].count = Extent{1} << 32; break;             // count of 2^32
          case 6: if (at) areas[at].start = areas[at - 1].start + 1; break;  // overlap
          case 7: pe_count = (Extent{1} << 32) + at; break;             // pe_count too big
          case 8: if (at) std::swap(areas[at], areas[at - 1]); break;   // out of order: valid
        }
        ExpectSameAsOracle(
            WithSources({Src(10, 100, Ascending(7)), Src(11, pe_count, areas), Src(12, 3, {{0, 4}})}));
        ExpectSameAsOracle(WithSources({Src(11, pe_count, areas), Src(12, 100, Ascending(9))}));
      }
    }
  }
}

TEST(FreeSpaceView, HandlesRepeatedWithAnotherSize) {
  for (bool allocatable : {true, false}) {
    ExpectSameAsOracle(WithSources(
        {Src(1, 100, Ascending(4), allocatable), Src(2, 10, {}), Src(1, 101, Ascending(2, 50), allocatable)}));
    // ... after an entry with a broken area: that one is named.
    ExpectSameAsOracle(WithSources({Src(1, 100, Ascending(4), allocatable), Src(2, 10, {{0, 0}}),
                                    Src(1, 101, Ascending(2, 50), allocatable)}));
  }
  // Allocatable and unallocatable entries of one handle are not compared.
  EXPECT_TRUE(ExpectSameAsOracle(WithSources({Src(1, 100, Ascending(4)), Src(1, 7, Ascending(1), false)})));
  // Repeated handle whose ranges overlap each other.
  ExpectSameAsOracle(WithSources({Src(1, 100, Ascending(4, 0)), Src(1, 100, Ascending(4, 1))}));
}

TEST(FreeSpaceView, MoreThan32BitsOfFreeSpace) {
  std::vector<Source> sources;
  for (SourceHandle h = 0; h < 3; ++h) sources.push_back(Src(h, 0xffffffffull, {{0, 0x7fffffffull}}));
  ExpectSameAsOracle(WithSources(sources));
  sources[2].allocatable = false;  // unallocatable space does not count
  EXPECT_TRUE(ExpectSameAsOracle(WithSources(sources)));
}

// ---- Random requests.

class RandomRequests {
 public:
  explicit RandomRequests(uint64_t seed) : rng_(seed) {}

  Request Next() {
    Request r;
    const uint32_t entries = Pick(20) == 0 ? Below(400) : Below(24);
    const bool few_handles = Pick(4) == 0;
    const bool pointer_handles = Pick(3) == 0;
    for (uint32_t i = 0; i < entries; ++i) {
      Source s;
      const uint64_t id = few_handles ? Below(4) : i;
      s.handle = pointer_handles ? 0x7f3a10000000ull + id * 0x58 : id;
      s.allocatable = Pick(12) != 0;
      s.pe_count = Pick(30) == 0 ? 0xffffffffull : 1 + Below(Pick(2) ? 200 : 100000);
      if (Pick(60) == 0) s.pe_count = (Extent{1} << 32) + Below(3);
      const uint32_t n = Pick(8) == 0 ? Below(41) : Below(18);
      Extent at = Below(4);
      for (uint32_t k = 0; k < n && at < s.pe_count; ++k) {
        const Extent room = s.pe_count - at;
        const Extent count = 1 + Below(static_cast<uint32_t>(std::min<Extent>(room, Pick(2) ? 6 : 5000)));
        s.areas.push_back({at, count});
        at += count + (Pick(3) == 0 ? 0 : Below(7));
      }
      if (Pick(5) == 0) Break(&s);
      if (few_handles && Pick(2) == 0 && i > 0) {
        // Same handle as an earlier entry, usually the same size.
        const Source& earlier = r.sources[Below(i)];
        s.handle = earlier.handle;
        if (Pick(4) != 0) s.pe_count = earlier.pe_count;
      }
      r.sources.push_back(std::move(s));
    }
    return r;
  }

 private:
  uint32_t Pick(uint32_t n) { return Below(n); }
  uint32_t Below(uint64_t n) {
    return n <= 1 ? 0 : static_cast<uint32_t>(std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_));
  }

  // One invariant broken (or areas reordered, which is valid) at a random
  // position.
  void Break(Source* s) {
    if (s->areas.empty()) {
      s->areas.push_back({Below(5), Pick(2) ? 0 : 1 + Below(5)});
      return;
    }
    Area& a = s->areas[Below(s->areas.size())];
    switch (Pick(10)) {
      case 0: a.count = 0; break;
      case 1: a.start = s->pe_count + Below(3); break;
      case 2: a.count += s->pe_count; break;
      case 3: a.count = ~Extent{0} - Below(3); break;
      case 4: a.start = ~Extent{0} - Below(3); break;
      case 5: a.count = (Extent{1} << 32) + Below(2) - 1; break;
      case 6: a.start = a.start >= 2 ? a.start - 2 : 0; break;
      case 7: a.start = (Extent{1} << 32) + Below(5); break;
      case 8: std::shuffle(s->areas.begin(), s->areas.end(), rng_); break;
      case 9: std::reverse(s->areas.begin(), s->areas.end()); break;
    }
  }

  std::mt19937_64 rng_;
};

TEST(FreeSpaceView, RandomRequestsMatchTheOracle) {
  RandomRequests gen(0x11ba110c);
  int valid = 0, invalid = 0;
  for (int i = 0; i < 20000; ++i) {
    const Request r = gen.Next();
    (ExpectSameAsOracle(r) ? valid : invalid)++;
    if (::testing::Test::HasFailure()) break;
  }
  // Both kinds are well represented.
  EXPECT_GT(valid, 4000);
  EXPECT_GT(invalid, 4000);
}

}  // namespace
}  // namespace liballoc
