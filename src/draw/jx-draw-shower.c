/* jx-draw-shower.c — shower frames (see jx-draw-shower.h). */
#include "jx-draw-shower.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "jx-colorbar.h"
#include "jx-draw-text.h"
#include "jx-point-labels.h"

/* Ring colour of the newest emission. */
#define NEWEST_COLOR jx_palette_color (3)

void
jx_shower_layout_free (JxShowerLayout *l)
{
  jx_tree_layout_free (&l->tree);
}

void
jx_shower_tree_style (JxTreeStyle *style)
{
  jx_tree_style_default (style);
  style->labels = JX_TREE_LABEL_STEP;
  style->preserve_angles = false;
}

/* The energy colour bar's title. */
#define ENERGY_LABEL "<i>E</i> [GeV]"

/* A shower's tree runs left to right and is about this much wider than tall. */
#define TREE_ASPECT 2.5
/* Room the tree's colour bar takes beside it in the side-by-side form. */
#define TREE_COLORBAR_ROOM 80

/* Side by side (the tree on the left with its colour bar, the square image on the right) or
 * stacked (the tree over the whole width, the image under it), whichever shows both larger:
 * the geometric mean of the width a TREE_ASPECT tree can be drawn at and the image's side.
 * A plain "wide area" rule put a 630x440 area side by side and drew the tree in 250 px
 * beside its colour bar, where stacked gives it 495. */
static bool
wide_area (JxRect body)
{
  double side = fmin (body.h, 0.48 * body.w);
  double tree_w = fmin (body.w - side - TREE_COLORBAR_ROOM, TREE_ASPECT * body.h);
  double band = fmin (0.55 * body.h, body.w);
  double stacked_w = fmin (body.w, TREE_ASPECT * (body.h - band));
  return tree_w > 0 && tree_w * side > stacked_w * band;
}

static void
split_wide (JxRect body, JxRect *tree, JxRect *image)
{
  double side = fmin (body.h, 0.48 * body.w);
  *image = jx_rect (body.x + body.w - side, body.y + 0.5 * (body.h - side), side, side);
  *tree = jx_rect (body.x, body.y, body.w - side, body.h);
}

/* Stacked: the tree over the whole width on top, under it the square image with the energy
 * colour bar beside it (the room a square leaves in a wide band). */
static void
split_tall (JxRect body, JxRect *tree, double *band)
{
  *band = fmin (0.55 * body.h, body.w);
  *tree = jx_rect (body.x, body.y, body.w, body.h - *band);
}

/* The newest emission's two lines in the tree: a vermilion casing under the lines drawn
 * again in their energy colours, and a ring at the emitted particle. */
static void
mark_newest_in_tree (cairo_t *cr, const JxTree *tree, const JxTreeLayout *l, int mother)
{
  const JxNode *m = &tree->nodes[mother];
  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int pass = 0; pass < 2; pass++)
    for (int k = 0; k < 2; k++)
      {
        int d = m->daughter[k];
        const JxTreeNodeLayout *nl = &l->nodes[d];
        double w = jx_tree_layout_line_width (l, tree->nodes[d].p.E);
        cairo_move_to (cr, nl->px, nl->py);
        cairo_line_to (cr, nl->x, nl->y);
        if (pass == 0)
          {
            jx_set_rgba (cr, NEWEST_COLOR, 0.85);
            cairo_set_line_width (cr, w + 5);
          }
        else
          {
            jx_set_rgb (cr, jx_tree_layout_energy_color (l, tree->nodes[d].p.E));
            cairo_set_line_width (cr, w);
          }
        cairo_stroke (cr);
      }
  const JxTreeNodeLayout *e = &l->nodes[m->daughter[1]];
  cairo_new_sub_path (cr);
  cairo_arc (cr, e->x, e->y, l->leaf_radius + 5, 0, 2 * M_PI);
  jx_set_rgb (cr, NEWEST_COLOR);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);
  /* The step's label again, over the casing. */
  const JxTreeNodeLayout *ml = &l->nodes[mother];
  if (ml->label_shown)
    {
      const JxTheme *th = jx_theme ();
      cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
      cairo_rectangle (cr, ml->label.x - 1, ml->label.y + 1, ml->label.w + 2, ml->label.h - 2);
      cairo_fill (cr);
      jx_set_rgb (cr, NEWEST_COLOR);
      jx_text_draw (cr, ml->label.x, ml->label.y, ml->label_text, th->font_node, 0, 0, 0);
    }
  cairo_restore (cr);
}

/* A ring around node's particle in the image. */
static void
mark_newest_in_image (cairo_t *cr, const JxTree *tree, const JxImageLayout *il, int node)
{
  JxRelative r = jx_relative_to (tree->nodes[node].p, tree->nodes[tree->root].p);
  double px = jx_axis_map (&il->x, r.theta * cos (r.phi));
  double py = jx_axis_map (&il->y, r.theta * sin (r.phi));
  if (!isfinite (px) || !isfinite (py))
    return;
  /* Outside the largest marker (jx-draw-image: at most 14 px or 3.5 % of the side). */
  double rad = fmax (4, fmin (14, 0.035 * il->data.w)) + 5;
  cairo_save (cr);
  cairo_rectangle (cr, il->data.x, il->data.y, il->data.w, il->data.h);
  cairo_clip (cr);
  cairo_new_sub_path (cr);
  cairo_arc (cr, px, py, rad, 0, 2 * M_PI);
  jx_set_rgb (cr, NEWEST_COLOR);
  cairo_set_line_width (cr, 3);
  cairo_stroke (cr);
  /* Its step label outside the ring, in the ring's colour (the image left it out). */
  JxPointLabels pl;
  char text[16];
  snprintf (text, sizeof text, "%d", jx_image_emission_step (tree, node));
  if (jx_point_labels_init (&pl, il->data, 1))
    {
      jx_point_labels_draw (&pl, cr, px, py, rad, text, NEWEST_COLOR);
      jx_point_labels_free (&pl);
    }
  cairo_restore (cr);
}

/* The heading: one line; two when the title and the step do not fit side by side; a
 * smaller font (down to 70 %) when a line alone is too long. Returns its height with the
 * padding above and the gap below. */
static double
draw_heading (cairo_t *cr, JxRect rect, const char *title, int t, int nsteps)
{
  const JxTheme *th = jx_theme ();
  char head[640];
  double w, h, size = th->font_title, avail = rect.w - 2 * th->pad;
  snprintf (head, sizeof head, "%s%safter <i>t</i> = %d of %d emissions", title ? title : "",
            title ? " — " : "", t, nsteps);
  jx_text_size (cr, head, size, &w, &h);
  if (title && w > avail)
    {
      snprintf (head, sizeof head, "%s\nafter <i>t</i> = %d of %d emissions", title, t, nsteps);
      jx_text_size (cr, head, size, &w, &h);
    }
  if (w > avail && avail > 0)
    {
      size = fmax (0.7 * size, size * avail / w);
      jx_text_size (cr, head, size, &w, &h);
    }
  jx_set_rgb (cr, th->fg);
  jx_text_draw (cr, rect.x + 0.5 * rect.w, rect.y + th->pad, head, size, 0.5, 0, 0);
  return th->pad + h + 4;
}

/* How far from the axis the particles reach, at least R. */
static double
reach (const JxImageParticle *parts, size_t n, double R)
{
  for (size_t i = 0; i < n; i++)
    if (isfinite (parts[i].x) && isfinite (parts[i].y))
      R = fmax (R, fmax (fabs (parts[i].x), fabs (parts[i].y)));
  return R;
}

int
jx_shower_draw_titled (cairo_t *cr, JxRect rect, const JxTree *tree, int t,
                       const JxTreeStyle *tree_style, const char *title, JxShowerLayout *layout)
{
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
    jx_shower_tree_style (&style);
  style.max_step = t;

  double top = draw_heading (cr, rect, title, t, nsteps);
  JxRect body = jx_rect (rect.x, rect.y + top, rect.w, fmax (rect.h - top, 10));
  bool wide = wide_area (body);
  JxRect tree_area, image_area;
  double band = 0;
  if (wide)
    split_wide (body, &tree_area, &image_area);
  else
    {
      split_tall (body, &tree_area, &band);
      style.colorbar = false;   /* it goes beside the image */
    }

  JxTreeLayout tl;
  int rc = jx_tree_layout_compute (&tl, cr, tree, &style, tree_area);
  if (rc < 0)
    return rc;
  jx_tree_draw (cr, tree, &style, &tl);
  int newest = -1;
  if (t > 0)
    {
      int mother = tree->steps[t - 1].mother;
      newest = tree->nodes[mother].daughter[1];
      mark_newest_in_tree (cr, tree, &tl, mother);
    }
  double cbw = 0;
  if (!wide)
    {
      cbw = (tree_style == NULL || tree_style->colorbar)
            ? 24 + jx_colorbar_width (cr, &tl.energy, ENERGY_LABEL, 0.8 * band) : 0;
      double side = fmax (fmin (band, body.w - cbw), 10);
      image_area = jx_rect (body.x + 0.5 * (body.w - side - cbw), body.y + body.h - band, side,
                            side);
    }

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
  size_t np = jx_image_particles_from_tree (tree, t, parts, cap);
  double R = reach (parts, np, reach (all, nall, 0));
  JxImageStyle is;
  jx_image_style_default (&is);
  is.label_steps = true;
  is.colorbar = false;
  is.view_R = R > 0 ? 1.15 * R : 0.1;
  is.marker_scale = &tl.energy;  /* the same colour for a particle in both panels */
  /* The newest emission's label is drawn with its ring. */
  for (size_t i = 0; i < np && newest >= 0; i++)
    if (parts[i].step == t)
      parts[i].step = 0;
  JxImageLayout il;
  jx_image_draw (cr, image_area, NULL, parts, np, &is, &il);
  if (newest >= 0)
    mark_newest_in_image (cr, tree, &il, newest);
  if (cbw > 0)
    jx_colorbar_draw (cr, jx_rect (il.data.x + il.data.w + 24, il.data.y, JX_COLORBAR_BAR_WIDTH,
                                   il.data.h), &tl.energy, ENERGY_LABEL);
  free (parts);
  free (all);
  if (layout)
    {
      layout->tree = tl;
      layout->image = il;
      layout->tree_area = tree_area;
      layout->image_area = image_area;
      layout->t = t;
      layout->newest = newest;
    }
  else
    jx_tree_layout_free (&tl);
  return 0;
}

int
jx_shower_draw (cairo_t *cr, JxRect rect, const JxTree *tree, int t,
                const JxTreeStyle *tree_style, JxShowerLayout *layout)
{
  return jx_shower_draw_titled (cr, rect, tree, t, tree_style, NULL, layout);
}
