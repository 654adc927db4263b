#include "source_list_diff.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace liballoc::fuzz {
namespace {

std::string AreasText(const std::vector<Area>& areas) {
  return absl::StrJoin(areas, " ", [](std::string* out, const Area& a) {
    absl::StrAppend(out, a.start, "+", a.count);
  });
}

}  // namespace

absl::Status CompareSources(const std::vector<Source>& expected,
                            const std::vector<Source>& actual) {
  if (expected.size() != actual.size()) {
    return absl::InternalError(absl::StrCat("source count: expected ", expected.size(), ", got ",
                                            actual.size()));
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    const Source& e = expected[i];
    const Source& a = actual[i];
    std::string where = absl::StrCat("source #", i, " (handle ", e.handle, "): ");
    if (e.handle != a.handle) {
      return absl::InternalError(absl::StrCat(where, "handle: got ", a.handle));
    }
    if (e.pe_count != a.pe_count) {
      return absl::InternalError(
          absl::StrCat(where, "pe_count: expected ", e.pe_count, ", got ", a.pe_count));
    }
    if (e.allocatable != a.allocatable) {
      return absl::InternalError(absl::StrCat(where, "allocatable: expected ", e.allocatable,
                                              ", got ", a.allocatable));
    }
    if (e.tags != a.tags) {
      return absl::InternalError(absl::StrCat(where, "tags: expected [",
                                              absl::StrJoin(e.tags, ","), "], got [",
                                              absl::StrJoin(a.tags, ","), "]"));
    }
    bool same_areas = e.areas.size() == a.areas.size();
    for (size_t k = 0; same_areas && k < e.areas.size(); ++k) {
      same_areas = e.areas[k].start == a.areas[k].start && e.areas[k].count == a.areas[k].count;
    }
    if (!same_areas) {
      return absl::InternalError(absl::StrCat(where, "free areas: expected [",
                                              AreasText(e.areas), "], got [",
                                              AreasText(a.areas), "]"));
    }
  }
  return absl::OkStatus();
}

bool IsIndexable(const std::vector<Source>& vg) {
  absl::flat_hash_set<SourceHandle> handles;
  for (const Source& s : vg) {
    if (!handles.insert(s.handle).second) return false;
    bool first = true;
    Extent end = 0;
    for (const Area& a : s.areas) {
      if (a.count == 0 || a.start >= s.pe_count || a.count > s.pe_count - a.start) return false;
      if (!first && a.start <= end) return false;  // overlapping, unsorted or touching
      first = false;
      end = a.start + a.count;
    }
  }
  return true;
}

}  // namespace liballoc::fuzz
