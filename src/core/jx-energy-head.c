/* jx-energy-head.c — see jx-energy-head.h. */
#include "jx-energy-head.h"

#include <math.h>
#include <string.h>

#include "jx-layers.h"
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

/* Loops over points in blocks of LANES: per-lane partial sums vectorize without reassociating
 * a float reduction (which the compiler may not do on its own). */
#define LANES 8

/* AVX2 + FMA where the CPU has it (as jx-layers.c): the point loops are the head's cost. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize ("fp-contract=fast")
#define CLONES __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

CLONES void
jx_energy_values (float *e, const float *pre, const float *xwt, int n, const float *w2, float b2,
                  int D)
{
  for (int s = 0; s < n; s++)
    e[s] = b2;
  for (int j = 0; j < D; j++)
    {
      const float *o = xwt + (size_t) j * n;
      float p = pre[j], w = w2[j];
      for (int s = 0; s < n; s++)
        {
          float a = p + o[s];
          e[s] += w * (a > 0.0f ? a : 0.0f);
        }
    }
}

float
jx_energy_value1 (const float *pre, const float *w2, float b2, int D)
{
  float acc = b2;
  for (int j = 0; j < D; j++)
    acc += w2[j] * (pre[j] > 0.0f ? pre[j] : 0.0f);
  return acc;
}

double
jx_energy_log_z (const float *e, int n, double *eps, float *weights)
{
  float mx = -INFINITY;
  for (int s = 0; s < n; s++)
    mx = e[s] > mx ? e[s] : mx;
  /* Sums of e^{E − max} and its square: Ẑ and σ² up to the common factor e^{max}; the
   * exponentials vectorized (jx_exp_neg), in blocks, summed in double. */
  enum { BLOCK = 256 };
  float buf[BLOCK];
  double s1 = 0.0, s2 = 0.0;
  for (int s0 = 0; s0 < n; s0 += BLOCK)
    {
      int m = n - s0 < BLOCK ? n - s0 : BLOCK;
      for (int i = 0; i < m; i++)
        buf[i] = e[s0 + i] - mx;
      jx_exp_neg (buf, buf, (size_t) m);
      for (int i = 0; i < m; i++)
        {
          s1 += buf[i];
          s2 += (double) buf[i] * buf[i];
        }
      if (weights != NULL)
        memcpy (weights + s0, buf, (size_t) m * sizeof *buf);
    }
  if (weights != NULL)
    for (int s = 0; s < n; s++)
      weights[s] = (float) (weights[s] / s1);
  double mean = s1 / n;
  if (eps != NULL)
    {
      double var = n > 1 ? (s2 - n * mean * mean) / (n - 1) : 0.0;
      *eps = var > 0.0 ? sqrt (var) / (mean * sqrt ((double) n)) : 0.0;
    }
  return mx + log (mean);
}

CLONES void
jx_energy_backward (float *du, float *dxwt, float *dw2, const float *coef, const float *pre,
                    const float *xwt, int n, const float *w2, int D)
{
  int nb = n - n % LANES;
  for (int j = 0; j < D; j++)
    {
      const float *o = xwt + (size_t) j * n;
      float *dx = dxwt != NULL ? dxwt + (size_t) j * n : NULL;
      float p = pre[j], w = w2[j];
      float cu[LANES] = { 0 }, ca[LANES] = { 0 };
      /* Σ_s c_s·1[a_s > 0] and Σ_s c_s·ReLU(a_s), lane by lane */
      for (int s = 0; s < nb; s += LANES)
        for (int l = 0; l < LANES; l++)
          {
            float a = p + o[s + l];
            float c = a > 0.0f ? coef[s + l] : 0.0f;
            cu[l] += c;
            ca[l] += c * a;
            if (dx != NULL)
              dx[s + l] += c * w;
          }
      float su = 0.0f, sa = 0.0f;
      for (int l = 0; l < LANES; l++)
        {
          su += cu[l];
          sa += ca[l];
        }
      for (int s = nb; s < n; s++)
        {
          float a = p + o[s];
          float c = a > 0.0f ? coef[s] : 0.0f;
          su += c;
          sa += c * a;
          if (dx != NULL)
            dx[s] += c * w;
        }
      du[j] += su * w;
      dw2[j] += sa;
    }
}

void
jx_energy_backward1 (float *du, float *dw2, float c, const float *pre, const float *w2, int D)
{
  for (int j = 0; j < D; j++)
    if (pre[j] > 0.0f)
      {
        du[j] += c * w2[j];
        dw2[j] += c * pre[j];
      }
}
