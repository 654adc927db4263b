#include "lvm/plan_layered.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lvm/plan_request.h"

namespace liballoc::lvm {
namespace {

uint64_t HighestPowerOfTwoAtMost(uint64_t v) {
  uint64_t p = 1;
  while (p <= v / 2) p *= 2;
  return p;
}

// raid_ensure_min_region_size: the MD bitmap tracks at most 2^21 regions.
uint64_t EnsureMinRaidRegionSize(uint64_t raid_size_sectors, uint64_t region_size) {
  const uint64_t min_region_size = raid_size_sectors / (uint64_t{1} << 21);
  while (region_size < min_region_size) region_size *= 2;
  return region_size;
}

SegmentModel LvAreaSegment(const std::string& type, uint64_t len) {
  SegmentModel seg;
  seg.start_extent = 0;
  seg.extent_count = len;
  seg.type = type;
  return seg;
}

AreaModel LvArea(const std::string& name) {
  AreaModel area;
  area.is_lv = true;
  area.name = name;
  area.start = 0;
  return area;
}

// Adds a hidden sub-LV and returns its index in vg.lvs.
size_t AddSubLv(PlanContext& ctx, const std::string& name,
                const std::string& alloc, const NewLvStamp& stamp) {
  ctx.vg.lvs.push_back(NewLv(name, false, alloc, stamp));
  return ctx.vg.lvs.size() - 1;
}

// The allocation of the separate mirror log and the log LV(s) (add_mirror_log).
absl::Status AddMirrorLog(PlanContext& ctx, size_t top_index,
                          const Request& data_request,
                          const LayeredParams& params) {
  CommandLog& log = ctx.log;
  if (params.log_count > 1) {
    if (ctx.config.support_mirrored_mirror_log) {
      log.Warn("Log type \"mirrored\" creation/conversion is not supported for "
               "regular operation!");
    } else {
      return FailCommand(
          log, "Log type \"mirrored\" is DEPRECATED. Use RAID1 LV or disk log instead.");
    }
  }
  const LvModel& top = ctx.vg.lvs[top_index];
  Request request;
  request.sources = MakeSources(ctx.vg, ctx.FreeRuns(), params.pv_list);
  request.type = SegmentType::kMirror;
  request.stripes = 0;
  request.mirrors = 0;
  request.log_count = params.log_count;
  request.region_size = static_cast<uint32_t>(top.segments.front().region_size);
  request.extent_size = data_request.extent_size;
  request.extents = top.le_count();
  request.policy = data_request.policy;
  request.parallel_areas = MakeParallelAreas(ctx.vg, top);
  request.cling_tag_list = data_request.cling_tag_list;
  request.maximise_cling = data_request.maximise_cling;
  request.logs_require_separate_pvs = data_request.logs_require_separate_pvs;
  request.lv_name = "";  // the log is allocated without an LV
  const std::string top_name = top.name;
  const std::string alloc = top.allocation_policy;
  absl::StatusOr<Result> result = ctx.Allocate(request, top_name + "_mlog");
  if (!result.ok()) {
    if (absl::IsAborted(result.status())) {
      log.Error("Unable to allocate extents for mirror log.");
    }
    return result.status();
  }
  const std::string log_name = top_name + "_mlog";
  const size_t log_index = AddSubLv(ctx, log_name, alloc, params.stamp);
  if (params.log_count == 1) {
    AppendPieces(ctx.vg, *result, 0, 1, "striped", 0, &ctx.vg.lvs[log_index]);
  } else {
    std::vector<std::string> images;
    for (uint32_t i = 0; i < params.log_count; ++i) {
      images.push_back(absl::StrCat(log_name, "_mimage_", i));
      // _form_mirror makes the log's images with ALLOC_INHERIT.
      const size_t image = AddSubLv(ctx, images.back(), "", params.stamp);
      AppendPieces(ctx.vg, *result, i, 1, "striped", 0, &ctx.vg.lvs[image]);
    }
    const uint64_t log_len = ctx.vg.lvs[log_index + 1].le_count();
    SegmentModel seg = LvAreaSegment("mirror", log_len);
    for (const std::string& name : images) seg.areas.push_back(LvArea(name));
    uint64_t region_size = ctx.vg.lvs[top_index].segments.front().region_size;
    const uint64_t log_sectors = log_len * ctx.vg.extent_size;
    if (region_size > log_sectors) region_size = HighestPowerOfTwoAtMost(log_sectors);
    seg.region_size = region_size;
    ctx.vg.lvs[log_index].segments.push_back(std::move(seg));
  }
  ctx.vg.lvs[top_index].segments.front().mirror_log = log_name;
  ++ctx.intermediate_commits;  // _init_mirror_log commits to wipe the log
  return absl::OkStatus();
}

}  // namespace

uint64_t DefaultRegionSize(const PlanConfig& config, CommandLog& /*log*/) {
  uint64_t mirror = config.mirror_region_size_kb * 2;
  uint64_t raid = config.raid_region_size_kb * 2;
  uint64_t region = raid ? raid : (mirror ? mirror : 4096);
  if ((region & (region - 1)) != 0) region = HighestPowerOfTwoAtMost(region);
  if (region % 8 != 0) region = 4096;  // not a multiple of the page size
  return region;
}

uint64_t AdjustedRegionSize(uint64_t extent_size, uint64_t extents,
                            uint64_t region_size, CommandLog& log) {
  const uint64_t region_max = extents * extent_size;
  if (region_max < UINT32_MAX && region_size > region_max) {
    region_size = HighestPowerOfTwoAtMost(region_max);
    log.Print(absl::StrCat("Using reduced mirror region size of ",
                           DisplaySize(region_size)));
  }
  return region_size;
}

absl::Status CreateLayeredLv(PlanContext& ctx, Request request,
                             const LayeredParams& params) {
  const size_t top_index = ctx.vg.lvs.size() - 1;
  const std::string top_name = ctx.vg.lvs[top_index].name;
  const std::string alloc = ctx.vg.lvs[top_index].allocation_policy;
  const SegtypeInfo& type = params.type;
  uint64_t region_size = params.region_size;

  if (type.is_raid) {
    if (type.raid_with_meta) {
      request.log_count = type.alloc_type == SegmentType::kRaid0Meta
                              ? params.stripes
                              : params.mirrors * params.stripes;
    }
    if (type.raid_with_meta && type.alloc_type != SegmentType::kRaid0Meta) {
      region_size = EnsureMinRaidRegionSize(request.extents * ctx.vg.extent_size,
                                            region_size);
    }
  }
  request.region_size = static_cast<uint32_t>(region_size);

  absl::StatusOr<Result> result = ctx.Allocate(request, top_name);
  if (!result.ok()) return result.status();

  const uint32_t images = type.is_raid
                              ? params.mirrors * params.stripes + type.parity_devs
                              : params.mirrors;
  const char* layer = type.is_raid ? "rimage" : "mimage";
  std::vector<size_t> image_lvs;
  std::vector<size_t> meta_lvs;
  for (uint32_t i = 0; i < images; ++i) {
    const std::string name = images > 1 ? absl::StrCat(top_name, "_", layer, "_", i)
                                        : absl::StrCat(top_name, "_", layer);
    image_lvs.push_back(AddSubLv(ctx, name, alloc, params.stamp));
    if (type.raid_with_meta) {
      meta_lvs.push_back(
          AddSubLv(ctx, absl::StrCat(top_name, "_rmeta_", i), alloc, params.stamp));
    }
  }
  const uint32_t per_image = type.is_raid ? 1 : params.stripes;
  const uint64_t image_stripe_size = type.is_raid ? 0 : params.stripe_size;
  for (uint32_t i = 0; i < images; ++i) {
    AppendPieces(ctx.vg, *result, i * per_image, per_image, "striped",
                 image_stripe_size, &ctx.vg.lvs[image_lvs[i]]);
    if (type.raid_with_meta) {
      AppendPieces(ctx.vg, *result, images + i, 1, "striped", 0,
                   &ctx.vg.lvs[meta_lvs[i]]);
    }
  }

  const uint64_t image_len = ctx.vg.lvs[image_lvs[0]].le_count();
  const uint64_t len =
      type.is_raid ? image_len * AllocAreaMultiple(type, images, 0) : image_len;
  SegmentModel seg = LvAreaSegment(type.name, len);
  for (size_t i : image_lvs) seg.areas.push_back(LvArea(ctx.vg.lvs[i].name));
  for (size_t i : meta_lvs) seg.meta_areas.push_back(LvArea(ctx.vg.lvs[i].name));
  // lvcreate sets no region size for raid0 and raid0_meta.
  const bool any_raid0 = type.alloc_type == SegmentType::kRaid0 ||
                         type.alloc_type == SegmentType::kRaid0Meta;
  seg.region_size = any_raid0 ? 0 : region_size;
  if (type.alloc_type == SegmentType::kRaid10) {
    seg.extra.push_back({"data_copies", absl::StrCat(params.mirrors)});
  }
  if (type.is_raid && type.alloc_type != SegmentType::kRaid1) {
    seg.stripe_size = params.stripe_size;
  }
  LvModel& top = ctx.vg.lvs[top_index];
  top.segments.push_back(std::move(seg));
  if (type.raid_with_meta) ++ctx.intermediate_commits;  // rmeta wiped first
  if (params.nosync) top.status.push_back("NOTSYNCED");

  if (!type.is_raid && params.log_count > 0) {
    // rhbz1269533: with the VG full, the mirror gives its last extent to the log.
    if (ctx.VgFreeCount() == 0 && ctx.vg.lvs[top_index].le_count() > 1) {
      ctx.vg.lvs[top_index].segments.front().extent_count -= 1;
      for (size_t i : image_lvs) {
        LvModel& image = ctx.vg.lvs[i];
        SegmentModel& last = image.segments.back();
        last.extent_count -= std::min<uint64_t>(last.extent_count, 1);
        if (last.extent_count == 0) image.segments.pop_back();
      }
    }
    return AddMirrorLog(ctx, top_index, request, params);
  }
  return absl::OkStatus();
}

absl::Status ExtendLayeredLv(PlanContext& ctx, size_t lv_index,
                             const Request& request, const SegtypeInfo& type,
                             uint32_t stripes, uint64_t stripe_size) {
  const std::string name = ctx.vg.lvs[lv_index].name;
  if (ctx.vg.lvs[lv_index].segments.size() != 1) {
    return absl::UnimplementedError(absl::StrCat(
        "lvalloc does not extend ", type.name, " LV ", name,
        " with more than one top-level segment"));
  }
  absl::StatusOr<Result> result = ctx.Allocate(request, name);
  if (!result.ok()) return result.status();
  std::vector<std::string> images;
  for (const AreaModel& area : ctx.vg.lvs[lv_index].segments.front().areas) {
    images.push_back(area.name);
  }
  const uint32_t per_image = type.is_raid ? 1 : stripes;
  for (size_t i = 0; i < images.size(); ++i) {
    const int sub = FindLv(ctx.vg, images[i]);
    if (sub < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "LV ", name, " names image ", images[i], " which is not in the VG"));
    }
    AppendPieces(ctx.vg, *result, static_cast<uint32_t>(i) * per_image, per_image,
                 "striped", type.is_raid ? 0 : stripe_size, &ctx.vg.lvs[sub]);
  }
  ctx.vg.lvs[lv_index].segments.front().extent_count += result->allocated_extents;
  return absl::OkStatus();
}

}  // namespace liballoc::lvm
