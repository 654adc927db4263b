// lvalloc: plans the allocation LVM2 2.03.16 would make for lvcreate,
// lvextend or lvresize on a VG described by its vgcfgbackup metadata, without
// touching any device.
//
//   lvalloc --metadata FILE [--config 'allocation { ... }'] [--json]
//           [--write OUT] [--explain] -- lvcreate|lvextend|lvresize ARGS...
//
// Exit status: lvm's (0 done, 3 command line rejected, 5 command failed) or
// 2 for lvalloc's own input errors (unreadable metadata, unsupported option,
// unknown names, sizes beyond LVM2's 32-bit extent counts).
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lvm/free_space.h"
#include "lvm/layout_json.h"
#include "lvm/metadata_reader.h"
#include "lvm/metadata_writer.h"
#include "lvm/plan_command.h"

namespace {

using liballoc::lvm::CommandOutcome;
using liballoc::lvm::VgModel;

constexpr int kInputError = 2;

constexpr char kUsage[] =
    "usage: lvalloc --metadata FILE [--config TEXT] [--json] [--write OUT] [--explain]\n"
    "               -- lvcreate|lvextend|lvresize ARGS...\n"
    "Plans what LVM2 2.03.16 would allocate, from vgcfgbackup metadata.\n"
    "  --metadata FILE  the VG's text metadata (vgcfgbackup output)\n"
    "  --config TEXT    lvm.conf settings as for lvm --config\n"
    "  --json           print the VG's layout as JSON instead of the segment table\n"
    "  --write OUT      write the VG's metadata after the command to OUT\n"
    "  --explain        print which policy pass and round placed each piece\n";

struct Flags {
  std::string metadata;
  std::string config;
  bool json = false;
  bool explain = false;
  std::string write;
  std::vector<std::string> command;
};

int InputError(const std::string& message) {
  std::cerr << "lvalloc: " << message << "\n";
  return kInputError;
}

bool ParseFlags(int argc, char** argv, Flags* flags, std::string* error) {
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg == "lvcreate" || arg == "lvextend" || arg == "lvresize") break;
    std::string value;
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    auto take_value = [&](std::string* out) {
      if (eq != std::string::npos) {
        *out = arg.substr(eq + 1);
        return true;
      }
      if (i + 1 >= argc) {
        *error = absl::StrCat(name, " needs a value");
        return false;
      }
      *out = argv[++i];
      return true;
    };
    if (name == "--metadata") {
      if (!take_value(&flags->metadata)) return false;
    } else if (name == "--config") {
      if (!take_value(&flags->config)) return false;
    } else if (name == "--write") {
      if (!take_value(&flags->write)) return false;
    } else if (arg == "--json") {
      flags->json = true;
    } else if (arg == "--explain") {
      flags->explain = true;
    } else if (arg == "--help" || arg == "-h") {
      *error = "";
      return false;
    } else {
      *error = absl::StrCat("unknown option ", arg);
      return false;
    }
  }
  for (; i < argc; ++i) flags->command.push_back(argv[i]);
  if (flags->metadata.empty()) {
    *error = "--metadata FILE is required";
    return false;
  }
  if (flags->command.empty()) {
    *error = "no command given (lvcreate, lvextend or lvresize after --)";
    return false;
  }
  return true;
}


std::string DeviceOf(const VgModel& vg, liballoc::SourceHandle handle) {
  return handle < vg.pvs.size() ? vg.pvs[handle].device : absl::StrCat("#", handle);
}

// lvs --segments -o lv_name,seg_start_pe,seg_size_pe,segtype,stripes,seg_pe_ranges
// for every LV (hidden ones in brackets, as lvs -a shows them).
void PrintSegmentTable(const VgModel& vg) {
  std::vector<std::vector<std::string>> rows = {
      {"LV", "Start", "SSize", "Type", "#Str", "PE Ranges"}};
  for (const auto& lv : vg.lvs) {
    const std::string name = lv.visible() ? lv.name : absl::StrCat("[", lv.name, "]");
    for (const auto& seg : lv.segments) {
      const uint64_t area_len = liballoc::lvm::AreaLen(seg);
      std::string ranges;
      for (const auto& area : seg.areas) {
        if (!ranges.empty()) ranges += " ";
        std::string where = area.name;
        if (!area.is_lv) {
          for (const auto& pv : vg.pvs) {
            if (pv.key == area.name) where = pv.device;
          }
        }
        absl::StrAppend(&ranges, where, ":", area.start, "-", area.start + area_len - 1);
      }
      std::string type = seg.type;
      if (type == "striped" && seg.areas.size() == 1) type = "linear";
      rows.push_back({name, absl::StrCat(seg.start_extent), absl::StrCat(seg.extent_count),
                      type, absl::StrCat(seg.areas.size()), ranges});
    }
  }
  std::vector<size_t> width(6, 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  const bool right[] = {false, true, true, false, true, false};
  for (const auto& row : rows) {
    std::string line = " ";
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      line += " ";
      line += right[c] ? pad + row[c] : (c + 1 == row.size() ? row[c] : row[c] + pad);
    }
    std::cout << line << "\n";
  }
}

void PrintExplanation(const VgModel& before, const CommandOutcome& outcome) {
  for (const auto& record : outcome.allocations) {
    const liballoc::Result& r = record.result;
    std::cout << "allocation for " << record.lv_name << ": " << r.allocated_extents
              << " logical extents" << (r.reduced ? " (reduced: approximate size)" : "")
              << ", policy " << liballoc::PolicyName(record.request.policy) << "\n";
    const uint32_t data = r.area_count;
    const uint32_t parity = r.parity_count;
    for (size_t s = 0; s < r.slots.size(); ++s) {
      std::string role;
      if (s < data) {
        role = absl::StrCat("data ", s);
      } else if (s < data + parity) {
        role = absl::StrCat("parity ", s - data);
      } else if (r.metadata_area_count) {
        role = absl::StrCat("metadata ", s - data - parity);
      } else {
        role = absl::StrCat("log ", s - data - parity);
      }
      for (const liballoc::Piece& piece : r.slots[s]) {
        std::cout << "  slot " << s << " (" << role << "): "
                  << DeviceOf(before, piece.handle) << ":" << piece.start << "-"
                  << piece.start + piece.count - 1 << " (" << piece.count
                  << " extents), batch " << piece.batch;
        if (piece.batch < r.batches.size()) {
          const liballoc::Batch& b = r.batches[piece.batch];
          std::cout << ": " << liballoc::PolicyName(b.pass) << " pass, round " << b.round
                    << (b.cling_preferred ? ", preferring cling/contiguous" : "");
        }
        std::cout << "\n";
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  std::string error;
  if (!ParseFlags(argc, argv, &flags, &error)) {
    if (error.empty()) {
      std::cout << kUsage;
      return 0;
    }
    std::cerr << "lvalloc: " << error << "\n" << kUsage;
    return kInputError;
  }
  std::ifstream in(flags.metadata, std::ios::binary);
  if (!in) return InputError(absl::StrCat("cannot read ", flags.metadata));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<VgModel> vg = liballoc::lvm::ParseMetadata(text.str());
  if (!vg.ok()) {
    return InputError(absl::StrCat(flags.metadata, ": ", vg.status().message()));
  }

  liballoc::lvm::PlanEnvironment env;
  env.creation_time = static_cast<int64_t>(std::time(nullptr));
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) == 0 && host[0] != '\0') env.creation_host = host;

  absl::StatusOr<CommandOutcome> outcome =
      liballoc::lvm::PlanCommand(*vg, flags.command, flags.config, env);
  if (!outcome.ok()) return InputError(std::string(outcome.status().message()));

  // lvm's own lines, in its order: errors and warnings on stderr, notices on
  // stdout (left out with --json, whose stdout is the layout only).
  for (const auto& [to_stderr, line] : outcome->transcript) {
    if (to_stderr) {
      std::cout.flush();
      std::cerr << line << "\n";
    } else if (!flags.json) {
      std::cout << line << "\n";
    }
  }
  std::cout.flush();
  if (flags.explain) PrintExplanation(*vg, *outcome);
  if (outcome->exit_status != 0 || !outcome->vg.has_value()) return outcome->exit_status;

  if (!flags.write.empty()) {
    liballoc::lvm::WriteOptions options;
    options.creation_host = env.creation_host;
    options.creation_time = static_cast<uint64_t>(env.creation_time);
    options.description = absl::StrCat("Written by lvalloc after: ",
                                       absl::StrJoin(flags.command, " "));
    std::ofstream out(flags.write, std::ios::binary | std::ios::trunc);
    out << liballoc::lvm::WriteMetadata(*outcome->vg, options);
    if (!out) return InputError(absl::StrCat("cannot write ", flags.write));
  }
  if (flags.json) {
    std::cout << liballoc::lvm::LayoutJson(*outcome->vg);
  } else {
    PrintSegmentTable(*outcome->vg);
  }
  return 0;
}
