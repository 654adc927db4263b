// A persistent free-space index over a whole VG: built once, then allocate and
// release many times with incremental updates. What an LVM2 command that
// allocates several times, a sequence fuzzer or a churn profile uses.
//
// AreaIndex::Allocate(request) gives exactly what liballoc::Allocate gives for
// the same request with `request.sources` = ToSources() (every source, whole,
// in index order), and then removes the allocated extents from the index.
// Free runs stay maximal: Release merges a returned range with its free
// neighbours, as LVM2's PV segment map does, so the index always describes
// what a fresh LVM2 map would see.
#ifndef LIBALLOC_AREA_INDEX_H_
#define LIBALLOC_AREA_INDEX_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "liballoc/allocator.h"
#include "liballoc/request.h"

namespace liballoc {

class AreaIndex {
 public:
  // `sources` in VG order with unique handles; areas must be maximal free
  // runs (no two touching), in ascending PE order. kInvalidRequest otherwise.
  static absl::StatusOr<AreaIndex> Build(const std::vector<Source>& sources);

  AreaIndex(AreaIndex&&) noexcept;
  AreaIndex& operator=(AreaIndex&&) noexcept;
  ~AreaIndex();

  // `request.sources` must be empty: the index's sources are used. On success
  // the result's pieces are no longer free.
  absl::StatusOr<Result> Allocate(const Request& request,
                                  WorkCounters* counters = nullptr);

  // Returns [start, start + count) of `handle` to the free space. Fails
  // (kInvalidRequest) if any of it is already free or outside the source.
  absl::Status Release(SourceHandle handle, Extent start, Extent count);

  // The current free space as Allocate sees it.
  std::vector<Source> ToSources() const;
  uint64_t total_free() const;
  // Bytes held by the index, for the memory target.
  size_t MemoryUsage() const;

 private:
  struct State;
  explicit AreaIndex(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace liballoc

#endif  // LIBALLOC_AREA_INDEX_H_
