/* jx-draw-shower.c — shower frames (see jx-draw-shower.h). */
#include "jx-draw-shower.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "jx-draw-text.h"

void
jx_shower_layout_free (JxShowerLayout *l)
{
  jx_tree_layout_free (&l->tree);
}

int
jx_shower_draw (cairo_t *cr, JxRect rect, const JxTree *tree, int t,
                const JxTreeStyle *tree_style, JxShowerLayout *layout)
{
  const JxTheme *th = jx_theme ();
  if (tree == NULL || tree->n == 0 || tree->nodes == NULL || tree->root < 0)
    {
      jx_draw_message (cr, rect, "no jet to show");
      return JX_ERR_INVALID;
    }
  jx_draw_background (cr, rect);
  int nsteps = (int) tree->n - 1;
  t = t < 0 ? 0 : t > nsteps ? nsteps : t;
  JxTreeStyle style;
  if (tree_style)
    style = *tree_style;
  else
    jx_tree_style_default (&style);
  style.max_step = t;

  char title[96];
  snprintf (title, sizeof title, "after <i>t</i> = %d of %d emissions", t, nsteps);
  double h;
  jx_text_size (cr, title, th->font_title, NULL, &h);
  jx_set_rgb (cr, th->fg);
  jx_text_draw (cr, rect.x + 0.5 * rect.w, rect.y + th->pad, title, th->font_title, 0.5, 0, 0);
  double top = th->pad + h + 4;
  double split = rect.w * 0.56;
  JxRect left = jx_rect (rect.x, rect.y + top, split, rect.h - top);
  JxRect right = jx_rect (rect.x + split, rect.y + top, rect.w - split, rect.h - top);

  JxTreeLayout tl;
  int rc = jx_tree_layout_compute (&tl, cr, tree, &style, left);
  if (rc < 0)
    return rc;
  jx_tree_draw (cr, tree, &style, &tl);

  size_t cap = tree->n;
  JxImageParticle *parts = malloc (cap * sizeof *parts);
  JxImageParticle *all = malloc (cap * sizeof *all);
  if (parts == NULL || all == NULL)
    {
      free (parts);
      free (all);
      jx_tree_layout_free (&tl);
      return JX_ERR_NOMEM;
    }
  /* The frame's range is the final state's, the same for every t. */
  size_t nall = jx_image_particles_from_tree (tree, -1, all, cap);
  double R = 0;
  for (size_t i = 0; i < nall; i++)
    if (isfinite (all[i].x) && isfinite (all[i].y))
      R = fmax (R, fmax (fabs (all[i].x), fabs (all[i].y)));
  size_t np = jx_image_particles_from_tree (tree, t, parts, cap);
  for (size_t i = 0; i < np; i++)
    if (isfinite (parts[i].x) && isfinite (parts[i].y))
      R = fmax (R, fmax (fabs (parts[i].x), fabs (parts[i].y)));
  JxImageStyle is;
  jx_image_style_default (&is);
  is.label_steps = true;
  is.colorbar = false;
  is.view_R = R > 0 ? 1.15 * R : 0.1;
  is.marker_scale = &tl.energy;  /* the same colour for a particle in both panels */
  JxImageLayout il;
  jx_image_draw (cr, right, NULL, parts, np, &is, &il);
  free (parts);
  free (all);
  if (layout)
    {
      layout->tree = tl;
      layout->image = il;
      layout->t = t;
    }
  else
    jx_tree_layout_free (&tl);
  return 0;
}
