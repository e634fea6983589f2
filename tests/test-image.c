/* Unit tests for jx-image: pixelization, preprocessing (centre, rotate, flip, normalize),
 * invariance under rotations of the whole jet, dataset image arithmetic and averages. */
#include <string.h>

#include "jx-image.h"
#include "jx-rng.h"
#include "jx-test.h"

static JxP4
massless (double E, double th, double ph)
{
  return jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
}

/* A massless momentum at raw plane position (x, y) around ẑ: for the axis ẑ the frame is
 * e_x = x̂, e_y = ŷ, so (θ, φ) = (|r|, atan2(y, x)). */
static JxP4
at_xy (double E, double x, double y)
{
  return massless (E, sqrt (x * x + y * y), atan2 (y, x));
}

static double
total_energy (const JxP4 *p, size_t n)
{
  double e = 0;
  for (size_t i = 0; i < n; i++)
    e += p[i].E;
  return e;
}

static JxImage
new_image (int npix, double R)
{
  JxImage img;
  JxError err = { 0 };
  int rc = jx_image_init (&img, npix, R, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  return img;
}

static void
test_energy_conserved (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 11, 0);
  JxP4 p[20];
  for (int trial = 0; trial < 50; trial++)
    {
      size_t n = 1 + (size_t) (19 * jx_rng_uniform (&rng));
      for (size_t i = 0; i < n; i++)
        p[i] = massless (1 + 50 * jx_rng_uniform (&rng), 0.3 * jx_rng_uniform (&rng),
                         2 * M_PI * jx_rng_uniform (&rng));
      /* Every particle is within 0.3 of ẑ; the axis is within 0.3 too, so raw |x|, |y| < 0.6
       * and after centring < 1.2: R = 1.25 holds everything in all modes. */
      for (int mode = 0; mode < 4; mode++)
        {
          JxImageOptions opt;
          jx_image_options_default (&opt);
          opt.normalize = false;
          opt.center = mode != 0;
          opt.rotate = mode == 0 ? JX_IMAGE_ROTATE_NONE
                     : mode == 2 ? JX_IMAGE_ROTATE_SUBJET2 : JX_IMAGE_ROTATE_PRINCIPAL;
          opt.flip = mode == 3;
          JxImage img = new_image (mode == 1 ? 32 : 33, 1.25);
          JxError err = { 0 };
          JX_CHECK (jx_image_fill (&img, p, n, &opt, NULL, NULL, NULL, &err) == 0);
          JX_CHECK_CLOSE (jx_image_sum (&img), total_energy (p, n), 1e-13, 0);
          JX_CHECK (img.outside == 0);
          jx_image_free (&img);
        }
    }
}

static void
test_single_particle_centre (void)
{
  JxImageOptions opt;
  jx_image_options_none (&opt);
  JxError err = { 0 };
  JxP4 p = massless (7, 0.4, 1.3);  /* alone, it is its own jet axis */
  JxImage img = new_image (33, 0.5);
  double x, y;
  JX_CHECK (jx_image_fill (&img, &p, 1, &opt, &x, &y, NULL, &err) == 0);
  JX_CHECK_CLOSE (x, 0, 0, 1e-15);
  JX_CHECK_CLOSE (y, 0, 0, 1e-15);
  JX_CHECK_CLOSE (img.pix[16 * 33 + 16], 7, 1e-15, 0);
  JX_CHECK_CLOSE (jx_image_sum (&img), 7, 1e-15, 0);
  jx_image_free (&img);

  /* Even npix: the origin is the corner of the four central pixels; it lands in one. */
  img = new_image (32, 0.5);
  JX_CHECK (jx_image_fill (&img, &p, 1, &opt, NULL, NULL, NULL, &err) == 0);
  double centre = img.pix[15 * 32 + 15] + img.pix[15 * 32 + 16] + img.pix[16 * 32 + 15]
                  + img.pix[16 * 32 + 16];
  JX_CHECK_CLOSE (centre, 7, 1e-15, 0);
  jx_image_free (&img);

  /* On the axis of a symmetric jet, with its partners at (±a, 0) in the frame of ẑ. */
  double a = 0.2;
  JxP4 q[3] = { massless (5, 0, 0), massless (2, a, 0), massless (2, a, M_PI) };
  img = new_image (33, 0.5);
  double xs[3], ys[3];
  JX_CHECK (jx_image_fill (&img, q, 3, &opt, xs, ys, NULL, &err) == 0);
  JX_CHECK_CLOSE (img.pix[16 * 33 + 16], 5, 1e-15, 0);
  JX_CHECK_CLOSE (xs[1], a, 1e-14, 0);
  JX_CHECK_CLOSE (ys[1], 0, 0, 1e-14);
  JX_CHECK_CLOSE (xs[2], -a, 1e-14, 0);
  /* x = 0.2 → column floor((0.2 + 0.5)·33) = 23; x = −0.2 → 9; row of y = 0 is 16. */
  JX_CHECK_CLOSE (img.pix[16 * 33 + 23], 2, 1e-15, 0);
  JX_CHECK_CLOSE (img.pix[16 * 33 + 9], 2, 1e-15, 0);
  jx_image_free (&img);

  /* Picture order: +y is the top row. */
  JxP4 up[3] = { massless (5, 0, 0), massless (1, 0.3, M_PI / 2),
                 massless (1.5, 0.3, -M_PI / 2) };
  img = new_image (33, 0.5);
  JX_CHECK (jx_image_fill (&img, up, 3, &opt, xs, ys, NULL, &err) == 0);
  int ix, iy;
  JX_CHECK (jx_image_pixel_of (&img, xs[1], ys[1], &ix, &iy));
  JX_CHECK (ys[1] > 0.25 && iy < 16 && ix == 16);
  jx_image_free (&img);
}

/* A jet with, around the hardest particle h at c: the second prong s at c + d u, a 5 GeV
 * particle at c + w v and a 2 GeV one at c − w v (u ⟂ v). c is solved so that the jet's
 * 3-momentum points exactly along ẑ, which makes the raw plane the one of at_xy. */
static void
build_prongs (double beta, double vsign, double d, double w, JxP4 p[4])
{
  double ux = cos (beta), uy = sin (beta), vx = -vsign * uy, vy = vsign * ux;
  double E[4] = { 100, 40, 5, 2 };
  double ox[4] = { 0, d * ux, w * vx, -w * vx }, oy[4] = { 0, d * uy, w * vy, -w * vy };
  double cx = 0, cy = 0;
  for (int it = 0; it < 200; it++)
    {
      double fx = 0, fy = 0;
      for (int i = 0; i < 4; i++)
        {
          p[i] = at_xy (E[i], cx + ox[i], cy + oy[i]);
          fx += p[i].px;
          fy += p[i].py;
        }
      cx -= fx / 147;
      cy -= fy / 147;
    }
  for (int i = 0; i < 4; i++)
    p[i] = at_xy (E[i], cx + ox[i], cy + oy[i]);
}

static void
test_preprocessing_two_prong (void)
{
  double d = 0.3, w = 0.1;
  double flips[2];
  for (int k = 0; k < 2; k++)
    for (int mode = 0; mode < 2; mode++)
      {
        JxP4 p[4];
        build_prongs (1.1 + 2.0 * k, k == 0 ? 1 : -1, d, w, p);
        JX_CHECK (fabs (p[0].px + p[1].px + p[2].px + p[3].px) < 1e-12);
        JxImageOptions opt;
        jx_image_options_default (&opt);
        opt.rotate = mode == 0 ? JX_IMAGE_ROTATE_PRINCIPAL : JX_IMAGE_ROTATE_SUBJET2;
        JxImage img = new_image (33, 0.5);
        double x[4], y[4];
        JxImageTransform t;
        JxError err = { 0 };
        JX_CHECK (jx_image_fill (&img, p, 4, &opt, x, y, &t, &err) == 0);
        /* Hardest at the origin, second prong straight below, heavier side on the right. */
        JX_CHECK_CLOSE (x[0], 0, 0, 1e-12);
        JX_CHECK_CLOSE (y[0], 0, 0, 1e-12);
        JX_CHECK_CLOSE (x[1], 0, 0, 1e-12);
        JX_CHECK_CLOSE (y[1], -d, 1e-12, 0);
        JX_CHECK_CLOSE (x[2], w, 1e-12, 0);
        JX_CHECK_CLOSE (y[2], 0, 0, 1e-12);
        JX_CHECK_CLOSE (x[3], -w, 1e-12, 0);
        /* Pixels: centre (16, 16); (0, −0.3) → row floor(0.8·33) = 26; (0.1, 0) → column 19.
         * Normalized: the fractions 100/147, 40/147, 5/147. */
        JX_CHECK_CLOSE (img.pix[16 * 33 + 16], 100.0 / 147, 1e-12, 0);
        JX_CHECK_CLOSE (img.pix[26 * 33 + 16], 40.0 / 147, 1e-12, 0);
        JX_CHECK_CLOSE (img.pix[16 * 33 + 19], 5.0 / 147, 1e-12, 0);
        JX_CHECK_CLOSE (img.pix[16 * 33 + 13], 2.0 / 147, 1e-12, 0);
        JX_CHECK_CLOSE (jx_image_sum (&img), 1, 1e-14, 0);
        /* The transform maps momenta the same way as the per-particle outputs. */
        double tx, ty;
        jx_image_transform_apply (&t, p[2], &tx, &ty);
        JX_CHECK (tx == x[2] && ty == y[2]);
        flips[k] = t.flip;
        jx_image_free (&img);
      }
  /* Mirror-image configurations: exactly one of them needed the flip. */
  JX_CHECK (flips[0] * flips[1] == -1);

  /* Without the flip, the mirrored jet keeps its 5 GeV particle on the left. */
  JxP4 p[4];
  build_prongs (1.1 + 2.0 * (flips[0] < 0 ? 0 : 1), flips[0] < 0 ? 1 : -1, d, w, p);
  JxImageOptions opt;
  jx_image_options_default (&opt);
  opt.flip = false;
  JxImage img = new_image (33, 0.5);
  double x[4], y[4];
  JX_CHECK (jx_image_fill (&img, p, 4, &opt, x, y, NULL, NULL) == 0);
  JX_CHECK_CLOSE (x[2], -w, 1e-12, 0);
  JX_CHECK_CLOSE (y[1], -d, 1e-12, 0);
  jx_image_free (&img);
}

static void
rotate_jet (JxRng *rng, const JxP4 *in, JxP4 *out, size_t n)
{
  double u1 = jx_rng_uniform (rng), u2 = jx_rng_uniform (rng), u3 = jx_rng_uniform (rng);
  double w = sqrt (1 - u1) * sin (2 * M_PI * u2), x = sqrt (1 - u1) * cos (2 * M_PI * u2);
  double y = sqrt (u1) * sin (2 * M_PI * u3), z = sqrt (u1) * cos (2 * M_PI * u3);
  double R[3][3] = {
    { 1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w) },
    { 2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w) },
    { 2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y) },
  };
  for (size_t i = 0; i < n; i++)
    {
      double v[3] = { in[i].px, in[i].py, in[i].pz };
      out[i] = jx_p4 (in[i].E, R[0][0] * v[0] + R[0][1] * v[1] + R[0][2] * v[2],
                      R[1][0] * v[0] + R[1][1] * v[1] + R[1][2] * v[2],
                      R[2][0] * v[0] + R[2][1] * v[1] + R[2][2] * v[2]);
    }
}

/* The preprocessing removes the orientation of the jet: any rotation of the whole jet gives
 * the same preprocessed coordinates (the raw ones differ by an azimuthal turn). */
static void
test_rotation_invariance (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 5, 0);
  JxP4 p[15], q[15];
  for (int trial = 0; trial < 100; trial++)
    {
      size_t n = 2 + (size_t) (13 * jx_rng_uniform (&rng));
      for (size_t i = 0; i < n; i++)
        p[i] = massless (1 + 60 * jx_rng_uniform (&rng), 0.3 * jx_rng_uniform (&rng),
                         2 * M_PI * jx_rng_uniform (&rng));
      rotate_jet (&rng, p, q, n);
      for (int mode = 0; mode < 2; mode++)
        {
          JxImageOptions opt;
          jx_image_options_default (&opt);
          opt.rotate = mode == 0 ? JX_IMAGE_ROTATE_PRINCIPAL : JX_IMAGE_ROTATE_SUBJET2;
          JxImageTransform ta, tb;
          JX_CHECK (jx_image_transform_compute (&ta, p, n, &opt, NULL) == 0);
          JX_CHECK (jx_image_transform_compute (&tb, q, n, &opt, NULL) == 0);
          for (size_t i = 0; i < n; i++)
            {
              double xa, ya, xb, yb;
              jx_image_transform_apply (&ta, p[i], &xa, &ya);
              jx_image_transform_apply (&tb, q[i], &xb, &yb);
              JX_CHECK_MSG (fabs (xa - xb) < 1e-9 && fabs (ya - yb) < 1e-9,
                            "trial %d mode %d particle %zu: (%g, %g) vs (%g, %g)", trial, mode,
                            i, xa, ya, xb, yb);
            }
        }
    }
}

static void
test_arithmetic (void)
{
  JxError err = { 0 };
  JxImage a = new_image (4, 0.4), b = new_image (4, 0.4), sum = new_image (4, 0.4);
  for (int k = 0; k < 16; k++)
    {
      a.pix[k] = k;
      b.pix[k] = 2 * k + 1;
    }
  a.outside = 3;
  JX_CHECK_CLOSE (jx_image_sum (&a), 120, 0, 0);
  /* Weighted average of a (w = 1) and b (w = 3): (k + 3(2k + 1)) / 4. */
  JX_CHECK (jx_image_accumulate (&sum, &a, 1, &err) == 0);
  JX_CHECK (jx_image_accumulate (&sum, &b, 3, &err) == 0);
  jx_image_scale (&sum, 1.0 / 4);
  for (int k = 0; k < 16; k++)
    JX_CHECK_CLOSE (sum.pix[k], (k + 3.0 * (2 * k + 1)) / 4, 1e-15, 0);
  JX_CHECK_CLOSE (sum.outside, 3.0 / 4, 1e-15, 0);
  /* Difference b − a = k + 1, in place. */
  JX_CHECK (jx_image_subtract (&b, &b, &a, &err) == 0);
  for (int k = 0; k < 16; k++)
    JX_CHECK_CLOSE (b.pix[k], k + 1, 0, 0);
  double lo, hi;
  JX_CHECK (jx_image_subtract (&sum, &a, &b, &err) == 0);
  jx_image_range (&sum, &lo, &hi);
  JX_CHECK (lo == -1 && hi == -1);
  /* Normalization: unit pixel sum, outside scaled along. */
  JX_CHECK (jx_image_normalize (&a));
  JX_CHECK_CLOSE (jx_image_sum (&a), 1, 1e-15, 0);
  JX_CHECK_CLOSE (a.outside, 3.0 / 120, 1e-15, 0);
  jx_image_zero (&sum);
  JX_CHECK (!jx_image_normalize (&sum));
  /* Shapes must match. */
  JxImage c = new_image (5, 0.4), d = new_image (4, 0.5);
  JX_CHECK_INT (jx_image_accumulate (&sum, &c, 1, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "shape") != NULL);
  JX_CHECK_INT (jx_image_subtract (&sum, &a, &d, &err), JX_ERR_INVALID);
  jx_image_free (&a);
  jx_image_free (&b);
  jx_image_free (&c);
  jx_image_free (&d);
  jx_image_free (&sum);
  jx_image_free (&sum);  /* double free is harmless */
}

static void
test_pixels_and_errors (void)
{
  JxImage img = new_image (7, 0.35);
  for (int iy = 0; iy < 7; iy++)
    for (int ix = 0; ix < 7; ix++)
      {
        double x, y;
        int jx, jy;
        jx_image_pixel_center (&img, ix, iy, &x, &y);
        JX_CHECK (jx_image_pixel_of (&img, x, y, &jx, &jy) && jx == ix && jy == iy);
      }
  int ix, iy;
  JX_CHECK (!jx_image_pixel_of (&img, 0.35, 0, &ix, &iy));
  JX_CHECK (!jx_image_pixel_of (&img, 0, -0.36, &ix, &iy));
  JX_CHECK (!jx_image_pixel_of (&img, NAN, 0, &ix, &iy));
  JX_CHECK (!jx_image_pixel_of (&img, 1e300, 0, &ix, &iy));

  /* Particles outside the window are counted in outside, not in the pixels. */
  JxP4 p[2] = { massless (10, 0, 0), massless (1, 1.0, 0) };
  JxImageOptions opt;
  jx_image_options_none (&opt);
  JxError err = { 0 };
  JX_CHECK (jx_image_fill (&img, p, 2, &opt, NULL, NULL, NULL, &err) == 0);
  JX_CHECK_CLOSE (img.outside, 1, 0, 0);
  JX_CHECK_CLOSE (jx_image_sum (&img), 10, 1e-15, 0);

  JX_CHECK_INT (jx_image_fill (&img, p, 0, &opt, NULL, NULL, NULL, &err), JX_ERR_INVALID);
  JxP4 back[2] = { jx_p4 (5, 0, 0, 5), jx_p4 (5, 0, 0, -5) };
  JX_CHECK_INT (jx_image_fill (&img, back, 2, &opt, NULL, NULL, NULL, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "axis") != NULL);
  JxP4 nan[1] = { jx_p4 (1, NAN, 0, 1) };
  JX_CHECK_INT (jx_image_fill (&img, nan, 1, &opt, NULL, NULL, NULL, &err), JX_ERR_INVALID);
  jx_image_free (&img);

  JxImage bad;
  JX_CHECK_INT (jx_image_init (&bad, 0, 0.5, &err), JX_ERR_INVALID);
  JX_CHECK_INT (jx_image_init (&bad, 10, -1, &err), JX_ERR_INVALID);
  JX_CHECK (bad.pix == NULL);

  JxImageRotation r;
  JX_CHECK (jx_image_rotation_parse ("subjet2", &r, &err) == 0 && r == JX_IMAGE_ROTATE_SUBJET2);
  JX_CHECK_INT (jx_image_rotation_parse ("sideways", &r, &err), JX_ERR_INVALID);
  JX_CHECK (strcmp (jx_image_rotation_name (JX_IMAGE_ROTATE_PRINCIPAL), "principal") == 0);
}

/* jx_image_average_dataset: jets A (label 1), B (label 0), A (label 1), an empty jet (label 1,
 * left out): the signal average is A's image, the background B's, all (2A + B)/3. */
static void
test_dataset_average (void)
{
  JxP4 a[3] = { at_xy (100, 0, 0), at_xy (30, 0.1, 0.05), at_xy (10, -0.2, 0.1) };
  JxP4 b[2] = { at_xy (80, 0, 0), at_xy (60, 0.0, -0.3) };
  JxDataset ds;
  JxError err = { 0 };
  JxImageOptions opt;
  jx_image_options_default (&opt);
  jx_dataset_init (&ds);
  JX_CHECK_INT (jx_dataset_append_labeled (&ds, a, 3, 1, 1.0, &err), 0);
  JX_CHECK_INT (jx_dataset_append_labeled (&ds, b, 2, 0, 1.0, &err), 0);
  JX_CHECK_INT (jx_dataset_append_labeled (&ds, a, 3, 1, 1.0, &err), 0);
  JX_CHECK_INT (jx_dataset_append_labeled (&ds, a, 0, 1, 1.0, &err), 0);
  JxImage ia = new_image (15, 0.5), ib = new_image (15, 0.5), avg = new_image (15, 0.5);
  JX_CHECK_INT (jx_image_fill (&ia, a, 3, &opt, NULL, NULL, NULL, &err), 0);
  JX_CHECK_INT (jx_image_fill (&ib, b, 2, &opt, NULL, NULL, NULL, &err), 0);
  size_t used = 0;
  JX_CHECK_INT (jx_image_average_dataset (&avg, &ds, 0, ds.n_jets, 1, &opt, &used, NULL, &err), 0);
  JX_CHECK_INT (used, 2);
  for (int k = 0; k < 15 * 15; k++)
    JX_CHECK_CLOSE (avg.pix[k], ia.pix[k], 1e-15, 1e-17);
  JX_CHECK_INT (jx_image_average_dataset (&avg, &ds, 0, ds.n_jets, 0, &opt, &used, NULL, &err), 0);
  JX_CHECK_INT (used, 1);
  for (int k = 0; k < 15 * 15; k++)
    JX_CHECK (avg.pix[k] == ib.pix[k]);
  JX_CHECK_INT (jx_image_average_dataset (&avg, &ds, 0, ds.n_jets, -1, &opt, &used, NULL, &err), 0);
  JX_CHECK_INT (used, 3);
  for (int k = 0; k < 15 * 15; k++)
    JX_CHECK_CLOSE (avg.pix[k], (2 * ia.pix[k] + ib.pix[k]) / 3, 1e-14, 1e-17);
  /* a range without signal jets gives an empty average */
  JX_CHECK_INT (jx_image_average_dataset (&avg, &ds, 1, 2, 1, &opt, &used, NULL, &err), 0);
  JX_CHECK (used == 0 && jx_image_sum (&avg) == 0);
  jx_image_free (&ia);
  jx_image_free (&ib);
  jx_image_free (&avg);
  jx_dataset_free (&ds);
}

int
main (void)
{
  test_energy_conserved ();
  test_single_particle_centre ();
  test_preprocessing_two_prong ();
  test_rotation_invariance ();
  test_arithmetic ();
  test_pixels_and_errors ();
  test_dataset_average ();
  JX_TEST_MAIN_END ("image");
}
