/* jx-cli-render.h — what the `junipr render` kinds share: the parsed command line, and
 * opening a figure file, loading one jet, clustering it (jx-cli-render.c). One file per
 * group of kinds: jx-cli-render-jet.c (tree, image, shower), jx-cli-render-plots.c (hist,
 * roc), jx-cli-render-lund.c (lund). Only built with the Cairo drawing layer (JX_HAVE_DRAW). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-colormap.h"
#include "jx-dataset.h"
#include "jx-lund.h"
#include "jx-observables.h"
#include "jx-surface.h"
#include "jx-tree.h"

typedef enum {
  JX_RENDER_TREE,
  JX_RENDER_IMAGE,
  JX_RENDER_SHOWER,
  JX_RENDER_HIST,
  JX_RENDER_ROC,
  JX_RENDER_LUND,
  JX_N_RENDER_KINDS
} JxRenderKind;

typedef enum {
  JX_LABELS_AUTO,   /* lr with two models, logp with one, none without */
  JX_LABELS_NONE,
  JX_LABELS_LOGP,
  JX_LABELS_LR,
  JX_LABELS_Z,
  JX_LABELS_THETA,
  JX_LABELS_STEP,
} JxRenderLabels;

typedef struct {
  JxRenderKind kind;
  char **inputs;             /* positional files */
  int n_inputs;
  const char *output;
  double width, height;      /* 0: the kind's default */
  double scale;              /* PNG pixels per unit */
  bool quiet;
  /* one jet */
  size_t jet;
  bool has_jet;
  JxClusterOptions clustering;
  bool algorithm_set, esub_set, rsub_set, metric_set;
  JxColormap colormap;       /* energies and image pixels (differences stay diverging) */
  /* tree */
  const char *model_a, *model_b;
  JxRenderLabels labels;
  int highlight;             /* −1 none */
  /* image */
  bool average, slice, no_preprocess, step_labels;
  size_t a, b;
  const char *difference;
  size_t npix;
  double R;
  /* shower */
  size_t step;
  bool has_step, all_steps;
  /* hist */
  int observable;            /* index in jx_observable_names */
  size_t bins;               /* 0: automatic */
  double lo, hi;
  bool range_set, ratio, counts;
  const char *weights;
  /* roc */
  bool efficiency;
  /* lund (also --jet, --jets, --model, --model-b, --esub, --rsub, --colormap) */
  bool map;
  JxLundGrid grid;
  bool bins_set;
  int threads;               /* ≤ 0: all CPUs */
} JxRenderArgs;

int jx_cli_render_tree (const JxRenderArgs *a);
int jx_cli_render_image (const JxRenderArgs *a);
int jx_cli_render_shower (const JxRenderArgs *a);
int jx_cli_render_hist (const JxRenderArgs *a);
int jx_cli_render_roc (const JxRenderArgs *a);
int jx_cli_render_lund (const JxRenderArgs *a);

/* The figure file of a->output, width × height unless the command line says otherwise.
 * Prints the error line and returns JX_CLI_EXIT_USER on failure. */
int jx_cli_render_open (const JxRenderArgs *a, double width, double height, JxSurface **out);
/* Write the file (atomically) and say so unless quiet. */
int jx_cli_render_close (const JxRenderArgs *a, JxSurface *s);

/* Read jet a->jet of a->inputs[0], and only it (jx_cli_load_jet: the file may be larger than
 * memory), checking it is one of its jets ("jet 12 out of range (F has 5 jets)"). The jet is
 * row a->jet - ds->first_jet = 0 of ds. ds is initialized here; empty on failure. */
int jx_cli_render_load_jet (const JxRenderArgs *a, JxDataset *ds);
/* The jet's tree with clustering; the error line names the jet and the file. */
int jx_cli_render_build_tree (const JxRenderArgs *a, const JxDataset *ds,
                              const JxClusterOptions *clustering, JxTree *tree);

/* The last path component, for titles and legends. */
const char *jx_cli_basename (const char *path);

/* Observables ks[0..nk) of every jet of ds, computed from its subjets (rsub, esub) as `junipr
 * observables` does. values: [ds->n_jets × nk] malloc'd, row i = jet i, NaN for jets without
 * subjets (counted in *skipped). Returns 0 or a negative JxStatus with err set. */
int jx_cli_observable_values (const JxDataset *ds, const int *ks, int nk, double rsub,
                              double esub, double **values, size_t *skipped, JxError *err);
/* An axis title (markup) for observable k. */
const char *jx_cli_observable_axis (int k);
