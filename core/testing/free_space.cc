#include "free_space.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace liballoc::testing {
namespace {

Source* Find(std::vector<Source>& vg, SourceHandle handle) {
  for (Source& s : vg) {
    if (s.handle == handle) return &s;
  }
  return nullptr;
}

}  // namespace

absl::Status TakeFree(std::vector<Source>& vg, SourceHandle handle, Extent start, Extent count) {
  Source* s = Find(vg, handle);
  if (!s) return absl::NotFoundError(absl::StrFormat("no source %#x in the VG", handle));
  auto it = std::upper_bound(s->areas.begin(), s->areas.end(), start,
                             [](Extent pe, const Area& a) { return pe < a.start; });
  if (count == 0 || it == s->areas.begin() ||
      start + count > std::prev(it)->start + std::prev(it)->count) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "PEs %u-%u of source %#x are not inside one free area", start, start + count - 1, handle));
  }
  --it;
  Area before{it->start, start - it->start};
  Area after{start + count, it->start + it->count - start - count};
  it = s->areas.erase(it);
  if (after.count) it = s->areas.insert(it, after);
  if (before.count) s->areas.insert(it, before);
  return absl::OkStatus();
}

absl::Status TakeResult(std::vector<Source>& vg, const Result& result) {
  for (const std::vector<Piece>& slot : result.slots) {
    for (const Piece& p : slot) {
      if (absl::Status st = TakeFree(vg, p.handle, p.start, p.count); !st.ok()) return st;
    }
  }
  return absl::OkStatus();
}

absl::Status GiveBack(std::vector<Source>& vg, SourceHandle handle, Extent start, Extent count) {
  Source* s = Find(vg, handle);
  if (!s) return absl::NotFoundError(absl::StrFormat("no source %#x in the VG", handle));
  if (count == 0 || start >= s->pe_count || count > s->pe_count - start) {
    return absl::OutOfRangeError(absl::StrFormat("PEs %u+%u outside source %#x (%u extents)",
                                                 start, count, handle, s->pe_count));
  }
  auto next = std::upper_bound(s->areas.begin(), s->areas.end(), start,
                               [](Extent pe, const Area& a) { return pe < a.start; });
  bool overlaps_prev = next != s->areas.begin() &&
                       std::prev(next)->start + std::prev(next)->count > start;
  bool overlaps_next = next != s->areas.end() && next->start < start + count;
  if (overlaps_prev || overlaps_next) {
    return absl::AlreadyExistsError(absl::StrFormat(
        "PEs %u-%u of source %#x are already partly free", start, start + count - 1, handle));
  }
  Area merged{start, count};
  if (next != s->areas.end() && next->start == start + count) {
    merged.count += next->count;
    next = s->areas.erase(next);
  }
  if (next != s->areas.begin() && std::prev(next)->start + std::prev(next)->count == start) {
    std::prev(next)->count += merged.count;
    return absl::OkStatus();
  }
  s->areas.insert(next, merged);
  return absl::OkStatus();
}

}  // namespace liballoc::testing
