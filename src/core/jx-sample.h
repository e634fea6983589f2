/* jx-sample.h — drawing jets from a JUNIPR model, one emission at a time (DESIGN.md §4).
 *
 * Starting from a seed momentum (the jet), each state t draws:
 *   1. end: stop with probability P_end(1|h_t);
 *   2. the mother among the t energy-ordered candidates (P_mother);
 *   3. the branching cell (joint: one draw over G⁴ cells; factorized: z, θ, δ, φ in turn,
 *      each head conditioned on the scaled values already fixed);
 *   4. a point inside the cell: by default "massless" placement — δ where the soft (else the
 *      hard) daughter comes out massless when the cell holds such a point, θ kept below the
 *      angle of a split into two massless daughters, z kept where the soft daughter has
 *      E ≥ E_sub (jx-sample-massless.h says why); otherwise uniform in scaled coordinates,
 *      or with the linearly interpolated density of jx_sample_in_cell_linear (the paper's);
 * then inverts the scaling and builds the daughters (jx_sample_daughters). A draw that would
 * give a daughter a negative mass² is rejected and mother and branching are drawn again
 * ("redrawn", counted); after max_redraws rejections in one state the jet stops there
 * (status STUCK). A jet also stops when it reaches max_length particles (TRUNCATED), and
 * ends when no particle of the state can split (no mass; with massless placement, also
 * E < 2 E_sub): mothers are drawn among those that can.
 *
 * Every step keeps its draw (mother position, branching, cell), so a shower can be replayed
 * exactly from the seed (jx_sample_replay). log_p of a sampled jet is the model's ln P of the
 * resulting tree including the final end term — equal to jx_model_log_prob of the tree; it is
 * the model probability, not the sampling probability when draws were redrawn.
 *
 * Randomness: jet i uses jx-rng stream i of the seed, so results do not depend on the
 * thread count.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-massless-rates.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-progress.h"
#include "jx-rng.h"
#include "jx-tree.h"

typedef enum { JX_CELL_UNIFORM = 0, JX_CELL_LINEAR = 1, JX_CELL_MASSLESS = 2 } JxCellSampling;

/* "uniform" / "linear" / "massless" */
const char *jx_cell_sampling_name (JxCellSampling mode);
int jx_cell_sampling_parse (const char *name, JxCellSampling *out, JxError *err);

typedef struct {
  JxCellSampling cell;   /* default massless */
  JxMasslessRates massless;  /* its rates: the model's (JxModelMeta.massless) when measured;
                                default jx_massless_rates_default */
  int max_length;        /* most final particles per jet; ≤ 0 or > M: the model's M */
  int max_redraws;       /* rejected draws allowed in one state before the jet stops; 1000 */
  int threads;           /* ≤ 0: all CPUs */
} JxSampleOptions;

void jx_sample_options_default (JxSampleOptions *opt);

/* Use the massless rates measured on the model's training data (meta->massless), when its
 * file has them; otherwise opt keeps the defaults. */
void jx_sample_options_use_meta (JxSampleOptions *opt, const JxModelMeta *meta);

typedef enum {
  JX_SAMPLE_ENDED = 0,      /* the end draw said stop */
  JX_SAMPLE_TRUNCATED = 1,  /* reached max_length */
  JX_SAMPLE_STUCK = 2,      /* max_redraws rejected draws in one state */
} JxSampleStatus;

typedef struct {
  int mother_index;   /* m_t: position of the mother in the energy-ordered state */
  JxBranching x;      /* (z, θ, φ, δ) */
  int cell;           /* cell ((i_z·G + i_θ)·G + i_φ)·G + i_δ of x, G = jx_model_branch_grid */
  double log_prob;    /* ln [P_end(0|h_t) · P_mother(m_t|h_t) · P_branch(x_t)] */
  int redrawn;        /* rejected draws in this state */
} JxSampleStep;

/* Samples of many jets. The particles of jet i (data) are the leaves of its tree in the
 * final state's energy order (descending), as jx_sample_replay builds them. */
typedef struct {
  JxDataset data;          /* final particles */
  size_t n_jets;
  JxP4 *seed;              /* [n_jets] jet momenta the showers started from */
  double *log_p;           /* [n_jets] */
  int32_t *status;         /* [n_jets] JxSampleStatus */
  int32_t *n_redrawn;      /* [n_jets] */
  uint64_t *step_offsets;  /* [n_jets + 1]; jet i owns steps[offsets[i] .. offsets[i+1]) */
  JxSampleStep *steps;
  size_t total_redrawn, n_truncated, n_stuck;
} JxSampleSet;

void jx_sample_set_init (JxSampleSet *set);
void jx_sample_set_free (JxSampleSet *set);

/* The two daughters of mother for branching x (DESIGN.md §4): energies (1−z)E and zE, soft
 * at (θ, φ) and hard at (δ, φ+π) around the mother, |p_soft| = |p| sin δ / sin(θ+δ),
 * |p_hard| = |p| sin θ / sin(θ+δ). Returns false (daughters unset) when a daughter would get
 * a negative mass² or θ+δ ≥ π. */
bool jx_sample_daughters (JxP4 mother, const JxBranching *x, JxP4 *hard, JxP4 *soft);

/* A point u ∈ (0, 1) inside a bin whose density is linear between the bin's centre (value
 * mid) and its edges (the averages with the neighbours left, right). An absent neighbour
 * is passed as mid (flat half). */
double jx_sample_in_cell_linear (JxRng *rng, double left, double mid, double right);

/* A jet of energy E and mass m along +z. */
JxP4 jx_sample_seed_along_z (double energy, double mass);

/* One jet. work may be NULL (the heads run through jx-model-step.h, which needs none). tree
 * (optional) receives the sampled tree (free with jx_tree_free); steps (optional) receives a
 * malloc'd array of n−1 steps. Either may be NULL. */
int jx_sample_jet (const JxModel *model, JxP4 seed, const JxSampleOptions *opt, JxRng *rng,
                   JxModelWork *work, JxTree *tree, JxSampleStep **steps, double *log_p,
                   JxSampleStatus *status, int *n_redrawn, JxError *err);

/* n_jets jets; jet i starts from seeds[0] when n_seeds = 1, else from a seed drawn uniformly
 * from seeds with the jet's own stream. set is initialized here (free it also on error). */
int jx_sample_run (const JxModel *model, const JxP4 *seeds, size_t n_seeds, size_t n_jets,
                   uint64_t seed, const JxSampleOptions *opt, JxSampleSet *set,
                   JxProgress *progress, JxError *err);
/* Jets first .. first + n_jets − 1 of such a run (each from its own stream, so the parts of
 * a run split over the ranks of a job are the run's jets): set holds them from 0. */
int jx_sample_run_part (const JxModel *model, const JxP4 *seeds, size_t n_seeds, size_t first,
                        size_t n_jets, uint64_t seed, const JxSampleOptions *opt,
                        JxSampleSet *set, JxProgress *progress, JxError *err);

/* Rebuild jet i's tree from its seed and steps (no model needed). */
int jx_sample_replay (const JxP4 seed, const JxSampleStep *steps, size_t n_steps, JxTree *tree,
                      JxError *err);

/* File: a junipr-dataset (the final particles, readable by every dataset reader) plus
 *   /sample/seed           float64 [N, 4]  jet momenta
 *   /sample/log_p          float64 [N]     ln P_jet under the model
 *   /sample/status         int32   [N]     0 ended, 1 truncated at max length, 2 stuck
 *   /sample/n_redrawn      int32   [N]
 *   /sample/step_offsets   uint64  [N+1]
 *   /sample/mother_index   int32   [S]     m_t
 *   /sample/branching      float64 [S, 4]  (z, θ, φ, δ)
 *   /sample/cell           int32   [S]
 *   /sample/step_log_prob  float64 [S]
 *   /sample/step_redrawn   int32   [S]
 * with the dataset's attributes on "/" (set->data.attrs). Atomic. */
int jx_sample_write (const JxSampleSet *set, const char *path, JxProgress *progress,
                     JxError *err);
/* Reads a file written by jx_sample_write (JX_ERR_FORMAT naming the file when /sample is
 * missing: a plain dataset). */
int jx_sample_read (JxSampleSet *set, const char *path, JxProgress *progress, JxError *err);
