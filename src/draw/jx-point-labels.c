/* jx-point-labels.c — labels beside point markers (see jx-point-labels.h). */
#include "jx-point-labels.h"

#include <stdlib.h>

#include "jx-draw-text.h"

bool
jx_point_labels_init (JxPointLabels *pl, JxRect bounds, size_t cap)
{
  *pl = (JxPointLabels) { .bounds = bounds, .cap = cap };
  pl->placed = malloc ((cap ? cap : 1) * sizeof *pl->placed);
  return pl->placed != NULL;
}

void
jx_point_labels_free (JxPointLabels *pl)
{
  free (pl->placed);
  *pl = (JxPointLabels) { 0 };
}

static bool
overlaps (JxRect a, JxRect b)
{
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bool
inside (JxRect a, JxRect outer)
{
  return a.x >= outer.x && a.y >= outer.y && a.x + a.w <= outer.x + outer.w
         && a.y + a.h <= outer.y + outer.h;
}

static bool
free_spot (const JxPointLabels *pl, JxRect b)
{
  if (!inside (b, pl->bounds))
    return false;
  for (size_t j = 0; j < pl->n; j++)
    if (overlaps (b, pl->placed[j]))
      return false;
  return true;
}

bool
jx_point_labels_draw (JxPointLabels *pl, cairo_t *cr, double px, double py, double r,
                      const char *text, JxRgb colour)
{
  const JxTheme *th = jx_theme ();
  double w, h;
  jx_text_size (cr, text, th->font_node, &w, &h);
  double gx = 0.7 * r + 1, gy = 0.7 * r;
  JxRect spots[4] = { jx_rect (px + gx, py - gy - h, w, h), jx_rect (px + gx, py + gy, w, h),
                      jx_rect (px - gx - w, py - gy - h, w, h), jx_rect (px - gx - w, py + gy, w, h) };
  int found = -1;
  for (int c = 0; c < 4 && found < 0; c++)
    if (free_spot (pl, spots[c]))
      found = c;
  if (found < 0 || pl->n >= pl->cap)
    {
      pl->hidden++;
      return false;
    }
  JxRect b = spots[found];
  pl->placed[pl->n++] = b;
  cairo_set_source_rgba (cr, 1, 1, 1, 0.75);
  cairo_rectangle (cr, b.x - 1, b.y, b.w + 2, b.h);
  cairo_fill (cr);
  jx_set_rgb (cr, colour);
  jx_text_draw (cr, b.x, b.y, text, th->font_node, 0, 0, 0);
  return true;
}
