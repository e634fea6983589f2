/* jx-colorbar.h — a vertical colour bar with an axis on its right, for any JxColorScale. */
#pragma once

#include <cairo.h>

#include "jx-axis.h"
#include "jx-colormap.h"
#include "jx-draw-theme.h"

/* Width of the bar itself in the theme. */
#define JX_COLORBAR_BAR_WIDTH 14.0

/* Total width (bar + ticks + labels + title) a colour bar of this scale needs. */
double jx_colorbar_width (cairo_t *cr, const JxColorScale *scale, const char *label,
                          double height);

/* Draw the bar in the left JX_COLORBAR_BAR_WIDTH of rect, ticks and title to its right. */
void jx_colorbar_draw (cairo_t *cr, JxRect rect, const JxColorScale *scale, const char *label);
