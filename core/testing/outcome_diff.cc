#include "outcome_diff.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "liballoc/error.h"

namespace liballoc::testing {
namespace {

absl::Status Differ(const std::string& what, uint64_t expected, uint64_t actual) {
  return absl::InternalError(
      absl::StrFormat("%s: expected %u, got %u", what, expected, actual));
}

std::string FailureText(const absl::Status& s) {
  std::optional<AllocError> code = AllocErrorOf(s);
  return absl::StrCat(code ? std::string(AllocErrorName(*code)) : s.ToString(), " \"",
                      s.message(), "\"");
}

}  // namespace

absl::Status CompareOutcomes(const absl::StatusOr<Result>& expected,
                             const absl::StatusOr<Result>& actual) {
  if (expected.ok() != actual.ok() ||
      (!expected.ok() && (expected.status().code() != actual.status().code() ||
                          AllocErrorOf(expected.status()) != AllocErrorOf(actual.status()) ||
                          expected.status().message() != actual.status().message()))) {
    return absl::InternalError(absl::StrCat("outcome: expected ", DescribeOutcome(expected),
                                            ", got ", DescribeOutcome(actual)));
  }
  if (!expected.ok()) return absl::OkStatus();
  const Result& e = *expected;
  const Result& a = *actual;
  struct Field {
    const char* name;
    uint64_t e, a;
  };
  for (const Field& f : {Field{"area_count", e.area_count, a.area_count},
                         Field{"parity_count", e.parity_count, a.parity_count},
                         Field{"log_area_count", e.log_area_count, a.log_area_count},
                         Field{"metadata_area_count", e.metadata_area_count, a.metadata_area_count},
                         Field{"log_len", e.log_len, a.log_len},
                         Field{"area_multiple", e.area_multiple, a.area_multiple},
                         Field{"allocated_extents", e.allocated_extents, a.allocated_extents},
                         Field{"reduced", e.reduced, a.reduced},
                         Field{"number of slots", e.slots.size(), a.slots.size()},
                         Field{"number of batches", e.batches.size(), a.batches.size()}}) {
    if (f.e != f.a) return Differ(f.name, f.e, f.a);
  }
  for (size_t b = 0; b < e.batches.size(); ++b) {
    const Batch& x = e.batches[b];
    const Batch& y = a.batches[b];
    std::string at = absl::StrCat("batch ", b, " ");
    if (x.pass != y.pass) return Differ(at + "pass", uint64_t(x.pass), uint64_t(y.pass));
    if (x.round != y.round) return Differ(at + "round", x.round, y.round);
    if (x.cling_preferred != y.cling_preferred) {
      return Differ(at + "cling_preferred", x.cling_preferred, y.cling_preferred);
    }
    if (x.area_len != y.area_len) return Differ(at + "area_len", x.area_len, y.area_len);
  }
  for (size_t s = 0; s < e.slots.size(); ++s) {
    if (e.slots[s].size() != a.slots[s].size()) {
      return Differ(absl::StrCat("slot ", s, " piece count"), e.slots[s].size(),
                    a.slots[s].size());
    }
    for (size_t i = 0; i < e.slots[s].size(); ++i) {
      const Piece& x = e.slots[s][i];
      const Piece& y = a.slots[s][i];
      std::string at = absl::StrCat("slot ", s, " piece ", i, " ");
      if (x.handle != y.handle) return Differ(at + "source", x.handle, y.handle);
      if (x.start != y.start) return Differ(at + "start", x.start, y.start);
      if (x.count != y.count) return Differ(at + "count", x.count, y.count);
      if (x.batch != y.batch) return Differ(at + "batch", x.batch, y.batch);
    }
  }
  return absl::OkStatus();
}

std::string DescribeOutcome(const absl::StatusOr<Result>& outcome) {
  if (!outcome.ok()) return FailureText(outcome.status());
  const Result& r = *outcome;
  std::string out = absl::StrFormat("ok: %u extents%s, %u batches [", r.allocated_extents,
                                    r.reduced ? " (reduced)" : "", r.batches.size());
  for (size_t b = 0; b < r.batches.size(); ++b) {
    absl::StrAppendFormat(&out, "%s%u:len %u pass %d", b ? ", " : "", b, r.batches[b].area_len,
                          static_cast<int>(r.batches[b].pass));
  }
  out += "]";
  for (size_t s = 0; s < r.slots.size(); ++s) {
    absl::StrAppendFormat(&out, " slot%u{", s);
    for (size_t i = 0; i < r.slots[s].size(); ++i) {
      const Piece& p = r.slots[s][i];
      absl::StrAppendFormat(&out, "%s%#x:%u-%u/b%u", i ? " " : "", p.handle, p.start,
                            p.start + p.count - 1, p.batch);
    }
    out += "}";
  }
  return out;
}

std::string DescribeRequest(const Request& r) {
  std::string out = absl::StrFormat(
      "type=%d stripes=%u mirrors=%u log_count=%u region=%u extent_size=%u meta=%u extents=%u "
      "existing=%u approx=%d policy=%d maximise_cling=%d separate_logs=%d lv=\"%s\"",
      static_cast<int>(r.type), r.stripes, r.mirrors, r.log_count, r.region_size, r.extent_size,
      r.metadata_extents, r.extents, r.existing_extents, r.approx, static_cast<int>(r.policy),
      r.maximise_cling, r.logs_require_separate_pvs, r.lv_name);
  if (r.cling_tag_list) {
    out += " cling_tag_list=[";
    for (const std::string& t : *r.cling_tag_list) absl::StrAppend(&out, "\"", t, "\" ");
    out += "]";
  }
  for (const Source& s : r.sources) {
    absl::StrAppendFormat(&out, "\n  source %#x pe_count=%u%s tags=[", s.handle, s.pe_count,
                          s.allocatable ? "" : " unallocatable");
    for (const std::string& t : s.tags) absl::StrAppend(&out, t, " ");
    out += "] areas:";
    for (const Area& a : s.areas) absl::StrAppendFormat(&out, " %u+%u", a.start, a.count);
  }
  auto areas = [&out](const char* what, const std::vector<PrevArea>& list) {
    absl::StrAppend(&out, "\n  ", what, ":");
    for (const PrevArea& a : list) {
      absl::StrAppendFormat(&out, " slot%u=%#x:%u+%u", a.slot, a.source.handle, a.pe, a.len);
    }
  };
  if (r.prev) {
    absl::StrAppendFormat(&out, "\n  prev: area_count=%u stripes_per_image=%u le_end=%u",
                          r.prev->area_count, r.prev->stripes_per_image, r.prev->le_end);
    areas("last_extent", r.prev->last_extent);
    areas("first_segment", r.prev->first_segment);
  }
  for (const ParallelArea& pa : r.parallel_areas) {
    absl::StrAppendFormat(&out, "\n  parallel LE %u+%u:", pa.le, pa.len);
    for (const SourceRef& s : pa.sources) absl::StrAppendFormat(&out, " %#x", s.handle);
  }
  return out;
}

}  // namespace liballoc::testing
