// Comparing two source lists field by field (handle, pe_count, areas, tags,
// allocatable), naming the first difference: how the fuzzers check that
// AreaIndex's view of the free space is the one LVM2's PV segment map would
// have (testing/free_space.h keeps the expected one).
#ifndef LIBALLOC_FUZZ_SOURCE_LIST_DIFF_H_
#define LIBALLOC_FUZZ_SOURCE_LIST_DIFF_H_

#include <vector>

#include "absl/status/status.h"
#include "liballoc/request.h"

namespace liballoc::fuzz {

// OK if equal, else kInternal "source #i (handle h): <field>: expected ..., got ...".
absl::Status CompareSources(const std::vector<Source>& expected,
                            const std::vector<Source>& actual);

// What AreaIndex::Build promises to accept: unique handles, areas of count
// > 0 inside [0, pe_count), ascending and not touching (maximal free runs).
bool IsIndexable(const std::vector<Source>& vg);

}  // namespace liballoc::fuzz

#endif  // LIBALLOC_FUZZ_SOURCE_LIST_DIFF_H_
