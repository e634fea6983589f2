/* jx-discriminate.c — see jx-discriminate.h. */
#include "jx-discriminate.h"

#include <stdlib.h>
#include <string.h>

const char *
jx_discriminant_name (int k)
{
  return k == 0 ? "junipr" : jx_baseline_name ((JxBaselineKind) (k - 1));
}

void
jx_discrimination_init (JxDiscrimination *d)
{
  memset (d, 0, sizeof *d);
  for (int k = 0; k < JX_N_DISCRIMINANTS; k++)
    jx_roc_init (&d->roc[k]);
}

void
jx_discrimination_free (JxDiscrimination *d)
{
  for (int k = 0; k < JX_N_DISCRIMINANTS; k++)
    jx_roc_free (&d->roc[k]);
  jx_discrimination_init (d);
}

/* The odd-numbered entries of all (the test half). */
static void
test_half (const double *all, size_t n, double *out)
{
  for (size_t i = 0; 2 * i + 1 < n; i++)
    out[i] = all[2 * i + 1];
}

int
jx_discriminate (const JxDiscriminateSample *sig, const JxDiscriminateSample *bkg,
                 JxDiscrimination *d, JxError *err)
{
  jx_discrimination_init (d);
  if (sig->n < 2 || bkg->n < 2)
    return jx_error_set (err, JX_ERR_INVALID,
                         "the baselines need at least 2 signal and 2 background jets (one to "
                         "train, one to test); have %zu and %zu", sig->n, bkg->n);
  d->n_test[0] = sig->n / 2;
  d->n_test[1] = bkg->n / 2;
  double *score[2] = { malloc ((sig->n + 1) * sizeof (double)), malloc ((bkg->n + 1) * sizeof (double)) };
  double *test[2] = { malloc ((d->n_test[0] + 1) * sizeof (double)),
                      malloc ((d->n_test[1] + 1) * sizeof (double)) };
  int rc = score[0] && score[1] && test[0] && test[1]
           ? 0 : jx_error_set (err, JX_ERR_NOMEM, "no memory for the scores of %zu jets",
                               sig->n + bkg->n);
  for (int k = 0; k < JX_N_DISCRIMINANTS && rc == 0; k++)
    {
      if (k == 0 && (sig->log_lr == NULL || bkg->log_lr == NULL))
        continue;
      if (k == 0)
        {
          memcpy (score[0], sig->log_lr, sig->n * sizeof (double));
          memcpy (score[1], bkg->log_lr, bkg->n * sizeof (double));
        }
      else
        rc = jx_baseline_scores ((JxBaselineKind) (k - 1), sig->obs, sig->n, bkg->obs, bkg->n,
                                 score[0], score[1], err);
      if (rc != 0)
        break;
      test_half (score[0], sig->n, test[0]);
      test_half (score[1], bkg->n, test[1]);
      rc = jx_roc_compute (test[0], d->n_test[0], test[1], d->n_test[1], &d->roc[k], err);
      if (rc != 0)
        jx_error_prefix (err, "%s on the test halves (odd-numbered jets): ",
                         jx_discriminant_name (k));
    }
  for (int s = 0; s < 2; s++)
    {
      free (score[s]);
      free (test[s]);
    }
  return rc;
}
