/* jx-cli-render-lund.c — `junipr render lund`: the primary Lund plane of one jet, or a
 * dataset's likelihood-ratio attribution map on it (jx-lund.h, jx-draw-lund.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-common.h"
#include "jx-cli-dataset.h"
#include "jx-cli-model.h"
#include "jx-cli-render.h"
#include "jx-draw-lund.h"
#include "jx-draw-text.h"

typedef struct {
  JxModel *model[2];
  JxModelMeta meta[2];
  JxClusterOptions clustering;
} Models;

static void
models_free (Models *m)
{
  for (int k = 0; k < 2; k++)
    {
      jx_model_free (m->model[k]);
      jx_model_meta_free (&m->meta[k]);
    }
}

/* The models (when given) and the clustering: C/A with the models' subjet step, or the
 * command line's. Both models must be C/A models with the same subjet step. */
static int
load_models (const JxRenderArgs *a, Models *m)
{
  memset (m, 0, sizeof *m);
  jx_model_meta_init (&m->meta[0]);
  jx_model_meta_init (&m->meta[1]);
  m->clustering = a->clustering;
  m->clustering.algorithm = JX_ALGO_CA;
  if (a->metric_set && a->clustering.metric != JX_METRIC_EE)
    return jx_cli_fail ("--metric %s: this Lund plane is in e+e- variables (3-D angles, "
                        "energies); leave --metric out", jx_metric_name (a->clustering.metric));
  if (a->model_a == NULL)
    return 0;
  const char *paths[2] = { a->model_a, a->model_b };
  for (int k = 0; k < 2; k++)
    {
      int rc = jx_cli_load_model (paths[k], &m->model[k], &m->meta[k]);
      if (rc != 0)
        return rc;
      const JxClusterOptions *c = &m->meta[k].clustering;
      if (c->algorithm != JX_ALGO_CA)
        return jx_cli_fail ("%s was trained on %s trees (--model%s): the primary Lund plane is "
                            "made from C/A trees; use models trained with --algorithm ca",
                            paths[k], jx_cli_algorithm_title (c->algorithm), k ? "-b" : "");
      if (c->metric != JX_METRIC_EE)
        return jx_cli_fail ("%s clusters with the %s metric (--model%s): this Lund plane is in "
                            "e+e- variables; use models trained with --metric ee", paths[k],
                            jx_metric_name (c->metric), k ? "-b" : "");
    }
  const JxClusterOptions *ca = &m->meta[0].clustering, *cb = &m->meta[1].clustering;
  if (!jx_cluster_options_equal (ca, cb))
    return jx_cli_fail ("%s and %s use different subjet steps (E_sub %g/%g GeV, R_sub %g/%g): "
                        "their per-step terms are not on the same tree; use models trained alike",
                        a->model_a, a->model_b, ca->esub, cb->esub, ca->rsub, cb->rsub);
  m->clustering = *ca;
  if (a->esub_set)
    m->clustering.esub = a->clustering.esub;
  if (a->rsub_set)
    m->clustering.rsub = a->clustering.rsub;
  return 0;
}

/* r_t of every step and the end of tree under both models, and the jet's log10 LR. */
static int
jet_terms (const JxRenderArgs *a, const Models *m, const JxTree *tree, double *lr, double *total)
{
  JxStepScore *s[2] = { calloc (tree->n, sizeof (JxStepScore)),
                        calloc (tree->n, sizeof (JxStepScore)) };
  double lp[2];
  int rc = 0;
  const char *paths[2] = { a->model_a, a->model_b };
  if (s[0] == NULL || s[1] == NULL)
    rc = jx_cli_fail ("out of memory scoring jet %zu", a->jet);
  for (int k = 0; k < 2 && rc == 0; k++)
    {
      JxError err = { 0 };
      if (jx_model_log_prob (m->model[k], tree, s[k], &lp[k], NULL, &err) != 0)
        rc = err.code == JX_ERR_RANGE
             ? jx_cli_fail ("jet %zu has %zu particles, more than %s can score (M = %d): pick "
                            "another jet", a->jet, tree->n, paths[k],
                            jx_model_config (m->model[k])->max_mult)
             : jx_cli_fail ("%s: jet %zu: %s", paths[k], a->jet, err.message);
    }
  if (rc == 0)
    {
      jx_lund_step_lr (s[0], s[1], tree->n, lr);
      *total = (lp[0] - lp[1]) / M_LN10;
    }
  free (s[0]);
  free (s[1]);
  return rc;
}

static int
render_jet (const JxRenderArgs *a, const Models *m)
{
  JxDataset ds;
  JxTree tree = { 0 };
  int rc = jx_cli_render_load_jet (a, &ds);
  if (rc != 0)
    return rc;
  rc = jx_cli_render_build_tree (a, &ds, &m->clustering, &tree);
  double *lr = NULL, total = NAN;
  JxLundEmission *e = NULL;
  size_t n = 0;
  if (rc == 0)
    {
      lr = malloc (tree.n * sizeof *lr);
      e = malloc (tree.n * sizeof *e);
      if (lr == NULL || e == NULL)
        rc = jx_cli_fail ("out of memory");
    }
  if (rc == 0 && m->model[0] != NULL)
    rc = jet_terms (a, m, &tree, lr, &total);
  if (rc == 0)
    n = jx_lund_primary (&tree, m->model[0] != NULL ? lr : NULL, e, tree.n);

  char name[256], title[768];
  jx_text_escape (jx_cli_basename (a->inputs[0]), name, sizeof name);
  int len = snprintf (title, sizeof title, "jet %zu of %s: %zu primary of %zu emissions (C/A)",
                      a->jet, name, n, tree.n > 0 ? tree.n - 1 : 0);
  if (m->model[0] != NULL && len > 0 && (size_t) len < sizeof title)
    {
      char an[256], bn[256];
      jx_text_escape (jx_cli_basename (a->model_a), an, sizeof an);
      jx_text_escape (jx_cli_basename (a->model_b), bn, sizeof bn);
      snprintf (title + len, sizeof title - len, "\nA = %s, B = %s: log<sub>10</sub> "
                "<i>P</i><sub>A</sub>/<i>P</i><sub>B</sub> = %.2f (end term %.2f)", an, bn, total,
                lr[tree.n - 1]);
    }
  JxLundStyle style;
  jx_lund_style_default (&style);
  style.grid = a->grid;
  style.title = title;
  JxSurface *s = NULL;
  if (rc == 0)
    rc = jx_cli_render_open (a, 660, 560, &s);
  if (rc == 0)
    {
      double w = jx_surface_width (s), h = jx_surface_height (s);
      jx_lund_draw_jet (jx_surface_cr (s), jx_rect (0, 0, w, h), e, n, &style, NULL);
      rc = jx_cli_render_close (a, s);
    }
  free (lr);
  free (e);
  jx_tree_free (&tree);
  jx_dataset_free (&ds);
  return rc;
}

static int
render_map (const JxRenderArgs *a, const Models *m)
{
  JxDatasetStream *ds;   /* read chunk by chunk: memory bounded, whatever the file */
  int rc = jx_cli_open_dataset_stream (a->inputs[0], &ds);
  if (rc != 0)
    return rc;
  JxLundOptions opt;
  jx_lund_options_default (&opt);
  opt.grid = a->grid;
  opt.threads = a->threads;
  size_t lo = 0, hi = jx_dataset_stream_info (ds)->n_jets;
  if (a->slice)
    {
      lo = a->a;
      hi = a->b;
      rc = jx_cli_clip_slice ("--jets", a->inputs[0], jx_dataset_stream_info (ds)->n_jets, &lo,
                              &hi);
    }
  opt.first = lo;
  opt.last = hi;
  JxLundMap map = { 0 };
  JxError err = { 0 };
  if (rc == 0)
    {
      JxProgress *progress = jx_cli_progress_begin ("Lund map", a->quiet);
      int st = jx_lund_map_build_stream (&map, m->model[0], m->model[1], ds, &m->clustering,
                                         &opt, progress, &err);
      jx_cli_progress_end ();
      if (st != 0)
        rc = jx_cli_fail_core (&err);
      else if (map.n_jets == 0)
        rc = jx_cli_fail ("no jet of %s could be scored (%zu without subjets, %zu longer than the "
                          "models' maximum, %zu not scored): check the file and the models",
                          a->inputs[0], map.n_bad, map.n_long, map.n_unscored);
    }
  char name[256], an[256], bn[256], title[1024];
  jx_text_escape (jx_cli_basename (a->inputs[0]), name, sizeof name);
  jx_text_escape (jx_cli_basename (a->model_a), an, sizeof an);
  jx_text_escape (jx_cli_basename (a->model_b), bn, sizeof bn);
  snprintf (title, sizeof title, "%s, jets %zu–%zu (%zu used): primary Lund plane (C/A), "
            "A = %s, B = %s", name, lo, hi > lo ? hi - 1 : lo, map.n_jets, an, bn);
  JxLundStyle style;
  jx_lund_style_default (&style);
  style.title = title;
  style.colormap = a->colormap;
  JxSurface *s = NULL;
  if (rc == 0)
    rc = jx_cli_render_open (a, 1000, 520, &s);
  if (rc == 0)
    {
      double w = jx_surface_width (s), h = jx_surface_height (s);
      jx_lund_draw_map (jx_surface_cr (s), jx_rect (0, 0, w, h), &map, &style, NULL);
      rc = jx_cli_render_close (a, s);
    }
  if (rc == 0 && !a->quiet)
    {
      char line[256];
      jx_lund_map_summary (&map, line, sizeof line);
      printf ("junipr render lund: %s\n", line);
      size_t left_out = map.n_bad + map.n_long + map.n_unscored;
      if (left_out > 0)
        printf ("junipr render lund: %zu jets left out (%zu without subjets, %zu longer than the "
                "models' maximum, %zu not scored)\n", left_out, map.n_bad, map.n_long,
                map.n_unscored);
    }
  jx_lund_map_free (&map);
  jx_dataset_stream_close (ds);
  return rc;
}

int
jx_cli_render_lund (const JxRenderArgs *a)
{
  JxError err = { 0 };
  if (jx_lund_grid_check (&a->grid, &err) != 0)
    return jx_cli_fail ("%s (--bins, --x-range, --y-range)", err.message);
  Models m;
  int rc = load_models (a, &m);
  if (rc == 0)
    rc = a->map ? render_map (a, &m) : render_jet (a, &m);
  models_free (&m);
  return rc;
}
