/* jx-jetstats.h — per-jet analysis of a whole dataset under one clustering: the observables
 * table (every jet's subjets, then its observables), the jet momenta that seed sampled
 * showers and the branchings of the trees. Whether a table is of a given clustering is
 * jx_cluster_options_equal (jx-tree.h), the one "same clustering" predicate.
 *
 * A jet's row is computed in three steps, each of which can fail for that jet alone:
 *  1. jx_jet_validate (finite momenta, E ≥ 0, not spacelike beyond rounding);
 *  2. the subjet step of the clustering (C/A at R_sub in its metric, keep E ≥ E_sub;
 *     jx_subjets_metric);
 *  3. jx_observables_compute on the kept subjets.
 * A failed jet gets a row of NaN and its JxStatus in status[]; the failures are counted and
 * the lowest-numbered one keeps its message (naming the jet). Running out of memory or a
 * cancel fails the whole table instead. The tree algorithm of the clustering does not change
 * the observables (they are functions of the subjets); it is stored with the table so callers
 * can tell which clustering a table belongs to.
 *
 * Threads: jets are split into contiguous blocks, one per thread; every row depends on its
 * jet only, so the table is bit-identical for any thread count. Progress is reported from
 * the calling thread, cancel is checked every few hundred jets per thread.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-cluster.h"
#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-observables.h"
#include "jx-progress.h"
#include "jx-tree.h"

typedef struct {
  size_t first;                  /* row r is jet first + r of the dataset */
  size_t n_jets;                 /* rows */
  JxClusterOptions clustering;   /* what the table was computed with */
  double *values;                /* [n_jets × JX_N_OBSERVABLES] in jx_observable_names order */
  int32_t *status;               /* [n_jets]: 0, or the JxStatus of the jet's failure */
  size_t n_failed;               /* rows of NaN */
  JxError first_error;           /* the lowest-numbered failure (code 0 when none) */
} JxJetStats;

void jx_jetstats_init (JxJetStats *st);
void jx_jetstats_free (JxJetStats *st);   /* frees and re-initializes */

/* The table of jets [first, last) of ds. st is initialized here (free it also after an
 * error). Messages name a jet by its index in the file, ds->first_jet + its index in ds, so a
 * chunk of a jx-dataset-stream names its jets as the whole file would. threads ≤ 0: all CPUs. Fails (JX_ERR_INVALID) for a range outside the dataset,
 * JX_ERR_NOMEM, JX_ERR_CANCELLED. */
int jx_jetstats_compute (JxJetStats *st, const JxDataset *ds, size_t first, size_t last,
                         const JxClusterOptions *clustering, int threads, JxProgress *progress,
                         JxError *err);

/* Row r (JX_N_OBSERVABLES values). */
static inline const double *
jx_jetstats_row (const JxJetStats *st, size_t r)
{
  return st->values + r * JX_N_OBSERVABLES;
}

/* One value; column as in jx_observable_names (jx_observable_index). */
static inline double
jx_jetstats_value (const JxJetStats *st, size_t r, int column)
{
  return st->values[r * JX_N_OBSERVABLES + (size_t) column];
}

/* Row r as a JxObservables (for the baselines); a failed jet gives n = 0 and NaN values. */
void jx_jetstats_observables (const JxJetStats *st, size_t r, JxObservables *out);

/* One jet (index names it in messages): steps 1–3 above. scratch: room for n momenta;
 * work may be NULL. Returns 0, or the jet's failure (JX_ERR_INVALID with a message naming the
 * jet), or JX_ERR_NOMEM. */
int jx_jetstats_jet (const JxP4 *particles, size_t n, size_t index,
                     const JxClusterOptions *clustering, JxP4 *scratch, JxClusterWork *work,
                     JxObservables *out, JxError *err);

/* ---- branchings --------------------------------------------------------------------- */

/* z and θ of every branching of the trees of jets [first, last) under clustering, jet after
 * jet (step order within a jet); jets that cannot be clustered add none and are counted in
 * *n_failed. *z and *theta are malloc'd [*n]. For the validation plots (Figs. 7–9). */
int jx_jetstats_branchings (const JxDataset *ds, size_t first, size_t last,
                            const JxClusterOptions *clustering, int threads, double **z,
                            double **theta, size_t *n, size_t *n_failed, JxProgress *progress,
                            JxError *err);

/* ---- seeds of sampled showers ------------------------------------------------------- */

/* Why jets were left out of the seeds. */
typedef struct {
  size_t n_invalid;     /* bad momenta (jx_jet_validate) */
  size_t n_no_subjets;  /* nothing above E_sub */
  size_t n_massless;    /* |m²| ≤ JX_M2_ROUNDING·E² (one particle, or collinear ones) */
  size_t n_spacelike;   /* m² < −JX_M2_ROUNDING·E² */
} JxSeedSkips;

static inline size_t
jx_seed_skips_total (const JxSeedSkips *s)
{
  return s->n_invalid + s->n_no_subjets + s->n_massless + s->n_spacelike;
}

/* The momenta of the jets of ds as a model of this clustering sees them: the sum of the
 * kept subjets. A jet that cannot seed a shower (it could not split) is skipped and counted
 * in skips. *seeds is malloc'd (free it), *n_seeds ≤ ds->n_jets and may be 0. Fails only for
 * JX_ERR_NOMEM or JX_ERR_CANCELLED (threads and progress as in jx_jetstats_compute). */
int jx_jetstats_seeds (const JxDataset *ds, const JxClusterOptions *clustering, int threads,
                       JxP4 **seeds, size_t *n_seeds, JxSeedSkips *skips,
                       JxProgress *progress, JxError *err);

/* One line such as "29 jets cannot seed a shower (29 massless: a single particle)" into buf
 * (empty when nothing was skipped). */
void jx_seed_skips_describe (const JxSeedSkips *s, char *buf, size_t size);
