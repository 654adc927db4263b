#include "lvm/plan_size.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libdevmapper.h"

namespace liballoc::lvm {
namespace {

// Reads the optional leading sign.
Sign TakeSign(std::string_view* text) {
  if (!text->empty() && (*text)[0] == '+') {
    text->remove_prefix(1);
    return Sign::kPlus;
  }
  if (!text->empty() && (*text)[0] == '-') {
    text->remove_prefix(1);
    return Sign::kMinus;
  }
  return Sign::kNone;
}

std::optional<Percent> PercentKind(std::string_view suffix) {
  std::string s = absl::AsciiStrToUpper(std::string(suffix));
  if (s == "V" || s == "VG") return Percent::kVg;
  if (s == "L" || s == "LV") return Percent::kLv;
  if (s == "P" || s == "PV" || s == "PVS") return Percent::kPvs;
  if (s == "F" || s == "FR" || s == "FREE") return Percent::kFree;
  if (s == "O" || s == "OR" || s == "ORIGIN") return Percent::kOrigin;
  return std::nullopt;
}

uint64_t CapToUint64(double v) {
  return v < static_cast<double>(std::numeric_limits<uint64_t>::max())
             ? static_cast<uint64_t>(v)
             : std::numeric_limits<uint64_t>::max();
}

}  // namespace

std::optional<SizeValue> ParseSizeArg(std::string_view text,
                                      uint64_t default_factor,
                                      std::vector<std::string>* errors) {
  SizeValue out;
  out.sign = TakeSign(&text);
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    errors->push_back("Multiple sign symbols detected.");
    return std::nullopt;
  }
  if (text.empty() || (!std::isdigit(static_cast<unsigned char>(text[0])) &&
                       text[0] != '.')) {
    errors->push_back("Size requires number argument.");
    return std::nullopt;
  }
  std::string buffer(text);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(buffer.c_str(), &end);
  if (end == buffer.c_str() || errno != 0) {
    errors->push_back(absl::StrCat("Can't parse size argument at '",
                                   std::string(1, *end), "'.",
                                   errno ? " " : "",
                                   errno ? std::strerror(errno) : ""));
    return std::nullopt;
  }
  std::string_view rest(end);
  if (!rest.empty()) {
    static constexpr char kSuffixes[] = "kmgtpebs";
    int i = 7;
    for (; i >= 0; --i) {
      if (kSuffixes[i] ==
          std::tolower(static_cast<unsigned char>(rest[0]))) {
        break;
      }
    }
    if (i < 0) {
      errors->push_back("Can't parse size argument.");
      return std::nullopt;
    }
    if (i == 6) {  // bytes: must be whole sectors
      uint64_t bytes = static_cast<uint64_t>(v);
      if (uint64_t adjust = bytes % 512) {
        bytes += 512 - adjust;
        errors->push_back(absl::StrCat(
            "Size is not a multiple of 512. Try using ", bytes - 512, " or ",
            bytes, "."));
        return std::nullopt;
      }
      v /= 512;
    } else if (i != 7) {
      while (i-- > 0) v *= 1024;
      v *= 2;
    }
  } else {
    v *= static_cast<double>(default_factor);
  }
  if (v >= static_cast<double>(std::numeric_limits<uint64_t>::max() >> 9)) {
    errors->push_back("Size is too big (>=16EiB).");
    return std::nullopt;
  }
  out.value = CapToUint64(v);
  return out;
}

std::optional<SizeValue> ParseExtentsArg(std::string_view text,
                                         std::vector<std::string>* errors) {
  SizeValue out;
  out.sign = TakeSign(&text);
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) {
    return std::nullopt;
  }
  std::string buffer(text);
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(buffer.c_str(), &end, 10);
  if (errno != 0) return std::nullopt;
  out.value = v;
  std::string_view rest(end);
  if (rest.empty()) return out;
  if (rest[0] != '%') return std::nullopt;
  rest.remove_prefix(1);
  std::optional<Percent> kind = PercentKind(rest);
  if (!kind) {
    errors->push_back(absl::StrCat("Specified %", std::string(rest), " is unknown."));
    return std::nullopt;
  }
  out.percent = *kind;
  if (out.value >= std::numeric_limits<uint32_t>::max()) {
    errors->push_back(absl::StrCat("Percentage is too big (>=",
                                   static_cast<int>(std::numeric_limits<uint32_t>::max()),
                                   "%)."));
    return std::nullopt;
  }
  return out;
}

std::optional<uint64_t> ParseNumberArg(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) {
    return std::nullopt;
  }
  std::string buffer(text);
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(buffer.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return v;
}

uint32_t PercentOfExtents(uint32_t percents, uint32_t count, bool round_up) {
  return static_cast<uint32_t>(
      (static_cast<uint64_t>(percents) * count + (round_up ? 99 : 0)) / 100);
}

std::string DisplaySize(uint64_t sectors) {
  // libdevmapper's own formatter, as lvm calls it with its default units
  // (global/units "r": human-readable with a '<' when rounded; si_unit_consistency = 1).
  dm_pool* pool = dm_pool_create("lvalloc-size", 128);
  if (pool == nullptr) return absl::StrCat(sectors, "s");
  std::string text =
      dm_size_to_string(pool, sectors, 'r', 1, 1, 1, DM_SIZE_SHORT);
  dm_pool_destroy(pool);
  return text;
}

}  // namespace liballoc::lvm
