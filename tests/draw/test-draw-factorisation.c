/* The Help window's factorisation picture: every factor of every step is written on it
 * (P_end, P_mother, P_branch for t = 1..3 and the final P_end(stop)), nothing is cut at the
 * picture's edges, no two labels overlap, at the size the Help window draws it and at a small
 * one. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw-check.h"
#include "jx-draw-factorisation.h"
#include "jx-draw-text.h"
#include "jx-surface.h"
#include "jx-test.h"

typedef struct {
  double x0, y0, x1, y1;
} Box;

static Box
box_of (cairo_t *cr, const JxTextRecord *r)
{
  double w, h;
  jx_text_size (cr, r->text, r->size, &w, &h);
  return (Box) { r->x - r->ax * w, r->y - r->ay * h, r->x + (1 - r->ax) * w, r->y + (1 - r->ay) * h };
}

static int
count_text (const JxTextCapture *cap, const char *needle)
{
  int n = 0;
  for (size_t i = 0; i < cap->n; i++)
    n += strstr (cap->items[i].text, needle) != NULL;
  return n;
}

static void
check_size (int w, int h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  JxTextCapture *cap = jx_text_capture_attach (s);
  cairo_t *cr = cairo_create (s);
  char name[64];

  jx_draw_factorisation (cr, jx_rect (0, 0, w, h));
  JX_CHECK (cap != NULL && cap->n > 0);
  if (cap == NULL)
    goto out;
  /* The formula and each step's three factors. */
  JX_CHECK_INT (count_text (cap, "jet = ∏"), 1);
  for (int t = 1; t <= JX_FACTORISATION_STEPS; t++)
    {
      char s_t[16], s_end[64], s_mother[64], s_branch[64];
      snprintf (s_t, sizeof s_t, "t = %d", t);
      snprintf (s_end, sizeof s_end, "end(go on | h%d)", t);
      snprintf (s_mother, sizeof s_mother, "mother(m%d | h%d)", t, t);
      snprintf (s_branch, sizeof s_branch, "branch(z, θ, φ, δ | h%d)", t);
      JX_CHECK_MSG (count_text (cap, s_t) == 1, "%d×%d: step %d label", w, h, t);
      JX_CHECK_MSG (count_text (cap, s_end) == 1, "%d×%d: %s", w, h, s_end);
      JX_CHECK_MSG (count_text (cap, s_mother) == 1, "%d×%d: %s", w, h, s_mother);
      JX_CHECK_MSG (count_text (cap, s_branch) == 1, "%d×%d: %s", w, h, s_branch);
    }
  JX_CHECK_INT (count_text (cap, "end(stop | h4)"), 1);
  JX_CHECK_INT (count_text (cap, "t = 4"), 1);

  for (size_t i = 0; i < cap->n; i++)
    {
      Box a = box_of (cr, &cap->items[i]);
      double cx = 0.5 * (a.x0 + a.x1), cy = 0.5 * (a.y0 + a.y1);
      JX_CHECK_MSG (cx > 0 && cy > 0 && cx < w && cy < h, "%d×%d: '%s' outside the picture",
                    w, h, cap->items[i].text);
      for (size_t j = i + 1; j < cap->n; j++)
        {
          Box b = box_of (cr, &cap->items[j]);
          /* Boxes include the fonts' line gaps: overlapping by 2 px is still readable. */
          int apart = a.x1 - 2 <= b.x0 || b.x1 - 2 <= a.x0 || a.y1 - 2 <= b.y0
                           || b.y1 - 2 <= a.y0;
          JX_CHECK_MSG (apart, "%d×%d: '%s' overlaps '%s'", w, h, cap->items[i].text,
                        cap->items[j].text);
        }
    }
  /* Nothing cut at the edges: the outermost pixels are all background. (The text boxes above
   * are measured without the subscripts' smaller size, too wide to check this.) */
  cairo_surface_flush (s);
  for (int x = 0; x < w; x++)
    for (int k = 0; k < 2; k++)
      {
        unsigned char rgb[3];
        draw_pixel (s, x, k == 0 ? 0 : h - 1, rgb);
        JX_CHECK_MSG (rgb[0] > 250 && rgb[1] > 250 && rgb[2] > 250, "%d×%d: ink at the edge (%d, %d)",
                      w, h, x, k == 0 ? 0 : h - 1);
      }
  for (int y = 0; y < h; y++)
    for (int k = 0; k < 2; k++)
      {
        unsigned char rgb[3];
        draw_pixel (s, k == 0 ? 0 : w - 1, y, rgb);
        JX_CHECK_MSG (rgb[0] > 250 && rgb[1] > 250 && rgb[2] > 250, "%d×%d: ink at the edge (%d, %d)",
                      w, h, k == 0 ? 0 : w - 1, y);
      }
out:
  snprintf (name, sizeof name, "factorisation-%dx%d.png", w, h);
  JX_CHECK (cairo_surface_write_to_png (s, draw_path (name)) == CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  cairo_surface_destroy (draw_check_png (draw_path (name), w, h, 4, 200));
}

int
main (void)
{
  check_size (640, 320);   /* the Help window's */
  check_size (520, 280);
  check_size (420, 260);   /* narrower than the formula at its normal size */
  draw_scratch_done ();
  jx_text_shutdown ();
  JX_TEST_MAIN_END ("draw-factorisation");
}
