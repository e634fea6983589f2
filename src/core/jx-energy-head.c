/* jx-energy-head.c — see jx-energy-head.h. */
#include "jx-energy-head.h"

#include <math.h>
#include <string.h>

#include "jx-rng.h"

/* The proposal stream (any fixed seed; changing it changes every energy model's ln P). */
#define POINTS_SEED 0x6a756e6970720a00ULL
#define POINTS_STREAM 12

void
jx_energy_points (int n, float *out)
{
  JxRng rng;
  jx_rng_seed (&rng, POINTS_SEED, POINTS_STREAM);
  for (int i = 0; i < 4 * n; i++)
    out[i] = (float) jx_rng_uniform (&rng);
}

void
jx_energy_values (float *e, const float *pre, const float *xw, int n, const float *w2, float b2,
                  int D)
{
  for (int s = 0; s < n; s++)
    {
      const float *o = xw != NULL ? xw + (size_t) s * D : NULL;
      float acc = 0.0f;
      if (o != NULL)
        for (int j = 0; j < D; j++)
          {
            float a = pre[j] + o[j];
            acc += w2[j] * (a > 0.0f ? a : 0.0f);
          }
      else
        for (int j = 0; j < D; j++)
          acc += w2[j] * (pre[j] > 0.0f ? pre[j] : 0.0f);
      e[s] = acc + b2;
    }
}

double
jx_energy_log_z (const float *e, int n, double *eps)
{
  double mx = -INFINITY;
  for (int s = 0; s < n; s++)
    mx = e[s] > mx ? e[s] : mx;
  /* Sums of e^{E − max} and its square: Ẑ and σ² up to the common factor e^{max}. */
  double s1 = 0.0, s2 = 0.0;
  for (int s = 0; s < n; s++)
    {
      double v = exp ((double) e[s] - mx);
      s1 += v;
      s2 += v * v;
    }
  double mean = s1 / n;
  if (eps != NULL)
    {
      double var = n > 1 ? (s2 - n * mean * mean) / (n - 1) : 0.0;
      *eps = var > 0.0 ? sqrt (var) / (mean * sqrt ((double) n)) : 0.0;
    }
  return mx + log (mean);
}

void
jx_energy_backward (float *du, float *dxw, float *dw2, const float *coef, const float *pre,
                    const float *xw, int n, const float *w2, int D)
{
  for (int s = 0; s < n; s++)
    {
      float c = coef[s];
      if (c == 0.0f)
        continue;
      const float *o = xw != NULL ? xw + (size_t) s * D : NULL;
      float *dx = dxw != NULL ? dxw + (size_t) s * D : NULL;
      for (int j = 0; j < D; j++)
        {
          float a = pre[j] + (o != NULL ? o[j] : 0.0f);
          if (a <= 0.0f)
            continue;
          float d = c * w2[j];
          du[j] += d;
          if (dx != NULL)
            dx[j] += d;
          dw2[j] += c * a;
        }
    }
}
