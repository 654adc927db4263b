// The allocator's read-only view of the free space: LVM2's pv_maps before any
// area list is built. One entry per allocatable source, in first-appearance
// order; each entry's areas in creation order. Built per call from a Request
// (one-shot), or kept up to date by an AreaIndex (persistent).
#ifndef LIBALLOC_SRC_FREE_SPACE_VIEW_H_
#define LIBALLOC_SRC_FREE_SPACE_VIEW_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "handle_table.h"
#include "liballoc/request.h"
#include "max_tree.h"

namespace liballoc {

struct ViewSource {
  ViewSource() = default;
  ViewSource(SourceHandle h, const Area* a, uint32_t n, Extent largest,
             const std::vector<std::string>* tags, uint32_t pes)
      : handle(h), areas(a), max_count(largest), tag_names(tags), pe_count(pes), num_areas(n) {}

  SourceHandle handle = 0;
  const Area* areas = nullptr;  // creation order
  Extent max_count = 0;         // the largest area, 0 if none
  const std::vector<std::string>* tag_names = nullptr;
  uint32_t pe_count = 0;        // (BuildView checks it fits 32 bits)
  uint32_t num_areas = 0;
  int32_t merged = -1;          // index into FreeSpaceView::merged, or -1
};

// The view's sources: a vector of ViewSource (trivially copyable) that
// BuildView can also fill through a pointer, constructing each source once
// in place instead of constructing it and then overwriting it (at 4,096
// sources that second write was a pass over 200 KiB).
class ViewSourceArray {
 public:
  ViewSourceArray() = default;
  ViewSourceArray(ViewSourceArray&& o) noexcept { *this = std::move(o); }
  ViewSourceArray& operator=(ViewSourceArray&& o) noexcept {
    data_ = std::move(o.data_);
    size_ = o.size_;
    capacity_ = o.capacity_;
    o.size_ = o.capacity_ = 0;
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  ViewSource& operator[](size_t i) { return data_.get()[i]; }
  const ViewSource& operator[](size_t i) const { return data_.get()[i]; }
  ViewSource* data() { return data_.get(); }
  const ViewSource* data() const { return data_.get(); }
  ViewSource* begin() { return data(); }
  ViewSource* end() { return data() + size_; }
  const ViewSource* begin() const { return data(); }
  const ViewSource* end() const { return data() + size_; }
  ViewSource& back() { return data_.get()[size_ - 1]; }

  void clear() { size_ = 0; }
  void reserve(size_t n) {
    if (n <= capacity_) return;
    Storage grown(static_cast<ViewSource*>(::operator new(n * sizeof(ViewSource))));
    if (size_) std::memcpy(static_cast<void*>(grown.get()), data_.get(), size_ * sizeof(ViewSource));
    data_ = std::move(grown);
    capacity_ = n;
  }
  void push_back(const ViewSource& v) { emplace_back(v); }
  template <class... Args>
  ViewSource& emplace_back(Args&&... args) {
    if (size_ == capacity_) reserve(capacity_ ? 2 * capacity_ : 16);
    return *::new (static_cast<void*>(data_.get() + size_++)) ViewSource(std::forward<Args>(args)...);
  }

  // For building in bulk: room for n sources from size() on, to be
  // constructed (placement new) by the caller, who then calls Extend(k)
  // once the first k of them are.
  ViewSource* Spare(size_t n) {
    reserve(size_ + n);
    return data_.get() + size_;
  }
  void Extend(size_t k) { size_ += k; }

 private:
  static_assert(std::is_trivially_copyable_v<ViewSource> &&
                std::is_trivially_destructible_v<ViewSource>);
  struct Free {
    void operator()(ViewSource* p) const { ::operator delete(p); }
  };
  using Storage = std::unique_ptr<ViewSource, Free>;
  Storage data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

struct FreeSpaceView {
  ViewSourceArray sources;
  HandleTable index_of;
  uint64_t total_free = 0;
  // Areas of sources named by several request entries, concatenated.
  std::vector<std::vector<Area>> merged;
};

// Builds the view of `request.sources` (skipping non-allocatable entries,
// merging entries that share a handle; the view points into the request)
// and checks, in the same pass, the source invariants of request.h:
// kInvalidRequest naming the first one broken. One walk over the areas plus
// a hash insert per entry: this is most of a one-shot call's floor.
// With `tree`, also builds it over the view's sources (leaf m: source m's
// largest area, or -1 if it has none), as the indexed engine starts from;
// the fast pass writes each leaf as it reads the source.
absl::Status BuildView(const Request& request, FreeSpaceView* view, MaxTree* tree = nullptr);

// BuildView with its fast pass on a chosen kernel (kAvx2 only where
// Avx2ViewScanAvailable()), or only its exact pass, or (kLvm2MapWalk, the
// reference allocator's) the exact pass finding each entry's source as
// LVM2's _create_maps does, by a walk over the sources found so far:
// quadratic in sources, as LVM2 is. Every choice gives the same view and
// the same errors.
enum class ViewScan { kAuto, kScalar, kAvx2, kExactOnly, kLvm2MapWalk };
bool Avx2ViewScanAvailable();
absl::Status BuildViewWith(const Request& request, FreeSpaceView* view, ViewScan scan,
                           MaxTree* tree = nullptr);

}  // namespace liballoc

#endif  // LIBALLOC_SRC_FREE_SPACE_VIEW_H_
