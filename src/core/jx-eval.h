/* jx-eval.h — clustering a dataset into JUNIPR trees and scoring it with a model.
 *
 * jx_tree_set_build turns every jet of a dataset into its tree once (the trainer keeps
 * them for all epochs). A jet that fails the subjet step (nothing left above E_sub, or bad
 * input) or has more particles than the model's maximum M is an error naming the jet, unless
 * the caller asks to skip such jets; skipped jets are marked and counted.
 *
 * jx_evaluate scores every jet (ln P_jet and optionally the per-step terms) on several threads
 * into a JxScores. Jets that cannot be scored are marked in the scores (status, NaN) rather than
 * failing the whole run. Warnings about a model/data mismatch go to the caller's warning
 * function, one line each naming both values: mean jet energy far (×2) from the model's
 * scaling constant E_jet; a dataset attribute "algorithm" other than the model's; dataset
 * "esub"/"rsub" attributes (as the generator writes them) coarser than the model's subjet
 * step; an "e_jet" attribute other than the model's; evaluating with another clustering.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-progress.h"
#include "jx-scores.h"
#include "jx-tree.h"

typedef struct {
  size_t n_jets;
  JxTree *trees;       /* [n_jets]; empty (n = 0) for a skipped jet */
  int32_t *status;     /* [n_jets] JxJetStatus */
  size_t n_ok, n_bad, n_long;
  size_t first_jet;    /* the data's first_jet: messages name jets by their index in the file */
} JxTreeSet;

/* threads ≤ 0: all CPUs. max_mult: the model's M (jets with n > M are JX_JET_LONG). */
int jx_tree_set_build (JxTreeSet *set, const JxDataset *data, const JxClusterOptions *clustering,
                       int max_mult, bool skip_bad, bool skip_long, int threads,
                       JxProgress *progress, JxError *err);
void jx_tree_set_free (JxTreeSet *set);

/* Jets are scored JX_EVAL_CHUNK at a time, from position 0 of the list in steps of this many
 * (whatever the threads): their network layers run as one GEMM, whose rounding depends in
 * the last bits on the chunk's other jets. The ranks of a job therefore split lists at
 * multiples of it, so that they score the chunks one process scores, to the bit. */
#define JX_EVAL_CHUNK 32

typedef void (*JxWarnFunc) (void *user, const char *message);

typedef struct {
  bool per_step;                        /* also the per-step terms */
  int threads;                          /* ≤ 0: all CPUs */
  const JxClusterOptions *clustering;   /* NULL: the model's own (meta->clustering) */
  const char *model_name, *data_name;   /* provenance attributes of the scores (may be NULL) */
  JxWarnFunc warn;                      /* may be NULL */
  void *warn_user;
} JxEvalOptions;

void jx_eval_options_default (JxEvalOptions *opt);

/* Calls warn for each mismatch between what the model was trained for and the data. Returns
 * the number of warnings. clustering: what the data will be clustered with (NULL: the model's). */
int jx_eval_check_compat (const JxModel *model, const JxModelMeta *meta, const JxDataset *data,
                          const JxClusterOptions *clustering, JxWarnFunc warn, void *warn_user);
/* The same with the data's mean jet energy given (NaN: no jets), e.g. over the shares of all
 * ranks of a job; data then only lends its attributes. */
int jx_eval_check_compat_mean (const JxModel *model, const JxModelMeta *meta, const JxDataset *data,
                               double mean_energy, const JxClusterOptions *clustering,
                               JxWarnFunc warn, void *warn_user);
/* Σ E over every particle of every jet, in order. */
double jx_eval_energy_sum (const JxDataset *data);

/* scores: initialized by this call (free with jx_scores_free, also after an error). */
int jx_evaluate (const JxModel *model, const JxModelMeta *meta, const JxDataset *data,
                 const JxEvalOptions *opt, JxScores *scores, JxProgress *progress, JxError *err);

/* Σ_i ln P(tree idx[i]) over n trees of a set, on `threads` threads (caller provides
 * `threads` work buffers), summed in index order, so the result does not depend on the
 * thread count. log_p (optional, [n]) receives the terms. Used for validation losses. */
int jx_eval_sum_log_prob (const JxModel *model, const JxTreeSet *set, const size_t *idx, size_t n,
                          int threads, JxModelWork **works, double *log_p, double *sum,
                          JxProgress *progress, JxError *err);
/* The same over trees[0..n) given by pointer; errors name jet names[i]. */
int jx_eval_sum_log_prob_trees (const JxModel *model, const JxTree *const *trees,
                                const size_t *names, size_t n, int threads, JxModelWork **works,
                                double *log_p, double *sum, JxProgress *progress, JxError *err);
