/* jx-image.c — see jx-image.h. */
#include "jx-image.h"

#include <stdlib.h>
#include <string.h>

void
jx_image_options_default (JxImageOptions *opt)
{
  opt->center = true;
  opt->rotate = JX_IMAGE_ROTATE_PRINCIPAL;
  opt->flip = true;
  opt->normalize = true;
}

void
jx_image_options_none (JxImageOptions *opt)
{
  opt->center = false;
  opt->rotate = JX_IMAGE_ROTATE_NONE;
  opt->flip = false;
  opt->normalize = false;
}

static const char *const rotation_names[] = { "none", "principal", "subjet2" };

const char *
jx_image_rotation_name (JxImageRotation rotation)
{
  if ((unsigned) rotation < sizeof rotation_names / sizeof rotation_names[0])
    return rotation_names[rotation];
  return "unknown";
}

int
jx_image_rotation_parse (const char *name, JxImageRotation *out, JxError *err)
{
  for (int i = 0; i < 3; i++)
    if (name != NULL && strcmp (name, rotation_names[i]) == 0)
      {
        *out = (JxImageRotation) i;
        return 0;
      }
  return jx_error_set (err, JX_ERR_INVALID,
                       "unknown image rotation '%s' (use none, principal or subjet2)",
                       name != NULL ? name : "(null)");
}

/* ---- the plane ⟂ to the jet axis ---------------------------------------------------- */

/* (θ cos φ, θ sin φ) without evaluating φ: the transverse components already are ∝ cos φ,
 * sin φ. A particle along the axis (or with no 3-momentum) sits at the origin. */
static void
raw_xy (const JxFrame *f, JxP4 p, double *x, double *y)
{
  double vx = p.px * f->ex[0] + p.py * f->ex[1] + p.pz * f->ex[2];
  double vy = p.px * f->ey[0] + p.py * f->ey[1] + p.pz * f->ey[2];
  double vz = p.px * f->ez[0] + p.py * f->ez[1] + p.pz * f->ez[2];
  double rho = sqrt (vx * vx + vy * vy);
  if (!(rho > 0))
    {
      *x = *y = 0;
      return;
    }
  double theta = atan2 (rho, vz);
  *x = theta * vx / rho;
  *y = theta * vy / rho;
}

void
jx_image_transform_apply (const JxImageTransform *t, JxP4 p, double *x, double *y)
{
  double rx, ry;
  raw_xy (&t->frame, p, &rx, &ry);
  rx -= t->x0;
  ry -= t->y0;
  double xr = t->c * rx - t->s * ry;
  double yr = t->s * rx + t->c * ry;
  *x = t->flip * xr;
  *y = yr;
}

static bool
finite_p4 (JxP4 p)
{
  return isfinite (p.E) && isfinite (p.px) && isfinite (p.py) && isfinite (p.pz);
}

/* The principal axis of the energy distribution around the centre, as a unit vector
 * (*ux, *uy) pointing to where most energy lies; left (0, 0) when all energy is at the centre. */
static void
principal_axis (const JxImageTransform *t, const JxP4 *p, size_t n, double *ux_out,
                double *uy_out)
{
  double ux = 0, uy = 0;
  double mxx = 0, mxy = 0, myy = 0;
  for (size_t i = 0; i < n; i++)
    {
      double x, y;
      raw_xy (&t->frame, p[i], &x, &y);
      x -= t->x0;
      y -= t->y0;
      mxx += p[i].E * x * x;
      mxy += p[i].E * x * y;
      myy += p[i].E * y * y;
    }
  if (mxx > 0 || myy > 0)
    {
      double alpha = 0.5 * atan2 (2 * mxy, mxx - myy);
      ux = cos (alpha);
      uy = sin (alpha);
      double proj = 0;
      for (size_t i = 0; i < n; i++)
        {
          double x, y;
          raw_xy (&t->frame, p[i], &x, &y);
          proj += p[i].E * ((x - t->x0) * ux + (y - t->y0) * uy);
        }
      if (proj < 0)
        {
          ux = -ux;
          uy = -uy;
        }
    }
  *ux_out = ux;
  *uy_out = uy;
}

int
jx_image_transform_compute (JxImageTransform *t, const JxP4 *p, size_t n,
                            const JxImageOptions *opt, JxError *err)
{
  memset (t, 0, sizeof *t);
  t->c = 1;
  t->flip = 1;
  if (p == NULL || n == 0)
    return jx_error_set (err, JX_ERR_INVALID, "jet image: the jet has no particles");
  JxP4 jet = { 0, 0, 0, 0 };
  size_t hard = 0, second = n;
  for (size_t i = 0; i < n; i++)
    {
      if (!finite_p4 (p[i]))
        return jx_error_set (err, JX_ERR_INVALID,
                             "jet image: particle %zu has a non-finite momentum", i);
      jet = jx_p4_add (jet, p[i]);
      /* Hardest and second hardest; ties go to the lower index. */
      if (p[i].E > p[hard].E)
        {
          second = hard;
          hard = i;
        }
      else if (i != hard && (second == n || p[i].E > p[second].E))
        second = i;
    }
  if (!jx_frame_from_axis (&t->frame, jet))
    return jx_error_set (err, JX_ERR_INVALID,
                         "jet image: the particles sum to zero 3-momentum, so there is no jet "
                         "axis to project around");

  if (opt->center)
    raw_xy (&t->frame, p[hard], &t->x0, &t->y0);

  /* Direction u to be turned to (0, −1). */
  double ux = 0, uy = 0;
  if (opt->rotate == JX_IMAGE_ROTATE_PRINCIPAL)
    principal_axis (t, p, n, &ux, &uy);
  else if (opt->rotate == JX_IMAGE_ROTATE_SUBJET2 && second < n)
    {
      double x, y;
      raw_xy (&t->frame, p[second], &x, &y);
      x -= t->x0;
      y -= t->y0;
      double r = sqrt (x * x + y * y);
      if (r > 0)
        {
          ux = x / r;
          uy = y / r;
        }
    }
  if (ux != 0 || uy != 0)
    {
      /* The rotation with R u = (0, −1). */
      t->c = -uy;
      t->s = -ux;
    }

  if (opt->flip)
    {
      /* The energy-weighted mean x rather than a plain left/right energy count: the hardest
       * and second prongs sit on x = 0 up to rounding, and counting them on either side
       * would make the flip flicker. */
      double mx = 0;
      for (size_t i = 0; i < n; i++)
        {
          double x, y;
          jx_image_transform_apply (t, p[i], &x, &y);
          mx += p[i].E * x;
        }
      if (mx < 0)
        t->flip = -1;
    }
  return 0;
}

/* ---- images ----------------------------------------------------------------------------- */

int
jx_image_init (JxImage *img, int npix, double R, JxError *err)
{
  memset (img, 0, sizeof *img);
  if (npix < 1 || npix > JX_IMAGE_MAX_NPIX)
    return jx_error_set (err, JX_ERR_INVALID,
                         "jet image: %d pixels per side is out of range (1..%d)", npix,
                         JX_IMAGE_MAX_NPIX);
  if (!(R > 0) || !isfinite (R))
    return jx_error_set (err, JX_ERR_INVALID,
                         "jet image: half-width R = %g must be a positive angle in radians", R);
  img->pix = calloc ((size_t) npix * (size_t) npix, sizeof *img->pix);
  if (img->pix == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "jet image: out of memory for %d×%d pixels", npix,
                         npix);
  img->npix = npix;
  img->R = R;
  return 0;
}

void
jx_image_free (JxImage *img)
{
  if (img == NULL)
    return;
  free (img->pix);
  memset (img, 0, sizeof *img);
}

static size_t
n_pixels (const JxImage *img)
{
  return (size_t) img->npix * (size_t) img->npix;
}

void
jx_image_zero (JxImage *img)
{
  if (img->pix != NULL)
    memset (img->pix, 0, n_pixels (img) * sizeof *img->pix);
  img->outside = 0;
}

bool
jx_image_pixel_of (const JxImage *img, double x, double y, int *ix, int *iy)
{
  double scale = img->npix / (2 * img->R);
  double fx = floor ((x + img->R) * scale);
  double fy = floor ((img->R - y) * scale);
  /* Compare as doubles first: huge or NaN coordinates must not reach the int cast. */
  if (!(fx >= 0 && fx < img->npix && fy >= 0 && fy < img->npix))
    return false;
  *ix = (int) fx;
  *iy = (int) fy;
  return true;
}

void
jx_image_pixel_center (const JxImage *img, int ix, int iy, double *x, double *y)
{
  double w = 2 * img->R / img->npix;
  *x = -img->R + (ix + 0.5) * w;
  *y = img->R - (iy + 0.5) * w;
}

int
jx_image_fill (JxImage *img, const JxP4 *p, size_t n, const JxImageOptions *opt,
               double *x, double *y, JxImageTransform *transform, JxError *err)
{
  if (img == NULL || img->pix == NULL)
    return jx_error_set (err, JX_ERR_INVALID, "jet image: image not initialized "
                         "(call jx_image_init first)");
  jx_image_zero (img);
  JxImageTransform t;
  int rc = jx_image_transform_compute (&t, p, n, opt, err);
  if (transform != NULL)
    *transform = t;
  if (rc < 0)
    return rc;
  for (size_t i = 0; i < n; i++)
    {
      double px, py;
      int ix, iy;
      jx_image_transform_apply (&t, p[i], &px, &py);
      if (x != NULL)
        x[i] = px;
      if (y != NULL)
        y[i] = py;
      if (jx_image_pixel_of (img, px, py, &ix, &iy))
        img->pix[(size_t) iy * (size_t) img->npix + (size_t) ix] += p[i].E;
      else
        img->outside += p[i].E;
    }
  if (opt->normalize)
    jx_image_normalize (img);
  return 0;
}

double
jx_image_sum (const JxImage *img)
{
  double s = 0;
  size_t m = n_pixels (img);
  for (size_t k = 0; k < m; k++)
    s += img->pix[k];
  return s;
}

void
jx_image_range (const JxImage *img, double *min, double *max)
{
  size_t m = n_pixels (img);
  double lo = m > 0 ? img->pix[0] : 0, hi = lo;
  for (size_t k = 1; k < m; k++)
    {
      lo = img->pix[k] < lo ? img->pix[k] : lo;
      hi = img->pix[k] > hi ? img->pix[k] : hi;
    }
  if (min != NULL)
    *min = lo;
  if (max != NULL)
    *max = hi;
}

void
jx_image_scale (JxImage *img, double s)
{
  size_t m = n_pixels (img);
  for (size_t k = 0; k < m; k++)
    img->pix[k] *= s;
  img->outside *= s;
}

bool
jx_image_normalize (JxImage *img)
{
  double s = jx_image_sum (img);
  if (!(s > 0))
    return false;
  jx_image_scale (img, 1.0 / s);
  return true;
}

static int
check_same_shape (const JxImage *a, const JxImage *b, JxError *err)
{
  if (a->pix == NULL || b->pix == NULL)
    return jx_error_set (err, JX_ERR_INVALID, "jet image: image not initialized");
  if (a->npix != b->npix || a->R != b->R)
    return jx_error_set (err, JX_ERR_INVALID,
                         "jet images differ in shape (%d px over ±%g against %d px over ±%g); "
                         "use the same --pixels and --radius for both", a->npix, a->R,
                         b->npix, b->R);
  return 0;
}

int
jx_image_accumulate (JxImage *sum, const JxImage *img, double w, JxError *err)
{
  int rc = check_same_shape (sum, img, err);
  if (rc < 0)
    return rc;
  size_t m = n_pixels (sum);
  for (size_t k = 0; k < m; k++)
    sum->pix[k] += w * img->pix[k];
  sum->outside += w * img->outside;
  return 0;
}

int
jx_image_subtract (JxImage *out, const JxImage *a, const JxImage *b, JxError *err)
{
  int rc = check_same_shape (a, b, err);
  if (rc == 0)
    rc = check_same_shape (out, a, err);
  if (rc < 0)
    return rc;
  size_t m = n_pixels (out);
  for (size_t k = 0; k < m; k++)
    out->pix[k] = a->pix[k] - b->pix[k];
  out->outside = a->outside - b->outside;
  return 0;
}

int
jx_image_average_dataset (JxImage *avg, const JxDataset *ds, size_t first, size_t last, int label,
                          const JxImageOptions *opt, size_t *used, JxProgress *progress,
                          JxError *err)
{
  JxImage one = { 0 };
  int rc = jx_image_init (&one, avg->npix, avg->R, err);
  *used = 0;
  jx_image_zero (avg);
  if (last > ds->n_jets)
    last = ds->n_jets;
  for (size_t i = first; rc == 0 && i < last; i++)
    {
      int32_t l = ds->labels != NULL ? ds->labels[i] : 0;
      if (label < 0 || (label > 0) == (l > 0))
        {
          /* a jet without a picture is left out, not an error */
          if (jx_image_fill (&one, jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i), opt, NULL,
                             NULL, NULL, NULL) == 0)
            {
              rc = jx_image_accumulate (avg, &one, 1.0, err);
              ++*used;
            }
        }
      if (((i - first) & 255) == 255)
        {
          jx_progress_report (progress, (double) (i - first), (double) (last - first), "images");
          if (jx_progress_cancelled (progress))
            rc = jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
        }
    }
  jx_image_free (&one);
  if (rc == 0 && *used > 0)
    jx_image_scale (avg, 1.0 / (double) *used);
  return rc;
}
