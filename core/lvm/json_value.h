// A small JSON reader (RFC 8259) for the project's data files: golden
// vectors and layout JSON. Objects keep their members in file order.
// Numbers keep their text and, when integral, an int64 value.
#ifndef LIBALLOC_LVM_JSON_VALUE_H_
#define LIBALLOC_LVM_JSON_VALUE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace liballoc::lvm {

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool bool_value = false;
  int64_t int_value = 0;      // kNumber: the value when integral
  bool is_integer = false;    // kNumber: written without fraction/exponent
  std::string text;           // kString: the decoded string; kNumber: as written
  std::vector<JsonValue> items;                            // kArray
  std::vector<std::pair<std::string, JsonValue>> members;  // kObject

  bool is_null() const { return kind == Kind::kNull; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_array() const { return kind == Kind::kArray; }
  bool is_object() const { return kind == Kind::kObject; }
  // The member named `key` (the last one if repeated), or null.
  const JsonValue* Find(std::string_view key) const;
};

// Parses one JSON document (surrounding whitespace allowed). Errors read
// "line L, column C: <what was expected>".
absl::StatusOr<JsonValue> ParseJson(std::string_view text);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_JSON_VALUE_H_
