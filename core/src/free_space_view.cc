#include "free_space_view.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <memory>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/str_format.h"
#include "liballoc/error.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define LIBALLOC_AVX2_SCAN 1
#else
#define LIBALLOC_AVX2_SCAN 0
#endif

// Two ways to build the view, with the same result and the same errors:
//
//   - The fast pass reads each entry once, assuming the request is valid. Its
//     area check proves validity without naming what is wrong: with
//     d = start - (end of the previous area, 0 for the first) and count, all
//     taken as unsigned 64-bit, the areas of an entry are non-empty, in
//     strictly ascending PE order, disjoint and inside the source if every d
//     and count - 1 is below 2^32, the last area ends by pe_count and
//     pe_count is below 2^32. (Any area breaking an invariant makes one of
//     those words wrap or exceed 32 bits; nothing overflows when they all
//     fit, so the areas' ends rise with them and the last end bounds every
//     area.) The words are OR-ed over the whole request and tested once at
//     the end, so the pass has no per-area branch; on x86-64 CPUs with AVX2
//     it checks four areas per step (Avx2Kernel), elsewhere one
//     (ScalarKernel). In the same walk it puts each entry into the view: its
//     handle into the index, its view source, its leaf of the engine's tree
//     (ScanAndIndex), while the entry is in the cache.
//   - The exact pass checks entry by entry and names the first invariant
//     broken. It runs only when the fast pass is in doubt: a broken
//     invariant, or a valid request it cannot prove (areas of an entry out
//     of PE order, which several PE ranges given in any order produce), or a
//     handle repeated with another pe_count (an error, but an earlier entry's
//     broken area must be reported first). Everything it builds, it builds
//     from scratch.
//
// Everything after the area checks for entries that are not simply a new
// allocatable handle (repeated handles, unallocatable entries), and the
// checks after the last entry (the 32-bit total, merged sources' overlap),
// is one piece of code, ViewBuilder, shared by both passes.

namespace liballoc {
namespace {

constexpr uint64_t kMax32 = std::numeric_limits<uint32_t>::max();

absl::Status Invalid(const std::string& what) {
  return MakeAllocError(AllocError::kInvalidRequest, what);
}

// Areas must not overlap; LVM2 creates them in PE order within a range, but
// ranges may come in any order, so only a sorted copy can be checked.
absl::Status CheckDisjoint(const Area* areas, uint32_t n, SourceHandle handle) {
  bool ascending = true;
  for (uint32_t i = 1; i < n && ascending; ++i) ascending = areas[i - 1].start < areas[i].start;
  std::vector<Area> sorted;
  if (!ascending) {
    sorted.assign(areas, areas + n);
    std::sort(sorted.begin(), sorted.end(),
              [](const Area& a, const Area& b) { return a.start < b.start; });
    areas = sorted.data();
  }
  for (uint32_t i = 1; i < n; ++i) {
    if (areas[i].start < areas[i - 1].start + areas[i - 1].count) {
      return Invalid(absl::StrFormat("source %#x: free areas at PE %u and PE %u overlap", handle,
                                     areas[i - 1].start, areas[i].start));
    }
  }
  return absl::OkStatus();
}

// Entry i's own invariants (pe_count, then each area in order, then overlap),
// its free extents and largest area: the exact pass's per-entry check.
absl::Status CheckEntry(const Request& request, size_t i, uint64_t* free, Extent* largest) {
  const Source& src = request.sources[i];
  if (src.pe_count > kMax32) {
    return Invalid(absl::StrFormat("source %d: pe_count %u exceeds 2^32-1", i, src.pe_count));
  }
  const Extent pe_count = src.pe_count;
  uint64_t sum = 0;
  Extent max_count = 0;
  for (size_t j = 0; j < src.areas.size(); ++j) {
    const Area& a = src.areas[j];
    if (a.count == 0) {
      return Invalid(absl::StrFormat("source %d area %d: empty area at PE %u", i, j, a.start));
    }
    if (a.start >= pe_count || a.count > pe_count - a.start) {
      return Invalid(absl::StrFormat("source %d area %d: PEs %u-%u outside the source's %u extents",
                                     i, j, a.start, a.start + a.count - 1, pe_count));
    }
    sum += a.count;
    max_count = std::max(max_count, a.count);
  }
  if (absl::Status s =
          CheckDisjoint(src.areas.data(), static_cast<uint32_t>(src.areas.size()), src.handle);
      !s.ok()) {
    return s;
  }
  *free = sum;
  *largest = max_count;
  return absl::OkStatus();
}

// The view of a request, entry by entry, once each entry's own areas are
// known to be valid.
class ViewBuilder {
 public:
  enum class Added { kSource, kUnallocatable, kConflict };

  // `lvm2_map_walk`: find a repeated handle as LVM2's _create_maps finds a
  // PV's map, by walking the maps made so far (quadratic in sources), and
  // fill the handle table only at the end. The reference allocator builds
  // its view so: it costs what LVM2 costs, and it does not share the hashed
  // merge with the indexed allocator it is the oracle of.
  ViewBuilder(const Request& request, FreeSpaceView* view, bool lvm2_map_walk = false)
      : request_(request), view_(view), lvm2_map_walk_(lvm2_map_walk) {
    view->sources.clear();
    view->merged.clear();
    view->total_free = 0;
    view->index_of.Reset(request.sources.size());
  }

  // Adds entry i, whose areas are valid and whose largest area is `largest`.
  // kSource: its free extents count; kUnallocatable: they do not;
  // kConflict: its handle came before with *other_pe_count (an error).
  // The common case (a new allocatable handle) is inline; the rest is not.
  ABSL_ATTRIBUTE_ALWAYS_INLINE Added Add(size_t i, Extent largest, Extent* other_pe_count) {
    const Source& src = request_.sources[i];
    if (ABSL_PREDICT_FALSE(!src.allocatable)) return AddUnallocatable(i, other_pe_count);
    ViewSourceArray& sources = view_->sources;
    const uint32_t next = static_cast<uint32_t>(sources.size());
    const uint32_t m = lvm2_map_walk_ ? WalkMaps(src.handle)
                                      : view_->index_of.FindOrInsert(src.handle, next);
    if (ABSL_PREDICT_FALSE(m != next)) return Merge(i, m, largest, other_pe_count);
    sources.emplace_back(src.handle, src.areas.data(), static_cast<uint32_t>(src.areas.size()),
                         largest, &src.tags, static_cast<uint32_t>(src.pe_count));
    return Added::kSource;
  }

  absl::Status Conflict(size_t i, Extent other_pe_count) const {
    const Source& src = request_.sources[i];
    return Invalid(absl::StrFormat("source %d: handle %#x given with pe_count %u and %u", i,
                                   src.handle, other_pe_count, src.pe_count));
  }

  // After the last entry: the 32-bit total, then the merged sources' overlap.
  absl::Status Finish(uint64_t total_free) {
    view_->total_free = total_free;
    if (lvm2_map_walk_) {
      for (uint32_t m = 0; m < view_->sources.size(); ++m) {
        view_->index_of.FindOrInsert(view_->sources[m].handle, m);
      }
    }
    if (total_free > kMax32) {
      return Invalid(absl::StrFormat("%u free extents in all: LVM2 counts free space in 32 bits",
                                     total_free));
    }
    if (view_->merged.empty()) return absl::OkStatus();
    // Pointers into `merged` are taken last: the outer vector may have grown.
    for (uint32_t m = 0; m < view_->sources.size(); ++m) {
      ViewSource& v = view_->sources[m];
      if (v.merged < 0) continue;
      const std::vector<Area>& all = view_->merged[v.merged];
      v.areas = all.data();
      v.num_areas = static_cast<uint32_t>(all.size());
      if (absl::Status s = CheckDisjoint(all.data(), v.num_areas, v.handle); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  ABSL_ATTRIBUTE_NOINLINE Added AddUnallocatable(size_t i, Extent* other_pe_count) {
    // Never used, but a handle must not claim two sizes.
    const Source& src = request_.sources[i];
    if (!unallocatable_used_) {
      unallocatable_.Reset(0);
      unallocatable_used_ = true;
    }
    const uint32_t first = unallocatable_.FindOrInsert(src.handle, static_cast<uint32_t>(i));
    if (request_.sources[first].pe_count != src.pe_count) {
      *other_pe_count = request_.sources[first].pe_count;
      return Added::kConflict;
    }
    return Added::kUnallocatable;
  }

  // A repeated handle (a PV named with several PE ranges): its areas are
  // appended in entry order, as LVM2 inserts them into the same map.
  ABSL_ATTRIBUTE_NOINLINE Added Merge(size_t i, uint32_t m, Extent largest,
                                      Extent* other_pe_count) {
    const Source& src = request_.sources[i];
    ViewSource& v = view_->sources[m];
    if (v.pe_count != src.pe_count) {
      *other_pe_count = v.pe_count;
      return Added::kConflict;
    }
    if (v.merged < 0) {
      v.merged = static_cast<int32_t>(view_->merged.size());
      view_->merged.emplace_back(v.areas, v.areas + v.num_areas);
    }
    std::vector<Area>& all = view_->merged[v.merged];
    all.insert(all.end(), src.areas.begin(), src.areas.end());
    v.max_count = std::max(v.max_count, largest);
    return Added::kSource;
  }

  // The map of `handle` among those made so far, or the next index.
  ABSL_ATTRIBUTE_NOINLINE uint32_t WalkMaps(SourceHandle handle) const {
    const ViewSourceArray& sources = view_->sources;
    uint32_t m = 0;
    while (m < sources.size() && sources[m].handle != handle) ++m;
    return m;
  }

  const Request& request_;
  FreeSpaceView* view_;
  const bool lvm2_map_walk_;
  HandleTable unallocatable_;  // handle -> first entry index
  bool unallocatable_used_ = false;
};

uint64_t SumCounts(const Source& src) {
  uint64_t sum = 0;
  for (const Area& a : src.areas) sum += a.count;
  return sum;
}

absl::Status BuildViewExact(const Request& request, FreeSpaceView* view,
                            bool lvm2_map_walk = false) {
  ViewBuilder builder(request, view, lvm2_map_walk);
  view->sources.reserve(request.sources.size());
  uint64_t total_free = 0;
  for (size_t i = 0; i < request.sources.size(); ++i) {
    uint64_t free = 0;
    Extent largest = 0;
    if (absl::Status s = CheckEntry(request, i, &free, &largest); !s.ok()) return s;
    Extent other = 0;
    switch (builder.Add(i, largest, &other)) {
      case ViewBuilder::Added::kSource: total_free += free; break;
      case ViewBuilder::Added::kUnallocatable: break;
      case ViewBuilder::Added::kConflict: return builder.Conflict(i, other);
    }
  }
  return builder.Finish(total_free);
}

// ---- The fast pass (see the top of the file).

// The end of an entry's last area (0 if none) and its largest area, after
// `k` of its areas were scanned; the remaining ones one at a time.
inline Extent ScanTail(const Area* a, uint32_t k, uint32_t n, Extent prev_end, Extent largest,
                       uint64_t* doubt, uint64_t* free, Extent* end) {
  uint64_t d = 0, sum = 0;
  for (; k < n; ++k) {
    const Extent start = a[k].start, count = a[k].count;
    d |= (start - prev_end) | (count - 1);
    prev_end = start + count;
    sum += count;
    largest = count > largest ? count : largest;
  }
  *doubt |= d;
  *free += sum;
  *end = prev_end;
  return largest;
}

// After an entry: its largest area has no count reaching 2^32 (high half
// zero), its last area ends by pe_count, and pe_count fits 32 bits.
inline uint64_t EntryDoubt(const Source& src, Extent largest, Extent end) {
  return largest | (src.pe_count - end) | src.pe_count;
}

// The kernels: Start, then Entry per entry (its largest area; *end the end
// of its last area), then Finish: whether every entry passed, and the sum of
// every entry's areas (allocatable or not).
struct ScalarKernel {
  struct Acc {
    uint64_t doubt;
    uint64_t free;
  };
  static void Start(Acc* acc) { *acc = Acc{0, 0}; }
  static Extent Entry(const Source& src, Acc* acc) {
    Extent end;
    const Extent largest = ScanTail(src.areas.data(), 0, static_cast<uint32_t>(src.areas.size()),
                                    0, 0, &acc->doubt, &acc->free, &end);
    acc->doubt |= EntryDoubt(src, largest, end);
    return largest;
  }
  static bool Finish(Acc* acc, uint64_t* free) {
    *free = acc->free;
    return (acc->doubt >> 32) == 0;
  }
};

#if LIBALLOC_AVX2_SCAN

// Four areas per step. Two loads of two areas each, unpacked into starts
// S = [s0 s2 s1 s3] and counts C = [c0 c2 c1 c3]; ends E = S + C. Each
// start's predecessor end [e-1 e1 e0 e2] is E permuted to [e3 e1 e0 e2] with
// lane 0 taken from the previous step's permutation (whose lane 0 is that
// step's e3; 0 before the first step). Counts are checked through their two
// 32-bit halves: the low halves' minimum must be nonzero (no empty area) and
// the high halves' maximum zero (it ends up in the high half of the
// entry's largest area, which EntryDoubt checks), so vpminud/vpmaxud do it.
// A tail of fewer than four areas goes through ScanTail.
struct Avx2Kernel {
  struct Acc {
    __m256i diff;       // start differences: every one below 2^32
    __m256i count_min;  // every count's low half nonzero
    __m256i sum;
    uint64_t doubt;
    uint64_t free;
  };
  __attribute__((target("avx2"))) static void Start(Acc* acc) {
    acc->diff = _mm256_setzero_si256();
    acc->count_min = _mm256_set1_epi32(-1);
    acc->sum = _mm256_setzero_si256();
    acc->doubt = 0;
    acc->free = 0;
  }
  __attribute__((target("avx2"))) static Extent Entry(const Source& src, Acc* acc) {
    const Area* const a = src.areas.data();
    const uint32_t count = static_cast<uint32_t>(src.areas.size());
    const uint32_t k = count & ~3u;  // areas the vector steps take
    Extent end = 0, largest = 0;
    if (k != 0) {
      // The entry's own accumulators, merged into the call's after its
      // steps: kept in registers (the call's may be spilled around calls in
      // the caller's loop).
      __m256i diff = _mm256_setzero_si256(), count_min = _mm256_set1_epi32(-1);
      __m256i sum = _mm256_setzero_si256(), max = _mm256_setzero_si256();
      __m256i prev = _mm256_setzero_si256();
      for (const Area *p = a, *stop = a + k; p != stop; p += 4) {
        const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 2));
        const __m256i starts = _mm256_unpacklo_epi64(x, y);
        const __m256i counts = _mm256_unpackhi_epi64(x, y);
        const __m256i ends =
            _mm256_permute4x64_epi64(_mm256_add_epi64(starts, counts), _MM_SHUFFLE(1, 0, 2, 3));
        diff = _mm256_or_si256(diff, _mm256_sub_epi64(starts, _mm256_blend_epi32(ends, prev, 0x03)));
        count_min = _mm256_min_epu32(count_min, counts);
        max = _mm256_max_epu32(max, counts);
        sum = _mm256_add_epi64(sum, counts);
        prev = ends;
      }
      acc->diff = _mm256_or_si256(acc->diff, diff);
      acc->count_min = _mm256_min_epu32(acc->count_min, count_min);
      acc->sum = _mm256_add_epi64(acc->sum, sum);
      end = static_cast<Extent>(_mm_cvtsi128_si64(_mm256_castsi256_si128(prev)));
      __m128i m = _mm_max_epu32(_mm256_castsi256_si128(max), _mm256_extracti128_si256(max, 1));
      m = _mm_max_epu32(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(1, 0, 3, 2)));
      largest = static_cast<Extent>(_mm_cvtsi128_si64(m));
    }
    if (k != count) largest = ScanTail(a, k, count, end, largest, &acc->doubt, &acc->free, &end);
    acc->doubt |= EntryDoubt(src, largest, end);
    return largest;
  }

  __attribute__((target("avx2"))) static bool Finish(Acc* acc, uint64_t* free) {
    const __m256i high = _mm256_srli_epi64(acc->diff, 32);
    if (!_mm256_testz_si256(high, high)) acc->doubt |= uint64_t{1} << 32;
    const __m256i empty = _mm256_cmpeq_epi32(acc->count_min, _mm256_setzero_si256());
    if (_mm256_movemask_ps(_mm256_castsi256_ps(empty)) & 0x55) acc->doubt |= uint64_t{1} << 32;
    __m128i s = _mm_add_epi64(_mm256_castsi256_si128(acc->sum), _mm256_extracti128_si256(acc->sum, 1));
    s = _mm_add_epi64(s, _mm_unpackhi_epi64(s, s));
    *free = acc->free + static_cast<uint64_t>(_mm_cvtsi128_si64(s));
    return (acc->doubt >> 32) == 0;
  }
};

#endif  // LIBALLOC_AVX2_SCAN

struct ScanResult {
  bool valid;      // every entry passed the fast area check
  uint64_t free;   // the sum of every entry's areas, allocatable or not
  size_t indexed;  // entries [0, indexed) are in the view
};

// The fast pass's walk over the entries: every entry's areas through the
// kernel and, while the entries are allocatable with handles not seen
// before (a request naming each PV once: all of it), the entry into the
// view (index and source) at once, while it is in the cache. Nothing in that
// loop calls out, so its state stays in registers. From the first other
// entry on, entries are only scanned, their largest areas appended to
// `rest` for ViewBuilder::Add.
template <class K>
ScanResult ScanAndIndex(const Request& request, FreeSpaceView* view, int64_t* leaves,
                        std::vector<Extent>* rest) {
  typename K::Acc acc;
  K::Start(&acc);
  const Source* const begin = request.sources.data();
  const Source* const end = begin + request.sources.size();
  const Source* src = begin;
  ViewSource* const first = view->sources.Spare(request.sources.size());
  ViewSource* out = first;
  Extent largest = 0;
  {
    HandleTable::Inserter table(&view->index_of);
    for (; src != end; ++src) {
      largest = K::Entry(*src, &acc);
      const uint32_t m = table.size();  // the view index this entry gets
      if (!src->allocatable || !table.InsertNew(src->handle)) break;
      // (A pe_count beyond 32 bits is cut here, but makes the request
      // invalid: the exact pass then builds the view.)
      const uint32_t num_areas = static_cast<uint32_t>(src->areas.size());
      if (leaves) leaves[m] = num_areas ? static_cast<int64_t>(largest) : int64_t{-1};
      ::new (static_cast<void*>(out++)) ViewSource(src->handle, src->areas.data(), num_areas,
                                                   largest, &src->tags,
                                                   static_cast<uint32_t>(src->pe_count));
    }
  }
  view->sources.Extend(static_cast<size_t>(out - first));
  ScanResult result;
  result.indexed = static_cast<size_t>(src - begin);
  if (src != end) {
    rest->push_back(largest);
    for (++src; src != end; ++src) rest->push_back(K::Entry(*src, &acc));
  }
  result.valid = K::Finish(&acc, &result.free);
  return result;
}

#if LIBALLOC_AVX2_SCAN
// flatten: the template and the kernel's AVX2 code become one function.
__attribute__((target("avx2"), flatten)) ScanResult ScanAndIndexAvx2(const Request& request,
                                                                     FreeSpaceView* view,
                                                                     int64_t* leaves,
                                                                     std::vector<Extent>* rest) {
  return ScanAndIndex<Avx2Kernel>(request, view, leaves, rest);
}

bool CpuHasAvx2() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}
#endif

// The tree over a built view's sources.
void BuildTree(const FreeSpaceView& view, MaxTree* tree) {
  tree->AssignWith(static_cast<uint32_t>(view.sources.size()), [&view](uint32_t m) {
    const ViewSource& v = view.sources[m];
    return v.num_areas ? static_cast<int64_t>(v.max_count) : int64_t{-1};
  });
}

// Returns true with the view (and tree) built, or false if the exact pass
// must decide.
bool BuildViewFast(const Request& request, FreeSpaceView* view, MaxTree* tree, bool avx2) {
  ViewBuilder builder(request, view);
  int64_t* const leaves =
      tree ? tree->PrepareLeaves(static_cast<uint32_t>(request.sources.size())) : nullptr;
  std::vector<Extent> rest;
#if LIBALLOC_AVX2_SCAN
  const ScanResult scan = avx2 ? ScanAndIndexAvx2(request, view, leaves, &rest)
                               : ScanAndIndex<ScalarKernel>(request, view, leaves, &rest);
#else
  (void)avx2;
  const ScanResult scan = ScanAndIndex<ScalarKernel>(request, view, leaves, &rest);
#endif
  if (!scan.valid) return false;
  uint64_t unallocatable_free = 0;
  for (size_t i = scan.indexed; i < request.sources.size(); ++i) {
    Extent other;
    switch (builder.Add(i, rest[i - scan.indexed], &other)) {
      case ViewBuilder::Added::kSource: break;
      case ViewBuilder::Added::kUnallocatable:
        unallocatable_free += SumCounts(request.sources[i]);
        break;
      case ViewBuilder::Added::kConflict: return false;
    }
  }
  // With every entry valid, what is left to check comes in the same order
  // as in the exact pass.
  if (!builder.Finish(scan.free - unallocatable_free).ok()) return false;
  if (tree) {
    // The leaves are the view's when every entry went in directly;
    // otherwise (merged or skipped entries) they are taken from the view.
    if (scan.indexed == request.sources.size()) {
      tree->BuildFromLeaves(static_cast<uint32_t>(view->sources.size()));
    } else {
      BuildTree(*view, tree);
    }
  }
  return true;
}

absl::Status BuildViewExactWithTree(const Request& request, FreeSpaceView* view, MaxTree* tree) {
  if (absl::Status s = BuildViewExact(request, view); !s.ok()) return s;
  if (tree) BuildTree(*view, tree);
  return absl::OkStatus();
}

}  // namespace

bool Avx2ViewScanAvailable() {
#if LIBALLOC_AVX2_SCAN
  return CpuHasAvx2();
#else
  return false;
#endif
}

absl::Status BuildView(const Request& request, FreeSpaceView* view, MaxTree* tree) {
  if (BuildViewFast(request, view, tree, Avx2ViewScanAvailable())) return absl::OkStatus();
  return BuildViewExactWithTree(request, view, tree);
}

absl::Status BuildViewWith(const Request& request, FreeSpaceView* view, ViewScan scan,
                           MaxTree* tree) {
  bool avx2 = false;
  switch (scan) {
    case ViewScan::kAuto: return BuildView(request, view, tree);
    case ViewScan::kScalar: break;
    case ViewScan::kAvx2:
      if (!Avx2ViewScanAvailable()) {
        return absl::FailedPreconditionError("this CPU has no AVX2 (or this build no AVX2 scan)");
      }
      avx2 = true;
      break;
    case ViewScan::kExactOnly: return BuildViewExactWithTree(request, view, tree);
    case ViewScan::kLvm2MapWalk:
      if (absl::Status s = BuildViewExact(request, view, /*lvm2_map_walk=*/true); !s.ok()) return s;
      if (tree) BuildTree(*view, tree);
      return absl::OkStatus();
  }
  if (BuildViewFast(request, view, tree, avx2)) return absl::OkStatus();
  return BuildViewExactWithTree(request, view, tree);
}

}  // namespace liballoc
