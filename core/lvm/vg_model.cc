#include "lvm/vg_model.h"

#include <algorithm>

namespace liballoc::lvm {
namespace {

bool Contains(const std::vector<std::string>& list, const char* word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

}  // namespace

bool PvModel::allocatable() const { return Contains(status, "ALLOCATABLE"); }

// LVM2 writes MISSING into `flags` (a compatible flag); older metadata may carry
// it in `status`, which LVM2 also accepts.
bool PvModel::missing() const {
  return Contains(flags, "MISSING") || Contains(status, "MISSING");
}

bool LvModel::visible() const { return Contains(status, "VISIBLE"); }

uint64_t LvModel::le_count() const {
  uint64_t total = 0;
  for (const SegmentModel& seg : segments) total += seg.extent_count;
  return total;
}

bool operator==(const PvModel& a, const PvModel& b) {
  return a.key == b.key && a.id == b.id && a.device == b.device && a.status == b.status &&
         a.flags == b.flags && a.tags == b.tags && a.dev_size == b.dev_size &&
         a.pe_start == b.pe_start && a.pe_count == b.pe_count && a.extra == b.extra;
}

bool operator==(const AreaModel& a, const AreaModel& b) {
  return a.is_lv == b.is_lv && a.name == b.name && a.start == b.start;
}

bool operator==(const SegmentModel& a, const SegmentModel& b) {
  return a.start_extent == b.start_extent && a.extent_count == b.extent_count &&
         a.type == b.type && a.areas == b.areas && a.meta_areas == b.meta_areas &&
         a.mirror_log == b.mirror_log && a.stripe_size == b.stripe_size &&
         a.region_size == b.region_size && a.tags == b.tags && a.extra == b.extra;
}

bool operator==(const LvModel& a, const LvModel& b) {
  return a.name == b.name && a.id == b.id && a.status == b.status && a.flags == b.flags &&
         a.tags == b.tags && a.allocation_policy == b.allocation_policy &&
         a.segments == b.segments && a.extra == b.extra;
}

bool operator==(const VgModel& a, const VgModel& b) {
  return a.name == b.name && a.id == b.id && a.seqno == b.seqno && a.status == b.status &&
         a.flags == b.flags && a.tags == b.tags && a.extent_size == b.extent_size &&
         a.alloc_policy == b.alloc_policy && a.pvs == b.pvs && a.lvs == b.lvs &&
         a.extra == b.extra && a.header == b.header;
}

}  // namespace liballoc::lvm
