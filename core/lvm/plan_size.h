// Size and number arguments as lvm's command line reads them
// (tools/lvmcmdline.c: _size_arg, _extents_arg, int_arg), and the size
// arithmetic shared by lvcreate and lvextend (spec §2.4).
#ifndef LIBALLOC_LVM_PLAN_SIZE_H_
#define LIBALLOC_LVM_PLAN_SIZE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liballoc::lvm {

enum class Sign { kNone, kPlus, kMinus };
enum class Percent { kNone, kVg, kFree, kPvs, kLv, kOrigin };

// A parsed -L/-l/-I/-R value. `value` is in sectors for sizes and an extent
// count or a percentage for extents, capped at UINT64_MAX as lvm caps it.
struct SizeValue {
  uint64_t value = 0;
  Sign sign = Sign::kNone;
  Percent percent = Percent::kNone;
};

// _size_arg: a number with an optional sign, fraction and unit suffix
// (bBsSkKmMgGtTpPeE, all binary; b = bytes, s = sectors); without a suffix
// the number is multiplied by `default_factor` sectors (2048 for -L, i.e.
// MiB; 2 for -I, i.e. KiB). On failure returns nullopt and appends the lines
// lvm prints before "Invalid argument for ..." to `errors`.
std::optional<SizeValue> ParseSizeArg(std::string_view text,
                                      uint64_t default_factor,
                                      std::vector<std::string>* errors);

// _extents_arg: an integer with an optional sign and %VG/%FREE/%PVS/%LV/
// %ORIGIN (and their abbreviations, case-insensitive).
std::optional<SizeValue> ParseExtentsArg(std::string_view text,
                                         std::vector<std::string>* errors);

// int_arg: a non-negative decimal integer (an optional '+' is accepted).
std::optional<uint64_t> ParseNumberArg(std::string_view text);

// lvm's percent_of_extents.
uint32_t PercentOfExtents(uint32_t percents, uint32_t count, bool round_up);

// A size in sectors as lvm displays it by default ("4.00 MiB", "<1.50 GiB").
std::string DisplaySize(uint64_t sectors);

}  // namespace liballoc::lvm

#endif  // LIBALLOC_LVM_PLAN_SIZE_H_
