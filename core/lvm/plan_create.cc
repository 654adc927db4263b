// lvcreate (tools/lvcreate.c and lv_manip.c's _lv_create_an_lv in LVM2
// 2.03.16): option checks (exit 3), size processing (spec §2.4), the PV
// list (§2.6), the LV checks, one allocation, and the new LV's segments.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>

#include "absl/strings/str_cat.h"
#include "lvm/plan_apply.h"
#include "lvm/plan_context.h"
#include "lvm/plan_layered.h"
#include "lvm/plan_pv_list.h"
#include "lvm/plan_request.h"
#include "lvm/plan_segtype.h"

namespace liballoc::lvm {
namespace {

constexpr uint32_t kMaxStripes = 128;
constexpr uint64_t kStripeSizeMin = 8;                          // page size, sectors
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

bool IsAnyRaid0(const SegtypeInfo& type) {
  return type.alloc_type == SegmentType::kRaid0 ||
         type.alloc_type == SegmentType::kRaid0Meta;
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

// "lvol<N>" with N one above the highest "lvol%d" name in the VG
// (generate_lv_name; sscanf also matches "lvol3_rimage_0").
std::string GenerateLvName(const VgModel& vg) {
  int high = -1;
  for (const LvModel& lv : vg.lvs) {
    int i = 0;
    if (std::sscanf(lv.name.c_str(), "lvol%d", &i) == 1 && i > high) high = i;
  }
  return absl::StrCat("lvol", high + 1);
}

}  // namespace

absl::Status PlanLvcreate(PlanContext& ctx) {
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
  if (values.extents && values.extents->value == 0) {
    return RejectCommandLine(log, "--extents may not be zero.");
  }
  if (line.Has(Opt::kRegionSize) && values.region_size.value_or(0) == 0) {
    return RejectCommandLine(log, "--regionsize may not be zero.");
  }
  if (values.size && values.size->value == 0) {
    return RejectCommandLine(log, "--size may not be zero.");
  }
  if (values.stripes && *values.stripes == 0) {
    return RejectCommandLine(log, "--stripes may not be zero.");
  }
  if (values.stripe_size && values.stripe_size->value == 0) {
    return RejectCommandLine(log, "--stripesize may not be zero.");
  }
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

  // --- The VG.
  if (vg_name != ctx.vg.name) {
    log.Error(absl::StrCat("Volume group \"", vg_name, "\" not found"));
    return FailCommand(log, absl::StrCat("Cannot process volume group ", vg_name));
  }
  const uint64_t extent_size = ctx.vg.extent_size;
  if (extent_size == 0) {
    return absl::InvalidArgumentError("the VG's extent_size is 0");
  }
  const std::vector<std::vector<Area>> free_runs = ctx.FreeRuns();

  // --- _check_raid_parameters.
  if (is_raid) {
    const uint64_t devs = pv_args.empty() ? ctx.vg.pvs.size() : pv_args.size();
    const bool old_stripes = !stripes_supplied && config.raid_stripe_all_devices;
    if (old_stripes && type->alloc_type != SegmentType::kRaid1) stripes = devs;
    if (type->alloc_type == SegmentType::kRaid10) {
      stripes /= mirrors;
      if (stripes < 2) {
        return FailCommand(
            log, "Unable to create RAID(1)0 LV: insufficient number of devices.");
      }
    } else if (!type->is_mirrored) {
      if (old_stripes && type->parity_devs && devs > 2 * type->parity_devs) {
        stripes -= type->parity_devs;
      }
      if (type->alloc_type == SegmentType::kRaid0 ||
          type->alloc_type == SegmentType::kRaid0Meta) {
        if (stripes < 2) {
          return FailCommand(log, "Segment type 'raid0' requires 2 or more stripes.");
        }
      } else if (stripes <= type->parity_devs) {
        return FailCommand(log, absl::StrCat("Number of stripes must be at least ",
                                             type->parity_devs + 1, " for ",
                                             type->name));
      }
    }
  }

  // --- _update_extents_params.
  uint64_t extents = 0;
  bool approx = false;
  if (values.size) {
    uint64_t size = values.size->value;
    if (size % extent_size) {
      size += extent_size - size % extent_size;
      log.Print(absl::StrCat("Rounding up size to full physical extent ",
                             DisplaySize(size)));
    }
    if (size > static_cast<uint64_t>(UINT32_MAX) * extent_size) {
      return FailCommand(
          log, absl::StrCat("Volume too large (", DisplaySize(size),
                            ") for extent size ", DisplaySize(extent_size),
                            ". Upper limit is less than ",
                            DisplaySize(static_cast<uint64_t>(UINT32_MAX) * extent_size),
                            "."));
    }
    extents = size / extent_size;
  } else {
    extents = values.extents->value;
  }
  std::vector<PvListEntry> pv_list;
  if (!pv_args.empty()) {
    absl::Status built = BuildPvList(ctx.vg, free_runs, pv_args, log, &pv_list);
    if (!built.ok()) return built;
  } else {
    pv_list = WholeVgPvList(ctx.vg);
  }
  const uint64_t vg_free = ctx.VgFreeCount();
  const Percent percent = values.extents ? values.extents->percent : Percent::kNone;
  if (percent != Percent::kNone) {
    const uint32_t pct = static_cast<uint32_t>(extents);
    uint64_t computed = 0;
    switch (percent) {
      case Percent::kVg:
        computed = PercentOfExtents(pct, static_cast<uint32_t>(ctx.VgExtentCount()), false);
        if (computed > vg_free) {
          computed = vg_free;
          log.Print(absl::StrCat("Reducing ", pct, "%VG to remaining free space ",
                                 DisplaySize(extent_size * computed), " in VG."));
        }
        break;
      case Percent::kFree:
        computed = PercentOfExtents(pct, static_cast<uint32_t>(vg_free), false);
        break;
      case Percent::kPvs:
        computed = PercentOfExtents(
            pct,
            static_cast<uint32_t>(pv_args.empty()
                                      ? ctx.VgExtentCount()
                                      : FreeExtentsInList(pv_list, free_runs)),
            false);
        break;
      case Percent::kLv:
        return FailCommand(log, "Please express size as %FREE, %PVS or %VG.");
      default:
        return absl::UnimplementedError("lvalloc does not plan %ORIGIN sizes");
    }
    approx = true;
    if (computed == 0) {
      return FailCommand(
          log, "Calculated size of logical volume is 0 extents. Needs to be larger.");
    }
    if (is_raid || is_mirror) {
      computed /= mirrors;
      if (computed == 0) computed = 1;
    }
    extents = computed;
  }
  uint64_t stripe_extents = stripe_size / extent_size;
  if (stripe_extents == 0) stripe_extents = 1;
  if (percent != Percent::kNone && stripes) {
    const uint64_t rest = extents % (stripes * stripe_extents);
    if (rest && vg_free < extents - rest + stripes * stripe_extents) {
      log.Print(absl::StrCat("Rounding size (", extents,
                             " extents) down to stripe boundary size (",
                             extents - rest, " extents)"));
      extents -= rest;
    }
  }

  // --- _lv_create_an_lv.
  if (!lv_name.empty() && FindLv(ctx.vg, lv_name) >= 0) {
    return FailCommand(log, absl::StrCat("Logical Volume \"", lv_name,
                                         "\" already exists in volume group \"",
                                         ctx.vg.name, "\""));
  }
  if (stripe_size > extent_size) {
    if (is_raid && extent_size < kStripeSizeMin) {
      return FailCommand(log, absl::StrCat("The extent size in volume group ",
                                           ctx.vg.name,
                                           " is too small to support striped RAID volumes."));
    }
    log.Print(absl::StrCat("Reducing requested stripe size ", DisplaySize(stripe_size),
                           " to maximum, physical extent size ",
                           DisplaySize(extent_size), "."));
    stripe_size = extent_size;
  }
  if (const uint64_t rest = extents % stripes) {
    const uint64_t rounded = extents + stripes - rest;
    log.Print(absl::StrCat("Rounding size ", DisplaySize(extents * extent_size), " (",
                           extents, " extents) up to stripe boundary size ",
                           DisplaySize(rounded * extent_size), " (", rounded,
                           " extents)."));
    extents = rounded;
  }
  if (alloc != "anywhere" && stripes > pv_list.size()) {
    return FailCommand(log, absl::StrCat("Number of stripes (", stripes,
                                         ") must not exceed number of physical volumes (",
                                         pv_list.size(), ")"));
  }
  if (extents > std::numeric_limits<uint32_t>::max()) {
    return absl::OutOfRangeError(absl::StrCat(
        extents, " extents: more than LVM2 can address (at most 4294967295)"));
  }
  if (is_mirror || (is_raid && !IsAnyRaid0(*type))) {
    layered.region_size = AdjustedRegionSize(extent_size, extents,
                                             layered.region_size, log);
    if (layered.nosync) {
      log.Warn(absl::StrCat("WARNING: New ", type->name,
                            " won't be synchronised. Don't read what you didn't write!"));
    }
  }
  if (!approx && vg_free < extents) {
    return FailCommand(log, absl::StrCat("Volume group \"", ctx.vg.name,
                                         "\" has insufficient free space (", vg_free,
                                         " extents): ", extents, " required."));
  }
  if (lv_name.empty()) lv_name = GenerateLvName(ctx.vg);

  NewLvStamp stamp{ctx.env.creation_time, ctx.env.creation_host};
  const std::string stored_alloc = alloc == "inherit" ? "" : alloc;
  ctx.vg.lvs.push_back(NewLv(lv_name, true, stored_alloc, stamp));

  Request request;
  request.sources = MakeSources(ctx.vg, free_runs, pv_list);
  request.type = type->alloc_type;
  request.stripes = static_cast<uint32_t>(stripes);
  request.mirrors = mirrors;
  request.extent_size = static_cast<uint32_t>(extent_size);
  request.extents = extents;
  request.approx = approx;
  request.policy = ResolvePolicy(alloc, ctx.vg.alloc_policy);
  request.cling_tag_list = config.cling_tag_list;
  request.maximise_cling = config.maximise_cling;
  request.logs_require_separate_pvs = config.mirror_logs_require_separate_pvs;
  request.lv_name = lv_name;

  if (!is_raid && !is_mirror) {
    absl::StatusOr<Result> result = ctx.Allocate(request, lv_name);
    if (!result.ok()) return result.status();
    LvModel& lv = ctx.vg.lvs.back();
    AppendPieces(ctx.vg, *result, 0, result->area_count, "striped", stripe_size, &lv);
  } else {
    layered.type = *type;
    layered.stripes = static_cast<uint32_t>(stripes);
    layered.mirrors = mirrors;
    layered.stripe_size = stripe_size;
    layered.stamp = stamp;
    layered.pv_list = pv_list;
    absl::Status created = CreateLayeredLv(ctx, request, layered);
    if (!created.ok()) return created;
  }
  log.Print(absl::StrCat("Logical volume \"", lv_name, "\" created."));
  return absl::OkStatus();
}

}  // namespace liballoc::lvm
