// differential: the reference allocator (LVM2's walk over every area, the
// oracle) against the indexed allocator and the persistent AreaIndex, on the
// same VG and request. Results must be byte-identical (every field of Result,
// Batch and Piece) and failures identical (status code, AllocError and LVM2's
// message text). The reference itself is also held to the invariants, since
// it is what everything else is compared with.
//
// The AreaIndex leg: Build(vg) must accept exactly the VGs its contract
// promises to, ToSources() must give the VG back, Allocate must equal the
// reference on ToSources(), and afterwards the index must hold the VG minus
// the allocated pieces.
#include <cstddef>
#include <cstdint>

#include <fuzzer/FuzzedDataProvider.h>

#include "fuzzed_allocation.h"
#include "liballoc/allocator.h"
#include "liballoc/area_index.h"
#include "source_list_diff.h"
#include "testing/free_space.h"
#include "testing/invariant_checker.h"
#include "testing/outcome_diff.h"
#include "violation.h"

namespace {

constexpr char kTarget[] = "differential";
// The reference walks every source, and every piece placed so far, in each
// round, as LVM2 does: on 3,000+ sources one input can take 30 s under ASan.
// The differential stops at 1,024 sources; allocate covers up to 4,096.
constexpr uint32_t kMaxSources = 1024;

void CheckAreaIndex(const std::vector<liballoc::Source>& vg, const liballoc::Request& request) {
  using liballoc::fuzz::CheckOk;
  absl::StatusOr<liballoc::AreaIndex> index = liballoc::AreaIndex::Build(vg);
  bool indexable = liballoc::fuzz::IsIndexable(vg);
  if (index.ok() != indexable) {
    liballoc::fuzz::Violation(kTarget,
                              indexable ? "AreaIndex::Build rejected a valid VG"
                                        : "AreaIndex::Build accepted an invalid VG",
                              index.status().ToString(), &request);
  }
  if (!index.ok()) return;
  CheckOk(kTarget, "AreaIndex::ToSources() after Build differs from the VG",
          liballoc::fuzz::CompareSources(vg, index->ToSources()), &request);

  liballoc::Request on_index = request;
  on_index.sources.clear();
  liballoc::Request on_vg = request;
  on_vg.sources = vg;
  absl::StatusOr<liballoc::Result> expected = liballoc::AllocateReference(on_vg);
  absl::StatusOr<liballoc::Result> actual = index->Allocate(on_index);
  CheckOk(kTarget, "AreaIndex::Allocate differs from AllocateReference on ToSources()",
          liballoc::testing::CompareOutcomes(expected, actual), &on_vg);
  if (!actual.ok()) {
    CheckOk(kTarget, "AreaIndex changed its free space on a failed allocation",
            liballoc::fuzz::CompareSources(vg, index->ToSources()), &on_vg);
    return;
  }
  std::vector<liballoc::Source> left = vg;
  CheckOk(kTarget, "AreaIndex::Allocate gave pieces that were not free",
          liballoc::testing::TakeResult(left, *actual), &on_vg);
  CheckOk(kTarget, "AreaIndex free space after Allocate is not the VG minus the result",
          liballoc::fuzz::CompareSources(left, index->ToSources()), &on_vg);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const uint32_t max_sources = liballoc::fuzz::MaxSourcesFromEnvironment(kMaxSources);
  FuzzedDataProvider in(data, size);
  std::vector<liballoc::Source> vg =
      liballoc::fuzz::ConsumeVg(in, max_sources, /*generated_only=*/false);
  liballoc::Request request = liballoc::fuzz::ConsumeRequest(in, vg);

  absl::StatusOr<liballoc::Result> reference = liballoc::AllocateReference(request);
  absl::StatusOr<liballoc::Result> indexed = liballoc::AllocateIndexed(request);
  liballoc::fuzz::CheckOk(kTarget, "AllocateIndexed differs from AllocateReference",
                          liballoc::testing::CompareOutcomes(reference, indexed), &request);
  liballoc::fuzz::CheckOk(kTarget, "AllocateReference broke an invariant",
                          liballoc::testing::CheckOutcome(request, reference), &request);
  CheckAreaIndex(vg, request);
  return 0;
}
