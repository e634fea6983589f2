/* jx-surface.h — output files for the renderers: PNG, SVG and (multi-page) PDF.
 *
 * Open a surface of a requested size, draw on jx_surface_cr() with any renderer, and
 * close it: the file is written through jx-atomic (temporary + rename), so a failed or
 * aborted render never leaves a partial file under the real name. Sizes are in user units
 * (1 unit = 1 PNG pixel at scale 1 = 1 pt in SVG/PDF). SVG files also carry every label
 * as real (transparent) <text>, so they can be searched and selected; Cairo draws the
 * visible text as glyph outlines.
 */
#pragma once

#include <cairo.h>

#include "jx-error.h"

typedef enum {
  JX_FORMAT_AUTO,   /* from the file extension (.png, .svg, .pdf) */
  JX_FORMAT_PNG,
  JX_FORMAT_SVG,
  JX_FORMAT_PDF,
} JxFormat;

typedef struct JxSurface JxSurface;

/* Create a width × height surface for path. scale multiplies the PNG pixel size (1 for
 * 1:1, 2 for high-dpi); ignored for vector formats. On failure *out is NULL. */
int jx_surface_open (JxSurface **out, const char *path, JxFormat format, double width,
                     double height, double scale, JxError *err);

/* The drawing context (user units, origin top-left, white page not yet painted). */
cairo_t *jx_surface_cr (JxSurface *s);
JxFormat jx_surface_format (const JxSurface *s);
double jx_surface_width (const JxSurface *s);
double jx_surface_height (const JxSurface *s);

/* Finish the current page and start a new one (PDF only; JX_ERR_INVALID otherwise). */
int jx_surface_new_page (JxSurface *s, JxError *err);
int jx_surface_page_count (const JxSurface *s);

/* Write the file and free s (also on failure). */
int jx_surface_close (JxSurface *s, JxError *err);
/* Free s without writing anything under the real name. */
void jx_surface_abort (JxSurface *s);

/* The format of a path by its extension, JX_FORMAT_AUTO if unknown. */
JxFormat jx_format_from_path (const char *path);
