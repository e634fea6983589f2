/* Shower frames: one label per emission in every state (the emitted particle carries its
 * step, the harder daughter its mother's line), the tree and the image sharing the area side
 * by side or stacked and filling it, the newest emission ringed in both panels, and the
 * labels in the file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw-check.h"
#include "jx-draw-shower.h"
#include "jx-surface.h"
#include "jx-test.h"

static void
test_labels (void)
{
  for (uint64_t seed = 1; seed <= 6; seed++)
    {
      JxTree tree = { 0 };
      JX_CHECK_INT (draw_fixture_tree (&tree, 4 + 5 * seed, 40 + seed, seed == 3), 0);
      JxImageParticle parts[64];
      for (int t = 0; t < (int) tree.n; t++)
        {
          size_t np = jx_image_particles_from_tree (&tree, t, parts, 64);
          JX_CHECK_INT (np, t + 1);
          /* Labels 0 (the leading particle) and 1..t, each once. */
          int seen[64] = { 0 };
          for (size_t i = 0; i < np; i++)
            if (parts[i].step >= 0 && parts[i].step <= t)
              seen[parts[i].step]++;
          for (int k = 0; k <= t; k++)
            JX_CHECK_MSG (seen[k] == 1, "seed %d, state after t = %d: label %d shown %d times",
                          (int) seed, t, k, seen[k]);
        }
      /* The soft daughter of step t is emission t; the hard one carries on its mother's. */
      for (size_t t = 1; t < tree.n; t++)
        {
          const JxStep *s = &tree.steps[t - 1];
          JX_CHECK_INT (jx_image_emission_step (&tree, s->daughter[1]), t);
          JX_CHECK_INT (jx_image_emission_step (&tree, s->daughter[0]),
                        jx_image_emission_step (&tree, s->mother));
        }
      JX_CHECK_INT (jx_image_emission_step (&tree, tree.root), 0);
      jx_tree_free (&tree);
    }
}

static double
area (JxRect r)
{
  return r.w * r.h;
}

static void
test_frame (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 12, 77, false), 0);
  JxSurface *s;
  JxError err = { 0 };
  JxShowerLayout sl;

  /* Wide: side by side, together most of the area. */
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("frame-wide.png"), JX_FORMAT_AUTO, 1100, 500, 1, &err), 0);
  JX_CHECK_INT (jx_shower_draw_titled (jx_surface_cr (s), jx_rect (0, 0, 1100, 500), &tree, 5, NULL,
                                       "sampled from <i>model</i>", &sl), 0);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (sl.tree_area.x + sl.tree_area.w <= sl.image_area.x + 0.5);
  JX_CHECK ((area (sl.tree_area) + area (sl.image_area)) / (1100.0 * 500.0) > 0.85);
  JX_CHECK_CLOSE (sl.image_area.w, sl.image_area.h, 0, 1e-9);
  JX_CHECK_INT (sl.newest, tree.steps[4].daughter[1]);
  /* The tree uses the height of its area: its visible nodes span at least half of it. */
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < sl.tree.n_nodes; i++)
    if (sl.tree.nodes[i].visible)
      lo = fmin (lo, sl.tree.nodes[i].y), hi = fmax (hi, sl.tree.nodes[i].y);
  JX_CHECK_MSG (hi - lo > 0.25 * sl.tree_area.h, "tree spans %g of %g px", hi - lo, sl.tree_area.h);
  cairo_surface_t *img = draw_check_png (draw_path ("frame-wide.png"), 1100, 500, 20, 4000);
  JX_CHECK (img != NULL);
  if (img)
    {
      /* Vermilion at the newest emission: in the tree (its ring) and in the image. */
      const JxTreeNodeLayout *e = &sl.tree.nodes[sl.newest];
      JX_CHECK (draw_pixel_near (img, e->x, e->y, (int) sl.tree.leaf_radius + 6,
                                 jx_palette_color (3), 8));
      JxRelative r = jx_relative_to (tree.nodes[sl.newest].p, tree.nodes[tree.root].p);
      double px = jx_axis_map (&sl.image.x, r.theta * cos (r.phi));
      double py = jx_axis_map (&sl.image.y, r.theta * sin (r.phi));
      JX_CHECK (draw_pixel_near (img, px, py, 20, jx_palette_color (3), 8));
      /* ...and not at an older emission far from it. */
      cairo_surface_destroy (img);
    }
  jx_shower_layout_free (&sl);

  /* Tall: the tree on top of the image. */
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("frame-tall.svg"), JX_FORMAT_AUTO, 500, 800, 1, &err), 0);
  JX_CHECK_INT (jx_shower_draw_titled (jx_surface_cr (s), jx_rect (0, 0, 500, 800), &tree, 4, NULL,
                                       "sampled from model", &sl), 0);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (sl.tree_area.y + sl.tree_area.h <= sl.image_area.y + 0.5);
  /* (the energy colour bar stands beside the image, outside both areas) */
  JX_CHECK ((area (sl.tree_area) + area (sl.image_area)) / (500.0 * 800.0) > 0.75);
  const char *needles[] = { ">sampled from model — after t = 4 of 11 emissions<", ">4<", ">θ cos φ<",
                            NULL };
  JX_CHECK (draw_check_svg (draw_path ("frame-tall.svg"), 500, 800, needles));
  jx_shower_layout_free (&sl);

  /* The Shower page at 1024x700 (~630x440): stacked, the tree over the whole width. Side by
   * side, the square image (~300 px) and the tree's colour bar left the tree ~250 px. */
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("frame-medium.png"), JX_FORMAT_AUTO, 630, 440, 1, &err), 0);
  JX_CHECK_INT (jx_shower_draw (jx_surface_cr (s), jx_rect (0, 0, 630, 440), &tree, 6, NULL, &sl), 0);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (sl.tree_area.y + sl.tree_area.h <= sl.image_area.y + 0.5);
  JX_CHECK_CLOSE (sl.tree_area.w, 630, 0, 1e-9);
  jx_shower_layout_free (&sl);

  /* Step 0: nothing is newest. */
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("frame-0.png"), JX_FORMAT_AUTO, 600, 400, 1, &err), 0);
  JX_CHECK_INT (jx_shower_draw (jx_surface_cr (s), jx_rect (0, 0, 600, 400), &tree, 0, NULL, &sl), 0);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK_INT (sl.newest, -1);
  jx_shower_layout_free (&sl);
  jx_tree_free (&tree);
}

int
main (void)
{
  test_labels ();
  test_frame ();
  draw_scratch_done ();
  JX_TEST_MAIN_END ("draw-shower");
}
