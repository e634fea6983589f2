/* jx-hadron-kin.c — see jx-hadron-kin.h. */
#include "jx-hadron-kin.h"

#include <math.h>

/* The boost that takes (M, 0⃗) to P, written so that nothing cancels for fast P:
 * E' = (P·p̃)/M with p̃ = (E, −p⃗) and p⃗' = p⃗ + P⃗ (E + E')/(P⁰ + M). */
static inline JxP4
boost (JxP4 p, double E, double px, double py, double pz, double M)
{
  double e = (E * p.E + px * p.px + py * p.py + pz * p.pz) / M;
  double f = (p.E + e) / (E + M);
  return (JxP4) { e, p.px + f * px, p.py + f * py, p.pz + f * pz };
}

JxP4
jx_boost_from_rest (JxP4 p, JxP4 P, double M)
{
  return boost (p, P.E, P.px, P.py, P.pz, M);
}

JxP4
jx_boost_to_rest (JxP4 p, JxP4 P, double M)
{
  return boost (p, P.E, -P.px, -P.py, -P.pz, M);
}

double
jx_two_body_pstar (double M, double m1, double m2)
{
  double a = M * M - (m1 + m2) * (m1 + m2), b = M * M - (m1 - m2) * (m1 - m2);
  return a > 0 ? sqrt (a * b) / (2 * M) : 0;
}

void
jx_two_body_decay (JxP4 P, double M, double m1, double m2, const double n[3], JxP4 *p1,
                   JxP4 *p2)
{
  double k = jx_two_body_pstar (M, m1, m2);
  double e1 = (M * M + m1 * m1 - m2 * m2) / (2 * M);
  double e2 = (M * M + m2 * m2 - m1 * m1) / (2 * M);
  JxP4 a = { e1, k * n[0], k * n[1], k * n[2] };
  JxP4 b = { e2, -a.px, -a.py, -a.pz };
  *p1 = jx_boost_from_rest (a, P, M);
  *p2 = jx_boost_from_rest (b, P, M);
}

void
jx_isotropic_direction (JxRng *rng, double n[3])
{
  /* (u, v) uniform in the unit disk and s = u² + v² make (2u√(1−s), 2v√(1−s), 1 − 2s) uniform
   * on the sphere (G. Marsaglia, Ann. Math. Stat. 43 (1972) 645). */
  double u, v, s;
  do
    {
      u = 2 * jx_rng_uniform (rng) - 1;
      v = 2 * jx_rng_uniform (rng) - 1;
      s = u * u + v * v;
    }
  while (s >= 1);
  double f = 2 * sqrt (1 - s);
  n[0] = u * f;
  n[1] = v * f;
  n[2] = 1 - 2 * s;
}

double
jx_rescale_to_masses (JxP4 *p, const double *m, size_t n)
{
  if (n < 2)
    return -1;
  JxP4 P = { 0, 0, 0, 0 };
  double sum_m = 0;
  for (size_t i = 0; i < n; i++)
    {
      P = jx_p4_add (P, p[i]);
      sum_m += m[i];
    }
  double M2 = jx_p4_m2 (P);
  if (!(M2 > sum_m * sum_m))
    return -1;
  double M = sqrt (M2);
  for (size_t i = 0; i < n; i++)
    p[i] = jx_boost_to_rest (p[i], P, M);

  /* f(α) = Σ √(α² |p*|² + m²) − M is increasing and convex in α > 0 with f(0) < 0, so Newton
   * from any α with f(α) ≥ 0 (α = 1 for massless inputs) descends monotonically onto the root;
   * from below it overshoots once and then does the same. */
  double alpha = 1;
  for (int it = 0; it < 60; it++)
    {
      double f = -M, df = 0;
      for (size_t i = 0; i < n; i++)
        {
          double a = jx_p4_p2 (p[i]), e = sqrt (alpha * alpha * a + m[i] * m[i]);
          f += e;
          df += e > 0 ? alpha * a / e : 0;
        }
      if (!(df > 0))
        return -1;
      double step = f / df;
      alpha -= step;
      if (!(alpha > 0))
        alpha = 0.5 * (alpha + step);  /* stay positive: halve towards the last iterate */
      if (fabs (step) <= 4e-16 * alpha)
        break;
    }
  for (size_t i = 0; i < n; i++)
    {
      double a = jx_p4_p2 (p[i]);
      JxP4 q = { sqrt (alpha * alpha * a + m[i] * m[i]), alpha * p[i].px, alpha * p[i].py,
                 alpha * p[i].pz };
      p[i] = jx_boost_from_rest (q, P, M);
    }
  return alpha;
}
