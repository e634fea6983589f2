/* jx-draw-tree.c — painting of tree layouts (see jx-draw-tree.h). */
#include "jx-draw-tree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "jx-colorbar.h"
#include "jx-draw-text.h"

typedef struct {
  double E;
  int i;
} ByEnergy;

static int
cmp_energy (const void *a, const void *b)
{
  const ByEnergy *x = a, *y = b;
  if (x->E != y->E)
    return x->E < y->E ? -1 : 1;
  return x->i - y->i;
}

/* in[i] = 1 for the highlighted node and everything below it. */
static void
mark_subtree (const JxTree *tree, int h, unsigned char *in, size_t nn)
{
  int *stack = malloc (nn * sizeof *stack);
  if (stack == NULL)
    return;
  int sp = 0;
  stack[sp++] = h;
  while (sp > 0)
    {
      int i = stack[--sp];
      in[i] = 1;
      for (int k = 0; k < 2; k++)
        {
          int d = tree->nodes[i].daughter[k];
          if (d >= 0 && (size_t) d < nn && sp < (int) nn)
            stack[sp++] = d;
        }
    }
  free (stack);
}

static double
luma (JxRgb c)
{
  return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

/* Lines of energy level lev get a dark casing when their colour is in the lighter half of
 * the map: they would fade into the white background. That is the high energies of
 * viridis (yellow) but the low ones of greys (white), so ask the colour, not the level. */
static bool
cased (const JxTreeLayout *l, int lev)
{
  double t = lev / (double) (JX_TREE_ENERGY_LEVELS - 1);
  return luma (jx_colormap_eval (l->energy.map, t)) >= luma (jx_colormap_eval (l->energy.map, 0.5));
}

static void
draw_ring (cairo_t *cr, const JxTreeNodeLayout *nl, double r, double width)
{
  if (!nl->visible)
    return;
  cairo_new_sub_path (cr);
  cairo_arc (cr, nl->x, nl->y, r, 0, 2 * M_PI);
  jx_set_rgb (cr, jx_palette_color (1));
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
}

/* The jet's end (its last state, no node): a square right of the tree, in the value's
 * diverging colour when nodes are coloured, with "end" beside it. */
static void
draw_end_marker (cairo_t *cr, const JxTree *tree, const JxTreeStyle *style,
                 const JxTreeLayout *l)
{
  const JxTheme *th = jx_theme ();
  double r = JX_TREE_END_RADIUS, x = l->end.x, y = l->end.y;
  double v = style->values ? style->values[tree->n - 1] : NAN;
  cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
  if (style->diverging && isfinite (v))
    jx_set_rgb (cr, jx_color_scale_eval (&l->value, v));
  else
    jx_set_rgb (cr, th->bg);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.15, 0.15, 0.2);
  cairo_set_line_width (cr, 1.2);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, th->fg.r, th->fg.g, th->fg.b, 0.7);
  jx_text_draw (cr, x + r + 3, y, "end", 0.85 * l->label_size, 0, 0.5, 0);
}

/* What the passes of jx_tree_draw share: the visible nodes sorted by energy (soft first),
 * the highlighted subtree and the last step shown. */
typedef struct {
  cairo_t *cr;
  const JxTree *tree;
  const JxTreeStyle *style;
  const JxTreeLayout *l;
  const unsigned char *in;   /* in the highlighted subtree */
  const ByEnergy *order;
  size_t no;
  bool hl;
  int max_step;
} Pass;

/* Step focus: the two daughters' lines on a wide accent band, under everything. */
static void
draw_focus_band (const Pass *p, const JxStep *focus)
{
  cairo_t *cr = p->cr;
  const JxTreeLayout *l = p->l;
  for (int k = 0; k < 2; k++)
    {
      const JxTreeNodeLayout *d = &l->nodes[focus->daughter[k]];
      if (!d->visible)
        continue;
      cairo_move_to (cr, d->px, d->py);
      cairo_line_to (cr, d->x, d->y);
    }
  jx_set_rgba (cr, jx_palette_color (1), 0.45);
  cairo_set_line_width (cr, l->line_max + 8);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke (cr);
}

/* Drawn faded: outside the highlighted subtree when there is one. */
static bool
faded_node (const Pass *p, int i)
{
  return p->hl && !p->in[i];
}

/* A node split at a step shown (drawn as a branching point, not as a particle). */
static bool
split_shown (const Pass *p, const JxNode *nd)
{
  return nd->step > 0 && nd->step <= p->max_step;
}

static void
draw_lines (const Pass *p)
{
  cairo_t *cr = p->cr;
  const JxTree *tree = p->tree;
  const JxTreeLayout *l = p->l;
  const ByEnergy *order = p->order;
  size_t no = p->no;
  /* Butt caps cost half of round ones; the joints are covered by the branching-point
   * dots drawn next, sized to the line arriving there. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  /* Dots of a few pixels: 0.25 px flattening is invisible and cheaper. */
  cairo_set_tolerance (cr, 0.25);
  /* Pass 0: a thin dark casing for the light colours, so they stay visible on white (the
   * dark ones need none, and skipping them halves the cost of most lines);
   * pass 1: the energy colour. Nodes are sorted by energy, so lines of one energy level
   * (and fade state) are consecutive and go out as one path: one stroke per level. */
  for (int pass = 0; pass < 2; pass++)
    for (size_t k = 0; k < no;)
      {
        int i0 = order[k].i;
        int lev = jx_tree_layout_energy_level (l, tree->nodes[i0].p.E);
        bool faded = faded_node (p, i0);
        size_t k1 = k;
        for (; k1 < no; k1++)
          {
            int i = order[k1].i;
            if (jx_tree_layout_energy_level (l, tree->nodes[i].p.E) != lev
                || faded_node (p, i) != faded)
              break;
            const JxTreeNodeLayout *nl = &l->nodes[i];
            cairo_move_to (cr, nl->px, nl->py);
            cairo_line_to (cr, nl->x, nl->y);
          }
        double E = tree->nodes[i0].p.E, w = jx_tree_layout_line_width (l, E);
        double alpha = faded ? 0.18 : 1;
        if (pass == 0 && !cased (l, lev))
          {
            cairo_new_path (cr);
            k = k1;
            continue;
          }
        if (pass == 0)
          {
            cairo_set_source_rgba (cr, 0.22, 0.22, 0.27, alpha);
            cairo_set_line_width (cr, w + 1.4);
          }
        else
          {
            jx_set_rgba (cr, jx_tree_layout_energy_color (l, E), alpha);
            cairo_set_line_width (cr, w);
          }
        cairo_stroke (cr);
        k = k1;
      }
}

/* Branching points (one path), or with diverging step values one coloured disc each. */
static void
draw_branch_points (const Pass *p)
{
  cairo_t *cr = p->cr;
  const JxTree *tree = p->tree;
  const JxTreeStyle *style = p->style;
  const JxTreeLayout *l = p->l;
  const ByEnergy *order = p->order;
  size_t no = p->no;
  cairo_new_path (cr);
  bool lr = style->diverging && style->values;
  for (int faded = 0; faded < 2 && !lr; faded++)
    {
      for (size_t k = 0; k < no; k++)
        {
          int i = order[k].i;
          const JxNode *nd = &tree->nodes[i];
          if (!split_shown (p, nd) || faded_node (p, i) != faded)
            continue;
          double w = jx_tree_layout_line_width (l, nd->p.E);
          int lev = jx_tree_layout_energy_level (l, nd->p.E);
          double r = fmax (1.8, 0.5 * (w + (cased (l, lev) ? 1.4 : 0)));
          cairo_new_sub_path (cr);
          cairo_arc (cr, l->nodes[i].x, l->nodes[i].y, r, 0, 2 * M_PI);
        }
      cairo_set_source_rgba (cr, 0.15, 0.15, 0.2, faded ? 0.2 : 1);
      cairo_fill (cr);
    }
  for (size_t k = 0; k < no && lr; k++)
    {
      int i = order[k].i;
      const JxNode *nd = &tree->nodes[i];
      if (!split_shown (p, nd))
        continue;
      double alpha = faded_node (p, i) ? 0.2 : 1;
      cairo_new_sub_path (cr);
      cairo_arc (cr, l->nodes[i].x, l->nodes[i].y, 4.5, 0, 2 * M_PI);
      jx_set_rgba (cr, jx_color_scale_eval (&l->value, style->values[nd->step - 1]), alpha);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.25, 0.25, 0.25, alpha);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);
    }
}

/* The current/final particles as dots: outlines in one path, fills grouped by energy level. */
static void
draw_particles (const Pass *p)
{
  cairo_t *cr = p->cr;
  const JxTree *tree = p->tree;
  const JxTreeLayout *l = p->l;
  const ByEnergy *order = p->order;
  size_t no = p->no;
  for (int faded = 0; faded < 2; faded++)
    {
      double alpha = faded ? 0.2 : 1;
      /* Outlines first as slightly larger dark discs, fills on top. */
      for (size_t k = 0; k < no; k++)
        {
          int i = order[k].i;
          const JxNode *nd = &tree->nodes[i];
          if (split_shown (p, nd) || faded_node (p, i) != faded)
            continue;
          cairo_new_sub_path (cr);
          cairo_arc (cr, l->nodes[i].x, l->nodes[i].y, l->leaf_radius + 0.8, 0, 2 * M_PI);
        }
      cairo_set_source_rgba (cr, 0.15, 0.15, 0.2, alpha);
      cairo_fill (cr);
      for (size_t k = 0; k < no;)
        {
          int lev = jx_tree_layout_energy_level (l, tree->nodes[order[k].i].p.E);
          size_t k1 = k;
          bool any = false;
          for (; k1 < no && jx_tree_layout_energy_level (l, tree->nodes[order[k1].i].p.E) == lev;
               k1++)
            {
              int i = order[k1].i;
              const JxNode *nd = &tree->nodes[i];
              if (split_shown (p, nd) || faded_node (p, i) != faded)
                continue;
              cairo_new_sub_path (cr);
              cairo_arc (cr, l->nodes[i].x, l->nodes[i].y, l->leaf_radius, 0, 2 * M_PI);
              any = true;
            }
          if (any)
            {
              jx_set_rgba (cr, jx_tree_layout_energy_color (l, tree->nodes[order[k].i].p.E), alpha);
              cairo_fill (cr);
            }
          k = k1;
        }
    }
}

/* Labels with a halo of the background, so they read even where they come near a line. */
static void
draw_labels (const Pass *p)
{
  cairo_t *cr = p->cr;
  const JxTreeLayout *l = p->l;
  const JxTheme *th = jx_theme ();
  size_t nn = l->n_nodes;
  double halo = 2.5 * fmax (1, l->label_size / th->font_node);
  for (size_t i = 0; i <= nn; i++)
    {
      const JxTreeNodeLayout *nl = i < nn ? &l->nodes[i] : &l->end;
      if (!nl->label_shown || !nl->visible)
        continue;
      jx_set_rgba (cr, th->fg, i < nn && faded_node (p, (int) i) ? 0.35 : 1);
      if (nl->label_index >= 0)
        jx_text_cache_draw_halo (cr, l->labels, nl->label_index, nl->label.x, nl->label.y, 0, 0,
                                 th->bg.r, th->bg.g, th->bg.b, halo);
      else
        jx_text_draw (cr, nl->label.x, nl->label.y, nl->label_text, l->label_size, 0, 0, 0);
    }
}

void
jx_tree_draw (cairo_t *cr, const JxTree *tree, const JxTreeStyle *style,
              const JxTreeLayout *l)
{
  JxTreeStyle def;
  if (style == NULL)
    {
      jx_tree_style_default (&def);
      style = &def;
    }
  size_t nn = l->n_nodes;
  int max_step = style->max_step < 0 ? (int) tree->n : style->max_step;
  cairo_save (cr);
  jx_draw_background (cr, l->rect);

  unsigned char *in = calloc (nn, 1);
  ByEnergy *order = malloc (nn * sizeof *order);
  if (in == NULL || order == NULL)
    {
      free (in);
      free (order);
      cairo_restore (cr);
      return;
    }
  bool hl = style->highlight >= 0 && (size_t) style->highlight < nn;
  if (hl)
    mark_subtree (tree, style->highlight, in, nn);
  size_t no = 0;
  for (size_t i = 0; i < nn; i++)
    if (l->nodes[i].visible)
      order[no++] = (ByEnergy) { tree->nodes[i].p.E, (int) i };
  /* Soft lines first: the hard core of the jet stays on top. */
  qsort (order, no, sizeof *order, cmp_energy);

  Pass pass = { cr, tree, style, l, in, order, no, hl, max_step };
  const JxStep *focus = style->focus_step >= 1 && (size_t) style->focus_step < tree->n
                        ? &tree->steps[style->focus_step - 1] : NULL;
  if (focus != NULL)
    draw_focus_band (&pass, focus);
  draw_lines (&pass);
  draw_branch_points (&pass);
  draw_particles (&pass);

  if (hl && l->nodes[style->highlight].visible)
    {
      const JxTreeNodeLayout *nl = &l->nodes[style->highlight];
      cairo_new_sub_path (cr);
      cairo_arc (cr, nl->x, nl->y, l->leaf_radius + 4, 0, 2 * M_PI);
      jx_set_rgb (cr, jx_palette_color (3));
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }

  if (l->end.visible)
    draw_end_marker (cr, tree, style, l);
  if (focus != NULL)
    {
      draw_ring (cr, &l->nodes[focus->mother], l->leaf_radius + 5, 2.5);
      for (int k = 0; k < 2; k++)
        draw_ring (cr, &l->nodes[focus->daughter[k]], l->leaf_radius + 3, 2);
    }
  else if (l->end.visible && (size_t) style->focus_step == tree->n)
    draw_ring (cr, &l->end, JX_TREE_END_RADIUS + 4, 2.5);

  draw_labels (&pass);
  free (in);
  free (order);

  if (l->energy_bar.w > 0)
    jx_colorbar_draw (cr, l->energy_bar, &l->energy, "<i>E</i> [GeV]");
  if (l->value_bar.w > 0)
    jx_colorbar_draw (cr, l->value_bar, &l->value,
                      style->value_name ? style->value_name : "value");
  cairo_restore (cr);
}

int
jx_tree_render (cairo_t *cr, const JxTree *tree, const JxTreeStyle *style, JxRect rect,
                JxTreeLayout *layout)
{
  JxTreeLayout local;
  JxTreeLayout *l = layout ? layout : &local;
  int rc = jx_tree_layout_compute (l, cr, tree, style, rect);
  if (rc < 0)
    {
      jx_draw_message (cr, rect, rc == JX_ERR_NOMEM ? "out of memory" : "no jet to show");
      return rc;
    }
  jx_tree_draw (cr, tree, style, l);
  if (layout == NULL)
    jx_tree_layout_free (&local);
  return 0;
}

void
jx_tree_node_summary (const JxTree *tree, int node, char *out, size_t cap)
{
  if (cap == 0)
    return;
  out[0] = '\0';
  if (tree == NULL || tree->n == 0 || node < 0 || (size_t) node >= 2 * tree->n - 1)
    return;
  const JxNode *nd = &tree->nodes[node];
  int k = snprintf (out, cap, "node %d: E = %.4g GeV, m = %.3g GeV; %s", node, nd->p.E,
                    jx_p4_mass (nd->p), nd->mother < 0 ? "the jet" : "born at t = ");
  if (k < 0 || (size_t) k >= cap)
    return;
  if (nd->mother >= 0)
    k += snprintf (out + k, cap - (size_t) k, "%d", nd->born);
  if (k < 0 || (size_t) k >= cap)
    return;
  if (nd->step > 0 && (size_t) nd->step < tree->n)
    {
      const JxBranching *x = &tree->steps[nd->step - 1].x;
      snprintf (out + k, cap - (size_t) k,
                "; splits at t = %d: z = %.3g, θ = %.3g, φ = %.3g, δ = %.3g", nd->step, x->z,
                x->theta, x->phi, x->delta);
    }
  else
    snprintf (out + k, cap - (size_t) k, "; final particle");
}
