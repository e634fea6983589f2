/* jx-tree-figure.h — a tree figure as the app exports it and `junipr render tree` writes it:
 * one tree, or two stacked (paper Fig. 13: a quark jet above a Z jet), each under a caption
 * saying what it shows — dataset, jet, particles, clustering, which model is A and which B —
 * and its totals (log10 P_A, log10 P_B, log10 P_A/P_B), with one column of colour bars on the
 * right drawn from the first tree's scales. For a comparison the caller gives both trees the
 * same energy and value ranges (JxTreeStyle energy_lo/hi, value_max), so one colour is one
 * value in both. The caption texts also come as plain UTF-8 for GTK labels. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <cairo.h>

#include "jx-tree-layout.h"

typedef struct {
  const char *dataset;        /* the dataset's name (plain text) */
  long jet;                   /* its index; < 0: not named */
  size_t particles;           /* the tree's particles; 0: not named */
  const JxClusterOptions *clustering;  /* NULL: not named */
  const char *model_a, *model_b;       /* names (plain); NULL: no such model */
  double log10_pa, log10_pb, log10_lr; /* totals; NaN: not shown */
  const char *labels;         /* what the node labels show (plain), e.g. "log₁₀ P_t under A";
                               * NULL: not said */
} JxTreeCaption;

/* Nothing named, totals NaN. */
void jx_tree_caption_init (JxTreeCaption *c);

/* "jet 4 of quarks.h5 · 12 particles · C/A, R_sub 0.1, E_sub 1 GeV · A = quark-model.h5 ·
 * B = z-model.h5" — as Pango markup (names escaped) or plain text. */
void jx_tree_caption_title (const JxTreeCaption *c, bool markup, char *out, size_t cap);
/* "log10 P_A = −34.43 · log10 P_B = −36.21 · log10 P_A/P_B = 1.78 · labels: …", the totals
 * that are set, with two decimals (the node labels' precision); "" when none is. */
void jx_tree_caption_totals (const JxTreeCaption *c, bool markup, char *out, size_t cap);
/* "C/A, R_sub 0.1, E_sub 1 GeV" ("subjets off" when both are 0; "C/A (pp), …" for the pp
 * metric). */
void jx_tree_caption_clustering (const JxClusterOptions *opt, char *out, size_t cap);
/* A value as the captions and node labels print it: two decimals, typeset minus. */
void jx_tree_format_value (double v, char *out, size_t cap);

typedef struct {
  const JxTree *tree;
  const JxTreeStyle *style;   /* its colorbar flag is ignored: the figure has one column */
  const JxTreeCaption *caption;
} JxTreePanel;

/* Draw n (1 or 2) panels stacked into rect: background, captions, trees, the colour bars of
 * panels[0]'s scales. Returns 0 or a negative JxStatus. */
int jx_tree_figure_draw (cairo_t *cr, JxRect rect, const JxTreePanel *panels, size_t n);
