// From an allocator Result to LV segments (spec §9): one segment per batch,
// linear/striped segments merged with their predecessor when they continue
// it on every stripe; raid and mirror images as hidden sub-LVs under one
// top-level segment.
#ifndef LIBALLOC_LVM_PLAN_APPLY_H_
#define LIBALLOC_LVM_PLAN_APPLY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "liballoc/request.h"
#include "lvm/vg_model.h"

namespace liballoc::lvm {

// What a new LV gets besides its segments.
struct NewLvStamp {
  int64_t creation_time = 0;
  std::string creation_host;
};

// A new, empty LV as lvcreate makes it: status READ, WRITE (+ VISIBLE),
// `allocation_policy` only when one was given, creation time and host. The
// id is left empty: the metadata writer derives a stable one (LvmStyleId).
LvModel NewLv(const std::string& name, bool visible,
              const std::string& allocation_policy, const NewLvStamp& stamp);

// Appends slots [first_slot, first_slot + slot_count) of `result` to `lv` as
// segments of `type` ("striped" for linear/striped; the pieces of each batch
// side by side), stripe_size in sectors (0 for one stripe), then merges
// mergeable striped segments (LVM2's lv_merge_segments).
void AppendPieces(const VgModel& vg, const Result& result, uint32_t first_slot,
                  uint32_t slot_count, const std::string& type,
                  uint64_t stripe_size, LvModel* lv);

// Merges adjacent striped segments that continue each other on every area,
// with equal stripe size and tags.
void MergeStripedSegments(LvModel* lv);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_APPLY_H_
