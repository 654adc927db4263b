#include "lvm/plan_options.h"

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace liballoc::lvm {
namespace {

struct OptionSpec {
  const char* long_name;  // without the leading "--"
  char short_name;        // 0 when none
  bool takes_value;
  std::optional<Opt> opt;  // nullopt: accepted and ignored
};

// lvcreate's table; lvextend/lvresize differ in -n (--nofsck there).
constexpr OptionSpec kCreateOptions[] = {
    {"extents", 'l', true, Opt::kExtents},
    {"size", 'L', true, Opt::kSize},
    {"name", 'n', true, Opt::kName},
    {"stripes", 'i', true, Opt::kStripes},
    {"stripesize", 'I', true, Opt::kStripeSize},
    {"alloc", 0, true, Opt::kAlloc},
    {"contiguous", 'C', true, Opt::kContiguous},
    {"type", 0, true, Opt::kType},
    {"mirrors", 'm', true, Opt::kMirrors},
    {"mirrorlog", 0, true, Opt::kMirrorLog},
    {"corelog", 0, false, Opt::kCoreLog},
    {"nosync", 0, false, Opt::kNoSync},
    {"regionsize", 'R', true, Opt::kRegionSize},
    {"activate", 'a', true, std::nullopt},
    {"zero", 'Z', true, std::nullopt},
    {"wipesignatures", 'W', true, std::nullopt},
    {"autobackup", 'A', true, std::nullopt},
    {"yes", 'y', false, std::nullopt},  // lvcreate has no -f/--force
    {"config", 0, true, std::nullopt},
    {"verbose", 'v', false, std::nullopt},
    {"quiet", 'q', false, std::nullopt},
    {"noudevsync", 0, false, std::nullopt},
    {"ignoremonitoring", 0, false, std::nullopt},
    {"monitor", 0, true, std::nullopt},
};

constexpr OptionSpec kResizeOptions[] = {
    {"extents", 'l', true, Opt::kExtents},
    {"size", 'L', true, Opt::kSize},
    {"stripes", 'i', true, Opt::kStripes},
    {"stripesize", 'I', true, Opt::kStripeSize},
    {"alloc", 0, true, Opt::kAlloc},
    {"type", 0, true, Opt::kType},
    {"mirrors", 'm', true, Opt::kMirrors},
    {"nosync", 0, false, Opt::kNoSync},
    {"nofsck", 'n', false, std::nullopt},
    {"config", 0, true, std::nullopt},
    {"autobackup", 'A', true, std::nullopt},
    {"force", 'f', false, std::nullopt},
    {"yes", 'y', false, std::nullopt},
    {"verbose", 'v', false, std::nullopt},
    {"quiet", 'q', false, std::nullopt},
    {"noudevsync", 0, false, std::nullopt},
};

template <size_t N>
absl::Span<const OptionSpec> AsSpan(const OptionSpec (&table)[N]) {
  return absl::MakeConstSpan(table, N);
}

}  // namespace

std::optional<std::string> CommandLine::Value(Opt opt) const {
  auto it = options.find(opt);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

const char* LongOptionName(Opt opt) {
  switch (opt) {
    case Opt::kExtents: return "--extents";
    case Opt::kSize: return "--size";
    case Opt::kName: return "--name";
    case Opt::kStripes: return "--stripes";
    case Opt::kStripeSize: return "--stripesize";
    case Opt::kAlloc: return "--alloc";
    case Opt::kContiguous: return "--contiguous";
    case Opt::kType: return "--type";
    case Opt::kMirrors: return "--mirrors";
    case Opt::kMirrorLog: return "--mirrorlog";
    case Opt::kCoreLog: return "--corelog";
    case Opt::kNoSync: return "--nosync";
    case Opt::kRegionSize: return "--regionsize";
  }
  return "--?";
}

absl::StatusOr<CommandLine> ParseCommandLine(
    absl::Span<const std::string> argv) {
  if (argv.empty()) {
    return absl::InvalidArgumentError(
        "no command given (expected lvcreate, lvextend or lvresize)");
  }
  CommandLine line;
  absl::Span<const OptionSpec> table;
  if (argv[0] == "lvcreate") {
    line.command = CommandName::kLvcreate;
    table = AsSpan(kCreateOptions);
  } else if (argv[0] == "lvextend" || argv[0] == "lvresize") {
    line.command = argv[0] == "lvextend" ? CommandName::kLvextend
                                         : CommandName::kLvresize;
    table = AsSpan(kResizeOptions);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unsupported command \"", argv[0],
        "\" (lvalloc plans lvcreate, lvextend and lvresize)"));
  }

  auto record = [&line](const OptionSpec& spec, std::string value) {
    line.given.push_back({spec.long_name, value, spec.takes_value});
    if (std::string_view(spec.long_name) == "config") {
      line.config_text += value;
      line.config_text += "\n";
    }
    if (spec.opt) line.options[*spec.opt] = std::move(value);
  };

  bool options_ended = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_ended || arg.size() < 2 || arg[0] != '-') {
      line.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg[1] == '-') {
      std::string name = arg.substr(2);
      std::optional<std::string> attached;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        attached = name.substr(eq + 1);
        name.resize(eq);
      }
      // getopt_long: an exact match, else a unique prefix.
      const OptionSpec* found = nullptr;
      int prefix_matches = 0;
      for (const OptionSpec& spec : table) {
        if (name == spec.long_name) {
          found = &spec;
          prefix_matches = 1;
          break;
        }
        if (!name.empty() && absl::StartsWith(spec.long_name, name)) {
          found = &spec;
          ++prefix_matches;
        }
      }
      if (found == nullptr || prefix_matches != 1) {
        return absl::InvalidArgumentError(absl::StrCat(
            "unsupported option --", name, " for ", argv[0],
            prefix_matches > 1 ? " (ambiguous prefix)" : ""));
      }
      if (!found->takes_value) {
        if (attached) {
          return absl::InvalidArgumentError(absl::StrCat(
              "option --", found->long_name, " takes no value"));
        }
        record(*found, "");
        continue;
      }
      if (!attached) {
        if (i + 1 >= argv.size()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "option --", found->long_name, " requires a value"));
        }
        attached = argv[++i];
      }
      record(*found, *attached);
      continue;
    }
    // A cluster of short options; a value-taking one swallows the rest of
    // the cluster, or the next argument.
    for (size_t k = 1; k < arg.size(); ++k) {
      const OptionSpec* found = nullptr;
      for (const OptionSpec& spec : table) {
        if (spec.short_name == arg[k]) found = &spec;
      }
      if (found == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            "unsupported option -", std::string(1, arg[k]), " for ", argv[0]));
      }
      if (!found->takes_value) {
        record(*found, "");
        continue;
      }
      std::string value;
      if (k + 1 < arg.size()) {
        value = arg.substr(k + 1);
      } else if (i + 1 < argv.size()) {
        value = argv[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            "option -", std::string(1, arg[k]), " requires a value"));
      }
      record(*found, std::move(value));
      break;
    }
  }
  return line;
}

}  // namespace liballoc::lvm
