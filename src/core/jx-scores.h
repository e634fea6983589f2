/* jx-scores.h — per-jet (and per-step) log-likelihoods of a dataset under a model, in memory
 * and in "junipr-scores" HDF5 files (DESIGN.md §5).
 *
 * File layout (attributes format = "junipr-scores", version = 1, log_base = "e" on "/"):
 *   /jets/log_p        float64 [N]   ln P_jet (natural log); NaN for a jet that was not scored
 *   /jets/log10_p      float64 [N]   the same in log10 (= log_p / ln 10), for convenience
 *   /jets/status       int32   [N]   0 scored, 1 no particle left after the subjet step or bad
 *                                    input, 2 more particles than the model's maximum M
 *   /jets/n            int32   [N]   JUNIPR particles of the jet (after the subjet step; 0 if bad)
 * optional, with --per-step (jet i owns rows offsets[i] .. offsets[i+1]−1, one row per state
 * t = 1..n; the last row of a jet holds only its end term):
 *   /steps/offsets     uint64  [N+1]
 *   /steps/log_end     float64 [S]   ln P_end(0|h_t) for t < n, ln P_end(1|h_n) at t = n
 *   /steps/log_mother  float64 [S]   ln P_mother(m_t|h_t) (0 at t = n)
 *   /steps/log_branch  float64 [S]   ln P_branch(x_t|k_m, h_t) (0 at t = n)
 *   /steps/log_branch_parts float64 [S, 4]  factorized z, θ, δ, φ parts (zeros for joint)
 * plus string attributes on "/" naming the model and data files and the clustering used.
 * In h5py: f = h5py.File(p); lp = f["jets/log_p"][:].
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-dataset.h"
#include "jx-error.h"

#define JX_SCORES_FORMAT "junipr-scores"
#define JX_SCORES_VERSION 1

typedef enum {
  JX_JET_SCORED = 0,
  JX_JET_BAD = 1,   /* nothing left after the subjet step, or non-finite input */
  JX_JET_LONG = 2,  /* more particles than the model's maximum multiplicity */
} JxJetStatus;

typedef struct {
  size_t n_jets;
  double *log_p;            /* [n_jets] natural log; NaN where status != 0 */
  int32_t *status;          /* [n_jets] JxJetStatus */
  int32_t *n;               /* [n_jets] JUNIPR particles */
  /* per-step (all NULL when absent) */
  uint64_t *step_offsets;   /* [n_jets + 1] */
  double *log_end, *log_mother, *log_branch;  /* [step_offsets[n_jets]] */
  double *log_branch_parts; /* [step_offsets[n_jets] * 4] */
  JxAttr *attrs;            /* provenance (model, data, clustering ...), [n_attrs] */
  size_t n_attrs;
} JxScores;

void jx_scores_init (JxScores *s);
void jx_scores_free (JxScores *s);   /* frees and re-initializes */

/* Allocate the per-jet arrays for n_jets (log_p NaN, status 0, n 0). */
int jx_scores_alloc (JxScores *s, size_t n_jets, JxError *err);
/* Allocate the per-step arrays for the offsets already in s->step_offsets. */
int jx_scores_alloc_steps (JxScores *s, JxError *err);

int jx_scores_set_attr (JxScores *s, const char *key, const char *value, JxError *err);
const char *jx_scores_get_attr (const JxScores *s, const char *key);

size_t jx_scores_n_scored (const JxScores *s);

int jx_scores_write (const JxScores *s, const char *path, JxError *err);    /* atomic */
/* Refuses values no junipr program writes (unknown status, a scored jet without a finite
 * ln P, non-finite or negative weights), naming the file, dataset and jet. */
int jx_scores_read (JxScores *s, const char *path, JxError *err);
/* Weights (of a reweight file) are finite and >= 0; JX_ERR_FORMAT naming the jet. */
int jx_scores_check_weights (const double *w, size_t n, JxError *err);
