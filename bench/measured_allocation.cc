#include "measured_allocation.h"

#include <cstdlib>
#include <cstring>
#include <utility>

#include "benchmark/benchmark.h"

namespace liballoc::bench {

std::string ImplTag(Impl impl) {
  switch (impl) {
    case Impl::kReference: return "ref";
    case Impl::kIndexed: return "idx";
    case Impl::kPersistent: return "pidx";
  }
  return "?";
}

std::optional<Impl> ParseImpl(const std::string& tag) {
  for (Impl impl : {Impl::kReference, Impl::kIndexed, Impl::kPersistent}) {
    if (ImplTag(impl) == tag) return impl;
  }
  return std::nullopt;
}

bool SlowdownInjected() {
  static const bool injected = [] {
    const char* v = std::getenv("LIBALLOC_BENCH_INJECT_SLOWDOWN");
    return v != nullptr && std::strcmp(v, "1") == 0;
  }();
  return injected;
}

uint64_t PieceCount(const Result& result) {
  uint64_t n = 0;
  for (const auto& slot : result.slots) n += slot.size();
  return n;
}

MeasuredAllocation::MeasuredAllocation(Impl impl, Request request)
    : impl_(impl), request_(std::move(request)) {
  for (const Source& s : request_.sources) area_count_ += s.areas.size();
}

absl::StatusOr<MeasuredAllocation> MeasuredAllocation::Create(Impl impl, Request request) {
  MeasuredAllocation m(impl, std::move(request));
  if (impl == Impl::kPersistent) {
    absl::StatusOr<AreaIndex> index = AreaIndex::Build(m.request_.sources);
    if (!index.ok()) return index.status();
    m.index_.emplace(*std::move(index));
    m.built_index_bytes_ = m.index_->MemoryUsage();
    m.index_request_ = m.request_;
    m.index_request_.sources.clear();
  }
  return m;
}

void MeasuredAllocation::InjectedScan(WorkCounters* counters) const {
  // What an accidental fallback to the walk-everything path costs: one more
  // reference allocation of the same request, its work added to the call's.
  WorkCounters extra;
  absl::StatusOr<Result> wasted = AllocateReference(request_, &extra);
  benchmark::DoNotOptimize(wasted);
  counters->areas_visited += extra.areas_visited;
  counters->rounds += extra.rounds;
  counters->sources_touched += extra.sources_touched;
}

absl::StatusOr<Result> MeasuredAllocation::Run(WorkCounters* counters) {
  *counters = WorkCounters{};
  absl::StatusOr<Result> result;
  switch (impl_) {
    case Impl::kReference:
      result = AllocateReference(request_, counters);
      break;
    case Impl::kIndexed:
      result = AllocateIndexed(request_, counters);
      break;
    case Impl::kPersistent:
      result = index_->Allocate(index_request_, counters);
      break;
  }
  if (SlowdownInjected()) InjectedScan(counters);
  return result;
}

absl::Status MeasuredAllocation::Restore(const Result& result) {
  if (impl_ != Impl::kPersistent) return absl::OkStatus();
  for (const auto& slot : result.slots) {
    for (const Piece& p : slot) {
      if (absl::Status released = index_->Release(p.handle, p.start, p.count); !released.ok()) {
        return released;
      }
    }
  }
  return absl::OkStatus();
}

size_t MeasuredAllocation::IndexBytes() const { return index_ ? index_->MemoryUsage() : 0; }

}  // namespace liballoc::bench
