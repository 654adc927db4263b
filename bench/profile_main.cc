// liballoc_profile: the profiler's measuring half (tools/profile/profile.py
// runs it and turns its output into the report). JSON lines on stdout,
// progress on stderr.
//
//   liballoc_profile sweep [--pvs 16,256,...] [--areas 1,16,64] [--layouts linear,...]
//                          [--policies normal,...] [--budget-ms 20] [--reference-limit-ms 100]
//   liballoc_profile aging [--pvs 1024] [--areas 1] [--steps 4000] [--sample-every 100]
//                          [--layouts linear,striped-i4] [--policies ...] [--seed 1]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "aging.h"
#include "profile_sweep.h"
#include "workload.h"

namespace liballoc::bench {
namespace {

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr,
               "liballoc_profile: %s\nusage: liballoc_profile sweep|aging [--flag value]...\n"
               "  (see bench/profile_main.cc for the flags)\n",
               why.c_str());
  std::exit(2);
}

std::vector<uint32_t> ParseNumbers(const std::string& flag, const std::string& text) {
  std::vector<uint32_t> out;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    uint32_t n = 0;
    if (!absl::SimpleAtoi(part, &n) || n == 0) {
      Fail(flag + ": '" + std::string(part) + "' is not a positive number");
    }
    out.push_back(n);
  }
  return out;
}

double ParseDouble(const std::string& flag, const std::string& text) {
  double d = 0;
  if (!absl::SimpleAtod(text, &d) || d <= 0) Fail(flag + ": '" + text + "' is not positive");
  return d;
}

std::vector<Layout> ParseLayouts(const std::string& text) {
  std::vector<Layout> out;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    bool found = false;
    for (Layout l : kAllLayouts) {
      if (LayoutName(l) == part) {
        out.push_back(l);
        found = true;
      }
    }
    if (!found) Fail("--layouts: unknown layout '" + std::string(part) + "'");
  }
  return out;
}

std::vector<Policy> ParsePolicies(const std::string& text) {
  std::vector<Policy> out;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    bool found = false;
    for (Policy p : {Policy::kContiguous, Policy::kCling, Policy::kClingByTags, Policy::kNormal,
                     Policy::kAnywhere}) {
      if (std::string(PolicyName(p)) == std::string(part)) {
        out.push_back(p);
        found = true;
      }
    }
    if (!found) Fail("--policies: unknown policy '" + std::string(part) + "'");
  }
  return out;
}

int Main(int argc, char** argv) {
  if (argc < 2) Fail("missing the mode");
  const std::string mode = argv[1];
  if (mode != "sweep" && mode != "aging") Fail("unknown mode '" + mode + "'");
  if (argc % 2 != 0) Fail("every flag needs a value");
  SweepOptions sweep;
  AgingOptions aging;
  std::vector<Layout> aging_layouts = {Layout::kLinear, Layout::kStriped4};
  std::vector<Policy> aging_policies = sweep.policies;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--pvs") {
      sweep.pvs = ParseNumbers(flag, value);
      aging.pvs = sweep.pvs.front();
    } else if (flag == "--areas") {
      sweep.areas_per_pv = ParseNumbers(flag, value);
      aging.areas_per_pv = sweep.areas_per_pv.front();
    } else if (flag == "--layouts") {
      sweep.layouts = aging_layouts = ParseLayouts(value);
    } else if (flag == "--policies") {
      sweep.policies = aging_policies = ParsePolicies(value);
    } else if (flag == "--budget-ms") {
      sweep.budget_ms = ParseDouble(flag, value);
    } else if (flag == "--reference-limit-ms") {
      sweep.reference_limit_ms = ParseDouble(flag, value);
    } else if (flag == "--steps") {
      aging.steps = ParseNumbers(flag, value).front();
    } else if (flag == "--sample-every") {
      aging.sample_every = ParseNumbers(flag, value).front();
    } else if (flag == "--seed") {
      aging.seed = ParseNumbers(flag, value).front();
    } else {
      Fail("unknown flag '" + flag + "'");
    }
  }
  if (mode == "sweep") {
    RunSweep(sweep, stdout);
    return 0;
  }
  for (Layout layout : aging_layouts) {
    for (Policy policy : aging_policies) {
      if (!RunAging(aging, policy, layout, stdout)) return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace liballoc::bench

int main(int argc, char** argv) { return liballoc::bench::Main(argc, argv); }
