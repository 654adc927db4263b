#include "lvm/config_text.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace liballoc::lvm {
namespace {

using ::testing::HasSubstr;

ConfigNode ParseOk(std::string_view text) {
  absl::StatusOr<ConfigNode> root = ParseConfigText(text);
  EXPECT_TRUE(root.ok()) << root.status();
  if (!root.ok()) return ConfigNode();
  return *std::move(root);
}

std::string ParseError(std::string_view text) {
  absl::StatusOr<ConfigNode> root = ParseConfigText(text);
  EXPECT_FALSE(root.ok()) << "parsed: " << text;
  return root.ok() ? "" : std::string(root.status().message());
}

TEST(ConfigText, SectionsKeysAndValues) {
  ConfigNode root = ParseOk(R"(# header
contents = "Text Format Volume Group"
version = 1
vg0 {
	id = "a-b"
	seqno = 5
	neg = -1
	status = ["RESIZEABLE", "READ", "WRITE"]
	flags = []
	physical_volumes {
		pv0 {
			pe_count = 100	# 100 Megabytes
		}
	}
	stripes = [
		"pv0", 0,
		"pv1", 10
	]
}
)");
  ASSERT_EQ(root.children.size(), 3u);
  EXPECT_EQ(root.FindString("contents"), "Text Format Volume Group");
  EXPECT_EQ(root.FindInt("version"), 1);
  const ConfigNode* vg = root.Child("vg0");
  ASSERT_NE(vg, nullptr);
  EXPECT_TRUE(vg->is_section);
  EXPECT_EQ(vg->line, 4);
  EXPECT_EQ(root.FindInt("vg0/seqno"), 5);
  EXPECT_EQ(root.FindInt("vg0/neg"), -1);
  EXPECT_EQ(root.FindInt("vg0/physical_volumes/pv0/pe_count"), 100);
  const std::vector<ConfigValue>* status = root.FindValues("vg0/status");
  ASSERT_NE(status, nullptr);
  ASSERT_EQ(status->size(), 3u);
  EXPECT_EQ((*status)[2].text, "WRITE");
  const ConfigNode* flags = root.Find("vg0/flags");
  ASSERT_NE(flags, nullptr);
  EXPECT_TRUE(flags->is_array);
  EXPECT_TRUE(flags->values.empty());
  EXPECT_EQ(flags->ValueText(), "[]");
  const ConfigNode* stripes = root.Find("vg0/stripes");
  ASSERT_NE(stripes, nullptr);
  EXPECT_EQ(stripes->ValueText(), "[\"pv0\", 0, \"pv1\", 10]");
  EXPECT_EQ(root.FindInt("vg0/missing"), std::nullopt);
  EXPECT_EQ(root.FindInt("vg0/id"), std::nullopt);  // a string, not an int
}

TEST(ConfigText, EscapesAndQuotes) {
  ConfigNode root = ParseOk(R"(a = "x\"y\\z\n" b = 'single \ "q"' c = bare_word)");
  EXPECT_EQ(root.FindString("a"), "x\"y\\z\\n");  // only \" and \\ are escapes
  EXPECT_EQ(root.FindString("b"), "single \\ \"q\"");
  EXPECT_EQ(root.FindString("c"), "bare_word");
  EXPECT_EQ(root.Child("a")->ValueText(), R"("x\"y\\z\\n")");
  // Re-parsing the written value gives the same string.
  ConfigNode again = ParseOk(absl::StrCat("a = ", root.Child("a")->ValueText()));
  EXPECT_EQ(again.FindString("a"), root.FindString("a"));
}

TEST(ConfigText, KeysThatWouldNotReadBackBareAreQuoted) {
  // Keys as LVM2 writes them stay bare; `/"` (an identifier, read as the key
  // `"` under an empty path component) and quoted keys with delimiters in
  // them must be written so that they read back as the same key.
  ConfigNode root = ParseOk("s { id = 1 /\"=e \"a b\" = 2 'c=d' = 3 \"x{\" { y = 4 } }");
  const ConfigNode* s = root.Child("s");
  ASSERT_NE(s, nullptr);
  std::vector<std::string> keys;
  for (const auto& child : s->children) keys.push_back(child->key);
  EXPECT_THAT(keys, ::testing::ElementsAre("id", "\"", "a b", "c=d", "x{"));
  EXPECT_EQ(KeyText("id"), "id");
  EXPECT_EQ(KeyText("\""), "\"\\\"\"");
  EXPECT_EQ(KeyText("a b"), "\"a b\"");
  ConfigNode again = ParseOk(s->ToText());
  const ConfigNode* s2 = again.Child("s");
  ASSERT_NE(s2, nullptr);
  EXPECT_EQ(s2->ToText(), s->ToText());
  EXPECT_EQ(s2->Child("\"")->ValueText(), "\"e\"");
  EXPECT_EQ(s2->Child("x{")->Child("y")->ValueText(), "4");
}

// Metadata fuzz finding (corpus/metadata/regressions/
// path-component-starting-with-bracket-key-breaks-round-trip): `a/]x = 0`
// makes the key `]x` under section `a`; written bare, `]x` reads back as an
// array end. Keys starting with '[', ']' or ',' are written quoted.
TEST(ConfigText, KeysStartingWithATokenCharacterAreQuoted) {
  ConfigNode root = ParseOk("s { a/]x = 0 b/[y = 1 c/,z = 2 w]v = 3 }");
  const ConfigNode* s = root.Child("s");
  ASSERT_NE(s, nullptr);
  ASSERT_NE(s->Child("a"), nullptr);
  ASSERT_NE(s->Child("a")->Child("]x"), nullptr);
  EXPECT_EQ(KeyText("]x"), "\"]x\"");
  EXPECT_EQ(KeyText("[y"), "\"[y\"");
  EXPECT_EQ(KeyText(",z"), "\",z\"");
  EXPECT_EQ(KeyText("w]v"), "w]v");  // inside a word they are part of it
  ConfigNode again = ParseOk(s->ToText());
  const ConfigNode* s2 = again.Child("s");
  ASSERT_NE(s2, nullptr);
  EXPECT_EQ(s2->ToText(), s->ToText());
  EXPECT_EQ(s2->Child("a")->Child("]x")->ValueText(), "0");
  EXPECT_EQ(s2->Child("b")->Child("[y")->ValueText(), "1");
  EXPECT_EQ(s2->Child("c")->Child(",z")->ValueText(), "2");
  EXPECT_EQ(s2->Child("w]v")->ValueText(), "3");
}

TEST(ConfigText, IntegersFollowStrtollBaseZero) {
  ConfigNode root = ParseOk("a = 010 b = +7 c = 9223372036854775807 d = 1.5 e = [1, 2.25]");
  EXPECT_EQ(root.FindInt("a"), 8);
  EXPECT_EQ(root.FindInt("b"), 7);
  EXPECT_EQ(root.FindInt("c"), INT64_MAX);
  const std::vector<ConfigValue>* d = root.FindValues("d");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ((*d)[0].kind, ConfigValue::Kind::kFloat);
  EXPECT_DOUBLE_EQ((*d)[0].float_value, 1.5);
  EXPECT_EQ(root.Child("e")->ValueText(), "[1, 2.25]");
  EXPECT_THAT(ParseError("a = 9223372036854775808"), HasSubstr("out of range"));
  // dm_config's repair of overflowing creation_time values.
  EXPECT_EQ(ParseOk("creation_time = 99999999999999999999").FindInt("creation_time"),
            1527120000);
}

TEST(ConfigText, ConfigOptionForms) {
  ConfigNode braces = ParseOk(
      R"(allocation { maximise_cling = 0 cling_tag_list = [ "@a", "@b" ] })");
  EXPECT_EQ(braces.FindInt("allocation/maximise_cling"), 0);
  ConfigNode paths = ParseOk(
      R"(allocation/maximise_cling=0 allocation/cling_tag_list=["@a","@b"])");
  EXPECT_EQ(paths.FindInt("allocation/maximise_cling"), 0);
  ASSERT_EQ(paths.children.size(), 1u);  // both keys land in one section
  EXPECT_EQ(paths.Find("allocation/cling_tag_list")->ValueText(), "[\"@a\", \"@b\"]");
}

TEST(ConfigText, RepeatedSectionsMergeAndRepeatedKeysKeepTheLastValue) {
  ConfigNode root = ParseOk("a { x = 1 } b = 2 a { y = 3 x = 4 }");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0]->key, "a");
  EXPECT_EQ(root.children[1]->key, "b");
  const ConfigNode* a = root.Child("a");
  ASSERT_EQ(a->children.size(), 2u);
  EXPECT_EQ(a->children[0]->key, "x");
  EXPECT_EQ(root.FindInt("a/x"), 4);
  EXPECT_EQ(root.FindInt("a/y"), 3);
}

TEST(ConfigText, ManySiblingsUseTheIndex) {
  std::string text = "pvs {\n";
  for (int i = 0; i < 1000; ++i) absl::StrAppend(&text, "pv", i, " { n = ", i, " }\n");
  absl::StrAppend(&text, "pv7 { m = 1 }\n}\n");
  ConfigNode root = ParseOk(text);
  const ConfigNode* pvs = root.Child("pvs");
  ASSERT_EQ(pvs->children.size(), 1000u);
  EXPECT_EQ(root.FindInt("pvs/pv7/n"), 7);
  EXPECT_EQ(root.FindInt("pvs/pv7/m"), 1);
  EXPECT_EQ(root.FindInt("pvs/pv999/n"), 999);
}

TEST(ConfigText, ErrorsNameLineColumnAndWhatWasExpected) {
  EXPECT_EQ(ParseError("vg {\n\tpe_count 5\n}"),
            "metadata line 2, column 11: expected '=' or '{' after key \"pe_count\", "
            "found \"5\"");
  EXPECT_THAT(ParseError("vg {\n  a = 1\n"),
              HasSubstr("expected '}' to close section \"vg\" opened at line 1"));
  EXPECT_THAT(ParseError("a = [1, 2"), HasSubstr("expected ']'"));
  EXPECT_THAT(ParseError("a = \"abc"), HasSubstr("line 1, column 5: string is not terminated"));
  EXPECT_THAT(ParseError("a = "), HasSubstr("expected a value for \"a\", found end of input"));
  EXPECT_THAT(ParseError("a = }"), HasSubstr("expected a value"));
  EXPECT_THAT(ParseError("}"), HasSubstr("expected a key"));
  EXPECT_THAT(ParseError("a = [1 2]"), HasSubstr("expected a value"));  // as dm_config
  EXPECT_THAT(ParseError("a = 1 a { }"), HasSubstr("already has a value"));
  EXPECT_THAT(ParseError("a { } a = 1"), HasSubstr("already a section"));
  EXPECT_THAT(ParseError("a = 1 a/b = 2"), HasSubstr("is a value, not a section"));
  EXPECT_THAT(ParseError("\"\" = 1"), HasSubstr("empty key"));
  EXPECT_THAT(ParseError(std::string("a = \0", 5)), HasSubstr("NUL"));
  absl::StatusOr<ConfigNode> r = ParseConfigText("x", "--config");
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("--config line 1, column 2"));
}

TEST(ConfigText, NestingIsBounded) {
  std::string ok, deep;
  for (int i = 0; i < kMaxConfigDepth; ++i) ok += "a {";
  ok += std::string(kMaxConfigDepth, '}');
  ParseOk(ok);
  for (int i = 0; i < 100000; ++i) deep += "a {";
  EXPECT_THAT(ParseError(deep), HasSubstr("nesting deeper than 64"));
  std::string path = "a";
  for (int i = 0; i < 100; ++i) path += "/a";
  EXPECT_THAT(ParseError(path + " = 1"), HasSubstr("nesting deeper"));
}

TEST(ConfigText, EveryPrefixOfValidTextIsHandled) {
  // Truncated input must give an error or a tree, never a crash or a hang.
  const std::string text = R"(vg { id = "x\"" pvs { pv0 { a = [ "s", 1, -2 ] } } })";
  for (size_t n = 0; n < text.size(); ++n) {
    (void)ParseConfigText(std::string_view(text).substr(0, n));
  }
  ParseOk(text);
}

TEST(ConfigText, LinearTimeOnManySectionsAndKeys) {
  // 4,096 PV sections with 16 areas' worth of keys each, ~15 MB of text.
  std::string text = "vg {\nphysical_volumes {\n";
  for (int i = 0; i < 4096; ++i) {
    absl::StrAppend(&text, "pv", i, " {\nid = \"abc\"\ndevice = \"/dev/x\"\n");
    for (int k = 0; k < 64; ++k) absl::StrAppend(&text, "key", k, " = ", k, "\n");
    absl::StrAppend(&text, "}\n");
  }
  absl::StrAppend(&text, "}\n}\n");
  auto start = std::chrono::steady_clock::now();
  ConfigNode root = ParseOk(text);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(root.FindInt("vg/physical_volumes/pv4095/key63"), 63);
  // dm_config takes seconds on inputs like this; a linear parser well under one.
  EXPECT_LT(seconds, 1.5) << text.size() << " bytes";
}

}  // namespace
}  // namespace liballoc::lvm
