/* jx-draw-factorisation.c — P_jet = Π P_end · P_mother · P_branch on a small drawn tree. */
#include "jx-draw-factorisation.h"

#include <math.h>
#include <stdio.h>

#include "jx-draw-text.h"

/* The three factor colours (Okabe–Ito: end orange, mother blue, branch green), told apart by
 * their labels too. */
static const JxRgb c_end = { 0.90, 0.62, 0.00 };
static const JxRgb c_mother = { 0.00, 0.45, 0.70 };
static const JxRgb c_branch = { 0.00, 0.62, 0.45 };

typedef struct {
  double x, y;
} Pt;

static void
edge (cairo_t *cr, Pt a, Pt b, double width)
{
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, a.x, a.y);
  cairo_line_to (cr, b.x, b.y);
  cairo_stroke (cr);
}

static void
dot (cairo_t *cr, Pt p, double radius, JxRgb c)
{
  jx_set_rgb (cr, c);
  cairo_arc (cr, p.x, p.y, radius, 0, 2 * M_PI);
  cairo_fill (cr);
}

/* The factors of step t as a small stacked legend, its head at p: for t ≤ steps the three
 * of a branching, after the last the final P_end(stop). */
static void
step_legend (cairo_t *cr, Pt p, int t, double size)
{
  const JxTheme *th = jx_theme ();
  char head[64], line[3][96];
  double lh = 1.3 * size;
  const JxRgb colours[3] = { c_end, c_mother, c_branch };

  snprintf (head, sizeof head, "<b>t = %d</b>", t);
  jx_set_rgb (cr, th->fg);
  jx_text_draw (cr, p.x, p.y, head, size, 0.5, 0, 0);
  if (t > JX_FACTORISATION_STEPS)
    {
      snprintf (line[0], sizeof line[0], "P<sub>end</sub>(stop | h<sub>%d</sub>)", t);
      jx_set_rgb (cr, c_end);
      jx_text_draw (cr, p.x, p.y + lh, line[0], size, 0.5, 0, 0);
      return;
    }
  snprintf (line[0], sizeof line[0], "P<sub>end</sub>(go on | h<sub>%d</sub>)", t);
  snprintf (line[1], sizeof line[1], "P<sub>mother</sub>(m<sub>%d</sub> | h<sub>%d</sub>)", t, t);
  snprintf (line[2], sizeof line[2], "P<sub>branch</sub>(z, θ, φ, δ | h<sub>%d</sub>)", t);
  for (int i = 0; i < 3; i++)
    {
      jx_set_rgb (cr, colours[i]);
      jx_text_draw (cr, p.x, p.y + (i + 1) * lh, line[i], size, 0.5, 0, 0);
    }
}

/* A light dashed line from a node down to its legend. */
static void
guide (cairo_t *cr, Pt from, Pt to)
{
  const double dash[] = { 3, 3 };

  cairo_save (cr);
  jx_set_rgb (cr, jx_theme ()->grid);
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, from.x, from.y);
  cairo_line_to (cr, to.x, to.y);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
jx_draw_factorisation (cairo_t *cr, JxRect r)
{
  const JxTheme *th = jx_theme ();
  const char *formula = "P<sub>jet</sub> = ∏<sub>t</sub> P<sub>end</sub>(go on | h<sub>t</sub>) · "
                        "P<sub>mother</sub>(m<sub>t</sub> | h<sub>t</sub>) · "
                        "P<sub>branch</sub>(z, θ, φ, δ | h<sub>t</sub>)  ×  "
                        "P<sub>end</sub>(stop | h<sub>n</sub>)";
  /* Four legends side by side: their text shrinks with the width. */
  double size = fmin (th->font_node + 1, r.w / 58);
  double fsize = th->font_label, fw, fh;
  double top, tree_h, legend_y;
  Pt root, b1, b2, b3, leaf[4], head[4];

  cairo_save (cr);
  jx_draw_background (cr, r);
  /* The formula on one line, smaller when the picture is narrow. */
  jx_text_size (cr, formula, fsize, &fw, &fh);
  if (fw > r.w - 2 * th->pad)
    {
      fsize *= (r.w - 2 * th->pad) / fw;
      jx_text_size (cr, formula, fsize, &fw, &fh);
    }
  jx_set_rgb (cr, th->fg);
  jx_text_draw (cr, r.x + 0.5 * r.w, r.y + th->pad, formula, fsize, 0.5, 0, 0);

  /* The tree in the upper part: the jet (root), its branching at t = 1, the harder
   * daughter's at t = 2, the softer's at t = 3, and the four final particles; the legends
   * of the steps in a row below. */
  top = r.y + th->pad + fh + 2.2 * size;
  tree_h = 0.5 * (r.y + r.h - top);
  legend_y = top + tree_h + 1.6 * size;
  root = (Pt) { r.x + 0.05 * r.w, top + 0.5 * tree_h };
  b1 = (Pt) { r.x + 0.125 * r.w, root.y };
  b2 = (Pt) { r.x + 0.375 * r.w, top + 0.12 * tree_h };
  b3 = (Pt) { r.x + 0.625 * r.w, top + 0.88 * tree_h };
  leaf[0] = (Pt) { r.x + 0.875 * r.w, top };
  leaf[1] = (Pt) { r.x + 0.875 * r.w, top + 0.34 * tree_h };
  leaf[2] = (Pt) { r.x + 0.875 * r.w, top + 0.66 * tree_h };
  leaf[3] = (Pt) { r.x + 0.875 * r.w, top + tree_h };
  for (int t = 0; t < 4; t++)
    head[t] = (Pt) { r.x + (0.125 + 0.25 * t) * r.w, legend_y };

  guide (cr, b1, head[0]);
  guide (cr, b2, head[1]);
  guide (cr, b3, head[2]);
  guide (cr, leaf[3], head[3]);

  /* Lines thin out with the energy they carry, as on the Tree page. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  jx_set_rgb (cr, th->fg);
  edge (cr, root, b1, 5);
  edge (cr, b1, b2, 3.5);
  edge (cr, b1, b3, 2.5);
  edge (cr, b2, leaf[0], 2.5);
  edge (cr, b2, leaf[1], 1.5);
  edge (cr, b3, leaf[2], 1.8);
  edge (cr, b3, leaf[3], 1.0);
  for (int i = 0; i < 4; i++)
    dot (cr, leaf[i], 3.5, th->fg);
  dot (cr, b1, 5, c_branch);
  dot (cr, b2, 5, c_branch);
  dot (cr, b3, 5, c_branch);

  jx_set_rgb (cr, th->fg);
  jx_text_draw (cr, root.x, root.y - 8, "jet", size, 0.2, 1, 0);
  for (int t = 0; t < 4; t++)
    step_legend (cr, head[t], t + 1, size);
  cairo_restore (cr);
}
