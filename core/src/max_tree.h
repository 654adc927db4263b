// A segment tree over source indices holding one value per source (the
// largest free area of a clean source, or -1 for "not a lazy candidate").
//
// It answers the two questions a round asks of sources it does not walk:
//   - the leftmost source at or after `from` whose value is >= t
//     (sources whose largest area holds the whole request, in source order);
//   - the leftmost source holding the maximum value
//     (the best partial candidate; ties in source order, as LVM2's stable
//     sort orders them).
// Both in O(log n). Values are int64 so -1 can mark exclusion.
#ifndef LIBALLOC_SRC_MAX_TREE_H_
#define LIBALLOC_SRC_MAX_TREE_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

namespace liballoc {

class MaxTree {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  MaxTree() = default;
  explicit MaxTree(const std::vector<int64_t>& values) { Assign(values); }

  void Assign(const std::vector<int64_t>& values) {
    AssignWith(static_cast<uint32_t>(values.size()), [&values](uint32_t i) { return values[i]; });
  }

  // Leaf i gets value(i), for i < n: builds the tree without a values vector.
  template <class F>
  void AssignWith(uint32_t n, F&& value) {
    int64_t* const leaves = PrepareLeaves(n);
    for (uint32_t i = 0; i < n; ++i) leaves[i] = value(i);
    BuildFromLeaves(n);
  }

  // Building in two steps, for a caller that computes the leaves as it
  // goes: room for up to max_n leaves (returned), then BuildFromLeaves(n)
  // once leaves [0, n) are written, n <= max_n. The tree is unusable between
  // the two.
  int64_t* PrepareLeaves(uint32_t max_n) {
    n_ = 0;
    size_ = 1;
    while (size_ < max_n) size_ <<= 1;
    // Every node is written by BuildFromLeaves: the storage is not filled.
    if (capacity_ < 2 * size_) {
      tree_.reset(new int64_t[2 * size_]);
      capacity_ = 2 * size_;
    }
    return tree_.get() + size_;
  }
  void BuildFromLeaves(uint32_t n) {
    n_ = n;
    int64_t* const t = tree_.get();
    std::fill(t + size_ + n_, t + 2 * size_, int64_t{-1});
    // Level by level, from the leaves' parents up: a forward loop per level.
    for (uint32_t width = size_ / 2; width >= 1; width /= 2) {
      int64_t* const parent = t + width;
      const int64_t* const child = t + 2 * width;
      for (uint32_t j = 0; j < width; ++j) parent[j] = std::max(child[2 * j], child[2 * j + 1]);
    }
    t[0] = -1;
  }

  uint32_t size() const { return n_; }
  int64_t Get(uint32_t i) const { return tree_[size_ + i]; }

  void Set(uint32_t i, int64_t v) {
    uint32_t p = size_ + i;
    if (tree_[p] == v) return;
    tree_[p] = v;
    for (p >>= 1; p >= 1; p >>= 1) {
      const int64_t m = std::max(tree_[2 * p], tree_[2 * p + 1]);
      if (tree_[p] == m) break;
      tree_[p] = m;
    }
  }

  int64_t Max() const { return n_ ? tree_[1] : -1; }

  // Leftmost index of the maximum, or kNone if every value is < 0.
  uint32_t LeftmostMax() const {
    if (n_ == 0 || tree_[1] < 0) return kNone;
    const int64_t m = tree_[1];
    uint32_t p = 1;
    while (p < size_) p = tree_[2 * p] == m ? 2 * p : 2 * p + 1;
    return p - size_;
  }

  // Leftmost index >= from with value >= t, or kNone.
  uint32_t FirstAtLeast(uint32_t from, int64_t t) const {
    if (from >= n_) return kNone;
    return Find(1, 0, size_, from, t);
  }

  size_t MemoryUsage() const { return capacity_ * sizeof(int64_t); }

 private:
  uint32_t Find(uint32_t p, uint32_t lo, uint32_t hi, uint32_t from, int64_t t) const {
    if (hi <= from || tree_[p] < t) return kNone;
    if (hi - lo == 1) return lo;
    const uint32_t mid = lo + (hi - lo) / 2;
    const uint32_t left = Find(2 * p, lo, mid, from, t);
    if (left != kNone) return left;
    return Find(2 * p + 1, mid, hi, from, t);
  }

  uint32_t n_ = 0;
  uint32_t size_ = 1;
  std::unique_ptr<int64_t[]> tree_;  // 2 * size_ nodes in use: 1 is the root
  size_t capacity_ = 0;
};

}  // namespace liballoc

#endif  // LIBALLOC_SRC_MAX_TREE_H_
