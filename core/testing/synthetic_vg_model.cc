#include "synthetic_vg_model.h"

#include "absl/strings/str_cat.h"
#include "lvm/metadata_writer.h"
#include "prng.h"

namespace liballoc::testing {
namespace {

// LVM2-style id: 32 alphanumerics grouped 6-4-4-4-4-4-6, derived from `key`.
std::string IdFor(uint64_t key) {
  static constexpr char kChars[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  SplitMix64 rng(key);
  std::string id;
  for (int group : {6, 4, 4, 4, 4, 4, 6}) {
    if (!id.empty()) id += '-';
    for (int i = 0; i < group; ++i) id += kChars[rng.Below(sizeof(kChars) - 1)];
  }
  return id;
}

std::string Quoted(const std::string& s) { return absl::StrCat("\"", s, "\""); }

}  // namespace

lvm::VgModel ToVgModel(const std::vector<Source>& vg, const VgModelOptions& options) {
  lvm::VgModel model;
  model.header = {{"contents", Quoted("Text Format Volume Group")},
                  {"version", "1"},
                  {"description", Quoted("liballoc synthetic VG")},
                  {"creation_host", Quoted("liballoc")},
                  {"creation_time", "0"}};
  model.name = options.vg_name;
  model.id = IdFor(Mix64(0x76670000ULL));
  model.seqno = 1;
  model.status = {"RESIZEABLE", "READ", "WRITE"};
  model.extent_size = options.extent_size;
  model.extra = {{"format", Quoted("lvm2")}, {"max_lv", "0"}, {"max_pv", "0"},
                 {"metadata_copies", "0"}};
  model.pvs.reserve(vg.size());
  for (size_t i = 0; i < vg.size(); ++i) {
    const Source& s = vg[i];
    lvm::PvModel pv;
    pv.key = absl::StrCat("pv", i);
    pv.id = IdFor(Mix64(s.handle ^ 0x7076ULL));
    pv.device = absl::StrCat("/dev/synthetic/pv", i);
    if (s.allocatable) pv.status = {"ALLOCATABLE"};
    pv.tags = s.tags;
    pv.pe_start = options.pe_start;
    pv.pe_count = s.pe_count;
    pv.dev_size = options.pe_start + s.pe_count * options.extent_size;
    model.pvs.push_back(std::move(pv));

    lvm::LvModel lv;
    Extent pe = 0, le = 0;
    auto add_segment = [&](Extent start, Extent count) {
      lvm::SegmentModel seg;
      seg.start_extent = le;
      seg.extent_count = count;
      seg.type = "striped";
      seg.areas.push_back(lvm::AreaModel{false, absl::StrCat("pv", i), start});
      lv.segments.push_back(std::move(seg));
      le += count;
    };
    for (const Area& a : s.areas) {
      if (a.start > pe) add_segment(pe, a.start - pe);
      pe = a.start + a.count;
    }
    if (s.pe_count > pe) add_segment(pe, s.pe_count - pe);
    if (lv.segments.empty()) continue;
    lv.name = absl::StrCat("used", i);
    lv.id = IdFor(Mix64(s.handle ^ 0x6c76ULL));
    lv.status = {"READ", "WRITE", "VISIBLE"};
    lv.extra = {{"creation_time", "0"}, {"creation_host", Quoted("liballoc")}};
    model.lvs.push_back(std::move(lv));
  }
  return model;
}

std::string ToMetadataText(const std::vector<Source>& vg, const VgModelOptions& options) {
  return lvm::WriteMetadata(ToVgModel(vg, options));
}

}  // namespace liballoc::testing
