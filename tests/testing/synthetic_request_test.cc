#include "synthetic_request.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "expected_shape.h"
#include "liballoc/allocator.h"
#include "outcome_diff.h"
#include "synthetic_vg.h"

namespace liballoc::testing {
namespace {

VgShape Used(uint64_t seed) {
  VgShape shape;
  shape.seed = seed;
  shape.source_count = 1 + seed % 12;
  shape.pe_count_min = 10;
  shape.pe_count_max = 300;
  shape.areas_min = 1;
  shape.areas_max = 6;
  shape.fill_per_mille = 350;
  shape.tag_vocabulary = 3;
  shape.tagged_per_mille = 400;
  shape.unallocatable_per_mille = 100;
  shape.full_per_mille = 50;
  return shape;
}

bool InsideFree(const Source& vg_source, Extent start, Extent count) {
  for (const Area& a : vg_source.areas) {
    if (start >= a.start && start + count <= a.start + a.count) return true;
  }
  return false;
}

bool TouchesFree(const Source& vg_source, Extent start, Extent count) {
  for (const Area& a : vg_source.areas) {
    if (start < a.start + a.count && a.start < start + count) return true;
  }
  return false;
}

const Source* FindSource(const std::vector<Source>& vg, SourceHandle h) {
  for (const Source& s : vg) {
    if (s.handle == h) return &s;
  }
  return nullptr;
}

TEST(SyntheticRequestTest, SameShapeGivesSameRequest) {
  std::vector<Source> vg = GenerateVg(Used(5));
  for (uint64_t seed = 0; seed < 50; ++seed) {
    RequestShape shape;
    shape.seed = seed;
    EXPECT_EQ(DescribeRequest(GenerateRequest(vg, shape)),
              DescribeRequest(GenerateRequest(vg, shape)));
  }
  RequestShape a, b;
  a.seed = 1;
  b.seed = 2;
  EXPECT_NE(DescribeRequest(GenerateRequest(vg, a)), DescribeRequest(GenerateRequest(vg, b)));
}

TEST(SyntheticRequestTest, RequestsAreValidAndConsistentWithTheVg) {
  for (uint64_t seed = 0; seed < 3000; ++seed) {
    std::vector<Source> vg = GenerateVg(Used(seed / 10));
    RequestShape shape;
    shape.seed = seed;
    shape.indivisible_per_mille = 0;
    Request r = GenerateRequest(vg, shape);
    SCOPED_TRACE(DescribeRequest(r));
    ASSERT_TRUE(ValidateRequest(r).ok()) << ValidateRequest(r);
    // Entries are (subsets of) VG sources, areas ascending and free in the VG.
    for (const Source& entry : r.sources) {
      const Source* s = FindSource(vg, entry.handle);
      ASSERT_NE(s, nullptr);
      EXPECT_EQ(entry.pe_count, s->pe_count);
      EXPECT_EQ(entry.tags, s->tags);
      EXPECT_EQ(entry.allocatable, s->allocatable);
      for (size_t i = 0; i < entry.areas.size(); ++i) {
        EXPECT_TRUE(InsideFree(*s, entry.areas[i].start, entry.areas[i].count));
        if (i > 0) {
          EXPECT_GT(entry.areas[i].start, entry.areas[i - 1].start);
        }
      }
    }
    ExpectedShape es = DeriveShape(r);
    EXPECT_EQ(r.extents % es.area_multiple, 0u) << "extents not divisible";
    if (r.prev) {
      EXPECT_EQ(r.prev->le_end, r.existing_extents);
      // The LV lives in allocated space, its areas never overlap each other.
      std::map<SourceHandle, std::vector<std::pair<Extent, Extent>>> spans;
      for (const auto* list : {&r.prev->last_extent, &r.prev->first_segment}) {
        for (const PrevArea& a : *list) {
          const Source* s = FindSource(vg, a.source.handle);
          ASSERT_NE(s, nullptr);
          EXPECT_LE(a.pe + a.len, s->pe_count);
          EXPECT_FALSE(TouchesFree(*s, a.pe, a.len)) << "prev area on free space";
          EXPECT_LT(a.slot, r.prev->area_count * r.prev->stripes_per_image);
          spans[a.source.handle].emplace_back(a.pe, a.len);
        }
      }
      for (auto& [h, list] : spans) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());  // first == last segment
        for (size_t i = 1; i < list.size(); ++i) {
          EXPECT_GE(list[i].first, list[i - 1].first + list[i - 1].second) << "overlapping LV areas";
        }
      }
    }
  }
}

TEST(SyntheticRequestTest, CoversTheOperationsAndOptions) {
  std::set<int> types, policies;
  int extensions = 0, repeated_handles = 0, parallel = 0, approx = 0, tag_lists = 0,
      logs = 0, count_mismatch = 0;
  for (uint64_t seed = 0; seed < 3000; ++seed) {
    std::vector<Source> vg = GenerateVg(Used(seed / 10));
    RequestShape shape;
    shape.seed = seed;
    Request r = GenerateRequest(vg, shape);
    types.insert(static_cast<int>(r.type));
    policies.insert(static_cast<int>(r.policy));
    extensions += r.prev.has_value();
    if (r.prev) count_mismatch += r.prev->area_count != DeriveShape(r).devices_needed();
    parallel += !r.parallel_areas.empty();
    approx += r.approx;
    tag_lists += r.cling_tag_list.has_value();
    logs += r.log_count > 0;
    std::set<SourceHandle> seen;
    for (const Source& s : r.sources) {
      if (!seen.insert(s.handle).second) {
        ++repeated_handles;
        break;
      }
    }
  }
  EXPECT_EQ(types.size(), 11u);  // every SegmentType
  EXPECT_EQ(policies.size(), 5u);
  for (int n : {extensions, repeated_handles, parallel, approx, tag_lists, logs, count_mismatch}) {
    EXPECT_GT(n, 30);
  }
}

TEST(SyntheticRequestTest, NarrowedShapesOnlyDrawStripedRequests) {
  RequestShape shape;
  shape.raid = shape.mirror = shape.pools = shape.extend = shape.pe_ranges = false;
  std::vector<Source> vg = GenerateVg(Used(3));
  for (uint64_t seed = 0; seed < 300; ++seed) {
    shape.seed = seed;
    Request r = GenerateRequest(vg, shape);
    EXPECT_EQ(r.type, SegmentType::kStriped);
    EXPECT_FALSE(r.prev.has_value());
    std::set<SourceHandle> seen;
    for (const Source& s : r.sources) EXPECT_TRUE(seen.insert(s.handle).second);
  }
}

TEST(SyntheticRequestTest, InvalidAndIndivisibleRequestsOnDemand) {
  std::vector<Source> vg = GenerateVg(Used(4));
  int indivisible = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    RequestShape shape;
    shape.seed = seed;
    shape.invalid_per_mille = 1000;
    EXPECT_FALSE(ValidateRequest(GenerateRequest(vg, shape)).ok());
    shape.invalid_per_mille = 0;
    shape.indivisible_per_mille = 1000;
    Request r = GenerateRequest(vg, shape);
    indivisible += r.extents % DeriveShape(r).area_multiple != 0;
  }
  EXPECT_GT(indivisible, 50);
}

}  // namespace
}  // namespace liballoc::testing
