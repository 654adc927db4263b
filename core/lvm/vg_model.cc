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

}  // namespace liballoc::lvm
