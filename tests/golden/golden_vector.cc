#include "golden_vector.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lvm/json_value.h"

namespace liballoc::golden {
namespace {

using lvm::JsonValue;

absl::Status Missing(const std::string& path, const char* key) {
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": missing or mistyped \"", key, "\""));
}

absl::Status ReadStrings(const JsonValue& v, std::vector<std::string>* out) {
  if (!v.is_array()) return absl::InvalidArgumentError("not an array");
  for (const JsonValue& item : v.items) {
    if (!item.is_string()) return absl::InvalidArgumentError("not a string");
    out->push_back(item.text);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<GoldenVector> LoadGoldenVector(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<JsonValue> doc = lvm::ParseJson(buffer.str());
  if (!doc.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", doc.status().message()));
  }
  GoldenVector v;
  v.path = path;
  auto text = [&](const char* key, std::string* out) -> absl::Status {
    const JsonValue* field = doc->Find(key);
    if (field == nullptr || !field->is_string()) return Missing(path, key);
    *out = field->text;
    return absl::OkStatus();
  };
  if (absl::Status s = text("name", &v.name); !s.ok()) return s;
  if (absl::Status s = text("category", &v.category); !s.ok()) return s;
  if (absl::Status s = text("before", &v.before); !s.ok()) return s;
  if (const JsonValue* config = doc->Find("config"); config && config->is_string()) {
    v.config = config->text;
  }
  const JsonValue* command = doc->Find("command");
  if (command == nullptr || !ReadStrings(*command, &v.command).ok() || v.command.empty()) {
    return Missing(path, "command");
  }
  const JsonValue* status = doc->Find("exit_status");
  if (status == nullptr || !status->is_integer) return Missing(path, "exit_status");
  v.exit_status = static_cast<int>(status->int_value);
  const JsonValue* err = doc->Find("stderr");
  if (err == nullptr || !ReadStrings(*err, &v.stderr_lines).ok()) {
    return Missing(path, "stderr");
  }
  if (const JsonValue* out = doc->Find("stdout"); out && !out->is_null()) {
    if (!ReadStrings(*out, &v.stdout_lines).ok()) return Missing(path, "stdout");
  }
  const JsonValue* after = doc->Find("after");
  if (after == nullptr) return Missing(path, "after");
  if (after->is_string()) v.after = after->text;
  return v;
}

std::vector<std::string> ListGoldenVectorFiles(const std::string& root) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& category : std::filesystem::directory_iterator(root, ec)) {
    if (!category.is_directory()) continue;
    for (const auto& file : std::filesystem::directory_iterator(category.path(), ec)) {
      if (file.path().extension() == ".json") files.push_back(file.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string TestNameOf(const std::string& vector_name) {
  std::string name;
  for (char c : vector_name) {
    name.push_back((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9')
                       ? c
                       : '_');
  }
  return name;
}

std::string NormalizedVgText(const std::string& metadata) {
  std::string out;
  bool in_vg = false;
  std::stringstream in(metadata);
  std::string line;
  while (std::getline(in, line)) {
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (line.empty()) continue;
    if (!in_vg) {
      // The VG section is the first top-level "name {".
      if (line[0] == '\t' || line.back() != '{') continue;
      in_vg = true;
    }
    const size_t key = line.find_first_not_of('\t');
    const absl::string_view body(line.c_str() + key);
    if (absl::StartsWith(body, "id = ") || absl::StartsWith(body, "seqno = ") ||
        absl::StartsWith(body, "creation_time = ") ||
        absl::StartsWith(body, "creation_host = ")) {
      continue;
    }
    out += line;
    out += '\n';
  }
  return out;
}

bool IsEnvironmentWarning(const std::string& line) {
  return absl::StrContains(line, "File descriptor") ||
         absl::StrContains(line, "leaked on lvm invocation");
}

}  // namespace liballoc::golden
