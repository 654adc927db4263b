#include "lvm/plan_pv_list.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <limits>

#include "absl/strings/str_cat.h"

namespace liballoc::lvm {
namespace {

bool ValidTag(std::string_view tag) {
  if (tag.empty()) return false;
  for (char c : tag) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("._-+/=!:&#").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// strtoul into uint32 as lvm's _xstrtouint32 does; advances *pos.
bool ReadUint32(const std::string& s, size_t* pos, uint32_t* out) {
  const char* begin = s.c_str() + *pos;
  char* end = nullptr;
  errno = 0;
  unsigned long v = std::strtoul(begin, &end, 10);
  if (errno != 0 || end == begin || v > std::numeric_limits<uint32_t>::max()) {
    return false;
  }
  *out = static_cast<uint32_t>(v);
  *pos = static_cast<size_t>(end - s.c_str());
  return true;
}

absl::Status AddRange(const std::string& pvname, std::vector<PeRange>& ranges,
                      uint32_t start, uint32_t count, CommandLog& log) {
  for (const PeRange& per : ranges) {
    const uint64_t per_end = per.start + per.count - 1;
    const uint64_t end = static_cast<uint64_t>(start) + count - 1;
    if ((start < per.start && end >= per.start) ||
        (start >= per.start && per_end >= start)) {
      return FailCommand(
          log, absl::StrCat("Overlapping PE ranges specified (", start, "-",
                            static_cast<uint32_t>(start + count - 1), ", ",
                            per.start, "-", per_end, ") on ", pvname, "."));
    }
  }
  ranges.push_back({start, count});
  return absl::OkStatus();
}

// _parse_pes: `spec` is the text from the first ':' on ("" = whole PV).
absl::Status ParseRanges(const std::string& pvname, const std::string& spec,
                         bool whole, uint32_t size, std::vector<PeRange>& ranges,
                         CommandLog& log) {
  if (whole) return AddRange(pvname, ranges, 0, size, log);
  size_t pos = 0;
  auto parse_error = [&]() {
    return FailCommand(log, absl::StrCat("Physical extent parsing error at ",
                                         spec.substr(pos), "."));
  };
  while (pos < spec.size()) {
    if (spec[pos] != ':') return parse_error();
    ++pos;
    if (pos >= spec.size() || spec[pos] == ':') return parse_error();
    uint32_t start = 0;
    uint32_t end = size - 1;
    if (std::isdigit(static_cast<unsigned char>(spec[pos]))) {
      if (!ReadUint32(spec, &pos, &start)) return parse_error();
      if (pos >= spec.size() || spec[pos] == ':') end = start;
    }
    if (pos < spec.size() && spec[pos] == '-') {
      ++pos;
      if (pos < spec.size() && std::isdigit(static_cast<unsigned char>(spec[pos]))) {
        if (!ReadUint32(spec, &pos, &end)) return parse_error();
      }
    } else if (pos < spec.size() && spec[pos] == '+') {
      ++pos;
      if (pos < spec.size() && std::isdigit(static_cast<unsigned char>(spec[pos]))) {
        uint32_t len = 0;
        if (!ReadUint32(spec, &pos, &len)) return parse_error();
        end = start + (len ? len - 1 : 0);
      }
    }
    if (pos < spec.size() && spec[pos] != ':') return parse_error();
    if (start > end || end > size - 1) {
      return FailCommand(log, absl::StrCat("PE range error: start extent ",
                                           start, " to end extent ", end, "."));
    }
    absl::Status added = AddRange(pvname, ranges, start, end - start + 1, log);
    if (!added.ok()) return added;
  }
  return absl::OkStatus();
}

// _create_pv_entry.
absl::Status AddPvEntry(const VgModel& vg, absl::Span<const std::vector<Area>> free_runs,
                        size_t pv_index, const std::string& spec, bool whole,
                        CommandLog& log, std::vector<PvListEntry>* list) {
  const PvModel& pv = vg.pvs[pv_index];
  if (!pv.allocatable()) {
    log.Warn(absl::StrCat("WARNING: Physical volume ", pv.device,
                          " not allocatable."));
    return absl::OkStatus();
  }
  if (pv.missing()) {
    log.Warn(absl::StrCat("WARNING: Physical volume ", pv.device,
                          " is missing."));
    return absl::OkStatus();
  }
  if (free_runs[pv_index].empty()) {
    log.Warn(absl::StrCat("WARNING: No free extents on physical volume \"",
                          pv.device, "\"."));
    return absl::OkStatus();
  }
  auto it = std::find_if(list->begin(), list->end(),
                         [&](const PvListEntry& e) { return e.pv == pv_index; });
  if (it == list->end()) {
    list->push_back({pv_index, {}});
    it = list->end() - 1;
  }
  return ParseRanges(pv.device, spec, whole,
                     static_cast<uint32_t>(pv.pe_count), it->ranges, log);
}

}  // namespace

int FindPvByName(const VgModel& vg, std::string_view name) {
  for (size_t i = 0; i < vg.pvs.size(); ++i) {
    if (vg.pvs[i].device == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < vg.pvs.size(); ++i) {
    if (vg.pvs[i].key == name) return static_cast<int>(i);
  }
  return -1;
}

absl::Status BuildPvList(const VgModel& vg, absl::Span<const std::vector<Area>> free_runs,
                         absl::Span<const std::string> args, CommandLog& log,
                         std::vector<PvListEntry>* list) {
  list->clear();
  for (const std::string& arg : args) {
    if (!arg.empty() && arg[0] == '@') {
      std::string tag = arg.substr(1);
      if (!ValidTag(tag)) {
        log.Error(absl::StrCat("Skipping invalid tag ", tag, "."));
        continue;
      }
      for (size_t i = 0; i < vg.pvs.size(); ++i) {
        const std::vector<std::string>& tags = vg.pvs[i].tags;
        if (std::find(tags.begin(), tags.end(), tag) == tags.end()) continue;
        absl::Status added = AddPvEntry(vg, free_runs, i, "", true, log, list);
        if (!added.ok()) return added;
      }
      continue;
    }
    const size_t colon = arg.find(':');
    const std::string name = arg.substr(0, colon);
    const int pv = FindPvByName(vg, name);
    if (pv < 0) {
      return FailCommand(log, absl::StrCat("Physical Volume \"", name,
                                           "\" not found in Volume Group \"",
                                           vg.name, "\"."));
    }
    const bool whole = colon == std::string::npos;
    absl::Status added = AddPvEntry(vg, free_runs, static_cast<size_t>(pv),
                                    whole ? "" : arg.substr(colon), whole, log,
                                    list);
    if (!added.ok()) return added;
  }
  if (list->empty()) {
    return FailCommand(log, "No specified PVs have space available.");
  }
  return absl::OkStatus();
}

std::vector<PvListEntry> WholeVgPvList(const VgModel& vg) {
  std::vector<PvListEntry> list;
  for (size_t i = 0; i < vg.pvs.size(); ++i) {
    list.push_back({i, {{0, vg.pvs[i].pe_count}}});
  }
  return list;
}

Extent FreeExtentsInList(absl::Span<const PvListEntry> list,
                         absl::Span<const std::vector<Area>> free_runs) {
  Extent total = 0;
  for (const PvListEntry& entry : list) {
    for (const PeRange& range : entry.ranges) {
      for (const Area& run : free_runs[entry.pv]) {
        const Extent lo = std::max(run.start, range.start);
        const Extent hi = std::min(run.start + run.count, range.start + range.count);
        if (hi > lo) total += hi - lo;
      }
    }
  }
  return total;
}

}  // namespace liballoc::lvm
