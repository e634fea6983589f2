/* jx-draw-image.h — jet images (paper Figs. 20–21): an N×N pixel heatmap in the plane
 * ⟂ to the jet axis, (θ cos φ, θ sin φ), with axes and a colour bar, and the particles on
 * top as markers whose area grows with energy, optionally labelled by the emission step t
 * that created them. Average images use the same call; difference images use a
 * symmetric diverging scale.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <cairo.h>

#include "jx-axis.h"
#include "jx-colormap.h"
#include "jx-draw-theme.h"
#include "jx-tree.h"

typedef struct {
  size_t npix;            /* N: the image is N × N */
  double R;               /* pixels cover [−R, R]² */
  const double *pixels;   /* pixels[row * N + col]: row 0 at the top (y near +R), column 0
                           * at the left (x near −R) — JxImage's layout: pass img.pix */
} JxImageView;

typedef struct {
  double x, y;            /* θ cos φ, θ sin φ [rad] */
  double E;               /* [GeV] */
  int step;               /* emission step that created it (jx_image_emission_step); ≤ 0:
                           * no label */
} JxImageParticle;

typedef enum {
  JX_IMAGE_LOG,           /* log10 colour scale of positive pixels (zeros: background) */
  JX_IMAGE_LINEAR,
  JX_IMAGE_DIFFERENCE,    /* symmetric diverging scale around 0 */
} JxImageScale;

typedef struct {
  JxImageScale scale;
  JxColormap colormap;    /* sequential map of log/linear images (default viridis);
                           * difference images stay diverging */
  double lo, hi;          /* colour range; NaN: from the pixels */
  const char *cbar_label; /* NULL: "pixel energy [GeV]" (or "difference") */
  const char *title;      /* markup or NULL */
  bool label_steps;       /* write t next to each particle */
  bool colorbar;
  double view_R;          /* half-width of the axes; NaN: the image's R, or the particles' */
  const JxColorScale *marker_scale;  /* colour markers by energy on this scale; NULL: one
                                      * colour (white on images, vermilion otherwise) */
} JxImageStyle;

void jx_image_style_default (JxImageStyle *style);

typedef struct {
  JxRect data;            /* the square data area */
  JxAxis x, y;
  JxRect colorbar;        /* w = 0 when absent */
  int labels_hidden;      /* step labels that would have overlapped */
} JxImageLayout;

/* Draw into rect. image and/or particles may be NULL/0. layout may be NULL. */
void jx_image_draw (cairo_t *cr, JxRect rect, const JxImageView *image,
                    const JxImageParticle *particles, size_t n_particles,
                    const JxImageStyle *style, JxImageLayout *layout);

/* The emission a node belongs to: the step t at which it, or the ancestor whose line it
 * carries on, was emitted as the softer daughter; 0 for the leading line from the jet (the
 * harder daughter at every split). So the particles of any state have distinct labels. */
int jx_image_emission_step (const JxTree *tree, int node);

/* The particles present after max_step emissions (−1: the final state), projected on
 * the plane ⟂ to the jet (root) axis, each with its emission step (jx_image_emission_step:
 * one label per emission, none for the leading particle). Returns how
 * many were written (≤ cap). */
size_t jx_image_particles_from_tree (const JxTree *tree, int max_step, JxImageParticle *out,
                                     size_t cap);

/* out[i] = mean over the count images (each npix²); out[i] = a[i] − b[i]. */
void jx_image_average (double *out, const double *const *images, size_t count, size_t npix);
void jx_image_difference (double *out, const double *a, const double *b, size_t npix);
