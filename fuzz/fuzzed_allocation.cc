#include "fuzzed_allocation.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "testing/synthetic_request.h"
#include "testing/synthetic_vg.h"

namespace liballoc::fuzz {
namespace {

// Request sizes allowed on bigger VGs (see ConsumeRequest).
constexpr size_t kMediumVg = 32;
constexpr Extent kMediumVgMaxExtents = 1000;
constexpr size_t kLargeVg = 256;
constexpr Extent kLargeVgMaxExtents = 100;

// Tag names: the generator's vocabulary ("t0".."t7") plus strings that are
// not valid LVM2 tags or cling_tag_list entries, which must be ignored or
// rejected, never crash.
constexpr const char* kTagWords[] = {"t0", "t1", "t2", "t3", "@t0", "@t1", "@*", "@",
                                     "",   "*",  "t7", "@t9", "a b", "@@t1", "t0t1", "T0"};

std::string ConsumeTagWord(FuzzedDataProvider& in) {
  return kTagWords[in.ConsumeIntegralInRange<uint8_t>(0, std::size(kTagWords) - 1)];
}

uint32_t ConsumeSourceCount(FuzzedDataProvider& in, uint32_t max_sources) {
  // 7/8 of inputs up to 8 sources, 1/10 up to 32, 1/40 up to 256, 1/128 up to
  // the cap. The cost of one run grows with the areas, and the average run
  // must stay cheap for thousands of runs per second under ASan/UBSan.
  uint8_t size_class = in.ConsumeIntegral<uint8_t>();
  uint32_t cap = size_class < 224 ? 8 : size_class < 248 ? 32 : size_class < 254 ? 256
                                                                                 : kMaxSources;
  cap = std::max<uint32_t>(1, std::min(cap, max_sources));
  return in.ConsumeIntegralInRange<uint32_t>(1, cap);
}

std::vector<Source> ConsumeGeneratedVg(FuzzedDataProvider& in, uint32_t source_count) {
  testing::VgShape shape;
  shape.seed = in.ConsumeIntegral<uint64_t>();
  shape.source_count = source_count;
  static constexpr Extent kPeCounts[] = {1, 2, 5, 10, 30, 100, 1000, 15000, 1u << 20};
  shape.pe_count_min = kPeCounts[in.ConsumeIntegralInRange<size_t>(0, std::size(kPeCounts) - 1)];
  shape.pe_count_max = kPeCounts[in.ConsumeIntegralInRange<size_t>(0, std::size(kPeCounts) - 1)];
  shape.areas_min = in.ConsumeIntegralInRange<uint32_t>(0, 8);
  // Many areas per source only in small VGs: the allocators are linear in
  // areas per round and the target is thousands of executions per second.
  uint32_t areas_cap = source_count <= 8 ? 64 : source_count <= 32 ? 16 : source_count <= 256 ? 8 : 2;
  shape.areas_max = in.ConsumeIntegralInRange<uint32_t>(0, areas_cap);
  shape.fill_per_mille = in.ConsumeIntegralInRange<uint32_t>(0, 1000);
  shape.sizes = static_cast<testing::AreaSizes>(in.ConsumeIntegralInRange<uint8_t>(0, 2));
  shape.equal_run_per_mille = in.ConsumeIntegralInRange<uint32_t>(0, 1000);
  shape.full_per_mille = in.ConsumeIntegralInRange<uint32_t>(0, 500);
  shape.tag_vocabulary = in.ConsumeIntegralInRange<uint32_t>(0, 8);
  shape.tagged_per_mille = in.ConsumeIntegralInRange<uint32_t>(0, 1000);
  shape.unallocatable_per_mille = in.ConsumeIntegralInRange<uint32_t>(0, 300);
  shape.scramble_handles = in.ConsumeBool();
  return testing::GenerateVg(shape);
}

// Sources spelled out: whatever the bytes say, valid or not. Handles come
// from a small range so that repeated handles occur.
std::vector<Source> ConsumeExplicitVg(FuzzedDataProvider& in, uint32_t source_count) {
  source_count = std::min<uint32_t>(source_count, 16);
  std::vector<Source> vg(source_count);
  for (Source& s : vg) {
    s.handle = in.ConsumeIntegralInRange<SourceHandle>(0, 31);
    s.pe_count = in.ConsumeBool() ? in.ConsumeIntegralInRange<Extent>(0, 64)
                                  : in.ConsumeIntegral<uint32_t>();
    s.allocatable = in.ConsumeIntegralInRange<uint8_t>(0, 7) != 0;
    uint8_t tag_count = in.ConsumeIntegralInRange<uint8_t>(0, 2);
    for (uint8_t t = 0; t < tag_count; ++t) s.tags.push_back(ConsumeTagWord(in));
    uint8_t area_count = in.ConsumeIntegralInRange<uint8_t>(0, 8);
    Extent pe = 0;
    for (uint8_t a = 0; a < area_count; ++a) {
      // Mostly ascending and inside the source; sometimes anything.
      if (in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0) {
        s.areas.push_back(Area{in.ConsumeIntegral<Extent>(), in.ConsumeIntegral<Extent>()});
        continue;
      }
      Extent start = pe + in.ConsumeIntegralInRange<Extent>(0, 8);
      Extent count = in.ConsumeIntegralInRange<Extent>(0, 32);
      s.areas.push_back(Area{start, count});
      pe = start + count;
    }
  }
  return vg;
}

// LVM2's policies and segment types are small enums; raw values outside them
// are not representable in the C++ API (the C API target covers those).
Policy ConsumePolicy(FuzzedDataProvider& in) {
  return static_cast<Policy>(in.ConsumeIntegralInRange<uint8_t>(0, 4));
}

SegmentType ConsumeSegmentType(FuzzedDataProvider& in) {
  return static_cast<SegmentType>(
      in.ConsumeIntegralInRange<uint8_t>(0, static_cast<uint8_t>(SegmentType::kCachePool)));
}

uint32_t ConsumeSmallCount(FuzzedDataProvider& in, uint32_t usual_max, uint32_t rare_max) {
  return in.ConsumeIntegralInRange<uint8_t>(0, 31) == 0
             ? in.ConsumeIntegralInRange<uint32_t>(0, rare_max)
             : in.ConsumeIntegralInRange<uint32_t>(0, usual_max);
}

Extent ConsumeExtents(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<uint8_t>(0, 3)) {
    case 0: return in.ConsumeIntegralInRange<Extent>(0, 16);
    case 1: return in.ConsumeIntegralInRange<Extent>(0, 5000);
    case 2: return in.ConsumeIntegralInRange<Extent>(0, uint64_t{1} << 33);
    default: return in.ConsumeIntegral<Extent>();
  }
}

}  // namespace

uint32_t MaxSourcesFromEnvironment(uint32_t default_max) {
  const char* text = std::getenv("LIBALLOC_FUZZ_MAX_SOURCES");
  if (text == nullptr || *text == '\0') return default_max;
  char* end = nullptr;
  unsigned long value = std::strtoul(text, &end, 10);
  if (*end != '\0' || value == 0 || value > default_max) {
    std::fprintf(stderr, "LIBALLOC_FUZZ_MAX_SOURCES must be 1..%u, not '%s'\n", default_max, text);
    std::exit(2);
  }
  return static_cast<uint32_t>(value);
}

std::vector<Source> ConsumeVg(FuzzedDataProvider& in, uint32_t max_sources,
                              bool generated_only) {
  uint32_t source_count = ConsumeSourceCount(in, max_sources);
  bool explicit_vg = !generated_only && in.ConsumeIntegralInRange<uint8_t>(0, 7) == 0;
  return explicit_vg ? ConsumeExplicitVg(in, source_count)
                     : ConsumeGeneratedVg(in, source_count);
}

void ConsumeOverrides(FuzzedDataProvider& in, Request& r) {
  uint8_t overrides = in.ConsumeIntegralInRange<uint8_t>(0, 3) == 0
                          ? in.ConsumeIntegralInRange<uint8_t>(1, 6)
                          : 0;
  for (uint8_t i = 0; i < overrides && in.remaining_bytes() > 0; ++i) {
    switch (in.ConsumeIntegralInRange<uint8_t>(0, 17)) {
      case 0: r.policy = ConsumePolicy(in); break;
      case 1: r.type = ConsumeSegmentType(in); break;
      case 2: r.stripes = ConsumeSmallCount(in, 8, 300); break;
      case 3: r.mirrors = ConsumeSmallCount(in, 5, 300); break;
      case 4: r.log_count = ConsumeSmallCount(in, 4, 300); break;
      case 5: r.extents = ConsumeExtents(in); break;
      case 6: r.existing_extents = ConsumeExtents(in); break;
      case 7: r.approx = !r.approx; break;
      case 8: r.maximise_cling = !r.maximise_cling; break;
      case 9: r.logs_require_separate_pvs = !r.logs_require_separate_pvs; break;
      case 10: {
        std::vector<std::string> list;
        uint8_t n = in.ConsumeIntegralInRange<uint8_t>(0, 3);
        for (uint8_t t = 0; t < n; ++t) list.push_back(ConsumeTagWord(in));
        r.cling_tag_list = std::move(list);
        break;
      }
      case 11: r.cling_tag_list.reset(); break;
      case 12: r.region_size = in.ConsumeIntegral<uint32_t>(); break;
      case 13: r.extent_size = in.ConsumeIntegral<uint32_t>(); break;
      case 14: r.metadata_extents = ConsumeExtents(in); break;
      case 15: r.prev.reset(); break;
      case 16: r.parallel_areas.clear(); break;
      case 17:
        if (!r.sources.empty()) {  // an entry becomes unallocatable
          size_t k = in.ConsumeIntegralInRange<size_t>(0, r.sources.size() - 1);
          r.sources[k].allocatable = !r.sources[k].allocatable;
        }
        break;
    }
  }
}

Request ConsumeRequest(FuzzedDataProvider& in, const std::vector<Source>& vg) {
  testing::RequestShape shape;
  shape.seed = in.ConsumeIntegral<uint64_t>();
  uint8_t kinds = in.ConsumeIntegral<uint8_t>();
  shape.raid = kinds & 1;
  shape.mirror = kinds & 2;
  shape.pools = kinds & 4;
  shape.extend = kinds & 8;
  shape.pe_ranges = kinds & 16;
  shape.max_size_per_mille = in.ConsumeIntegralInRange<uint32_t>(1, 1500);
  shape.indivisible_per_mille = in.ConsumeIntegralInRange<uint32_t>(0, 100);
  shape.invalid_per_mille = in.ConsumeIntegralInRange<uint8_t>(0, 15) == 0 ? 1000 : 0;
  Request r = testing::GenerateRequest(vg, shape);
  ConsumeOverrides(in, r);
  if (vg.size() > kMediumVg) {
    // LVM2's algorithm rescans every source each round, a round may place
    // one area, and cling checks walk every piece placed so far: the cost
    // grows like areas x pieces^2 (LVM2's own cost, which the reference
    // reproduces). A 1,024-source VG asked for 2,236 extents took 7 s
    // (-O2) in the reference; millions of extents on 4,096 sources, minutes.
    // Bigger VGs are here to exercise scale in the scan, not thousands of
    // rounds; big requests are exercised on small VGs.
    Extent cap = vg.size() > kLargeVg ? kLargeVgMaxExtents : kMediumVgMaxExtents;
    r.extents = std::min<Extent>(r.extents, cap);
    r.metadata_extents = std::min<Extent>(r.metadata_extents, cap);
  }
  return r;
}

}  // namespace liballoc::fuzz
