/* jx-plot.h — 2D plots: histograms (step, filled, points with error bars), line series
 * with markers, ROC curves, heatmaps, an optional ratio panel and a legend, in one theme.
 *
 * A JxPlot copies the data it is given, so callers may free theirs after adding. Draw it
 * into any rectangle of any cairo_t; jx_plot_draw returns the data ↔ pixel mapping for
 * the GUI (hover, zoom). Non-finite points are skipped (lines break there) and counted:
 * jx_plot_skipped() says how many, so a caller can report them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <cairo.h>

#include "jx-axis.h"
#include "jx-colormap.h"
#include "jx-draw-theme.h"
#include "jx-hist.h"

typedef struct JxPlot JxPlot;

typedef enum {
  JX_HIST_STEP,     /* outline */
  JX_HIST_FILLED,   /* light fill + outline */
  JX_HIST_POINTS,   /* markers at bin centres with vertical (error) and horizontal (width) bars */
} JxHistStyle;

typedef enum {
  JX_MARKER_NONE,
  JX_MARKER_CIRCLE,
  JX_MARKER_SQUARE,
  JX_MARKER_TRIANGLE,
  JX_MARKER_DIAMOND,
} JxMarker;

typedef enum {
  JX_LEGEND_AUTO,         /* the inside corner that hides the least data */
  JX_LEGEND_UPPER_RIGHT,
  JX_LEGEND_UPPER_LEFT,
  JX_LEGEND_LOWER_LEFT,
  JX_LEGEND_LOWER_RIGHT,
  JX_LEGEND_NONE,
} JxLegendPos;

typedef enum {
  JX_ROC_REJECTION,   /* x = signal efficiency, y = 1/background efficiency (log) */
  JX_ROC_EFFICIENCY,  /* x = background efficiency, y = signal efficiency, with the diagonal */
} JxRocMode;

JxPlot *jx_plot_new (void);
void jx_plot_free (JxPlot *p);

/* Labels are Pango markup; NULL clears. */
void jx_plot_set_title (JxPlot *p, const char *title);
void jx_plot_set_x_axis (JxPlot *p, const char *label, bool log);
void jx_plot_set_y_axis (JxPlot *p, const char *label, bool log);
/* Fixed ranges; NaN for automatic. */
void jx_plot_set_x_range (JxPlot *p, double lo, double hi);
void jx_plot_set_y_range (JxPlot *p, double lo, double hi);
void jx_plot_set_grid (JxPlot *p, bool grid);
void jx_plot_set_legend (JxPlot *p, JxLegendPos pos);
/* A ratio panel under the main one: every histogram series divided by series `reference`
 * (−1 switches the panel off). lo/hi: its y range (NaN: automatic around 1). */
void jx_plot_set_ratio (JxPlot *p, int reference, const char *label, double lo, double hi);

/* Add series; each returns its index, or −1 when out of memory. Colours cycle through the
 * Okabe–Ito palette in order of addition. */
int jx_plot_add_hist (JxPlot *p, const JxHist *h, JxHistStyle style, const char *label);
/* The same from plain arrays: edges[0..n], values[0..n−1], errors may be NULL. */
int jx_plot_add_hist_values (JxPlot *p, const double *edges, const double *values,
                             const double *errors, size_t n, JxHistStyle style,
                             const char *label);
int jx_plot_add_line (JxPlot *p, const double *x, const double *y, size_t n, JxMarker marker,
                      const char *label);
/* Points with vertical error bars (yerr may be NULL). */
int jx_plot_add_points (JxPlot *p, const double *x, const double *y, const double *yerr,
                        size_t n, JxMarker marker, const char *label);
/* A ROC curve from matched efficiencies; sets axis labels/scales for the mode the first
 * time unless the caller set them. */
int jx_plot_add_roc (JxPlot *p, const double *eff_sig, const double *eff_bkg, size_t n,
                     JxRocMode mode, const char *label);
/* A heatmap over [x0,x1]×[y0,y1]: values[iy*nx+ix], iy = 0 at y0; cells are uniform in
 * the axis coordinates (log-uniform on a log axis). scale.lo/hi NaN: from the data
 * (symmetric for JX_CMAP_DIVERGING). A colour bar with cbar_label is drawn on the right. */
int jx_plot_add_heatmap (JxPlot *p, size_t nx, size_t ny, double x0, double x1, double y0,
                         double y1, const double *values, JxColorScale scale,
                         const char *cbar_label);

/* Per-series style overrides. */
void jx_plot_series_color (JxPlot *p, int series, JxRgb color);
void jx_plot_series_dashed (JxPlot *p, int series, bool dashed);
void jx_plot_series_line_width (JxPlot *p, int series, double width);

/* Non-finite data points skipped so far (added + drawn). */
size_t jx_plot_skipped (const JxPlot *p);

typedef struct {
  JxRect data;        /* the main panel's data rectangle */
  JxAxis x, y;        /* its axes (device coordinates) */
  bool has_ratio;
  JxRect ratio;       /* the ratio panel's data rectangle */
  JxAxis ratio_y;
  int series_drawn;
} JxPlotLayout;

/* Draw p into rect (filled with the background first). layout may be NULL. */
void jx_plot_draw (JxPlot *p, cairo_t *cr, JxRect rect, JxPlotLayout *layout);
