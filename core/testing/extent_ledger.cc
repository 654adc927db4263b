#include "extent_ledger.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_format.h"

namespace liballoc::testing {

absl::Status ExtentLedger::Claim(SourceHandle handle, Extent start, Extent count, Owner owner) {
  if (count == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("empty claim at source %#x PE %u by owner %u", handle, start, owner));
  }
  std::map<Extent, Span>& spans = claims_[handle];
  const Extent end = start + count;
  // The first claim that could overlap: the one starting at or before
  // `start`, else the next one.
  auto it = spans.upper_bound(start);
  if (it != spans.begin() && std::prev(it)->second.end > start) --it;
  if (it != spans.end() && it->first < end) {
    Extent shared = std::max(start, it->first);
    return absl::AlreadyExistsError(absl::StrFormat(
        "double booking: extent %u of source %#x is owned by %u (PEs %u-%u) and claimed by %u "
        "(PEs %u-%u)",
        shared, handle, it->second.owner, it->first, it->second.end - 1, owner, start, end - 1));
  }
  spans.emplace(start, Span{end, owner});
  return absl::OkStatus();
}

absl::Status ExtentLedger::ClaimResult(const Result& result, Owner owner) {
  std::vector<std::tuple<SourceHandle, Extent, Extent>> done;
  for (const std::vector<Piece>& slot : result.slots) {
    for (const Piece& p : slot) {
      absl::Status s = Claim(p.handle, p.start, p.count, owner);
      if (!s.ok()) {
        for (const auto& [h, start, count] : done) (void)Release(h, start, count, owner);
        return s;
      }
      done.emplace_back(p.handle, p.start, p.count);
    }
  }
  return absl::OkStatus();
}

absl::Status ExtentLedger::ClaimAllocatedSpace(const std::vector<Source>& vg, Owner owner) {
  for (const Source& s : vg) {
    Extent pe = 0;
    for (const Area& a : s.areas) {
      if (a.start > pe) {
        if (absl::Status st = Claim(s.handle, pe, a.start - pe, owner); !st.ok()) return st;
      }
      pe = a.start + a.count;
    }
    if (s.pe_count > pe) {
      if (absl::Status st = Claim(s.handle, pe, s.pe_count - pe, owner); !st.ok()) return st;
    }
  }
  return absl::OkStatus();
}

absl::Status ExtentLedger::Release(SourceHandle handle, Extent start, Extent count,
                                   Owner owner) {
  auto h = claims_.find(handle);
  auto it = h == claims_.end() ? std::map<Extent, Span>::iterator{} : h->second.find(start);
  if (h == claims_.end() || it == h->second.end() || it->second.end != start + count ||
      it->second.owner != owner) {
    return absl::NotFoundError(absl::StrFormat(
        "owner %u releases PEs %u-%u of source %#x, which it does not hold as one claim", owner,
        start, start + count - 1, handle));
  }
  h->second.erase(it);
  return absl::OkStatus();
}

uint64_t ExtentLedger::ReleaseAll(Owner owner) {
  uint64_t released = 0;
  for (auto& [handle, spans] : claims_) {
    for (auto it = spans.begin(); it != spans.end();) {
      if (it->second.owner == owner) {
        released += it->second.end - it->first;
        it = spans.erase(it);
      } else {
        ++it;
      }
    }
  }
  return released;
}

uint64_t ExtentLedger::OwnedBy(Owner owner) const {
  uint64_t n = 0;
  for (const auto& [handle, spans] : claims_) {
    for (const auto& [start, span] : spans) {
      if (span.owner == owner) n += span.end - start;
    }
  }
  return n;
}

absl::Status ExtentLedger::CheckAccounts(const std::vector<Source>& vg) const {
  for (const Source& s : vg) {
    // Free areas and claims together, in PE order; they must tile [0, pe_count).
    struct Run {
      Extent start, end;
      bool free;
      Owner owner;
    };
    std::vector<Run> runs;
    for (const Area& a : s.areas) runs.push_back(Run{a.start, a.start + a.count, true, 0});
    if (auto h = claims_.find(s.handle); h != claims_.end()) {
      for (const auto& [start, span] : h->second) {
        runs.push_back(Run{start, span.end, false, span.owner});
      }
    }
    std::sort(runs.begin(), runs.end(),
              [](const Run& a, const Run& b) { return a.start < b.start; });
    Extent pe = 0;
    for (const Run& r : runs) {
      if (r.start > pe) {
        return absl::DataLossError(absl::StrFormat(
            "leak: extents %u-%u of source %#x are neither free nor owned", pe, r.start - 1,
            s.handle));
      }
      if (r.start < pe) {
        return absl::AlreadyExistsError(absl::StrFormat(
            "extent %u of source %#x is counted twice (%s)", r.start, s.handle,
            r.free ? "free and owned" : absl::StrFormat("owned by %u and free or owned", r.owner)));
      }
      pe = r.end;
    }
    if (pe < s.pe_count) {
      return absl::DataLossError(absl::StrFormat(
          "leak: extents %u-%u of source %#x are neither free nor owned", pe, s.pe_count - 1,
          s.handle));
    }
    if (pe > s.pe_count) {
      return absl::OutOfRangeError(absl::StrFormat(
          "source %#x: free or owned extents reach PE %u, beyond pe_count %u", s.handle, pe - 1,
          s.pe_count));
    }
  }
  return absl::OkStatus();
}

}  // namespace liballoc::testing
