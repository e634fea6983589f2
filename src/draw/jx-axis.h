/* jx-axis.h — a data axis: value ↔ pixel mapping, readable ticks (linear and log10), and
 * drawing of ticks, tick labels, grid lines and the axis title.
 *
 * Linear ticks step by 1, 2, 2.5 or 5 × 10^k with at least min_spacing pixels between
 * labels; log axes label decades (10^k, thinned when crowded) with minor ticks at 2..9,
 * and fall back to labelled 2 and 5 (or linear ticks) when the range spans less than a
 * decade.
 */
#pragma once

#include <stdbool.h>
#include <cairo.h>

#include "jx-draw-theme.h"

typedef struct {
  double lo, hi;     /* data values at px0 and px1 (log: both > 0) */
  bool log;
  double px0, px1;   /* device positions (for a y axis px0 is usually the bottom) */
} JxAxis;

typedef enum {
  JX_SIDE_BOTTOM,
  JX_SIDE_LEFT,
  JX_SIDE_TOP,
  JX_SIDE_RIGHT,
} JxSide;

#define JX_TICKS_MAX 160

typedef struct {
  double value;
  bool major;            /* major ticks carry a label (possibly empty when thinned) */
  char label[48];        /* Pango markup */
} JxTick;

/* Pixel position of v (NaN for v ≤ 0 on a log axis or non-finite v). */
double jx_axis_map (const JxAxis *a, double v);
/* Data value at pixel p. */
double jx_axis_unmap (const JxAxis *a, double p);

/* Ticks within [lo, hi]; returns the count (≤ cap). */
int jx_axis_ticks (const JxAxis *a, double min_spacing, JxTick *out, int cap);

/* Make [*lo, *hi] a usable range: finite, lo < hi (log: lo > 0), widened by frac of the
 * span on each side (for log axes in log space). Degenerate input gets a unit window. */
void jx_axis_pad_range (double *lo, double *hi, bool log, double frac);

/* Draw ticks and labels of a on the given side of the line at position `at` (the fixed
 * coordinate: y for bottom/top, x for left/right). label: axis title (markup) or NULL;
 * tick_labels: false to draw only the tick marks (shared axes of a ratio panel). */
void jx_axis_draw (cairo_t *cr, const JxAxis *a, JxSide side, double at, const char *label,
                   bool tick_labels);

/* Grid lines at the major ticks across [from, to] of the other coordinate. */
void jx_axis_draw_grid (cairo_t *cr, const JxAxis *a, JxSide side, double from, double to);

/* Space (px) that jx_axis_draw needs outside the line: ticks + tick labels + title. */
double jx_axis_thickness (cairo_t *cr, const JxAxis *a, JxSide side, const char *label,
                          bool tick_labels);

/* The spacing jx_axis_draw uses between labels along a side. */
double jx_axis_label_spacing (JxSide side);
