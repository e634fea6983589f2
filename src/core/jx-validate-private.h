/* jx-validate-private.h — jx_validate in steps, for validating a dataset chunk by chunk
 * (jx-validate-stream.c) with the very sums of jx_validate on the whole tree set.
 *
 * The sums are split over a thread count fixed by the number of jets (not by the chunks):
 * thread k sums jets k, k + T, k + 2T ... of the validation, in order, so feeding the trees
 * in runs (jx_validation_sums_add with each run's position) gives the same bits as feeding
 * them at once. The angle bins need the largest angle of every tree first
 * (jx_validation_a_max over all trees, before jx_validation_sums_begin). */
#pragma once

#include "jx-validate.h"

typedef struct {
  const JxModel *model;
  const JxValidationOptions *opt;
  size_t n_jets;          /* jets of the whole validation */
  double a_max;
  int threads;
  JxValidation *parts;    /* [threads] */
} JxValidationSums;

/* *opt NULL: the defaults (kept in *def, *opt pointed at them); then their ranges checked. */
int jx_validation_check_options (const JxValidationOptions **opt, JxValidationOptions *def,
                                 JxError *err);
/* max(a_max, the largest angle of a node to its jet's axis over trees [lo, hi) used). */
double jx_validation_a_max (const JxTreeSet *trees, size_t lo, size_t hi, double a_max);
/* a_max ≤ 0 (no tree): 1. Free s with jx_validation_sums_free also after an error. */
int jx_validation_sums_begin (JxValidationSums *s, const JxModel *model,
                              const JxValidationOptions *opt, size_t n_jets, double a_max,
                              JxError *err);
/* The used trees among trees->trees[lo..hi), jets base, base + 1 ... of the validation. */
int jx_validation_sums_add (JxValidationSums *s, const JxTreeSet *trees, size_t lo, size_t hi,
                            size_t base, JxProgress *progress, JxError *err);
/* The curves into v (moved out of s), finished. */
void jx_validation_sums_end (JxValidationSums *s, JxValidation *v, JxProgress *progress);
void jx_validation_sums_free (JxValidationSums *s);
