/* jx-step-terms.h — a jet's likelihood written out step by step in log10, from a model's
 * per-step scores (jx_model_log_prob's natural logs): the node labels, end term and total of
 * the Tree page and of `junipr render tree`, the LR terms of two models, and the running sum
 * the Tree page's step panel shows.
 *
 * A tree of n particles has n states. Steps t = 1..n−1 branch and carry
 *   term_t = [ln P_end(0|h_t) + ln P_mother(m_t|h_t) + ln P_branch(x_t|h_t)] / ln 10,
 * the last state ends the jet and carries term_n = ln P_end(1|h_n) / ln 10, so that
 * Σ_{t=1..n} term_t = log10 P_jet (a one-particle jet has only its end term). terms[t−1]
 * holds term_t. LR terms are differences of two models' terms on the same tree, and sum to
 * log10 P_A/P_B. Sums run in step order, so a total is the sum of what is shown. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-model.h"
#include "jx-scores.h"

/* terms[0..n−1] (n = the tree's particles = scores entries); returns their sum, log10 P_jet. */
double jx_step_terms_log10 (const JxStepScore *scores, size_t n, double *terms);

/* terms[t−1] = log10 P_A,t − log10 P_B,t for two scorings of one tree (n entries each);
 * returns the sum, log10 P_A/P_B. */
double jx_step_terms_lr (const JxStepScore *a, const JxStepScore *b, size_t n, double *terms);

/* running[k] = terms[0] + … + terms[k], summed in order (running may alias terms). */
void jx_step_terms_running (const double *terms, size_t n, double *running);

/* How far the sum of the labels, each term rounded to `digits` decimals as shown, lies from
 * the total rounded the same way: |Σ round(term_t) − round(total)|. Rounding each of n terms
 * moves the sum by at most n/2 units of the last digit, and the total by 1/2:
 * jx_step_terms_rounding_bound gives that bound, (n + 1)/2 · 10^−digits. */
double jx_step_terms_label_gap (const double *terms, size_t n, double total, int digits);
double jx_step_terms_rounding_bound (size_t n, int digits);

/* The q-quantile (0 < q ≤ 1) of |LR term| over every step of every jet that both per-step
 * scorings a and b (one dataset, two models clustering alike; jx_evaluate with per_step) scored
 * with the same number of states: the range of a colour scale shared by all jets. Read from a
 * histogram of log10 |term| in 1/200-decade bins from 10^−6 to 10^6, so it is exact to 1.2 %;
 * NaN when no step qualifies. */
double jx_step_terms_lr_quantile (const JxScores *a, const JxScores *b, double q);
