/* fuzz-jet-arith.c — no NaN from a valid jet (issue #15 item 4). The bytes become a jet
 * (parametric momenta over 24 decades, copies and collinear or back-to-back partners of
 * earlier particles, zero momenta, or raw doubles) and cluster options (algorithm, ee or pp
 * metric, subjet cuts); when jx_jet_validate
 * accepts the jet, every number that reaches an output -- the tree's momenta and branchings
 * (cluster --json), the observables (observables CSV) and the scaled network inputs -- must
 * be finite, branchings within their ranges. */
#include <math.h>
#include <string.h>

#include "jx-dataset.h"
#include "jx-fuzz.h"
#include "jx-observables.h"
#include "jx-scaling.h"
#include "jx-tree.h"

/* Clustering and the observables cost ~N³ comparisons, each traced by the fuzzer: 32
 * particles (chains of collinear copies, back-to-back pairs, 24 decades of energy) keep the
 * search at ~10⁴ jets a second where 64 gave ~10³. */
#define MAX_PARTICLES 32

typedef struct {
  const uint8_t *p;
  size_t n;
} Bytes;

static unsigned
take (Bytes *b)
{
  if (b->n == 0)
    return 0;
  b->n--;
  return *b->p++;
}

/* A uniform number in [0, 1] from two bytes. */
static double
unit (Bytes *b)
{
  unsigned hi = take (b), lo = take (b);
  return (double) (hi << 8 | lo) / 65535.0;
}

static double
raw_double (Bytes *b)
{
  uint64_t bits = 0;
  for (int i = 0; i < 8; i++)
    bits = bits << 8 | take (b);
  double d;
  memcpy (&d, &bits, sizeof d);
  return d;
}

static JxP4
next_particle (Bytes *b, const JxP4 *prev, size_t n_prev)
{
  JxP4 last = n_prev > 0 ? prev[n_prev - 1] : jx_p4 (1, 0, 0, 1);
  switch (take (b) % 6)
    {
    case 0:
      return jx_p4 (raw_double (b), raw_double (b), raw_double (b), raw_double (b));
    case 1:
      return last;
    case 2:
      return jx_p4_scale (last, pow (10, -6 + 12 * unit (b)));
    case 3:
      return jx_p4 (last.E, -last.px, -last.py, -last.pz);
    case 4:
      return jx_p4 (0, 0, 0, 0);
    default:
      {
        double E = pow (10, -12 + 24 * unit (b));
        double theta = M_PI * unit (b), phi = 2 * M_PI * unit (b);
        double mass_frac = take (b) < 128 ? 0 : unit (b);
        double p = E * sqrt (1 - mass_frac * mass_frac);
        return jx_p4 (E, p * sin (theta) * cos (phi), p * sin (theta) * sin (phi),
                      p * cos (theta));
      }
    }
}

static void
check_tree (const JxTree *t, const JxClusterOptions *opt)
{
  for (size_t i = 0; i < 2 * t->n - 1; i++)
    {
      JxP4 p = t->nodes[i].p;
      JX_FUZZ_ASSERT (isfinite (p.E) && isfinite (p.px) && isfinite (p.py) && isfinite (p.pz),
                      "node %zu not finite (algorithm %d)", i, (int) opt->algorithm);
    }
  JxScaling s;
  jx_scaling_default (&s);
  for (size_t k = 0; k + 1 < t->n; k++)
    {
      const JxStep *st = &t->steps[k];
      const JxBranching *x = &st->x;
      JX_FUZZ_ASSERT (x->z >= 0 && x->z <= 1, "step %zu: z = %g", k, x->z);
      JX_FUZZ_ASSERT (x->theta >= 0 && x->theta <= M_PI, "step %zu: theta = %g", k, x->theta);
      JX_FUZZ_ASSERT (x->delta >= 0 && x->delta <= M_PI, "step %zu: delta = %g", k, x->delta);
      JX_FUZZ_ASSERT (x->phi >= 0 && x->phi <= 2 * M_PI, "step %zu: phi = %g", k, x->phi);
      JX_FUZZ_ASSERT (st->mother_index >= 0 && (size_t) st->mother_index <= k,
                      "step %zu: mother index %d", k, st->mother_index);
      double scaled[4];
      jx_scale_branching (&s, x, scaled);
      for (int c = 0; c < 4; c++)
        JX_FUZZ_ASSERT (isfinite (scaled[c]), "step %zu: scaled branching %d = %g", k, c,
                        scaled[c]);
      JxRelative r = jx_relative_to (t->nodes[st->daughter[1]].p, t->nodes[t->root].p);
      jx_scale_momentum (&s, &r, scaled);
      for (int c = 0; c < 4; c++)
        JX_FUZZ_ASSERT (isfinite (scaled[c]), "step %zu: scaled daughter %d = %g", k, c,
                        scaled[c]);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Bytes b = { data, size };
  JxClusterOptions opt;
  jx_cluster_options_default (&opt);
  unsigned o = take (&b);
  opt.algorithm = (JxAlgorithm) (o % 4);
  opt.esub = (o >> 2) % 4 == 0 ? 0 : pow (10, -3 + 5 * unit (&b));
  opt.rsub = (o >> 4) % 4 == 0 ? 0 : M_PI * unit (&b);
  opt.metric = (o >> 6) % 2 == 0 ? JX_METRIC_EE : JX_METRIC_PP;
  JxP4 jet[MAX_PARTICLES];
  size_t n = 0;
  while (b.n > 0 && n < MAX_PARTICLES)
    {
      jet[n] = next_particle (&b, jet, n);
      n++;
    }
  JxError err;
  if (jx_jet_validate (jet, n, 0, &err) != 0)
    return 0;
  JxClusterWork *work = jx_cluster_work_new ();
  JxTree tree = { 0 };
  if (jx_tree_build (&tree, jet, n, &opt, work, &err) == 0)
    check_tree (&tree, &opt);
  jx_tree_free (&tree);

  JxP4 sub[MAX_PARTICLES];
  size_t kept = 0;
  JxObservables obs;
  if (jx_subjets_metric (jet, n, opt.metric, opt.rsub, opt.esub, sub, &kept, work) == 0 && kept > 0
      && jx_observables_compute (sub, kept, &obs, work, &err) == 0)
    {
      double row[JX_N_OBSERVABLES];
      jx_observables_row (&obs, row);
      for (int k = 0; k < JX_N_OBSERVABLES; k++)
        JX_FUZZ_ASSERT (isfinite (row[k]), "observable %s = %g", jx_observable_names[k], row[k]);
    }
  jx_cluster_work_free (work);
  return 0;
}
