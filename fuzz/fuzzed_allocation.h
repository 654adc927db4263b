// Turning fuzzer bytes into a VG and an allocation request.
//
// The decoders are thin: they draw the *parameters* of the shared generators
// (testing/synthetic_vg.h, testing/synthetic_request.h) from the input, then
// let the input override individual request fields with anything, including
// values no generator would produce. So one input byte flip moves the request
// a little (a field) or a lot (a generator seed), and coverage feedback can
// use both.
//
// Input layout (FuzzedDataProvider): integers are consumed from the END of the
// input, in the order of the functions below; tools' seed writer
// (fuzz/make_seeds.py) mirrors the first draws of ConsumeVg, so keep the two
// in step when changing the order.
#ifndef LIBALLOC_FUZZ_FUZZED_ALLOCATION_H_
#define LIBALLOC_FUZZ_FUZZED_ALLOCATION_H_

#include <cstdint>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "liballoc/request.h"

namespace liballoc::fuzz {

// The largest VG any input may describe (the 1 to 4,096 sources).
inline constexpr uint32_t kMaxSources = 4096;

// kMaxSources, or less when LIBALLOC_FUZZ_MAX_SOURCES says so (1..kMaxSources;
// anything else exits with a message). Used to measure throughput on VGs of
// at most 256 sources without rebuilding: inputs decode the same way, bigger
// source counts are clamped.
uint32_t MaxSourcesFromEnvironment(uint32_t default_max = kMaxSources);

// A VG of 1 to `max_sources` sources. Most inputs give small VGs (<= 8
// sources), some up to 32 or 256 and a few up to `max_sources`: throughput
// stays high while large-VG paths are still reached. With `generated_only` the VG
// always comes from GenerateVg (maximal free runs, unique handles: what
// AreaIndex::Build accepts); otherwise some inputs spell the areas out byte
// by byte, touching, overlapping or out of range.
std::vector<Source> ConsumeVg(FuzzedDataProvider& in, uint32_t max_sources,
                              bool generated_only);

// Any request over `vg`: a GenerateRequest draw (PV lists, PE ranges, extensions
// with previous segments, parallel areas, every segment type), then zero or
// more field overrides drawn from the input.
Request ConsumeRequest(FuzzedDataProvider& in, const std::vector<Source>& vg);

// Field overrides only, for requests built elsewhere (the sequence target).
// Stripes, mirrors and logs stay small: the point is odd combinations, not
// arrays of a billion slots.
void ConsumeOverrides(FuzzedDataProvider& in, Request& request);

}  // namespace liballoc::fuzz

#endif  // LIBALLOC_FUZZ_FUZZED_ALLOCATION_H_
