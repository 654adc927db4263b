// LVM2's configuration text format: what vgcfgbackup writes, what lvm.conf and
// `--config` strings use, and what libdevmapper's dm_config parses.
//
//   vg0 {                      # a section
//     id = "abc-\"quoted\""    # key = value
//     extent_size = 8192
//     stripes = [ "pv0", 0,
//                 "pv1", 0 ]   # arrays may span lines
//   }
//   allocation/maximise_cling = 0   # path keys create nested sections
//
// The parser follows dm_config's tokenizer and tree rules so that both build
// the same tree from the same text (a repeated section merges into the first,
// a repeated key keeps the last value, children keep first-appearance order),
// but it runs in linear time, bounds nesting, and rejects what dm_config would
// silently accept from a truncated file (unterminated strings, unclosed
// sections). Integers follow strtoll base 0, as dm_config does: "010" is 8.
#ifndef LIBALLOC_LVM_CONFIG_TEXT_H_
#define LIBALLOC_LVM_CONFIG_TEXT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace liballoc::lvm {

struct ConfigValue {
  enum class Kind { kInt, kFloat, kString };
  Kind kind = Kind::kInt;
  int64_t int_value = 0;
  double float_value = 0;
  // kString: the unescaped string. kFloat: the token as written, so writing
  // it back does not depend on float formatting.
  std::string text;

  // The value as it would be written in config text ("42", "\"a\\\"b\"").
  std::string ToText() const;
  bool operator==(const ConfigValue& other) const;
  bool operator!=(const ConfigValue& other) const { return !(*this == other); }
};

// A section (has children) or a key = value entry (has values). The root of a
// parsed text is a section with an empty key.
struct ConfigNode {
  std::string key;
  bool is_section = true;
  // Value entries: whether the value was written as an array. dm_config does
  // not distinguish `x = 1` from `x = [1]`; we keep it so text round-trips.
  bool is_array = false;
  std::vector<ConfigValue> values;                   // value entries only
  std::vector<std::unique_ptr<ConfigNode>> children;  // sections only, ordered
  int line = 0;    // where the key was written (1-based), 0 if built in code
  int column = 0;

  // The direct child named `key`, or null. Linear in the number of children.
  const ConfigNode* Child(std::string_view key) const;
  // Follows a '/'-separated path of child keys ("allocation/maximise_cling").
  const ConfigNode* Find(std::string_view path) const;

  // Typed lookups of value entries: nullopt when the path is missing or the
  // value is not a single value of that kind.
  std::optional<int64_t> FindInt(std::string_view path) const;
  std::optional<std::string> FindString(std::string_view path) const;
  // The values of an entry (an array or a single value), or null when the
  // path is missing or names a section.
  const std::vector<ConfigValue>* FindValues(std::string_view path) const;

  // A value entry's value as config text: "42", "\"s\"", "[\"a\", 1]".
  std::string ValueText() const;
  // The node (value entry or section, recursively) as config text, with tab
  // indentation starting at `indent`.
  std::string ToText(int indent = 0) const;
};

// Parses config text. `origin` names the input in error messages, which read
// "<origin> line L, column C: <what was expected>".
absl::StatusOr<ConfigNode> ParseConfigText(std::string_view text,
                                           std::string_view origin = "metadata");

// The deepest nesting ParseConfigText accepts (sections and path components).
inline constexpr int kMaxConfigDepth = 64;

// A string value as the config format writes it: double quotes, with '"'
// and '\\' escaped (the only escapes dm_config reads).
std::string Quote(std::string_view s);

// `key` as written before " = " or " {": bare, as LVM2 writes its own keys,
// unless the tokenizer would then read it differently (a leading quote, a
// delimiter or space inside); such a key (only ever read from a quoted key
// or an odd identifier) is quoted so that it reads back as the same key.
std::string KeyText(std::string_view key);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_CONFIG_TEXT_H_
