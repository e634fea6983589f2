/* jx-baseline.c — see jx-baseline.h. */
#include "jx-baseline.h"

#include <math.h>
#include <stdlib.h>

static const char *const names[JX_N_BASELINES] = { "tau21_mult", "mass", "multiplicity", "tau21" };

const char *
jx_baseline_name (JxBaselineKind kind)
{
  return kind >= 0 && kind < JX_N_BASELINES ? names[kind] : "unknown";
}

void
jx_hist_lr_free (JxHistLR *lr)
{
  free (lr->log_ratio);
  lr->log_ratio = NULL;
}

static int
bin_of (double v, double lo, double hi, int n)
{
  if (n <= 1 || !(hi > lo))
    return 0;
  double f = (v - lo) / (hi - lo) * n;
  if (!(f >= 0))   /* also NaN */
    return 0;
  return f >= n ? n - 1 : (int) f;
}

static int
cell_of (const JxHistLR *lr, double x, double y)
{
  return bin_of (x, lr->x_lo, lr->x_hi, lr->nx) * lr->ny + bin_of (y, lr->y_lo, lr->y_hi, lr->ny);
}

int
jx_hist_lr_build (JxHistLR *lr, int nx, double x_lo, double x_hi, int ny, double y_lo,
                  double y_hi, const double *xs, const double *ys, size_t ns,
                  const double *xb, const double *yb, size_t nb, JxError *err)
{
  *lr = (JxHistLR) { nx, ny, x_lo, x_hi, y_lo, y_hi, NULL };
  if (nx < 1 || ny < 1 || ns == 0 || nb == 0)
    return jx_error_set (err, JX_ERR_INVALID,
                         "a histogram likelihood ratio needs bins and training jets of both "
                         "classes (%d×%d bins, %zu signal, %zu background)", nx, ny, ns, nb);
  size_t K = (size_t) nx * (size_t) ny;
  double *cs = calloc (2 * K, sizeof *cs);
  lr->log_ratio = malloc (K * sizeof *lr->log_ratio);
  if (cs == NULL || lr->log_ratio == NULL)
    {
      free (cs);
      jx_hist_lr_free (lr);
      return jx_error_set (err, JX_ERR_NOMEM, "no memory for %zu histogram bins", K);
    }
  double *cb = cs + K;
  for (size_t i = 0; i < ns; i++)
    cs[cell_of (lr, xs[i], ys != NULL ? ys[i] : 0)] += 1;
  for (size_t i = 0; i < nb; i++)
    cb[cell_of (lr, xb[i], yb != NULL ? yb[i] : 0)] += 1;
  double ds = (double) ns + 0.5 * (double) K, db = (double) nb + 0.5 * (double) K;
  for (size_t k = 0; k < K; k++)
    lr->log_ratio[k] = log ((cs[k] + 0.5) / ds) - log ((cb[k] + 0.5) / db);
  free (cs);
  return 0;
}

double
jx_hist_lr_eval (const JxHistLR *lr, double x, double y)
{
  if (isnan (x) || isnan (y))
    return NAN;
  return lr->log_ratio[cell_of (lr, x, y)];
}

static double
value (JxBaselineKind kind, const JxObservables *o, int axis)
{
  switch (kind)
    {
    case JX_BASELINE_TAU21_MULT: return axis == 0 ? o->tau21 : (double) o->n;
    case JX_BASELINE_MASS: return o->mass;
    case JX_BASELINE_MULT: return (double) o->n;
    case JX_BASELINE_TAU21: return o->tau21;
    default: return NAN;
    }
}

int
jx_baseline_scores (JxBaselineKind kind, const JxObservables *sig, size_t n_sig,
                    const JxObservables *bkg, size_t n_bkg, double *score_sig,
                    double *score_bkg, JxError *err)
{
  if (kind < 0 || kind >= JX_N_BASELINES)
    return jx_error_set (err, JX_ERR_INVALID, "unknown baseline %d", (int) kind);
  size_t nts = (n_sig + 1) / 2, ntb = (n_bkg + 1) / 2;
  double *buf = malloc ((2 * (nts + ntb) + 1) * sizeof *buf);
  if (buf == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory for baseline histograms");
  double *xs = buf, *ys = buf + nts, *xb = buf + 2 * nts, *yb = buf + 2 * nts + ntb;
  double lo = INFINITY, hi = -INFINITY;
  size_t k = 0;
  for (size_t i = 0; i < n_sig; i += 2, k++)
    {
      xs[k] = value (kind, &sig[i], 0);
      ys[k] = value (kind, &sig[i], 1);
    }
  k = 0;
  for (size_t i = 0; i < n_bkg; i += 2, k++)
    {
      xb[k] = value (kind, &bkg[i], 0);
      yb[k] = value (kind, &bkg[i], 1);
    }
  /* range of the first axis over the training jets (mass), or of the multiplicity */
  const double *axis_s = kind == JX_BASELINE_TAU21_MULT ? ys : xs;
  const double *axis_b = kind == JX_BASELINE_TAU21_MULT ? yb : xb;
  for (size_t i = 0; i < nts; i++)
    if (isfinite (axis_s[i]))
      lo = fmin (lo, axis_s[i]), hi = fmax (hi, axis_s[i]);
  for (size_t i = 0; i < ntb; i++)
    if (isfinite (axis_b[i]))
      lo = fmin (lo, axis_b[i]), hi = fmax (hi, axis_b[i]);
  if (!(hi >= lo))
    lo = 0, hi = 1;
  int nmult = (int) fmin (fmax (hi, 1), 200);
  JxHistLR lr;
  int rc;
  switch (kind)
    {
    case JX_BASELINE_TAU21_MULT:
      rc = jx_hist_lr_build (&lr, 20, 0, 1, nmult, 0.5, nmult + 0.5, xs, ys, nts, xb, yb, ntb, err);
      break;
    case JX_BASELINE_MASS:
      rc = jx_hist_lr_build (&lr, 40, lo, hi > lo ? hi : lo + 1, 1, 0, 1, xs, NULL, nts, xb, NULL,
                             ntb, err);
      break;
    case JX_BASELINE_MULT:
      rc = jx_hist_lr_build (&lr, nmult, 0.5, nmult + 0.5, 1, 0, 1, xs, NULL, nts, xb, NULL, ntb,
                             err);
      break;
    default:
      rc = jx_hist_lr_build (&lr, 20, 0, 1, 1, 0, 1, xs, NULL, nts, xb, NULL, ntb, err);
      break;
    }
  free (buf);
  if (rc != 0)
    return jx_error_prefix (err, "baseline %s: ", jx_baseline_name (kind));
  bool two_d = kind == JX_BASELINE_TAU21_MULT;
  for (size_t i = 0; i < n_sig; i++)
    score_sig[i] = jx_hist_lr_eval (&lr, value (kind, &sig[i], 0), two_d ? value (kind, &sig[i], 1) : 0);
  for (size_t i = 0; i < n_bkg; i++)
    score_bkg[i] = jx_hist_lr_eval (&lr, value (kind, &bkg[i], 0), two_d ? value (kind, &bkg[i], 1) : 0);
  jx_hist_lr_free (&lr);
  return 0;
}
