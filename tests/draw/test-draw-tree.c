/* Tree renderer: layout, labels without overlap, hit-testing, pixel colours, all formats,
 * degenerate trees. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw-check.h"
#include "jx-colorbar.h"
#include "jx-draw-tree.h"
#include "jx-surface.h"
#include "jx-tree-figure.h"
#include "jx-test.h"

#define W 900
#define H 560

static double *
fake_log_p (const JxTree *t)
{
  double *v = malloc ((t->n ? t->n : 1) * sizeof *v);
  for (size_t s = 1; s < t->n; s++)
    v[s - 1] = -0.8 - 0.37 * (double) s + 0.05 * (double) (s % 3);
  return v;
}

/* Render to path; returns the layout (caller frees). */
static JxTreeLayout
render (const char *path, const JxTree *tree, const JxTreeStyle *style, int *rc_out)
{
  JxTreeLayout lay = { 0 };
  JxSurface *s;
  JxError err = { 0 };
  int rc = jx_surface_open (&s, path, JX_FORMAT_AUTO, W, H, 1, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  if (rc < 0)
    {
      *rc_out = rc;
      return lay;
    }
  rc = jx_tree_render (jx_surface_cr (s), tree, style, jx_rect (0, 0, W, H), &lay);
  JX_CHECK_INT (rc, 0);
  int rc2 = jx_surface_close (s, &err);
  JX_CHECK_MSG (rc2 == 0, "%s", err.message);
  *rc_out = rc < 0 ? rc : rc2;
  return lay;
}

static void
test_tree_png_probes_and_hits (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 14, 11, false), 0);
  double *vals = fake_log_p (&tree);
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.labels = JX_TREE_LABEL_VALUES;
  st.values = vals;
  int rc;
  JxTreeLayout lay = render (draw_path ("tree.png"), &tree, &st, &rc);
  JX_CHECK_INT (rc, 0);
  JX_CHECK_INT (lay.labels_shown + lay.labels_hidden, (int) tree.n - 1);
  JX_CHECK (lay.labels_shown >= (int) tree.n / 2);
  cairo_surface_t *img = draw_check_png (draw_path ("tree.png"), W, H, 30, 3000);
  JX_CHECK (img != NULL);
  if (img)
    {
      /* Final particles are dots in the colour map at their energy. */
      int leaves = 0, ok = 0;
      for (size_t i = 0; i < tree.n; i++)
        {
          const JxTreeNodeLayout *nl = &lay.nodes[i];
          leaves++;
          ok += draw_pixel_near (img, nl->x, nl->y, 1,
                                 jx_tree_layout_energy_color (&lay, tree.nodes[i].p.E), 3);
        }
      JX_CHECK_MSG (ok >= leaves * 3 / 4, "%d of %d leaf dots have their energy colour", ok,
                    leaves);
      /* The jet's incoming line is the root energy's colour (the top of the scale). */
      const JxTreeNodeLayout *r = &lay.nodes[tree.root];
      JxRgb top = jx_tree_layout_energy_color (&lay, tree.nodes[tree.root].p.E);
      JX_CHECK (draw_pixel_near (img, 0.5 * (r->px + r->x), r->y, 0, top, 3));
      unsigned char b[3], want[3];
      jx_rgb_to_bytes (jx_colormap_eval (JX_CMAP_VIRIDIS, 1), want);
      draw_pixel (img, (int) (0.5 * (r->px + r->x)), (int) r->y, b);
      JX_CHECK_MSG (abs (b[0] - want[0]) <= 3 && abs (b[1] - want[1]) <= 3,
                    "root line %d,%d,%d vs viridis(1) %d,%d,%d", b[0], b[1], b[2], want[0],
                    want[1], want[2]);
      /* The energy colour bar: its top is viridis(1), its bottom viridis(0). */
      JxRect eb = lay.energy_bar;
      JX_CHECK (eb.w > 0);
      JX_CHECK (draw_pixel_near (img, eb.x + 7, eb.y + 3, 1, jx_colormap_eval (JX_CMAP_VIRIDIS, 1), 6));
      JX_CHECK (draw_pixel_near (img, eb.x + 7, eb.y + eb.h - 3, 1,
                                 jx_colormap_eval (JX_CMAP_VIRIDIS, 0), 6));
      cairo_surface_destroy (img);
    }

  /* Labels never overlap each other and stay inside the drawing. */
  for (size_t i = 0; i < lay.n_nodes; i++)
    for (size_t k = i + 1; k < lay.n_nodes; k++)
      {
        const JxTreeNodeLayout *a = &lay.nodes[i], *b = &lay.nodes[k];
        if (!a->label_shown || !b->label_shown)
          continue;
        bool ov = a->label.x < b->label.x + b->label.w && b->label.x < a->label.x + a->label.w
                  && a->label.y < b->label.y + b->label.h && b->label.y < a->label.y + a->label.h;
        JX_CHECK_MSG (!ov, "labels of nodes %zu and %zu overlap", i, k);
      }

  /* Hit-testing: on a node, near it, on a line, and far from everything. */
  for (size_t i = 0; i < lay.n_nodes; i++)
    {
      const JxTreeNodeLayout *a = &lay.nodes[i];
      double nearest = INFINITY;
      for (size_t k = 0; k < lay.n_nodes; k++)
        if (k != i)
          nearest = fmin (nearest, hypot (lay.nodes[k].x - a->x, lay.nodes[k].y - a->y));
      if (nearest < 1)
        continue;  /* two nodes on one spot: either answer is right */
      JX_CHECK_INT (jx_tree_layout_hit (&lay, &tree, a->x, a->y, 6), (int) i);
      if (nearest > 16)
        JX_CHECK_INT (jx_tree_layout_hit (&lay, &tree, a->x + 3, a->y - 2, 6), (int) i);
    }
  const JxTreeNodeLayout *r = &lay.nodes[tree.root];
  JX_CHECK_INT (jx_tree_layout_hit (&lay, &tree, 0.5 * (r->px + r->x), r->y + 1, 6), tree.root);
  JX_CHECK_INT (jx_tree_layout_hit (&lay, &tree, 3, 3, 6), -1);
  JX_CHECK_INT (jx_tree_layout_hit (&lay, &tree, W - 3, H - 3, 6), -1);
  JX_CHECK_INT (jx_tree_layout_hit (&lay, &tree, r->px - 40, r->y + 0.3 * H, 6), -1);

  /* Tooltip text. */
  char sum[256];
  jx_tree_node_summary (&tree, tree.root, sum, sizeof sum);
  JX_CHECK_MSG (strstr (sum, "the jet") && strstr (sum, "splits at t = 1: z = "), "%s", sum);
  jx_tree_node_summary (&tree, 0, sum, sizeof sum);
  JX_CHECK_MSG (strstr (sum, "node 0: E = ") && strstr (sum, "final particle"), "%s", sum);
  jx_tree_node_summary (&tree, 999, sum, sizeof sum);
  JX_CHECK (sum[0] == '\0');
  char tiny[12];
  jx_tree_node_summary (&tree, tree.root, tiny, sizeof tiny);
  JX_CHECK (strlen (tiny) == 11);

  /* The same tree as SVG: valid, right size, labels and the colour-bar title as text. */
  JxTreeLayout l2 = render (draw_path ("tree.svg"), &tree, &st, &rc);
  JX_CHECK_INT (rc, 0);
  char first[48] = "";
  for (size_t i = 0; i < l2.n_nodes && !first[0]; i++)
    if (l2.nodes[i].label_shown && (int) i == tree.root)
      snprintf (first, sizeof first, ">%s<", l2.nodes[i].label_text);
  JX_CHECK_MSG (first[0] != '\0', "the root's label (step 1) is shown");
  const char *needles[] = { first, "E [GeV]", NULL };
  JX_CHECK (draw_check_svg (draw_path ("tree.svg"), W, H, needles));
  jx_tree_layout_free (&l2);

  free (vals);
  jx_tree_layout_free (&lay);
  jx_tree_free (&tree);
}

static void
test_tree_pdf_pages_highlight_diverging (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 30, 5, false), 0);
  double *lr = malloc (tree.n * sizeof *lr);
  for (size_t s = 1; s < tree.n; s++)
    lr[s - 1] = 0.8 * sin (0.9 * (double) s);
  JxSurface *s;
  JxError err = { 0 };
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("trees.pdf"), JX_FORMAT_AUTO, W, H, 1, &err), 0);
  cairo_t *cr = jx_surface_cr (s);
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.labels = JX_TREE_LABEL_Z;
  JX_CHECK_INT (jx_tree_render (cr, &tree, &st, jx_rect (0, 0, W, H), NULL), 0);
  JX_CHECK_INT (jx_surface_new_page (s, &err), 0);
  st.labels = JX_TREE_LABEL_VALUES;
  st.values = lr;
  st.diverging = true;
  st.value_name = "log<sub>10</sub> LR";
  st.angle_scale = JX_TREE_ANGLE_SQRT;
  JX_CHECK_INT (jx_tree_render (cr, &tree, &st, jx_rect (0, 0, W, H), NULL), 0);
  JX_CHECK_INT (jx_surface_new_page (s, &err), 0);
  st.highlight = tree.nodes[tree.root].daughter[1];
  st.length = JX_TREE_LENGTH_STEP;
  st.angle_scale = JX_TREE_ANGLE_LOG;
  JX_CHECK_INT (jx_tree_render (cr, &tree, &st, jx_rect (0, 0, W, H), NULL), 0);
  JX_CHECK_INT (jx_surface_page_count (s), 3);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (draw_check_pdf (draw_path ("trees.pdf"), W, H, 3));

  /* Highlight: in a PNG, a leaf outside the highlighted subtree is faded, one inside is
   * at full colour. */
  st.diverging = false;
  st.labels = JX_TREE_LABEL_NONE;
  st.length = JX_TREE_LENGTH_GENERATION;
  int hl = tree.nodes[tree.root].daughter[0];
  st.highlight = hl;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("hl.png"), JX_FORMAT_AUTO, W, H, 1, &err), 0);
  JxTreeLayout lay;
  JX_CHECK_INT (jx_tree_render (jx_surface_cr (s), &tree, &st, jx_rect (0, 0, W, H), &lay), 0);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  cairo_surface_t *img = draw_check_png (draw_path ("hl.png"), W, H, 10, 1000);
  JX_CHECK (img != NULL);
  if (img)
    {
      int in_ok = 0, in_n = 0, out_faded = 0, out_n = 0;
      for (size_t i = 0; i < tree.n; i++)
        {
          int a = (int) i;
          bool inside = false;
          while (a >= 0 && !inside)
            inside = a == hl, a = tree.nodes[a].mother;
          JxRgb c = jx_tree_layout_energy_color (&lay, tree.nodes[i].p.E);
          bool exact = draw_pixel_near (img, lay.nodes[i].x, lay.nodes[i].y, 0, c, 3);
          if (inside)
            in_n++, in_ok += exact;
          else
            out_n++, out_faded += !exact;
        }
      JX_CHECK_MSG (in_ok >= in_n * 3 / 4, "%d of %d highlighted leaves in colour", in_ok, in_n);
      JX_CHECK_MSG (out_faded >= out_n * 3 / 4, "%d of %d other leaves faded", out_faded, out_n);
      cairo_surface_destroy (img);
    }
  jx_tree_layout_free (&lay);
  free (lr);
  jx_tree_free (&tree);
}

/* Bytes of c differ from those of d by more than tol in some channel. */
static bool
rgb_differs (JxRgb c, JxRgb d, int tol)
{
  unsigned char a[3], b[3];
  jx_rgb_to_bytes (c, a);
  jx_rgb_to_bytes (d, b);
  return abs (a[0] - b[0]) > tol || abs (a[1] - b[1]) > tol || abs (a[2] - b[2]) > tol;
}

/* style.colormap = greys: lines, dots and the colour bar are greys (not viridis); the LR
 * node colours stay diverging. */
static void
test_tree_greys (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 14, 11, false), 0);
  double *lr = malloc (tree.n * sizeof *lr);
  for (size_t t = 1; t < tree.n; t++)
    lr[t - 1] = 0.8 * sin (0.9 * (double) t);
  JxTreeStyle st;
  jx_tree_style_default (&st);
  JX_CHECK_INT (st.colormap, JX_CMAP_VIRIDIS);
  st.colormap = JX_CMAP_GREYS;
  st.labels = JX_TREE_LABEL_VALUES;
  st.values = lr;
  st.diverging = true;
  int rc;
  JxTreeLayout lay = render (draw_path ("tree-greys.png"), &tree, &st, &rc);
  JX_CHECK_INT (rc, 0);
  JX_CHECK_INT (lay.energy.map, JX_CMAP_GREYS);
  JX_CHECK_INT (lay.value.map, JX_CMAP_DIVERGING);
  cairo_surface_t *img = draw_check_png (draw_path ("tree-greys.png"), W, H, 30, 3000);
  JX_CHECK (img != NULL);
  if (img)
    {
      /* The jet's incoming line: greys(1) (black), which is not viridis(1). */
      const JxTreeNodeLayout *r = &lay.nodes[tree.root];
      JxRgb top = jx_colormap_eval (JX_CMAP_GREYS, 1);
      JX_CHECK (rgb_differs (top, jx_colormap_eval (JX_CMAP_VIRIDIS, 1), 40));
      JX_CHECK_MSG (draw_pixel_near (img, 0.5 * (r->px + r->x), r->y, 0, top, 3),
                    "root line is greys(1)");
      /* Leaf dots: the greys colour of their energy level, never the viridis one. */
      int ok = 0, viridis = 0;
      for (size_t i = 0; i < tree.n; i++)
        {
          const JxTreeNodeLayout *nl = &lay.nodes[i];
          double t = jx_tree_layout_energy_level (&lay, tree.nodes[i].p.E)
                     / (double) (JX_TREE_ENERGY_LEVELS - 1);
          JxRgb g = jx_colormap_eval (JX_CMAP_GREYS, t), v = jx_colormap_eval (JX_CMAP_VIRIDIS, t);
          JX_CHECK (rgb_differs (g, v, 40));
          ok += draw_pixel_near (img, nl->x, nl->y, 1, g, 3);
          viridis += draw_pixel_near (img, nl->x, nl->y, 1, v, 3);
        }
      JX_CHECK_MSG (ok >= (int) tree.n * 3 / 4, "%d of %zu leaf dots are greys", ok, tree.n);
      JX_CHECK_INT (viridis, 0);
      /* Internal nodes keep their diverging LR colour. */
      int div_ok = 0, internal = 0;
      for (size_t i = tree.n; i < 2 * tree.n - 1; i++)
        {
          int step = tree.nodes[i].step;
          if (step < 1)
            continue;
          internal++;
          div_ok += draw_pixel_near (img, lay.nodes[i].x, lay.nodes[i].y, 1,
                                     jx_color_scale_eval (&lay.value, lr[step - 1]), 3);
        }
      JX_CHECK_MSG (internal > 0 && div_ok >= internal * 3 / 4,
                    "%d of %d LR node colours diverging", div_ok, internal);
      /* The colour bar runs black (top) to white (bottom), through mid-grey. */
      JxRect eb = lay.energy_bar;
      JX_CHECK (eb.w > 0);
      JX_CHECK (draw_pixel_near (img, eb.x + 7, eb.y + 3, 1, top, 6));
      JX_CHECK (draw_pixel_near (img, eb.x + 7, eb.y + 0.5 * eb.h, 2,
                                 jx_colormap_eval (JX_CMAP_GREYS, 0.5), 8));
      cairo_surface_destroy (img);
    }
  jx_tree_layout_free (&lay);
  free (lr);
  jx_tree_free (&tree);
}

/* Whether some pixel within radius r of (x, y) is darker than 140 in every channel. */
static bool
dark_near (cairo_surface_t *img, double x, double y, int r)
{
  for (int dy = -r; dy <= r; dy++)
    for (int dx = -r; dx <= r; dx++)
      {
        unsigned char b[3];
        draw_pixel (img, (int) floor (x) + dx, (int) floor (y) + dy, b);
        if (b[0] < 140 && b[1] < 140 && b[2] < 140)
          return true;
      }
  return false;
}

/* In greys the softest line is white: it needs the dark casing viridis gives its light
 * (hard) end. One branching, so nothing else is near the soft line's middle. */
static void
test_tree_greys_casing (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 2, 3, false), 0);
  int soft = tree.nodes[0].p.E < tree.nodes[1].p.E ? 0 : 1;
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.colormap = JX_CMAP_GREYS;
  int rc;
  JxTreeLayout lay = render (draw_path ("tree-greys-2.png"), &tree, &st, &rc);
  JX_CHECK_INT (rc, 0);
  cairo_surface_t *img = draw_check_png (draw_path ("tree-greys-2.png"), W, H, 5, 1000);
  JX_CHECK (img != NULL);
  if (img && rc == 0)
    {
      const JxTreeNodeLayout *n = &lay.nodes[soft];
      double mx = 0.5 * (n->px + n->x), my = 0.5 * (n->py + n->y);
      double w = jx_tree_layout_line_width (&lay, tree.nodes[soft].p.E);
      /* Uncased, a white line on white leaves nothing dark here. */
      JX_CHECK_MSG (dark_near (img, mx, my, (int) ceil (0.5 * w + 2)),
                    "the white line has its dark casing");
    }
  if (img)
    cairo_surface_destroy (img);
  jx_tree_layout_free (&lay);
  jx_tree_free (&tree);
}

static void
test_tree_many_labels (void)
{
  /* 100 particles: labels that do not fit are hidden and counted, never overlapped. */
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 100, 3, false), 0);
  double *vals = fake_log_p (&tree);
  vals[5] = NAN;  /* no label for this one */
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.labels = JX_TREE_LABEL_VALUES;
  st.values = vals;
  int rc;
  JxTreeLayout lay = render (draw_path ("tree100.png"), &tree, &st, &rc);
  JX_CHECK_INT (rc, 0);
  JX_CHECK_INT (lay.labels_shown + lay.labels_hidden, 98);
  JX_CHECK (lay.labels_shown >= 20);
  cairo_surface_t *img = draw_check_png (draw_path ("tree100.png"), W, H, 30, 3000);
  JX_CHECK (img != NULL);
  if (img)
    cairo_surface_destroy (img);
  jx_tree_layout_free (&lay);
  free (vals);
  jx_tree_free (&tree);
}

static void
test_tree_degenerate (void)
{
  int rc;
  /* One particle: no branching; the jet line and its dot. */
  JxTree one = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&one, 1, 1, false), 0);
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.labels = JX_TREE_LABEL_STEP;
  JxTreeLayout lay = render (draw_path ("one.png"), &one, &st, &rc);
  JX_CHECK_INT (rc, 0);
  JX_CHECK_INT (lay.labels_shown + lay.labels_hidden, 0);
  cairo_surface_t *img = draw_check_png (draw_path ("one.png"), W, H, 10, 300);
  JX_CHECK (img != NULL);
  if (img)
    {
      JX_CHECK (draw_pixel_near (img, lay.nodes[0].x, lay.nodes[0].y, 1,
                                 jx_tree_layout_energy_color (&lay, one.nodes[0].p.E), 3));
      cairo_surface_destroy (img);
    }
  JX_CHECK_INT (jx_tree_layout_hit (&lay, &one, lay.nodes[0].x, lay.nodes[0].y, 5), 0);
  jx_tree_layout_free (&lay);
  jx_tree_free (&one);

  /* All energies equal: a non-empty colour range, every leaf the same colour. */
  JxTree eq = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&eq, 6, 2, true), 0);
  lay = render (draw_path ("equal.svg"), &eq, NULL, &rc);
  JX_CHECK_INT (rc, 0);
  JX_CHECK (lay.energy.hi > lay.energy.lo);
  const char *needles[] = { "E [GeV]", NULL };
  JX_CHECK (draw_check_svg (draw_path ("equal.svg"), W, H, needles));
  jx_tree_layout_free (&lay);

  /* Every frame of a shower-style reveal, including t = 0, draws. */
  for (int t = 0; t < (int) eq.n; t++)
    {
      st.max_step = t;
      lay = render (draw_path ("step.png"), &eq, &st, &rc);
      JX_CHECK_INT (rc, 0);
      int vis = 0;
      for (size_t i = 0; i < lay.n_nodes; i++)
        vis += lay.nodes[i].visible;
      JX_CHECK_INT (vis, 1 + 2 * t);
      jx_tree_layout_free (&lay);
    }
  jx_tree_free (&eq);

  /* Non-finite energies and angles (a corrupt input) still draw. */
  JxTree bad = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&bad, 8, 12, false), 0);
  bad.nodes[0].p.E = NAN;
  bad.steps[0].x.theta = NAN;
  bad.steps[1].x.delta = INFINITY;
  bad.steps[2].x.phi = NAN;
  st.max_step = -1;
  st.labels = JX_TREE_LABEL_THETA;
  lay = render (draw_path ("bad.png"), &bad, &st, &rc);
  JX_CHECK_INT (rc, 0);
  for (size_t i = 0; i < lay.n_nodes; i++)
    JX_CHECK (isfinite (lay.nodes[i].x) && isfinite (lay.nodes[i].y));
  JX_CHECK (lay.labels_shown + lay.labels_hidden <= (int) bad.n - 2);  /* no label for NaN */
  jx_tree_layout_free (&lay);
  jx_tree_free (&bad);

  /* A tiny drawing area and an empty tree do not crash. */
  JxTree empty = { 0 };
  empty.root = -1;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 20, 10);
  cairo_t *cr = cairo_create (s);
  JX_CHECK (jx_tree_render (cr, &empty, NULL, jx_rect (0, 0, 20, 10), NULL) < 0);
  JxTree t2 = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&t2, 5, 9, false), 0);
  JX_CHECK_INT (jx_tree_render (cr, &t2, NULL, jx_rect (0, 0, 20, 10), NULL), 0);
  jx_tree_free (&t2);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* Whether any visible line, with its width, touches the shown label box r: points along the
 * line against the box. */
static bool
label_on_a_line (const JxTree *tree, const JxTreeLayout *lay, JxRect r)
{
  for (size_t i = 0; i < lay->n_nodes; i++)
    {
      const JxTreeNodeLayout *n = &lay->nodes[i];
      if (!n->visible)
        continue;
      double hw = 0.5 * jx_tree_layout_line_width (lay, tree->nodes[i].p.E);
      int steps = 1 + (int) (2 * hypot (n->x - n->px, n->y - n->py));
      for (int k = 0; k <= steps; k++)
        {
          double f = k / (double) steps, x = n->px + (n->x - n->px) * f, y = n->py + (n->y - n->py) * f;
          double dx = fmax (fmax (r.x - x, 0), x - (r.x + r.w));
          double dy = fmax (fmax (r.y - y, 0), y - (r.y + r.h));
          if (hypot (dx, dy) < hw)
            return true;
        }
    }
  return false;
}

/* The end term: a marker right of the tree with the last value as its label, counted with
 * the branchings' labels; hit-testable; absent while steps are hidden or without end_term. */
static void
test_tree_end_marker (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 14, 11, false), 0);
  double *vals = malloc (tree.n * sizeof *vals);
  for (size_t t = 0; t < tree.n; t++)
    vals[t] = -0.3 * (double) (t + 1);
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.labels = JX_TREE_LABEL_VALUES;
  st.values = vals;
  st.end_term = true;
  int rc;
  JxTreeLayout lay = render (draw_path ("end.png"), &tree, &st, &rc);
  JX_CHECK_INT (rc, 0);
  JX_CHECK (lay.end.visible);
  JX_CHECK_INT (lay.labels_shown + lay.labels_hidden, (int) tree.n);
  JX_CHECK (lay.end.label_shown);
  char want[32];
  snprintf (want, sizeof want, "−%.2f", 0.3 * (double) tree.n);
  JX_CHECK_MSG (strcmp (lay.end.label_text, want) == 0, "end label %s, want %s",
                lay.end.label_text, want);
  for (size_t i = 0; i < lay.n_nodes; i++)
    JX_CHECK (lay.end.x > lay.nodes[i].x);
  JX_CHECK (jx_tree_layout_hit_end (&lay, lay.end.x + 2, lay.end.y - 1, 4));
  JX_CHECK (!jx_tree_layout_hit_end (&lay, lay.end.x - 40, lay.end.y, 4));
  JX_CHECK (lay.extents.x + lay.extents.w >= lay.end.x);
  cairo_surface_t *img = draw_check_png (draw_path ("end.png"), W, H, 20, 2000);
  if (img)
    {
      /* The square's dark outline. */
      JX_CHECK (dark_near (img, lay.end.x - JX_TREE_END_RADIUS, lay.end.y, 1));
      cairo_surface_destroy (img);
    }
  jx_tree_layout_free (&lay);

  /* Diverging: the square takes the value's colour on a scale fixed by value_max. */
  st.diverging = true;
  st.value_max = 10;
  lay = render (draw_path ("end-lr.png"), &tree, &st, &rc);
  JX_CHECK_CLOSE (lay.value.hi, 10, 0, 0);
  JX_CHECK_CLOSE (lay.value.lo, -10, 0, 0);
  img = draw_check_png (draw_path ("end-lr.png"), W, H, 20, 2000);
  if (img)
    {
      JX_CHECK (draw_pixel_near (img, lay.end.x, lay.end.y, 1,
                                 jx_color_scale_eval (&lay.value, vals[tree.n - 1]), 3));
      cairo_surface_destroy (img);
    }
  jx_tree_layout_free (&lay);

  /* Not every branching shown yet (a shower frame): no end marker. */
  st.max_step = 3;
  lay = render (draw_path ("end-part.png"), &tree, &st, &rc);
  JX_CHECK (!lay.end.visible && !lay.end.label_shown);
  jx_tree_layout_free (&lay);
  st.max_step = -1;
  st.end_term = false;
  lay = render (draw_path ("end-none.png"), &tree, &st, &rc);
  JX_CHECK (!lay.end.visible);
  JX_CHECK_INT (lay.labels_shown + lay.labels_hidden, (int) tree.n - 1);
  jx_tree_layout_free (&lay);

  /* One particle: the end term is its only label. */
  JxTree one = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&one, 1, 1, false), 0);
  double v1 = 2.83;
  st.values = &v1;
  st.end_term = true;
  lay = render (draw_path ("end-one.png"), &one, &st, &rc);
  JX_CHECK_INT (rc, 0);
  JX_CHECK (lay.end.visible && lay.end.label_shown);
  JX_CHECK_INT (lay.labels_shown, 1);
  JX_CHECK (strcmp (lay.end.label_text, "2.83") == 0);
  jx_tree_layout_free (&lay);
  jx_tree_free (&one);
  free (vals);
  jx_tree_free (&tree);
}

/* Labels never sit on a line nor on each other, at the theme size and at 2.5×; bigger labels
 * are bigger boxes. */
static void
test_tree_labels_clear_of_lines (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 30, 5, false), 0);
  double *vals = fake_log_p (&tree);
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.labels = JX_TREE_LABEL_VALUES;
  st.values = vals;
  double h1 = 0;
  for (int k = 0; k < 2; k++)
    {
      st.label_scale = k == 0 ? 1 : 2.5;
      int rc;
      JxTreeLayout lay = render (draw_path (k == 0 ? "clear1.png" : "clear2.png"), &tree, &st, &rc);
      JX_CHECK_INT (rc, 0);
      JX_CHECK_CLOSE (lay.label_size, jx_theme ()->font_node * st.label_scale, 1e-12, 0);
      JX_CHECK (lay.labels_shown > 0);
      double hsum = 0;
      for (size_t i = 0; i < lay.n_nodes; i++)
        {
          const JxTreeNodeLayout *a = &lay.nodes[i];
          if (!a->label_shown)
            continue;
          hsum += a->label.h;
          JX_CHECK_MSG (!label_on_a_line (&tree, &lay, a->label), "label of node %zu (%s) on a line",
                        i, a->label_text);
          for (size_t j = i + 1; j < lay.n_nodes; j++)
            {
              const JxTreeNodeLayout *b = &lay.nodes[j];
              if (b->label_shown)
                JX_CHECK (!(a->label.x < b->label.x + b->label.w && b->label.x < a->label.x + a->label.w
                            && a->label.y < b->label.y + b->label.h && b->label.y < a->label.y + a->label.h));
            }
        }
      double h = hsum / lay.labels_shown;
      if (k == 0)
        h1 = h;
      else
        JX_CHECK_MSG (h > 2.2 * h1 && h < 2.8 * h1, "label height %.1f at 2.5x vs %.1f", h, h1);
      jx_tree_layout_free (&lay);
    }
  free (vals);
  jx_tree_free (&tree);
}

/* Step focus: the mother and the two daughters get accent rings. */
static void
test_tree_focus_step (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 8, 4, false), 0);
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.focus_step = 1;
  int rc;
  JxTreeLayout lay = render (draw_path ("focus.png"), &tree, &st, &rc);
  JX_CHECK_INT (rc, 0);
  cairo_surface_t *img = draw_check_png (draw_path ("focus.png"), W, H, 10, 1000);
  JxRgb accent = jx_palette_color (1);
  if (img)
    {
      const JxStep *s = &tree.steps[0];
      const JxTreeNodeLayout *m = &lay.nodes[s->mother];
      JX_CHECK (draw_pixel_near (img, m->x, m->y - (lay.leaf_radius + 5), 1, accent, 30));
      for (int k = 0; k < 2; k++)
        {
          const JxTreeNodeLayout *d = &lay.nodes[s->daughter[k]];
          JX_CHECK (draw_pixel_near (img, d->x, d->y + lay.leaf_radius + 3, 1, accent, 30));
        }
      cairo_surface_destroy (img);
    }
  jx_tree_layout_free (&lay);
  jx_tree_free (&tree);
}

/* Colour bars apart from the tree (a zoomed canvas keeps them fixed): a layout without them
 * still has the scales, and the bars draw where they are told. */
static void
test_tree_colorbars_apart (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 10, 2, false), 0);
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.colorbar = false;
  int rc;
  JxTreeLayout lay = render (draw_path ("nobar.png"), &tree, &st, &rc);
  JX_CHECK_INT (rc, 0);
  JX_CHECK (lay.energy_bar.w == 0 && lay.value_bar.w == 0);
  JX_CHECK (lay.energy.hi > lay.energy.lo);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 400);
  cairo_t *cr = cairo_create (s);
  double w = jx_tree_colorbars_width (cr, &lay, &st, 380);
  JX_CHECK (w > JX_COLORBAR_BAR_WIDTH && w < 150);
  jx_draw_background (cr, jx_rect (0, 0, 200, 400));
  jx_tree_colorbars_draw (cr, jx_rect (10, 10, w, 380), &lay, &st);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  /* Down the bar's middle: the map's top colour above its bottom colour. */
  int top = -1, bottom = -1;
  for (int y = 10; y < 390; y++)
    {
      if (top < 0 && draw_pixel_near (s, 17, y, 0, jx_colormap_eval (JX_CMAP_VIRIDIS, 1), 8))
        top = y;
      if (draw_pixel_near (s, 17, y, 0, jx_colormap_eval (JX_CMAP_VIRIDIS, 0), 8))
        bottom = y;
    }
  JX_CHECK_MSG (top >= 10 && bottom > top + 100, "bar top at %d, bottom at %d", top, bottom);
  cairo_surface_destroy (s);
  jx_tree_layout_free (&lay);
  jx_tree_free (&tree);
}

/* Captions say what a figure shows; a two-tree figure has both, one column of bars. */
static void
test_tree_figure (void)
{
  JxClusterOptions cl;
  jx_cluster_options_default (&cl);
  JxTreeCaption c;
  jx_tree_caption_init (&c);
  c.dataset = "quarks & more.h5";
  c.jet = 4;
  c.particles = 12;
  c.clustering = &cl;
  c.model_a = "quark-model.h5";
  c.model_b = "z-model.h5";
  c.log10_pa = -34.4312;
  c.log10_lr = 0.004;
  char buf[512];
  jx_tree_caption_title (&c, false, buf, sizeof buf);
  JX_CHECK_MSG (strcmp (buf, "jet 4 of quarks & more.h5 · 12 particles · C/A, R_sub 0.1, E_sub 1 GeV"
                        " · A = quark-model.h5 · B = z-model.h5") == 0, "%s", buf);
  jx_tree_caption_title (&c, true, buf, sizeof buf);
  JX_CHECK_MSG (strstr (buf, "quarks &amp; more.h5") != NULL, "%s", buf);
  jx_tree_caption_totals (&c, false, buf, sizeof buf);
  JX_CHECK_MSG (strcmp (buf, "log₁₀ P_A = −34.43 · log₁₀ P_A/P_B = 0.00") == 0, "%s", buf);
  /* The pp metric is named; the default e+e- one goes unsaid. */
  cl.metric = JX_METRIC_PP;
  jx_tree_caption_clustering (&cl, buf, sizeof buf);
  JX_CHECK_MSG (strcmp (buf, "C/A (pp), R_sub 0.1, E_sub 1 GeV") == 0, "%s", buf);
  cl.metric = JX_METRIC_EE;
  char tiny[8];
  jx_tree_caption_title (&c, false, tiny, sizeof tiny);
  JX_CHECK (strlen (tiny) < sizeof tiny);

  JxTree a = { 0 }, b = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&a, 9, 3, false), 0);
  JX_CHECK_INT (draw_fixture_tree (&b, 15, 8, false), 0);
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.energy_lo = 1;
  st.energy_hi = 1000;
  JxTreeCaption c2 = c;
  c2.dataset = "zjets.h5";
  c2.jet = 7;
  c2.particles = b.n;
  JxTreePanel panels[2] = { { &a, &st, &c }, { &b, &st, &c2 } };
  JxSurface *s;
  JxError err = { 0 };
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("pair.svg"), JX_FORMAT_AUTO, W, H, 1, &err), 0);
  JX_CHECK_INT (jx_tree_figure_draw (jx_surface_cr (s), jx_rect (0, 0, W, H), panels, 2), 0);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  const char *needles[] = { "jet 4 of quarks &amp; more.h5", "jet 7 of zjets.h5", "A = quark-model.h5",
                            "E [GeV]", NULL };
  JX_CHECK (draw_check_svg (draw_path ("pair.svg"), W, H, needles));
  JX_CHECK_INT (jx_tree_figure_draw (NULL, jx_rect (0, 0, W, H), panels, 3), JX_ERR_INVALID);
  jx_tree_free (&a);
  jx_tree_free (&b);
}

int
main (void)
{
  test_tree_png_probes_and_hits ();
  test_tree_pdf_pages_highlight_diverging ();
  test_tree_greys ();
  test_tree_greys_casing ();
  test_tree_many_labels ();
  test_tree_degenerate ();
  test_tree_end_marker ();
  test_tree_labels_clear_of_lines ();
  test_tree_focus_step ();
  test_tree_colorbars_apart ();
  test_tree_figure ();
  draw_scratch_done ();
  JX_TEST_MAIN_END ("draw-tree");
}
