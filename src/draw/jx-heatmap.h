/* jx-heatmap.h — paint a grid of values as coloured cells filling a rectangle (crisp
 * pixels on every surface: an nx × ny image drawn with nearest-neighbour filtering). */
#pragma once

#include <stddef.h>
#include <cairo.h>

#include "jx-colormap.h"
#include "jx-draw-theme.h"

/* values[iy * nx + ix]: row iy = 0 at the bottom of rect, or at the top when top_first
 * (picture order, as JxImage stores pixels). NaN cells, and cells ≤ 0 on a log scale,
 * stay transparent. */
void jx_heatmap_paint (cairo_t *cr, JxRect rect, size_t nx, size_t ny, const double *values,
                       const JxColorScale *scale, int top_first);

/* The min and max of the finite values (of the positive ones if positive_only); false if
 * there are none. */
int jx_heatmap_range (const double *values, size_t n, int positive_only, double *lo,
                      double *hi);
