/* jx-draw-text.h — text through Pango, with anchoring, rotation, measuring, and a record
 * of every string drawn on a surface that asked for one (the SVG writer uses it to put
 * the labels into the file as real, searchable <text>; Cairo itself emits glyph outlines).
 *
 * Strings are Pango markup ("10<sup>3</sup>", "<i>θ</i>"); use jx_text_escape for
 * arbitrary user text. A PangoLayout is cached on each cairo_t, so drawing many labels is
 * cheap.
 */
#pragma once

#include <stddef.h>
#include <cairo.h>

/* Draw markup at (x, y) in user space. (ax, ay) ∈ [0,1]² is the anchor inside the text's
 * box (0,0 top-left, 0.5,0.5 centre, 1,1 bottom-right); angle rotates around (x, y)
 * (radians, counter-clockwise on screen). size in points. */
void jx_text_draw (cairo_t *cr, double x, double y, const char *markup, double size,
                   double ax, double ay, double angle);

/* Logical size of the markup's box, in user units. */
void jx_text_size (cairo_t *cr, const char *markup, double size, double *w, double *h);

/* Escape &, <, > for markup into out (capacity cap; truncated). Returns out. */
char *jx_text_escape (const char *text, char *out, size_t cap);

/* Prepared strings for labels drawn again and again (tree labels on every redraw):
 * shaped once, then each draw only paints glyphs. Strings are plain text or markup. */
typedef struct JxTextCache JxTextCache;

JxTextCache *jx_text_cache_new (cairo_t *cr, double size);
void jx_text_cache_free (JxTextCache *cache);
/* Add a string; returns its index (≥ 0) and its size, or −1 when out of memory. */
int jx_text_cache_add (JxTextCache *cache, const char *markup, double *w, double *h);
/* Draw string index with its box's (ax, ay) point at (x, y), unrotated. */
void jx_text_cache_draw (cairo_t *cr, JxTextCache *cache, int index, double x, double y,
                         double ax, double ay);

/* The same with a halo: the glyph outlines stroked in halo_rgb, halo_width wide, under the
 * text in the current source, so a label stays readable over lines and fills. */
void jx_text_cache_draw_halo (cairo_t *cr, JxTextCache *cache, int index, double x, double y,
                              double ax, double ay, double halo_r, double halo_g, double halo_b,
                              double halo_width);

/* Release Pango's process-wide font map, so leak checkers see a clean exit (fontconfig's
 * cache remains; see jx-draw-text.c). Call at the very end, after every cairo_t is gone. */
void jx_text_shutdown (void);

/* Text records on a surface. */
typedef struct {
  char *text;      /* plain text (markup removed) */
  double x, y;     /* the anchor point in device units */
  double size;     /* font size in device units */
  double angle;    /* radians, counter-clockwise */
  double ax, ay;
} JxTextRecord;

typedef struct {
  JxTextRecord *items;
  size_t n, cap;
} JxTextCapture;

/* Start recording texts drawn onto surface (owned by the surface; freed with it). */
JxTextCapture *jx_text_capture_attach (cairo_surface_t *surface);
/* The surface's record, or NULL if it does not record. */
JxTextCapture *jx_text_capture_get (cairo_surface_t *surface);
