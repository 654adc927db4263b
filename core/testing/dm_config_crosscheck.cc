#include "dm_config_crosscheck.h"

#include <libdevmapper.h>

#include "absl/strings/str_cat.h"
#include "lvm/config_text.h"

namespace liballoc::testing {
namespace {

using lvm::ConfigNode;
using lvm::ConfigValue;
using lvm::ParseConfigText;

// Empty when equal, else where the trees first differ.
std::string Diff(const ConfigNode& ours, const dm_config_node* dm, const std::string& path) {
  const std::string here = path.empty() ? ours.key : absl::StrCat(path, "/", ours.key);
  if (ours.key != dm->key) return absl::StrCat(here, ": key differs from dm's \"", dm->key, "\"");
  if (dm->v != nullptr) {
    if (ours.is_section) return absl::StrCat(here, ": dm has a value, we have a section");
    const dm_config_value* v = dm->v;
    if (v->type == DM_CFG_EMPTY_ARRAY) {
      return ours.values.empty() ? "" : absl::StrCat(here, ": dm has an empty array");
    }
    size_t i = 0;
    for (; v != nullptr; v = v->next, ++i) {
      if (i >= ours.values.size()) return absl::StrCat(here, ": dm has more values");
      const ConfigValue& o = ours.values[i];
      bool same = false;
      switch (v->type) {
        case DM_CFG_INT:
          same = o.kind == ConfigValue::Kind::kInt && o.int_value == v->v.i;
          break;
        case DM_CFG_FLOAT:  // dm_config keeps floats as float
          same = o.kind == ConfigValue::Kind::kFloat &&
                 static_cast<float>(o.float_value) == v->v.f;
          break;
        case DM_CFG_STRING:
          same = o.kind == ConfigValue::Kind::kString && o.text == v->v.str;
          break;
        default:
          same = false;
      }
      if (!same) return absl::StrCat(here, ": value ", i, " differs: ours ", o.ToText());
    }
    if (i != ours.values.size()) return absl::StrCat(here, ": we have more values");
    return "";
  }
  if (!ours.is_section) return absl::StrCat(here, ": we have a value, dm a section");
  const dm_config_node* child = dm->child;
  for (const auto& c : ours.children) {
    if (child == nullptr) return absl::StrCat(here, ": we have more children, from ", c->key);
    std::string d = Diff(*c, child, here);
    if (!d.empty()) return d;
    child = child->sib;
  }
  if (child != nullptr) return absl::StrCat(here, ": dm has more children, from ", child->key);
  return "";
}

}  // namespace

CrossCheckResult CrossCheckWithDmConfig(const std::string& text) {
  absl::StatusOr<ConfigNode> ours = ParseConfigText(text);
  dm_config_tree* dm = dm_config_from_string(text.c_str());
  CrossCheckResult r;
  r.ours_accepts = ours.ok();
  r.dm_accepts = dm != nullptr;
  std::string& result = r.tree_diff;
  if (ours.ok() && dm != nullptr) {
    // Our root is a section; dm's root is its first top-level node.
    const dm_config_node* n = dm->root;
    for (const auto& c : ours->children) {
      if (n == nullptr) {
        result = absl::StrCat("dm has fewer top-level nodes, ours continues with ", c->key);
        break;
      }
      result = Diff(*c, n, "");
      if (!result.empty()) break;
      n = n->sib;
    }
    if (result.empty() && n != nullptr) result = absl::StrCat("dm has more top-level nodes: ", n->key);
  }
  if (dm != nullptr) dm_config_destroy(dm);
  return r;
}

std::string DescribeCrossCheck(const CrossCheckResult& r) {
  if (r.ours_accepts != r.dm_accepts) {
    return absl::StrCat("ours: ", r.ours_accepts ? "accepts" : "rejects",
                        "; dm_config: ", r.dm_accepts ? "accepts" : "rejects");
  }
  return r.tree_diff;
}

}  // namespace liballoc::testing
