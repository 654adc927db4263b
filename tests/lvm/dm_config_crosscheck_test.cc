// Our config-text parser against libdevmapper's dm_config, the parser LVM2
// itself uses: on every recorded metadata file, golden vector, a generated
// large VG and a set of tricky snippets, both must build the same tree (same
// sections and keys in the same order, same values).
#include <libdevmapper.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "lvm/config_text.h"
#include "testing/dm_config_crosscheck.h"
#include "lvm/metadata_reader.h"
#include "generated_metadata.h"
#include "metadata_files.h"

namespace liballoc::lvm {
namespace {

std::string CrossCheck(const std::string& text) {
  return liballoc::testing::DescribeCrossCheck(liballoc::testing::CrossCheckWithDmConfig(text));
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
