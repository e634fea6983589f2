/* jx-draw-lund.h — Lund-plane figures (jx-lund.h).
 *
 * One jet: its primary emissions as points in (x, y) = (ln 1/Δ, ln k_t), each labelled with
 * its JUNIPR step t and filled by its likelihood-ratio term r_t = log10 P_A,t/P_B,t on a
 * symmetric diverging scale (grey when the term is unknown), point area growing with z.
 * A dataset: two panels over the map's grid — the emission density (emissions per jet per
 * unit area, sequential) and the attribution (Σ r_t per bin / jets, diverging) — and under
 * them one line with the extra cells and the sum: "bins + secondary + end + outside = mean
 * log10 LR". Bins without any emission are light grey (JX_LUND_EMPTY_BIN) in both panels.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <cairo.h>

#include "jx-axis.h"
#include "jx-colormap.h"
#include "jx-draw-theme.h"
#include "jx-lund.h"

#define JX_LUND_EMPTY_BIN ((JxRgb) { 0.88, 0.88, 0.88 })

typedef struct {
  const char *title;       /* markup or NULL */
  const char *lr_label;    /* title of the r_t colour bar (markup); NULL: "log₁₀ P_A/P_B" */
  double lr_max;           /* r_t colours span ±lr_max; NaN: the largest |value| shown */
  JxColormap colormap;     /* sequential map of the density (default viridis) */
  JxLundGrid grid;         /* axis ranges of the one-jet plot (grown to show every point) */
} JxLundStyle;

void jx_lund_style_default (JxLundStyle *style);

typedef struct {
  JxRect data;             /* one jet: the plot; map: the attribution panel */
  JxRect density;          /* map: the density panel (w = 0 for one jet) */
  JxAxis x, y;             /* of data */
  JxColorScale lr;         /* the diverging scale used */
  int labels_hidden;       /* one jet: step labels that would have overlapped */
} JxLundLayout;

/* The primary emissions e[0..n) of one jet (n may be 0: empty axes). layout may be NULL. */
void jx_lund_draw_jet (cairo_t *cr, JxRect rect, const JxLundEmission *e, size_t n,
                       const JxLundStyle *style, JxLundLayout *layout);

/* A dataset's map (style->grid is not used: the map has its own). layout may be NULL. */
void jx_lund_draw_map (cairo_t *cr, JxRect rect, const JxLundMap *map, const JxLundStyle *style,
                       JxLundLayout *layout);

/* The map's sum line as plain UTF-8, e.g. "bins +0.812 · secondary +0.153 · end −0.034 ·
 * outside +0.000 = mean log10 P_A/P_B +0.931 (400 jets)" (also the GUI's status text). */
void jx_lund_map_summary (const JxLundMap *map, char *out, size_t cap);
