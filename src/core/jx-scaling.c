/* jx-scaling.c — see jx-scaling.h. */
#include "jx-scaling.h"

#include <math.h>

void
jx_scaling_default (JxScaling *s)
{
  s->e_jet = 500.0;
  s->e_sub = 1.0;
  s->r_jet = M_PI / 2;
  s->r_sub = 0.1;
}

static bool
positive (double v)
{
  return isfinite (v) && v > 0;
}

int
jx_scaling_check (const JxScaling *s, JxError *err)
{
  if (!positive (s->e_jet) || !positive (s->e_sub) || !positive (s->r_jet) || !positive (s->r_sub))
    return jx_error_set (err, JX_ERR_INVALID,
                         "feature scaling constants must be finite and positive "
                         "(E_jet %g, E_sub %g, R_jet %g, R_sub %g)",
                         s->e_jet, s->e_sub, s->r_jet, s->r_sub);
  /* Every denominator of DESIGN §4 must be non-zero. The smallest interval is θ of a
   * branching, ln R_jet − ln(R_sub/2), and δ's ln(R_jet/2) − ln(E_sub R_sub/E_jet). */
  if (!(s->e_jet > s->e_sub) || !(s->r_jet > s->r_sub / 2)
      || !(s->r_jet / 2 > s->e_sub * s->r_sub / s->e_jet) || !(0.5 > s->e_sub / s->e_jet)
      || !(s->r_jet > s->e_sub * s->r_sub / s->e_jet))
    return jx_error_set (err, JX_ERR_INVALID,
                         "feature scaling intervals are empty: need E_jet > 2 E_sub and "
                         "R_jet > R_sub/2 (E_jet %g, E_sub %g, R_jet %g, R_sub %g)",
                         s->e_jet, s->e_sub, s->r_jet, s->r_sub);
  return 0;
}

static double
clipped_log (double v)
{
  if (!(v >= JX_SCALING_LN_MIN))   /* also NaN */
    v = JX_SCALING_LN_MIN;
  if (v > JX_SCALING_LN_MAX)
    v = JX_SCALING_LN_MAX;
  return log (v);
}

/* Each scaled coordinate is (ln v − ln lo)/(ln hi − ln lo); φ is linear. */
static void
log_range (const JxScaling *s, int which, double *lo, double *hi)
{
  double angle_min = s->e_sub * s->r_sub / s->e_jet;
  switch (which)
    {
    case 0: /* momentum energy and mass */
      *lo = log (s->e_sub);
      *hi = log (s->e_jet);
      break;
    case 1: /* momentum angle */
      *lo = log (angle_min);
      *hi = log (s->r_jet);
      break;
    case 2: /* branching z */
      *lo = log (s->e_sub / s->e_jet);
      *hi = log (0.5);
      break;
    case 3: /* branching θ */
      *lo = log (s->r_sub / 2);
      *hi = log (s->r_jet);
      break;
    default: /* branching δ */
      *lo = log (angle_min);
      *hi = log (s->r_jet / 2);
      break;
    }
}

static double
scale_log (const JxScaling *s, int which, double v)
{
  double lo, hi;
  log_range (s, which, &lo, &hi);
  return (clipped_log (v) - lo) / (hi - lo);
}

static double
unscale_log (const JxScaling *s, int which, double x)
{
  double lo, hi;
  log_range (s, which, &lo, &hi);
  return exp (lo + x * (hi - lo));
}

void
jx_scale_momentum (const JxScaling *s, const JxRelative *r, double out[4])
{
  out[0] = scale_log (s, 0, r->E);
  out[1] = scale_log (s, 1, r->theta);
  out[2] = r->phi / (2 * M_PI);
  out[3] = scale_log (s, 0, r->m);
}

void
jx_unscale_momentum (const JxScaling *s, const double in[4], JxRelative *r)
{
  r->E = unscale_log (s, 0, in[0]);
  r->theta = unscale_log (s, 1, in[1]);
  r->phi = in[2] * 2 * M_PI;
  r->m = unscale_log (s, 0, in[3]);
}

static const int coord_range[4] = { 2, 3, -1, 4 };

double
jx_scale_coord (const JxScaling *s, int k, double value)
{
  if (k == JX_COORD_PHI)
    return value / (2 * M_PI);
  return scale_log (s, coord_range[k], value);
}

double
jx_unscale_coord (const JxScaling *s, int k, double scaled)
{
  if (k == JX_COORD_PHI)
    return scaled * 2 * M_PI;
  return unscale_log (s, coord_range[k], scaled);
}

void
jx_scale_branching (const JxScaling *s, const JxBranching *x, double out[4])
{
  out[0] = jx_scale_coord (s, JX_COORD_Z, x->z);
  out[1] = jx_scale_coord (s, JX_COORD_THETA, x->theta);
  out[2] = jx_scale_coord (s, JX_COORD_PHI, x->phi);
  out[3] = jx_scale_coord (s, JX_COORD_DELTA, x->delta);
}

void
jx_unscale_branching (const JxScaling *s, const double in[4], JxBranching *x)
{
  x->z = jx_unscale_coord (s, JX_COORD_Z, in[0]);
  x->theta = jx_unscale_coord (s, JX_COORD_THETA, in[1]);
  x->phi = jx_unscale_coord (s, JX_COORD_PHI, in[2]);
  x->delta = jx_unscale_coord (s, JX_COORD_DELTA, in[3]);
}

int
jx_scaling_bin (double scaled, int grid)
{
  if (!(scaled > 0))   /* also NaN */
    return 0;
  double b = floor (scaled * grid);
  if (b > grid - 1)
    return grid - 1;
  return (int) b;
}

void
jx_branching_bins (const JxScaling *s, const JxBranching *x, int grid, int bins[4])
{
  double v[4];
  jx_scale_branching (s, x, v);
  for (int k = 0; k < 4; k++)
    bins[k] = jx_scaling_bin (v[k], grid);
}

int
jx_branching_cell (const int bins[4], int grid)
{
  return ((bins[0] * grid + bins[1]) * grid + bins[2]) * grid + bins[3];
}

void
jx_cell_bins (int cell, int grid, int bins[4])
{
  for (int k = 3; k >= 0; k--)
    {
      bins[k] = cell % grid;
      cell /= grid;
    }
}
