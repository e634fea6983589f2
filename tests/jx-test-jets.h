/* jx-test-jets.h — realistic random jets for the clustering tests and benches: a few hard
 * cores with collinear fragments plus soft wide-angle particles, E 0.1–300 GeV, angles
 * log-distributed down to 1e-3 rad, massless, around a random axis. */
#pragma once

#include <math.h>
#include <stddef.h>

#include "jx-momentum.h"
#include "jx-rng.h"

static inline double
jx_test_log_uniform (JxRng *rng, double lo, double hi)
{
  return exp (log (lo) + (log (hi) - log (lo)) * jx_rng_uniform (rng));
}

static inline void
jx_test_random_jet (JxRng *rng, size_t n, JxP4 *out)
{
  double axis[3];
  double c = 2 * jx_rng_uniform (rng) - 1, s = sqrt (1 - c * c), f = 2 * M_PI * jx_rng_uniform (rng);
  axis[0] = s * cos (f);
  axis[1] = s * sin (f);
  axis[2] = c;
  JxFrame jet;
  jx_frame_from_axis (&jet, jx_p4 (1, axis[0], axis[1], axis[2]));
  JxFrame cores[4];
  int n_cores = 1 + (int) jx_rng_below (rng, 4);
  for (int k = 0; k < n_cores; k++)
    {
      double th = k == 0 ? 0.0 : jx_test_log_uniform (rng, 0.02, 0.6);
      double d[3];
      jx_frame_direction (&jet, th, 2 * M_PI * jx_rng_uniform (rng), d);
      jx_frame_from_axis (&cores[k], jx_p4 (1, d[0], d[1], d[2]));
    }
  for (size_t i = 0; i < n; i++)
    {
      double d[3], E;
      if (jx_rng_uniform (rng) < 0.7)
        {
          const JxFrame *core = &cores[jx_rng_below (rng, (uint32_t) n_cores)];
          jx_frame_direction (core, jx_test_log_uniform (rng, 1e-3, 0.3),
                              2 * M_PI * jx_rng_uniform (rng), d);
          E = jx_test_log_uniform (rng, 0.1, 300);
        }
      else
        {
          jx_frame_direction (&jet, jx_test_log_uniform (rng, 0.05, 1.2),
                              2 * M_PI * jx_rng_uniform (rng), d);
          E = jx_test_log_uniform (rng, 0.1, 5);
        }
      out[i] = jx_p4 (E, E * d[0], E * d[1], E * d[2]);
    }
}
