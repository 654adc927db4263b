#include "lvm/plan_syntax.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lvm/plan_segtype.h"

namespace liballoc::lvm {
namespace {

constexpr const char kSyntaxMessage[] = "lvm could not match the command line";

// The options lvalloc accepts, in the order of LVM2's args.h (the order in
// which lvm reports options a definition does not accept).
enum Arg {
  kAlloc, kIgnoreMonitoring, kMirrorLog, kMonitor, kNoSync, kNoUdevSync, kType,
  kCoreLog, kActivate, kAutobackup, kContiguous, kForce, kStripes, kStripeSize,
  kExtents, kSize, kMirrors, kName, kNofsck, kQuiet, kRegionSize, kVerbose,
  kWipeSignatures, kYes, kZero, kArgCount
};

constexpr const char* kArgNames[kArgCount] = {
    "alloc",  "ignoremonitoring", "mirrorlog",  "monitor",     "nosync",
    "noudevsync", "type",         "corelog",    "activate",    "autobackup",
    "contiguous", "force",        "stripes",    "stripesize",  "extents",
    "size",   "mirrors",          "name",       "nofsck",      "quiet",
    "regionsize", "verbose",      "wipesignatures", "yes",     "zero"};

// OO_ALL: accepted by every definition.
bool IsCommonOption(int arg) { return arg == kQuiet || arg == kVerbose || arg == kYes; }

// One option of a definition; `value` set for literal values
// ("--type raid", "--mirrors 0").
struct DefOption {
  int arg;
  const char* value = nullptr;
};

struct Definition {
  CommandName command;
  std::vector<DefOption> required;
  int required_positional = 0;  // VG or LV, then PV for the "by PV" forms
  std::vector<DefOption> optional;
  std::vector<DefOption> ignored;
  const char* autotype = nullptr;
  const char* autotype2 = nullptr;
};

Definition Def(CommandName command, std::vector<DefOption> required, int positional,
               std::vector<DefOption> optional, std::vector<DefOption> ignored = {},
               const char* autotype = nullptr, const char* autotype2 = nullptr) {
  return Definition{command, std::move(required), positional, std::move(optional),
                    std::move(ignored), autotype, autotype2};
}

std::vector<DefOption> Concat(std::vector<DefOption> a, const std::vector<DefOption>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const std::vector<Definition>& Definitions() {
  static const std::vector<Definition>* defs = [] {
    const std::vector<DefOption> oo_lvcreate = {
        {kAlloc},  {kAutobackup}, {kActivate}, {kContiguous}, {kIgnoreMonitoring},
        {kMonitor}, {kName},      {kNoSync},   {kNoUdevSync}, {kWipeSignatures},
        {kZero}};
    const std::vector<DefOption> oo_lvextend = {
        {kAlloc}, {kAutobackup}, {kForce}, {kMirrors}, {kNofsck}, {kNoSync},
        {kNoUdevSync}, {kStripes}, {kStripeSize}, {kType}};
    const std::vector<DefOption> oo_lvresize = {
        {kAlloc}, {kAutobackup}, {kForce}, {kNofsck}, {kNoSync},
        {kNoUdevSync}, {kStripes}, {kStripeSize}, {kType}};
    const CommandName c = CommandName::kLvcreate;
    auto* d = new std::vector<Definition>{
        Def(c, {{kType, "error"}, {kSize}}, 1, oo_lvcreate),
        Def(c, {{kType, "zero"}, {kSize}}, 1, oo_lvcreate),
        Def(c, {{kType, "linear"}, {kSize}}, 1, oo_lvcreate, {{kMirrors, "0"}, {kStripes, "1"}}),
        Def(c, {{kSize}}, 1, oo_lvcreate, {{kMirrors, "0"}, {kStripes, "1"}}, "linear"),
        Def(c, {{kType, "striped"}, {kSize}}, 1,
            Concat({{kStripes}, {kStripeSize}}, oo_lvcreate)),
        Def(c, {{kStripes}, {kSize}}, 1, Concat({{kStripeSize}}, oo_lvcreate), {}, "striped"),
        Def(c, {{kType, "mirror"}, {kSize}}, 1,
            Concat({{kStripes}, {kStripeSize}, {kMirrors}, {kMirrorLog}, {kRegionSize}},
                   oo_lvcreate)),
        Def(c, {{kMirrors}, {kSize}}, 1,
            Concat({{kStripeSize}, {kMirrorLog}, {kRegionSize}}, oo_lvcreate),
            {{kStripes, "1"}}, "raid1", "mirror"),
        Def(c, {{kType, "raid"}, {kSize}}, 1,
            Concat({{kStripes}, {kStripeSize}, {kMirrors}, {kRegionSize}}, oo_lvcreate)),
        Def(c, {{kMirrors}, {kStripes}, {kSize}}, 1,
            Concat({{kStripeSize}, {kRegionSize}}, oo_lvcreate), {}, "raid10"),
        Def(CommandName::kLvextend, {{kSize}}, 1, oo_lvextend),
        Def(CommandName::kLvextend, {}, 2, oo_lvextend),
        Def(CommandName::kLvresize, {{kSize}}, 1, oo_lvresize),
        Def(CommandName::kLvresize, {}, 2, oo_lvresize),
    };
    return d;
  }();
  return *defs;
}

int ArgOf(const std::string& long_name) {
  for (int i = 0; i < kArgCount; ++i) {
    if (long_name == kArgNames[i]) return i;
  }
  return -1;
}

const char* CommandNameText(CommandName c) {
  switch (c) {
    case CommandName::kLvcreate: return "lvcreate";
    case CommandName::kLvextend: return "lvextend";
    case CommandName::kLvresize: return "lvresize";
  }
  return "lvm";
}

// What the user gave, per option (the last value of a repeated option).
struct Given {
  bool set[kArgCount] = {};
  std::string value[kArgCount];
  bool has_value[kArgCount] = {};
};

bool StartsWithRaid(const std::string& s) { return s.rfind("raid", 0) == 0; }

}  // namespace

absl::Status CommandSyntaxRejected() { return absl::FailedPreconditionError(kSyntaxMessage); }

bool IsCommandSyntaxRejection(const absl::Status& status) {
  return absl::IsFailedPrecondition(status) && status.message() == kSyntaxMessage;
}

absl::Status CheckCommandSyntax(const CommandLine& line, CommandLog& log) {
  Given given;
  for (const GivenOption& option : line.given) {
    const int arg = ArgOf(option.long_name);
    if (arg < 0) continue;
    given.set[arg] = true;
    given.value[arg] = option.value;
    given.has_value[arg] = option.has_value;
  }
  // --corelog is a synonym of --mirrorlog for matching.
  auto is_set = [&](int arg) {
    return given.set[arg] || (arg == kMirrorLog && given.set[kCoreLog]);
  };
  const std::optional<std::string> type_arg =
      given.set[kType] ? std::optional<std::string>(given.value[kType]) : std::nullopt;
  const size_t positional = line.positional.size();
  // Types whose definitions are not restated here (thin, cache, ...) are
  // left to the planner, which reports them as not planned.
  if (type_arg && *type_arg != "linear" && *type_arg != "raid" &&
      !LookupSegtype(*type_arg)) {
    return absl::OkStatus();
  }

  auto literal_matches = [&](const DefOption& o) {
    if (o.value == nullptr) return true;
    const std::string& v = given.value[o.arg];
    if (v == o.value) return true;
    if (o.arg == kType && std::string(o.value) == "raid" && StartsWithRaid(v)) return true;
    if (o.arg == kMirrors || o.arg == kStripes) {
      // constnum: compared as numbers (arg_int_value).
      return std::strtoll(v.c_str(), nullptr, 10) == std::strtoll(o.value, nullptr, 10);
    }
    return false;
  };
  auto skip_for_type = [&](const Definition& def) {
    for (const DefOption& o : def.required) {
      if (o.arg != kType) continue;
      if (std::string(o.value) == *type_arg) return false;
      return !(StartsWithRaid(o.value) && StartsWithRaid(*type_arg));
    }
    for (const DefOption& o : def.optional) {
      if (o.arg == kType) return false;  // "--type SegType" takes any type
    }
    return true;
  };

  const Definition* best = nullptr;
  int best_required = 0, best_type = 0, best_unused = 0;
  std::vector<int> best_unused_args;
  for (const Definition& def : Definitions()) {
    if (def.command != line.command) continue;
    if (type_arg && def.autotype && *type_arg != def.autotype) continue;
    if (type_arg && def.autotype2 && *type_arg != def.autotype2) continue;
    if (type_arg && skip_for_type(def)) continue;

    int match_required = 0, match_ro = 0, match_rp = 0, match_type = 0, mismatch = 0;
    if (def.required.empty() && def.required_positional == 0) match_required = 1;
    for (const DefOption& o : def.required) {
      const bool present = is_set(o.arg) ||
                           (o.arg == kSize && given.set[kExtents]);
      if (present && literal_matches(o)) {
        ++match_required;
        ++match_ro;
        if (o.arg == kType) match_type = 1;
      } else {
        ++mismatch;
      }
    }
    for (int rp = 0; rp < def.required_positional; ++rp) {
      bool present = static_cast<size_t>(rp) < positional;
      // lvcreate's VG may come from --name VG/LV.
      if (!present && rp == 0 && line.command == CommandName::kLvcreate &&
          given.set[kName] && given.value[kName].find('/') != std::string::npos) {
        present = true;
      }
      if (present) {
        ++match_required;
        ++match_rp;
      } else {
        ++mismatch;
      }
    }
    if (mismatch || match_required == 0) continue;
    if ((!def.required.empty() || def.required_positional) && (match_ro || match_rp)) {
      ++match_required;
    }
    std::vector<int> unused;
    for (int arg = 0; arg < kArgCount; ++arg) {
      if (!given.set[arg]) continue;
      const int standard = arg == kCoreLog ? kMirrorLog : arg;
      if (standard == kExtents || IsCommonOption(standard)) continue;
      bool accepted = false;
      for (const DefOption& o : def.required) accepted = accepted || o.arg == standard;
      for (const DefOption& o : def.optional) {
        accepted = accepted || (o.arg == standard && literal_matches(o));
      }
      for (const DefOption& o : def.ignored) {
        accepted = accepted || (o.arg == standard && literal_matches(o));
      }
      if (!accepted) unused.push_back(standard);
    }
    const int match_unused = static_cast<int>(unused.size());
    if (best == nullptr || (match_required > best_required && !match_unused) ||
        match_unused < best_unused || match_type > best_type ||
        (match_required == best_required && match_type == best_type &&
         match_unused < best_unused)) {
      best = &def;
      best_required = match_required;
      best_type = match_type;
      best_unused = match_unused;
      best_unused_args = unused;
    }
  }
  const char* name = CommandNameText(line.command);
  if (best == nullptr) {
    log.Error(absl::StrCat("No command with matching syntax recognised.  Run '", name,
                           " --help' for more information."));
    return CommandSyntaxRejected();
  }
  if (!best_unused_args.empty()) {
    for (int arg : best_unused_args) {
      const bool with_value = given.set[arg] && given.has_value[arg];
      log.Error(absl::StrCat("Command does not accept option: --", kArgNames[arg],
                             with_value ? " " : "", with_value ? given.value[arg] : "",
                             "."));
    }
    return CommandSyntaxRejected();
  }
  return absl::OkStatus();
}

}  // namespace liballoc::lvm
