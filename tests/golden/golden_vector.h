// One conformance vector recorded from real LVM2 (tests/golden/<category>/
// <NNN>-<slug>.json): the VG before, the command, what lvm printed and
// returned, and the VG after.
#ifndef LIBALLOC_TESTS_GOLDEN_GOLDEN_VECTOR_H_
#define LIBALLOC_TESTS_GOLDEN_GOLDEN_VECTOR_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace liballoc::golden {

struct GoldenVector {
  std::string path;      // the file it was read from
  std::string name;      // "linear/001-one-pv-part"
  std::string category;
  std::string config;    // the --config string, may be empty
  std::vector<std::string> command;  // argv, command name first
  std::string before;    // vgcfgbackup text
  int exit_status = 0;
  std::vector<std::string> stderr_lines;
  std::vector<std::string> stdout_lines;  // empty when not recorded
  std::optional<std::string> after;       // null when the command failed
};

absl::StatusOr<GoldenVector> LoadGoldenVector(const std::string& path);

// Every *.json under `root`/<category>/, sorted by path.
std::vector<std::string> ListGoldenVectorFiles(const std::string& root);

// "linear/001-one-pv-part" -> "linear_001_one_pv_part" (a valid test name).
std::string TestNameOf(const std::string& vector_name);

// Metadata text reduced to what two runs of the same command share: the VG
// section only, without comments, blank lines, ids, seqno and creation
// stamps. Two VGs written alike give the same text.
std::string NormalizedVgText(const std::string& metadata);

// lvm's warnings that depend on the machine, not on the allocation (they
// are not recorded either; kept in case a vector was recorded with them).
bool IsEnvironmentWarning(const std::string& line);

}  // namespace liballoc::golden

#endif  // LIBALLOC_TESTS_GOLDEN_GOLDEN_VECTOR_H_
