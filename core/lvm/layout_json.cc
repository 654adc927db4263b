#include "lvm/layout_json.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace liballoc::lvm {
namespace {

// A minimal JSON document model: enough for the layout (no floats, no null).
// Objects are std::map, so keys come out sorted.
class Json {
 public:
  enum class Kind { kBool, kInt, kString, kArray, kObject };

  static Json Bool(bool b) { Json j(Kind::kBool); j.bool_ = b; return j; }
  static Json Int(uint64_t i) { Json j(Kind::kInt); j.int_ = i; return j; }
  static Json String(std::string s) { Json j(Kind::kString); j.string_ = std::move(s); return j; }
  static Json Array() { return Json(Kind::kArray); }
  static Json Object() { return Json(Kind::kObject); }

  Json& Push(Json v) { array_.push_back(std::move(v)); return *this; }
  Json& Set(const std::string& key, Json v) {
    object_.insert_or_assign(key, std::move(v));
    return *this;
  }

  void Write(int indent, std::string* out) const {
    switch (kind_) {
      case Kind::kBool:
        *out += bool_ ? "true" : "false";
        return;
      case Kind::kInt:
        absl::StrAppend(out, int_);
        return;
      case Kind::kString:
        WriteString(string_, out);
        return;
      case Kind::kArray:
      case Kind::kObject:
        WriteContainer(indent, out);
        return;
    }
  }

 private:
  explicit Json(Kind kind) : kind_(kind) {}

  bool IsScalar() const { return kind_ != Kind::kArray && kind_ != Kind::kObject; }
  // Fits on one line inside a one-line container: a scalar or an array of
  // scalars (a PV's tags).
  bool IsInline() const {
    if (IsScalar()) return true;
    if (kind_ == Kind::kObject) return false;
    return std::all_of(array_.begin(), array_.end(),
                       [](const Json& v) { return v.IsScalar(); });
  }

  static void WriteString(const std::string& s, std::string* out) {
    *out += '"';
    for (unsigned char c : s) {
      switch (c) {
        case '"': *out += "\\\""; break;
        case '\\': *out += "\\\\"; break;
        case '\n': *out += "\\n"; break;
        case '\t': *out += "\\t"; break;
        case '\r': *out += "\\r"; break;
        default:
          if (c < 0x20) {
            absl::StrAppendFormat(out, "\\u%04x", c);
          } else {
            *out += static_cast<char>(c);
          }
      }
    }
    *out += '"';
  }

  // Containers of inline members go on one line; others one member per line.
  void WriteContainer(int indent, std::string* out) const {
    const bool object = kind_ == Kind::kObject;
    const size_t size = object ? object_.size() : array_.size();
    *out += object ? '{' : '[';
    if (size == 0) {
      *out += object ? '}' : ']';
      return;
    }
    bool flat = true;
    if (object) {
      for (const auto& [key, value] : object_) flat = flat && value.IsInline();
    } else {
      for (const Json& value : array_) flat = flat && value.IsInline();
    }
    const std::string pad(static_cast<size_t>(indent + 1) * 2, ' ');
    auto separator = [&](bool first) {
      if (!first) *out += flat ? ", " : ",";
      if (!flat) absl::StrAppend(out, "\n", pad);
    };
    bool first = true;
    if (object) {
      for (const auto& [key, value] : object_) {
        separator(first);
        first = false;
        WriteString(key, out);
        *out += ": ";
        value.Write(indent + 1, out);
      }
    } else {
      for (const Json& value : array_) {
        separator(first);
        first = false;
        value.Write(indent + 1, out);
      }
    }
    if (!flat) absl::StrAppend(out, "\n", std::string(static_cast<size_t>(indent) * 2, ' '));
    *out += object ? '}' : ']';
  }

  Kind kind_;
  bool bool_ = false;
  uint64_t int_ = 0;
  std::string string_;
  std::vector<Json> array_;
  std::map<std::string, Json> object_;
};

Json AreaJson(const AreaModel& a) {
  Json j = Json::Object();
  if (a.is_lv) {
    j.Set("lv", Json::String(a.name)).Set("le", Json::Int(a.start));
  } else {
    j.Set("pv", Json::String(a.name)).Set("pe", Json::Int(a.start));
  }
  return j;
}

Json SegmentJson(const SegmentModel& seg) {
  Json j = Json::Object();
  j.Set("start_extent", Json::Int(seg.start_extent));
  j.Set("extent_count", Json::Int(seg.extent_count));
  j.Set("type", Json::String(seg.type));
  j.Set("stripe_count", Json::Int(seg.areas.size()));
  Json areas = Json::Array();
  for (const AreaModel& a : seg.areas) areas.Push(AreaJson(a));
  j.Set("areas", std::move(areas));
  if (!seg.meta_areas.empty()) {
    Json meta = Json::Array();
    for (const AreaModel& a : seg.meta_areas) meta.Push(AreaJson(a));
    j.Set("meta_areas", std::move(meta));
  }
  if (!seg.mirror_log.empty()) j.Set("log", Json::String(seg.mirror_log));
  // params: the segment's numeric settings. Counts are already stripe_count;
  // other kept numbers (chunk_size, data_copies, ...) are informational too.
  Json params = Json::Object();
  if (seg.stripe_size != 0) params.Set("stripe_size", Json::Int(seg.stripe_size));
  if (seg.region_size != 0) params.Set("region_size", Json::Int(seg.region_size));
  for (const RawField& field : seg.extra) {
    const std::string& v = field.second;
    if (!v.empty() && v.size() < 20 &&
        std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      params.Set(field.first, Json::Int(std::stoull(v)));
    }
  }
  j.Set("params", std::move(params));
  return j;
}

std::string AreasText(const std::vector<AreaModel>& areas) {
  std::vector<std::string> parts;
  for (const AreaModel& a : areas) parts.push_back(absl::StrCat(a.name, ":", a.start));
  return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
}

const LvModel* FindLv(const VgModel& vg, const std::string& name) {
  for (const LvModel& lv : vg.lvs) {
    if (lv.name == name) return &lv;
  }
  return nullptr;
}

}  // namespace

std::string LayoutJson(const VgModel& vg) {
  Json root = Json::Object();
  root.Set("vg", Json::String(vg.name));
  root.Set("extent_size", Json::Int(vg.extent_size));
  root.Set("alloc", Json::String(vg.alloc_policy.empty() ? "normal" : vg.alloc_policy));
  Json pvs = Json::Object();
  for (const PvModel& pv : vg.pvs) {
    std::vector<std::string> tags = pv.tags;
    std::sort(tags.begin(), tags.end());
    Json tag_list = Json::Array();
    for (std::string& t : tags) tag_list.Push(Json::String(std::move(t)));
    Json j = Json::Object();
    j.Set("device", Json::String(pv.device))
        .Set("pe_count", Json::Int(pv.pe_count))
        .Set("pe_start", Json::Int(pv.pe_start))
        .Set("allocatable", Json::Bool(pv.allocatable()))
        .Set("tags", std::move(tag_list));
    pvs.Set(pv.key, std::move(j));
  }
  root.Set("pvs", std::move(pvs));
  Json lvs = Json::Object();
  for (const LvModel& lv : vg.lvs) {
    Json j = Json::Object();
    j.Set("visible", Json::Bool(lv.visible()));
    j.Set("alloc", Json::String(lv.allocation_policy.empty() ? "inherit"
                                                             : lv.allocation_policy));
    j.Set("extent_count", Json::Int(lv.le_count()));
    Json segments = Json::Array();
    for (const SegmentModel& seg : lv.segments) segments.Push(SegmentJson(seg));
    j.Set("segments", std::move(segments));
    lvs.Set(lv.name, std::move(j));
  }
  root.Set("lvs", std::move(lvs));
  std::string out;
  root.Write(0, &out);
  out += "\n";
  return out;
}

absl::Status CompareLayouts(const VgModel& expected, const VgModel& actual) {
  constexpr size_t kMaxReported = 10;
  std::vector<std::string> diffs;
  auto add = [&](std::string line) {
    if (diffs.size() <= kMaxReported) diffs.push_back(std::move(line));
  };
  std::vector<std::string> names;
  for (const LvModel& lv : expected.lvs) names.push_back(lv.name);
  for (const LvModel& lv : actual.lvs) {
    if (FindLv(expected, lv.name) == nullptr) names.push_back(lv.name);
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const LvModel* e = FindLv(expected, name);
    const LvModel* a = FindLv(actual, name);
    if (a == nullptr) {
      add(absl::StrFormat("LV %s: expected, missing", name));
      continue;
    }
    if (e == nullptr) {
      add(absl::StrFormat("LV %s: not expected, present (%d extents)", name, a->le_count()));
      continue;
    }
    if (e->visible() != a->visible()) {
      add(absl::StrFormat("LV %s: visible: expected %s, got %s", name,
                          e->visible() ? "true" : "false", a->visible() ? "true" : "false"));
    }
    if (e->segments.size() != a->segments.size()) {
      add(absl::StrFormat("LV %s: expected %d segments (%d extents), got %d (%d extents)",
                          name, e->segments.size(), e->le_count(), a->segments.size(),
                          a->le_count()));
    }
    const size_t n = std::min(e->segments.size(), a->segments.size());
    for (size_t i = 0; i < n; ++i) {
      const SegmentModel& es = e->segments[i];
      const SegmentModel& as = a->segments[i];
      const std::string where =
          absl::StrFormat("LV %s segment %d (LE %d)", name, i + 1, es.start_extent);
      auto field = [&](const char* what, const std::string& ev, const std::string& av) {
        if (ev != av) add(absl::StrFormat("%s: %s: expected %s, got %s", where, what, ev, av));
      };
      field("start_extent", absl::StrCat(es.start_extent), absl::StrCat(as.start_extent));
      field("extent_count", absl::StrCat(es.extent_count), absl::StrCat(as.extent_count));
      field("type", es.type, as.type);
      field("stripe_count", absl::StrCat(es.areas.size()), absl::StrCat(as.areas.size()));
      field("areas", AreasText(es.areas), AreasText(as.areas));
      field("meta_areas", AreasText(es.meta_areas), AreasText(as.meta_areas));
      field("log", es.mirror_log.empty() ? "none" : es.mirror_log,
            as.mirror_log.empty() ? "none" : as.mirror_log);
    }
  }
  if (diffs.empty()) return absl::OkStatus();
  if (diffs.size() > kMaxReported) {
    diffs.back() = "... and more differences";
  }
  return absl::FailedPreconditionError(
      absl::StrCat("layouts differ:\n", absl::StrJoin(diffs, "\n")));
}

}  // namespace liballoc::lvm
