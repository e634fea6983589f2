/* Unit tests for jx-momentum: angles, the azimuth convention, relative coordinates. */
#include "jx-momentum.h"
#include "jx-rng.h"
#include "jx-test.h"

static void
test_frame_convention (void)
{
  /* Axis along z: e_x = (0,1,0)×(0,0,1) = (1,0,0), e_y = e_z×e_x = (0,1,0). */
  JxFrame f;
  JX_CHECK (jx_frame_from_axis (&f, jx_p4 (1, 0, 0, 1)));
  JX_CHECK_CLOSE (f.ex[0], 1, 0, 1e-15);
  JX_CHECK_CLOSE (f.ey[1], 1, 0, 1e-15);
  double th, ph;
  jx_frame_angles (&f, jx_p4 (1, 0, 1, 1), &th, &ph);
  JX_CHECK_CLOSE (th, M_PI / 4, 1e-14, 0);
  JX_CHECK_CLOSE (ph, M_PI / 2, 1e-14, 0);
  jx_frame_angles (&f, jx_p4 (1, 0, -1, 1), &th, &ph);
  JX_CHECK_CLOSE (ph, 3 * M_PI / 2, 1e-14, 0);  /* φ in [0, 2π) */

  /* Axis along x: e_x = (0,1,0)×(1,0,0) = (0,0,−1). */
  JX_CHECK (jx_frame_from_axis (&f, jx_p4 (2, 2, 0, 0)));
  JX_CHECK_CLOSE (f.ex[2], -1, 0, 1e-15);
  JX_CHECK_CLOSE (f.ey[1], 1, 0, 1e-15);  /* e_z × e_x = x × (−z) = +y */

  /* Axis along y: the fallback (1,0,0)×(0,1,0) = (0,0,1). */
  JX_CHECK (jx_frame_from_axis (&f, jx_p4 (1, 0, 1, 0)));
  JX_CHECK_CLOSE (f.ex[2], 1, 0, 1e-15);

  JX_CHECK (!jx_frame_from_axis (&f, jx_p4 (1, 0, 0, 0)));
}

static void
test_direction_roundtrip (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 7, 0);
  for (int i = 0; i < 1000; i++)
    {
      JxP4 axis = jx_p4 (1, jx_rng_uniform (&rng) - 0.5, jx_rng_uniform (&rng) - 0.5,
                         jx_rng_uniform (&rng) - 0.5);
      double th = M_PI * jx_rng_uniform (&rng), ph = 2 * M_PI * jx_rng_uniform (&rng);
      JxFrame f;
      jx_frame_from_axis (&f, axis);
      double d[3];
      jx_frame_direction (&f, th, ph, d);
      JxP4 p = jx_p4 (3, 3 * d[0], 3 * d[1], 3 * d[2]);
      JxRelative r = jx_relative_to (p, axis);
      JX_CHECK_CLOSE (r.theta, th, 1e-10, 1e-12);
      double dphi = fabs (r.phi - ph);
      JX_CHECK_MSG (fmin (dphi, 2 * M_PI - dphi) < 1e-9 || th < 1e-6, "phi %g vs %g", r.phi, ph);
      JX_CHECK_CLOSE (r.m, 0, 0, 1e-6);
    }
}

static void
test_small_angles (void)
{
  /* acos would lose everything below ~1e-8; the atan2 form keeps relative precision. */
  double eps = 1e-10;
  JxP4 a = jx_p4 (1, 0, 0, 1), b = jx_p4 (1, sin (eps), 0, cos (eps));
  JX_CHECK_CLOSE (jx_p4_angle (a, b), eps, 1e-6, 0);
  JX_CHECK_CLOSE (jx_p4_angle (a, jx_p4 (1, 0, 0, -1)), M_PI, 1e-15, 0);
  JX_CHECK_CLOSE (jx_p4_mass (jx_p4_add (a, jx_p4 (1, 0, 0, -1))), 2, 1e-15, 0);
}

int
main (void)
{
  test_frame_convention ();
  test_direction_roundtrip ();
  test_small_angles ();
  JX_TEST_MAIN_END ("momentum");
}
