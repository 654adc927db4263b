#include "invariant_checker.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "expected_shape.h"
#include "liballoc/allocator.h"
#include "liballoc/error.h"

namespace liballoc::testing {
namespace {

absl::Status Violation(const std::string& what) { return absl::InternalError(what); }

// Debian's abseil has its own string_view, so std::string_view needs a copy.
std::string CodeName(AllocError code) { return std::string(AllocErrorName(code)); }

// The request's free space as the allocator's map sees it: allocatable
// entries only, per handle. Points into the request, which must outlive it.
struct FreeSpace {
  struct Entry {
    Extent pe_count = 0;
    std::vector<Area> areas;  // sorted by start
    const std::vector<std::string>* tags = nullptr;
  };
  absl::flat_hash_map<SourceHandle, Entry> by_handle;
};

FreeSpace MapOf(const Request& r) {
  FreeSpace f;
  for (const Source& s : r.sources) {
    if (!s.allocatable) continue;
    FreeSpace::Entry& e = f.by_handle[s.handle];
    e.pe_count = s.pe_count;
    e.tags = &s.tags;
    e.areas.insert(e.areas.end(), s.areas.begin(), s.areas.end());
  }
  for (auto& [h, e] : f.by_handle) {
    std::sort(e.areas.begin(), e.areas.end(),
              [](const Area& a, const Area& b) { return a.start < b.start; });
  }
  return f;
}

// The free extents of the allocatable entries (all of them, repeated handles
// included: what the first policy pass counts).
uint64_t TotalFree(const Request& r) {
  uint64_t total = 0;
  for (const Source& s : r.sources) {
    if (!s.allocatable) continue;
    for (const Area& a : s.areas) total += a.count;
  }
  return total;
}

// The shortest free area of the allocatable entries (UINT64_MAX if none).
uint64_t SmallestArea(const Request& r) {
  uint64_t smallest = UINT64_MAX;
  for (const Source& s : r.sources) {
    if (!s.allocatable) continue;
    for (const Area& a : s.areas) smallest = std::min<uint64_t>(smallest, a.count);
  }
  return smallest;
}

bool HasTag(const std::vector<std::string>& tags, const std::string& t) {
  return std::find(tags.begin(), tags.end(), t) != tags.end();
}

// allocation/cling_tag_list matching, spec §8.4.
bool TagsMatch(const std::vector<std::string>& list, const std::vector<std::string>& a,
               const std::vector<std::string>& b) {
  for (const std::string& entry : list) {
    if (entry.size() < 2 || entry[0] != '@') continue;
    if (entry == "@*") {
      for (const std::string& t : a) {
        if (HasTag(b, t)) return true;
      }
      continue;
    }
    std::string name = entry.substr(1);
    if (HasTag(a, name) && HasTag(b, name)) return true;
  }
  return false;
}

std::string PieceName(size_t slot, size_t index, const Piece& p) {
  return absl::StrFormat("slot %u piece %u (source %#x, PEs %u-%u, batch %u)", slot, index,
                         p.handle, p.start, p.start + p.count - 1, p.batch);
}


uint64_t MapEntryCount(const Request& r) {
  std::vector<SourceHandle> handles;
  for (const Source& s : r.sources) {
    if (s.allocatable) handles.push_back(s.handle);
  }
  std::sort(handles.begin(), handles.end());
  return std::unique(handles.begin(), handles.end()) - handles.begin();
}

// LVM2's "%u more required": (new - allocated) * area_count in 32 bits, then
// divided by area_multiple.
uint64_t MissingCount(uint64_t rest, const ExpectedShape& s) {
  return static_cast<uint32_t>(rest * s.area_count) / s.area_multiple;
}

bool NothingToDo(const Request& r, const ExpectedShape& s) {
  return r.existing_extents >= s.new_extents && s.log_area_count == 0;
}

absl::Status CheckCounts(const Result& res, const ExpectedShape& s) {
  auto expect = [](const char* what, uint64_t got, uint64_t want) -> absl::Status {
    if (got == want) return absl::OkStatus();
    return Violation(absl::StrFormat("Result.%s is %u, the request implies %u", what, got, want));
  };
  for (absl::Status st : {expect("area_count", res.area_count, s.area_count),
                          expect("parity_count", res.parity_count, s.parity_count),
                          expect("log_area_count", res.log_area_count, s.log_area_count),
                          expect("metadata_area_count", res.metadata_area_count,
                                 s.metadata_area_count),
                          expect("log_len", res.log_len, s.log_len),
                          expect("area_multiple", res.area_multiple, s.area_multiple),
                          expect("number of slots", res.slots.size(), s.slot_count())}) {
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status CheckPieces(const Result& res, const FreeSpace& free) {
  struct Span {
    SourceHandle handle;
    Extent start, end;
    size_t slot, index;
  };
  std::vector<Span> spans;
  for (size_t s = 0; s < res.slots.size(); ++s) {
    const std::vector<Piece>& pieces = res.slots[s];
    for (size_t i = 0; i < pieces.size(); ++i) {
      const Piece& p = pieces[i];
      if (p.count == 0) {
        return Violation(absl::StrFormat("slot %u piece %u (source %#x, PE %u): count is 0", s,
                                         i, p.handle, p.start));
      }
      // Named only when reporting: formatting the name of every piece was
      // most of the checker's time on results of thousands of batches.
      auto name = [&] { return PieceName(s, i, p); };
      if (p.batch >= res.batches.size()) {
        return Violation(absl::StrFormat("%s: batch %u does not exist (%u batches)", name(),
                                         p.batch, res.batches.size()));
      }
      if (i > 0 && p.batch <= pieces[i - 1].batch) {
        return Violation(absl::StrCat(name(), ": batches out of order (previous piece is in batch ",
                                      pieces[i - 1].batch, ")"));
      }
      auto it = free.by_handle.find(p.handle);
      if (it == free.by_handle.end()) {
        return Violation(
            absl::StrCat(name(), ": source is not an allocatable source of the request"));
      }
      if (p.start >= it->second.pe_count || p.count > it->second.pe_count - p.start) {
        return Violation(absl::StrFormat("%s: beyond the source's %u extents", name(),
                                         it->second.pe_count));
      }
      const std::vector<Area>& areas = it->second.areas;
      auto a = std::upper_bound(areas.begin(), areas.end(), p.start,
                                [](Extent pe, const Area& area) { return pe < area.start; });
      if (a == areas.begin() || p.start + p.count > std::prev(a)->start + std::prev(a)->count) {
        return Violation(absl::StrCat(
            name(), ": not inside one free area of the request (extent ",
            a == areas.begin() || p.start >= std::prev(a)->start + std::prev(a)->count
                ? p.start
                : std::prev(a)->start + std::prev(a)->count,
            " was not free)"));
      }
      spans.push_back(Span{p.handle, p.start, p.start + p.count, s, i});
    }
  }
  // (Spelled out rather than std::tie: at the -O1 of sanitizer builds the
  // tuple comparison is not inlined, and this sort is the checker's hot spot.)
  std::sort(spans.begin(), spans.end(), [](const Span& x, const Span& y) {
    return x.handle != y.handle ? x.handle < y.handle : x.start < y.start;
  });
  for (size_t k = 1; k < spans.size(); ++k) {
    const Span& x = spans[k - 1];
    const Span& y = spans[k];
    if (x.handle == y.handle && y.start < x.end) {
      return Violation(absl::StrFormat(
          "extent %u of source %#x allocated twice: slot %u piece %u and slot %u piece %u",
          y.start, y.handle, x.slot, x.index, y.slot, y.index));
    }
  }
  return absl::OkStatus();
}

// The piece of `slot` in `batch`, or null. Pieces were checked to be in
// strictly increasing batch order first, so a binary search keeps the whole
// check linear-logarithmic in the pieces (a linear scan made 100%FREE-sized
// results quadratic: 20 s on a fuzz input).
const Piece* PieceIn(const Result& res, size_t slot, uint32_t batch) {
  const std::vector<Piece>& pieces = res.slots[slot];
  auto it = std::lower_bound(pieces.begin(), pieces.end(), batch,
                             [](const Piece& p, uint32_t b) { return p.batch < b; });
  return it != pieces.end() && it->batch == batch ? &*it : nullptr;
}

absl::Status CheckBatches(const Request& r, const Result& res, const ExpectedShape& s,
                          const FreeSpace& free) {
  const uint32_t dn = s.devices_needed();
  // cling implies cling_by_tags (spec §4); pending logs escalate to normal.
  Policy ceiling = r.policy == Policy::kCling ? Policy::kClingByTags : r.policy;
  if (s.log_area_count > 0 && ceiling < Policy::kNormal) ceiling = Policy::kNormal;
  if (r.policy == Policy::kContiguous && res.batches.size() > 1) {
    return Violation(absl::StrFormat("policy contiguous gave %u batches (at most 1)",
                                     res.batches.size()));
  }
  // The previous segment's areas by slot, for contiguity.
  const bool count_matches = r.prev && r.prev->area_count == dn && r.prev->stripes_per_image == 1;
  uint64_t allocated = r.existing_extents;
  // Per batch: the source each slot used, (handle, slot); reused across
  // batches (long results have tens of thousands of batches).
  std::vector<std::pair<SourceHandle, uint32_t>> used, sorted;
  for (uint32_t b = 0; b < res.batches.size(); ++b) {
    const Batch& batch = res.batches[b];
    if (batch.pass > ceiling) {
      return Violation(absl::StrFormat("batch %u placed by the %s pass, above policy %s", b,
                                       PolicyName(batch.pass), PolicyName(r.policy)));
    }
    if (b > 0 && batch.pass < res.batches[b - 1].pass) {
      return Violation(absl::StrFormat("batch %u: pass %s after pass %s", b,
                                       PolicyName(batch.pass),
                                       PolicyName(res.batches[b - 1].pass)));
    }
    if (batch.pass == Policy::kClingByTags && !r.cling_tag_list) {
      return Violation(absl::StrFormat("batch %u: cling_by_tags pass without a cling_tag_list", b));
    }
    // A batch whose area_len rounds down to 0 places no data; LVM2 keeps
    // it only when it placed the logs (they go in the first batch), and
    // the data checks below then require it to hold no data piece.
    if (dn > 0 && batch.area_len == 0 && !(b == 0 && s.log_area_count > 0)) {
      return Violation(absl::StrFormat("batch %u has area_len 0", b));
    }
    const bool split_here = s.split_meta && b == 0;
    const Extent data_len = split_here ? batch.area_len - s.log_len : batch.area_len;
    if (split_here && batch.area_len < s.log_len) {
      return Violation(absl::StrFormat("batch 0 area_len %u is shorter than the metadata (%u)",
                                       batch.area_len, s.log_len));
    }
    // Data/parity pieces, and the source each slot used in this batch.
    used.clear();
    for (uint32_t slot = 0; slot < dn; ++slot) {
      const Piece* p = PieceIn(res, slot, b);
      const Piece* meta = split_here ? PieceIn(res, slot + dn, b) : nullptr;
      if (data_len == 0) {
        if (p) return Violation(absl::StrCat(PieceName(slot, 0, *p), ": expected no data piece"));
      } else if (!p) {
        return Violation(absl::StrFormat("batch %u: data slot %u has no piece", b, slot));
      } else if (p->count != data_len) {
        return Violation(absl::StrFormat("batch %u: slot %u piece at source %#x PE %u has %u "
                                         "extents, the batch's data length is %u",
                                         b, slot, p->handle, p->start, p->count, data_len));
      }
      if (split_here) {
        if (!meta) {
          return Violation(absl::StrFormat("batch 0: metadata slot %u (for slot %u) is empty",
                                           slot + dn, slot));
        }
        if (meta->count != s.log_len) {
          return Violation(absl::StrFormat("metadata slot %u: %u extents, log_len is %u",
                                           slot + dn, meta->count, s.log_len));
        }
        if (p && (p->handle != meta->handle || p->start != meta->start + meta->count)) {
          return Violation(absl::StrFormat(
              "slot %u: data piece at source %#x PE %u does not follow its metadata at source "
              "%#x PEs %u-%u",
              slot, p->handle, p->start, meta->handle, meta->start,
              meta->start + meta->count - 1));
        }
      }
      const Piece* first = meta ? meta : p;
      if (first) used.emplace_back(first->handle, slot);
      // Contiguity to the previous segment.
      if (first && batch.pass == Policy::kContiguous && count_matches) {
        const PrevArea* prev = nullptr;
        for (const PrevArea& a : r.prev->last_extent) {
          if (a.slot == slot) prev = &a;
        }
        if (!prev || prev->source.handle != first->handle || prev->pe + prev->len != first->start) {
          return Violation(absl::StrFormat(
              "batch %u (contiguous pass): slot %u starts at source %#x PE %u, not right after "
              "the previous segment's area%s",
              b, slot, first->handle, first->start,
              prev ? absl::StrFormat(" (source %#x PEs %u-%u)", prev->source.handle, prev->pe,
                                     prev->pe + prev->len - 1)
                   : std::string(" (none for this slot)")));
        }
      }
    }
    if (batch.pass != Policy::kAnywhere) {
      sorted.assign(used.begin(), used.end());
      std::sort(sorted.begin(), sorted.end());
      for (size_t k = 1; k < sorted.size(); ++k) {
        if (sorted[k].first == sorted[k - 1].first) {
          return Violation(absl::StrFormat(
              "batch %u (%s pass): data slots %u and %u both on source %#x", b,
              PolicyName(batch.pass), sorted[k - 1].second, sorted[k].second, sorted[k].first));
        }
      }
      // Parallel areas: the entry covering the batch's first LE (spec §6).
      uint64_t next_le = (r.prev ? r.prev->le_end : 0) + allocated / s.area_multiple;
      for (const ParallelArea& pa : r.parallel_areas) {
        if (next_le >= pa.le + pa.len) continue;
        for (const auto& [handle, slot] : used) {
          const FreeSpace::Entry& e = free.by_handle.at(handle);
          for (const SourceRef& avoid : pa.sources) {
            if (avoid.handle == handle ||
                (r.cling_tag_list && TagsMatch(*r.cling_tag_list, *e.tags, avoid.tags))) {
              return Violation(absl::StrFormat(
                  "batch %u (%s pass): slot %u on source %#x, which the parallel area at LE %u "
                  "(+%u) asks to avoid (source %#x)",
                  b, PolicyName(batch.pass), slot, handle, pa.le, pa.len, avoid.handle));
            }
          }
        }
        break;
      }
    }
    allocated += batch.area_len * s.area_multiple;
  }
  // Metadata and log slots.
  for (uint32_t m = dn; m < res.slots.size(); ++m) {
    const std::vector<Piece>& pieces = res.slots[m];
    const bool has_pieces = s.split_meta || s.log_area_count > 0;
    if (!has_pieces || res.batches.empty()) {
      if (!pieces.empty()) {
        return Violation(absl::StrCat(PieceName(m, 0, pieces[0]), ": slot should be empty"));
      }
      continue;
    }
    if (pieces.size() != 1 || pieces[0].batch != 0 || pieces[0].count != s.log_len) {
      return Violation(absl::StrFormat(
          "%s slot %u: expected one piece of %u extents in batch 0, found %u piece(s)%s",
          s.split_meta ? "metadata" : "log", m, s.log_len, pieces.size(),
          pieces.empty() ? "" : absl::StrCat(", first ", PieceName(m, 0, pieces[0]))));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckTotals(const Request& r, const Result& res, const ExpectedShape& s) {
  uint64_t sum = 0;
  for (const Batch& b : res.batches) sum += b.area_len * s.area_multiple;
  if (res.allocated_extents != sum) {
    return Violation(absl::StrFormat(
        "allocated_extents is %u, but the batches hold %u (sum of area_len x %u)",
        res.allocated_extents, sum, s.area_multiple));
  }
  uint64_t target = s.new_extents > r.existing_extents ? s.new_extents - r.existing_extents : 0;
  if (!r.approx) {
    if (res.allocated_extents != target || res.reduced) {
      return Violation(absl::StrFormat(
          "allocated %u extents%s, the request needs exactly %u (extents %u + metadata %u)",
          res.allocated_extents, res.reduced ? " (reduced)" : "", target, r.extents, s.growth));
    }
    return absl::OkStatus();
  }
  if (res.allocated_extents > target) {
    return Violation(absl::StrFormat("approx allocation placed %u extents, more than the %u asked",
                                     res.allocated_extents, target));
  }
  if (res.reduced != (res.allocated_extents < target)) {
    return Violation(absl::StrFormat("reduced is %d but %u of %u extents were placed",
                                     res.reduced, res.allocated_extents, target));
  }
  if (target > 0 && res.allocated_extents == 0 && r.existing_extents == 0) {
    return Violation("approx allocation of a new LV succeeded with 0 extents "
                     "(LVM2 fails with \"Insufficient suitable allocatable extents found\")");
  }
  return absl::OkStatus();
}

// A message of the form `format` with one number, or nullopt.
std::optional<std::pair<uint64_t, uint64_t>> ParseFreeSpaceMessage(const std::string& m) {
  unsigned long long needed = 0, available = 0;
  int consumed = 0;
  if (std::sscanf(m.c_str(), "Insufficient free space: %llu extents needed, but only %llu available%n",
                  &needed, &available, &consumed) != 2 ||
      static_cast<size_t>(consumed) != m.size()) {
    return std::nullopt;
  }
  return std::make_pair(needed, available);
}

// UpFrontFailure of a request ValidateRequest accepts, whose shape is `s`.
// (The checks below validate once and derive the shape once: ValidateRequest
// builds the library's whole view of the sources.)
std::optional<absl::Status> UpFrontFailureOfValid(const Request& r, const ExpectedShape& s) {
  if (NothingToDo(r, s)) return std::nullopt;
  uint64_t rest = s.new_extents - r.existing_extents;
  if (s.area_multiple > 1 && rest % s.area_multiple != 0) {
    return MakeAllocError(AllocError::kNotDivisible,
                          absl::StrFormat("Number of extents requested (%u) needs to be divisible by %u.",
                                          rest, s.area_multiple));
  }
  uint64_t entries = MapEntryCount(r);
  if (entries != 0 && entries < uint64_t{s.devices_needed()} + s.log_area_count &&
      r.policy != Policy::kAnywhere && s.logs_separate) {
    return MakeAllocError(AllocError::kNotEnoughParallelPvs,
                          "Not enough PVs with free space available for parallel allocation.\n"
                          "Consider --alloc anywhere if desperate.");
  }
  if (!r.approx) {
    uint64_t needed = static_cast<uint32_t>(rest * s.area_count) / s.area_multiple +
                      static_cast<uint32_t>(rest * s.parity_count) / s.area_multiple +
                      (s.split_meta ? 0 : s.metadata_area_count) +
                      (s.log_area_count ? s.log_len : 0);
    uint64_t total_free = TotalFree(r);
    if (needed > total_free) {
      return MakeAllocError(AllocError::kInsufficientFreeSpace,
                            absl::StrFormat("Insufficient free space: %u extents needed, but only %u available",
                                            needed, total_free));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<absl::Status> UpFrontFailure(const Request& r) {
  if (!ValidateRequest(r).ok()) return std::nullopt;
  return UpFrontFailureOfValid(r, DeriveShape(r));
}

absl::Status CheckResult(const Request& r, const Result& res) {
  if (absl::Status v = ValidateRequest(r); !v.ok()) {
    return Violation(absl::StrCat("allocation succeeded on an invalid request: ", v.message()));
  }
  const ExpectedShape s = DeriveShape(r);
  if (std::optional<absl::Status> up = UpFrontFailureOfValid(r, s)) {
    return Violation(absl::StrCat("allocation succeeded but LVM2 fails up front: ", up->message()));
  }
  if (absl::Status st = CheckCounts(res, s); !st.ok()) return st;
  if (NothingToDo(r, s) && !res.batches.empty()) {
    return Violation(absl::StrFormat("the LV already has %u of %u extents, yet %u batch(es) were "
                                     "allocated", r.existing_extents, s.new_extents,
                                     res.batches.size()));
  }
  FreeSpace free = MapOf(r);
  if (absl::Status st = CheckPieces(res, free); !st.ok()) return st;
  if (absl::Status st = CheckBatches(r, res, s, free); !st.ok()) return st;
  return CheckTotals(r, res, s);
}

absl::Status CheckFailure(const Request& r, const absl::Status& failure) {
  if (failure.ok()) return Violation("CheckFailure called with an OK status");
  std::optional<AllocError> code = AllocErrorOf(failure);
  if (!code) {
    return Violation(absl::StrCat("failure without an AllocError code: ", failure.ToString()));
  }
  const std::string message(failure.message());
  absl::Status valid = ValidateRequest(r);
  if (!valid.ok() || *code == AllocError::kInvalidRequest) {
    if (!valid.ok() && *code == AllocError::kInvalidRequest) return absl::OkStatus();
    return Violation(valid.ok()
                         ? absl::StrCat("kInvalidRequest for a request ValidateRequest accepts: ",
                                        message)
                         : absl::StrCat("invalid request (", valid.message(),
                                        ") reported as ", CodeName(*code), ": ", message));
  }
  const ExpectedShape s = DeriveShape(r);
  if (std::optional<absl::Status> up = UpFrontFailureOfValid(r, s)) {
    if (AllocErrorOf(*up) != code || up->message() != failure.message()) {
      return Violation(absl::StrCat("expected the up-front failure \"", up->message(),
                                    "\", got ", CodeName(*code), " \"", message, "\""));
    }
    return absl::OkStatus();
  }
  const std::string lv = r.lv_name;
  const char* contiguous = r.policy == Policy::kContiguous ? "contiguous " : "";
  switch (*code) {
    case AllocError::kInvalidRequest:
      return absl::OkStatus();  // handled above
    case AllocError::kNotDivisible:
    case AllocError::kNotEnoughParallelPvs:
      return Violation(absl::StrCat(CodeName(*code), " but its condition does not hold: ",
                                    message));
    case AllocError::kInsufficientFreeSpace: {
      if (r.approx) return Violation(absl::StrCat("approx allocation failed with: ", message));
      auto numbers = ParseFreeSpaceMessage(message);
      uint64_t total_free = TotalFree(r);
      if (!numbers || numbers->first <= numbers->second || numbers->second >= total_free) {
        return Violation(absl::StrFormat(
            "unjustified \"%s\": the first pass had enough free space (%u), and a later pass "
            "must report less free space than that and more needed than available",
            message, total_free));
      }
      return absl::OkStatus();
    }
    case AllocError::kInsufficientSuitable: {
      if (r.approx) return Violation(absl::StrCat("approx allocation failed with: ", message));
      uint64_t most = MissingCount(s.new_extents - r.existing_extents, s);
      unsigned long long n = 0;
      std::string prefix = absl::StrFormat(
          "Insufficient suitable %sallocatable extents for logical volume %s: ", contiguous, lv);
      if (message.compare(0, prefix.size(), prefix) != 0 ||
          std::sscanf(message.c_str() + prefix.size(), "%llu", &n) != 1 ||
          message != absl::StrFormat("%s%u more required", prefix, n) || n == 0 || n > most) {
        return Violation(absl::StrFormat(
            "bad text \"%s\": expected \"%s<n> more required\" with 0 < n <= %u", message,
            prefix, most));
      }
      return absl::OkStatus();
    }
    case AllocError::kNothingFound: {
      std::string want = absl::StrFormat(
          "Insufficient suitable %sallocatable extents found for logical volume %s.", contiguous,
          lv);
      if (!r.approx || r.existing_extents != 0 || message != want) {
        return Violation(absl::StrFormat("kNothingFound needs approx and a new LV and the text "
                                         "\"%s\"; got \"%s\"", want, message));
      }
      return absl::OkStatus();
    }
    case AllocError::kLogSpace: {
      std::string want = absl::StrFormat(
          "Insufficient free space for log allocation for logical volume %s.", lv);
      if (s.log_area_count == 0 || message != want) {
        return Violation(absl::StrFormat("kLogSpace needs log slots (%u) and the text \"%s\"; "
                                         "got \"%s\"", s.log_area_count, want, message));
      }
      return absl::OkStatus();
    }
    case AllocError::kMetadataDoesNotFit: {
      // liballoc's refusal where LVM2 would underflow: a parallel area's
      // share (at most the whole new size over area_multiple) shorter than
      // the split metadata.
      constexpr char kUnderflow[] =
          "Metadata of %u extents does not fit in a parallel area of %u extents "
          "(LVM2 2.03.16 would underflow and abort here); refusing.";
      unsigned meta = 0, share = 0;
      if (std::sscanf(message.c_str(), kUnderflow, &meta, &share) == 2 &&
          message == absl::StrFormat(kUnderflow, meta, share)) {
        const uint64_t most = (s.new_extents - r.existing_extents) / s.area_multiple;
        if (!s.split_meta || meta != s.log_len || share >= meta || share > most) {
          return Violation(absl::StrFormat(
              "\"%s\" needs split metadata (%d) of log_len %u longer than a share of at most "
              "%u extents", message, s.split_meta, s.log_len, most));
        }
        return absl::OkStatus();
      }
      // Otherwise LVM2's own text: the metadata must fit the chosen area as
      // it is when the slot is committed: some area is shorter than
      // log_len, or (anywhere) slots share an area that earlier slots of the
      // batch already shortened.
      uint64_t smallest = SmallestArea(r);
      if (!s.split_meta || (smallest >= s.log_len && r.policy != Policy::kAnywhere) ||
          message != "Metadata does not fit on a single PV.") {
        return Violation(absl::StrFormat(
            "\"%s\" needs split metadata (%d) and a free area shorter than log_len %u (smallest "
            "is %u) or policy anywhere", message, s.split_meta, s.log_len, smallest));
      }
      return absl::OkStatus();
    }
    case AllocError::kWouldDoubleBook: {
      // liballoc's refusal of a batch whose log LVM2 would carve from an
      // area the batch already used (spec §7.5 lets logs share data areas).
      const std::string prefix = "LVM2 2.03.16 would allocate extents ";
      if (s.log_area_count == 0 || message.compare(0, prefix.size(), prefix) != 0) {
        return Violation(absl::StrFormat(
            "kWouldDoubleBook needs log slots (%u) and a text starting \"%s\"; got \"%s\"",
            s.log_area_count, prefix, message));
      }
      return absl::OkStatus();
    }
  }
  return Violation(absl::StrCat("unknown failure code: ", message));
}

absl::Status CheckOutcome(const Request& request, const absl::StatusOr<Result>& outcome) {
  return outcome.ok() ? CheckResult(request, *outcome) : CheckFailure(request, outcome.status());
}

}  // namespace liballoc::testing
