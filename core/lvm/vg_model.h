// A volume group as LVM2's text metadata (vgcfgbackup format) describes it.
//
// This is the lvm/ layer's model, not the core's: the core sees only sources
// and requests. Field names follow the metadata keys. Keys the model does not
// interpret are kept verbatim in `extra` (in file order) so that writing the
// model back yields metadata real LVM2 accepts.
#ifndef LIBALLOC_LVM_VG_MODEL_H_
#define LIBALLOC_LVM_VG_MODEL_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace liballoc::lvm {

// A key = value line kept verbatim: `value` is the value's source text
// (e.g. `"abc"`, `42`, `["A", "B"]`), comments dropped.
using RawField = std::pair<std::string, std::string>;

struct PvModel {
  std::string key;     // "pv0", "pv1", ... (the section name; VG order = file order)
  std::string id;
  std::string device;  // the device hint
  std::vector<std::string> status;  // e.g. {"ALLOCATABLE"}
  std::vector<std::string> flags;   // e.g. {"MISSING"}
  std::vector<std::string> tags;
  uint64_t dev_size = 0;
  uint64_t pe_start = 0;
  uint64_t pe_count = 0;
  std::vector<RawField> extra;

  bool allocatable() const;
  bool missing() const;
};

// One entry of a segment's stripes/mirrors/raids list: a PV area (`name` is a
// PV key, `start` a PE) or an LV area (`name` an LV name, `start` an LE).
struct AreaModel {
  bool is_lv = false;
  std::string name;
  uint64_t start = 0;
};

struct SegmentModel {
  uint64_t start_extent = 0;
  uint64_t extent_count = 0;
  std::string type;  // "striped", "mirror", "raid1", "raid5_ls", ...
  // The data areas: `stripes` (striped), `mirrors` (mirror), or the rimage
  // half of `raids` (raid).
  std::vector<AreaModel> areas;
  // raid with metadata: the rmeta half of `raids`, in image order.
  std::vector<AreaModel> meta_areas;
  std::string mirror_log;    // mirror: `mirror_log`, empty if none
  uint64_t stripe_size = 0;  // sectors, 0 if absent
  uint64_t region_size = 0;  // sectors, 0 if absent
  std::vector<std::string> tags;
  std::vector<RawField> extra;  // every other key (mirror_count, ...), in order
};

struct LvModel {
  std::string name;
  std::string id;
  std::vector<std::string> status;  // includes "VISIBLE" for visible LVs
  std::vector<std::string> flags;
  std::vector<std::string> tags;
  std::string allocation_policy;  // "" when absent (= inherit)
  std::vector<SegmentModel> segments;
  std::vector<RawField> extra;  // creation_time, creation_host, ...

  bool visible() const;
  uint64_t le_count() const;  // sum of segment extent_counts
};

struct VgModel {
  std::string name;
  std::string id;
  uint64_t seqno = 0;
  std::vector<std::string> status;
  std::vector<std::string> flags;
  std::vector<std::string> tags;
  uint64_t extent_size = 0;     // sectors
  std::string alloc_policy;     // "" when absent (= normal)
  std::vector<PvModel> pvs;     // file order = VG order
  std::vector<LvModel> lvs;     // file order
  std::vector<RawField> extra;  // other VG keys (format, max_lv, ...)
  std::vector<RawField> header; // top-level keys before the VG section (contents, version, ...)
};

// Field-by-field equality (extra and header included, in order).
bool operator==(const PvModel& a, const PvModel& b);
bool operator==(const AreaModel& a, const AreaModel& b);
bool operator==(const SegmentModel& a, const SegmentModel& b);
bool operator==(const LvModel& a, const LvModel& b);
bool operator==(const VgModel& a, const VgModel& b);
inline bool operator!=(const PvModel& a, const PvModel& b) { return !(a == b); }
inline bool operator!=(const AreaModel& a, const AreaModel& b) { return !(a == b); }
inline bool operator!=(const SegmentModel& a, const SegmentModel& b) { return !(a == b); }
inline bool operator!=(const LvModel& a, const LvModel& b) { return !(a == b); }
inline bool operator!=(const VgModel& a, const VgModel& b) { return !(a == b); }

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_VG_MODEL_H_
