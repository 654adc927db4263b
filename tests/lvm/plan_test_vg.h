// Hand-built VGs for the planner's unit tests.
#ifndef LIBALLOC_TESTS_LVM_PLAN_TEST_VG_H_
#define LIBALLOC_TESTS_LVM_PLAN_TEST_VG_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm::testing_vg {

// A VG "vg0" of 1 MiB extents with `pe_counts.size()` allocatable PVs
// pv0, pv1, ... on /dev/sdb, /dev/sdc, ...
inline VgModel MakeVg(const std::vector<uint64_t>& pe_counts) {
  VgModel vg;
  vg.name = "vg0";
  vg.id = "abcdef-0000-0000-0000-0000-0000-abcdef";
  vg.seqno = 1;
  vg.status = {"RESIZEABLE", "READ", "WRITE"};
  vg.extent_size = 2048;
  for (size_t i = 0; i < pe_counts.size(); ++i) {
    PvModel pv;
    pv.key = absl::StrCat("pv", i);
    pv.id = absl::StrCat("pvid", i);
    pv.device = "/dev/sd" + std::string(1, static_cast<char>('b' + i));
    pv.status = {"ALLOCATABLE"};
    pv.pe_start = 2048;
    pv.pe_count = pe_counts[i];
    pv.dev_size = pv.pe_count * 2048 + 4096;
    vg.pvs.push_back(std::move(pv));
  }
  return vg;
}

struct Run {
  std::string pv;  // PV key
  uint64_t pe = 0;
};

// Appends a linear segment of `len` extents at `run` to LV `name` (created,
// visible, when missing).
inline void AddLinear(VgModel& vg, const std::string& name, Run run, uint64_t len) {
  LvModel* lv = nullptr;
  for (LvModel& l : vg.lvs) {
    if (l.name == name) lv = &l;
  }
  if (lv == nullptr) {
    vg.lvs.push_back(LvModel{});
    lv = &vg.lvs.back();
    lv->name = name;
    lv->id = absl::StrCat("lvid-", name);
    lv->status = {"READ", "WRITE", "VISIBLE"};
  }
  SegmentModel seg;
  seg.start_extent = lv->le_count();
  seg.extent_count = len;
  seg.type = "striped";
  seg.areas.push_back(AreaModel{false, run.pv, run.pe});
  lv->segments.push_back(std::move(seg));
}

}  // namespace liballoc::lvm::testing_vg

#endif  // LIBALLOC_TESTS_LVM_PLAN_TEST_VG_H_
