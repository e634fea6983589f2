/* JUNIPR vs baselines on test halves (jx-discriminate): every curve's AUC equals the
 * Mann–Whitney fraction of (signal, background) pairs of odd-numbered jets ordered by the
 * score (ties ½), counted here pair by pair; the baseline scores are jx-baseline's own; a
 * missing JUNIPR score leaves that curve empty; too few jets are an error. */
#include <stdlib.h>
#include <string.h>

#include "jx-discriminate.h"
#include "jx-rng.h"
#include "jx-test.h"

static double
pairs_auc (const double *s, size_t ns, const double *b, size_t nb)
{
  double num = 0, den = 0;
  for (size_t i = 1; i < ns; i += 2)
    for (size_t j = 1; j < nb; j += 2)
      {
        if (isnan (s[i]) || isnan (b[j]))
          continue;
        den += 1;
        num += s[i] > b[j] ? 1.0 : s[i] == b[j] ? 0.5 : 0.0;
      }
  return num / den;
}

/* Z-like jets (signal) have more mass and subjets and lower τ21 than quark-like ones. */
static void
fill (JxRng *rng, JxObservables *obs, double *lr, size_t n, int signal)
{
  for (size_t i = 0; i < n; i++)
    {
      memset (&obs[i], 0, sizeof obs[i]);
      obs[i].n = 1 + jx_rng_below (rng, signal ? 14 : 9);
      obs[i].mass = (signal ? 80 : 40) + 40 * jx_rng_uniform (rng);
      obs[i].tau21 = (signal ? 0.2 : 0.4) + 0.5 * jx_rng_uniform (rng);
      lr[i] = (signal ? 1.0 : 0.0) + 2 * jx_rng_uniform (rng);
      if (i == 7)
        lr[i] = NAN;   /* an odd jet the models cannot score */
      if (i == 9)
        {
          obs[i].n = 0;   /* a jet without subjets */
          obs[i].mass = obs[i].tau21 = NAN;
        }
    }
}

int
main (void)
{
  enum { NS = 301, NB = 250 };
  JxRng rng;
  jx_rng_seed (&rng, 4, 0);
  JxObservables *os = malloc (NS * sizeof *os), *ob = malloc (NB * sizeof *ob);
  double *ls = malloc (NS * sizeof *ls), *lb = malloc (NB * sizeof *lb);
  double *ss = malloc (NS * sizeof *ss), *sb = malloc (NB * sizeof *sb);
  fill (&rng, os, ls, NS, 1);
  fill (&rng, ob, lb, NB, 0);

  JxDiscriminateSample sig = { ls, os, NS }, bkg = { lb, ob, NB };
  JxDiscrimination d;
  JxError err = { 0 };
  JX_CHECK_INT (jx_discriminate (&sig, &bkg, &d, &err), 0);
  JX_CHECK_INT (d.n_test[0], NS / 2);
  JX_CHECK_INT (d.n_test[1], NB / 2);
  JX_CHECK_CLOSE (d.roc[0].auc, pairs_auc (ls, NS, lb, NB), 1e-12, 0);
  JX_CHECK_INT (d.roc[0].n_sig_nan + d.roc[0].n_bkg_nan, 2);
  JX_CHECK (d.roc[0].auc > 0.6);
  for (int k = 1; k < JX_N_DISCRIMINANTS; k++)
    {
      JX_CHECK_INT (jx_baseline_scores ((JxBaselineKind) (k - 1), os, NS, ob, NB, ss, sb, &err), 0);
      JX_CHECK_CLOSE (d.roc[k].auc, pairs_auc (ss, NS, sb, NB), 1e-12, 0);
      JX_CHECK_MSG (d.roc[k].auc > 0.55, "%s AUC %g", jx_discriminant_name (k), d.roc[k].auc);
    }
  JX_CHECK (strcmp (jx_discriminant_name (0), "junipr") == 0);
  JX_CHECK (strcmp (jx_discriminant_name (1), "tau21_mult") == 0);
  jx_discrimination_free (&d);

  /* without models: the baselines only */
  sig.log_lr = NULL;
  JX_CHECK_INT (jx_discriminate (&sig, &bkg, &d, &err), 0);
  JX_CHECK_INT (d.roc[0].n_points, 0);
  JX_CHECK (d.roc[1].n_points > 2);
  jx_discrimination_free (&d);

  /* one background jet cannot be split into halves */
  bkg.n = 1;
  JX_CHECK_INT (jx_discriminate (&sig, &bkg, &d, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "at least 2") != NULL);
  jx_discrimination_free (&d);

  free (os), free (ob), free (ls), free (lb), free (ss), free (sb);
  JX_TEST_MAIN_END ("discriminate");
}
