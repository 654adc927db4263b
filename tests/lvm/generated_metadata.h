// Large, valid metadata for timing and cross-checks: a VG of `pv_count` PVs
// in which every PV holds `areas_per_pv` allocated areas (linear LVs of 8
// segments each, spread round-robin over the PVs), written by WriteMetadata.
// 4,096 PVs x 16 areas is the shape of the LVM2 issue that measured
// dm_config's quadratic time (thousands of sibling PV and LV sections).
#ifndef LIBALLOC_TESTS_LVM_GENERATED_METADATA_H_
#define LIBALLOC_TESTS_LVM_GENERATED_METADATA_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "lvm/metadata_writer.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm::testing {

inline std::string GenerateLargeMetadata(int pv_count, int areas_per_pv) {
  constexpr int kSegmentsPerLv = 8;
  constexpr uint64_t kAreaLen = 10;
  VgModel vg;
  vg.name = "vgbig";
  vg.id = "abcdef-ghij-klmn-opqr-stuv-wxyz-012345";
  vg.seqno = 1;
  vg.status = {"RESIZEABLE", "READ", "WRITE"};
  vg.extent_size = 8192;
  vg.extra = {{"format", "\"lvm2\""}, {"max_lv", "0"}, {"max_pv", "0"},
              {"metadata_copies", "0"}};
  for (int p = 0; p < pv_count; ++p) {
    PvModel pv;
    pv.key = absl::StrCat("pv", p);
    pv.id = LvmStyleId(pv.key);
    pv.device = absl::StrCat("/dev/mapper/disk", p);
    pv.status = {"ALLOCATABLE"};
    pv.pe_start = 2048;
    pv.pe_count = kAreaLen * 2 * static_cast<uint64_t>(areas_per_pv) + 100;
    pv.dev_size = pv.pe_count * vg.extent_size + 4096;
    vg.pvs.push_back(pv);
  }
  // Area k of PV p starts at PE 2*k*kAreaLen: used and free runs alternate.
  const int total_areas = pv_count * areas_per_pv;
  for (int first = 0; first < total_areas; first += kSegmentsPerLv) {
    LvModel lv;
    lv.name = absl::StrCat("lv", first / kSegmentsPerLv);
    lv.status = {"READ", "WRITE", "VISIBLE"};
    lv.extra = {{"creation_time", "1700000000"}, {"creation_host", "\"gen\""}};
    for (int i = first; i < first + kSegmentsPerLv && i < total_areas; ++i) {
      SegmentModel seg;
      seg.start_extent = static_cast<uint64_t>(i - first) * kAreaLen;
      seg.extent_count = kAreaLen;
      seg.type = "striped";
      const int pv = i % pv_count;
      const uint64_t k = static_cast<uint64_t>(i / pv_count);
      seg.areas.push_back({false, vg.pvs[pv].key, 2 * k * kAreaLen});
      lv.segments.push_back(seg);
    }
    vg.lvs.push_back(lv);
  }
  WriteOptions options;
  options.creation_time = 1700000000;
  return WriteMetadata(vg, options);
}

}  // namespace liballoc::lvm::testing

#endif  // LIBALLOC_TESTS_LVM_GENERATED_METADATA_H_
