/* jx-point-labels.h — short labels next to point markers (step numbers on particles and
 * Lund-plane emissions): each goes to the first free spot around its marker — upper right,
 * lower right, upper left, lower left — inside the bounds, on a light box, and is left out
 * (counted) when every spot overlaps a label already placed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <cairo.h>

#include "jx-draw-theme.h"

typedef struct {
  JxRect bounds;     /* labels stay inside */
  JxRect *placed;    /* boxes of the labels drawn so far */
  size_t n, cap;
  int hidden;        /* labels that found no free spot */
} JxPointLabels;

/* Room for cap labels (false when out of memory). */
bool jx_point_labels_init (JxPointLabels *pl, JxRect bounds, size_t cap);
void jx_point_labels_free (JxPointLabels *pl);

/* Draw text (plain or markup, theme node font) beside a marker of radius r at (px, py) in
 * colour; returns whether it was drawn. */
bool jx_point_labels_draw (JxPointLabels *pl, cairo_t *cr, double px, double py, double r,
                           const char *text, JxRgb colour);
