// lvcreate's command-line phase; see plan_create_params.h.
#include "lvm/plan_create_params.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "absl/strings/str_cat.h"

namespace liballoc::lvm {
namespace {

constexpr uint32_t kMaxStripes = 128;
constexpr uint64_t kStripeSizeLimit = (UINT32_MAX >> 2) + 1ull;  // sectors / 2
constexpr uint32_t kRaidMaxImages = 64;
constexpr uint32_t kMirrorMaxImages = 8;

bool IsPowerOfTwo(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

// Types lvm knows but lvalloc does not plan.
bool IsUnplannedLvmType(const std::string& type) {
  static constexpr const char* kTypes[] = {
      "thin",  "thin-pool", "cache", "cache-pool", "snapshot", "vdo",
      "vdo-pool", "error", "zero", "writecache", "integrity", "raid"};
  for (const char* t : kTypes) {
    if (type == t) return true;
  }
  return false;
}

bool SupportsStripeSize(const SegtypeInfo& type) {
  return type.alloc_type == SegmentType::kStriped ||
         type.alloc_type == SegmentType::kMirror ||
         (type.is_raid && type.alloc_type != SegmentType::kRaid1);
}

// validate_restricted_lvname_param: lvm's character set and reserved names.
absl::Status ValidateNewLvName(const std::string& name, CommandLog& log) {
  bool valid = !name.empty() && name[0] != '-' && name != "." && name != ".." &&
               name.size() < 128;
  for (char c : name) {
    valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                      c == '_' || c == '-' || c == '+');
  }
  if (!valid) {
    return RejectCommandLine(
        log, absl::StrCat("Logical volume name \"", name, "\" is invalid."));
  }
  for (const char* prefix : {"pvmove", "snapshot"}) {
    if (name.rfind(prefix, 0) == 0) {
      return RejectCommandLine(
          log, absl::StrCat("Names starting \"", prefix,
                            "\" are reserved. Please choose a different LV name."));
    }
  }
  for (const char* part : {"_cdata", "_cmeta", "_corig", "_cpool", "_cvol", "_wcorig",
                           "_mimage", "_mlog", "_rimage", "_rmeta", "_tdata", "_tmeta",
                           "_vdata", "_imeta", "_iorig", "_pmspare", "_vorigin"}) {
    if (name.find(part) != std::string::npos) {
      return RejectCommandLine(
          log, absl::StrCat("Names including \"", part,
                            "\" are reserved. Please choose a different LV name."));
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsAnyRaid0(const SegtypeInfo& type) {
  return type.alloc_type == SegmentType::kRaid0 ||
         type.alloc_type == SegmentType::kRaid0Meta;
}


absl::StatusOr<CreateParams> ReadCreateParams(PlanContext& ctx) {
  const CommandLine& line = ctx.line;
  const OptionValues& values = ctx.values;
  CommandLog& log = ctx.log;
  const PlanConfig& config = ctx.config;

  // --- _lvcreate_params: the segment type.
  bool only_linear = false;
  std::string type_name;
  if (std::optional<std::string> t = line.Value(Opt::kType)) {
    type_name = *t;
    if (type_name == "linear") {
      type_name = "striped";
      only_linear = true;
    }
  } else if (values.mirrors.value_or(0) != 0) {
    type_name = values.stripes.value_or(1) > 1 ? config.raid10_segtype_default
                                               : config.mirror_segtype_default;
  } else {
    type_name = "striped";
  }
  std::optional<SegtypeInfo> type = LookupSegtype(type_name);
  if (!type) {
    if (IsUnplannedLvmType(type_name)) {
      return absl::UnimplementedError(absl::StrCat(
          "lvalloc does not plan segment type \"", type_name, "\""));
    }
    return RejectCommandLine(
        log, absl::StrCat("Unable to create LV with unknown segment type ",
                          type_name, "."));
  }
  const bool is_mirror = type->alloc_type == SegmentType::kMirror;
  const bool is_raid = type->is_raid;

  if (!is_mirror) {
    if (line.Has(Opt::kCoreLog)) {
      return RejectCommandLine(log, "--corelog is supported only with mirrors.");
    }
    if (line.Has(Opt::kMirrorLog)) {
      return RejectCommandLine(log, "--mirrorlog is supported only with mirrors.");
    }
  }
  if (!is_mirror && !is_raid) {
    if (line.Has(Opt::kNoSync)) {
      return RejectCommandLine(
          log, "--nosync is supported only with mirrors or raids.");
    }
    if (line.Has(Opt::kRegionSize)) {
      return RejectCommandLine(
          log, "--regionsize is supported only with mirrors or raids.");
    }
    if (values.mirrors.value_or(0) != 0) {
      return RejectCommandLine(log,
                               "--mirrors is supported only with mirrors or raids");
    }
  }

  // --- _lvcreate_name_params.
  std::string vg_name;
  std::string lv_name;
  if (std::optional<std::string> n = line.Value(Opt::kName)) {
    lv_name = *n;
    if (size_t slash = lv_name.rfind('/'); slash != std::string::npos) {
      vg_name = lv_name.substr(0, slash);
      if (vg_name.rfind("/dev/", 0) == 0) vg_name = vg_name.substr(5);
      lv_name = lv_name.substr(slash + 1);
    }
  }
  if (!lv_name.empty() || line.Has(Opt::kName)) {
    absl::Status valid = ValidateNewLvName(lv_name, log);
    if (!valid.ok()) return valid;
  }
  std::vector<std::string> pv_args(line.positional.begin(), line.positional.end());
  if (pv_args.empty()) {
    if (vg_name.empty()) {
      return RejectCommandLine(log, "Please provide a volume group name");
    }
  } else {
    std::string arg = pv_args.front();
    if (arg.rfind("/dev/", 0) == 0) arg = arg.substr(5);
    if (arg.find('/') != std::string::npos) {
      return RejectCommandLine(log, "Volume group name expected (no slash)");
    }
    if (!vg_name.empty() && vg_name != arg) {
      return RejectCommandLine(
          log, absl::StrCat("Inconsistent volume group names given: \"",
                            vg_name, "\" and \"", arg, "\""));
    }
    vg_name = arg;
    pv_args.erase(pv_args.begin());
  }

  // --- _read_size_params.
  if (absl::Status s = RejectZeroSizeArguments(line, values, log); !s.ok()) return s;
  if (values.extents && values.size) {
    return RejectCommandLine(log, "Please specify either size or extents (not both).");
  }
  if (!values.extents && !values.size) {
    return RejectCommandLine(log, "Please specify either size or extents.");
  }
  if (values.extents && values.extents->percent == Percent::kNone &&
      values.extents->value > std::numeric_limits<uint32_t>::max()) {
    return absl::OutOfRangeError(absl::StrCat(
        "-l ", values.extents->value,
        ": more extents than LVM2 can address (at most 4294967295)"));
  }

  // --- get_stripe_params.
  uint64_t stripes = 1;
  const bool stripes_supplied = values.stripes.has_value();
  if (stripes_supplied) {
    stripes = *values.stripes;
  } else if (type->alloc_type == SegmentType::kRaid6) {
    stripes = 3;
  } else if (type->is_raid && type->alloc_type != SegmentType::kRaid1) {
    stripes = 2;
  }
  uint64_t stripe_size = values.stripe_size ? values.stripe_size->value : 0;
  if (stripes < 1 || stripes > kMaxStripes) {
    return RejectCommandLine(
        log, absl::StrCat("Number of stripes (", static_cast<int>(std::min<uint64_t>(stripes, INT32_MAX)),
                          ") must be between 1 and ", kMaxStripes, "."));
  }
  if (!SupportsStripeSize(*type)) {
    if (stripe_size) {
      log.Print(absl::StrCat("Ignoring stripesize argument for ", type->name,
                             " devices."));
      stripe_size = 0;
    }
  } else if (stripes == 1) {
    if (stripe_size) {
      log.Print("Ignoring stripesize argument with single stripe.");
      stripe_size = 0;
    }
  } else {
    if (!stripe_size) {
      stripe_size = config.stripesize_kb * 2;
      log.Print(absl::StrCat("Using default stripesize ", DisplaySize(stripe_size), "."));
    }
    if (stripe_size > kStripeSizeLimit * 2) {
      return RejectCommandLine(log, absl::StrCat("Stripe size cannot be larger than ",
                                                 DisplaySize(kStripeSizeLimit), "."));
    }
    if (stripe_size < kStripeSizeMin || !IsPowerOfTwo(stripe_size)) {
      return RejectCommandLine(
          log, absl::StrCat("Invalid stripe size ", DisplaySize(stripe_size), "."));
    }
  }

  // --- _read_mirror_and_raid_params.
  LayeredParams layered;
  uint32_t mirrors = 1;
  {
    uint32_t max_images = kMaxStripes;
    if (is_mirror) max_images = kMirrorMaxImages;
    if (is_raid) {
      max_images = kRaidMaxImages - type->parity_devs;
      if (type->alloc_type == SegmentType::kRaid1) max_images = kRaidMaxImages;
    }
    if (values.mirrors) {
      mirrors = static_cast<uint32_t>(*values.mirrors + 1);
      if (mirrors > 2 && type->alloc_type == SegmentType::kRaid10) {
        return RejectCommandLine(
            log, "RAID10 currently supports only 2-way mirroring (i.e. '-m 1')");
      }
      if (mirrors == 1) {
        if (type->is_mirrored) {
          return RejectCommandLine(
              log, absl::StrCat("--mirrors must be at least 1 with segment type ",
                                type->name, "."));
        }
        log.Print("Redundant mirrors argument: default is 0");
      }
    } else {
      mirrors = type->is_mirrored ? 2 : 1;
    }
    if (type->alloc_type == SegmentType::kRaid10 && mirrors * stripes > max_images) {
      return RejectCommandLine(
          log, absl::StrCat("Only up to ", max_images / mirrors, " stripes in ",
                            type->name, " supported currently."));
    }
    if (type->is_mirrored) {
      if (mirrors > max_images) {
        return RejectCommandLine(
            log, absl::StrCat("Only up to ", max_images, " mirrors in ",
                              type->name, " supported currently."));
      }
    } else if (stripes > max_images) {
      return RejectCommandLine(
          log, absl::StrCat("Only up to ", max_images, " stripes in ",
                            type->name, " supported currently."));
    }
    layered.nosync = line.Has(Opt::kNoSync);
    if (layered.nosync && type->alloc_type == SegmentType::kRaid6) {
      return RejectCommandLine(log, "nosync option prohibited on RAID6.");
    }
    layered.region_size = values.region_size.value_or(0);
    if (layered.region_size == 0) {
      layered.region_size = DefaultRegionSize(config, log);
    }
    if (is_mirror) {
      const bool corelog = line.Has(Opt::kCoreLog);
      layered.log_count = values.mirror_log.value_or(corelog ? 0 : 1);
      if (corelog && layered.log_count != 0) {
        return RejectCommandLine(log, "Please use only one of --corelog or --mirrorlog.");
      }
    }
    if (is_raid) {
      if (type->is_mirrored) {
        if (type->alloc_type == SegmentType::kRaid10) {
          if (stripes < 2) {
            if (stripes_supplied) {
              return RejectCommandLine(
                  log, absl::StrCat("Minimum of 2 stripes required for ", type->name, "."));
            }
            stripes = 2;
          }
          stripes *= 2;
        } else if (stripes > 1) {
          return RejectCommandLine(
              log, absl::StrCat("Stripes argument cannot be used with segment type, ",
                                type->name));
        }
      } else if (type->alloc_type == SegmentType::kRaid6 && stripes < 3) {
        if (stripes_supplied) {
          return RejectCommandLine(
              log, absl::StrCat("Minimum of 3 stripes required for ", type->name, "."));
        }
        stripes = 3;
      } else if (stripes < 2) {
        if (stripes_supplied) {
          return RejectCommandLine(
              log, absl::StrCat("Minimum of 2 stripes required for ", type->name, "."));
        }
        stripes = 2;
      }
      if (type->alloc_type == SegmentType::kRaid1 && stripe_size) {
        return RejectCommandLine(
            log, absl::StrCat("Stripe size argument cannot be used with segment type, ",
                              type->name));
      }
      if (line.Has(Opt::kMirrors) && type->alloc_type != SegmentType::kRaid1 &&
          type->alloc_type != SegmentType::kRaid10) {
        return RejectCommandLine(
            log, absl::StrCat("Mirror argument cannot be used with segment type, ",
                              type->name));
      }
      if (IsAnyRaid0(*type)) {
        layered.region_size = 0;
      } else if (layered.region_size < stripe_size) {
        log.Print(absl::StrCat("Adjusting ", type->name, " ",
                               DisplaySize(layered.region_size),
                               " region size to required minimum of stripe size ",
                               DisplaySize(stripe_size), "."));
        layered.region_size = stripe_size;
      }
    }
  }
  if (only_linear && stripes > 1) {
    return RejectCommandLine(log, "Cannot use stripes with linear type.");
  }

  // Allocation policy: -C y is contiguous; --alloc wins but must agree.
  std::string alloc = values.contiguous ? "contiguous" : "inherit";
  if (values.alloc) alloc = *values.alloc;
  if (values.contiguous && alloc != "contiguous") {
    return RejectCommandLine(log, "Conflicting contiguous and alloc arguments.");
  }

  CreateParams params;
  params.type = *type;
  params.is_mirror = is_mirror;
  params.is_raid = is_raid;
  params.vg_name = vg_name;
  params.lv_name = lv_name;
  params.pv_args = pv_args;
  params.stripes = stripes;
  params.stripes_supplied = stripes_supplied;
  params.stripe_size = stripe_size;
  params.mirrors = mirrors;
  params.layered = layered;
  params.alloc = alloc;
  return params;
}

}  // namespace liballoc::lvm
