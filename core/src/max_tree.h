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
#include <vector>

namespace liballoc {

class MaxTree {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  MaxTree() = default;
  explicit MaxTree(const std::vector<int64_t>& values) { Assign(values); }

  void Assign(const std::vector<int64_t>& values) {
    n_ = static_cast<uint32_t>(values.size());
    size_ = 1;
    while (size_ < n_) size_ <<= 1;
    tree_.assign(2 * size_, -1);
    for (uint32_t i = 0; i < n_; ++i) tree_[size_ + i] = values[i];
    for (uint32_t i = size_ - 1; i >= 1; --i) tree_[i] = std::max(tree_[2 * i], tree_[2 * i + 1]);
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

  size_t MemoryUsage() const { return tree_.capacity() * sizeof(int64_t); }

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
  std::vector<int64_t> tree_;
};

}  // namespace liballoc

#endif  // LIBALLOC_SRC_MAX_TREE_H_
