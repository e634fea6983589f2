/* jx-cli-render-jet.c — `junipr render tree|image|shower`: figures of one jet (or the average
 * image of many), drawn by the Cairo layer into a file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-common.h"
#include "jx-cli-dataset.h"
#include "jx-cli-render.h"
#include "jx-draw.h"
#include "jx-image.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-step-terms.h"

/* The per-step scores (tree->n of them, malloc'd) of tree under model. */
static int
score_steps (const char *path, const JxModel *model, const JxTree *tree, size_t jet,
             JxStepScore **out)
{
  JxError err = { 0 };
  double log_p;
  *out = calloc (tree->n, sizeof **out);
  if (*out == NULL)
    return jx_cli_fail ("out of memory scoring jet %zu", jet);
  if (jx_model_log_prob (model, tree, *out, &log_p, NULL, &err) == 0)
    return 0;
  free (*out);
  *out = NULL;
  if (err.code == JX_ERR_RANGE)
    return jx_cli_fail ("jet %zu has %zu particles, more than %s can score (M = %d): pick "
                        "another jet", jet, tree->n, path, jx_model_config (model)->max_mult);
  return jx_cli_fail ("%s: jet %zu: %s", path, jet, err.message);
}

static int
load_model (const char *path, JxModel **model, JxModelMeta *meta)
{
  JxError err = { 0 };
  if (jx_model_load (path, model, meta, NULL, NULL, &err) != 0)
    return jx_cli_fail_core (&err);
  return 0;
}

/* The totals of the caption, and for logp / lr the labels: log10 P_t or LR terms, end term
 * included, whose sums the totals are (jx-step-terms). values: 2·n doubles. */
static void
set_terms (JxRenderLabels labels, const JxTree *tree, JxStepScore *const sc[2], double *values,
           JxTreeStyle *style, JxTreeCaption *caption)
{
  double *lr = values + tree->n;
  if (sc[1] != NULL)
    caption->log10_pb = jx_step_terms_log10 (sc[1], tree->n, values);
  if (sc[0] != NULL && sc[1] != NULL)
    caption->log10_lr = jx_step_terms_lr (sc[0], sc[1], tree->n, lr);
  if (sc[0] != NULL)
    caption->log10_pa = jx_step_terms_log10 (sc[0], tree->n, values);
  if (labels != JX_LABELS_LOGP && labels != JX_LABELS_LR)
    return;
  style->labels = JX_TREE_LABEL_VALUES;
  style->end_term = true;
  style->values = labels == JX_LABELS_LR ? lr : values;
  if (labels == JX_LABELS_LR)
    {
      style->diverging = true;
      style->value_name = "log<sub>10</sub> <i>P</i><sub>A,t</sub>/<i>P</i><sub>B,t</sub>";
      caption->labels = "log₁₀ P_A,t/P_B,t per step, end term at the square";
    }
  else
    caption->labels = "log₁₀ P_t under A per step, end term at the square";
}

/* --labels, or what the models given allow (auto); refused when its model is missing. */
static int
choose_labels (const JxRenderArgs *a, JxRenderLabels *out)
{
  JxRenderLabels labels = a->labels;
  if (labels == JX_LABELS_AUTO)
    labels = a->model_b != NULL ? JX_LABELS_LR : a->model_a != NULL ? JX_LABELS_LOGP
                                                                     : JX_LABELS_NONE;
  if (labels == JX_LABELS_LOGP && a->model_a == NULL)
    return jx_cli_fail ("--labels logp needs --model (command line): log10 P_t is a model's");
  if (labels == JX_LABELS_LR && a->model_b == NULL)
    return jx_cli_fail ("--labels lr needs --model A.h5 and --model-b B.h5 (command line)");
  *out = labels;
  return 0;
}

/* Model A's clustering (else the options'), with the clustering options given on top. */
static JxClusterOptions
tree_clustering (const JxRenderArgs *a, const JxModelMeta *meta_a)
{
  JxClusterOptions clustering = a->model_a != NULL ? meta_a->clustering : a->clustering;
  if (a->algorithm_set)
    clustering.algorithm = a->clustering.algorithm;
  if (a->metric_set)
    clustering.metric = a->clustering.metric;
  if (a->esub_set)
    clustering.esub = a->clustering.esub;
  if (a->rsub_set)
    clustering.rsub = a->clustering.rsub;
  return clustering;
}

/* The labels that need no model: z, θ or the step of each node. */
static void
set_plain_labels (JxRenderLabels labels, JxTreeStyle *style, JxTreeCaption *caption)
{
  if (labels == JX_LABELS_Z)
    style->labels = JX_TREE_LABEL_Z, caption->labels = "z";
  else if (labels == JX_LABELS_THETA)
    style->labels = JX_TREE_LABEL_THETA, caption->labels = "θ";
  else if (labels == JX_LABELS_STEP)
    style->labels = JX_TREE_LABEL_STEP, caption->labels = "step t";
}

static int
draw_tree (const JxRenderArgs *a, const JxTree *tree, const JxTreeStyle *style,
           const JxTreeCaption *caption)
{
  JxSurface *s = NULL;
  int rc = jx_cli_render_open (a, 900, 560, &s);
  if (rc != 0)
    return rc;
  JxTreePanel panel = { tree, style, caption };
  double w = jx_surface_width (s), h = jx_surface_height (s);
  if (jx_tree_figure_draw (jx_surface_cr (s), jx_rect (0, 0, w, h), &panel, 1) != 0)
    {
      jx_surface_abort (s);
      return jx_cli_fail ("out of memory drawing jet %zu", a->jet);
    }
  return jx_cli_render_close (a, s);
}

int
jx_cli_render_tree (const JxRenderArgs *a)
{
  JxModel *model[2] = { NULL, NULL };
  JxModelMeta meta[2];
  jx_model_meta_init (&meta[0]);
  jx_model_meta_init (&meta[1]);
  JxDataset ds;
  jx_dataset_init (&ds);
  JxTree tree = { 0 };
  JxStepScore *scores[2] = { NULL, NULL };
  double *values = NULL;
  JxRenderLabels labels = JX_LABELS_NONE;
  int rc = choose_labels (a, &labels);
  if (rc != 0)
    return rc;

  const char *paths[2] = { a->model_a, a->model_b };
  for (int k = 0; k < 2 && rc == 0; k++)
    if (paths[k] != NULL)
      rc = load_model (paths[k], &model[k], &meta[k]);
  JxClusterOptions clustering = tree_clustering (a, &meta[0]);
  if (rc == 0 && model[1] != NULL && !jx_cluster_options_equal (&meta[1].clustering, &clustering)
      && !a->quiet)
    fprintf (stderr, "junipr render: warning: %s was trained on another clustering; its per-node "
             "terms are taken on %s's %s tree\n", a->model_b, jx_cli_basename (a->model_a),
             jx_cli_algorithm_title (clustering.algorithm));
  if (rc == 0)
    rc = jx_cli_render_load_jet (a, &ds);
  if (rc == 0)
    rc = jx_cli_render_build_tree (a, &ds, &clustering, &tree);
  if (rc == 0 && a->highlight >= 0 && (size_t) a->highlight >= 2 * tree.n - 1)
    rc = jx_cli_fail ("node %d out of range (--highlight): jet %zu's tree has nodes 0..%zu", a->highlight,
                      a->jet, 2 * tree.n - 2);

  JxTreeStyle style;
  jx_tree_style_default (&style);
  style.highlight = a->highlight;
  style.colormap = a->colormap;
  JxTreeCaption caption;
  jx_tree_caption_init (&caption);
  caption.dataset = jx_cli_basename (a->inputs[0]);
  caption.jet = (long) a->jet;
  caption.particles = tree.n;
  caption.clustering = &clustering;
  caption.model_a = a->model_a ? jx_cli_basename (a->model_a) : NULL;
  caption.model_b = a->model_b ? jx_cli_basename (a->model_b) : NULL;
  for (int k = 0; k < 2 && rc == 0; k++)
    if (model[k] != NULL)
      rc = score_steps (paths[k], model[k], &tree, a->jet, &scores[k]);
  if (rc == 0 && (values = malloc (2 * tree.n * sizeof *values)) == NULL)
    rc = jx_cli_fail ("out of memory");
  if (rc == 0)
    set_terms (labels, &tree, scores, values, &style, &caption);
  set_plain_labels (labels, &style, &caption);
  if (rc == 0)
    rc = draw_tree (a, &tree, &style, &caption);
  free (values);
  free (scores[0]);
  free (scores[1]);
  jx_tree_free (&tree);
  jx_dataset_free (&ds);
  for (int k = 0; k < 2; k++)
    {
      jx_model_free (model[k]);
      jx_model_meta_free (&meta[k]);
    }
  return rc;
}

/* ---- image ------------------------------------------------------------------------------ */

static void
image_options (const JxRenderArgs *a, JxImageOptions *opt)
{
  if (a->no_preprocess)
    jx_image_options_none (opt);
  else
    jx_image_options_default (opt);
}

/* The average image of jets [lo, hi) of path into avg (initialized by the caller). The file
 * is streamed (jx-dataset-stream), so it may be larger than memory. */
typedef struct {
  JxImage *one, *avg;
  const JxImageOptions *opt;
  size_t used;
} ImageSum;

/* Each jet's image with a direction added to the sum. */
static int
add_images (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
            JxError *err)
{
  ImageSum *s = user;
  for (size_t row = lo; row < hi; row++)
    {
      if (jx_image_fill (s->one, jx_dataset_jet (chunk, row), jx_dataset_jet_size (chunk, row),
                         s->opt, NULL, NULL, NULL, err) == 0)
        {
          int rc = jx_image_accumulate (s->avg, s->one, 1.0, err);
          if (rc != 0)
            return rc;
          s->used++;
        }
      if (((row - lo) & 255) == 0)
        {
          jx_progress_report (progress, (double) (row - lo), (double) (hi - lo),
                              "averaging images");
          if (jx_progress_cancelled (progress))
            return jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
        }
    }
  return 0;
}

static int
average_image (const JxRenderArgs *a, const char *path, JxImage *avg, size_t *used)
{
  JxDatasetStream *stream;
  int rc = jx_cli_open_dataset_stream (path, &stream);
  if (rc != 0)
    return rc;
  size_t n_jets = jx_dataset_stream_info (stream)->n_jets;
  size_t lo = a->slice ? a->a : 0, hi = a->slice ? a->b : SIZE_MAX;
  if (a->slice && (rc = jx_cli_clip_slice ("--jets", path, n_jets, &lo, &hi)) != 0)
    {
      jx_dataset_stream_close (stream);
      return rc;
    }
  if (hi > n_jets)
    hi = n_jets;
  JxImageOptions opt;
  image_options (a, &opt);
  JxImage one = { 0 };
  JxError err = { 0 };
  if (jx_image_init (&one, (int) a->npix, a->R, &err) != 0)
    {
      jx_image_free (&one);
      jx_dataset_stream_close (stream);
      return jx_cli_fail_core (&err);
    }
  JxProgress *progress = jx_cli_progress_begin ("averaging images", a->quiet);
  ImageSum sum = { &one, avg, &opt, 0 };
  rc = jx_cli_stream_walk (stream, lo, hi, add_images, &sum, "averaging images", progress);
  *used = sum.used;
  jx_cli_progress_end ();
  jx_image_free (&one);
  jx_dataset_stream_close (stream);
  if (rc != 0)
    return rc;
  if (*used == 0)
    return jx_cli_fail ("%s: no jet with a direction to draw (jets %zu..%zu are empty or have no "
                        "momentum)", path, lo, hi - 1);
  jx_image_scale (avg, 1.0 / (double) *used);
  return 0;
}

int
jx_cli_render_image (const JxRenderArgs *a)
{
  JxImage img = { 0 }, other = { 0 };
  JxError err = { 0 };
  JxDataset ds;
  jx_dataset_init (&ds);
  JxTree tree = { 0 };
  JxImageParticle *parts = NULL;
  size_t n_parts = 0;
  double *x = NULL, *y = NULL;
  char title[800] = "", name[256], name2[256];
  jx_text_escape (jx_cli_basename (a->inputs[0]), name, sizeof name);
  JxImageStyle style;
  jx_image_style_default (&style);
  style.colormap = a->colormap;
  int rc = jx_image_init (&img, (int) a->npix, a->R, &err) != 0 ? jx_cli_fail_core (&err) : 0;

  if (rc == 0 && a->average)
    {
      size_t used = 0, used2 = 0;
      rc = average_image (a, a->inputs[0], &img, &used);
      if (rc == 0 && a->difference != NULL)
        {
          if (jx_image_init (&other, (int) a->npix, a->R, &err) != 0)
            rc = jx_cli_fail_core (&err);
          if (rc == 0)
            rc = average_image (a, a->difference, &other, &used2);
          if (rc == 0 && jx_image_subtract (&img, &img, &other, &err) != 0)
            rc = jx_cli_fail_core (&err);
          jx_text_escape (jx_cli_basename (a->difference), name2, sizeof name2);
          snprintf (title, sizeof title, "average of %s (%zu jets) − %s (%zu jets)", name, used,
                    name2, used2);
          style.scale = JX_IMAGE_DIFFERENCE;
          style.cbar_label = a->no_preprocess ? "difference [GeV]" : "difference of energy fractions";
        }
      else
        {
          snprintf (title, sizeof title, "average of %zu jets of %s", used, name);
          style.cbar_label = a->no_preprocess ? "mean pixel energy [GeV]" : "mean energy fraction";
        }
    }
  else if (rc == 0)
    {
      rc = jx_cli_render_load_jet (a, &ds);
      JxImageOptions opt;
      image_options (a, &opt);
      const JxP4 *p = rc == 0 ? jx_dataset_jet (&ds, a->jet - ds.first_jet) : NULL;
      size_t n = rc == 0 ? jx_dataset_jet_size (&ds, a->jet - ds.first_jet) : 0;
      JxImageTransform tr;
      if (rc == 0)
        {
          x = malloc ((n + 1) * sizeof *x);
          y = malloc ((n + 1) * sizeof *y);
          parts = malloc ((2 * n + 1) * sizeof *parts);
          if (x == NULL || y == NULL || parts == NULL)
            rc = jx_cli_fail ("out of memory");
        }
      if (rc == 0 && (jx_jet_validate (p, n, a->jet, &err) != 0
                      || jx_image_fill (&img, p, n, &opt, x, y, &tr, &err) != 0))
        rc = jx_cli_fail ("%s: %s", a->inputs[0], err.message);
      if (rc == 0 && a->step_labels)
        {
          rc = jx_cli_render_build_tree (a, &ds, &a->clustering, &tree);
          for (size_t i = 0; rc == 0 && i < tree.n; i++)
            {
              JxImageParticle *q = &parts[n_parts++];
              jx_image_transform_apply (&tr, tree.nodes[i].p, &q->x, &q->y);
              q->E = tree.nodes[i].p.E;
              q->step = tree.nodes[i].born;
            }
          style.label_steps = true;
        }
      else
        for (size_t i = 0; rc == 0 && i < n; i++)
          parts[n_parts++] = (JxImageParticle) { x[i], y[i], p[i].E, 0 };
      snprintf (title, sizeof title, "jet %zu of %s: %zu particles%s", a->jet, name, n,
                a->step_labels ? ", labelled by emission step" : "");
      style.cbar_label = a->no_preprocess ? "pixel energy [GeV]" : "energy fraction";
    }
  style.title = title;
  JxSurface *s = NULL;
  if (rc == 0)
    rc = jx_cli_render_open (a, 640, 560, &s);
  if (rc == 0)
    {
      cairo_t *cr = jx_surface_cr (s);
      double w = jx_surface_width (s), h = jx_surface_height (s);
      JxImageView view = { (size_t) img.npix, img.R, img.pix };
      jx_image_draw (cr, jx_rect (0, 0, w, h), &view, parts, n_parts, &style, NULL);
      rc = jx_cli_render_close (a, s);
    }
  free (x);
  free (y);
  free (parts);
  jx_tree_free (&tree);
  jx_dataset_free (&ds);
  jx_image_free (&img);
  jx_image_free (&other);
  return rc;
}

/* ---- shower ----------------------------------------------------------------------------- */

int
jx_cli_render_shower (const JxRenderArgs *a)
{
  JxDataset ds;
  JxTree tree = { 0 };
  int rc = jx_cli_render_load_jet (a, &ds);
  if (rc != 0)
    return rc;
  rc = jx_cli_render_build_tree (a, &ds, &a->clustering, &tree);
  if (rc == 0 && a->has_step && a->step >= tree.n)
    rc = jx_cli_fail ("step %zu out of range (--step): jet %zu of %s has %zu particles after the "
                      "subjet step, so steps 0..%zu", a->step, a->jet, a->inputs[0], tree.n,
                      tree.n - 1);
  JxTreeStyle style;
  jx_shower_tree_style (&style);
  style.colormap = a->colormap;
  JxSurface *s = NULL;
  if (rc == 0)
    rc = jx_cli_render_open (a, 1000, 480, &s);
  if (rc == 0)
    {
      size_t first = a->all_steps ? 0 : a->has_step ? a->step : tree.n - 1;
      size_t last = a->all_steps ? tree.n - 1 : first;
      JxError err = { 0 };
      JxProgress *progress = jx_cli_progress_begin ("drawing steps", a->quiet || !a->all_steps);
      for (size_t t = first; rc == 0 && t <= last; t++)
        {
          if (t > first && jx_surface_new_page (s, &err) != 0)
            rc = -1;
          cairo_t *cr = jx_surface_cr (s);
          double w = jx_surface_width (s), h = jx_surface_height (s);
          if (rc == 0 && jx_shower_draw (cr, jx_rect (0, 0, w, h), &tree, (int) t, &style,
                                          NULL) != 0)
            rc = jx_error_set (&err, JX_ERR_NOMEM, "out of memory drawing step %zu", t);
          jx_progress_report (progress, (double) (t - first + 1), (double) (last - first + 1),
                              "drawing steps");
          if (rc == 0 && jx_progress_cancelled (progress))
            rc = jx_error_set (&err, JX_ERR_CANCELLED, "cancelled");
        }
      jx_cli_progress_end ();
      if (rc != 0)
        {
          jx_surface_abort (s);
          rc = jx_cli_fail_core (&err);
        }
      else
        rc = jx_cli_render_close (a, s);
    }
  jx_tree_free (&tree);
  jx_dataset_free (&ds);
  return rc;
}
