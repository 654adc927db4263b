// Who owns which extent, across many allocations on one VG.
//
// A sequence test (create/extend/remove LVs, fuzz or RapidCheck) claims every
// piece of every Result for the LV it belongs to. A double booking (two owners
// of one extent) is the bug the ledger exists to catch; CheckAccounts catches
// the opposite, leaks: extents neither free in the VG nor owned by anyone.
#ifndef LIBALLOC_TESTING_EXTENT_LEDGER_H_
#define LIBALLOC_TESTING_EXTENT_LEDGER_H_

#include <cstdint>
#include <map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "liballoc/request.h"

namespace liballoc::testing {

class ExtentLedger {
 public:
  using Owner = uint64_t;

  // Records [start, start + count) of `handle` as owned by `owner`. Fails,
  // naming both owners and the first shared extent, if any of it is owned.
  absl::Status Claim(SourceHandle handle, Extent start, Extent count, Owner owner);
  // Claims every piece of `result`. On failure nothing of `result` is kept.
  absl::Status ClaimResult(const Result& result, Owner owner);
  // Claims everything the VG does not list as free (pre-existing LVs).
  absl::Status ClaimAllocatedSpace(const std::vector<Source>& vg, Owner owner);

  // Releases exactly a range claimed earlier by `owner` (the whole claim).
  absl::Status Release(SourceHandle handle, Extent start, Extent count, Owner owner);
  // Releases everything `owner` holds; returns the number of extents.
  uint64_t ReleaseAll(Owner owner);

  uint64_t OwnedBy(Owner owner) const;

  // Every PE of every source is exactly one of: free in `vg`, or owned.
  absl::Status CheckAccounts(const std::vector<Source>& vg) const;

 private:
  struct Span {
    Extent end;
    Owner owner;
  };
  absl::flat_hash_map<SourceHandle, std::map<Extent, Span>> claims_;
};

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_EXTENT_LEDGER_H_
