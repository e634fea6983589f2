/* jx-roc.c — see jx-roc.h. */
#include "jx-roc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  double s;
  int sig;
} Scored;

static int
by_score_desc (const void *a, const void *b)
{
  double x = ((const Scored *) a)->s, y = ((const Scored *) b)->s;
  return x > y ? -1 : x < y ? 1 : 0;
}

void
jx_roc_init (JxRoc *roc)
{
  memset (roc, 0, sizeof *roc);
}

void
jx_roc_free (JxRoc *roc)
{
  free (roc->points);
  jx_roc_init (roc);
}

int
jx_roc_compute (const double *sig, size_t n_sig, const double *bkg, size_t n_bkg, JxRoc *roc,
                JxError *err)
{
  jx_roc_init (roc);
  size_t n = 0;
  Scored *all = malloc ((n_sig + n_bkg + 1) * sizeof *all);
  if (all == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory for a ROC curve of %zu jets",
                         n_sig + n_bkg);
  for (size_t i = 0; i < n_sig; i++)
    if (!isnan (sig[i]))
      all[n++] = (Scored) { sig[i], 1 };
  roc->n_sig = n;
  roc->n_sig_nan = n_sig - n;
  for (size_t i = 0; i < n_bkg; i++)
    if (!isnan (bkg[i]))
      all[n++] = (Scored) { bkg[i], 0 };
  roc->n_bkg = n - roc->n_sig;
  roc->n_bkg_nan = n_bkg - roc->n_bkg;
  if (roc->n_sig == 0 || roc->n_bkg == 0)
    {
      free (all);
      return jx_error_set (err, JX_ERR_INVALID,
                           "a ROC curve needs signal and background jets with finite scores "
                           "(have %zu signal, %zu background)", roc->n_sig, roc->n_bkg);
    }
  qsort (all, n, sizeof *all, by_score_desc);
  roc->points = malloc ((n + 2) * sizeof *roc->points);
  if (roc->points == NULL)
    {
      free (all);
      return jx_error_set (err, JX_ERR_NOMEM, "no memory for a ROC curve of %zu jets", n);
    }
  double ns = (double) roc->n_sig, nb = (double) roc->n_bkg;
  size_t tp = 0, fp = 0, k = 0;
  roc->points[k++] = (JxRocPoint) { INFINITY, 0, 0 };
  double auc = 0;
  for (size_t i = 0; i < n;)
    {
      size_t j = i, tp0 = tp, fp0 = fp;
      while (j < n && all[j].s == all[i].s)
        {
          tp += (size_t) all[j].sig;
          fp += (size_t) !all[j].sig;
          j++;
        }
      auc += (double) (fp - fp0) * (double) (tp + tp0) / 2;
      roc->points[k++] = (JxRocPoint) { all[i].s, tp / ns, fp / nb };
      i = j;
    }
  roc->n_points = k;
  roc->auc = auc / (ns * nb);
  free (all);
  return 0;
}

double
jx_roc_bkg_eff_at (const JxRoc *roc, double eff)
{
  if (roc->n_points == 0)
    return NAN;
  for (size_t i = 1; i < roc->n_points; i++)
    {
      const JxRocPoint *a = &roc->points[i - 1], *b = &roc->points[i];
      if (b->sig_eff >= eff)
        {
          if (b->sig_eff == a->sig_eff)
            return a->bkg_eff;
          double f = (eff - a->sig_eff) / (b->sig_eff - a->sig_eff);
          return a->bkg_eff + f * (b->bkg_eff - a->bkg_eff);
        }
    }
  return 1.0;
}

double
jx_roc_rejection_at (const JxRoc *roc, double eff)
{
  double b = jx_roc_bkg_eff_at (roc, eff);
  return b > 0 ? 1.0 / b : b == 0 ? INFINITY : NAN;
}

size_t
jx_roc_thin (const JxRoc *roc, size_t max_points, size_t *idx)
{
  size_t n = roc->n_points;
  if (max_points < 2)
    max_points = 2;
  if (n <= max_points)
    {
      for (size_t i = 0; i < n; i++)
        idx[i] = i;
      return n;
    }
  /* Keep a point when it has moved ≥ 1/(max/2) along either axis since the last kept one:
   * ≤ max points in all (the path length in ε_S + ε_B is ≤ 2). */
  double step = 4.0 / (double) max_points;
  size_t k = 0;
  idx[k++] = 0;
  for (size_t i = 1; i + 1 < n && k + 1 < max_points; i++)
    {
      const JxRocPoint *a = &roc->points[idx[k - 1]], *b = &roc->points[i];
      if (fabs (b->sig_eff - a->sig_eff) + fabs (b->bkg_eff - a->bkg_eff) >= step)
        idx[k++] = i;
    }
  idx[k++] = n - 1;
  return k;
}
