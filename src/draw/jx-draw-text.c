/* jx-draw-text.c — Pango text with a cached layout per cairo_t (see jx-draw-text.h). */
#include "jx-draw-text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "jx-draw-theme.h"

static const cairo_user_data_key_t layout_key;
static const cairo_user_data_key_t capture_key;

typedef struct {
  PangoLayout *layout;
  PangoFontDescription *font;
  double size;
} TextCache;

static void
text_cache_free (void *data)
{
  TextCache *c = data;
  g_object_unref (c->layout);
  pango_font_description_free (c->font);
  free (c);
}

/* One layout per cairo_t: creating a PangoLayout per label costs more than drawing it. */
static PangoLayout *
layout_for (cairo_t *cr, const char *markup, double size)
{
  TextCache *c = cairo_get_user_data (cr, &layout_key);
  if (c == NULL)
    {
      c = calloc (1, sizeof *c);
      if (c == NULL)
        return NULL;
      c->layout = pango_cairo_create_layout (cr);
      /* Unhinted metrics: the same text measures the same on PNG, SVG and PDF surfaces. */
      cairo_font_options_t *fo = cairo_font_options_create ();
      cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
      pango_cairo_context_set_font_options (pango_layout_get_context (c->layout), fo);
      cairo_font_options_destroy (fo);
      c->font = pango_font_description_new ();
      pango_font_description_set_family (c->font, jx_theme ()->font);
      c->size = -1;
      if (cairo_set_user_data (cr, &layout_key, c, text_cache_free) != CAIRO_STATUS_SUCCESS)
        {
          text_cache_free (c);
          return NULL;
        }
    }
  else
    pango_cairo_update_layout (cr, c->layout);
  if (size != c->size)
    {
      pango_font_description_set_absolute_size (c->font, size * PANGO_SCALE);
      pango_layout_set_font_description (c->layout, c->font);
      c->size = size;
    }
  /* Plain strings (most labels are numbers) skip the markup parser. */
  if (strpbrk (markup, "<&") == NULL)
    {
      pango_layout_set_attributes (c->layout, NULL);  /* drop the last markup's styles */
      pango_layout_set_text (c->layout, markup, -1);
    }
  else
    pango_layout_set_markup (c->layout, markup, -1);
  return c->layout;
}

void
jx_text_size (cairo_t *cr, const char *markup, double size, double *w, double *h)
{
  PangoLayout *layout = layout_for (cr, markup, size);
  int pw = 0, ph = 0;
  if (layout)
    pango_layout_get_size (layout, &pw, &ph);
  if (w)
    *w = (double) pw / PANGO_SCALE;
  if (h)
    *h = (double) ph / PANGO_SCALE;
}

static void capture_add (cairo_t *cr, PangoLayout *layout, double x, double y, double size,
                         double ax, double ay, double angle);

struct JxTextCache {
  PangoContext *context;     /* shared by the layouts; follows the target's CTM */
  PangoFontDescription *font;
  double size;
  PangoLayout **layouts;
  size_t n, cap;
};

static PangoLayout *
cache_set_text (PangoLayout *layout, const char *markup)
{
  if (strpbrk (markup, "<&") == NULL)
    pango_layout_set_text (layout, markup, -1);
  else
    pango_layout_set_markup (layout, markup, -1);
  return layout;
}

JxTextCache *
jx_text_cache_new (cairo_t *cr, double size)
{
  JxTextCache *c = calloc (1, sizeof *c);
  if (c == NULL)
    return NULL;
  c->context = pango_cairo_create_context (cr);
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (c->context, fo);
  cairo_font_options_destroy (fo);
  c->font = pango_font_description_new ();
  pango_font_description_set_family (c->font, jx_theme ()->font);
  pango_font_description_set_absolute_size (c->font, size * PANGO_SCALE);
  c->size = size;
  return c;
}

void
jx_text_cache_free (JxTextCache *c)
{
  if (c == NULL)
    return;
  for (size_t i = 0; i < c->n; i++)
    g_object_unref (c->layouts[i]);
  free (c->layouts);
  pango_font_description_free (c->font);
  g_object_unref (c->context);
  free (c);
}

int
jx_text_cache_add (JxTextCache *c, const char *markup, double *w, double *h)
{
  if (c == NULL)
    return -1;
  if (c->n == c->cap)
    {
      size_t nc = c->cap ? 2 * c->cap : 32;
      PangoLayout **l = realloc (c->layouts, nc * sizeof *l);
      if (l == NULL)
        return -1;
      c->layouts = l;
      c->cap = nc;
    }
  PangoLayout *layout = pango_layout_new (c->context);
  pango_layout_set_font_description (layout, c->font);
  cache_set_text (layout, markup);
  int pw, ph;
  pango_layout_get_size (layout, &pw, &ph);
  if (w)
    *w = (double) pw / PANGO_SCALE;
  if (h)
    *h = (double) ph / PANGO_SCALE;
  c->layouts[c->n] = layout;
  return (int) c->n++;
}

/* The cached layout index, its context following cr (cheap when nothing changed; re-shapes
 * only for a new scale or surface type), and the current point where its (ax, ay) anchor lands
 * on (x, y); NULL for a bad index. */
static PangoLayout *
cache_place (cairo_t *cr, JxTextCache *c, int index, double x, double y, double ax, double ay)
{
  if (c == NULL || index < 0 || (size_t) index >= c->n)
    return NULL;
  PangoLayout *layout = c->layouts[index];
  pango_cairo_update_context (cr, c->context);
  int pw, ph;
  pango_layout_get_size (layout, &pw, &ph);
  cairo_move_to (cr, x - ax * pw / PANGO_SCALE, y - ay * ph / PANGO_SCALE);
  return layout;
}

void
jx_text_cache_draw (cairo_t *cr, JxTextCache *c, int index, double x, double y, double ax,
                    double ay)
{
  PangoLayout *layout = cache_place (cr, c, index, x, y, ax, ay);
  if (layout == NULL)
    return;
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
  capture_add (cr, layout, x, y, c->size, ax, ay, 0);
}

void
jx_text_cache_draw_halo (cairo_t *cr, JxTextCache *c, int index, double x, double y, double ax,
                         double ay, double halo_r, double halo_g, double halo_b, double halo_width)
{
  cairo_pattern_t *text = cairo_pattern_reference (cairo_get_source (cr));
  cairo_save (cr);
  PangoLayout *layout = cache_place (cr, c, index, x, y, ax, ay);
  if (layout != NULL)
    {
      pango_cairo_layout_path (cr, layout);
      cairo_set_source_rgb (cr, halo_r, halo_g, halo_b);
      cairo_set_line_width (cr, halo_width);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
  cairo_set_source (cr, text);
  cairo_pattern_destroy (text);
  jx_text_cache_draw (cr, c, index, x, y, ax, ay);
}

static void
capture_add (cairo_t *cr, PangoLayout *layout, double x, double y, double size,
             double ax, double ay, double angle)
{
  JxTextCapture *cap = jx_text_capture_get (cairo_get_target (cr));
  if (cap == NULL)
    return;
  if (cap->n == cap->cap)
    {
      size_t nc = cap->cap ? 2 * cap->cap : 64;
      JxTextRecord *it = realloc (cap->items, nc * sizeof *it);
      if (it == NULL)
        return;
      cap->items = it;
      cap->cap = nc;
    }
  double dx = x, dy = y, sx = 1, sy = 0;
  cairo_user_to_device (cr, &dx, &dy);
  cairo_user_to_device_distance (cr, &sx, &sy);
  JxTextRecord *r = &cap->items[cap->n];
  r->text = strdup (pango_layout_get_text (layout));
  if (r->text == NULL)
    return;
  r->x = dx;
  r->y = dy;
  r->size = size * hypot (sx, sy);
  r->angle = angle;
  r->ax = ax;
  r->ay = ay;
  cap->n++;
}

void
jx_text_draw (cairo_t *cr, double x, double y, const char *markup, double size,
              double ax, double ay, double angle)
{
  if (markup == NULL || markup[0] == '\0')
    return;
  cairo_save (cr);
  cairo_translate (cr, x, y);
  if (angle != 0)
    cairo_rotate (cr, -angle);
  PangoLayout *layout = layout_for (cr, markup, size);
  if (layout)
    {
      int pw, ph;
      pango_layout_get_size (layout, &pw, &ph);
      cairo_move_to (cr, -ax * pw / PANGO_SCALE, -ay * ph / PANGO_SCALE);
      pango_cairo_update_layout (cr, layout);
      pango_cairo_show_layout (cr, layout);
      cairo_new_path (cr);
      cairo_restore (cr);
      capture_add (cr, layout, x, y, size, ax, ay, angle);
      return;
    }
  cairo_restore (cr);
}

char *
jx_text_escape (const char *text, char *out, size_t cap)
{
  size_t o = 0;
  if (cap == 0)
    return out;
  for (const char *p = text; *p; p++)
    {
      const char *rep = NULL;
      char one[2] = { *p, 0 };
      switch (*p)
        {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        default: rep = one; break;
        }
      size_t l = strlen (rep);
      if (o + l >= cap)
        break;
      memcpy (out + o, rep, l);
      o += l;
    }
  out[o] = '\0';
  return out;
}

static void
capture_free (void *data)
{
  JxTextCapture *cap = data;
  for (size_t i = 0; i < cap->n; i++)
    free (cap->items[i].text);
  free (cap->items);
  free (cap);
}

JxTextCapture *
jx_text_capture_attach (cairo_surface_t *surface)
{
  JxTextCapture *cap = jx_text_capture_get (surface);
  if (cap)
    return cap;
  cap = calloc (1, sizeof *cap);
  if (cap == NULL)
    return NULL;
  if (cairo_surface_set_user_data (surface, &capture_key, cap, capture_free)
      != CAIRO_STATUS_SUCCESS)
    {
      capture_free (cap);
      return NULL;
    }
  return cap;
}

JxTextCapture *
jx_text_capture_get (cairo_surface_t *surface)
{
  return surface ? cairo_surface_get_user_data (surface, &capture_key) : NULL;
}

void
jx_text_shutdown (void)
{
  /* fontconfig's own process-wide cache stays: FcFini races with the thread Pango starts
   * to initialise fontconfig, so leak checkers are told to ignore that library instead
   * (tests/draw/lsan.supp). */
  pango_cairo_font_map_set_default (NULL);
}
