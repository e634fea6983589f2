/* jx-image.h — jet images: energy pixelized in the plane ⟂ to the jet axis (DESIGN.md §3).
 *
 * Coordinates. Around the jet axis (the sum of the given particles) with the jx-momentum.h
 * frame, a particle at (θ, φ) sits at (x, y) = (θ cos φ, θ sin φ), in radians.
 *
 * Preprocessing (the jet-image literature: Cogan et al. 2015, de Oliveira et al. 2016), in
 * this order, each optional:
 *  1. centre: translate so the hardest (highest-energy) particle sits at the origin;
 *  2. rotate: turn the plane so that a chosen direction points straight down (−y), as in
 *     de Oliveira et al. ("the second subjet directly below the leading one"):
 *       - PRINCIPAL: the major axis of the energy-weighted second-moment tensor about the
 *         origin, oriented towards the side holding more energy (Σ E r·u ≥ 0);
 *       - SUBJET2: the position of the second-hardest particle;
 *     nothing is rotated when the direction is undefined (a single particle, all energy at
 *     the origin);
 *  3. flip: mirror x → −x when the energy-weighted mean x is negative (all particles,
 *     whether inside the image or not), so the heavier half is on the right. The moment,
 *     not an energy count per half: the prongs on the vertical axis must not decide;
 *  4. normalize: scale the pixels to unit sum.
 * The same transform maps any momentum (tree nodes, emissions) onto the image plane.
 *
 * Pixels. An image covers [−R, R]² with npix × npix square pixels; pix is row-major with
 * row 0 at the TOP (y near +R) and column 0 at the LEFT (x near −R), i.e. picture order.
 * Pixel values are energies [GeV] (or fractions after normalization), double.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-momentum.h"
#include "jx-progress.h"

#define JX_IMAGE_DEFAULT_NPIX 33   /* odd, so the axis falls in one centre pixel */
#define JX_IMAGE_DEFAULT_R 0.5     /* [rad]; a 500 GeV Z has its prongs at ≲ 0.4 */
#define JX_IMAGE_MAX_NPIX 4096

typedef enum {
  JX_IMAGE_ROTATE_NONE = 0,
  JX_IMAGE_ROTATE_PRINCIPAL = 1,  /* energy-weighted principal axis */
  JX_IMAGE_ROTATE_SUBJET2 = 2,    /* direction of the second-hardest particle */
} JxImageRotation;

typedef struct {
  bool center;              /* hardest particle to the origin; default true */
  JxImageRotation rotate;   /* default JX_IMAGE_ROTATE_PRINCIPAL */
  bool flip;                /* heavier half on the right; default true */
  bool normalize;           /* pixels sum to 1; default true */
} JxImageOptions;

/* All four steps on (the literature's standard pipeline). */
void jx_image_options_default (JxImageOptions *opt);
/* All off: the raw (θ cos φ, θ sin φ) picture in energy units. */
void jx_image_options_none (JxImageOptions *opt);

/* "none", "principal", "subjet2". */
const char *jx_image_rotation_name (JxImageRotation rotation);
int jx_image_rotation_parse (const char *name, JxImageRotation *out, JxError *err);

/* The map from a momentum to the preprocessed plane: raw (x, y) around frame's e_z, minus
 * (x0, y0), rotated by the angle (c, s) = (cos, sin), then x multiplied by flip. */
typedef struct {
  JxFrame frame;
  double x0, y0;
  double c, s;
  double flip;   /* +1 or −1 */
} JxImageTransform;

/* Work out the transform of a jet's particles p[0..n) per opt (normalize is ignored here).
 * Fails with JX_ERR_INVALID if n = 0, an input is not finite, or the jet has no
 * 3-momentum (no axis). */
int jx_image_transform_compute (JxImageTransform *t, const JxP4 *p, size_t n,
                                const JxImageOptions *opt, JxError *err);

/* The (x, y) of p on the preprocessed plane [rad]. */
void jx_image_transform_apply (const JxImageTransform *t, JxP4 p, double *x, double *y);

typedef struct {
  int npix;        /* pixels per side */
  double R;        /* half-width [rad] */
  double *pix;     /* npix × npix, row 0 at the top, column 0 at the left */
  double outside;  /* weight that fell outside [−R, R]² (scaled along with pix) */
} JxImage;

/* A zeroed npix × npix image over [−R, R]². 1 ≤ npix ≤ JX_IMAGE_MAX_NPIX, R > 0. */
int jx_image_init (JxImage *img, int npix, double R, JxError *err);
/* Frees pix and zeroes the struct; safe on a zeroed or already freed image. */
void jx_image_free (JxImage *img);
void jx_image_zero (JxImage *img);

/* Clear img and pixelize the energies of p[0..n) with the preprocessing of opt (geometry
 * from img). Optional outputs: x, y (length n) each particle's preprocessed coordinates,
 * transform the map used (to place tree nodes or emissions on the same picture). */
int jx_image_fill (JxImage *img, const JxP4 *p, size_t n, const JxImageOptions *opt,
                   double *x, double *y, JxImageTransform *transform, JxError *err);

/* Pixel (column ix, row iy) holding (x, y); false if (x, y) is outside [−R, R)². */
bool jx_image_pixel_of (const JxImage *img, double x, double y, int *ix, int *iy);
/* Centre (x, y) of pixel (ix, iy). */
void jx_image_pixel_center (const JxImage *img, int ix, int iy, double *x, double *y);

/* Σ of the pixels (not counting outside). */
double jx_image_sum (const JxImage *img);
/* Smallest and largest pixel (for colour scales; difference images go negative). */
void jx_image_range (const JxImage *img, double *min, double *max);
/* Scale pixels (and outside) so the pixels sum to 1; returns false and leaves the image
 * unchanged when the sum is not positive. */
bool jx_image_normalize (JxImage *img);
void jx_image_scale (JxImage *img, double s);

/* Dataset arithmetic. Images must have the same npix and R, else JX_ERR_INVALID.
 * Average over a dataset: jx_image_accumulate (sum, img_i, w_i) for every jet, then
 * jx_image_scale (sum, 1 / Σ w_i). */
int jx_image_accumulate (JxImage *sum, const JxImage *img, double w, JxError *err);
/* The average of the images of jets [first, last) of ds into avg (initialized with the shape
 * wanted; its pixels are replaced). label < 0 takes every jet; label 1 only the jets labelled
 * > 0 (signal), label 0 those labelled ≤ 0 (background; a dataset without labels is all 0).
 * Jets without a picture (empty, no axis) are left out; *used counts the others (the average is
 * zero when none is left). Checks progress for a cancel every 256 jets. */
int jx_image_average_dataset (JxImage *avg, const JxDataset *ds, size_t first, size_t last,
                              int label, const JxImageOptions *opt, size_t *used,
                              JxProgress *progress, JxError *err);

/* out = a − b (signal − background); out must be initialized with the same shape and may be
 * a or b. */
int jx_image_subtract (JxImage *out, const JxImage *a, const JxImage *b, JxError *err);
