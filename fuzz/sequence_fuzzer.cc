// sequence: many allocations on one VG. The input is a VG and a list of
// commands (create an LV, extend a linear/striped LV, remove an LV), run on a
// persistent AreaIndex as an LVM2 command sequence would run on one VG.
//
// After every command:
//   - the index's free space equals the expected one (testing/free_space.h:
//     the VG minus what was allocated, plus what was removed, merged into
//     maximal runs as LVM2's PV segment map merges them);
//   - AreaIndex::Allocate gave exactly what AllocateReference gives on the
//     index's ToSources(), and the outcome passes the invariant checker;
//   - the ExtentLedger holds an owner for every extent that is not free: no
//     extent has two owners (double booking) and none has none (a leak).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "fuzzed_allocation.h"
#include "liballoc/allocator.h"
#include "liballoc/area_index.h"
#include "source_list_diff.h"
#include "testing/extent_ledger.h"
#include "testing/free_space.h"
#include "testing/invariant_checker.h"
#include "testing/outcome_diff.h"
#include "violation.h"

namespace {

using liballoc::Extent;
using liballoc::Piece;
using liballoc::Request;
using liballoc::Result;
using liballoc::Source;
using liballoc::fuzz::CheckOk;
using liballoc::fuzz::Violation;

constexpr char kTarget[] = "sequence";
constexpr liballoc::testing::ExtentLedger::Owner kPreexisting = 0;
// Sequences multiply the per-allocation cost; VGs stay at LVM2-typical sizes.
constexpr uint32_t kMaxSources = 256;
constexpr int kMaxCommands = 32;

// One segment of a linear/striped LV: the PV area of each stripe.
struct StripedSegment {
  Extent area_len = 0;
  std::vector<std::pair<liballoc::SourceHandle, Extent>> areas;  // (handle, pe)
};

struct Lv {
  liballoc::testing::ExtentLedger::Owner owner = 0;
  bool striped = false;  // linear/striped: extendable here
  Extent le_count = 0;
  std::vector<StripedSegment> segments;  // striped LVs only
  std::vector<Piece> pieces;             // everything the LV owns
};

// Appends the result's batches as segments, merging a segment that continues
// the previous one on every stripe (LVM2's lv_merge_segments), so the prev
// segment seen by the next extension is the one LVM2 would see.
void AppendSegments(const Result& result, Lv& lv) {
  for (uint32_t b = 0; b < result.batches.size(); ++b) {
    StripedSegment seg;
    seg.area_len = result.batches[b].area_len;
    for (const std::vector<Piece>& slot : result.slots) {
      for (const Piece& p : slot) {
        if (p.batch == b) seg.areas.emplace_back(p.handle, p.start);
      }
    }
    if (seg.areas.empty() || seg.area_len == 0) continue;
    if (!lv.segments.empty()) {
      StripedSegment& last = lv.segments.back();
      bool continues = last.areas.size() == seg.areas.size();
      for (size_t i = 0; continues && i < seg.areas.size(); ++i) {
        continues = last.areas[i].first == seg.areas[i].first &&
                    last.areas[i].second + last.area_len == seg.areas[i].second;
      }
      if (continues) {
        last.area_len += seg.area_len;
        continue;
      }
    }
    lv.segments.push_back(std::move(seg));
  }
}

std::vector<liballoc::PrevArea> SegmentAreas(
    const StripedSegment& seg,
    const absl::flat_hash_map<liballoc::SourceHandle, std::vector<std::string>>& tags) {
  std::vector<liballoc::PrevArea> out;
  for (uint32_t i = 0; i < seg.areas.size(); ++i) {
    auto [handle, pe] = seg.areas[i];
    auto it = tags.find(handle);
    out.push_back(liballoc::PrevArea{
        i, liballoc::SourceRef{handle, it == tags.end() ? std::vector<std::string>{} : it->second},
        pe, seg.area_len});
  }
  return out;
}

Extent FreeExtents(const std::vector<Source>& vg) {
  Extent total = 0;
  for (const Source& s : vg) {
    if (!s.allocatable) continue;
    for (const liballoc::Area& a : s.areas) total += a.count;
  }
  return total;
}

Request ConsumeCreate(FuzzedDataProvider& in, Extent free) {
  Request r;
  r.lv_name = "lvol";
  r.policy = static_cast<liballoc::Policy>(in.ConsumeIntegralInRange<uint8_t>(0, 4));
  switch (in.ConsumeIntegralInRange<uint8_t>(0, 7)) {
    case 0: case 1: case 2:  // linear / striped
      r.type = liballoc::SegmentType::kStriped;
      r.stripes = in.ConsumeIntegralInRange<uint32_t>(1, 4);
      break;
    case 3:
      r.type = liballoc::SegmentType::kRaid1;
      r.mirrors = in.ConsumeIntegralInRange<uint32_t>(2, 3);
      r.log_count = r.mirrors;
      break;
    case 4:
      r.type = liballoc::SegmentType::kRaid5;
      r.stripes = in.ConsumeIntegralInRange<uint32_t>(2, 3);
      r.log_count = r.stripes;
      break;
    case 5:
      r.type = liballoc::SegmentType::kMirror;
      r.mirrors = 2;
      break;
    case 6:
      r.type = liballoc::SegmentType::kThinPool;
      r.log_count = 1;
      r.metadata_extents = in.ConsumeIntegralInRange<Extent>(1, 4);
      break;
    default:
      r.type = liballoc::SegmentType::kRaid10;
      r.stripes = 2;
      r.mirrors = 2;
      r.log_count = 4;
      break;
  }
  uint32_t multiple = r.type == liballoc::SegmentType::kStriped ? r.stripes
                      : r.type == liballoc::SegmentType::kRaid5 ? r.stripes
                      : r.type == liballoc::SegmentType::kRaid10 ? 2 : 1;
  Extent units = in.ConsumeBool() ? in.ConsumeIntegralInRange<Extent>(1, 8)
                                  : in.ConsumeIntegralInRange<Extent>(1, std::max<Extent>(1, free / 2));
  r.extents = units * multiple;
  r.approx = in.ConsumeIntegralInRange<uint8_t>(0, 7) == 0;
  return r;
}

class Sequence {
 public:
  Sequence(std::vector<Source> vg, liballoc::AreaIndex index)
      : expected_free_(std::move(vg)), index_(std::move(index)) {
    for (const Source& s : expected_free_) tags_[s.handle] = s.tags;
    CheckOk(kTarget, "ledger rejected the VG's allocated space",
            ledger_.ClaimAllocatedSpace(expected_free_, kPreexisting));
  }

  void Run(FuzzedDataProvider& in) {
    for (int step = 0; step < kMaxCommands && in.remaining_bytes() > 0; ++step) {
      uint8_t command = in.ConsumeIntegralInRange<uint8_t>(0, 5);
      if (command <= 2 || lvs_.empty()) {
        Request r = ConsumeCreate(in, FreeExtents(expected_free_));
        liballoc::fuzz::ConsumeOverrides(in, r);
        Lv lv;
        lv.owner = next_owner_++;
        lv.striped = r.type == liballoc::SegmentType::kStriped && !r.prev && r.mirrors <= 1 &&
                    r.log_count == 0;
        Allocate(r, lv);
        if (lv.le_count > 0) lvs_.push_back(std::move(lv));
      } else if (command <= 4) {
        Lv& lv = lvs_[in.ConsumeIntegralInRange<size_t>(0, lvs_.size() - 1)];
        if (!lv.striped || lv.segments.empty()) continue;
        Allocate(ConsumeExtend(in, lv), lv);
      } else {
        size_t k = in.ConsumeIntegralInRange<size_t>(0, lvs_.size() - 1);
        Remove(lvs_[k]);
        lvs_.erase(lvs_.begin() + k);
      }
      CheckOk(kTarget, "the index's free space is not the expected one",
              liballoc::fuzz::CompareSources(expected_free_, index_.ToSources()));
      CheckOk(kTarget, "leaked extent (neither free nor owned)",
              ledger_.CheckAccounts(expected_free_));
    }
  }

 private:
  Request ConsumeExtend(FuzzedDataProvider& in, const Lv& lv) {
    const StripedSegment& last = lv.segments.back();
    Request r;
    r.lv_name = "lvol";
    r.type = liballoc::SegmentType::kStriped;
    r.mirrors = 0;  // extending a non-mirrored LV
    uint32_t prev_stripes = static_cast<uint32_t>(last.areas.size());
    r.stripes = in.ConsumeIntegralInRange<uint8_t>(0, 3) == 0
                    ? in.ConsumeIntegralInRange<uint32_t>(1, 4)
                    : prev_stripes;
    r.policy = static_cast<liballoc::Policy>(in.ConsumeIntegralInRange<uint8_t>(0, 4));
    r.existing_extents = lv.le_count;
    r.extents = r.stripes * in.ConsumeIntegralInRange<Extent>(1, 16);
    r.approx = in.ConsumeIntegralInRange<uint8_t>(0, 7) == 0;
    liballoc::PrevSegment prev;
    prev.area_count = prev_stripes;
    prev.stripes_per_image = 1;
    prev.le_end = lv.le_count;
    prev.last_extent = SegmentAreas(last, tags_);
    prev.first_segment = SegmentAreas(lv.segments.front(), tags_);
    r.prev = std::move(prev);
    if (in.ConsumeBool()) r.cling_tag_list = std::vector<std::string>{"@t0", "@t1"};
    r.maximise_cling = in.ConsumeIntegralInRange<uint8_t>(0, 3) != 0;
    return r;
  }

  void Allocate(const Request& r, Lv& lv) {
    Request on_vg = r;
    on_vg.sources = index_.ToSources();
    absl::StatusOr<Result> expected = liballoc::AllocateReference(on_vg);
    absl::StatusOr<Result> actual = index_.Allocate(r);
    CheckOk(kTarget, "AreaIndex::Allocate differs from AllocateReference on ToSources()",
            liballoc::testing::CompareOutcomes(expected, actual), &on_vg);
    CheckOk(kTarget, "invariant violated", liballoc::testing::CheckOutcome(on_vg, actual),
            &on_vg);
    if (!actual.ok()) return;
    CheckOk(kTarget, "double booking: an allocated extent already has an owner",
            ledger_.ClaimResult(*actual, lv.owner), &on_vg);
    CheckOk(kTarget, "allocated pieces were not free",
            liballoc::testing::TakeResult(expected_free_, *actual), &on_vg);
    for (const std::vector<Piece>& slot : actual->slots) {
      lv.pieces.insert(lv.pieces.end(), slot.begin(), slot.end());
    }
    lv.le_count += actual->allocated_extents;
    if (lv.striped) AppendSegments(*actual, lv);
  }

  void Remove(const Lv& lv) {
    for (const Piece& p : lv.pieces) {
      std::string where = absl::StrCat("removing LV owner ", lv.owner, ": piece ", p.handle, ":",
                                       p.start, "+", p.count);
      CheckOk(kTarget, "AreaIndex::Release failed", index_.Release(p.handle, p.start, p.count),
              nullptr);
      CheckOk(kTarget, where, ledger_.Release(p.handle, p.start, p.count, lv.owner));
      CheckOk(kTarget, where,
              liballoc::testing::GiveBack(expected_free_, p.handle, p.start, p.count));
    }
    if (ledger_.OwnedBy(lv.owner) != 0) {
      Violation(kTarget, "removed LV still owns extents", absl::StrCat("owner ", lv.owner));
    }
  }

  std::vector<Source> expected_free_;
  liballoc::AreaIndex index_;
  liballoc::testing::ExtentLedger ledger_;
  absl::flat_hash_map<liballoc::SourceHandle, std::vector<std::string>> tags_;
  std::vector<Lv> lvs_;
  liballoc::testing::ExtentLedger::Owner next_owner_ = 1;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<Source> vg = liballoc::fuzz::ConsumeVg(in, kMaxSources, /*generated_only=*/true);
  absl::StatusOr<liballoc::AreaIndex> index = liballoc::AreaIndex::Build(vg);
  CheckOk(kTarget, "AreaIndex::Build rejected a generated VG", index.status());
  Sequence sequence(std::move(vg), *std::move(index));
  sequence.Run(in);
  return 0;
}
