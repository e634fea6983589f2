/* jx-momentum.h — four-momenta and angles in e+e- conventions (DESIGN.md §3).
 *
 * A JxP4 is (E, px, py, pz) in GeV; metric (+,−,−,−). Angles are 3D opening angles.
 * The azimuth convention around a reference direction n matches the public JUNIPR
 * code: e_z = n, e_x = normalize((0,1,0) × e_z) (or (1,0,0) × e_z when n ∥ y),
 * e_y = e_z × e_x, φ = atan2(p·e_y, p·e_x) in [0, 2π).
 */
#pragma once

#include <math.h>
#include <stddef.h>
#include <stdbool.h>

typedef struct {
  double E, px, py, pz;
} JxP4;

/* Largest |E|, |px|, |py|, |pz| in GeV a momentum may have: small enough that squares and
 * products of squares of sums of millions of momenta stay finite (1e300 GeV made masses and
 * angles NaN), and far beyond anything physical (cosmic rays stop near 1e11 GeV), so only
 * damage or garbage is refused. */
#define JX_P4_MAX 1e30

static inline JxP4
jx_p4 (double E, double px, double py, double pz)
{
  return (JxP4) { E, px, py, pz };
}

static inline JxP4
jx_p4_add (JxP4 a, JxP4 b)
{
  return (JxP4) { a.E + b.E, a.px + b.px, a.py + b.py, a.pz + b.pz };
}

static inline JxP4
jx_p4_sub (JxP4 a, JxP4 b)
{
  return (JxP4) { a.E - b.E, a.px - b.px, a.py - b.py, a.pz - b.pz };
}

static inline JxP4
jx_p4_scale (JxP4 a, double s)
{
  return (JxP4) { s * a.E, s * a.px, s * a.py, s * a.pz };
}

/* Every component finite and within ±JX_P4_MAX. */
static inline bool
jx_p4_in_range (JxP4 a)
{
  return fabs (a.E) <= JX_P4_MAX && fabs (a.px) <= JX_P4_MAX && fabs (a.py) <= JX_P4_MAX
         && fabs (a.pz) <= JX_P4_MAX;  /* false for NaN */
}

/* Minkowski product a·b = a⁰b⁰ − a⃗·b⃗. */
static inline double
jx_p4_dot (JxP4 a, JxP4 b)
{
  return a.E * b.E - a.px * b.px - a.py * b.py - a.pz * b.pz;
}

static inline double
jx_p4_p2 (JxP4 a)
{
  return a.px * a.px + a.py * a.py + a.pz * a.pz;
}

static inline double
jx_p4_p (JxP4 a)
{
  return sqrt (jx_p4_p2 (a));
}

static inline double
jx_p4_m2 (JxP4 a)
{
  return a.E * a.E - jx_p4_p2 (a);
}

/* |m²| ≤ JX_M2_ROUNDING·E² is what rounding leaves of a massless momentum or a sum of
 * collinear massless ones (a single particle stored in double precision comes back with
 * m² ~ ±1e-16 E²·n): such an m² counts as 0. */
#define JX_M2_ROUNDING 1e-9

/* m² with the rounding band around 0 set to 0 (negative only for a clearly spacelike vector). */
static inline double
jx_p4_m2_rounded (JxP4 a)
{
  double m2 = jx_p4_m2 (a);
  return fabs (m2) <= JX_M2_ROUNDING * a.E * a.E ? 0.0 : m2;
}

/* Invariant mass, 0 for (slightly) spacelike vectors from rounding. */
static inline double
jx_p4_mass (JxP4 a)
{
  double m2 = jx_p4_m2 (a);
  return m2 > 0 ? sqrt (m2) : 0.0;
}

/* cos of the 3D opening angle; 1 if either 3-momentum vanishes. */
double jx_p4_cos_angle (JxP4 a, JxP4 b);

/* 3D opening angle in [0, π], accurate also for tiny angles (uses atan2(|a×b|, a·b)). */
double jx_p4_angle (JxP4 a, JxP4 b);

/* An orthonormal frame with e_z along a reference direction. */
typedef struct {
  double ex[3], ey[3], ez[3];
} JxFrame;

/* Build the frame around the 3-direction of axis. Returns false if axis has no 3-momentum. */
bool jx_frame_from_axis (JxFrame *frame, JxP4 axis);

/* θ ∈ [0, π] to e_z and φ ∈ [0, 2π) around it, for the 3-momentum of p. */
void jx_frame_angles (const JxFrame *frame, JxP4 p, double *theta, double *phi);

/* The unit 3-vector at (θ, φ) in the frame, written to out[3]. */
void jx_frame_direction (const JxFrame *frame, double theta, double phi, double out[3]);

/* (E, θ, φ, m) of p relative to the direction of axis (the jet axis or a mother). */
typedef struct {
  double E, theta, phi, m;
} JxRelative;

JxRelative jx_relative_to (JxP4 p, JxP4 axis);
