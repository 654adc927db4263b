#include "lvm/plan_apply.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace liballoc::lvm {
namespace {

bool CanMerge(const SegmentModel& a, const SegmentModel& b) {
  if (a.type != "striped" || b.type != "striped") return false;
  if (a.areas.size() != b.areas.size() || a.areas.empty()) return false;
  if (a.stripe_size != b.stripe_size || a.tags != b.tags) return false;
  const uint64_t a_len = a.extent_count / a.areas.size();
  for (size_t i = 0; i < a.areas.size(); ++i) {
    if (a.areas[i].is_lv || b.areas[i].is_lv) return false;
    if (a.areas[i].name != b.areas[i].name) return false;
    if (a.areas[i].start + a_len != b.areas[i].start) return false;
  }
  return true;
}

}  // namespace

LvModel NewLv(const std::string& name, bool visible,
              const std::string& allocation_policy, const NewLvStamp& stamp) {
  LvModel lv;
  lv.name = name;
  lv.status = {"READ", "WRITE"};
  if (visible) lv.status.push_back("VISIBLE");
  lv.allocation_policy = allocation_policy;
  if (stamp.creation_time != 0) {
    lv.extra.push_back({"creation_time", absl::StrCat(stamp.creation_time)});
    lv.extra.push_back({"creation_host", absl::StrCat("\"", stamp.creation_host, "\"")});
  }
  return lv;
}

void AppendPieces(const VgModel& vg, const Result& result, uint32_t first_slot,
                  uint32_t slot_count, const std::string& type,
                  uint64_t stripe_size, LvModel* lv) {
  if (slot_count == 0 || first_slot + slot_count > result.slots.size()) return;
  const std::vector<Piece>& lead = result.slots[first_slot];
  for (size_t k = 0; k < lead.size(); ++k) {
    SegmentModel seg;
    seg.start_extent = lv->le_count();
    seg.type = type;
    seg.stripe_size = slot_count > 1 ? stripe_size : 0;
    const Extent area_len = lead[k].count;
    seg.extent_count = type == "striped" ? area_len * slot_count : area_len;
    for (uint32_t s = first_slot; s < first_slot + slot_count; ++s) {
      const std::vector<Piece>& slot = result.slots[s];
      if (k >= slot.size()) return;  // the allocator broke its contract
      AreaModel area;
      area.is_lv = false;
      area.name = vg.pvs[slot[k].handle].key;
      area.start = slot[k].start;
      seg.areas.push_back(std::move(area));
    }
    lv->segments.push_back(std::move(seg));
  }
  MergeStripedSegments(lv);
}

void MergeStripedSegments(LvModel* lv) {
  std::vector<SegmentModel> merged;
  for (SegmentModel& seg : lv->segments) {
    if (!merged.empty() && CanMerge(merged.back(), seg)) {
      merged.back().extent_count += seg.extent_count;
      continue;
    }
    merged.push_back(std::move(seg));
  }
  lv->segments = std::move(merged);
}

}  // namespace liballoc::lvm
