/* jx-sample-massless.c — see jx-sample-massless.h. */
#include "jx-sample-massless.h"

#include <math.h>

/* With |p_soft| = p sin δ / sin(θ+δ) (3-momentum conservation), |p_soft| = zE gives
 * tan δ = a sin θ / (1 − a cos θ), a = zE/p. */
double
jx_massless_delta_soft (JxP4 mother, double z, double theta)
{
  double p = jx_p4_p (mother);
  if (!(p > 0) || !(z > 0) || !(theta > 0 && theta < M_PI))
    return NAN;
  double a = z * mother.E / p;
  double delta = atan2 (a * sin (theta), 1 - a * cos (theta));
  return delta > 0 && theta + delta < M_PI ? delta : NAN;
}

/* |p_hard| = p sin θ / sin(θ+δ) = (1−z)E gives sin(θ+δ) = sin θ / b, b = (1−z)E/p; the
 * forward branch θ + δ = asin(sin θ / b) needs b < 1, i.e. a mother light enough. */
double
jx_massless_delta_hard (JxP4 mother, double z, double theta)
{
  double p = jx_p4_p (mother);
  if (!(p > 0) || !(z >= 0 && z < 1) || !(theta > 0 && theta < M_PI / 2))
    return NAN;
  double s = sin (theta) * p / ((1 - z) * mother.E);
  if (!(s <= 1))
    return NAN;
  double delta = asin (s) - theta;
  return delta > 0 ? delta : NAN;
}

/* Massless daughters of energies zE and (1−z)E at opening angle ψ have
 * M² = 2 z (1−z) E² (1 − cos ψ); z sin θ = (1−z) sin δ with δ = ψ − θ then gives
 * tan θ = (1−z) sin ψ / (z + (1−z) cos ψ). */
bool
jx_massless_both (JxP4 mother, double z, double *theta, double *delta)
{
  double m2 = jx_p4_m2 (mother), e = mother.E;
  if (!(m2 > 0) || !(z > 0 && z < 1) || !(e > 0))
    return false;
  double cos_psi = 1 - m2 / (2 * z * (1 - z) * e * e);
  if (!(cos_psi > -1 && cos_psi < 1))
    return false;
  double psi = acos (cos_psi), sin_psi = sin (psi);
  double th = atan2 ((1 - z) * sin_psi, z + (1 - z) * cos_psi);
  if (!(th > 0 && th < psi))
    return false;
  *theta = th;
  *delta = psi - th;
  return true;
}
