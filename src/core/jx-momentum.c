/* jx-momentum.c — see jx-momentum.h. */
#include "jx-momentum.h"

static void
cross (const double a[3], const double b[3], double out[3])
{
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

static double
norm3 (const double a[3])
{
  return sqrt (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
}

double
jx_p4_cos_angle (JxP4 a, JxP4 b)
{
  double na = jx_p4_p (a), nb = jx_p4_p (b);
  if (na == 0 || nb == 0)
    return 1.0;
  double c = (a.px * b.px + a.py * b.py + a.pz * b.pz) / (na * nb);
  return c > 1 ? 1 : (c < -1 ? -1 : c);
}

double
jx_p4_angle (JxP4 a, JxP4 b)
{
  double va[3] = { a.px, a.py, a.pz }, vb[3] = { b.px, b.py, b.pz }, c[3];
  cross (va, vb, c);
  double s = norm3 (c);
  double d = va[0] * vb[0] + va[1] * vb[1] + va[2] * vb[2];
  if (s == 0 && d == 0)
    return 0.0;
  return atan2 (s, d);
}

bool
jx_frame_from_axis (JxFrame *frame, JxP4 axis)
{
  double n = jx_p4_p (axis);
  if (!(n > 0))
    return false;
  frame->ez[0] = axis.px / n;
  frame->ez[1] = axis.py / n;
  frame->ez[2] = axis.pz / n;
  /* (0,1,0) × e_z, falling back to (1,0,0) × e_z when the axis is (anti)parallel to y. */
  double ref[3] = { 0, 1, 0 };
  double ex[3];
  cross (ref, frame->ez, ex);
  double len = norm3 (ex);
  if (len < 1e-12)
    {
      double ref_x[3] = { 1, 0, 0 };
      cross (ref_x, frame->ez, ex);
      len = norm3 (ex);
    }
  for (int i = 0; i < 3; i++)
    frame->ex[i] = ex[i] / len;
  cross (frame->ez, frame->ex, frame->ey);
  return true;
}

void
jx_frame_angles (const JxFrame *frame, JxP4 p, double *theta, double *phi)
{
  double v[3] = { p.px, p.py, p.pz };
  double x = v[0] * frame->ex[0] + v[1] * frame->ex[1] + v[2] * frame->ex[2];
  double y = v[0] * frame->ey[0] + v[1] * frame->ey[1] + v[2] * frame->ey[2];
  double z = v[0] * frame->ez[0] + v[1] * frame->ez[1] + v[2] * frame->ez[2];
  double perp = sqrt (x * x + y * y);
  if (theta != NULL)
    *theta = atan2 (perp, z);
  if (phi != NULL)
    {
      /* Along the axis within rounding (a jet relative to its own axis, the mother of the
       * first branching): φ is undefined and atan2 would return the rounding noise, which
       * would become a network input; 0, as for the seed. */
      double f = perp <= 1e-12 * fabs (z) ? 0.0 : atan2 (y, x);
      if (f < 0)
        f += 2 * M_PI;
      if (f >= 2 * M_PI)  /* -0 and rounding */
        f = 0;
      *phi = f;
    }
}

void
jx_frame_direction (const JxFrame *frame, double theta, double phi, double out[3])
{
  double st = sin (theta), ct = cos (theta), sp = sin (phi), cp = cos (phi);
  for (int i = 0; i < 3; i++)
    out[i] = st * cp * frame->ex[i] + st * sp * frame->ey[i] + ct * frame->ez[i];
}

JxRelative
jx_relative_to (JxP4 p, JxP4 axis)
{
  JxRelative r = { p.E, 0, 0, jx_p4_mass (p) };
  JxFrame f;
  if (jx_frame_from_axis (&f, axis))
    jx_frame_angles (&f, p, &r.theta, &r.phi);
  return r;
}
