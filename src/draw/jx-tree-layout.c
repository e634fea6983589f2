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
  s->value_max = NAN;
  s->label_scale = 1;
  s->stretch_max = 2;
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
  bool end = s->end_term && (size_t) t == tree->n;
  if (t < 1 || ((size_t) t >= tree->n && !end))
    return;
  /* The end marker carries a value only: it has no branching. */
  if (end && s->labels != JX_TREE_LABEL_VALUES)
    return;
  const JxBranching *x = end ? NULL : &tree->steps[t - 1].x;
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

/* A drawn line: from (x0, y0) to (x1, y1), hw half its width. */
typedef struct {
  double x0, y0, x1, y1, hw;
} Segment;

/* Whether the line (with its width and a pixel to spare) touches rectangle r: the segment
 * clipped against r grown by that much (Liang–Barsky) is not empty. */
static bool
segment_hits (const Segment *s, JxRect r)
{
  double m = s->hw + 1;
  double dx = s->x1 - s->x0, dy = s->y1 - s->y0, t0 = 0, t1 = 1;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { s->x0 - (r.x - m), (r.x + r.w + m) - s->x0, s->y0 - (r.y - m),
                  (r.y + r.h + m) - s->y0 };
  for (int k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return false;
          continue;
        }
      double t = q[k] / p[k];
      if (p[k] < 0)
        {
          if (t > t1)
            return false;
          t0 = fmax (t0, t);
        }
      else
        {
          if (t < t0)
            return false;
          t1 = fmin (t1, t);
        }
    }
  return t0 <= t1;
}

/* What a label must keep clear of: labels placed so far, node markers, lines. */
typedef struct {
  JxRect *placed;
  size_t n_placed;
  Segment *lines;
  size_t n_lines;
  JxRect *markers;
  int *marker_owner;     /* node index, −2 for the end marker */
  size_t n_markers;
} Obstacles;

static bool
clear_of (const Obstacles *o, JxRect r, int owner)
{
  for (size_t k = 0; k < o->n_placed; k++)
    if (overlaps (r, o->placed[k]))
      return false;
  for (size_t k = 0; k < o->n_markers; k++)
    if (o->marker_owner[k] != owner && overlaps (r, o->markers[k]))
      return false;
  for (size_t k = 0; k < o->n_lines; k++)
    if (segment_hits (&o->lines[k], r))
      return false;
  return true;
}

/* Put the label of nl (owner: its node, −2 for the end marker) at the first spot around it,
 * nearest first, that lies in the tree area and is clear of everything drawn. */
static bool
place_one (JxTreeLayout *l, Obstacles *o, JxTreeNodeLayout *nl, int owner, double w, double h,
           double gap)
{
  /* Above, below, above-left, below-left, above-right, below-right, right, left; then the
   * same one and two line-heights further out. */
  for (int ring = 0; ring < 3; ring++)
    {
      double g = gap + ring * 0.9 * h;
      double x = nl->x, y = nl->y;
      double cx[8] = { x - 0.5 * w, x - 0.5 * w, x - w - g, x - w - g, x + g, x + g,
                       x + g + 2, x - w - g - 2 };
      double cy[8] = { y - h - g, y + g, y - h - g + 1, y + g - 1, y - h - g + 1, y + g - 1,
                       y - 0.5 * h, y - 0.5 * h };
      for (int c = 0; c < 8; c++)
        {
          JxRect r = jx_rect (cx[c], cy[c], w, h);
          if (inside (r, l->tree_area) && clear_of (o, r, owner))
            {
              nl->label = r;
              nl->label_shown = true;
              o->placed[o->n_placed++] = r;
              return true;
            }
        }
    }
  return false;
}

static bool
obstacles_init (Obstacles *o, const JxTreeLayout *l, const JxTree *tree)
{
  size_t nn = l->n_nodes;
  *o = (Obstacles) { 0 };
  o->placed = malloc ((nn + 1) * sizeof *o->placed);
  o->lines = malloc (nn * sizeof *o->lines);
  o->markers = malloc ((nn + 1) * sizeof *o->markers);
  o->marker_owner = malloc ((nn + 1) * sizeof *o->marker_owner);
  if (!o->placed || !o->lines || !o->markers || !o->marker_owner)
    return false;
  double rad = l->leaf_radius + 1;
  for (size_t i = 0; i < nn; i++)
    {
      const JxTreeNodeLayout *nl = &l->nodes[i];
      if (!nl->visible)
        continue;
      o->lines[o->n_lines++] = (Segment) { nl->px, nl->py, nl->x, nl->y,
                                           0.5 * jx_tree_layout_line_width (l, tree->nodes[i].p.E) };
      o->marker_owner[o->n_markers] = (int) i;
      o->markers[o->n_markers++] = jx_rect (nl->x - rad, nl->y - rad, 2 * rad, 2 * rad);
    }
  if (l->end.visible)
    {
      /* The square and the word "end" right of it. */
      double r = JX_TREE_END_RADIUS + 1;
      o->marker_owner[o->n_markers] = -2;
      o->markers[o->n_markers++] = jx_rect (l->end.x - r, l->end.y - r,
                                            2 * r + 3 + 1.8 * l->label_size, 2 * r);
    }
  return true;
}

static void
obstacles_free (Obstacles *o)
{
  free (o->placed);
  free (o->lines);
  free (o->markers);
  free (o->marker_owner);
}

/* Labels in step order (earliest branchings matter most), the end marker's last. */
static void
place_labels (JxTreeLayout *l, cairo_t *cr, const JxTree *tree, const JxTreeStyle *s)
{
  Obstacles o;
  if (!obstacles_init (&o, l, tree))
    {
      obstacles_free (&o);
      return;
    }
  l->labels = jx_text_cache_new (cr, l->label_size);
  double gap = (3 + (s->diverging ? 3 : 0)) * fmax (1, 0.5 + 0.5 * s->label_scale);
  int max_step = s->max_step < 0 ? (int) tree->n : s->max_step;
  for (size_t t = 1; t <= tree->n; t++)
    {
      bool end = t == tree->n;
      JxTreeNodeLayout *nl = end ? &l->end : &l->nodes[tree->steps[t - 1].mother];
      if (!nl->visible || (!end && (int) t > max_step))
        continue;
      jx_tree_label_text (tree, s, (int) t, nl->label_text, sizeof nl->label_text);
      if (nl->label_text[0] == '\0')
        continue;
      double w, h;
      nl->label_index = jx_text_cache_add (l->labels, nl->label_text, &w, &h);
      if (nl->label_index < 0)
        jx_text_size (cr, nl->label_text, l->label_size, &w, &h);
      int owner = end ? -2 : tree->steps[t - 1].mother;
      if (place_one (l, &o, nl, owner, w, h, end ? gap + 2 : gap))
        l->labels_shown++;
      else
        l->labels_hidden++;
    }
  obstacles_free (&o);
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

#define ENERGY_TITLE "<i>E</i> [GeV]"
#define BAR_GAP 24.0

static const char *
value_title (const JxTreeStyle *s)
{
  return s->value_name ? s->value_name : "value";
}

/* The bars' height in a column of the given height: one bar (energy) or two (and values). */
static double
bar_height (double height, bool two)
{
  double bh = fmin (height - 20, 320);
  if (two)
    bh = fmin (bh, 0.42 * (height - 20));
  return fmax (bh, 20);
}

double
jx_tree_colorbars_width (cairo_t *cr, const JxTreeLayout *l, const JxTreeStyle *s, double height)
{
  double bh = bar_height (height, s->diverging);
  double w = jx_colorbar_width (cr, &l->energy, ENERGY_TITLE, bh);
  if (s->diverging)
    w = fmax (w, jx_colorbar_width (cr, &l->value, value_title (s), bh));
  return w;
}

/* Where the bars go in a column rect (value bar w = 0 without diverging). */
static void
bar_rects (JxRect r, bool two, JxRect *energy, JxRect *value)
{
  double bh = bar_height (r.h, two);
  double y0 = r.y + 0.5 * (r.h - (two ? 2 * bh + BAR_GAP : bh));
  *energy = jx_rect (r.x, y0, r.w, bh);
  *value = two ? jx_rect (r.x, y0 + bh + BAR_GAP, r.w, bh) : jx_rect (0, 0, 0, 0);
}

void
jx_tree_colorbars_draw (cairo_t *cr, JxRect r, const JxTreeLayout *l, const JxTreeStyle *s)
{
  JxRect e, v;
  bar_rects (r, s->diverging, &e, &v);
  jx_colorbar_draw (cr, e, &l->energy, ENERGY_TITLE);
  if (v.w > 0)
    jx_colorbar_draw (cr, v, &l->value, value_title (s));
}

/* Colour scales: log energy from the softest node to the jet (or the style's range), and a
 * symmetric range for the values (the style's, or the largest |value| shown). */
static void
set_scales (JxTreeLayout *l, const JxTree *tree, const JxTreeStyle *style)
{
  size_t nn = 2 * tree->n - 1;
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
  size_t nv = tree->n - 1 + (style->end_term ? 1 : 0);
  if (style->diverging && style->values)
    for (size_t t = 0; t < nv; t++)
      if (isfinite (style->values[t]))
        vmax = fmax (vmax, fabs (style->values[t]));
  if (isfinite (style->value_max) && style->value_max > 0)
    vmax = style->value_max;
  if (!(vmax > 0))
    vmax = 1;
  l->value = (JxColorScale) { JX_CMAP_DIVERGING, -vmax, vmax, 0 };
}

void
jx_tree_layout_scales (JxTreeLayout *l, const JxTree *tree, const JxTreeStyle *style)
{
  JxTreeStyle def;
  if (style == NULL)
    {
      jx_tree_style_default (&def);
      style = &def;
    }
  if (tree != NULL && tree->n > 0 && tree->nodes != NULL)
    set_scales (l, tree, style);
}

/* The widest branching angle (θ or δ) of the tree. */
static double
widest_angle (const JxTree *tree)
{
  double amax = 0;
  for (size_t t = 1; t < tree->n; t++)
    {
      const JxBranching *x = &tree->steps[t - 1].x;
      if (isfinite (x->theta))
        amax = fmax (amax, x->theta);
      if (isfinite (x->delta))
        amax = fmax (amax, x->delta);
    }
  return amax;
}

/* Node positions on the drawing: the abstract layout (ax, ay) through x = ox + sx·ax,
 * y = oy − sy·ay; each node's line starts at its mother (the root's at −1), and the
 * extents cover what is visible. */
static void
place_nodes (JxTreeLayout *l, const JxTree *tree, const JxTreeStyle *style, const double *ax,
             const double *ay, double ox, double oy, double sx, double sy, double end_ax)
{
  size_t nn = l->n_nodes;
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
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
      if (nl->visible)
        {
          x0 = fmin (x0, fmin (nl->x, nl->px)), x1 = fmax (x1, fmax (nl->x, nl->px));
          y0 = fmin (y0, fmin (nl->y, nl->py)), y1 = fmax (y1, fmax (nl->y, nl->py));
        }
    }
  l->end.label_index = -1;
  if (l->end.visible)
    {
      l->end.x = l->end.px = ox + sx * end_ax;
      l->end.y = l->end.py = oy;
      x1 = fmax (x1, l->end.x + JX_TREE_END_RADIUS);
    }
  l->extents = jx_rect (x0, y0, x1 - x0, y1 - y0);
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
  set_scales (l, tree, style);
  l->line_min = 1.2;
  l->line_max = tree->n > 40 ? 3.5 : 4.5;
  l->leaf_radius = tree->n > 60 ? 2.6 : 3.4;
  double ls = isfinite (style->label_scale) && style->label_scale > 0 ? style->label_scale : 1;
  l->label_size = fmin (fmax (th->font_node * ls, 4), 72);

  /* Room for the colour bars on the right. */
  double right = th->pad;
  JxRect area = jx_rect (rect.x + th->pad, rect.y + th->pad, 0, rect.h - 2 * th->pad);
  if (style->colorbar)
    {
      double w = jx_tree_colorbars_width (cr, l, style, area.h);
      bar_rects (jx_rect (rect.x + rect.w - th->pad - w, area.y, w, area.h), style->diverging,
                 &l->energy_bar, &l->value_bar);
      right += w + 16;
    }
  area.w = fmax (rect.w - th->pad - right, 10);
  /* Margins inside the area for labels and markers. */
  double mx = 24 + 2 * (l->label_size - th->font_node), my = 18 + (l->label_size - th->font_node);
  l->tree_area = area;

  /* Abstract layout: math orientation (y up), root at the origin heading +x, the jet's
   * incoming line from (−1, 0). With max_angle = 0 (auto) the angle scale grows until
   * the tree's shape roughly matches the area's: drawn angles stay proportional to the
   * physical ones, only the common factor is chosen. */
  double amax = widest_angle (tree);
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
  /* The end marker: half a generation right of the tree, on the jet's axis, once every
   * branching is shown. */
  l->end.visible = style->end_term && (style->max_step < 0 || style->max_step >= (int) tree->n - 1);
  double end_ax = maxx + 0.5;
  if (l->end.visible)
    maxx = end_ax;

  /* Fit into the area. */
  double spanx = fmax (maxx - minx, 1e-9), spany = fmax (maxy - miny, 1e-9);
  double sx = aw / spanx, sy = ah / spany;
  if (style->preserve_angles)
    sx = sy = fmin (sx, sy);
  else if (sy > fmax (style->stretch_max, 1) * sx)
    sy = fmax (style->stretch_max, 1) * sx;  /* a flat tree is not stretched into a zig-zag */
  double ox = area.x + mx + 0.5 * (aw - sx * spanx) - sx * minx;
  double oy = area.y + my + 0.5 * (ah - sy * spany) + sy * maxy;
  place_nodes (l, tree, style, ax, ay, ox, oy, sx, sy, end_ax);
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

bool
jx_tree_layout_hit_end (const JxTreeLayout *l, double x, double y, double tolerance)
{
  return l->end.visible
         && hypot (x - l->end.x, y - l->end.y) <= fmax (tolerance, JX_TREE_END_RADIUS + 2);
}
