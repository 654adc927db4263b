#include "lvm/metadata_reader.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lvm/free_space.h"

namespace liballoc::lvm {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A section kept in `extra`: "{\n<children as config text>}". The writer
// recognises the leading '{' and writes it back as a section.
std::string SectionRawValue(const ConfigNode& node) {
  std::string out = "{\n";
  for (const auto& child : node.children) out += child->ToText(0);
  out += "}";
  return out;
}

RawField ToRawField(const ConfigNode& node) {
  return {node.key, node.is_section ? SectionRawValue(node) : node.ValueText()};
}

// Reads the typed fields of one section; `where` ("PV pv3", "LV lv1
// segment2") prefixes every error.
class SectionReader {
 public:
  SectionReader(const ConfigNode& node, std::string where)
      : node_(node), where_(std::move(where)) {}

  const std::string& where() const { return where_; }

  absl::Status Error(const ConfigNode& at, std::string_view what) const {
    return absl::InvalidArgumentError(absl::StrFormat(
        "metadata line %d: %s: %s", at.line, where_, what));
  }

  absl::Status MissingKey(std::string_view key) const {
    return absl::InvalidArgumentError(absl::StrFormat(
        "metadata line %d: %s: missing \"%s\"", node_.line, where_, key));
  }

  absl::StatusOr<const ConfigNode*> Value(const ConfigNode& n) const {
    if (n.is_section) {
      return Error(n, absl::StrFormat("\"%s\" must be a value, not a section", n.key));
    }
    return &n;
  }

  absl::StatusOr<uint64_t> Uint(const ConfigNode& n) const {
    if (n.is_section || n.values.size() != 1 ||
        n.values[0].kind != ConfigValue::Kind::kInt || n.values[0].int_value < 0) {
      return Error(n, absl::StrFormat("\"%s\" must be a non-negative integer, not %s",
                                      n.key, n.is_section ? "a section" : n.ValueText()));
    }
    return static_cast<uint64_t>(n.values[0].int_value);
  }

  // LVM2 keeps extent counts and positions in uint32_t; a larger value would
  // be cut short by LVM2, so it is rejected here rather than guessed at.
  absl::StatusOr<uint64_t> Uint32(const ConfigNode& n) const {
    absl::StatusOr<uint64_t> v = Uint(n);
    if (v.ok() && *v > 0xffffffffull) {
      return Error(n, absl::StrFormat("\"%s\" is %u, above LVM2's 32-bit limit 4294967295",
                                      n.key, *v));
    }
    return v;
  }

  absl::StatusOr<std::string> String(const ConfigNode& n) const {
    if (n.is_section || n.values.size() != 1 ||
        n.values[0].kind != ConfigValue::Kind::kString) {
      return Error(n, absl::StrFormat("\"%s\" must be a string, not %s", n.key,
                                      n.is_section ? "a section" : n.ValueText()));
    }
    return n.values[0].text;
  }

  // A list of strings; like dm_config, a single string counts as a list.
  absl::StatusOr<std::vector<std::string>> Strings(const ConfigNode& n) const {
    std::vector<std::string> out;
    bool ok = !n.is_section;
    for (const ConfigValue& v : n.values) {
      if (v.kind != ConfigValue::Kind::kString) ok = false;
      out.push_back(v.text);
    }
    if (!ok) {
      return Error(n, absl::StrFormat("\"%s\" must be a list of strings, not %s", n.key,
                                      n.is_section ? "a section" : n.ValueText()));
    }
    return out;
  }

 private:
  const ConfigNode& node_;
  std::string where_;
};

#define ASSIGN_OR_RETURN_IMPL(var, expr, tmp) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  var = *std::move(tmp)
#define ASSIGN_CONCAT_(a, b) a##b
#define ASSIGN_CONCAT(a, b) ASSIGN_CONCAT_(a, b)
#define ASSIGN_OR_RETURN(var, expr) \
  ASSIGN_OR_RETURN_IMPL(var, expr, ASSIGN_CONCAT(status_or_, __LINE__))

struct Names {
  absl::flat_hash_set<std::string_view> pvs;
  absl::flat_hash_set<std::string_view> lvs;
};

absl::Status ReadPv(const ConfigNode& node, PvModel* pv) {
  pv->key = node.key;
  SectionReader r(node, absl::StrCat("PV ", node.key));
  if (!node.is_section) return r.Error(node, "must be a section");
  bool have_id = false, have_status = false, have_pe_start = false, have_pe_count = false;
  for (const auto& child_ptr : node.children) {
    const ConfigNode& c = *child_ptr;
    if (c.key == "id") {
      ASSIGN_OR_RETURN(pv->id, r.String(c));
      have_id = true;
    } else if (c.key == "device") {
      ASSIGN_OR_RETURN(pv->device, r.String(c));
    } else if (c.key == "status") {
      ASSIGN_OR_RETURN(pv->status, r.Strings(c));
      have_status = true;
    } else if (c.key == "flags") {
      ASSIGN_OR_RETURN(pv->flags, r.Strings(c));
    } else if (c.key == "tags") {
      ASSIGN_OR_RETURN(pv->tags, r.Strings(c));
    } else if (c.key == "dev_size") {
      ASSIGN_OR_RETURN(pv->dev_size, r.Uint(c));
    } else if (c.key == "pe_start") {
      ASSIGN_OR_RETURN(pv->pe_start, r.Uint(c));
      have_pe_start = true;
    } else if (c.key == "pe_count") {
      ASSIGN_OR_RETURN(pv->pe_count, r.Uint32(c));
      have_pe_count = true;
    } else {
      pv->extra.push_back(ToRawField(c));
    }
  }
  if (!have_id) return r.MissingKey("id");
  if (!have_status) return r.MissingKey("status");
  if (!have_pe_start) return r.MissingKey("pe_start");
  if (!have_pe_count) return r.MissingKey("pe_count");
  return absl::OkStatus();
}

// The `stripes` / `mirrors` list: "name", start pairs naming PVs or LVs.
absl::Status ReadAreaPairs(const SectionReader& r, const ConfigNode& c, const Names& names,
                           std::vector<AreaModel>* areas) {
  if (c.is_section) return r.Error(c, absl::StrFormat("\"%s\" must be a list", c.key));
  if (c.values.size() % 2 != 0) {
    return r.Error(c, absl::StrFormat("\"%s\" must hold name, extent pairs; it has %d "
                                      "entries", c.key, c.values.size()));
  }
  for (size_t i = 0; i < c.values.size(); i += 2) {
    const ConfigValue& name = c.values[i];
    const ConfigValue& start = c.values[i + 1];
    if (name.kind != ConfigValue::Kind::kString) {
      return r.Error(c, absl::StrFormat("entry %d of \"%s\" must be a PV or LV name, not %s",
                                        i + 1, c.key, name.ToText()));
    }
    if (start.kind != ConfigValue::Kind::kInt || start.int_value < 0) {
      return r.Error(c, absl::StrFormat("entry %d of \"%s\" (after \"%s\") must be a "
                                        "non-negative extent, not %s",
                                        i + 2, c.key, name.text, start.ToText()));
    }
    AreaModel area;
    area.name = name.text;
    area.start = static_cast<uint64_t>(start.int_value);
    if (names.pvs.contains(name.text)) {
      area.is_lv = false;
    } else if (names.lvs.contains(name.text)) {
      area.is_lv = true;
    } else {
      return r.Error(c, absl::StrFormat("\"%s\" names \"%s\", which is neither a PV nor an "
                                        "LV of the VG", c.key, name.text));
    }
    areas->push_back(std::move(area));
  }
  return absl::OkStatus();
}

// The `raids` list: per image, optionally its rmeta LV, then the rimage LV
// (LVM2 tells them apart by "_rmeta_" in the name). `raid0_lvs` has no rmeta.
absl::Status ReadRaidList(const SectionReader& r, const ConfigNode& c, const Names& names,
                          SegmentModel* seg) {
  if (c.is_section) return r.Error(c, absl::StrFormat("\"%s\" must be a list", c.key));
  size_t images_without_meta = 0;
  for (size_t i = 0; i < c.values.size(); ++i) {
    const ConfigValue& v = c.values[i];
    if (v.kind != ConfigValue::Kind::kString) {
      return r.Error(c, absl::StrFormat("entry %d of \"%s\" must be an LV name, not %s",
                                        i + 1, c.key, v.ToText()));
    }
    if (!names.lvs.contains(v.text)) {
      return r.Error(c, absl::StrFormat("\"%s\" names LV \"%s\", which is not in the VG",
                                        c.key, v.text));
    }
    AreaModel area;
    area.is_lv = true;
    area.name = v.text;
    if (c.key == "raids" && v.text.find("_rmeta_") != std::string::npos) {
      if (seg->meta_areas.size() != seg->areas.size()) {
        return r.Error(c, absl::StrFormat("\"%s\": rmeta LV \"%s\" follows another rmeta LV",
                                          c.key, v.text));
      }
      seg->meta_areas.push_back(std::move(area));
    } else {
      if (seg->meta_areas.size() != seg->areas.size() + 1) ++images_without_meta;
      seg->areas.push_back(std::move(area));
    }
  }
  if (seg->meta_areas.size() > seg->areas.size()) {
    return r.Error(c, absl::StrFormat("\"%s\" ends with an rmeta LV and no rimage LV", c.key));
  }
  // The model keeps rmeta LVs as a list parallel to the images: all or none.
  if (!seg->meta_areas.empty() && images_without_meta > 0) {
    return r.Error(c, absl::StrFormat("\"%s\" mixes images with and without an rmeta LV",
                                      c.key));
  }
  return absl::OkStatus();
}

enum class AreaStyle { kNone, kStripes, kMirrors, kRaid };

AreaStyle StyleOf(std::string_view type) {
  type = BaseSegmentType(type);
  if (type == "striped") return AreaStyle::kStripes;
  if (type == "mirror") return AreaStyle::kMirrors;
  if (StartsWith(type, "raid")) return AreaStyle::kRaid;
  return AreaStyle::kNone;
}

absl::Status ReadSegment(const ConfigNode& node, const LvModel& lv, const Names& names,
                         SegmentModel* seg) {
  SectionReader r(node, absl::StrFormat("LV %s %s", lv.name, node.key));
  const ConfigNode* type = node.Child("type");
  if (type == nullptr) return r.MissingKey("type");
  ASSIGN_OR_RETURN(seg->type, r.String(*type));
  const AreaStyle style = StyleOf(seg->type);
  const bool raid0 = StartsWith(BaseSegmentType(seg->type), "raid0");
  // raid0 lists its images in `raid0_lvs`; raid0_meta and the others pair
  // rmeta and rimage LVs in `raids`.
  const char* raid_list = BaseSegmentType(seg->type) == "raid0" ? "raid0_lvs" : "raids";

  bool have_start = false, have_count = false, have_areas = false;
  const ConfigNode* count_node = nullptr;  // stripe_count / mirror_count / device_count
  for (const auto& child_ptr : node.children) {
    const ConfigNode& c = *child_ptr;
    const std::string& k = c.key;
    if (k == "start_extent") {
      ASSIGN_OR_RETURN(seg->start_extent, r.Uint32(c));
      have_start = true;
    } else if (k == "extent_count") {
      ASSIGN_OR_RETURN(seg->extent_count, r.Uint32(c));
      have_count = true;
    } else if (k == "type") {
      continue;
    } else if (k == "tags") {
      ASSIGN_OR_RETURN(seg->tags, r.Strings(c));
    } else if (style != AreaStyle::kNone && k == "stripe_size") {
      ASSIGN_OR_RETURN(seg->stripe_size, r.Uint(c));
    } else if (style != AreaStyle::kNone && style != AreaStyle::kStripes &&
               k == "region_size") {
      ASSIGN_OR_RETURN(seg->region_size, r.Uint(c));
    } else if ((style == AreaStyle::kStripes && k == "stripe_count") ||
               (style == AreaStyle::kMirrors && k == "mirror_count") ||
               (style == AreaStyle::kRaid && (k == "device_count" || k == "stripe_count"))) {
      // Derived from the area list; checked below and written back from it.
      if (count_node != nullptr) {
        return r.Error(c, absl::StrFormat("has both \"%s\" and \"%s\"", count_node->key, k));
      }
      count_node = &c;
    } else if ((style == AreaStyle::kStripes && k == "stripes") ||
               (style == AreaStyle::kMirrors && k == "mirrors")) {
      if (absl::Status s = ReadAreaPairs(r, c, names, &seg->areas); !s.ok()) return s;
      have_areas = true;
    } else if (style == AreaStyle::kRaid && k == raid_list) {
      if (absl::Status s = ReadRaidList(r, c, names, seg); !s.ok()) return s;
      have_areas = true;
    } else if (style == AreaStyle::kMirrors && k == "mirror_log") {
      ASSIGN_OR_RETURN(seg->mirror_log, r.String(c));
      if (!names.lvs.contains(seg->mirror_log)) {
        return r.Error(c, absl::StrFormat("mirror_log \"%s\" is not an LV of the VG",
                                          seg->mirror_log));
      }
    } else {
      seg->extra.push_back(ToRawField(c));
    }
  }
  if (!have_start) return r.MissingKey("start_extent");
  if (!have_count) return r.MissingKey("extent_count");
  if (style != AreaStyle::kNone) {
    const char* list = style == AreaStyle::kStripes   ? "stripes"
                       : style == AreaStyle::kMirrors ? "mirrors"
                                                      : raid_list;
    if (!have_areas) return r.MissingKey(list);
    if (seg->areas.empty()) {
      return r.Error(node, absl::StrFormat("\"%s\" lists no areas", list));
    }
    if (count_node == nullptr) {
      return r.MissingKey(style == AreaStyle::kMirrors ? "mirror_count"
                          : style == AreaStyle::kRaid && !raid0 ? "device_count"
                                                                : "stripe_count");
    }
    ASSIGN_OR_RETURN(uint64_t count, r.Uint(*count_node));
    if (count != seg->areas.size()) {
      return r.Error(*count_node, absl::StrFormat("%s = %d but \"%s\" lists %d areas",
                                                  count_node->key, count, list,
                                                  seg->areas.size()));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadLv(const ConfigNode& node, const Names& names, LvModel* lv) {
  lv->name = node.key;
  SectionReader r(node, absl::StrCat("LV ", node.key));
  if (!node.is_section) return r.Error(node, "must be a section");
  bool have_id = false, have_status = false;
  const ConfigNode* segment_count = nullptr;
  for (const auto& child_ptr : node.children) {
    const ConfigNode& c = *child_ptr;
    if (c.is_section) {  // every subsection is a segment, as in LVM2
      SegmentModel seg;
      if (absl::Status s = ReadSegment(c, *lv, names, &seg); !s.ok()) return s;
      lv->segments.push_back(std::move(seg));
    } else if (c.key == "id") {
      ASSIGN_OR_RETURN(lv->id, r.String(c));
      have_id = true;
    } else if (c.key == "status") {
      ASSIGN_OR_RETURN(lv->status, r.Strings(c));
      have_status = true;
    } else if (c.key == "flags") {
      ASSIGN_OR_RETURN(lv->flags, r.Strings(c));
    } else if (c.key == "tags") {
      ASSIGN_OR_RETURN(lv->tags, r.Strings(c));
    } else if (c.key == "allocation_policy") {
      ASSIGN_OR_RETURN(lv->allocation_policy, r.String(c));
    } else if (c.key == "segment_count") {
      segment_count = &c;  // derived; written back from the segment list
    } else {
      lv->extra.push_back(ToRawField(c));
    }
  }
  if (!have_id) return r.MissingKey("id");
  if (!have_status) return r.MissingKey("status");
  if (segment_count == nullptr) return r.MissingKey("segment_count");
  ASSIGN_OR_RETURN(uint64_t count, r.Uint(*segment_count));
  if (count != lv->segments.size()) {
    return r.Error(*segment_count,
                   absl::StrFormat("segment_count = %d but the LV has %d segment sections",
                                   count, lv->segments.size()));
  }
  // LVM2 orders segments by start_extent whatever their section names.
  std::stable_sort(lv->segments.begin(), lv->segments.end(),
                   [](const SegmentModel& a, const SegmentModel& b) {
                     return a.start_extent < b.start_extent;
                   });
  return absl::OkStatus();
}

absl::Status ReadVg(const ConfigNode& node, VgModel* vg) {
  vg->name = node.key;
  SectionReader r(node, absl::StrCat("VG ", node.key));
  const ConfigNode* pvs = nullptr;
  const ConfigNode* lvs = nullptr;
  bool have_id = false, have_seqno = false, have_status = false, have_extent_size = false;
  for (const auto& child_ptr : node.children) {
    const ConfigNode& c = *child_ptr;
    if (c.key == "id") {
      ASSIGN_OR_RETURN(vg->id, r.String(c));
      have_id = true;
    } else if (c.key == "seqno") {
      ASSIGN_OR_RETURN(vg->seqno, r.Uint(c));
      have_seqno = true;
    } else if (c.key == "status") {
      ASSIGN_OR_RETURN(vg->status, r.Strings(c));
      have_status = true;
    } else if (c.key == "flags") {
      ASSIGN_OR_RETURN(vg->flags, r.Strings(c));
    } else if (c.key == "tags") {
      ASSIGN_OR_RETURN(vg->tags, r.Strings(c));
    } else if (c.key == "extent_size") {
      ASSIGN_OR_RETURN(vg->extent_size, r.Uint(c));
      have_extent_size = true;
    } else if (c.key == "allocation_policy") {
      ASSIGN_OR_RETURN(vg->alloc_policy, r.String(c));
    } else if (c.key == "physical_volumes" || c.key == "logical_volumes") {
      // LVM2 reads these only as sections; a value under either name would
      // also collide with the section the writer emits.
      if (!c.is_section) return r.Error(c, c.key + " must be a section, not a value");
      (c.key == "physical_volumes" ? pvs : lvs) = &c;
    } else {
      vg->extra.push_back(ToRawField(c));
    }
  }
  if (!have_id) return r.MissingKey("id");
  if (!have_seqno) return r.MissingKey("seqno");
  if (!have_status) return r.MissingKey("status");
  if (!have_extent_size) return r.MissingKey("extent_size");
  if (vg->extent_size == 0) return r.Error(node, "extent_size is 0");
  if (pvs == nullptr) return r.MissingKey("physical_volumes");

  Names names;
  vg->pvs.resize(pvs->children.size());
  for (size_t i = 0; i < pvs->children.size(); ++i) {
    if (absl::Status s = ReadPv(*pvs->children[i], &vg->pvs[i]); !s.ok()) return s;
    names.pvs.insert(vg->pvs[i].key);
  }
  if (lvs != nullptr) {
    // Areas may name LVs defined later in the file: collect names first.
    // An LV may share its name with a PV key (lvcreate -n pv1 is valid): an
    // area naming it is the PV, as LVM2's text_import_areas looks PVs up
    // first (ReadAreaPairs).
    for (const auto& lv : lvs->children) names.lvs.insert(lv->key);
    vg->lvs.resize(lvs->children.size());
    for (size_t i = 0; i < lvs->children.size(); ++i) {
      if (absl::Status s = ReadLv(*lvs->children[i], names, &vg->lvs[i]); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<VgModel> VgModelFromConfig(const ConfigNode& root) {
  VgModel vg;
  const ConfigNode* vg_node = nullptr;
  for (const auto& child : root.children) {
    if (!child->is_section) {
      vg.header.push_back(ToRawField(*child));
    } else if (vg_node == nullptr) {
      vg_node = child.get();
    } else {
      return absl::InvalidArgumentError(absl::StrFormat(
          "metadata line %d: a second top-level section \"%s\" after VG \"%s\"; a "
          "metadata file describes exactly one VG",
          child->line, child->key, vg_node->key));
    }
  }
  if (vg_node == nullptr) {
    return absl::InvalidArgumentError("metadata has no VG section");
  }
  if (absl::Status s = ReadVg(*vg_node, &vg); !s.ok()) return s;
  if (absl::Status s = ValidateVgModel(vg); !s.ok()) return s;
  return vg;
}

namespace {

// LVM2 never writes a line break inside a string (names, tags and flags
// cannot hold one) nor an empty key, and neither could be written back
// unchanged (the writer re-indents kept sections line by line). Metadata is
// stricter than --config text here, as it is about NUL bytes and nesting.
absl::Status RejectLineBreaksInStrings(const ConfigNode& node) {
  for (const ConfigValue& v : node.values) {
    if (v.kind == ConfigValue::Kind::kString &&
        v.text.find_first_of("\n\r") != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "metadata line %d, column %d: a string value of \"%s\" contains a line break",
          node.line, node.column, node.key));
    }
  }
  for (const auto& child : node.children) {
    if (child->key.empty()) {
      // dm_config makes one from "a/" or ""; LVM2 never writes one, and it
      // could not be written back.
      return absl::InvalidArgumentError(absl::StrFormat(
          "metadata line %d, column %d: empty key", child->line, child->column));
    }
    if (absl::Status s = RejectLineBreaksInStrings(*child); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<VgModel> ParseMetadata(std::string_view text) {
  absl::StatusOr<ConfigNode> root = ParseConfigText(text, "metadata");
  if (!root.ok()) return root.status();
  if (absl::Status s = RejectLineBreaksInStrings(*root); !s.ok()) return s;
  return VgModelFromConfig(*root);
}

absl::Status ValidateVgModel(const VgModel& vg) {
  absl::flat_hash_map<std::string_view, size_t> pv_index;
  for (size_t i = 0; i < vg.pvs.size(); ++i) {
    if (!pv_index.emplace(vg.pvs[i].key, i).second) {
      return absl::InvalidArgumentError(
          absl::StrFormat("VG %s: PV key \"%s\" appears twice", vg.name, vg.pvs[i].key));
    }
  }
  absl::flat_hash_set<std::string_view> lv_names;
  for (const LvModel& lv : vg.lvs) {
    if (!lv_names.insert(lv.name).second) {
      return absl::InvalidArgumentError(
          absl::StrFormat("VG %s: LV name \"%s\" appears twice", vg.name, lv.name));
    }
  }

  struct Use {
    uint64_t start, end;
    const LvModel* lv;
    size_t seg;
  };
  std::vector<std::vector<Use>> uses(vg.pvs.size());
  for (const LvModel& lv : vg.lvs) {
    uint64_t le = 0;
    for (size_t s = 0; s < lv.segments.size(); ++s) {
      const SegmentModel& seg = lv.segments[s];
      auto seg_error = [&](const std::string& what) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "LV %s segment %d (LE %d, %d extents, %s): %s", lv.name, s + 1,
            seg.start_extent, seg.extent_count, seg.type, what));
      };
      if (seg.start_extent != le) {
        return seg_error(absl::StrFormat(
            "starts at LE %d but the segments before it end at LE %d (segments must be "
            "contiguous from LE 0)", seg.start_extent, le));
      }
      if (seg.extent_count == 0) return seg_error("has no extents");
      if (seg.extent_count > UINT64_MAX - le) return seg_error("the LV's length overflows");
      le += seg.extent_count;
      const uint64_t multiple = AreaMultiple(seg.type, seg.areas.size());
      if (StyleOf(seg.type) == AreaStyle::kStripes && seg.extent_count % multiple != 0) {
        return seg_error(absl::StrFormat("extent_count is not a multiple of its %d stripes",
                                         multiple));
      }
      const uint64_t area_len = seg.extent_count / multiple;
      for (const AreaModel& area : seg.areas) {
        if (area.is_lv) {
          if (!lv_names.contains(area.name)) {
            return seg_error(absl::StrFormat("area LV \"%s\" is not in the VG", area.name));
          }
          if (area.name == lv.name) return seg_error("an area refers to the LV itself");
          continue;
        }
        auto it = pv_index.find(area.name);
        if (it == pv_index.end()) {
          return seg_error(absl::StrFormat("area PV \"%s\" is not in the VG", area.name));
        }
        const PvModel& pv = vg.pvs[it->second];
        if (area.start > pv.pe_count || area_len > pv.pe_count - area.start) {
          return seg_error(absl::StrFormat(
              "area %s:%d-%d lies outside the PV (pe_count %d)", pv.key, area.start,
              area.start + area_len - 1, pv.pe_count));
        }
        uses[it->second].push_back({area.start, area.start + area_len, &lv, s});
      }
      for (const AreaModel& area : seg.meta_areas) {
        if (!area.is_lv || !lv_names.contains(area.name)) {
          return seg_error(absl::StrFormat("metadata area \"%s\" is not an LV of the VG",
                                           area.name));
        }
      }
      if (!seg.mirror_log.empty() && !lv_names.contains(seg.mirror_log)) {
        return seg_error(absl::StrFormat("mirror_log \"%s\" is not an LV of the VG",
                                         seg.mirror_log));
      }
    }
  }
  for (size_t p = 0; p < uses.size(); ++p) {
    std::vector<Use>& list = uses[p];
    std::sort(list.begin(), list.end(),
              [](const Use& a, const Use& b) { return a.start < b.start; });
    for (size_t i = 1; i < list.size(); ++i) {
      const Use& a = list[i - 1];
      const Use& b = list[i];
      if (b.start < a.end) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "PV %s: PEs %d-%d of LV %s segment %d overlap PEs %d-%d of LV %s segment %d",
            vg.pvs[p].key, b.start, b.end - 1, b.lv->name, b.seg + 1, a.start, a.end - 1,
            a.lv->name, a.seg + 1));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace liballoc::lvm
