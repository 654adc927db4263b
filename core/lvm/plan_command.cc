#include "lvm/plan_command.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "liballoc/allocator.h"
#include "liballoc/error.h"
#include "lvm/free_space.h"
#include "lvm/plan_context.h"
#include "lvm/plan_syntax.h"

namespace liballoc::lvm {
namespace {

// get_alloc_from_string: "cling_by_tags" is stored and run as cling (which
// implies cling_by_tags), "next free" is old metadata's normal.
std::optional<std::string> CanonicalPolicy(const std::string& name) {
  if (name == "cling_by_tags") return "cling";
  if (name == "next free") return "normal";
  for (const char* p : {"contiguous", "cling", "normal", "anywhere", "inherit"}) {
    if (name == p) return name;
  }
  return std::nullopt;
}

// lvm's value parsing of every option given (tools/lvmcmdline.c). A bad
// value: lvm's reason (if it prints one), "Invalid argument for --x: v",
// "Error during parsing of command line.", exit status 3.
absl::Status ParseOptionValues(PlanContext& ctx) {
  const CommandLine& line = ctx.line;
  OptionValues& out = ctx.values;
  CommandLog& log = ctx.log;
  auto invalid = [&](Opt opt, const std::vector<std::string>& reasons) {
    for (const std::string& r : reasons) log.Error(r);
    log.Error(absl::StrCat("Invalid argument for ", LongOptionName(opt), ": ",
                           *line.Value(opt)));
    log.Error("Error during parsing of command line.");
    return CommandSyntaxRejected();
  };
  const bool create = line.command == CommandName::kLvcreate;
  const bool extend = line.command == CommandName::kLvextend;

  if (std::optional<std::string> v = line.Value(Opt::kExtents)) {
    std::vector<std::string> reasons;
    out.extents = ParseExtentsArg(*v, &reasons);
    if (out.extents && create && out.extents->sign != Sign::kNone) {
      reasons.push_back("Extents may not be relative/signed.");
      out.extents.reset();
    } else if (out.extents && extend && out.extents->sign == Sign::kMinus) {
      reasons.push_back("Extents may not be negative.");
      out.extents.reset();
    }
    if (!out.extents) return invalid(Opt::kExtents, reasons);
  }
  if (std::optional<std::string> v = line.Value(Opt::kSize)) {
    std::vector<std::string> reasons;
    out.size = ParseSizeArg(*v, 2048, &reasons);
    if (out.size && create && out.size->sign != Sign::kNone) {
      reasons.push_back("Size may not be relative/signed.");
      out.size.reset();
    } else if (out.size && extend && out.size->sign == Sign::kMinus) {
      reasons.push_back("Size may not be negative.");
      out.size.reset();
    }
    if (!out.size) return invalid(Opt::kSize, reasons);
  }
  if (std::optional<std::string> v = line.Value(Opt::kStripes)) {
    out.stripes = ParseNumberArg(*v);
    if (!out.stripes) return invalid(Opt::kStripes, {});
  }
  if (std::optional<std::string> v = line.Value(Opt::kStripeSize)) {
    std::vector<std::string> reasons;
    out.stripe_size = ParseSizeArg(*v, 2, &reasons);
    if (out.stripe_size && out.stripe_size->sign == Sign::kMinus) {
      reasons.push_back("Size may not be negative.");
      out.stripe_size.reset();
    }
    if (!out.stripe_size) return invalid(Opt::kStripeSize, reasons);
  }
  if (std::optional<std::string> v = line.Value(Opt::kMirrors)) {
    std::string text = *v;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
      out.mirrors_sign = text[0] == '+' ? Sign::kPlus : Sign::kMinus;
      text.erase(0, 1);
    }
    out.mirrors = ParseNumberArg(text);
    if (!out.mirrors || (create && out.mirrors_sign != Sign::kNone)) {
      return invalid(Opt::kMirrors, {});
    }
  }
  if (std::optional<std::string> v = line.Value(Opt::kRegionSize)) {
    std::vector<std::string> reasons;
    std::optional<SizeValue> region = ParseSizeArg(*v, 2048, &reasons);
    if (region && region->sign != Sign::kNone) {
      reasons.push_back("Region size may not be negative.");
      region.reset();
    }
    if (!region) return invalid(Opt::kRegionSize, reasons);
    out.region_size = region->value;
  }
  if (std::optional<std::string> v = line.Value(Opt::kAlloc)) {
    out.alloc = CanonicalPolicy(*v);
    if (!out.alloc) {
      return invalid(Opt::kAlloc, {absl::StrCat("Unrecognised allocation policy ", *v)});
    }
  }
  if (std::optional<std::string> v = line.Value(Opt::kContiguous)) {
    if (*v == "y" || *v == "yes" || *v == "1") {
      out.contiguous = true;
    } else if (*v != "n" && *v != "no" && *v != "0") {
      return invalid(Opt::kContiguous, {});
    }
  }
  if (std::optional<std::string> v = line.Value(Opt::kMirrorLog)) {
    if (*v == "core") {
      out.mirror_log = 0;
    } else if (*v == "disk") {
      out.mirror_log = 1;
    } else if (*v == "mirrored") {
      out.mirror_log = 2;
    } else {
      return invalid(Opt::kMirrorLog, {});
    }
  }
  return absl::OkStatus();
}

}  // namespace

uint64_t PlanContext::VgFreeCount() const {
  uint64_t free = 0;
  for (const std::vector<Area>& runs : FreeRuns()) {
    for (const Area& a : runs) free += a.count;
  }
  return free;
}

uint64_t PlanContext::VgExtentCount() const {
  uint64_t total = 0;
  for (const PvModel& pv : vg.pvs) total += pv.pe_count;
  return total;
}

std::vector<std::vector<Area>> PlanContext::FreeRuns() const {
  return AllFreeAreas(vg);
}

absl::StatusOr<Result> PlanContext::Allocate(const Request& request,
                                             const std::string& lv_name) {
  for (const std::string& warning : config.cling_tag_list_warnings) {
    log.Warn(warning);
  }
  absl::StatusOr<Result> result = liballoc::Allocate(request);
  if (!result.ok()) {
    if (!AllocErrorOf(result.status()).has_value() ||
        *AllocErrorOf(result.status()) == AllocError::kInvalidRequest) {
      // Not an LVM2 outcome: the planner built a request the allocator
      // refuses. Report it as lvalloc's own failure.
      return absl::InternalError(absl::StrCat(
          "allocation request for ", lv_name, " rejected: ",
          result.status().message()));
    }
    for (absl::string_view line :
         absl::StrSplit(result.status().message(), '\n')) {
      log.Error(std::string(line));
    }
    return CommandFailed();
  }
  allocations.push_back({lv_name, request, *result});
  return result;
}

absl::Status RejectZeroSizeArguments(const CommandLine& line, const OptionValues& values,
                                     CommandLog& log) {
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
  return absl::OkStatus();
}

Policy ResolvePolicy(const std::string& policy, const std::string& vg_policy) {
  std::string p = CanonicalPolicy(policy).value_or(policy);
  if (p.empty() || p == "inherit") p = CanonicalPolicy(vg_policy).value_or(vg_policy);
  if (p == "contiguous") return Policy::kContiguous;
  if (p == "cling") return Policy::kCling;
  if (p == "anywhere") return Policy::kAnywhere;
  return Policy::kNormal;
}

absl::StatusOr<CommandOutcome> PlanCommand(const VgModel& vg,
                                           absl::Span<const std::string> argv,
                                           std::string_view config_text,
                                           const PlanEnvironment& env) {
  absl::StatusOr<CommandLine> line = ParseCommandLine(argv);
  if (!line.ok()) return line.status();
  // lvm applies --config on top of lvm.conf; lvalloc's --config and the
  // command's own are read as one text, the command's last.
  absl::StatusOr<PlanConfig> config =
      ParsePlanConfig(absl::StrCat(std::string(config_text), "\n", line->config_text));
  if (!config.ok()) return config.status();

  PlanContext ctx;
  ctx.vg = vg;
  ctx.config = *std::move(config);
  ctx.line = *std::move(line);
  ctx.env = env;

  absl::Status status = ParseOptionValues(ctx);
  if (status.ok()) status = CheckCommandSyntax(ctx.line, ctx.log);
  if (status.ok()) {
    status = ctx.line.command == CommandName::kLvcreate ? PlanLvcreate(ctx)
                                                        : PlanLvresize(ctx);
  }

  CommandOutcome outcome;
  outcome.allocations = std::move(ctx.allocations);
  if (status.ok()) {
    outcome.exit_status = kExitOk;
    ctx.vg.seqno += 1 + ctx.intermediate_commits;
    outcome.vg = std::move(ctx.vg);
  } else if (absl::IsAborted(status)) {
    outcome.exit_status = kExitCommandFailed;
  } else if (absl::IsFailedPrecondition(status)) {
    // lvm_run_command's hint after a command returned EINVALID_CMD_LINE
    // (not printed when parsing or matching the command line failed).
    if (!IsCommandSyntaxRejection(status)) {
      ctx.log.Error(absl::StrCat("Run `", argv[0], " --help' for more information."));
    }
    outcome.exit_status = kExitInvalidCommandLine;
  } else {
    return status;
  }
  outcome.messages = std::move(ctx.log.stderr_lines);
  outcome.notices = std::move(ctx.log.stdout_lines);
  outcome.transcript = std::move(ctx.log.transcript);
  return outcome;
}

}  // namespace liballoc::lvm
