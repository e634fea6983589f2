/* jx-hist.c — weighted histograms (see jx-hist.h). */
#include "jx-hist.h"

#include <math.h>
#include <stdlib.h>

static int
alloc (JxHist *h, size_t nbins, JxError *err)
{
  *h = (JxHist) { 0 };
  if (nbins == 0 || nbins > 100000000)
    return jx_error_set (err, JX_ERR_INVALID, "histogram: %zu bins; use 1 or more", nbins);
  h->edges = malloc ((nbins + 1) * sizeof *h->edges);
  h->sumw = calloc (nbins, sizeof *h->sumw);
  h->sumw2 = calloc (nbins, sizeof *h->sumw2);
  if (!h->edges || !h->sumw || !h->sumw2)
    {
      jx_hist_free (h);
      return jx_error_set (err, JX_ERR_NOMEM, "histogram: out of memory for %zu bins", nbins);
    }
  h->nbins = nbins;
  return 0;
}

int
jx_hist_init_uniform (JxHist *h, size_t nbins, double lo, double hi, JxError *err)
{
  if (!(isfinite (lo) && isfinite (hi) && hi > lo))
    {
      *h = (JxHist) { 0 };
      return jx_error_set (err, JX_ERR_INVALID,
                           "histogram: range [%g, %g] is empty; give lo < hi", lo, hi);
    }
  int rc = alloc (h, nbins, err);
  if (rc < 0)
    return rc;
  for (size_t i = 0; i <= nbins; i++)
    h->edges[i] = lo + (hi - lo) * (double) i / (double) nbins;
  h->edges[nbins] = hi;
  return 0;
}

int
jx_hist_init_edges (JxHist *h, const double *edges, size_t nbins, JxError *err)
{
  for (size_t i = 0; i <= nbins && nbins > 0; i++)
    if (!isfinite (edges[i]) || (i > 0 && !(edges[i] > edges[i - 1])))
      {
        *h = (JxHist) { 0 };
        return jx_error_set (err, JX_ERR_INVALID,
                             "histogram: edge %zu (%g) is not finite and increasing", i,
                             edges[i]);
      }
  int rc = alloc (h, nbins, err);
  if (rc < 0)
    return rc;
  for (size_t i = 0; i <= nbins; i++)
    h->edges[i] = edges[i];
  return 0;
}

void
jx_hist_free (JxHist *h)
{
  free (h->edges);
  free (h->sumw);
  free (h->sumw2);
  *h = (JxHist) { 0 };
}

void
jx_hist_fill (JxHist *h, double x, double w)
{
  if (!isfinite (x) || !isfinite (w))
    {
      h->skipped++;
      return;
    }
  size_t n = h->nbins;
  if (x < h->edges[0])
    {
      h->underflow += w;
      return;
    }
  if (x > h->edges[n])
    {
      h->overflow += w;
      return;
    }
  /* Binary search: variable bins cost the same as uniform ones. */
  size_t lo = 0, hi = n;
  while (hi - lo > 1)
    {
      size_t mid = (lo + hi) / 2;
      if (x >= h->edges[mid])
        lo = mid;
      else
        hi = mid;
    }
  h->sumw[lo] += w;
  h->sumw2[lo] += w * w;
  h->entries++;
}

void
jx_hist_fill_n (JxHist *h, const double *x, const double *w, size_t n)
{
  for (size_t i = 0; i < n; i++)
    jx_hist_fill (h, x[i], w ? w[i] : 1.0);
}

void
jx_hist_scale (JxHist *h, double s)
{
  for (size_t i = 0; i < h->nbins; i++)
    {
      h->sumw[i] *= s;
      h->sumw2[i] *= s * s;
    }
  h->underflow *= s;
  h->overflow *= s;
}

double
jx_hist_integral (const JxHist *h)
{
  double a = 0;
  for (size_t i = 0; i < h->nbins; i++)
    a += h->sumw[i] * (h->edges[i + 1] - h->edges[i]);
  return a;
}

void
jx_hist_normalize (JxHist *h)
{
  double a = jx_hist_integral (h);
  if (a != 0 && isfinite (a))
    jx_hist_scale (h, 1.0 / a);
}

double
jx_hist_error (const JxHist *h, size_t i)
{
  return i < h->nbins ? sqrt (h->sumw2[i]) : 0;
}
