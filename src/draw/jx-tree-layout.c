/* jx-tree-layout.c — node positions and label placement for tree drawings. */
#include "jx-tree-layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-colorbar.h"
#include "jx-draw-text.h"

#define MAX_DIR (80 * M_PI / 180)  /* lines never turn back towards the root */

void
jx_tree_style_default (JxTreeStyle *s)
{
  *s = (JxTreeStyle) { 0 };
  s->angle_scale = JX_TREE_ANGLE_LINEAR;
  s->max_angle = 0;
  s->length = JX_TREE_LENGTH_GENERATION;
  s->preserve_angles = true;
  s->labels = JX_TREE_LABEL_NONE;
  s->highlight = -1;
  s->max_step = -1;
  s->colorbar = true;
  s->energy_lo = NAN;
  s->energy_hi = NAN;
  s->colormap = JX_CMAP_VIRIDIS;
}

void
jx_tree_layout_free (JxTreeLayout *l)
{
  jx_text_cache_free (l->labels);
  free (l->nodes);
  *l = (JxTreeLayout) { 0 };
}

static bool
node_visible (const JxTree *t, const JxTreeStyle *s, int i)
{
  int max = s->max_step < 0 ? (int) t->n - 1 : s->max_step;
  return t->nodes[i].born <= max;
}

void
jx_tree_label_text (const JxTree *tree, const JxTreeStyle *s, int t, char *out, size_t cap)
{
  out[0] = '\0';
  if (t < 1 || (size_t) t >= tree->n)
    return;
  const JxBranching *x = &tree->steps[t - 1].x;
  double v;
  const char *fmt = s->value_format;
  switch (s->labels)
    {
    case JX_TREE_LABEL_VALUES:
      if (s->values == NULL)
        return;
      v = s->values[t - 1];
      fmt = fmt ? fmt : "%.2f";
      break;
    case JX_TREE_LABEL_Z:
      v = x->z;
      fmt = fmt ? fmt : "%.2g";
      break;
    case JX_TREE_LABEL_THETA:
      v = x->theta;
      fmt = fmt ? fmt : "%.2g";
      break;
    case JX_TREE_LABEL_STEP:
      snprintf (out, cap, "%d", t);
      return;
    case JX_TREE_LABEL_NONE:
    default:
      return;
    }
  if (!isfinite (v))
    return;
  /* The caller chooses the format; it gets one double. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  snprintf (out, cap, fmt, v);
#pragma GCC diagnostic pop
  /* A typeset minus reads better in small labels. */
  if (out[0] == '-' && strlen (out) + 3 < cap)
    {
      memmove (out + 3, out + 1, strlen (out));
      memcpy (out, "−", 3);
    }
}

static double
angle_map (const JxTreeStyle *s, double a, double amax)
{
  if (!isfinite (a) || a <= 0 || !(amax > 0))
    return 0;
  double r = fmin (a / amax, 1);
  switch (s->angle_scale)
    {
    case JX_TREE_ANGLE_SQRT:
      r = sqrt (r);
      break;
    case JX_TREE_ANGLE_LOG:
      r = log1p (100 * r) / log1p (100);
      break;
    case JX_TREE_ANGLE_LINEAR:
    default:
      break;
    }
  return s->max_angle * r;
}

int
jx_tree_layout_energy_level (const JxTreeLayout *l, double E)
{
  double t = jx_color_scale_t (&l->energy, E);
  if (isnan (t))
    t = 0;
  return (int) lround (t * (JX_TREE_ENERGY_LEVELS - 1));
}

JxRgb
jx_tree_layout_energy_color (const JxTreeLayout *l, double E)
{
  double t = jx_tree_layout_energy_level (l, E) / (double) (JX_TREE_ENERGY_LEVELS - 1);
  return jx_colormap_eval (l->energy.map, t);
}

double
jx_tree_layout_line_width (const JxTreeLayout *l, double E)
{
  double t = jx_tree_layout_energy_level (l, E) / (double) (JX_TREE_ENERGY_LEVELS - 1);
  return l->line_min + t * (l->line_max - l->line_min);
}

static bool
overlaps (JxRect a, JxRect b)
{
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bool
inside (JxRect a, JxRect outer)
{
  return a.x >= outer.x && a.y >= outer.y && a.x + a.w <= outer.x + outer.w
         && a.y + a.h <= outer.y + outer.h;
}

/* Labels in step order (earliest branchings matter most), each at the first candidate
 * spot that overlaps neither a placed label nor a node marker. */
static void
place_labels (JxTreeLayout *l, cairo_t *cr, const JxTree *tree, const JxTreeStyle *s)
{
  const JxTheme *th = jx_theme ();
  size_t nn = l->n_nodes;
  JxRect *placed = malloc (nn * sizeof *placed);
  if (placed == NULL)
    return;
  l->labels = jx_text_cache_new (cr, th->font_node);
  size_t np = 0;
  for (size_t t = 1; t < tree->n; t++)
    {
      int i = tree->steps[t - 1].mother;
      JxTreeNodeLayout *nl = &l->nodes[i];
      if (!nl->visible || tree->nodes[i].step > (s->max_step < 0 ? (int) tree->n : s->max_step))
        continue;
      jx_tree_label_text (tree, s, (int) t, nl->label_text, sizeof nl->label_text);
      if (nl->label_text[0] == '\0')
        continue;
      double w, h;
      int idx = jx_text_cache_add (l->labels, nl->label_text, &w, &h);
      if (idx < 0)
        jx_text_size (cr, nl->label_text, th->font_node, &w, &h);
      double g = 3 + (s->diverging ? 3 : 0);
      /* Candidates: above, below, above-left, below-left, right, left. */
      double cx[6] = { nl->x - 0.5 * w, nl->x - 0.5 * w, nl->x - w - g, nl->x - w - g,
                       nl->x + g + 2, nl->x - w - g - 2 };
      double cy[6] = { nl->y - h - g, nl->y + g, nl->y - h - g + 1, nl->y + g - 1,
                       nl->y - 0.5 * h, nl->y - 0.5 * h };
      bool done = false;
      for (int c = 0; c < 6 && !done; c++)
        {
          JxRect r = jx_rect (cx[c], cy[c], w, h);
          if (!inside (r, l->tree_area))
            continue;
          bool clash = false;
          for (size_t k = 0; k < np && !clash; k++)
            clash = overlaps (r, placed[k]);
          for (size_t k = 0; k < nn && !clash; k++)
            {
              const JxTreeNodeLayout *o = &l->nodes[k];
              if (!o->visible || (int) k == i)
                continue;
              double rad = l->leaf_radius + 1;
              clash = overlaps (r, jx_rect (o->x - rad, o->y - rad, 2 * rad, 2 * rad));
            }
          if (!clash)
            {
              nl->label = r;
              nl->label_shown = true;
              nl->label_index = idx;
              placed[np++] = r;
              done = true;
            }
        }
      if (done)
        l->labels_shown++;
      else
        l->labels_hidden++;
    }
  free (placed);
}

static void
abstract_layout (const JxTree *tree, const JxTreeStyle *style, double amax, double *ax,
                 double *ay, double *dir, int *stack, double *minx_, double *maxx_,
                 double *miny_, double *maxy_)
{
  size_t nn = 2 * tree->n - 1;
  int n = (int) tree->n;
  int root = tree->root;
  ax[root] = 0, ay[root] = 0, dir[root] = 0;
  double minx = -1, maxx = 0, miny = 0, maxy = 0;
  int sp = 0;
  stack[sp++] = root;
  while (sp > 0)
    {
      int i = stack[--sp];
      const JxNode *nd = &tree->nodes[i];
      if (nd->step <= 0 || nd->daughter[0] < 0 || nd->daughter[1] < 0)
        continue;
      const JxBranching *x = &tree->steps[nd->step - 1].x;
      /* Balanced: the soft daughter turns away from the jet's direction and the hard one
       * back towards it, so the hard core runs straight and soft branches fan out. */
      double side = sin (x->phi) >= 0 ? 1 : -1;
      if (style->side == JX_TREE_SIDE_BALANCED && fabs (dir[i]) > 1e-9)
        side = dir[i] > 0 ? 1 : -1;
      double ds[2] = { -side * angle_map (style, x->delta, amax),
                       side * angle_map (style, x->theta, amax) };
      for (int k = 0; k < 2; k++)
        {
          int d = nd->daughter[k];
          if (d < 0 || (size_t) d >= nn)
            continue;
          double a = fmax (-MAX_DIR, fmin (MAX_DIR, dir[i] + ds[k]));
          double len = 1;
          if (style->length == JX_TREE_LENGTH_STEP)
            {
              int end = tree->nodes[d].step > 0 ? tree->nodes[d].step : n;
              len = fmax (end - nd->step, 1);
              /* Long leaf lines would dominate: keep them within a few generations. */
              len = fmin (len, 4);
            }
          ax[d] = ax[i] + len * cos (a);
          ay[d] = ay[i] + len * sin (a);
          dir[d] = a;
          minx = fmin (minx, ax[d]), maxx = fmax (maxx, ax[d]);
          miny = fmin (miny, ay[d]), maxy = fmax (maxy, ay[d]);
          if (sp < (int) nn)
            stack[sp++] = d;
        }
    }
  *minx_ = minx, *maxx_ = maxx, *miny_ = miny, *maxy_ = maxy;
}

int
jx_tree_layout_compute (JxTreeLayout *l, cairo_t *cr, const JxTree *tree,
                        const JxTreeStyle *style, JxRect rect)
{
  *l = (JxTreeLayout) { 0 };
  JxTreeStyle def;
  if (style == NULL)
    {
      jx_tree_style_default (&def);
      style = &def;
    }
  if (tree == NULL || tree->n == 0 || tree->nodes == NULL || tree->root < 0
      || (size_t) tree->root >= 2 * tree->n - 1 || (tree->n > 1 && tree->steps == NULL))
    return JX_ERR_INVALID;
  size_t nn = 2 * tree->n - 1;
  l->n_nodes = nn;
  l->nodes = calloc (nn, sizeof *l->nodes);
  double *ax = malloc (nn * sizeof *ax), *ay = malloc (nn * sizeof *ay);
  double *dir = malloc (nn * sizeof *dir);
  int *stack = malloc (nn * sizeof *stack);
  if (!l->nodes || !ax || !ay || !dir || !stack)
    {
      free (ax), free (ay), free (dir), free (stack);
      jx_tree_layout_free (l);
      return JX_ERR_NOMEM;
    }
  l->rect = rect;
  const JxTheme *th = jx_theme ();

  /* Energy colour scale: log, from the softest node to the jet. */
  double elo = INFINITY, ehi = -INFINITY;
  for (size_t i = 0; i < nn; i++)
    {
      double E = tree->nodes[i].p.E;
      if (isfinite (E) && E > 0)
        elo = fmin (elo, E), ehi = fmax (ehi, E);
    }
  if (!(elo <= ehi))
    elo = 1, ehi = 10;
  if (ehi / elo < 1.0001)
    elo /= 2, ehi *= 2;  /* all energies equal: a range around them */
  if (isfinite (style->energy_lo) && style->energy_lo > 0)
    elo = style->energy_lo;
  if (isfinite (style->energy_hi) && style->energy_hi > elo)
    ehi = style->energy_hi;
  l->energy = (JxColorScale) { style->colormap, elo, ehi, 1 };
  double vmax = 0;
  if (style->diverging && style->values)
    for (size_t t = 1; t < tree->n; t++)
      if (isfinite (style->values[t - 1]))
        vmax = fmax (vmax, fabs (style->values[t - 1]));
  if (!(vmax > 0))
    vmax = 1;
  l->value = (JxColorScale) { JX_CMAP_DIVERGING, -vmax, vmax, 0 };
  l->line_min = 1.2;
  l->line_max = tree->n > 40 ? 3.5 : 4.5;
  l->leaf_radius = tree->n > 60 ? 2.6 : 3.4;

  /* Room for the colour bars on the right. */
  double right = th->pad;
  JxRect area = jx_rect (rect.x + th->pad, rect.y + th->pad, 0, rect.h - 2 * th->pad);
  if (style->colorbar)
    {
      double bh = fmin (rect.h - 2 * th->pad - 20, 320);
      bool two = style->diverging;
      if (two)
        bh = fmin (bh, 0.42 * (rect.h - 2 * th->pad - 20));
      bh = fmax (bh, 20);
      double w1 = jx_colorbar_width (cr, &l->energy, "<i>E</i> [GeV]", bh);
      double w2 = two ? jx_colorbar_width (cr, &l->value, style->value_name, bh) : 0;
      double w = fmax (w1, w2);
      double x = rect.x + rect.w - th->pad - w;
      double y0 = rect.y + 0.5 * (rect.h - (two ? 2 * bh + 24 : bh));
      l->energy_bar = jx_rect (x, y0, w, bh);
      if (two)
        l->value_bar = jx_rect (x, y0 + bh + 24, w, bh);
      right += w + 16;
    }
  area.w = fmax (rect.w - th->pad - right, 10);
  /* Margins inside the area for labels and markers. */
  double mx = 24, my = 18;
  l->tree_area = area;

  /* Abstract layout: math orientation (y up), root at the origin heading +x, the jet's
   * incoming line from (−1, 0). With max_angle = 0 (auto) the angle scale grows until
   * the tree's shape roughly matches the area's: drawn angles stay proportional to the
   * physical ones, only the common factor is chosen. */
  double amax = 0;
  for (size_t t = 1; t < tree->n; t++)
    {
      const JxBranching *x = &tree->steps[t - 1].x;
      if (isfinite (x->theta))
        amax = fmax (amax, x->theta);
      if (isfinite (x->delta))
        amax = fmax (amax, x->delta);
    }
  double aw = fmax (area.w - 2 * mx, 10), ah = fmax (area.h - 2 * my, 10);
  bool autoscale = !(style->max_angle > 0);
  JxTreeStyle st = *style;
  st.max_angle = autoscale ? 0.35 : style->max_angle;
  double minx = -1, maxx = 0, miny = 0, maxy = 0;
  for (int iter = 0; iter < 8; iter++)
    {
      abstract_layout (tree, &st, amax, ax, ay, dir, stack, &minx, &maxx, &miny, &maxy);
      if (!autoscale)
        break;
      double aspect = (maxy - miny) / fmax (maxx - minx, 1e-9), target = ah / aw;
      if (aspect >= 0.75 * target || st.max_angle >= 1.2)
        break;
      double grow = fmin (1.6, sqrt (0.9 * target / fmax (aspect, 1e-3)));
      st.max_angle = fmin (1.2, st.max_angle * grow);
    }
  l->max_angle = st.max_angle;

  /* Fit into the area. */
  double spanx = fmax (maxx - minx, 1e-9), spany = fmax (maxy - miny, 1e-9);
  double sx = aw / spanx, sy = ah / spany;
  if (style->preserve_angles)
    sx = sy = fmin (sx, sy);
  else if (sy > 2 * sx)
    sy = 2 * sx;  /* a flat tree is not stretched into a zig-zag */
  double ox = area.x + mx + 0.5 * (aw - sx * spanx) - sx * minx;
  double oy = area.y + my + 0.5 * (ah - sy * spany) + sy * maxy;
  for (size_t i = 0; i < nn; i++)
    {
      JxTreeNodeLayout *nl = &l->nodes[i];
      nl->visible = node_visible (tree, style, (int) i);
      nl->label_index = -1;
      nl->x = ox + sx * ax[i];
      nl->y = oy - sy * ay[i];
      int m = tree->nodes[i].mother;
      if (m >= 0)
        nl->px = ox + sx * ax[m], nl->py = oy - sy * ay[m];
      else
        nl->px = ox + sx * -1, nl->py = oy;
    }
  free (ax), free (ay), free (dir), free (stack);
  if (style->labels != JX_TREE_LABEL_NONE)
    place_labels (l, cr, tree, style);
  return 0;
}

static double
seg_dist (double px, double py, double ax, double ay, double bx, double by)
{
  double vx = bx - ax, vy = by - ay, wx = px - ax, wy = py - ay;
  double L = vx * vx + vy * vy;
  double t = L > 0 ? (wx * vx + wy * vy) / L : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return hypot (px - (ax + t * vx), py - (ay + t * vy));
}

int
jx_tree_layout_hit (const JxTreeLayout *l, const JxTree *tree, double x, double y,
                    double tolerance)
{
  double tol = fmax (tolerance, l->leaf_radius + 2);
  int best = -1;
  double bd = INFINITY;
  for (size_t i = 0; i < l->n_nodes; i++)
    {
      const JxTreeNodeLayout *nl = &l->nodes[i];
      if (!nl->visible)
        continue;
      double d = hypot (x - nl->x, y - nl->y);
      if (d <= tol && d < bd)
        bd = d, best = (int) i;
    }
  if (best >= 0)
    return best;
  for (size_t i = 0; i < l->n_nodes; i++)
    {
      const JxTreeNodeLayout *nl = &l->nodes[i];
      if (!nl->visible)
        continue;
      double w = jx_tree_layout_line_width (l, tree->nodes[i].p.E);
      double d = seg_dist (x, y, nl->px, nl->py, nl->x, nl->y);
      if (d <= 0.5 * w + 0.5 * tolerance && d < bd)
        bd = d, best = (int) i;
    }
  return best;
}
