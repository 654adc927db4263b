// The metadata texts the lvm/ tests run on: every tests/lvm/data/*.vg file
// (real LVM2 vgcfgbackup output) and the "before"/"after" metadata strings of
// every tests/golden/**/*.json conformance vector, when there are any.
#ifndef LIBALLOC_TESTS_LVM_METADATA_FILES_H_
#define LIBALLOC_TESTS_LVM_METADATA_FILES_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lvm/config_text.h"

namespace liballoc::lvm::testing {

struct MetadataText {
  std::string name;  // file path, plus "#before"/"#after" for golden vectors
  std::string text;
};

inline std::string ReadFileOrDie(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Golden vectors are JSON; the metadata strings are found by parsing the JSON
// document's "before" and "after" string members at any depth, with a small
// JSON string decoder (the vectors' format belongs to the golden recorder).
inline void CollectJsonStrings(const std::string& json, const std::string& key,
                               std::vector<std::string>* out) {
  const std::string needle = "\"" + key + "\"";
  size_t pos = 0;
  while ((pos = json.find(needle, pos)) != std::string::npos) {
    pos += needle.size();
    size_t i = json.find_first_not_of(" \t\r\n", pos);
    if (i == std::string::npos || json[i] != ':') continue;
    i = json.find_first_not_of(" \t\r\n", i + 1);
    if (i == std::string::npos || json[i] != '"') continue;
    std::string value;
    for (++i; i < json.size() && json[i] != '"'; ++i) {
      char c = json[i];
      if (c != '\\' || i + 1 >= json.size()) {
        value.push_back(c);
        continue;
      }
      char e = json[++i];
      switch (e) {
        case 'n': value.push_back('\n'); break;
        case 't': value.push_back('\t'); break;
        case 'r': value.push_back('\r'); break;
        case 'b': value.push_back('\b'); break;
        case 'f': value.push_back('\f'); break;
        case 'u': {
          unsigned code = std::stoul(json.substr(i + 1, 4), nullptr, 16);
          i += 4;
          if (code < 0x80) {
            value.push_back(static_cast<char>(code));
          } else if (code < 0x800) {
            value.push_back(static_cast<char>(0xC0 | (code >> 6)));
            value.push_back(static_cast<char>(0x80 | (code & 0x3F)));
          } else {
            value.push_back(static_cast<char>(0xE0 | (code >> 12)));
            value.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
            value.push_back(static_cast<char>(0x80 | (code & 0x3F)));
          }
          break;
        }
        default: value.push_back(e);
      }
    }
    // Metadata text, not some other "before" (e.g. a layout object).
    if (value.find('{') != std::string::npos) out->push_back(value);
  }
}

inline std::vector<MetadataText> AllMetadataTexts() {
  namespace fs = std::filesystem;
  std::vector<MetadataText> texts;
  std::error_code ec;
  if (fs::is_directory(LVM_TEST_DATA_DIR, ec)) {
    for (const auto& entry : fs::directory_iterator(LVM_TEST_DATA_DIR)) {
      if (entry.path().extension() == ".vg") {
        texts.push_back({entry.path().string(), ReadFileOrDie(entry.path())});
      }
    }
  }
  if (fs::is_directory(LVM_GOLDEN_DIR, ec)) {
    for (const auto& entry : fs::recursive_directory_iterator(LVM_GOLDEN_DIR)) {
      if (entry.path().extension() != ".json") continue;
      const std::string json = ReadFileOrDie(entry.path());
      for (const char* key : {"before", "after"}) {
        std::vector<std::string> values;
        CollectJsonStrings(json, key, &values);
        for (size_t i = 0; i < values.size(); ++i) {
          texts.push_back({entry.path().string() + "#" + key +
                               (values.size() > 1 ? std::to_string(i) : ""),
                           values[i]});
        }
      }
    }
  }
  std::sort(texts.begin(), texts.end(),
            [](const MetadataText& a, const MetadataText& b) { return a.name < b.name; });
  return texts;
}

}  // namespace liballoc::lvm::testing

#endif  // LIBALLOC_TESTS_LVM_METADATA_FILES_H_
