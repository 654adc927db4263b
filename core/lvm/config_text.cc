#include "lvm/config_text.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace liballoc::lvm {
namespace {

// Token kinds of dm_config's tokenizer. Whether a token that starts like a
// number or a word is a value or a key depends on the previous token, as in
// dm_config: only after '=', '[' or ',' is it a value.
enum class Tok {
  kInt,
  kFloat,
  kString,         // 'single quoted', no escapes
  kStringEscaped,  // "double quoted", \" and \\ escapes
  kStringBare,     // unquoted word in value position
  kEq,
  kSectionBegin,
  kSectionEnd,
  kArrayBegin,
  kArrayEnd,
  kIdentifier,
  kComma,
  kEof,
};

struct Token {
  Tok kind = Tok::kEof;
  size_t begin = 0;
  size_t end = 0;
  int line = 1;
  int column = 1;
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
         c == '\r';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
      ++i;
    }
    out.push_back(s[i]);
  }
  return out;
}


// Children of large sections (physical_volumes with thousands of PVs) are
// looked up through a hash index so that parsing stays linear; dm_config scans
// all siblings for every new key, which is what makes it quadratic.
constexpr size_t kLinearLookupLimit = 16;

class Parser {
 public:
  Parser(std::string_view text, std::string_view origin)
      : text_(text), origin_(origin) {}

  absl::StatusOr<ConfigNode> Run() {
    ConfigNode root;
    root.line = 1;
    root.column = 1;
    if (absl::Status s = Next(Tok::kSectionEnd); !s.ok()) return s;
    while (tok_.kind != Tok::kEof) {
      if (absl::Status s = Statement(&root, 0); !s.ok()) return s;
    }
    return root;
  }

 private:
  struct ChildIndex {
    size_t indexed = 0;
    absl::flat_hash_map<std::string_view, ConfigNode*> by_key;
  };

  absl::Status ErrorAt(int line, int column, std::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s line %d, column %d: %s", origin_, line, column, what));
  }
  absl::Status Error(std::string_view what) const {
    return ErrorAt(tok_.line, tok_.column, what);
  }

  std::string_view TokText() const {
    return text_.substr(tok_.begin, tok_.end - tok_.begin);
  }

  // What the current token is, for "expected X, found Y" messages.
  std::string Found() const {
    switch (tok_.kind) {
      case Tok::kEof:
        return "end of input";
      default: {
        std::string_view t = TokText();
        if (t.size() > 20) return absl::StrCat("\"", std::string(t.substr(0, 20)), "...\"");
        return absl::StrCat("\"", std::string(t), "\"");
      }
    }
  }

  // Consumes spaces and comments, keeping line and column up to date.
  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (IsSpace(c)) {
        if (c == '\n') {
          ++line_;
          line_start_ = pos_ + 1;
        }
        ++pos_;
      } else {
        return;
      }
    }
  }

  // Reads the next token; `prev` is the kind of the token before it.
  absl::Status Next(Tok prev) {
    SkipSpace();
    tok_.begin = pos_;
    tok_.line = line_;
    tok_.column = static_cast<int>(pos_ - line_start_) + 1;
    if (pos_ == text_.size()) {
      tok_.kind = Tok::kEof;
      tok_.end = pos_;
      return absl::OkStatus();
    }
    const bool value_allowed =
        prev == Tok::kEq || prev == Tok::kArrayBegin || prev == Tok::kComma;
    size_t e = pos_;
    char c = text_[e];
    switch (c) {
      case '\0':
        return Error("NUL byte in text");
      case '{':
        tok_.kind = Tok::kSectionBegin;
        ++e;
        break;
      case '}':
        tok_.kind = Tok::kSectionEnd;
        ++e;
        break;
      case '[':
        tok_.kind = Tok::kArrayBegin;
        ++e;
        break;
      case ']':
        tok_.kind = Tok::kArrayEnd;
        ++e;
        break;
      case ',':
        tok_.kind = Tok::kComma;
        ++e;
        break;
      case '=':
        tok_.kind = Tok::kEq;
        ++e;
        break;
      case '"':
      case '\'': {
        tok_.kind = c == '"' ? Tok::kStringEscaped : Tok::kString;
        ++e;
        while (e < text_.size() && text_[e] != c) {
          if (text_[e] == '\0') {
            return Error("NUL byte in string");
          }
          if (c == '"' && text_[e] == '\\' && e + 1 < text_.size()) ++e;
          ++e;
        }
        if (e >= text_.size()) {
          return Error("string is not terminated (input truncated?)");
        }
        ++e;
        // Strings may span lines; keep the line count right for later tokens.
        for (size_t i = pos_; i < e; ++i) {
          if (text_[i] == '\n') {
            ++line_;
            line_start_ = i + 1;
          }
        }
        break;
      }
      default: {
        bool number = false;
        if (value_allowed && (c == '.' || c == '+' || c == '-' || IsDigit(c))) {
          number = true;
          tok_.kind = c == '.' ? Tok::kFloat : Tok::kInt;
          while (++e < text_.size()) {
            if (IsDigit(text_[e])) continue;
            if (text_[e] == '.' && tok_.kind != Tok::kFloat) {
              tok_.kind = Tok::kFloat;
              continue;
            }
            break;
          }
        }
        if (!number) {
          tok_.kind = value_allowed ? Tok::kStringBare : Tok::kIdentifier;
          while (e < text_.size()) {
            char d = text_[e];
            if (d == '\0' || IsSpace(d) || d == '#' || d == '=' || d == '{' ||
                d == '}')
              break;
            ++e;
          }
        }
        break;
      }
    }
    tok_.end = e;
    pos_ = e;
    return absl::OkStatus();
  }

  absl::Status Advance() { return Next(tok_.kind); }

  ConfigNode* FindChild(ConfigNode* parent, std::string_view key) {
    if (parent->children.size() <= kLinearLookupLimit) {
      for (auto& child : parent->children) {
        if (child->key == key) return child.get();
      }
      return nullptr;
    }
    ChildIndex& index = indexes_[parent];
    for (; index.indexed < parent->children.size(); ++index.indexed) {
      ConfigNode* child = parent->children[index.indexed].get();
      index.by_key.try_emplace(child->key, child);  // first appearance wins
    }
    auto it = index.by_key.find(key);
    return it == index.by_key.end() ? nullptr : it->second;
  }

  ConfigNode* AddChild(ConfigNode* parent, std::string_view key, const Token& at) {
    auto node = std::make_unique<ConfigNode>();
    node->key = std::string(key);
    node->line = at.line;
    node->column = at.column;
    parent->children.push_back(std::move(node));
    return parent->children.back().get();
  }

  // key ( '{' statement* '}' | '=' value )
  absl::Status Statement(ConfigNode* parent, int depth) {
    const Token key_tok = tok_;
    std::string key;
    switch (tok_.kind) {
      case Tok::kIdentifier:
        key = std::string(TokText());
        break;
      case Tok::kStringEscaped:
        key = Unescape(TokText().substr(1, TokText().size() - 2));
        break;
      case Tok::kString:
        key = std::string(TokText().substr(1, TokText().size() - 2));
        break;
      default:
        return Error(absl::StrCat("expected a key, found ", Found()));
    }
    // "a/b/c" names nested sections, as in dm_config's _find_or_make_node:
    // slashes before a component are skipped ("/a", "a//b"), but a trailing
    // one still opens a last, empty-named component ("a/" is section "a"
    // holding key ""). A key that is empty as written is an error.
    if (key.empty()) return Error("empty key");  // dm_config: "empty section identifier"
    absl::InlinedVector<std::string_view, 4> parts;  // no allocation for plain keys
    {
      std::string_view rest = key;
      while (true) {
        while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
        const size_t slash = rest.find('/');
        parts.push_back(rest.substr(0, slash));
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash);
      }
    }
    if (depth + static_cast<int>(parts.size()) > kMaxConfigDepth) {
      return Error(absl::StrFormat("nesting deeper than %d levels", kMaxConfigDepth));
    }
    ConfigNode* node = parent;
    bool fresh = false;
    for (size_t i = 0; i < parts.size(); ++i) {
      ConfigNode* child = FindChild(node, parts[i]);
      fresh = child == nullptr;
      if (fresh) {
        child = AddChild(node, parts[i], key_tok);
      } else if (i + 1 < parts.size() && !child->is_section) {
        return ErrorAt(key_tok.line, key_tok.column,
                       absl::StrFormat("key \"%s\" in \"%s\" is a value, not a section",
                                       parts[i], key));
      }
      node = child;
    }
    depth += static_cast<int>(parts.size());
    if (absl::Status s = Advance(); !s.ok()) return s;

    if (tok_.kind == Tok::kSectionBegin) {
      if (!fresh && !node->is_section) {
        return ErrorAt(key_tok.line, key_tok.column,
                       absl::StrFormat("\"%s\" already has a value; it cannot also be "
                                       "a section", key));
      }
      node->is_section = true;
      if (absl::Status s = Advance(); !s.ok()) return s;
      while (tok_.kind != Tok::kSectionEnd) {
        if (tok_.kind == Tok::kEof) {
          return Error(absl::StrFormat(
              "expected '}' to close section \"%s\" opened at line %d "
              "(input truncated?)",
              key, key_tok.line));
        }
        if (absl::Status s = Statement(node, depth); !s.ok()) return s;
      }
      return Advance();
    }
    if (tok_.kind == Tok::kEq) {
      if (!fresh && node->is_section) {
        return ErrorAt(key_tok.line, key_tok.column,
                       absl::StrFormat("\"%s\" is already a section; it cannot also "
                                       "have a value", key));
      }
      node->is_section = false;
      if (absl::Status s = Advance(); !s.ok()) return s;
      // A repeated key keeps its last value (dm_config warns and does so too).
      node->values.clear();
      node->is_array = false;
      return Value(node, key);
    }
    return Error(absl::StrFormat("expected '=' or '{' after key \"%s\", found %s",
                                 key, Found()));
  }

  // '[' (scalar ','?)* ']' | scalar
  absl::Status Value(ConfigNode* node, const std::string& key) {
    if (tok_.kind != Tok::kArrayBegin) return Scalar(node, key);
    node->is_array = true;
    const int open_line = tok_.line;
    if (absl::Status s = Advance(); !s.ok()) return s;
    while (tok_.kind != Tok::kArrayEnd) {
      if (tok_.kind == Tok::kEof) {
        return Error(absl::StrFormat(
            "expected ']' to close the array of \"%s\" opened at line %d "
            "(input truncated?)",
            key, open_line));
      }
      if (absl::Status s = Scalar(node, key); !s.ok()) return s;
      if (tok_.kind == Tok::kComma) {
        if (absl::Status s = Advance(); !s.ok()) return s;
      }
    }
    return Advance();
  }

  absl::Status Scalar(ConfigNode* node, const std::string& key) {
    ConfigValue v;
    std::string_view t = TokText();
    switch (tok_.kind) {
      case Tok::kInt: {
        v.kind = ConfigValue::Kind::kInt;
        std::string digits(t);
        errno = 0;
        v.int_value = std::strtoll(digits.c_str(), nullptr, 0);
        if (errno == ERANGE) {
          // dm_config repairs creation_time values that old 32-bit builds
          // wrote out of range; so do we, so that both read the same tree.
          if (key != "creation_time") {
            return Error(absl::StrFormat("integer %s of \"%s\" is out of range", t, key));
          }
          v.int_value = 1527120000;
        }
        break;
      }
      case Tok::kFloat: {
        v.kind = ConfigValue::Kind::kFloat;
        std::string digits(t);
        errno = 0;
        v.float_value = std::strtod(digits.c_str(), nullptr);
        if (errno == ERANGE) {
          return Error(absl::StrFormat("number %s of \"%s\" is out of range", t, key));
        }
        v.text = std::move(digits);
        break;
      }
      case Tok::kString:
        v.kind = ConfigValue::Kind::kString;
        v.text = std::string(t.substr(1, t.size() - 2));
        break;
      case Tok::kStringEscaped:
        v.kind = ConfigValue::Kind::kString;
        v.text = Unescape(t.substr(1, t.size() - 2));
        break;
      case Tok::kStringBare:
        v.kind = ConfigValue::Kind::kString;
        v.text = std::string(t);
        break;
      default:
        return Error(absl::StrFormat("expected a value for \"%s\", found %s", key, Found()));
    }
    node->values.push_back(std::move(v));
    return Advance();
  }

  std::string_view text_;
  std::string_view origin_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  Token tok_;
  absl::flat_hash_map<const ConfigNode*, ChildIndex> indexes_;
};

}  // namespace

std::string ConfigValue::ToText() const {
  switch (kind) {
    case Kind::kInt:
      return absl::StrCat(int_value);
    case Kind::kFloat:
      return text.empty() ? absl::StrFormat("%g", float_value) : text;
    case Kind::kString:
      return Quote(text);
  }
  return "";
}

bool ConfigValue::operator==(const ConfigValue& other) const {
  if (kind != other.kind) return false;
  switch (kind) {
    case Kind::kInt:
      return int_value == other.int_value;
    case Kind::kFloat:
      return float_value == other.float_value;
    case Kind::kString:
      return text == other.text;
  }
  return false;
}

const ConfigNode* ConfigNode::Child(std::string_view child_key) const {
  for (const auto& child : children) {
    if (child->key == child_key) return child.get();
  }
  return nullptr;
}

const ConfigNode* ConfigNode::Find(std::string_view path) const {
  const ConfigNode* node = this;
  while (node != nullptr && !path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty()) node = node->Child(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return node;
}

std::optional<int64_t> ConfigNode::FindInt(std::string_view path) const {
  const std::vector<ConfigValue>* v = FindValues(path);
  if (v == nullptr || v->size() != 1 || (*v)[0].kind != ConfigValue::Kind::kInt) {
    return std::nullopt;
  }
  return (*v)[0].int_value;
}

std::optional<std::string> ConfigNode::FindString(std::string_view path) const {
  const std::vector<ConfigValue>* v = FindValues(path);
  if (v == nullptr || v->size() != 1 || (*v)[0].kind != ConfigValue::Kind::kString) {
    return std::nullopt;
  }
  return (*v)[0].text;
}

const std::vector<ConfigValue>* ConfigNode::FindValues(std::string_view path) const {
  const ConfigNode* node = Find(path);
  if (node == nullptr || node->is_section) return nullptr;
  return &node->values;
}

std::string ConfigNode::ValueText() const {
  if (!is_array && values.size() == 1) return values[0].ToText();
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += values[i].ToText();
  }
  out += "]";
  return out;
}

std::string ConfigNode::ToText(int indent) const {
  std::string tabs(static_cast<size_t>(indent), '\t');
  if (!is_section) return absl::StrCat(tabs, KeyText(key), " = ", ValueText(), "\n");
  std::string out = absl::StrCat(tabs, KeyText(key), " {\n");
  for (const auto& child : children) out += child->ToText(indent + 1);
  absl::StrAppend(&out, tabs, "}\n");
  return out;
}

absl::StatusOr<ConfigNode> ParseConfigText(std::string_view text, std::string_view origin) {
  return Parser(text, origin).Run();
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string KeyText(std::string_view key) {
  // A key may not start with a quote or with a character the lexer takes as
  // a token of its own at the start of a word ('[', ']', ','): `]x = 0`
  // (from `a/]x = 0`, whose path component is `]x`) reads back as an array
  // end, not as the key.
  bool bare = !key.empty() && key.front() != '"' && key.front() != '\'' &&
              key.front() != '[' && key.front() != ']' && key.front() != ',';
  for (char c : key) {
    if (c == '\0' || IsSpace(c) || c == '#' || c == '=' || c == '{' || c == '}') bare = false;
  }
  return bare ? std::string(key) : Quote(key);
}

}  // namespace liballoc::lvm
