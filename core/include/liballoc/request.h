// liballoc's C++ model: what one allocation call sees and what it returns.
//
// The allocator knows sources (an opaque handle, free areas, tags), never PVs,
// VGs or LVs. Everything LVM2's tools decide before calling the allocator
// (size rounding, PV-list parsing, policy inheritance) is the caller's job; the
// lvm/ layer of this project does it for lvalloc and the conformance tests.
//
// Invariants a valid Request satisfies (ValidateRequest checks them and names
// the first one broken):
//   - every area lies inside [0, pe_count) of its source and has count > 0;
//   - areas of one source do not overlap, also across repeated entries of the
//     same handle (a PV named twice with different PE ranges);
//   - extents + existing_extents fits in 32 bits (LVM2's le_count is uint32_t).
#ifndef LIBALLOC_REQUEST_H_
#define LIBALLOC_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liballoc {

using Extent = uint64_t;
using SourceHandle = uint64_t;

// LVM2's policies, in escalation order (the numeric order matters: the policy
// ladder walks from kContiguous up to the requested one). `inherit` is resolved
// by the caller.
enum class Policy : uint8_t {
  kContiguous = 0,
  kCling = 1,
  kClingByTags = 2,
  kNormal = 3,
  kAnywhere = 4,
};

// LVM2's name for a policy ("contiguous", "cling", "cling_by_tags",
// "normal", "anywhere").
std::string_view PolicyName(Policy policy);

// The segment types whose allocation differs (spec table §1.3). raid5/raid6
// layouts (la, ls, zr, ...) allocate alike; the caller keeps the exact name.
enum class SegmentType : uint8_t {
  kStriped,  // linear and striped
  kMirror,   // old-style dm-mirror legs, and its log (stripes = mirrors = 0)
  kRaid0,
  kRaid0Meta,
  kRaid1,
  kRaid10,
  kRaid4,
  kRaid5,
  kRaid6,
  kThinPool,
  kCachePool,
};

// A run of free extents [start, start + count) on a source.
struct Area {
  Extent start = 0;
  Extent count = 0;
};

// One entry of the allocatable list. Entry order is LVM2's PV-list order, the
// allocator's universal tie-break. Several entries may share a handle (a PV
// named with several PE ranges): they become one source whose areas are
// inserted in entry order, at the position of the first entry.
struct Source {
  SourceHandle handle = 0;
  Extent pe_count = 0;
  // Free areas in creation order: ascending PE within each PE range, ranges
  // in the order given. Touching areas are kept apart (LVM2 never merges them).
  std::vector<Area> areas;
  std::vector<std::string> tags;
  bool allocatable = true;
};

// A source named only for identity and tag matching (a PV of the LV being
// extended, or of parallel areas, that may not be in the allocatable list).
struct SourceRef {
  SourceHandle handle = 0;
  std::vector<std::string> tags;
};

// One PV area visited by LVM2's traversal of the LV being extended
// (spec §8.1), flattened: the caller walks its segment tree and lists the PV
// areas in visit order, each with the slot index the traversal assigns.
struct PrevArea {
  uint32_t slot = 0;
  SourceRef source;
  Extent pe = 0;
  Extent len = 0;  // the whole area_len of that segment, not just the visited part
};

// The last segment of the LV being extended (LVM2's prev_seg).
struct PrevSegment {
  uint32_t area_count = 0;         // prev_seg.area_count (data + parity images)
  uint32_t stripes_per_image = 1;  // spec §4 stripes_per_image(prev_seg)
  Extent le_end = 0;               // prev_seg.le + prev_seg.len
  // visit(lv, le_end - 1, 1): used by contiguity, and by cling without maximise_cling.
  std::vector<PrevArea> last_extent;
  // visit(lv, 0, le_end): the segment holding LE 0; cling with maximise_cling.
  std::vector<PrevArea> first_segment;
};

// A logical-extent range of an existing LV whose sources new images must avoid
// (LVM2's parallel_areas).
struct ParallelArea {
  Extent le = 0;
  Extent len = 0;
  std::vector<SourceRef> sources;
};

struct Request {
  std::vector<Source> sources;
  SegmentType type = SegmentType::kStriped;
  uint32_t stripes = 1;  // data stripes
  uint32_t mirrors = 1;  // data copies (0 when extending non-mirrored LVs)
  uint32_t log_count = 0;
  uint32_t region_size = 0;  // sectors; 0 means LVM2's default 2 MiB
  uint32_t extent_size = 8192;  // sectors
  // thin-pool / cache-pool metadata length (LVM2 passes it in region_size).
  Extent metadata_extents = 0;
  Extent extents = 0;           // new logical extents wanted (upper bound if approx)
  Extent existing_extents = 0;  // le_count of the LV being extended
  bool approx = false;
  Policy policy = Policy::kNormal;
  std::optional<PrevSegment> prev;
  std::vector<ParallelArea> parallel_areas;
  // allocation/cling_tag_list: absent disables cling_by_tags; entries are
  // taken verbatim (invalid ones are ignored as LVM2 does).
  std::optional<std::vector<std::string>> cling_tag_list;
  bool maximise_cling = true;
  // allocation/mirror_logs_require_separate_pvs (or the thin/cache pool twin).
  bool logs_require_separate_pvs = false;
  std::string lv_name;  // only for error messages
};

// One piece of one slot: `count` extents from `start` on the source.
struct Piece {
  SourceHandle handle = 0;
  Extent start = 0;
  Extent count = 0;
  uint32_t batch = 0;  // index into Result::batches
};

// Where a batch was found, for `--explain`.
struct Batch {
  Policy pass = Policy::kNormal;
  uint32_t round = 0;         // round number within the pass, from 0
  bool cling_preferred = false;  // round ran with a cling/contiguity preference
  Extent area_len = 0;
};

struct Result {
  uint32_t area_count = 0;    // data areas
  uint32_t parity_count = 0;  // parity areas, after the data areas
  uint32_t log_area_count = 0;       // log slots follow data + parity
  uint32_t metadata_area_count = 0;  // split-metadata slots follow data + parity
  Extent log_len = 0;
  uint32_t area_multiple = 1;
  // Slots: data, parity, then log or metadata slots; pieces in batch order.
  std::vector<std::vector<Piece>> slots;
  std::vector<Batch> batches;
  Extent allocated_extents = 0;  // new logical extents placed by this call
  bool reduced = false;          // approx allocation took less than asked
};

}  // namespace liballoc

#endif  // LIBALLOC_REQUEST_H_
