// A tiny deterministic PRNG for the synthetic-VG generator.
//
// std::uniform_int_distribution and friends are implementation-defined, so a
// seed would give different VGs with libstdc++ and libc++. Everything here is
// plain 64-bit integer arithmetic: a seed gives the same stream everywhere.
#ifndef LIBALLOC_TESTING_PRNG_H_
#define LIBALLOC_TESTING_PRNG_H_

#include <cstdint>

namespace liballoc::testing {

// SplitMix64 (Steele, Lea, Flood 2014): one add and a mixing function per
// draw; good enough statistically for test data and trivially seedable.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); 0 when n == 0. Lemire's multiply-shift: the tiny bias
  // (< n / 2^64) does not matter for test data, and it has no loop.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }

  // Uniform in [lo, hi] (inclusive); lo when hi <= lo.
  uint64_t Between(uint64_t lo, uint64_t hi) {
    if (hi <= lo) return lo;
    uint64_t span = hi - lo;
    if (span == UINT64_MAX) return Next();
    return lo + Below(span + 1);
  }

  // True with probability `per_mille` / 1000 (integers: no float rounding
  // differences between platforms).
  bool Chance(uint32_t per_mille) { return Below(1000) < per_mille; }

  // An independent stream, for parts whose draws must not shift when another
  // part's parameters change (e.g. tags do not move when areas change).
  SplitMix64 Fork() { return SplitMix64(Next() ^ 0x6a09e667f3bcc909ULL); }

 private:
  uint64_t state_;
};

// Mixes a value into a 64-bit hash (SplitMix64's finaliser), e.g. to derive a
// per-source seed from (seed, index) so sources can be generated in any order.
inline uint64_t Mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace liballoc::testing

#endif  // LIBALLOC_TESTING_PRNG_H_
