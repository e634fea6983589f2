/* jx-step-terms.c — per-step log10 terms and their sums (see jx-step-terms.h). */
#include "jx-step-terms.h"

#include <math.h>
#include <stdlib.h>

static double
term_log10 (const JxStepScore *s)
{
  /* At t = n the mother and branch entries are 0: the end term alone. */
  return (s->log_end + s->log_mother + s->log_branch) / M_LN10;
}

double
jx_step_terms_log10 (const JxStepScore *scores, size_t n, double *terms)
{
  double sum = 0;
  for (size_t t = 0; t < n; t++)
    {
      terms[t] = term_log10 (&scores[t]);
      sum += terms[t];
    }
  return sum;
}

double
jx_step_terms_lr (const JxStepScore *a, const JxStepScore *b, size_t n, double *terms)
{
  double sum = 0;
  for (size_t t = 0; t < n; t++)
    {
      terms[t] = term_log10 (&a[t]) - term_log10 (&b[t]);
      sum += terms[t];
    }
  return sum;
}

void
jx_step_terms_running (const double *terms, size_t n, double *running)
{
  double sum = 0;
  for (size_t t = 0; t < n; t++)
    {
      sum += terms[t];
      running[t] = sum;
    }
}

static double
round_to (double v, double scale)
{
  return round (v * scale) / scale;
}

double
jx_step_terms_label_gap (const double *terms, size_t n, double total, int digits)
{
  double scale = pow (10, digits), sum = 0;
  for (size_t t = 0; t < n; t++)
    sum += round_to (terms[t], scale);
  return fabs (sum - round_to (total, scale));
}

double
jx_step_terms_rounding_bound (size_t n, int digits)
{
  return 0.5 * (double) (n + 1) * pow (10, -digits);
}

/* The quantile's histogram: log10 |term| from −6 to 6 in 1/200-decade bins. */
#define LOG_LO (-6.0)
#define LOG_HI 6.0
#define PER_DECADE 200
#define N_BINS ((int) ((LOG_HI - LOG_LO) * PER_DECADE))

double
jx_step_terms_lr_quantile (const JxScores *a, const JxScores *b, double q)
{
  if (a->step_offsets == NULL || b->step_offsets == NULL || a->n_jets != b->n_jets
      || !(q > 0 && q <= 1))
    return NAN;
  /* Bin 0 also takes |term| below 10^−6 (zero included), the last bin what is above 10^6. */
  size_t *hist = calloc (N_BINS, sizeof *hist), total = 0;
  if (hist == NULL)
    return NAN;
  for (size_t i = 0; i < a->n_jets; i++)
    {
      uint64_t a0 = a->step_offsets[i], a1 = a->step_offsets[i + 1];
      uint64_t b0 = b->step_offsets[i], b1 = b->step_offsets[i + 1];
      if (a1 - a0 != b1 - b0 || a1 == a0 || !isfinite (a->log_p[i]) || !isfinite (b->log_p[i]))
        continue;
      for (uint64_t k = 0; k < a1 - a0; k++)
        {
          double ta = a->log_end[a0 + k] + a->log_mother[a0 + k] + a->log_branch[a0 + k];
          double tb = b->log_end[b0 + k] + b->log_mother[b0 + k] + b->log_branch[b0 + k];
          double v = fabs (ta - tb) / M_LN10;
          if (!isfinite (v))
            continue;
          double x = v > 0 ? (log10 (v) - LOG_LO) * PER_DECADE : 0;
          int bin = x < 0 ? 0 : x >= N_BINS ? N_BINS - 1 : (int) x;
          hist[bin]++;
          total++;
        }
    }
  double out = NAN;
  if (total > 0)
    {
      /* The smallest bin whose cumulative count reaches q of the steps; its upper edge. */
      size_t need = (size_t) ceil (q * (double) total), cum = 0;
      for (int bin = 0; bin < N_BINS; bin++)
        {
          cum += hist[bin];
          if (cum >= need)
            {
              out = pow (10, LOG_LO + (bin + 1) / (double) PER_DECADE);
              break;
            }
        }
    }
  free (hist);
  return out;
}
