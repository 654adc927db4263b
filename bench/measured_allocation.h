// One allocation as the benchmarks, the instruction-count driver and the
// profiler measure it, for each implementation:
//   ref   AllocateReference (walks every source and area each round),
//   idx   AllocateIndexed (one-shot: builds its index from the request),
//   pidx  a persistent AreaIndex, built once; each call allocates, and
//         Restore() then releases what it got (outside the measured call),
//         so every call sees the same free space.
//
// LIBALLOC_BENCH_INJECT_SLOWDOWN=1 adds a reference allocation of the same
// request to every call (a full scan of every area each round) and adds its
// work counters to the call's: a stand-in for a core regression (core/src is
// not the harness's to break), used to prove that the regression gate fails
// when the core gets slower: counters, instructions and speedups all move.
#ifndef LIBALLOC_BENCH_MEASURED_ALLOCATION_H_
#define LIBALLOC_BENCH_MEASURED_ALLOCATION_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "liballoc/allocator.h"
#include "liballoc/area_index.h"
#include "liballoc/request.h"

namespace liballoc::bench {

enum class Impl { kReference, kIndexed, kPersistent };

std::string ImplTag(Impl impl);  // "ref", "idx", "pidx"
std::optional<Impl> ParseImpl(const std::string& tag);

bool SlowdownInjected();

uint64_t PieceCount(const Result& result);

class MeasuredAllocation {
 public:
  // `request` carries the sources; for pidx they become the index (built
  // here, outside any measurement).
  static absl::StatusOr<MeasuredAllocation> Create(Impl impl, Request request);

  // One call. Counters are reset first, so after a call they hold that
  // call's deterministic work.
  absl::StatusOr<Result> Run(WorkCounters* counters);
  // pidx: gives a successful call's pieces back to the index (the next call
  // must see the same free space); nothing for ref and idx. Not part of the
  // allocation's cost: what it costs is reported on its own.
  absl::Status Restore(const Result& result);

  // Bytes the persistent index holds now, and right after it was built (0
  // for ref and idx). They differ if allocate + release leaves the index
  // bigger than it started.
  size_t IndexBytes() const;
  size_t BuiltIndexBytes() const { return built_index_bytes_; }
  const Request& request() const { return request_; }
  uint64_t area_count() const { return area_count_; }

 private:
  MeasuredAllocation(Impl impl, Request request);
  void InjectedScan(WorkCounters* counters) const;

  Impl impl_;
  Request request_;  // with sources, as the caller gave it
  Request index_request_;  // without sources, for pidx
  std::optional<AreaIndex> index_;
  uint64_t area_count_ = 0;
  size_t built_index_bytes_ = 0;
};

}  // namespace liballoc::bench

#endif  // LIBALLOC_BENCH_MEASURED_ALLOCATION_H_
