// Writes a VgModel as LVM2 text metadata in vgcfgbackup's layout, which
// vgcfgrestore accepts.
#ifndef LIBALLOC_LVM_METADATA_WRITER_H_
#define LIBALLOC_LVM_METADATA_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "lvm/vg_model.h"

namespace liballoc::lvm {

// What the model does not say and the output needs. The writer is pure: it
// never reads the clock or the host name itself.
struct WriteOptions {
  // For the file header when the model has none, and for LVs that have no
  // creation_time/creation_host (new LVs). creation_time 0: LVs without one
  // are written without one (LVM2 accepts that).
  std::string creation_host = "liballoc";
  uint64_t creation_time = 0;
  std::string description = "Written by liballoc";
};

// The metadata text: the model's header entries (or a standard header from
// `options`), then the VG section with keys in the order LVM2 2.03.16 writes
// them, and the model's extra keys at LVM2's position for known keys, the
// rest after the known ones in their original order. Counts (stripe_count,
// device_count, mirror_count, segment_count) are written from the lists.
// LVs without an id get LvmStyleId(vg.id + "/" + lv.name). No comments are
// written. Segments are written in model order (the reader sorts them).
std::string WriteMetadata(const VgModel& vg, const WriteOptions& options = {});

// A deterministic LVM2-style id (32 characters of [0-9a-zA-Z!#] in groups of
// 6-4-4-4-4-4-6, dash-separated) derived from `seed` by a fixed 64-bit hash,
// so the same VG and LV name always get the same id.
std::string LvmStyleId(std::string_view seed);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_METADATA_WRITER_H_
