// Handle -> source index, for the one-shot path where it is built per call.
// Open addressing with linear probing and a multiplicative hash: a one-shot
// allocation inserts every source once, and a general-purpose hash map's
// per-insert cost was a third of the whole call.
#ifndef LIBALLOC_SRC_HANDLE_TABLE_H_
#define LIBALLOC_SRC_HANDLE_TABLE_H_

#include <cstdint>
#include <vector>

#include "liballoc/request.h"

namespace liballoc {

class HandleTable {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  void Reset(size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, Slot{0, kNone});
    mask_ = cap - 1;
    size_ = 0;
  }

  // The index stored for `handle`, inserting `index` if absent.
  uint32_t FindOrInsert(SourceHandle handle, uint32_t index) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    for (size_t i = Hash(handle) & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.index == kNone) {
        s = Slot{handle, index};
        ++size_;
        return index;
      }
      if (s.handle == handle) return s.index;
    }
  }

  uint32_t Find(SourceHandle handle) const {
    if (slots_.empty()) return kNone;
    for (size_t i = Hash(handle) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.index == kNone) return kNone;
      if (s.handle == handle) return s.index;
    }
  }

  size_t MemoryUsage() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    SourceHandle handle;
    uint32_t index;
  };

  static size_t Hash(SourceHandle h) {
    return static_cast<size_t>((h * 0x9e3779b97f4a7c15ull) >> 20);
  }

  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    Reset(old.size());
    for (const Slot& s : old) {
      if (s.index != kNone) FindOrInsert(s.handle, s.index);
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace liballoc

#endif  // LIBALLOC_SRC_HANDLE_TABLE_H_
