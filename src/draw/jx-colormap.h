/* jx-colormap.h — colours for the drawing layer: sequential and diverging maps, and a
 * categorical palette, all readable by colour-blind viewers.
 *
 * JX_CMAP_VIRIDIS is perceptually uniform (tabulated from the published viridis
 * definition, 11 anchors, linear in sRGB between them); JX_CMAP_DIVERGING is the
 * ColorBrewer RdBu scheme reversed (negative = blue, 0 = near-white, positive = red);
 * the categorical palette is Okabe–Ito.
 */
#pragma once

#include <stddef.h>

typedef struct {
  double r, g, b;
} JxRgb;

typedef enum {
  JX_CMAP_VIRIDIS,
  JX_CMAP_DIVERGING,
  JX_CMAP_GREYS,     /* white → black, for print */
} JxColormap;

/* The map at t ∈ [0, 1] (clamped; NaN gives mid-grey). */
JxRgb jx_colormap_eval (JxColormap map, double t);

/* The sequential maps a user may pick for energies and jet images (the GSettings key
 * `colormap`, `junipr render --colormap`), by name: "viridis" or "greys" → the map, anything
 * else → −1. The diverging map is not a choice: signed values always get it. */
#define JX_COLORMAP_CHOICES "viridis or greys"
int jx_colormap_parse (const char *name);
/* "viridis", "diverging" or "greys" ("" for a value outside the enum). */
const char *jx_colormap_name (JxColormap map);

/* Okabe–Ito colour i (cycles; 0 is blue, 1 orange, 2 bluish green, 3 vermilion, ...). */
JxRgb jx_palette_color (size_t i);
size_t jx_palette_size (void);

/* A value scale for a colour map: linear or log10 between lo and hi, or symmetric around 0
 * (for diverging maps: lo = −hi). */
typedef struct {
  JxColormap map;
  double lo, hi;   /* data values at t = 0 and t = 1 (for log: positive) */
  int log;         /* 1: t = (log10 v − log10 lo)/(log10 hi − log10 lo) */
} JxColorScale;

/* t ∈ [0, 1] of value v on the scale (clamped; NaN stays NaN). */
double jx_color_scale_t (const JxColorScale *s, double v);
JxRgb jx_color_scale_eval (const JxColorScale *s, double v);

/* Colour as 8-bit components as a PNG would store them (for pixel probes). */
void jx_rgb_to_bytes (JxRgb c, unsigned char out[3]);

/* Mix towards white by f ∈ [0, 1] (for faded and lightened fills). */
JxRgb jx_rgb_lighten (JxRgb c, double f);
