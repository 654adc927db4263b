// Stateful property: a sequence of lvcreate / lvextend / lvremove on one VG.
// Every allocation is checked (CheckResult), compared with the reference
// allocator and with the persistent AreaIndex (which must also track the
// free space exactly as free_space.h does), and its pieces claimed in an
// ExtentLedger under the LV's id; removals give the extents back. After every
// step each PE of the VG must be exactly one of free or owned (no double
// booking, no leak).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "extent_ledger.h"
#include "free_space.h"
#include "invariant_checker.h"
#include "liballoc/allocator.h"
#include "liballoc/area_index.h"
#include "outcome_diff.h"
#include "rc_generators.h"

namespace liballoc::testing {
namespace {

// A linear/striped LV as LVM2 keeps it: segments after merging (spec §9.1).
struct StripedLv {
  struct Segment {
    Extent area_len = 0;
    std::vector<std::pair<SourceHandle, Extent>> areas;  // per stripe
  };
  std::vector<Segment> segments;
  Extent le_count() const {
    Extent n = 0;
    for (const Segment& s : segments) n += s.area_len * s.areas.size();
    return n;
  }
};

void AppendBatches(const Result& res, StripedLv& lv) {
  for (uint32_t b = 0; b < res.batches.size(); ++b) {
    StripedLv::Segment seg;
    seg.area_len = res.batches[b].area_len;
    for (uint32_t s = 0; s < res.area_count; ++s) {
      for (const Piece& p : res.slots[s]) {
        if (p.batch == b) seg.areas.emplace_back(p.handle, p.start);
      }
    }
    bool merged = false;
    if (!lv.segments.empty()) {
      StripedLv::Segment& last = lv.segments.back();
      merged = last.areas.size() == seg.areas.size();
      for (size_t i = 0; merged && i < seg.areas.size(); ++i) {
        merged = last.areas[i].first == seg.areas[i].first &&
                 last.areas[i].second + last.area_len == seg.areas[i].second;
      }
      if (merged) last.area_len += seg.area_len;
    }
    if (!merged) lv.segments.push_back(seg);
  }
}

std::vector<PrevArea> AreasOf(const StripedLv::Segment& seg,
                              const std::map<SourceHandle, std::vector<std::string>>& tags) {
  std::vector<PrevArea> out;
  for (uint32_t i = 0; i < seg.areas.size(); ++i) {
    SourceHandle h = seg.areas[i].first;
    out.push_back(PrevArea{i, SourceRef{h, tags.at(h)}, seg.areas[i].second, seg.area_len});
  }
  return out;
}

RC_GTEST_PROP(SequenceProperty, CreateExtendRemoveKeepsEveryExtentAccountedFor, ()) {
  const VgShape shape = *GenVgShape(8, 200);
  std::vector<Source> vg = GenerateVg(shape);
  std::map<SourceHandle, std::vector<std::string>> tags;
  for (const Source& s : vg) tags[s.handle] = s.tags;
  ExtentLedger ledger;
  constexpr ExtentLedger::Owner kPreexisting = 0;
  RC_ASSERT(ledger.ClaimAllocatedSpace(vg, kPreexisting).ok());
  std::map<ExtentLedger::Owner, StripedLv> lvs;
  absl::StatusOr<AreaIndex> index = AreaIndex::Build(vg);
  RC_ASSERT(index.ok());
  ExtentLedger::Owner next_id = 1;

  const int steps = *rc::gen::inRange(1, 25);
  for (int step = 0; step < steps; ++step) {
    const int op = *rc::gen::inRange(0, 3);  // 0 create, 1 extend, 2 remove
    if (op == 2 || (op == 1 && lvs.empty())) {
      if (lvs.empty()) continue;
      auto it = lvs.begin();
      std::advance(it, *rc::gen::inRange<size_t>(0, lvs.size()));
      // lvremove: the LV's segments become free again (merged with free
      // neighbours), and the ledger forgets the owner.
      for (const StripedLv::Segment& seg : it->second.segments) {
        for (const auto& [handle, pe] : seg.areas) {
          RC_ASSERT(GiveBack(vg, handle, pe, seg.area_len).ok());
          RC_ASSERT(index->Release(handle, pe, seg.area_len).ok());
        }
      }
      ledger.ReleaseAll(it->first);
      lvs.erase(it);
    } else {
      Request r;
      r.sources = vg;
      r.policy = *rc::gen::element(Policy::kContiguous, Policy::kCling, Policy::kNormal,
                                   Policy::kNormal, Policy::kAnywhere);
      r.maximise_cling = *rc::gen::arbitrary<bool>();
      if (*rc::gen::arbitrary<bool>()) r.cling_tag_list = std::vector<std::string>{"@*"};
      r.approx = *rc::gen::inRange(0, 5) == 0;
      ExtentLedger::Owner id = next_id;
      if (op == 1) {
        auto it = lvs.begin();
        std::advance(it, *rc::gen::inRange<size_t>(0, lvs.size()));
        id = it->first;
        const StripedLv& lv = it->second;
        PrevSegment prev;
        prev.area_count = lv.segments.back().areas.size();
        prev.le_end = lv.le_count();
        prev.last_extent = AreasOf(lv.segments.back(), tags);
        prev.first_segment = AreasOf(lv.segments.front(), tags);
        r.prev = prev;
        r.existing_extents = prev.le_end;
        r.mirrors = 0;
        r.stripes = *rc::gen::inRange(0, 4) == 0 ? *rc::gen::inRange(1, 4) : prev.area_count;
      } else {
        r.stripes = *rc::gen::inRange(1, 4);
      }
      r.extents = r.stripes * *rc::gen::inRange<Extent>(1, 60);
      r.lv_name = "lvol" + std::to_string(id);
      absl::StatusOr<Result> out = Allocate(r);
      absl::StatusOr<Result> reference = AllocateReference(r);
      Request without_sources = r;
      without_sources.sources.clear();
      absl::StatusOr<Result> persistent = index->Allocate(without_sources);
      absl::Status same = CompareOutcomes(reference, out);
      if (same.ok()) same = CompareOutcomes(reference, persistent);
      absl::Status valid = CheckOutcome(r, out);
      if (!same.ok() || !valid.ok()) {
        RC_LOG() << "step " << step << " request: " << DescribeRequest(r)
                 << "\noutcome: " << DescribeOutcome(out)
                 << "\nreference: " << DescribeOutcome(reference)
                 << "\nAreaIndex: " << DescribeOutcome(persistent) << "\n";
      }
      if (!same.ok()) RC_FAIL(std::string(same.message()));
      if (!valid.ok()) RC_FAIL(std::string(valid.message()));
      if (!out.ok()) continue;
      absl::Status claimed = ledger.ClaimResult(*out, id);
      if (!claimed.ok()) RC_FAIL(std::string(claimed.message()));
      RC_ASSERT(TakeResult(vg, *out).ok());
      if (out->batches.empty()) continue;
      if (op == 0) ++next_id;
      AppendBatches(*out, lvs[id]);
    }
    // The index's free space is the VG's.
    std::vector<Source> indexed = index->ToSources();
    RC_ASSERT(indexed.size() == vg.size());
    for (size_t i = 0; i < vg.size(); ++i) {
      RC_ASSERT(indexed[i].handle == vg[i].handle);
      RC_ASSERT(indexed[i].areas.size() == vg[i].areas.size());
      for (size_t j = 0; j < vg[i].areas.size(); ++j) {
        RC_ASSERT(indexed[i].areas[j].start == vg[i].areas[j].start);
        RC_ASSERT(indexed[i].areas[j].count == vg[i].areas[j].count);
      }
    }
    absl::Status accounts = ledger.CheckAccounts(vg);
    if (!accounts.ok()) RC_FAIL(std::string(accounts.message()));
  }
}

}  // namespace
}  // namespace liballoc::testing
