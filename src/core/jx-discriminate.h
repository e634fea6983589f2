/* jx-discriminate.h — JUNIPR's likelihood ratio against the paper's baselines
 * (arXiv:1804.09720, Sect. 6) on one signal and one background sample: ROC curves and AUCs
 * on the test halves. `junipr discriminate` and the app's Plots page both call it, so they
 * report the same numbers for the same jets and models.
 *
 * The halves (jx-baseline.h): jets with even index in their sample train the baselines'
 * histograms, jets with odd index are the test jets of every curve, JUNIPR's included. A jet
 * without a JUNIPR score (NaN) is left out of that curve and counted in its JxRoc.
 */
#pragma once

#include <stddef.h>

#include "jx-baseline.h"
#include "jx-error.h"
#include "jx-observables.h"
#include "jx-roc.h"

#define JX_N_DISCRIMINANTS (1 + JX_N_BASELINES)

/* "junipr", then the baselines' names (jx_baseline_name). */
const char *jx_discriminant_name (int k);

typedef struct {
  JxRoc roc[JX_N_DISCRIMINANTS];   /* [0] JUNIPR; empty (n_points 0) without its scores */
  size_t n_test[2];                /* test jets of the signal and the background sample */
} JxDiscrimination;

void jx_discrimination_init (JxDiscrimination *d);
void jx_discrimination_free (JxDiscrimination *d);

/* One sample: per jet ln P_A − ln P_B (NULL when there are no models: no JUNIPR curve) and
 * its observables (a jet without subjets: n = 0, NaN values; jx_jetstats_observables). */
typedef struct {
  const double *log_lr;
  const JxObservables *obs;
  size_t n;
} JxDiscriminateSample;

/* d is initialized here (free it also after an error). Fails (JX_ERR_INVALID, naming the
 * curve) when a sample has fewer than 2 jets or a curve has no finite score of a class. */
int jx_discriminate (const JxDiscriminateSample *sig, const JxDiscriminateSample *bkg,
                     JxDiscrimination *d, JxError *err);
