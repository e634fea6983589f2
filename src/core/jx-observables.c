/* jx-observables.c — see jx-observables.h. */
#include "jx-observables.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const double jx_psi_radii[JX_N_PSI] = { 0.05, 0.1, 0.2, 0.3, 0.4 };

const char *const jx_observable_names[JX_N_OBSERVABLES] = {
  "n", "E", "mass", "tau1", "tau2", "tau3", "tau21", "tau32", "width",
  "psi_0.05", "psi_0.1", "psi_0.2", "psi_0.3", "psi_0.4",
  "z1", "theta1", "delta1",
};

const char *const jx_observable_descriptions[JX_N_OBSERVABLES] = {
  "multiplicity (number of subjets)",
  "jet energy E_J [GeV]",
  "jet mass m_J [GeV]",
  "N-subjettiness tau_1 (beta = 1) [rad]",
  "N-subjettiness tau_2 (beta = 1) [rad]",
  "N-subjettiness tau_3 (beta = 1) [rad]",
  "tau_21 = tau_2 / tau_1",
  "tau_32 = tau_3 / tau_2",
  "jet width (girth, = tau_1) [rad]",
  "integrated jet shape Psi(0.05)",
  "integrated jet shape Psi(0.1)",
  "integrated jet shape Psi(0.2)",
  "integrated jet shape Psi(0.3)",
  "integrated jet shape Psi(0.4)",
  "first C/A splitting z_1 = E_soft / (E_soft + E_hard)",
  "first C/A splitting theta_1 = angle(soft, mother) [rad]",
  "first C/A splitting delta_1 = angle(hard, mother) [rad]",
};

/* ---- small vector helpers ---------------------------------------------------------- */

typedef struct {
  double x, y, z;
} Vec3;

static inline Vec3
unit3 (JxP4 p)
{
  double n = sqrt (p.px * p.px + p.py * p.py + p.pz * p.pz);
  if (n > 0)
    return (Vec3) { p.px / n, p.py / n, p.pz / n };
  return (Vec3) { 0, 0, 0 };
}

static inline double
dot3 (Vec3 a, Vec3 b)
{
  return a.x * b.x + a.y * b.y + a.z * b.z;
}

/* Opening angle of two unit (or null) vectors; atan2 keeps small angles accurate where
 * acos would not. A null vector is at angle 0 to everything, as in jx_p4_angle. */
static inline double
angle3 (Vec3 a, Vec3 b)
{
  double cx = a.y * b.z - a.z * b.y;
  double cy = a.z * b.x - a.x * b.z;
  double cz = a.x * b.y - a.y * b.x;
  double s = sqrt (cx * cx + cy * cy + cz * cz), d = dot3 (a, b);
  if (s == 0 && d == 0)
    return 0.0;
  return atan2 (s, d);
}

/* 2(1 − cos θ) for unit vectors, without the cancellation of 1 − a·b at small angles. */
static inline double
chord2 (Vec3 a, Vec3 b)
{
  double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
  return dx * dx + dy * dy + dz * dz;
}

/* τ_N+1/τ_N, 0 when τ_N is 0 -- or subnormal: τ's are at most π, so a denominator of at
 * least DBL_MIN keeps the ratio finite, while a subnormal τ_N (particles carrying 1e-319 of
 * the jet's energy) gave τ32 = inf for a valid jet (fuzz-jet-arith). */
static double
tau_ratio (double num, double den)
{
  return den >= DBL_MIN ? num / den : 0.0;
}

static double
energy_sum (const JxP4 *p, size_t n)
{
  double e = 0;
  for (size_t i = 0; i < n; i++)
    e += p[i].E;
  return e;
}

static JxP4
p4_sum (const JxP4 *p, size_t n)
{
  JxP4 s = { 0, 0, 0, 0 };
  for (size_t i = 0; i < n; i++)
    s = jx_p4_add (s, p[i]);
  return s;
}

/* ---- scratch space: stack for ordinary jets, heap beyond JX_OBSERVABLES_STACK_MAX ---- */

typedef struct {
  JxP4 *q;      /* C/A pseudojets (mutable copy of the subjets) */
  Vec3 *u;      /* their directions */
  Vec3 *us;     /* directions of the subjets themselves */
  int *nn;      /* C/A nearest neighbour */
  double *nnd;  /* chord² to it */
  void *heap;
} Scratch;

typedef struct {
  JxP4 q[JX_OBSERVABLES_STACK_MAX];
  Vec3 u[JX_OBSERVABLES_STACK_MAX];
  Vec3 us[JX_OBSERVABLES_STACK_MAX];
  int nn[JX_OBSERVABLES_STACK_MAX];
  double nnd[JX_OBSERVABLES_STACK_MAX];
} ScratchBuf;

static int
scratch_init (Scratch *s, ScratchBuf *buf, size_t n)
{
  s->heap = NULL;
  if (n <= JX_OBSERVABLES_STACK_MAX)
    {
      s->q = buf->q;
      s->u = buf->u;
      s->us = buf->us;
      s->nn = buf->nn;
      s->nnd = buf->nnd;
      return 0;
    }
  size_t per = sizeof (JxP4) + 2 * sizeof (Vec3) + sizeof (double) + sizeof (int);
  if (n > SIZE_MAX / per)
    return JX_ERR_NOMEM;
  char *mem = malloc (n * per);
  if (mem == NULL)
    return JX_ERR_NOMEM;
  s->heap = mem;
  /* Largest alignment first so every array stays aligned. */
  s->q = (JxP4 *) mem;
  s->u = (Vec3 *) (s->q + n);
  s->us = s->u + n;
  s->nnd = (double *) (s->us + n);
  s->nn = (int *) (s->nnd + n);
  return 0;
}

static void
scratch_clear (Scratch *s)
{
  free (s->heap);
  s->heap = NULL;
}

/* ---- first C/A splitting ------------------------------------------------------------- */

static void
ca_rescan (const Vec3 *u, int *nn, double *nnd, size_t m, size_t k)
{
  double best = INFINITY;
  int bi = -1;
  for (size_t j = 0; j < m; j++)
    {
      if (j == k)
        continue;
      double d = chord2 (u[k], u[j]);
      if (d < best)
        {
          best = d;
          bi = (int) j;
        }
    }
  nn[k] = bi;
  nnd[k] = best;
}

/* C/A (smallest 1 − cos θ first, E-scheme) on q[0..n) until two objects are left, which end
 * in q[0], q[1]. Nearest-neighbour caching keeps it ~O(n²) instead of O(n³). n ≥ 2. */
static void
ca_until_two (JxP4 *q, Vec3 *u, int *nn, double *nnd, size_t n)
{
  for (size_t i = 0; i < n; i++)
    u[i] = unit3 (q[i]);
  if (n == 2)
    return;
  for (size_t i = 0; i < n; i++)
    ca_rescan (u, nn, nnd, n, i);
  size_t m = n;
  while (m > 2)
    {
      size_t i = 0;
      for (size_t k = 1; k < m; k++)
        if (nnd[k] < nnd[i])
          i = k;
      size_t j = (size_t) nn[i];
      size_t a = i < j ? i : j, b = i < j ? j : i;
      q[a] = jx_p4_add (q[a], q[b]);
      u[a] = unit3 (q[a]);
      size_t last = m - 1;
      if (b != last)
        {
          q[b] = q[last];
          u[b] = u[last];
          nn[b] = nn[last];
          nnd[b] = nnd[last];
        }
      m = last;
      /* nn[] still holds indices from before the move: fix them up. */
      for (size_t k = 0; k < m; k++)
        {
          if (k == a)
            continue;
          size_t t = (size_t) nn[k];
          if (t == a || t == b)
            {
              ca_rescan (u, nn, nnd, m, k);
              continue;
            }
          if (t == last)
            nn[k] = (int) b;
          double d = chord2 (u[k], u[a]);
          if (d < nnd[k])
            {
              nn[k] = (int) a;
              nnd[k] = d;
            }
        }
      ca_rescan (u, nn, nnd, m, a);
    }
}

static void
splitting_from_pair (JxP4 x0, JxP4 x1, double *z1, double *theta1, double *delta1,
                     JxP4 *soft, JxP4 *hard)
{
  /* Harder first; on equal energies the first object counts as the harder one. */
  JxP4 h = x0, s = x1;
  if (x1.E > x0.E)
    {
      h = x1;
      s = x0;
    }
  JxP4 mother = jx_p4_add (h, s);
  double e = h.E + s.E;
  *z1 = e > 0 ? s.E / e : 0.0;
  *theta1 = jx_p4_angle (s, mother);
  *delta1 = jx_p4_angle (h, mother);
  if (soft != NULL)
    *soft = s;
  if (hard != NULL)
    *hard = h;
}

static void
first_ca_splitting_scratch (const JxP4 *subjets, size_t n, Scratch *s, double *z1,
                            double *theta1, double *delta1, JxP4 *soft, JxP4 *hard)
{
  memcpy (s->q, subjets, n * sizeof *subjets);
  ca_until_two (s->q, s->u, s->nn, s->nnd, n);
  splitting_from_pair (s->q[0], s->q[1], z1, theta1, delta1, soft, hard);
}

int
jx_first_ca_splitting (const JxP4 *subjets, size_t n, double *z1, double *theta1,
                       double *delta1, JxP4 *soft, JxP4 *hard)
{
  double dz, dt, dd;
  z1 = z1 != NULL ? z1 : &dz;
  theta1 = theta1 != NULL ? theta1 : &dt;
  delta1 = delta1 != NULL ? delta1 : &dd;
  *z1 = *theta1 = *delta1 = 0;
  JxP4 zero = { 0, 0, 0, 0 };
  if (soft != NULL)
    *soft = zero;
  if (hard != NULL)
    *hard = n == 1 ? subjets[0] : zero;
  if (n < 2)
    return 0;
  /* A NaN would leave the nearest-neighbour search without a neighbour. */
  for (size_t i = 0; i < n; i++)
    if (!isfinite (subjets[i].px) || !isfinite (subjets[i].py) || !isfinite (subjets[i].pz)
        || !isfinite (subjets[i].E))
      return JX_ERR_INVALID;
  ScratchBuf buf;
  Scratch s;
  int rc = scratch_init (&s, &buf, n);
  if (rc < 0)
    return rc;
  first_ca_splitting_scratch (subjets, n, &s, z1, theta1, delta1, soft, hard);
  scratch_clear (&s);
  return 0;
}

/* ---- N-subjettiness ------------------------------------------------------------------ */

/* Σ_i E_i min_a θ_{i,a} / esum. The axis with the largest cosine is the one at the smallest
 * angle, so only one atan2 per subjet is needed. */
static double
tau_from_axes (const JxP4 *p, const Vec3 *us, size_t n, const Vec3 *axes, size_t n_axes,
               double esum)
{
  if (!(esum > 0))
    return 0.0;
  double t = 0;
  for (size_t i = 0; i < n; i++)
    {
      size_t best = 0;
      double bc = dot3 (us[i], axes[0]);
      for (size_t a = 1; a < n_axes; a++)
        {
          double c = dot3 (us[i], axes[a]);
          if (c > bc)
            {
              bc = c;
              best = a;
            }
        }
      t += p[i].E * angle3 (us[i], axes[best]);
    }
  return t / esum;
}

/* Durham distance 2 min(E_i², E_j²)(1 − cos θ_ij), up to the common factor 2. */
static double
durham_d (JxP4 a, JxP4 b)
{
  double e = a.E < b.E ? a.E : b.E;
  return e * e * chord2 (unit3 (a), unit3 (b));
}

/* One more exclusive Durham step: merge the closest pair of the three jets j[0..3) into two.
 * Going from the 3-jet to the 2-jet state is exactly the next merge of the same clustering,
 * so this saves a second full clustering. Ties: lower pair first. */
static void
durham_three_to_two (const JxP4 j[3], JxP4 out[2])
{
  double d01 = durham_d (j[0], j[1]), d02 = durham_d (j[0], j[2]), d12 = durham_d (j[1], j[2]);
  if (d01 <= d02 && d01 <= d12)
    {
      out[0] = jx_p4_add (j[0], j[1]);
      out[1] = j[2];
    }
  else if (d02 <= d12)
    {
      out[0] = jx_p4_add (j[0], j[2]);
      out[1] = j[1];
    }
  else
    {
      out[0] = j[0];
      out[1] = jx_p4_add (j[1], j[2]);
    }
}

double
jx_nsubjettiness (const JxP4 *subjets, size_t n, size_t N, JxClusterWork *work)
{
  if (N == 0 || n <= N)
    return 0.0;
  Vec3 axes_buf[8];
  JxP4 jets_buf[8];
  Vec3 *axes = axes_buf;
  JxP4 *jets = jets_buf;
  void *heap = NULL;
  if (N > 8)
    {
      heap = malloc (N * (sizeof (Vec3) + sizeof (JxP4)));
      if (heap == NULL)
        return JX_ERR_NOMEM;
      jets = heap;
      axes = (Vec3 *) (jets + N);
    }
  double result = 0;
  if (N == 1)
    jets[0] = p4_sum (subjets, n);
  else
    {
      int rc = jx_durham_exclusive (subjets, n, N, jets, NULL, work);
      if (rc < 0)
        {
          free (heap);
          return rc;
        }
    }
  for (size_t a = 0; a < N; a++)
    axes[a] = unit3 (jets[a]);
  double esum = energy_sum (subjets, n);
  if (esum > 0)
    {
      double t = 0;
      for (size_t i = 0; i < n; i++)
        {
          Vec3 u = unit3 (subjets[i]);
          double best = INFINITY;
          for (size_t a = 0; a < N; a++)
            {
              double th = angle3 (u, axes[a]);
              best = th < best ? th : best;
            }
          t += subjets[i].E * best;
        }
      result = t / esum;
    }
  free (heap);
  return result;
}

/* ---- jet shape ------------------------------------------------------------------------ */

double
jx_jet_shape_integrated (const JxP4 *p, size_t n, JxP4 axis, double r)
{
  double esum = energy_sum (p, n);
  if (!(esum > 0))
    return 0.0;
  Vec3 ua = unit3 (axis);
  double e = 0;
  for (size_t i = 0; i < n; i++)
    if (angle3 (unit3 (p[i]), ua) < r)
      e += p[i].E;
  return e / esum;
}

double
jx_jet_shape_differential (const JxP4 *p, size_t n, JxP4 axis, double r, double delta)
{
  if (!(delta > 0))
    return 0.0;
  return (jx_jet_shape_integrated (p, n, axis, r + 0.5 * delta)
          - jx_jet_shape_integrated (p, n, axis, r - 0.5 * delta)) / delta;
}

/* ---- everything at once --------------------------------------------------------------- */

int
jx_observables_compute (const JxP4 *subjets, size_t n, JxObservables *out,
                        JxClusterWork *work, JxError *err)
{
  memset (out, 0, sizeof *out);
  if (subjets == NULL || n == 0)
    return jx_error_set (err, JX_ERR_INVALID,
                         "observables: the jet has no subjets (check the subjet cuts E_sub/R_sub)");
  for (size_t i = 0; i < n; i++)
    {
      JxP4 p = subjets[i];
      if (!isfinite (p.E) || !isfinite (p.px) || !isfinite (p.py) || !isfinite (p.pz)
          || p.E < 0)
        return jx_error_set (err, JX_ERR_INVALID,
                             "observables: subjet %zu has a non-finite or negative-energy "
                             "momentum (%g, %g, %g, %g)", i, p.E, p.px, p.py, p.pz);
    }

  ScratchBuf buf;
  Scratch s;
  if (scratch_init (&s, &buf, n) < 0)
    return jx_error_set (err, JX_ERR_NOMEM,
                         "observables: out of memory for a jet with %zu subjets", n);

  JxP4 jet = p4_sum (subjets, n);
  out->n = n;
  out->E = jet.E;
  out->mass = jx_p4_mass (jet);
  double esum = jet.E;

  /* τ1 (axis P̂_J) and Ψ(r) share the angles to the jet axis. */
  Vec3 uj = unit3 (jet);
  double t1 = 0;
  for (size_t i = 0; i < n; i++)
    {
      s.us[i] = unit3 (subjets[i]);
      double th = angle3 (s.us[i], uj);
      t1 += subjets[i].E * th;
      for (int k = 0; k < JX_N_PSI; k++)
        if (th < jx_psi_radii[k])
          out->psi[k] += subjets[i].E;
    }
  if (esum > 0)
    {
      for (int k = 0; k < JX_N_PSI; k++)
        out->psi[k] /= esum;
      out->tau1 = n > 1 ? t1 / esum : 0.0;
    }
  out->width = out->tau1;

  /* One Durham clustering to three jets serves τ3 and, one merge later, τ2. */
  if (n > 2)
    {
      JxP4 three[3], two[2];
      if (n > 3)
        {
          int rc = jx_durham_exclusive (subjets, n, 3, three, NULL, work);
          if (rc < 0)
            {
              scratch_clear (&s);
              memset (out, 0, sizeof *out);
              return jx_error_set (err, rc, "observables: Durham clustering of %zu subjets "
                                   "failed (%s)", n, jx_status_name (rc));
            }
          Vec3 a3[3] = { unit3 (three[0]), unit3 (three[1]), unit3 (three[2]) };
          out->tau3 = tau_from_axes (subjets, s.us, n, a3, 3, esum);
        }
      else
        memcpy (three, subjets, sizeof three);
      durham_three_to_two (three, two);
      Vec3 a2[2] = { unit3 (two[0]), unit3 (two[1]) };
      out->tau2 = tau_from_axes (subjets, s.us, n, a2, 2, esum);
    }
  out->tau21 = tau_ratio (out->tau2, out->tau1);
  out->tau32 = tau_ratio (out->tau3, out->tau2);

  if (n >= 2)
    first_ca_splitting_scratch (subjets, n, &s, &out->z1, &out->theta1, &out->delta1,
                                NULL, NULL);
  scratch_clear (&s);
  return 0;
}

/* ---- table view ----------------------------------------------------------------------- */

void
jx_observables_row (const JxObservables *obs, double row[JX_N_OBSERVABLES])
{
  int k = 0;
  row[k++] = (double) obs->n;
  row[k++] = obs->E;
  row[k++] = obs->mass;
  row[k++] = obs->tau1;
  row[k++] = obs->tau2;
  row[k++] = obs->tau3;
  row[k++] = obs->tau21;
  row[k++] = obs->tau32;
  row[k++] = obs->width;
  for (int i = 0; i < JX_N_PSI; i++)
    row[k++] = obs->psi[i];
  row[k++] = obs->z1;
  row[k++] = obs->theta1;
  row[k++] = obs->delta1;
}

int
jx_observable_index (const char *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; i < JX_N_OBSERVABLES; i++)
    if (strcmp (name, jx_observable_names[i]) == 0)
      return i;
  if (strcmp (name, "m") == 0)
    return 2;
  if (strcmp (name, "mult") == 0 || strcmp (name, "multiplicity") == 0)
    return 0;
  return -1;
}
