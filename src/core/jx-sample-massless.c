/* jx-sample-massless.c — see jx-sample-massless.h. */
#include "jx-sample-massless.h"

#include <math.h>
#include <string.h>

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

void
jx_massless_rates_default (JxMasslessRates *r)
{
  for (int b = 0; b < JX_MASSLESS_BUCKETS; b++)
    {
      r->terminal_cell[b] = r->terminal_theta[b] = 0;
    }
  r->measured = false;
}

typedef JxMasslessCount Tally;

static void
tally (Tally *t, int b, bool eligible, bool hit)
{
  if (eligible)
    {
      t->try[b] += 1;
      t->hit[b] += hit;
    }
}

#define MIN_TRIALS 50

static void
rates_from (const Tally *t, double deflt, double *out)
{
  double hit = 0, try = 0;
  for (int b = 0; b < JX_MASSLESS_BUCKETS; b++)
    {
      hit += t->hit[b];
      try += t->try[b];
    }
  double pooled = try >= MIN_TRIALS ? hit / try : deflt;
  for (int b = 0; b < JX_MASSLESS_BUCKETS; b++)
    out[b] = t->try[b] >= MIN_TRIALS ? t->hit[b] / t->try[b] : pooled;
}

bool
jx_massless (JxP4 p)
{
  return jx_p4_m2 (p) <= 1e-10 * p.E * p.E;
}

static bool
in_bin (const JxScaling *sc, int k, double value, int b, int G)
{
  return isfinite (value) && jx_scaling_bin (jx_scale_coord (sc, k, value), G) == b;
}

/* One data branching: does its cell (θ bin) hold the both-massless point, and is it there? */
static void
measure_step (const JxScaling *sc, int G, const JxTree *tree, const JxStep *st, int b,
              Tally *cell, Tally *theta)
{
  JxP4 m = tree->nodes[st->mother].p;
  bool both = jx_massless (tree->nodes[st->daughter[0]].p)
              && jx_massless (tree->nodes[st->daughter[1]].p);
  int bt = jx_scaling_bin (jx_scale_coord (sc, JX_COORD_THETA, st->x.theta), G);
  int bd = jx_scaling_bin (jx_scale_coord (sc, JX_COORD_DELTA, st->x.delta), G);
  double th2, de2;
  bool th_ok = jx_massless_both (m, st->x.z, &th2, &de2) && in_bin (sc, JX_COORD_THETA, th2, bt, G);
  tally (theta, b, th_ok, both);
  tally (cell, b, th_ok && in_bin (sc, JX_COORD_DELTA, de2, bd, G), both);
}

void
jx_massless_tally (const JxScaling *sc, int G, const JxTree *trees, size_t n, JxMasslessTally *t)
{
  memset (t, 0, sizeof *t);
  for (size_t j = 0; j < n; j++)
    for (size_t k = 1; k < trees[j].n; k++)
      measure_step (sc, G, &trees[j], &trees[j].steps[k - 1], jx_massless_bucket ((int) k),
                    &t->cell, &t->theta);
}

void
jx_massless_tally_add (JxMasslessTally *sum, const JxMasslessTally *t)
{
  for (int b = 0; b < JX_MASSLESS_BUCKETS; b++)
    {
      sum->cell.hit[b] += t->cell.hit[b];
      sum->cell.try[b] += t->cell.try[b];
      sum->theta.hit[b] += t->theta.hit[b];
      sum->theta.try[b] += t->theta.try[b];
    }
}

void
jx_massless_rates_from_tally (const JxMasslessTally *t, JxMasslessRates *r)
{
  rates_from (&t->cell, 0, r->terminal_cell);
  rates_from (&t->theta, 0, r->terminal_theta);
  r->measured = true;
}

void
jx_massless_rates_measure (const JxScaling *sc, int G, const JxTree *trees, size_t n,
                           JxMasslessRates *r)
{
  JxMasslessTally t;
  jx_massless_tally (sc, G, trees, n, &t);
  jx_massless_rates_from_tally (&t, r);
}
