// The invariant checker: does an allocation outcome obey the rules that hold
// for every correct LVM2 2.03.16 allocation, whatever the exact placement?
//
// One checker for tests, fuzzers, benchmarks (--check) and tools. It knows
// nothing about the core's internals: it re-derives the request's shape
// itself (expected_shape.h) and judges the Result or failure from the
// Request alone. Violations are kInternal statuses whose message names the
// slot, piece, source and extent involved.
//
// CheckResult verifies, for a successful allocation:
//   - the request was valid (ValidateRequest) and no up-front failure
//     applies (divisibility, "Not enough PVs ... parallel allocation",
//     "Insufficient free space" of the first policy pass);
//   - Result counts (area_count, parity_count, log/metadata area counts,
//     log_len, area_multiple) equal the spec §2.2 derivation, and there is
//     one slot list per data/parity slot plus log or metadata slots;
//   - every piece: count > 0, inside [0, pe_count) of its source, inside a
//     single free area of an allocatable request entry with that handle;
//     no extent is allocated twice within the result;
//   - batches: each slot's pieces are in strictly increasing batch order;
//     every data/parity slot has exactly one piece per batch, of length
//     Batch::area_len, except the split-metadata batch (batch 0), whose
//     data piece is area_len - log_len (and absent when that is 0); a
//     batch has area_len > 0, except a first batch that places only the
//     logs (its max_to_allocate fell below area_multiple); batches' passes
//     never decrease and never exceed the requested policy
//     (except the escalation to normal for pending logs); cling_by_tags
//     passes only run with a cling_tag_list;
//   - data/parity slots of one batch are on pairwise distinct sources unless
//     the batch was placed by the anywhere pass. This is checked per batch
//     only: LVM2 2.03.16 may put a later batch of one image on a source that
//     holds another image (spec §9.3 last bullet, §14 item 16). Log slots may
//     share a source with data (the log iteration, spec §7.2 (c));
//   - split metadata (raid rmeta, cache-pool cmeta): one piece of log_len per
//     metadata slot in batch 0, and the slot's data piece of batch 0 starts
//     right after it on the same source (rmeta in front of rimage);
//   - logs (mirror log, thin-pool metadata): one piece of log_len per log
//     slot, in batch 0;
//   - parallel areas: data pieces of a batch not placed by the anywhere pass
//     avoid the sources of the parallel area covering the batch's first LE,
//     and (with a cling_tag_list) sources tag-matching them (spec §6, §8.4);
//   - contiguous: policy contiguous gives at most one batch; a batch of the
//     contiguous pass that extends a previous segment of the same area count
//     (stripes_per_image 1) continues every slot right after that slot's area
//     in PrevSegment::last_extent;
//   - totals: allocated_extents = sum of area_len * area_multiple; without
//     approx it equals extents + the split-metadata growth (spec §2.2 item
//     5: raid rmeta and cache-pool cmeta enlarge the target) and reduced is
//     false; with approx it is at most that, reduced says whether it is less,
//     and it is > 0 for a new LV (otherwise LVM2 fails instead).
//
// CheckFailure verifies that a failure is justified:
//   - kInvalidRequest if and only if ValidateRequest fails;
//   - an up-front failure, when one applies, is exactly that code and text;
//   - kNotDivisible / kNotEnoughParallelPvs only when their up-front
//     condition holds;
//   - kInsufficientFreeSpace only without approx, with "needed > available"
//     in its text (the first pass's numbers, or a later pass's after some
//     space was taken);
//   - kInsufficientSuitable only without approx, with LVM2's exact text
//     ("contiguous " iff policy contiguous, the LV name) and a missing count
//     no larger than the whole request's;
//   - kNothingFound only with approx for a new LV; kLogSpace only with log
//     slots; kMetadataDoesNotFit only with split metadata and some free area
//     shorter than log_len, or policy anywhere (slots may share an area
//     that earlier slots of the batch shortened), or, in liballoc's
//     underflow text, a share below log_len and at most the new size over
//     area_multiple; kWouldDoubleBook (liballoc
//     refusing a log that LVM2 would carve from an area its batch used up)
//     only with log slots.
#ifndef LIBALLOC_TESTING_INVARIANT_CHECKER_H_
#define LIBALLOC_TESTING_INVARIANT_CHECKER_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "liballoc/request.h"

namespace liballoc::testing {

absl::Status CheckResult(const Request& request, const Result& result);
absl::Status CheckFailure(const Request& request, const absl::Status& failure);

// CheckResult or CheckFailure, whichever applies.
absl::Status CheckOutcome(const Request& request, const absl::StatusOr<Result>& outcome);

// The failure LVM2 reports before looking at any area, if the request has
// one: not divisible, not enough PVs for parallel allocation (with separate
// logs), or insufficient free space in the first policy pass. Exact text.
std::optional<absl::Status> UpFrontFailure(const Request& request);

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_INVARIANT_CHECKER_H_
