// Our config-text parser against libdevmapper's dm_config, the parser LVM2
// itself uses: on every recorded metadata file, golden vector, a generated
// large VG and a set of tricky snippets, both must build the same tree (same
// sections and keys in the same order, same values).
#include <libdevmapper.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "lvm/config_text.h"
#include "lvm/metadata_reader.h"
#include "generated_metadata.h"
#include "metadata_files.h"

namespace liballoc::lvm {
namespace {

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

// Parses with both; returns "" when the trees are equal or both reject it.
std::string CrossCheck(const std::string& text) {
  absl::StatusOr<ConfigNode> ours = ParseConfigText(text);
  dm_config_tree* dm = dm_config_from_string(text.c_str());
  std::string result;
  if (!ours.ok() && dm == nullptr) {
    result = "";
  } else if (!ours.ok() || dm == nullptr) {
    result = absl::StrCat("ours: ", ours.ok() ? "ok" : std::string(ours.status().message()),
                          "; dm: ", dm == nullptr ? "failed" : "ok");
  } else {
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
  return result;
}

TEST(DmConfigCrossCheck, RecordedFilesAndGoldenVectors) {
  std::vector<testing::MetadataText> texts = testing::AllMetadataTexts();
  ASSERT_FALSE(texts.empty());
  for (const auto& t : texts) EXPECT_EQ(CrossCheck(t.text), "") << t.name;
}

TEST(DmConfigCrossCheck, GeneratedLargeVg) {
  const std::string text = testing::GenerateLargeMetadata(512, 16);
  ASSERT_TRUE(ParseMetadata(text).ok());
  EXPECT_EQ(CrossCheck(text), "");
}

TEST(DmConfigCrossCheck, TrickySnippets) {
  const char* snippets[] = {
      "a = 1",
      "a = -5 b = +3 c = 010 d = 0 e = -",
      "a = 1.5 b = .25 c = 3. d = [1.5, 2]",
      "a = \"x\\\"y\\\\z\\n\" b = 'sq \\ x' c = bare d = bare,with,commas",
      "a = [] b = [ ] c = [1,] d = [\"a\", 1, 'b', x ]",
      "a = [1, x]",  // a bare word runs to the next space: both reject
      "a = [\"a\" \"b\"]",  // quoted strings need no commas
      "s { } t { u { v = 1 } }",
      "a { x = 1 } b = 2 a { y = 3 x = 4 }",
      "a/b/c = 1 a/b/d = 2 a { e = 3 }",
      "/lead = 1 dbl//slash = 2",
      "\"quoted key\" = 1 'single key' { k = 2 }",
      "# only a comment\nk = 1 # trailing\n#last",
      "multi = [\n  \"a\",  # comment inside\n  2\n]\n",
      "allocation { maximise_cling = 0 cling_tag_list = [ \"@a\", \"@b\" ] }",
      "allocation/maximise_cling=0",
      "weird-key.with:chars = 1",
      "k = \"multi\nline\"",
  };
  for (const char* s : snippets) EXPECT_EQ(CrossCheck(s), "") << s;
}

TEST(DmConfigCrossCheck, BothRejectBrokenText) {
  const char* snippets[] = {"a", "a = ", "a = [1 2]", "}", "a = }", "a { b = 1",
                            "a = [1,,2]", "a == 1", "x { = 1 }"};
  for (const char* s : snippets) {
    EXPECT_FALSE(ParseConfigText(s).ok()) << s;
    EXPECT_EQ(CrossCheck(s), "") << s;
  }
}

}  // namespace
}  // namespace liballoc::lvm
