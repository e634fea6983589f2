/* jx-tree-figure.c — captions and stacked tree figures (see jx-tree-figure.h). */
#include "jx-tree-figure.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jx-draw-text.h"
#include "jx-draw-tree.h"

void
jx_tree_caption_init (JxTreeCaption *c)
{
  *c = (JxTreeCaption) { 0 };
  c->jet = -1;
  c->log10_pa = c->log10_pb = c->log10_lr = NAN;
}

void
jx_tree_format_value (double v, char *out, size_t cap)
{
  if (!isfinite (v))
    {
      snprintf (out, cap, "–");
      return;
    }
  /* −0.00 is 0.00: a sign the reader cannot see in the digits misleads. */
  if (fabs (v) < 0.005)
    v = 0;
  snprintf (out, cap, "%s%.2f", v < 0 ? "−" : "", fabs (v));
}

void
jx_tree_caption_clustering (const JxClusterOptions *opt, char *out, size_t cap)
{
  static const char *const titles[] = { "C/A", "kt", "anti-kt", "printer" };
  const char *alg = opt->algorithm >= 0 && opt->algorithm < 4 ? titles[opt->algorithm] : "?";
  /* The default e+e- metric goes unsaid; the pp one (Δy² + Δφ²) is named. */
  const char *metric = opt->metric == JX_METRIC_PP ? " (pp)" : "";
  if (opt->rsub > 0 || opt->esub > 0)
    snprintf (out, cap, "%s%s, R_sub %g, E_sub %g GeV", alg, metric, opt->rsub, opt->esub);
  else
    snprintf (out, cap, "%s%s, subjets off", alg, metric);
}

/* Append printf text to out (capacity cap, *len used so far; stops at the capacity). */
static void __attribute__ ((format (printf, 4, 5)))
appendf (char *out, size_t cap, size_t *len, const char *fmt, ...)
{
  if (*len + 1 >= cap)
    return;
  va_list ap;
  va_start (ap, fmt);
  int k = vsnprintf (out + *len, cap - *len, fmt, ap);
  va_end (ap);
  *len = k < 0 || (size_t) k >= cap - *len ? cap - 1 : *len + (size_t) k;
}

#define APPEND(...) appendf (out, cap, len, __VA_ARGS__)

static void
append_name (char *out, size_t cap, size_t *len, bool markup, const char *name)
{
  char esc[512];
  APPEND ("%s", markup ? jx_text_escape (name, esc, sizeof esc) : name);
}

static void
append_sep (char *out, size_t cap, size_t *len)
{
  if (*len > 0)
    APPEND (" · ");
}

void
jx_tree_caption_title (const JxTreeCaption *c, bool markup, char *out, size_t cap)
{
  size_t used = 0, *len = &used;
  if (cap == 0)
    return;
  out[0] = '\0';
  if (c->jet >= 0)
    {
      APPEND ("jet %ld", c->jet);
      if (c->dataset)
        {
          APPEND (" of ");
          append_name (out, cap, len, markup, c->dataset);
        }
    }
  else if (c->dataset)
    append_name (out, cap, len, markup, c->dataset);
  if (c->particles > 0)
    {
      append_sep (out, cap, len);
      APPEND ("%zu particle%s", c->particles, c->particles == 1 ? "" : "s");
    }
  if (c->clustering)
    {
      char cl[96];
      jx_tree_caption_clustering (c->clustering, cl, sizeof cl);
      append_sep (out, cap, len);
      APPEND ("%s", cl);
    }
  const char *names[2] = { c->model_a, c->model_b };
  for (int k = 0; k < 2; k++)
    if (names[k])
      {
        append_sep (out, cap, len);
        APPEND ("%s = ", k == 0 ? "A" : "B");
        append_name (out, cap, len, markup, names[k]);
      }
}

void
jx_tree_caption_totals (const JxTreeCaption *c, bool markup, char *out, size_t cap)
{
  size_t used = 0, *len = &used;
  if (cap == 0)
    return;
  out[0] = '\0';
  const char *log10 = markup ? "log<sub>10</sub>" : "log₁₀";
  const char *pa = markup ? "<i>P</i><sub>A</sub>" : "P_A";
  const char *pb = markup ? "<i>P</i><sub>B</sub>" : "P_B";
  double v[3] = { c->log10_pa, c->log10_pb, c->log10_lr };
  for (int k = 0; k < 3; k++)
    {
      if (!isfinite (v[k]))
        continue;
      char num[32];
      jx_tree_format_value (v[k], num, sizeof num);
      append_sep (out, cap, len);
      if (k < 2)
        APPEND ("%s %s = %s", log10, k == 0 ? pa : pb, num);
      else
        APPEND ("%s %s/%s = %s", log10, pa, pb, num);
    }
  if (c->labels)
    {
      append_sep (out, cap, len);
      APPEND ("labels: ");
      append_name (out, cap, len, markup, c->labels);
    }
}

/* One caption line at (x, y), shrunk to fit width (down to 8 pt). Returns its height. */
static double
caption_line (cairo_t *cr, double x, double y, double width, const char *markup, double size)
{
  double w, h;
  if (markup[0] == '\0')
    return 0;
  jx_text_size (cr, markup, size, &w, &h);
  if (w > width && w > 0)
    {
      size = fmax (8, size * width / w);
      jx_text_size (cr, markup, size, &w, &h);
    }
  jx_text_draw (cr, x, y, markup, size, 0, 0, 0);
  return h;
}

int
jx_tree_figure_draw (cairo_t *cr, JxRect rect, const JxTreePanel *panels, size_t n)
{
  const JxTheme *th = jx_theme ();
  if (n < 1 || n > 2)
    return JX_ERR_INVALID;
  cairo_save (cr);
  jx_draw_background (cr, rect);

  /* The bars of the first tree's scales: a layout gives the scales (not the rect). */
  JxTreeStyle s0 = *panels[0].style;
  s0.colorbar = false;
  JxTreeLayout l0;
  int rc = jx_tree_layout_compute (&l0, cr, panels[0].tree, &s0, rect);
  if (rc != 0)
    {
      cairo_restore (cr);
      return rc;
    }
  JxRect column = jx_rect (0, rect.y + th->pad, 0, rect.h - 2 * th->pad);
  column.w = jx_tree_colorbars_width (cr, &l0, &s0, column.h);
  column.x = rect.x + rect.w - th->pad - column.w;
  jx_tree_colorbars_draw (cr, column, &l0, &s0);
  jx_tree_layout_free (&l0);

  double tw = fmax (column.x - 16 - rect.x, 10), ph = rect.h / (double) n;
  for (size_t i = 0; i < n && rc == 0; i++)
    {
      char title[1024], totals[1024];
      double y = rect.y + (double) i * ph + 6;
      jx_tree_caption_title (panels[i].caption, true, title, sizeof title);
      jx_tree_caption_totals (panels[i].caption, true, totals, sizeof totals);
      jx_set_rgb (cr, th->fg);
      y += caption_line (cr, rect.x + th->pad, y, tw - th->pad, title, th->font_label);
      y += caption_line (cr, rect.x + th->pad, y, tw - th->pad, totals, th->font_label);
      JxTreeStyle st = *panels[i].style;
      st.colorbar = false;
      JxRect area = jx_rect (rect.x, y, tw, rect.y + (double) (i + 1) * ph - y);
      JxTreeLayout l;
      rc = jx_tree_layout_compute (&l, cr, panels[i].tree, &st, area);
      if (rc == 0)
        {
          jx_tree_draw (cr, panels[i].tree, &st, &l);
          jx_tree_layout_free (&l);
        }
    }
  cairo_restore (cr);
  return rc;
}
