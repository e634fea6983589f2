/* jx-plot-private.h — JxPlot internals shared by jx-plot*.c. */
#pragma once

#include "jx-plot.h"

typedef enum {
  JX_SERIES_HIST,
  JX_SERIES_LINE,
  JX_SERIES_POINTS,
  JX_SERIES_HEATMAP,
} JxSeriesKind;

typedef struct {
  JxSeriesKind kind;
  char *label;
  JxRgb color;
  bool dashed;
  double width;
  JxMarker marker;
  JxHistStyle hist_style;
  size_t n;            /* points, or bins */
  double *x;           /* line/points: x; hist: edges (n+1) */
  double *y;           /* values */
  double *err;         /* y errors or NULL */
  /* heatmap */
  size_t nx, ny;
  double x0, x1, y0, y1;
  JxColorScale scale;
  bool diagonal;       /* ROC efficiency mode: draw the random-guess diagonal */
} JxSeries;

struct JxPlot {
  char *title, *xlabel, *ylabel, *ratio_label;
  bool xlog, ylog, grid, x_set, y_set;
  double xlo, xhi, ylo, yhi;
  double rlo, rhi;
  int ratio_ref;
  JxLegendPos legend;
  JxSeries *series;
  size_t n_series, cap_series;
  size_t skipped;
};

/* jx-plot-series.c: paint one series in the data rectangle (clipped by the caller). */
void jx_plot_paint_series (JxPlot *p, const JxSeries *s, cairo_t *cr, const JxAxis *x,
                           const JxAxis *y, JxRect data);
/* Ratio panel contents: s divided by ref, bin by bin. */
void jx_plot_paint_ratio (JxPlot *p, const JxSeries *s, const JxSeries *ref, cairo_t *cr,
                          const JxAxis *x, const JxAxis *y, bool is_ref);
void jx_plot_draw_marker (cairo_t *cr, JxMarker m, double x, double y, double size);

/* jx-plot-legend.c */
void jx_plot_draw_legend (JxPlot *p, cairo_t *cr, const JxAxis *x, const JxAxis *y,
                          JxRect data);
