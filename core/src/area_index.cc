// The persistent index: sources with their free runs (ascending PE), a view
// of them for the engine, and the tree of each source's largest run, all kept
// up to date by Allocate and Release in time proportional to what changed.
// The runs are kept in PE order only: the engine sorts a source's runs into
// LVM2's list order when a call first walks it (a key sort of the few runs
// one PV has), which costs less than keeping a second, size-ordered copy
// current through every take and release.
#include "liballoc/area_index.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_format.h"
#include "alloc_shape.h"
#include "allocation_engine.h"
#include "free_space_view.h"
#include "liballoc/error.h"
#include "max_tree.h"
#include "validate.h"

namespace liballoc {
namespace {

absl::Status Invalid(const std::string& what) {
  return MakeAllocError(AllocError::kInvalidRequest, what);
}

}  // namespace

struct AreaIndex::State {
  std::vector<Source> sources;           // VG order; areas ascending, maximal
  size_t runs = 0;                       // free runs over all sources
  std::vector<uint32_t> view_of;         // source -> view index, or kNone
  std::vector<uint32_t> source_of_view;  // view index -> source
  std::vector<uint32_t> changed;         // Allocate's scratch: sources it took from,
  std::vector<uint32_t> changed_in;      // per source: the call that last added it there
  uint32_t calls = 0;
  absl::flat_hash_map<SourceHandle, uint32_t> source_of;
  FreeSpaceView view;                    // allocatable sources only
  MaxTree tree;
  EngineScratch scratch;

  static constexpr uint32_t kNone = 0xffffffffu;

  // Re-points the view at a source's areas after they changed.
  void Refresh(uint32_t s) {
    const uint32_t m = view_of[s];
    if (m == kNone) return;
    ViewSource& v = view.sources[m];
    const std::vector<Area>& areas = sources[s].areas;
    v.areas = areas.data();
    v.num_areas = static_cast<uint32_t>(areas.size());
    Extent largest = 0;
    for (const Area& a : areas) largest = std::max(largest, a.count);
    v.max_count = largest;
    tree.Set(m, v.num_areas ? static_cast<int64_t>(v.max_count) : -1);
  }

  // Removes [start, start + count) from source s's free runs; it must lie
  // inside one run (the engine only hands out free extents). The caller
  // refreshes the source's view afterwards.
  absl::Status Take(uint32_t s, Extent start, Extent count) {
    std::vector<Area>& areas = sources[s].areas;
    auto it = std::upper_bound(areas.begin(), areas.end(), start,
                               [](Extent x, const Area& a) { return x < a.start; });
    if (it == areas.begin() || start + count > std::prev(it)->start + std::prev(it)->count) {
      return Invalid(absl::StrFormat("extents %u-%u of source %#x are not free", start,
                                     start + count - 1, sources[s].handle));
    }
    --it;
    const Area run = *it;
    const Extent tail_start = start + count;
    const Extent tail = run.start + run.count - tail_start;
    if (start == run.start && tail == 0) {
      areas.erase(it);
      --runs;
    } else if (start == run.start) {
      *it = Area{tail_start, tail};
    } else {
      it->count = start - run.start;
      if (tail) {
        ++runs;
        areas.insert(it + 1, Area{tail_start, tail});
      }
    }
    view.total_free -= count;
    return absl::OkStatus();
  }
};

AreaIndex::AreaIndex(std::unique_ptr<State> state) : state_(std::move(state)) {}
AreaIndex::AreaIndex(AreaIndex&&) noexcept = default;
AreaIndex& AreaIndex::operator=(AreaIndex&&) noexcept = default;
AreaIndex::~AreaIndex() = default;

absl::StatusOr<AreaIndex> AreaIndex::Build(const std::vector<Source>& sources) {
  auto state = std::make_unique<State>();
  state->sources = sources;
  std::vector<int64_t> largest;
  for (uint32_t s = 0; s < sources.size(); ++s) {
    const Source& src = sources[s];
    if (src.pe_count > 0xffffffffull) {  // as BuildView: LVM2 counts extents in 32 bits
      return Invalid(absl::StrFormat("source %d: pe_count %u exceeds 2^32-1", s, src.pe_count));
    }
    if (!state->source_of.emplace(src.handle, s).second) {
      return Invalid(absl::StrFormat("source %d: handle %#x appears twice", s, src.handle));
    }
    for (size_t i = 0; i < src.areas.size(); ++i) {
      const Area& a = src.areas[i];
      if (a.count == 0 || a.start >= src.pe_count || a.count > src.pe_count - a.start) {
        return Invalid(absl::StrFormat("source %d area %d: PEs %u+%u outside the source's %u extents",
                                       s, i, a.start, a.count, src.pe_count));
      }
      if (i && a.start <= src.areas[i - 1].start + src.areas[i - 1].count) {
        return Invalid(absl::StrFormat(
            "source %d area %d: free runs must be ascending, disjoint and not touching", s, i));
      }
    }
    if (!src.allocatable) {
      state->view_of.push_back(State::kNone);
      continue;
    }
    state->view_of.push_back(static_cast<uint32_t>(state->view.sources.size()));
    state->source_of_view.push_back(s);
    state->view.index_of.FindOrInsert(src.handle, static_cast<uint32_t>(state->view.sources.size()));
    ViewSource v;
    v.handle = src.handle;
    v.tag_names = &state->sources[s].tags;
    state->view.sources.push_back(v);
    largest.push_back(-1);
    for (const Area& a : src.areas) state->view.total_free += a.count;
  }
  if (state->view.total_free > 0xffffffffull) {
    return Invalid("more than 2^32-1 free extents: LVM2 counts free space in 32 bits");
  }
  state->tree.Assign(largest);
  state->changed_in.assign(sources.size(), 0);
  for (uint32_t s = 0; s < sources.size(); ++s) {
    state->runs += sources[s].areas.size();
    state->Refresh(s);
  }
  return AreaIndex(std::move(state));
}

absl::StatusOr<Result> AreaIndex::Allocate(const Request& request, WorkCounters* counters) {
  if (!request.sources.empty()) {
    return Invalid("AreaIndex::Allocate uses the index's sources: request.sources must be empty");
  }
  if (absl::Status s = ValidateRequestFields(request); !s.ok()) return s;
  absl::StatusOr<AllocShape> shape = ComputeShape(request);
  if (!shape.ok()) return shape.status();
  State& st = *state_;
  absl::StatusOr<Result> result;
  std::vector<uint32_t> journal;
  {
    AllocationEngine engine(request, *shape, st.view, ScanStrategy::kIndexed, &st.scratch,
                            &st.tree, counters);
    result = engine.Run();
    journal.swap(engine.tree_journal());
  }
  // A call that walked much of the VG (100%FREE) built lists for most of
  // it; keep that memory only while it is small against the index itself.
  if (st.scratch.lists.MemoryUsage() > std::max<size_t>(size_t{64} << 10, st.runs * 8)) {
    st.scratch.lists.Release();
  }
  // The engine leaves per-call marks in the tree; the index's truth is its
  // own runs. Apply the result, then restore every entry the call touched.
  if (result.ok()) {
    std::vector<uint32_t>& changed = st.changed;
    changed.clear();
    if (++st.calls == 0) {  // wrapped: forget every mark
      std::fill(st.changed_in.begin(), st.changed_in.end(), 0);
      st.calls = 1;
    }
    absl::Status taken;
    for (const std::vector<Piece>& slot : result->slots) {
      // A slot's pieces often share a source (a stripe clings to it).
      SourceHandle last_handle = 0;
      uint32_t s = State::kNone;
      for (const Piece& p : slot) {
        if (!taken.ok()) break;  // unreachable unless the engine is wrong
        // Pieces come from allocatable sources only: the view knows them.
        if (s == State::kNone || p.handle != last_handle) {
          s = st.source_of_view[st.view.index_of.Find(p.handle)];
          last_handle = p.handle;
        }
        if (st.changed_in[s] != st.calls) {
          st.changed_in[s] = st.calls;
          changed.push_back(s);
        }
        taken = st.Take(s, p.start, p.count);
      }
    }
    // The view points into the runs, which a Take may have moved.
    for (uint32_t s : changed) st.Refresh(s);
    if (!taken.ok()) result = taken;
  }
  for (uint32_t m : journal) {
    const ViewSource& v = st.view.sources[m];
    st.tree.Set(m, v.num_areas ? static_cast<int64_t>(v.max_count) : -1);
  }
  return result;
}

absl::Status AreaIndex::Release(SourceHandle handle, Extent start, Extent count) {
  State& st = *state_;
  auto found = st.source_of.find(handle);
  if (found == st.source_of.end()) {
    return Invalid(absl::StrFormat("release: unknown source %#x", handle));
  }
  const uint32_t s = found->second;
  Source& src = st.sources[s];
  if (count == 0 || start >= src.pe_count || count > src.pe_count - start) {
    return Invalid(absl::StrFormat("release: extents %u+%u outside source %#x (%u extents)", start,
                                   count, handle, src.pe_count));
  }
  std::vector<Area>& areas = src.areas;
  auto next = std::upper_bound(areas.begin(), areas.end(), start,
                               [](Extent x, const Area& a) { return x < a.start; });
  const bool overlaps_prev =
      next != areas.begin() && std::prev(next)->start + std::prev(next)->count > start;
  const bool overlaps_next = next != areas.end() && next->start < start + count;
  if (overlaps_prev || overlaps_next) {
    return Invalid(absl::StrFormat("release: extents %u-%u of source %#x are already free", start,
                                   start + count - 1, handle));
  }
  // Free runs stay maximal: merge with touching neighbours.
  const bool join_prev =
      next != areas.begin() && std::prev(next)->start + std::prev(next)->count == start;
  const bool join_next = next != areas.end() && next->start == start + count;
  if (join_prev && join_next) {
    std::prev(next)->count += count + next->count;
    areas.erase(next);
    --st.runs;
  } else if (join_prev) {
    std::prev(next)->count += count;
  } else if (join_next) {
    next->start = start;
    next->count += count;
  } else {
    areas.insert(next, Area{start, count});
    ++st.runs;
  }
  if (st.view_of[s] != State::kNone) st.view.total_free += count;
  st.Refresh(s);
  return absl::OkStatus();
}

std::vector<Source> AreaIndex::ToSources() const { return state_->sources; }

uint64_t AreaIndex::total_free() const { return state_->view.total_free; }

size_t AreaIndex::MemoryUsage() const {
  const State& st = *state_;
  size_t bytes = sizeof(State) + st.tree.MemoryUsage() + st.scratch.lists.MemoryUsage() +
                 st.scratch.states.capacity() * sizeof(SourceState) +
                 st.view.sources.capacity() * sizeof(ViewSource) +
                 (st.view_of.capacity() + st.source_of_view.capacity() + st.changed.capacity() +
                  st.changed_in.capacity()) *
                     sizeof(uint32_t) +
                 st.source_of.capacity() * (sizeof(SourceHandle) + sizeof(uint32_t) + 1) +
                 st.view.index_of.MemoryUsage() +
                 st.sources.capacity() * sizeof(Source);
  for (const Source& s : st.sources) bytes += s.areas.capacity() * sizeof(Area);
  return bytes;
}

}  // namespace liballoc
