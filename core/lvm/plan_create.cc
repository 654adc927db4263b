// lvcreate's VG phase (tools/lvcreate.c _lvcreate_single and lv_manip.c's
// _lv_create_an_lv in LVM2 2.03.16), after the command-line phase of
// plan_create_params.cc: raid checks, size processing (spec §2.4), the PV
// list (§2.6), the LV checks, the allocation, and the new LV's segments.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>

#include "absl/strings/str_cat.h"
#include "lvm/plan_apply.h"
#include "lvm/plan_context.h"
#include "lvm/plan_create_params.h"
#include "lvm/plan_layered.h"
#include "lvm/plan_pv_list.h"
#include "lvm/plan_request.h"
#include "lvm/plan_segtype.h"

namespace liballoc::lvm {
namespace {

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
  CommandLog& log = ctx.log;
  const PlanConfig& config = ctx.config;
  const OptionValues& values = ctx.values;
  absl::StatusOr<CreateParams> params = ReadCreateParams(ctx);
  if (!params.ok()) return params.status();
  const std::optional<SegtypeInfo> type = params->type;
  const bool is_mirror = params->is_mirror;
  const bool is_raid = params->is_raid;
  const std::string& vg_name = params->vg_name;
  std::string lv_name = params->lv_name;
  const std::vector<std::string>& pv_args = params->pv_args;
  uint64_t stripes = params->stripes;
  const bool stripes_supplied = params->stripes_supplied;
  uint64_t stripe_size = params->stripe_size;
  const uint32_t mirrors = params->mirrors;
  LayeredParams layered = params->layered;
  const std::string& alloc = params->alloc;

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
