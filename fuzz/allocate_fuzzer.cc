// allocate: any VG (1 to 4,096 sources) and any request, through the default
// allocator, judged by the shared invariant checker. A result must obey every
// rule of testing/invariant_checker.h; a failure must be the one LVM2 would
// give for the same reason (right code, right text).
#include <cstddef>
#include <cstdint>

#include <fuzzer/FuzzedDataProvider.h>

#include "fuzzed_allocation.h"
#include "liballoc/allocator.h"
#include "testing/invariant_checker.h"
#include "violation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const uint32_t max_sources = liballoc::fuzz::MaxSourcesFromEnvironment();
  FuzzedDataProvider in(data, size);
  std::vector<liballoc::Source> vg =
      liballoc::fuzz::ConsumeVg(in, max_sources, /*generated_only=*/false);
  liballoc::Request request = liballoc::fuzz::ConsumeRequest(in, vg);
  absl::StatusOr<liballoc::Result> outcome = liballoc::Allocate(request);
  liballoc::fuzz::CheckOk("allocate", "invariant violated",
                          liballoc::testing::CheckOutcome(request, outcome), &request);
  return 0;
}
