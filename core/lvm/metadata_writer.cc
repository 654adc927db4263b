#include "lvm/metadata_writer.h"

#include <initializer_list>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "lvm/config_text.h"
#include "lvm/free_space.h"

namespace liballoc::lvm {
namespace {


std::string StringList(const std::vector<std::string>& list) {
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += Quote(list[i]);
  }
  return out + "]";
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

class Emitter {
 public:
  void Line(std::string_view key, std::string_view value) {
    Indent();
    out_.append(KeyText(key)).append(" = ").append(value).append("\n");
  }
  void Blank() { out_ += "\n"; }
  void Open(std::string_view name) {
    Indent();
    out_.append(KeyText(name)).append(" {\n");
    ++indent_;
  }
  void Close() {
    --indent_;
    Indent();
    out_ += "}\n";
  }
  // A kept key: a value, or a section (its value starts with '{', see the
  // reader) whose body is re-indented at the current level.
  void Raw(const RawField& field) {
    if (!StartsWith(field.second, "{")) {
      Line(field.first, field.second);
      return;
    }
    Open(field.first);
    std::string_view body = field.second;
    body.remove_prefix(1);
    if (!body.empty() && body.back() == '}') body.remove_suffix(1);
    for (absl::string_view line : absl::StrSplit(absl::string_view(body.data(), body.size()),
                                                  '\n', absl::SkipEmpty())) {
      Indent();
      out_.append(line.data(), line.size()).append("\n");
    }
    Close();
  }
  // `key = [` then one line per group of `per_line` items, then `]`.
  void List(std::string_view key, const std::vector<std::string>& items, size_t per_line) {
    Indent();
    out_.append(KeyText(key)).append(" = [\n");
    ++indent_;
    for (size_t i = 0; i < items.size(); i += per_line) {
      Indent();
      for (size_t j = i; j < i + per_line && j < items.size(); ++j) {
        if (j > i) out_ += ", ";
        out_ += items[j];
      }
      if (i + per_line < items.size()) out_ += ",";
      out_ += "\n";
    }
    --indent_;
    Indent();
    out_ += "]\n";
  }
  std::string Take() { return std::move(out_); }

 private:
  void Indent() { out_.append(static_cast<size_t>(indent_), '\t'); }
  std::string out_;
  int indent_ = 0;
};

// Emits a section's kept keys: some at LVM2's positions for them, the rest
// (in their original order) when Rest is called.
class Extras {
 public:
  Extras(const std::vector<RawField>& fields, Emitter* e)
      : fields_(fields), used_(fields.size(), false), e_(e) {}

  bool Has(std::string_view key) const {
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (!used_[i] && fields_[i].first == key) return true;
    }
    return false;
  }
  void Put(std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys) {
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (!used_[i] && fields_[i].first == key) {
          used_[i] = true;
          e_->Raw(fields_[i]);
        }
      }
    }
  }
  // The remaining values, or the remaining sections.
  void Rest(bool sections) {
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (!used_[i] && StartsWith(fields_[i].second, "{") == sections) {
        used_[i] = true;
        e_->Raw(fields_[i]);
      }
    }
  }

 private:
  const std::vector<RawField>& fields_;
  std::vector<bool> used_;
  Emitter* e_;
};

std::string AreaItem(const AreaModel& a) { return absl::StrCat(Quote(a.name), ", ", a.start); }

void WriteSegment(const SegmentModel& seg, size_t number, Emitter* e) {
  e->Open(absl::StrCat("segment", number));
  Extras extra(seg.extra, e);
  e->Line("start_extent", absl::StrCat(seg.start_extent));
  e->Line("extent_count", absl::StrCat(seg.extent_count));
  e->Blank();
  extra.Put({"reshape_count"});
  e->Line("type", Quote(seg.type));
  if (!seg.tags.empty()) e->Line("tags", StringList(seg.tags));

  const std::string_view type = BaseSegmentType(seg.type);
  const std::string count = absl::StrCat(seg.areas.size());
  if (type == "striped") {
    e->Line("stripe_count", count);
    if (seg.areas.size() > 1 || seg.stripe_size != 0) {
      e->Line("stripe_size", absl::StrCat(seg.stripe_size));
    }
    extra.Rest(false);
    e->Blank();
    std::vector<std::string> items;
    for (const AreaModel& a : seg.areas) items.push_back(AreaItem(a));
    e->List("stripes", items, 1);
  } else if (type == "mirror") {
    e->Line("mirror_count", count);
    extra.Put({"extents_moved"});
    if (!seg.mirror_log.empty()) e->Line("mirror_log", Quote(seg.mirror_log));
    if (seg.region_size != 0) e->Line("region_size", absl::StrCat(seg.region_size));
    if (seg.stripe_size != 0) e->Line("stripe_size", absl::StrCat(seg.stripe_size));
    extra.Rest(false);
    e->Blank();
    std::vector<std::string> items;
    for (const AreaModel& a : seg.areas) items.push_back(AreaItem(a));
    e->List("mirrors", items, 1);
  } else if (StartsWith(type, "raid")) {
    const bool raid0 = StartsWith(type, "raid0");
    e->Line(raid0 ? "stripe_count" : "device_count", count);
    if (!raid0) {
      extra.Put({"data_copies"});
      if (seg.region_size != 0) e->Line("region_size", absl::StrCat(seg.region_size));
    }
    if (seg.stripe_size != 0) e->Line("stripe_size", absl::StrCat(seg.stripe_size));
    if (raid0 && seg.region_size != 0) {
      e->Line("region_size", absl::StrCat(seg.region_size));
    }
    extra.Put({"writebehind", "min_recovery_rate", "max_recovery_rate", "data_offset"});
    extra.Rest(false);
    e->Blank();
    std::vector<std::string> items;
    const bool with_meta = !seg.meta_areas.empty();
    for (size_t i = 0; i < seg.areas.size(); ++i) {
      if (with_meta) items.push_back(Quote(seg.meta_areas[i].name));
      items.push_back(Quote(seg.areas[i].name));
    }
    e->List(type == "raid0" ? "raid0_lvs" : "raids", items, with_meta ? 2 : 1);
  } else {
    extra.Rest(false);
  }
  extra.Rest(true);
  e->Close();
}

void WriteLv(const VgModel& vg, const LvModel& lv, const WriteOptions& options, Emitter* e) {
  e->Blank();
  e->Open(lv.name);
  Extras extra(lv.extra, e);
  e->Line("id", Quote(lv.id.empty() ? LvmStyleId(absl::StrCat(vg.id, "/", lv.name)) : lv.id));
  e->Line("status", StringList(lv.status));
  e->Line("flags", StringList(lv.flags));
  if (!lv.tags.empty()) e->Line("tags", StringList(lv.tags));
  if (extra.Has("creation_time")) {
    extra.Put({"creation_time", "creation_host"});
  } else if (options.creation_time != 0) {
    e->Line("creation_time", absl::StrCat(options.creation_time));
    e->Line("creation_host", Quote(options.creation_host));
  }
  extra.Put({"lock_args"});
  if (!lv.allocation_policy.empty() && lv.allocation_policy != "inherit") {
    e->Line("allocation_policy", Quote(lv.allocation_policy));
  }
  extra.Put({"profile", "read_ahead", "major", "minor"});
  extra.Rest(false);
  e->Line("segment_count", absl::StrCat(lv.segments.size()));
  e->Blank();
  for (size_t i = 0; i < lv.segments.size(); ++i) WriteSegment(lv.segments[i], i + 1, e);
  extra.Rest(true);
  e->Close();
}

void WritePv(const PvModel& pv, Emitter* e) {
  e->Blank();
  e->Open(pv.key);
  Extras extra(pv.extra, e);
  e->Line("id", Quote(pv.id));
  e->Line("device", Quote(pv.device));
  e->Blank();
  extra.Put({"device_id_type", "device_id"});
  e->Line("status", StringList(pv.status));
  e->Line("flags", StringList(pv.flags));
  if (!pv.tags.empty()) e->Line("tags", StringList(pv.tags));
  e->Line("dev_size", absl::StrCat(pv.dev_size));
  e->Line("pe_start", absl::StrCat(pv.pe_start));
  e->Line("pe_count", absl::StrCat(pv.pe_count));
  extra.Put({"ba_start", "ba_size"});
  extra.Rest(false);
  extra.Rest(true);
  e->Close();
}

}  // namespace

std::string LvmStyleId(std::string_view seed) {
  static constexpr char kChars[] =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#";
  // FNV-1a of the seed, then a splitmix64 stream: fixed, portable, and
  // independent of std::hash.
  uint64_t state = 0xcbf29ce484222325ULL;
  for (unsigned char c : seed) {
    state ^= c;
    state *= 0x100000001b3ULL;
  }
  std::string chars;
  while (chars.size() < 32) {
    state += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (int k = 0; k < 10 && chars.size() < 32; ++k, z >>= 6) chars.push_back(kChars[z & 63]);
  }
  std::string id;
  size_t pos = 0;
  for (size_t group : {6, 4, 4, 4, 4, 4, 6}) {
    if (!id.empty()) id += "-";
    id += chars.substr(pos, group);
    pos += group;
  }
  return id;
}

std::string WriteMetadata(const VgModel& vg, const WriteOptions& options) {
  Emitter e;
  if (vg.header.empty()) {
    e.Line("contents", Quote("Text Format Volume Group"));
    e.Line("version", "1");
    e.Blank();
    e.Line("description", Quote(options.description));
    e.Blank();
    e.Line("creation_host", Quote(options.creation_host));
    e.Line("creation_time", absl::StrCat(options.creation_time));
  } else {
    for (const RawField& field : vg.header) {
      e.Raw(field);
      if (field.first == "version" || field.first == "description") e.Blank();
    }
  }
  e.Blank();
  e.Open(vg.name);
  Extras extra(vg.extra, &e);
  e.Line("id", Quote(vg.id));
  e.Line("seqno", absl::StrCat(vg.seqno));
  extra.Put({"format"});
  e.Line("status", StringList(vg.status));
  e.Line("flags", StringList(vg.flags));
  if (!vg.tags.empty()) e.Line("tags", StringList(vg.tags));
  extra.Put({"system_id", "lock_type", "lock_args"});
  e.Line("extent_size", absl::StrCat(vg.extent_size));
  extra.Put({"max_lv", "max_pv"});
  if (!vg.alloc_policy.empty() && vg.alloc_policy != "normal" &&
      vg.alloc_policy != "inherit") {
    e.Blank();
    e.Line("allocation_policy", Quote(vg.alloc_policy));
  }
  extra.Put({"profile", "metadata_copies"});
  extra.Rest(false);
  e.Blank();
  e.Open("physical_volumes");
  for (const PvModel& pv : vg.pvs) WritePv(pv, &e);
  e.Close();
  if (!vg.lvs.empty()) {
    e.Blank();
    e.Open("logical_volumes");
    // LVM2 writes visible LVs first, then hidden ones, each in model order.
    for (bool visible : {true, false}) {
      for (const LvModel& lv : vg.lvs) {
        if (lv.visible() == visible) WriteLv(vg, lv, options, &e);
      }
    }
    e.Close();
  }
  extra.Rest(true);
  e.Close();
  return e.Take();
}

}  // namespace liballoc::lvm
