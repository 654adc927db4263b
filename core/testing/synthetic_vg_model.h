// A synthetic VG as the lvm/ layer's VgModel, so it can be written as LVM2
// text metadata (vgcfgbackup format) and read back by lvalloc or real LVM2.
//
// PV i becomes "pv<i>" (VG order = source order) with the source's tags and
// allocatable flag. Everything a source does not list as free is owned by one
// linear LV per source, "used<i>", with one segment per allocated run, so
// LVM2 derives exactly the source's free areas from the metadata. (Free areas
// must therefore be separated by allocated PEs, which GenerateVg guarantees;
// touching areas would merge into one free run.)
//
// Keys LVM2 requires but the model keeps verbatim (format, max_lv, ...,
// creation_time) are filled in `extra`/`header` with fixed values, so the
// output is deterministic. A striped segment's `stripe_count` is left to the
// writer (it is areas.size()). ToMetadataText writes the model with the lvm/
// layer's WriteMetadata (vgcfgbackup layout, what vgcfgrestore and lvalloc
// --metadata read).
#ifndef LIBALLOC_TESTING_SYNTHETIC_VG_MODEL_H_
#define LIBALLOC_TESTING_SYNTHETIC_VG_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "liballoc/request.h"
#include "lvm/vg_model.h"

namespace liballoc::testing {

struct VgModelOptions {
  std::string vg_name = "vg";
  uint64_t extent_size = 8192;  // sectors (4 MiB, LVM2's default)
  uint64_t pe_start = 2048;     // sectors
};

lvm::VgModel ToVgModel(const std::vector<Source>& vg, const VgModelOptions& options);

std::string ToMetadataText(const std::vector<Source>& vg, const VgModelOptions& options);

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_SYNTHETIC_VG_MODEL_H_
