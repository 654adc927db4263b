// Our config-text parser against libdevmapper's dm_config, the parser LVM2
// itself uses. Shared by the cross-check test (every recorded file, golden
// vector and tricky snippet) and the metadata fuzz target (arbitrary text).
#ifndef LIBALLOC_TESTING_DM_CONFIG_CROSSCHECK_H_
#define LIBALLOC_TESTING_DM_CONFIG_CROSSCHECK_H_

#include <string>

namespace liballoc::testing {

struct CrossCheckResult {
  bool ours_accepts = false;
  bool dm_accepts = false;
  // Where the two trees first differ, when both accept; empty when equal.
  std::string tree_diff;
};

// Parses `text` (no NUL bytes) with ParseConfigText and dm_config_from_string.
CrossCheckResult CrossCheckWithDmConfig(const std::string& text);

// "" when both build the same tree or both reject the text, else a readable
// description of the disagreement.
std::string DescribeCrossCheck(const CrossCheckResult& r);

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_DM_CONFIG_CROSSCHECK_H_
