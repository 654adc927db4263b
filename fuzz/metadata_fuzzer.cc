// metadata: the LVM2 text metadata reader on arbitrary text, then everything
// downstream of what it accepts.
//
// Input: METADATA_TEXT [ NUL COMMAND_LINE [ NUL CONFIG_TEXT ] ]. The command
// line is split on spaces, tabs and newlines ("lvcreate -l 10 -n lv vg0");
// without one, a default lvcreate (and an lvextend of the first LV) is
// planned. The converted golden vectors (corpus/metadata) use this layout.
//
// Checks on text the reader accepted:
//   - write-then-reparse: WriteMetadata's text is read back, and writing the
//     re-read model gives the same text (nothing lost or changed);
//   - the free space (AllFreeAreas) forms a valid request and a VG AreaIndex
//     accepts (maximal, ascending runs), and allocating from it obeys the
//     invariant checker (a linear request of half the free space, and an
//     approximate two-stripe one);
//   - PlanCommand: its allocations obey the invariant checker, and on success
//     the VG it returns is consistent (ValidateVgModel) and survives the same
//     write-then-reparse round trip; a failed command says why.
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "liballoc/allocator.h"
#include "liballoc/area_index.h"
#include "lvm/free_space.h"
#include "lvm/metadata_reader.h"
#include "lvm/metadata_writer.h"
#include "lvm/plan_command.h"
#include "testing/dm_config_crosscheck.h"
#include "testing/invariant_checker.h"
#include "violation.h"

namespace {

using liballoc::fuzz::CheckOk;
using liballoc::fuzz::Violation;
namespace lvm = liballoc::lvm;

constexpr char kTarget[] = "metadata";

void CheckRoundTrip(const lvm::VgModel& vg, const std::string& what) {
  std::string written = lvm::WriteMetadata(vg);
  absl::StatusOr<lvm::VgModel> reread = lvm::ParseMetadata(written);
  if (!reread.ok()) {
    Violation(kTarget, absl::StrCat(what, ": written metadata does not read back"),
              absl::StrCat(reread.status().ToString(), "\n---- written\n", written));
  }
  std::string rewritten = lvm::WriteMetadata(*reread);
  if (rewritten != written) {
    Violation(kTarget, absl::StrCat(what, ": write(read(write(vg))) != write(vg)"),
              absl::StrCat("---- first\n", written, "\n---- second\n", rewritten));
  }
}

std::vector<liballoc::Source> SourcesOf(const lvm::VgModel& vg) {
  std::vector<std::vector<liballoc::Area>> free = lvm::AllFreeAreas(vg);
  std::vector<liballoc::Source> sources;
  for (size_t i = 0; i < vg.pvs.size(); ++i) {
    liballoc::Source s;
    s.handle = i;
    s.pe_count = vg.pvs[i].pe_count;
    s.areas = std::move(free[i]);
    s.tags = vg.pvs[i].tags;
    s.allocatable = vg.pvs[i].allocatable() && !vg.pvs[i].missing();
    sources.push_back(std::move(s));
  }
  return sources;
}

void CheckAllocation(const lvm::VgModel& vg) {
  std::vector<liballoc::Source> sources = SourcesOf(vg);
  absl::StatusOr<liballoc::AreaIndex> index = liballoc::AreaIndex::Build(sources);
  CheckOk(kTarget, "AreaIndex rejected the free space of an accepted VG", index.status());
  liballoc::Extent free = 0;
  for (const liballoc::Source& s : sources) {
    if (!s.allocatable) continue;
    for (const liballoc::Area& a : s.areas) free += a.count;
  }
  liballoc::Request linear;
  linear.sources = sources;
  // LVM2's sizes are 32-bit extent counts; a VG may have more free extents.
  free = std::min<liballoc::Extent>(free, liballoc::Extent{1} << 31);
  linear.extents = std::max<liballoc::Extent>(1, free / 2);
  linear.lv_name = "fuzz";
  if (vg.extent_size > 0 && vg.extent_size <= UINT32_MAX) {
    linear.extent_size = static_cast<uint32_t>(vg.extent_size);
  }
  CheckOk(kTarget, "the free space of an accepted VG is not a valid request",
          liballoc::ValidateRequest(linear), &linear);
  CheckOk(kTarget, "invariant violated (linear)",
          liballoc::testing::CheckOutcome(linear, liballoc::Allocate(linear)), &linear);
  liballoc::Request striped = linear;
  striped.stripes = 2;
  striped.extents = std::max<liballoc::Extent>(2, free & ~liballoc::Extent{1});
  striped.approx = true;
  CheckOk(kTarget, "invariant violated (striped, approx)",
          liballoc::testing::CheckOutcome(striped, liballoc::Allocate(striped)), &striped);
}

void CheckCommand(const lvm::VgModel& vg, const std::vector<std::string>& argv,
                  std::string_view config) {
  absl::StatusOr<lvm::CommandOutcome> outcome = lvm::PlanCommand(vg, argv, config);
  if (!outcome.ok()) return;  // a command form lvalloc does not plan: its own error
  for (const lvm::AllocationRecord& record : outcome->allocations) {
    CheckOk(kTarget, absl::StrCat("allocation for ", record.lv_name, " broke an invariant"),
            liballoc::testing::CheckResult(record.request, record.result), &record.request);
  }
  std::string command = absl::StrJoin(argv, " ");
  switch (outcome->exit_status) {
    case 0:
      if (!outcome->vg) Violation(kTarget, "command succeeded without a VG", command);
      CheckOk(kTarget, absl::StrCat("`", command, "` produced an inconsistent VG"),
              lvm::ValidateVgModel(*outcome->vg));
      CheckRoundTrip(*outcome->vg, absl::StrCat("after `", command, "`"));
      break;
    case 3:
    case 5:
      if (outcome->messages.empty()) {
        Violation(kTarget, "command failed without a message",
                  absl::StrCat(command, " exited ", outcome->exit_status));
      }
      break;
    default:
      Violation(kTarget, "exit status is not one of lvm's", absl::StrCat(command, " exited ",
                                                                          outcome->exit_status));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // absl::string_view: Debian's abseil has its own, not std::string_view.
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<absl::string_view> parts = absl::StrSplit(input, absl::MaxSplits('\0', 2));
  std::string_view text(parts[0].data(), parts[0].size());

  // LVM2's own parser is the reference for what the text means: where both
  // accept it they must build the same tree. Acceptance alone may differ:
  // ours is stricter by design (NUL bytes, unterminated strings, nesting),
  // and dm_config refuses empty text, which ParseMetadata refuses anyway.
  const liballoc::testing::CrossCheckResult cross =
      liballoc::testing::CrossCheckWithDmConfig(std::string(text));
  if (!cross.tree_diff.empty()) {
    Violation(kTarget, "the config parser disagrees with libdevmapper's dm_config",
              absl::StrCat(liballoc::testing::DescribeCrossCheck(cross), "\n---- text\n", std::string(text)));
  }

  absl::StatusOr<lvm::VgModel> vg = lvm::ParseMetadata(text);
  if (!vg.ok()) {
    if (vg.status().message().empty()) Violation(kTarget, "rejection without a message", "");
    return 0;
  }
  CheckRoundTrip(*vg, "accepted input");
  CheckAllocation(*vg);

  std::string_view config =
      parts.size() > 2 ? std::string_view(parts[2].data(), parts[2].size()) : std::string_view();
  if (parts.size() > 1) {
    std::vector<std::string> argv = absl::StrSplit(parts[1], absl::ByAnyChar(" \t\n"),
                                                   absl::SkipEmpty());
    if (!argv.empty()) CheckCommand(*vg, argv, config);
    return 0;
  }
  CheckCommand(*vg, {"lvcreate", "-l", "10%FREE", "-n", "fuzzlv", vg->name}, config);
  if (!vg->lvs.empty()) {
    CheckCommand(*vg, {"lvextend", "-l", "+1", absl::StrCat(vg->name, "/", vg->lvs[0].name)},
                 config);
  }
  return 0;
}
