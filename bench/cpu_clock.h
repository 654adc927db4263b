// Thread CPU time: what the profiler reports. Two cores are shared by
// everyone here, so wall time mostly measures the neighbours.
#ifndef LIBALLOC_BENCH_CPU_CLOCK_H_
#define LIBALLOC_BENCH_CPU_CLOCK_H_

#include <time.h>

namespace liballoc::bench {

inline double ThreadCpuNanos() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

}  // namespace liballoc::bench

#endif  // LIBALLOC_BENCH_CPU_CLOCK_H_
