/* jx-bench-clock.h — the benches' clock: seconds on a clock_gettime clock (CLOCK_MONOTONIC for
 * wall time, CLOCK_PROCESS_CPUTIME_ID / CLOCK_THREAD_CPUTIME_ID for CPU time). The older benches
 * still carry their own copies of this; new ones include it. */
#pragma once

#include <time.h>

static inline double
jx_bench_seconds (clockid_t clock)
{
  struct timespec ts;
  clock_gettime (clock, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}
