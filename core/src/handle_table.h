// Handle -> source index, for the one-shot path where it is built per call.
// Open addressing with linear probing and Fibonacci hashing: a one-shot
// allocation inserts every source once, and a general-purpose hash map's
// per-insert cost was a third of the whole call.
//
// The probed array holds 4-byte indices, and the handles sit in an array by
// index (written in insertion order when indices are dense, as the view's
// are): at 4,096 sources that is 32 KiB of slots plus 32 KiB of handles
// instead of 128 KiB of 16-byte slots, so the probes stay in the L1 cache
// next to the areas being read. A probe compares the handle of an occupied
// slot's index; at a load factor of at most 1/2 most inserts find their
// first slot empty.
#ifndef LIBALLOC_SRC_HANDLE_TABLE_H_
#define LIBALLOC_SRC_HANDLE_TABLE_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include "liballoc/request.h"

namespace liballoc {

class HandleTable {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  HandleTable() = default;
  HandleTable(HandleTable&&) noexcept = default;
  HandleTable& operator=(HandleTable&&) noexcept = default;

  // Empties the table, sized for `expected` handles (with dense indices)
  // without growing.
  void Reset(size_t expected) {
    size_ = 0;
    SetSlots(SlotsFor(expected));
    if (handle_capacity_ < expected) {
      handles_.reset(new SourceHandle[expected]);
      handle_capacity_ = expected;
    }
  }

  // The index stored for `handle`, inserting `index` if absent. Indices
  // should be dense (each new handle's index the number inserted so far):
  // the table keeps a handle per index up to the largest.
  uint32_t FindOrInsert(SourceHandle handle, uint32_t index) {
    if ((size_ + 1) * 2 > slot_count_) Grow();
    for (size_t i = Hash(handle);; i = (i + 1) & mask_) {
      const uint32_t o = slots_[i];
      if (o == kNone) {
        if (index >= handle_capacity_) GrowHandles(index);
        slots_[i] = index;
        handles_[index] = handle;
        ++size_;
        return index;
      }
      if (handles_[o] == handle) return o;
    }
  }

  uint32_t Find(SourceHandle handle) const {
    if (slot_count_ == 0) return kNone;
    for (size_t i = Hash(handle);; i = (i + 1) & mask_) {
      const uint32_t o = slots_[i];
      if (o == kNone) return kNone;
      if (handles_[o] == handle) return o;
    }
  }

  size_t size() const { return size_; }

  size_t MemoryUsage() const {
    return slot_count_ * sizeof(uint32_t) + handle_capacity_ * sizeof(SourceHandle);
  }

  // Many inserts in a row with the next dense index each (building a view),
  // the table's state held in locals: a loop of Insert calls keeps it in
  // registers where FindOrInsert reloads it after every store the caller
  // makes. Only for a table Reset() for at least as many handles; nothing
  // else may use the table until the Inserter is destroyed.
  class Inserter {
   public:
    explicit Inserter(HandleTable* table)
        : table_(table),
          slots_(table->slots_.get()),
          handles_(table->handles_.get()),
          mask_(table->mask_),
          shift_(table->shift_),
          size_(static_cast<uint32_t>(table->size_)) {}
    ~Inserter() { table_->size_ = size_; }
    Inserter(const Inserter&) = delete;
    Inserter& operator=(const Inserter&) = delete;

    // The number of handles in the table: the index the next new one gets.
    uint32_t size() const { return size_; }

    // Inserts `handle` with index size() and returns true, or returns
    // false if it is present (nothing changes).
    bool InsertNew(SourceHandle handle) {
      for (size_t i = HashWith(handle, shift_);; i = (i + 1) & mask_) {
        const uint32_t o = slots_[i];
        if (o == kNone) {
          slots_[i] = size_;
          handles_[size_] = handle;
          ++size_;
          return true;
        }
        if (handles_[o] == handle) return false;
      }
    }

   private:
    HandleTable* table_;
    uint32_t* slots_;
    SourceHandle* handles_;
    size_t mask_;
    uint32_t shift_;
    uint32_t size_;
  };

 private:
  // Fibonacci hashing: the top bits of the product, which depend on every
  // bit of the handle (pointers and small integers alike).
  static size_t HashWith(SourceHandle h, uint32_t shift) {
    return static_cast<size_t>((h * 0x9e3779b97f4a7c15ull) >> shift);
  }
  size_t Hash(SourceHandle h) const { return HashWith(h, shift_); }

  // At most half full with `n` handles; at least 16 slots.
  static size_t SlotsFor(size_t n) {
    size_t slots = 16;
    while (slots < n * 2) slots <<= 1;
    return slots;
  }

  void SetSlots(size_t count) {
    if (count != slot_count_) {
      slots_.reset(new uint32_t[count]);
      slot_count_ = count;
    }
    std::fill_n(slots_.get(), count, kNone);
    uint32_t bits = 0;
    while ((size_t{1} << bits) < count) ++bits;
    shift_ = 64 - bits;
    mask_ = count - 1;
  }

  void Grow() {
    const std::unique_ptr<uint32_t[]> old = std::move(slots_);
    const size_t old_count = slot_count_;
    slot_count_ = 0;
    SetSlots(SlotsFor(size_ + 1));
    for (size_t s = 0; s < old_count; ++s) {
      const uint32_t o = old[s];
      if (o == kNone) continue;
      size_t i = Hash(handles_[o]);
      while (slots_[i] != kNone) i = (i + 1) & mask_;
      slots_[i] = o;
    }
  }

  void GrowHandles(uint32_t index) {
    const size_t capacity = std::max<size_t>(size_t{index} + 1, handle_capacity_ * 2);
    std::unique_ptr<SourceHandle[]> grown(new SourceHandle[capacity]);
    if (handle_capacity_) std::memcpy(grown.get(), handles_.get(), handle_capacity_ * sizeof(SourceHandle));
    handles_ = std::move(grown);
    handle_capacity_ = capacity;
  }

  // slots_[i]: an index, or kNone. handles_[index]: its handle (entries of
  // indices never inserted are never read).
  std::unique_ptr<uint32_t[]> slots_;
  std::unique_ptr<SourceHandle[]> handles_;
  size_t slot_count_ = 0;
  size_t handle_capacity_ = 0;
  size_t mask_ = 0;
  size_t size_ = 0;
  uint32_t shift_ = 60;
};

}  // namespace liballoc

#endif  // LIBALLOC_SRC_HANDLE_TABLE_H_
