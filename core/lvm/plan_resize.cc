// lvextend / lvresize growing an LV (tools/lvresize.c and lv_manip.c's
// lv_resize in LVM2 2.03.16): size processing (spec §2.4), stripes of the
// existing segments, one allocation continuing the LV's last segment.
// Shrinking is not planned (lvalloc reports it as unsupported).
#include <cstdlib>
#include <limits>

#include "absl/strings/str_cat.h"
#include "lvm/free_space.h"
#include "lvm/plan_apply.h"
#include "lvm/plan_context.h"
#include "lvm/plan_log.h"
#include "lvm/plan_layered.h"
#include "lvm/plan_pv_list.h"
#include "lvm/plan_request.h"
#include "lvm/plan_segtype.h"

namespace liballoc::lvm {
namespace {

constexpr uint64_t kStripeSizeMin = 8;
constexpr uint64_t kStripeSizeLimit = (UINT32_MAX >> 2) + 1ull;

bool IsPowerOfTwo(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

bool IsStripedSegment(const SegmentModel& seg) {
  return BaseSegmentType(seg.type) == "striped";
}

// _raid_stripes_count of a raid segment.
uint32_t RaidStripes(const SegtypeInfo& type, const SegmentModel& seg) {
  const uint32_t count = static_cast<uint32_t>(seg.areas.size());
  if (type.alloc_type == SegmentType::kRaid10) return count / 2;
  return count - type.parity_devs;
}

// lv_mirror_count of a mirrored LV: its images, or raid10's data copies.
uint32_t MirrorCount(const SegtypeInfo& type, const SegmentModel& seg) {
  if (type.alloc_type == SegmentType::kRaid10) {
    for (const RawField& field : seg.extra) {
      if (field.first == "data_copies") {
        return static_cast<uint32_t>(std::strtoul(field.second.c_str(), nullptr, 10));
      }
    }
    return 2;
  }
  return static_cast<uint32_t>(seg.areas.size());
}

// _lv_pe_count: PEs of the LV and all its sub-LVs.
uint64_t LvPeCount(const VgModel& vg, const LvModel& lv, int depth = 0) {
  uint64_t total = 0;
  if (depth > 16) return 0;
  for (const SegmentModel& seg : lv.segments) {
    const uint64_t area_len = AreaLen(seg);
    for (const AreaModel& area : seg.areas) {
      if (!area.is_lv) total += area_len;
    }
    for (const AreaModel& area : seg.areas) {
      if (!area.is_lv) continue;
      int sub = FindLv(vg, area.name);
      if (sub >= 0) total += LvPeCount(vg, vg.lvs[sub], depth + 1);
    }
    for (const AreaModel& area : seg.meta_areas) {
      int sub = FindLv(vg, area.name);
      if (sub >= 0) total += LvPeCount(vg, vg.lvs[sub], depth + 1);
    }
    if (!seg.mirror_log.empty()) {
      int sub = FindLv(vg, seg.mirror_log);
      if (sub >= 0) total += LvPeCount(vg, vg.lvs[sub], depth + 1);
    }
  }
  return total;
}

// lvextend given a size below the LV's: lvm takes the reducing branch of
// _lvresize_adjust_extents (the new size within the segment it falls in,
// rounded up to that segment's stripes) and then refuses it.
absl::Status RefuseReduceByLvextend(PlanContext& ctx, const LvModel& lv, uint64_t wanted,
                                    bool extents_are_pes, bool layout_options_given) {
  CommandLog& log = ctx.log;
  if (layout_options_given) {
    log.Print("Ignoring stripes, stripesize and mirrors arguments when reducing.");
  }
  const uint64_t le_count = lv.le_count();
  uint64_t new_extents = wanted;
  uint64_t seg_size = 0;
  uint64_t stripes = 0;
  uint64_t stripe_size = 0;
  uint64_t logical_used = 0;
  uint64_t physical_used = 0;
  for (const SegmentModel& seg : lv.segments) {
    std::optional<SegtypeInfo> t = LookupSegtype(seg.type);
    const uint64_t seg_physical = AreaLen(seg) * seg.areas.size();
    stripes = 0;
    stripe_size = 0;
    if (IsStripedSegment(seg)) {
      stripes = seg.areas.size();
      stripe_size = seg.stripe_size;
    } else if (t && t->is_raid) {
      stripes = RaidStripes(*t, seg);
      stripe_size = seg.stripe_size;
    }
    const uint64_t seg_mirrors = t && t->is_mirrored ? MirrorCount(*t, seg) : 0;
    if (extents_are_pes) {
      if (wanted <= physical_used + seg_physical) {
        seg_size = wanted - physical_used;
        if (seg_mirrors) seg_size /= seg_mirrors;
        new_extents = logical_used + seg_size;
        break;
      }
    } else if (wanted <= logical_used + seg.extent_count) {
      seg_size = wanted - logical_used;
      break;
    }
    logical_used += seg.extent_count;
    physical_used += seg_physical;
  }
  if (new_extents == 0) return FailCommand(log, "New size of 0 not permitted.");
  if (new_extents == le_count) {
    return FailCommand(log, absl::StrCat("New size (", new_extents,
                                         " extents) matches existing size (", le_count,
                                         " extents)."));
  }
  if (stripes > 1) {
    if (stripe_size < kStripeSizeMin) {
      return FailCommand(log, absl::StrCat("Invalid stripe size ", DisplaySize(stripe_size), "."));
    }
    uint64_t stripes_extents = stripes;
    if (stripe_size > ctx.vg.extent_size) stripes_extents *= stripe_size / ctx.vg.extent_size;
    if (const uint64_t rest = seg_size % stripes_extents) {
      log.Print(absl::StrCat("Rounding size (", new_extents,
                             " extents) up to stripe boundary size for segment (",
                             new_extents - rest + stripes_extents, " extents)."));
      new_extents = new_extents - rest + stripes_extents;
    }
  }
  if (new_extents < le_count) {
    return FailCommand(log, absl::StrCat("New size given (", new_extents,
                                         " extents) not larger than existing size (",
                                         le_count, " extents)"));
  }
  if (new_extents == le_count) {
    return FailCommand(log, absl::StrCat("New size (", new_extents,
                                         " extents) matches existing size (", le_count,
                                         " extents)"));
  }
  return absl::UnimplementedError("lvextend reducing rounded past the LV's size");
}

}  // namespace

absl::Status PlanLvresize(PlanContext& ctx) {
  const CommandLine& line = ctx.line;
  const OptionValues& values = ctx.values;
  CommandLog& log = ctx.log;

  // --- _lvresize_params.
  const bool is_extend = line.command == CommandName::kLvextend;
  uint64_t extents = 0;
  Sign sign = Sign::kNone;
  Percent percent = Percent::kNone;
  if (values.extents && values.extents->value) {
    extents = values.extents->value;
    sign = values.extents->sign;
    percent = values.extents->percent;
  }
  if (absl::Status s = RejectZeroSizeArguments(line, values, log); !s.ok()) return s;
  uint64_t size = 0;
  if (values.size) {
    size = values.size->value;
    sign = values.size->sign;
    percent = Percent::kNone;
  }
  if (size && extents) {
    return RejectCommandLine(log, "Please specify either size or extents but not both.");
  }
  if (!extents && !size && line.positional.size() >= 2) {
    extents = 100;
    percent = Percent::kPvs;
    sign = Sign::kPlus;
  }
  if (!extents && !size) {
    return absl::InvalidArgumentError(absl::StrCat(
        line.command == CommandName::kLvextend ? "lvextend" : "lvresize",
        " needs -l, -L or PV arguments"));
  }
  if (is_extend && sign == Sign::kMinus) {
    return RejectCommandLine(log, "Negative argument not permitted - use lvreduce.");
  }
  if (line.positional.empty()) {
    return RejectCommandLine(log, "Please provide the logical volume name.");
  }
  std::string lv_path = line.positional.front();
  if (lv_path.rfind("/dev/", 0) == 0) lv_path = lv_path.substr(5);
  const size_t slash = lv_path.find('/');
  if (slash == std::string::npos) {
    return RejectCommandLine(log, "Please specify a logical volume path.");
  }
  const std::string vg_name = lv_path.substr(0, slash);
  const std::string lv_name = lv_path.substr(slash + 1);
  uint32_t mirrors = 0;
  if (values.mirrors) {
    if (values.mirrors_sign != Sign::kNone) {
      return RejectCommandLine(log, "Mirrors argument may not be signed.");
    }
    if (*values.mirrors) mirrors = static_cast<uint32_t>(*values.mirrors + 1);
  }
  uint64_t stripes = values.stripes.value_or(0);
  bool only_linear = false;
  std::optional<SegtypeInfo> requested_type;
  if (std::optional<std::string> t = line.Value(Opt::kType)) {
    std::string name = *t;
    if (name == "linear") {
      name = "striped";
      only_linear = true;
    }
    requested_type = LookupSegtype(name);
    if (!requested_type) {
      return absl::UnimplementedError(absl::StrCat(
          "lvalloc does not plan --type ", *t, " for ", line.positional.front()));
    }
  }
  if (only_linear && stripes > 1) {
    return RejectCommandLine(log, "Cannot use stripes with linear type.");
  }
  uint64_t stripe_size = values.stripe_size ? values.stripe_size->value : 0;
  std::vector<std::string> pv_args(line.positional.begin() + 1, line.positional.end());

  // --- The VG and the LV.
  if (vg_name != ctx.vg.name) {
    log.Error(absl::StrCat("Volume group \"", vg_name, "\" not found"));
    return FailCommand(log, absl::StrCat("Cannot process volume group ", vg_name));
  }
  const int lv_index = FindLv(ctx.vg, lv_name);
  if (lv_index < 0) {
    return FailCommand(log, absl::StrCat("Logical volume ", lv_name,
                                         " not found in volume group ",
                                         ctx.vg.name, "."));
  }
  const uint64_t extent_size = ctx.vg.extent_size;
  const std::vector<std::vector<Area>> free_runs = ctx.FreeRuns();
  std::vector<PvListEntry> pv_list;
  if (!pv_args.empty()) {
    absl::Status built = BuildPvList(ctx.vg, free_runs, pv_args, log, &pv_list);
    if (!built.ok()) return built;
  } else {
    pv_list = WholeVgPvList(ctx.vg);
  }

  const LvModel& lv = ctx.vg.lvs[lv_index];
  const std::string display = absl::StrCat(ctx.vg.name, "/", lv.name);
  if (lv.segments.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("LV ", lv.name, " has no segments"));
  }
  const SegmentModel& first = lv.segments.front();
  const SegmentModel& last = lv.segments.back();
  std::optional<SegtypeInfo> first_type = LookupSegtype(first.type);
  std::optional<SegtypeInfo> last_type = LookupSegtype(last.type);
  if (!first_type || !last_type) {
    return absl::UnimplementedError(absl::StrCat(
        "lvalloc does not extend LVs of segment type ", last.type));
  }

  // --- _lvresize_check.
  for (const LvModel& parent : ctx.vg.lvs) {
    for (const SegmentModel& seg : parent.segments) {
      std::optional<SegtypeInfo> t = LookupSegtype(seg.type);
      if (!t || !t->is_raid) continue;
      for (const AreaModel& area : seg.areas) {
        if (area.is_lv && area.name == lv.name) {
          return FailCommand(log, "Cannot resize a RAID image directly");
        }
      }
      for (const AreaModel& area : seg.meta_areas) {
        if (area.is_lv && area.name == lv.name) {
          return FailCommand(log, "Cannot resize a RAID metadata area directly");
        }
      }
    }
  }
  if (!lv.visible()) {
    return FailCommand(log, absl::StrCat("Can't resize internal logical volume ",
                                         display, "."));
  }
  if ((first_type->alloc_type == SegmentType::kRaid4 ||
       first_type->alloc_type == SegmentType::kRaid5) &&
      first.areas.size() < 3) {
    return FailCommand(log, absl::StrCat("Cannot resize ", first.type, " LV ",
                                         display, ". Convert to more stripes first."));
  }
  if (stripe_size) {
    if (stripe_size > kStripeSizeLimit * 2) {
      return FailCommand(log, absl::StrCat("Stripe size cannot be larger than ",
                                           DisplaySize(kStripeSizeLimit), "."));
    }
    if (stripe_size > extent_size) {
      log.Print(absl::StrCat("Reducing stripe size ", DisplaySize(stripe_size),
                             " to maximum, physical extent size ",
                             DisplaySize(extent_size), "."));
      stripe_size = extent_size;
    }
    if (!IsPowerOfTwo(stripe_size)) {
      return FailCommand(log, "Stripe size must be power of 2.");
    }
  }

  // --- _lvresize_prepare: size to extents.
  const uint64_t le_count = lv.le_count();
  const uint64_t vg_free = ctx.VgFreeCount();
  bool approx = false;
  bool extents_are_pes = false;
  if (size) {
    if (const uint64_t adjust = size % extent_size) {
      if (sign != Sign::kMinus) size += extent_size;
      size -= adjust;
      log.Print(absl::StrCat("Rounding size to boundary between physical extents: ",
                             DisplaySize(size), "."));
    }
    extents = size / extent_size;
  } else if (percent != Percent::kNone) {
    const uint32_t pct = static_cast<uint32_t>(extents);
    const bool round_up = sign != Sign::kMinus;
    switch (percent) {
      case Percent::kVg:
        extents = PercentOfExtents(pct, static_cast<uint32_t>(ctx.VgExtentCount()), round_up);
        if (sign == Sign::kNone && extents > le_count + vg_free) {
          extents = le_count + vg_free;
          log.Print(absl::StrCat("Reducing ", pct, "%VG to remaining free space ",
                                 DisplaySize(extent_size * extents), " in VG."));
        }
        break;
      case Percent::kFree:
        extents = PercentOfExtents(pct, static_cast<uint32_t>(vg_free), round_up);
        break;
      case Percent::kLv:
        extents = PercentOfExtents(pct, static_cast<uint32_t>(le_count), round_up);
        break;
      case Percent::kPvs:
        extents = PercentOfExtents(
            pct,
            static_cast<uint32_t>(pv_args.empty() ? ctx.VgExtentCount()
                                                  : FreeExtentsInList(pv_list, free_runs)),
            round_up);
        break;
      default:
        return FailCommand(log, "Specified LV does not have an origin LV.");
    }
    extents_are_pes = percent == Percent::kVg || percent == Percent::kFree ||
                      percent == Percent::kPvs;
    approx = (sign == Sign::kNone && extents_are_pes) ||
             (sign == Sign::kPlus && percent == Percent::kFree);
  }
  if (extents > std::numeric_limits<uint32_t>::max()) {
    return absl::OutOfRangeError(absl::StrCat(
        extents, " extents: more than LVM2 can address (at most 4294967295)"));
  }
  if (percent == Percent::kNone && first_type->is_raid &&
      first_type->alloc_type != SegmentType::kRaid1) {
    const uint64_t raid_stripes = RaidStripes(*first_type, first);
    if (const uint64_t rest = raid_stripes ? extents % raid_stripes : 0) {
      const uint64_t rounded = extents + raid_stripes - rest;
      log.Print(absl::StrCat("Rounding size ", DisplaySize(extents * extent_size), " (",
                             extents, " extents) up to stripe boundary size ",
                             DisplaySize(rounded * extent_size), " (", rounded,
                             " extents)."));
      extents = rounded;
    }
  }

  // --- _lvresize_adjust_extents.
  SegtypeInfo segtype = *last_type;
  if (requested_type && requested_type->name != last_type->name) {
    const bool striped_like = requested_type->alloc_type == SegmentType::kStriped;
    if (striped_like && last_type->alloc_type == SegmentType::kStriped) {
      if (!stripes) stripes = 1;
    } else {
      return FailCommand(log, absl::StrCat("VolumeType does not match (",
                                           requested_type->name, ")."));
    }
  }
  uint64_t existing_pes = LvPeCount(ctx.vg, lv);
  if (existing_pes == 0) {
    existing_pes = le_count;
    extents_are_pes = false;
  }
  const uint64_t existing = extents_are_pes ? existing_pes : le_count;
  const bool reducing =
      sign == Sign::kMinus || (sign == Sign::kNone && extents < existing);
  if (reducing) {
    if (line.command != CommandName::kLvextend) {
      return absl::UnimplementedError(absl::StrCat(
          "shrinking is not supported: ", line.positional.front(),
          " would shrink from ", le_count, " extents"));
    }
    return RefuseReduceByLvextend(ctx, lv, extents, extents_are_pes,
                                  values.stripes.has_value() ||
                                      values.stripe_size.has_value() || mirrors != 0);
  }
  const uint32_t seg_mirrors = last_type->is_mirrored ? MirrorCount(*last_type, last) : 0;
  if (!mirrors && seg_mirrors) {
    log.Print(absl::StrCat("Extending ", seg_mirrors, " mirror images."));
    mirrors = seg_mirrors;
  } else if ((mirrors || seg_mirrors) && mirrors != seg_mirrors) {
    return FailCommand(log, "Cannot vary number of mirrors in LV yet.");
  }
  if (last_type->alloc_type == SegmentType::kRaid10) {
    if (seg_mirrors == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "raid10 LV ", lv.name, " has no data copies in its metadata"));
    }
    stripes = last.areas.size() / seg_mirrors;
    stripe_size = last.stripe_size;
  } else if (!(stripes == 1 || (stripes > 1 && stripe_size))) {
    uint64_t seg_stripes = 0;
    uint64_t seg_stripe_size = 0;
    const LvModel* scanned = &lv;
    if (seg_mirrors) {
      if (!last.areas.empty() && last.areas[0].is_lv) {
        int image = FindLv(ctx.vg, last.areas[0].name);
        if (image >= 0) scanned = &ctx.vg.lvs[image];
      }
    }
    for (const SegmentModel& seg : scanned->segments) {
      std::optional<SegtypeInfo> t = LookupSegtype(seg.type);
      const bool striped = IsStripedSegment(seg);
      const bool raid_not_mirrored = t && t->is_raid && !t->is_mirrored;
      const bool raid10 = t && t->alloc_type == SegmentType::kRaid10;
      if (!striped && !raid_not_mirrored && !raid10) continue;
      const uint64_t sz = seg.stripe_size;
      const uint64_t str = seg.areas.size() - segtype.parity_devs;
      if ((seg_stripe_size && seg_stripe_size != sz && sz && !stripe_size) ||
          (seg_stripes && seg_stripes != str && !stripes)) {
        return FailCommand(log, "Please specify number of stripes (-i) and stripesize (-I)");
      }
      seg_stripe_size = sz;
      seg_stripes = str;
    }
    if (!stripes) {
      stripes = seg_stripes;
    } else if (first_type->is_raid && stripes != seg_stripes) {
      return FailCommand(log, absl::StrCat("Unable to extend \"", first.type,
                                           "\" segment type with different number of stripes."));
    }
    if (!stripe_size && stripes > 1) {
      if (seg_stripe_size) {
        log.Print(absl::StrCat("Using stripesize of last segment ",
                               DisplaySize(seg_stripe_size)));
        stripe_size = seg_stripe_size;
      } else {
        stripe_size = ctx.config.stripesize_kb * 2;
        log.Print(absl::StrCat("Using default stripesize ", DisplaySize(stripe_size)));
      }
    }
  }
  if (stripes > 1 && !stripe_size) {
    return FailCommand(log, "Stripesize for striped segment should not be 0!");
  }
  uint64_t seg_size = sign == Sign::kPlus ? extents : extents - existing;
  if (extents_are_pes && !IsStripedSegment(last)) {
    const uint32_t area_count = static_cast<uint32_t>(last.areas.size());
    const uint64_t multiple = AllocAreaMultiple(*last_type, area_count, 0);
    if (area_count <= last_type->parity_devs) {
      return absl::InvalidArgumentError(absl::StrCat(
          last.type, " LV ", lv.name, " has ", area_count,
          " images, no more than its parity devices"));
    }
    seg_size = seg_size * multiple / (area_count - last_type->parity_devs);
    seg_size = (seg_size / multiple) * multiple;
  }
  if (seg_size >= UINT32_MAX - le_count) {
    return FailCommand(log, absl::StrCat("Unable to extend ", display, " by ", seg_size,
                                         " logical extents: exceeds limit (", UINT32_MAX,
                                         ")."));
  }
  uint64_t new_extents = le_count + seg_size;
  if (new_extents == le_count) {
    return FailCommand(log, absl::StrCat("New size (", new_extents,
                                         " extents) matches existing size (", le_count,
                                         " extents)."));
  }
  if (stripes > 1) {
    if (stripe_size < kStripeSizeMin) {
      return FailCommand(log, absl::StrCat("Invalid stripe size ", DisplaySize(stripe_size), "."));
    }
    uint64_t stripes_extents = stripes;
    if (stripe_size > extent_size) stripes_extents *= stripe_size / extent_size;
    const uint64_t rest = seg_size % stripes_extents;
    if (rest && (percent == Percent::kNone ||
                 vg_free >= new_extents - le_count - rest + stripes_extents)) {
      log.Print(absl::StrCat("Rounding size (", new_extents,
                             " extents) up to stripe boundary size for segment (",
                             new_extents - rest + stripes_extents, " extents)."));
      new_extents = new_extents - rest + stripes_extents;
    } else if (rest) {
      log.Print(absl::StrCat("Rounding size (", new_extents,
                             " extents) down to stripe boundary size for segment (",
                             new_extents - rest, " extents)"));
      new_extents -= rest;
    }
  }
  if (new_extents < le_count) {
    return FailCommand(log, absl::StrCat("New size given (", new_extents,
                                         " extents) not larger than existing size (",
                                         le_count, " extents)"));
  }
  if (new_extents == le_count) {
    return FailCommand(log, absl::StrCat("New size (", new_extents,
                                         " extents) matches existing size (", le_count,
                                         " extents)"));
  }
  if (new_extents > std::numeric_limits<uint32_t>::max()) {
    return absl::OutOfRangeError(absl::StrCat(
        new_extents, " extents: more than LVM2 can address (at most 4294967295)"));
  }

  // --- _lvresize_volume: lv_extend.
  const std::string policy_name = values.alloc ? *values.alloc : lv.allocation_policy;
  Request request;
  request.sources = MakeSources(ctx.vg, free_runs, pv_list);
  request.type = segtype.alloc_type;
  request.stripes = static_cast<uint32_t>(stripes);
  request.mirrors = mirrors;
  request.region_size = static_cast<uint32_t>(first.region_size);
  request.extent_size = static_cast<uint32_t>(extent_size);
  request.extents = new_extents - le_count;
  request.existing_extents = le_count;
  request.approx = approx;
  request.policy = ResolvePolicy(policy_name, ctx.vg.alloc_policy);
  request.prev = MakePrevSegment(ctx.vg, lv);
  request.cling_tag_list = ctx.config.cling_tag_list;
  request.maximise_cling = ctx.config.maximise_cling;
  request.logs_require_separate_pvs = ctx.config.mirror_logs_require_separate_pvs;
  request.lv_name = lv.name;

  if (segtype.is_raid || segtype.alloc_type == SegmentType::kMirror) {
    absl::Status extended = ExtendLayeredLv(ctx, static_cast<size_t>(lv_index), request,
                                            segtype, static_cast<uint32_t>(stripes),
                                            stripe_size);
    if (!extended.ok()) return extended;
  } else {
    absl::StatusOr<Result> result = ctx.Allocate(request, lv.name);
    if (!result.ok()) return result.status();
    AppendPieces(ctx.vg, *result, 0, result->area_count, "striped", stripe_size,
                 &ctx.vg.lvs[lv_index]);
  }
  const uint64_t now = ctx.vg.lvs[lv_index].le_count();
  if (now == le_count) {
    log.Print(absl::StrCat("Size of logical volume ", display, " unchanged from ",
                           DisplaySize(le_count * extent_size), " (", le_count,
                           " extents)."));
  } else {
    log.Print(absl::StrCat("Size of logical volume ", display, " changed from ",
                           DisplaySize(le_count * extent_size), " (", le_count,
                           " extents) to ", DisplaySize(now * extent_size), " (", now,
                           " extents)."));
  }
  log.Print(absl::StrCat("Logical volume ", display, " successfully resized."));
  return absl::OkStatus();
}

}  // namespace liballoc::lvm
