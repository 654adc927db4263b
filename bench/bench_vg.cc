#include "bench_vg.h"

#include <memory>

namespace liballoc::bench {

testing::VgShape BenchVgShape(uint32_t pvs, uint32_t areas_per_pv, bool tags) {
  testing::VgShape shape;
  shape.seed = 0x6c69626c;  // fixed: the gate compares counters exactly
  shape.source_count = pvs;
  // 64 to 192 GiB PVs at 4 MiB extents: room for 64 areas with sizeable runs,
  // and a 65,536-PV VG's free space still fits LVM2's 32-bit extent counts.
  shape.pe_count_min = 16384;
  shape.pe_count_max = 49152;
  shape.areas_min = areas_per_pv;
  shape.areas_max = areas_per_pv;
  shape.fill_per_mille = areas_per_pv <= 1 ? 0 : 500;
  shape.sizes = testing::AreaSizes::kUniform;
  shape.equal_run_per_mille = areas_per_pv <= 1 ? 0 : 250;
  if (tags) {
    shape.tag_vocabulary = 4;
    shape.tagged_per_mille = 333;
  }
  return shape;
}

const std::vector<Source>& CachedBenchVg(uint32_t pvs, uint32_t areas_per_pv) {
  static uint32_t cached_pvs = 0, cached_areas = 0;
  static auto* vg = new std::vector<Source>();
  if (cached_pvs != pvs || cached_areas != areas_per_pv) {
    *vg = testing::GenerateVg(BenchVgShape(pvs, areas_per_pv));
    cached_pvs = pvs;
    cached_areas = areas_per_pv;
  }
  return *vg;
}

uint64_t TotalFree(const std::vector<Source>& vg) {
  uint64_t total = 0;
  for (const Source& s : vg) {
    if (!s.allocatable) continue;
    for (const Area& a : s.areas) total += a.count;
  }
  return total;
}

uint64_t AreaCount(const std::vector<Source>& vg) {
  uint64_t n = 0;
  for (const Source& s : vg) n += s.areas.size();
  return n;
}

}  // namespace liballoc::bench
