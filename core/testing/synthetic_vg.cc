#include "synthetic_vg.h"

#include <algorithm>
#include <string>

#include "prng.h"

namespace liballoc::testing {
namespace {

uint64_t AreaWeight(AreaSizes sizes, SplitMix64& rng) {
  switch (sizes) {
    case AreaSizes::kUniform:
      return 1 + rng.Below(1024);
    case AreaSizes::kSkewed: {
      uint64_t base = uint64_t{1} << rng.Below(11);
      return base + rng.Below(base);
    }
    case AreaSizes::kEqual:
      return 1;
  }
  return 1;
}

// Splits `total` into parts proportional to `weights` (floor), returning the
// part for each weight; the rounding remainder is not handed out, so equal
// weights always give equal parts (what the equal-size runs rely on).
// __int128 keeps total * weight exact for any 64-bit pe_count.
Extent Share(Extent total, uint64_t weight, uint64_t weight_sum) {
  return static_cast<Extent>(static_cast<unsigned __int128>(total) * weight / weight_sum);
}

// Buffers reused across sources: generating 65,536 x 64 areas must not be
// dominated by allocation.
struct Scratch {
  std::vector<uint64_t> area_weights;
  std::vector<uint64_t> gap_weights;
  std::vector<Extent> sizes;
};

void GenerateAreas(const VgShape& shape, Extent pe_count, SplitMix64& rng, Scratch& scratch,
                   std::vector<Area>* areas) {
  uint64_t k = rng.Between(std::max<uint32_t>(shape.areas_min, 1),
                           std::max(shape.areas_max, std::max<uint32_t>(shape.areas_min, 1)));
  // k areas need k free PEs and k-1 separating allocated PEs.
  k = std::min<uint64_t>(k, (pe_count + 1) / 2);
  Extent allocated_wanted = Share(pe_count, std::min<uint32_t>(shape.fill_per_mille, 1000), 1000);
  Extent free_total = pe_count - std::max<Extent>(allocated_wanted, k - 1);
  if (free_total < k) free_total = k;  // fill_per_mille near 1000: keep one PE per area

  scratch.area_weights.resize(k);
  uint64_t weight_sum = 0;
  for (uint64_t i = 0; i < k; ++i) {
    uint64_t w = (i > 0 && rng.Chance(shape.equal_run_per_mille))
                     ? scratch.area_weights[i - 1]
                     : AreaWeight(shape.sizes, rng);
    scratch.area_weights[i] = w;
    weight_sum += w;
  }
  scratch.sizes.resize(k);
  Extent free_used = 0;
  for (uint64_t i = 0; i < k; ++i) {
    scratch.sizes[i] = 1 + Share(free_total - k, scratch.area_weights[i], weight_sum);
    free_used += scratch.sizes[i];
  }

  // Gaps: a leading one, k-1 inner ones (each >= 1), a trailing one; whatever
  // the proportional split leaves over goes to the trailing gap.
  Extent gap_total = pe_count - free_used;
  Extent gap_spare = gap_total - (k - 1);
  scratch.gap_weights.resize(k + 1);
  uint64_t gap_weight_sum = 0;
  for (uint64_t i = 0; i <= k; ++i) {
    scratch.gap_weights[i] = 1 + rng.Below(1024);
    gap_weight_sum += scratch.gap_weights[i];
  }
  areas->reserve(k);
  Extent pe = Share(gap_spare, scratch.gap_weights[0], gap_weight_sum);
  for (uint64_t i = 0; i < k; ++i) {
    areas->push_back(Area{pe, scratch.sizes[i]});
    pe += scratch.sizes[i];
    if (i + 1 < k) pe += 1 + Share(gap_spare, scratch.gap_weights[i + 1], gap_weight_sum);
  }
}

void GenerateTags(const VgShape& shape, SplitMix64& rng, std::vector<std::string>* tags) {
  if (shape.tag_vocabulary == 0 || !rng.Chance(shape.tagged_per_mille)) return;
  uint64_t first = rng.Below(shape.tag_vocabulary);
  tags->push_back("t" + std::to_string(first));
  if (shape.tag_vocabulary > 1 && rng.Chance(500)) {
    uint64_t second = (first + 1 + rng.Below(shape.tag_vocabulary - 1)) % shape.tag_vocabulary;
    tags->push_back("t" + std::to_string(second));
  }
}

}  // namespace

SourceHandle SyntheticHandle(const VgShape& shape, uint32_t index) {
  // Mix64 is a bijection of uint64_t, so scrambled handles stay unique.
  return shape.scramble_handles ? Mix64(index ^ 0x5bd1e995ULL) : index;
}

std::vector<Source> GenerateVg(const VgShape& shape) {
  std::vector<Source> vg(shape.source_count);
  Scratch scratch;
  for (uint32_t i = 0; i < shape.source_count; ++i) {
    // Per-source streams: source i depends on (seed, i) only.
    SplitMix64 rng(Mix64(shape.seed * 0x9e3779b97f4a7c15ULL + i));
    SplitMix64 tag_rng = rng.Fork();
    Source& source = vg[i];
    source.handle = SyntheticHandle(shape, i);
    source.pe_count =
        std::max<Extent>(1, rng.Between(shape.pe_count_min, std::max(shape.pe_count_min,
                                                                     shape.pe_count_max)));
    source.allocatable = !rng.Chance(shape.unallocatable_per_mille);
    if (!rng.Chance(shape.full_per_mille)) {
      GenerateAreas(shape, source.pe_count, rng, scratch, &source.areas);
    }
    GenerateTags(shape, tag_rng, &source.tags);
  }
  return vg;
}

}  // namespace liballoc::testing
