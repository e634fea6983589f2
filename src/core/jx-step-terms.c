/* jx-step-terms.c — per-step log10 terms and their sums (see jx-step-terms.h). */
#include "jx-step-terms.h"

#include <math.h>

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
