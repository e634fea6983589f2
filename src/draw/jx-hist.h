/* jx-hist.h — a weighted 1D histogram (Σw and Σw² per bin) for the plots.
 *
 * Fill with (x, w); bin i covers [edges[i], edges[i+1]) (the last bin includes its upper
 * edge). Non-finite x or w are skipped and counted in `skipped`; values outside the
 * edges go to underflow/overflow. The error of bin i is sqrt(Σw²).
 */
#pragma once

#include <stddef.h>

#include "jx-error.h"

typedef struct {
  size_t nbins;
  double *edges;      /* nbins + 1, increasing */
  double *sumw;       /* nbins */
  double *sumw2;      /* nbins */
  double underflow, overflow;
  size_t entries;     /* filled inside the range */
  size_t skipped;     /* non-finite x or w */
} JxHist;

int jx_hist_init_uniform (JxHist *h, size_t nbins, double lo, double hi, JxError *err);
/* Variable bins: edges[0..nbins], strictly increasing and finite. */
int jx_hist_init_edges (JxHist *h, const double *edges, size_t nbins, JxError *err);
void jx_hist_free (JxHist *h);

void jx_hist_fill (JxHist *h, double x, double w);
void jx_hist_fill_n (JxHist *h, const double *x, const double *w, size_t n);

/* Multiply contents by s (Σw² by s²). */
void jx_hist_scale (JxHist *h, double s);
/* Scale to unit area (a density: Σ content × width = 1); no-op for an empty histogram. */
void jx_hist_normalize (JxHist *h);
double jx_hist_error (const JxHist *h, size_t i);
double jx_hist_integral (const JxHist *h);
