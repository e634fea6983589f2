/* jx-plots-page.c — the Plots page (see jx-plots-page.h). */
#define G_LOG_DOMAIN "jx-plots-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-dataset-picker.h"
#include "jx-draw-text.h"
#include "jx-figure-canvas.h"
#include "jx-hist.h"
#include "jx-plot.h"
#include "jx-plots-page.h"
#include "jx-tasks.h"
#include "jx-wrap-layout.h"

#define N_BINS 40
#define NOBS JX_N_OBSERVABLES
#define ROC_MAX_POINTS 1000

/* What a job's result was made from: it is shown only while these are still the inputs. */
typedef struct {
  gpointer a, b;          /* ROC: signal and background item; samples: model A and signal item */
  guint rev_a, rev_b;     /* ROC: the items' revisions (their tables and scores); samples: label */
} Key;

/* A job of the page and its result: the one running, the last one finished (its data is the
 * result, also when it failed), and their inputs. */
typedef struct {
  JxJob *running, *done;
  Key key;
} PageJob;

struct _JxPlotsPage
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkDropDown *plot_dropdown;
  GtkDropDown *observable_dropdown;
  JxDatasetPicker *signal_picker;
  JxDatasetPicker *background_picker;
  GtkLabel *status_label;
  JxFigureCanvas *canvas;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GSignalGroup *item_signals[3];   /* signal, background, reweighted item: tables arriving */
  PageJob roc;                     /* ROC curves of the two samples */
  PageJob smp;                     /* jets sampled from model A, branchings */
  JxJob *training_job;
  GArray *history;                 /* JxEpochRecord of training_job */
  char *message;                   /* shown instead of a figure when set */
  gboolean waiting;                /* the plot waits for a table or a job */
  GString *summary;                /* what the last histogram figure drew (tests, screen readers) */
};

G_DEFINE_FINAL_TYPE (JxPlotsPage, jx_plots_page, GTK_TYPE_BOX)

static void refresh (JxPlotsPage *self);

/* ---- the two samples ------------------------------------------------------------------- */

/* Sample s (0 signal, 1 background): its dataset and, for one labelled dataset, the label
 * class it takes (−1: every jet). */
static JxDatasetItem *
sample_item (JxPlotsPage *self, int s, int *label)
{
  *label = -1;
  if (self->session == NULL)
    return NULL;
  if (jx_session_split_by_label (self->session))
    *label = s == 0 ? 1 : 0;
  return s == 0 ? jx_session_get_signal (self->session) : jx_session_get_background (self->session);
}

static gboolean
takes (const JxDataset *ds, size_t i, int label)
{
  return label < 0 || (ds->labels != NULL && (ds->labels[i] > 0) == (label > 0));
}

static size_t
count_jets (JxDatasetItem *item, int label)
{
  const JxDataset *ds = jx_dataset_item_get_dataset (item);
  size_t n = 0;

  /* A streamed item (ds NULL) is never split by label: all its jets. */
  if (ds == NULL)
    return jx_dataset_item_get_n_jets (item);
  for (size_t i = 0; i < ds->n_jets; i++)
    n += takes (ds, i, label);
  return n;
}

/* ---- figures --------------------------------------------------------------------------- */

static void
widen_range (double *range, const JxJetStats *st, int c, const JxDataset *ds, int label)
{
  for (size_t i = 0; i < st->n_jets; i++)
    {
      double v = jx_jetstats_value (st, i, c);
      if ((ds == NULL || takes (ds, i, label)) && isfinite (v))
        {
          range[0] = MIN (range[0], v);
          range[1] = MAX (range[1], v);
        }
    }
}

static gboolean
hist_init (JxHist *h, const double *range, gboolean integer)
{
  double lo = range[0], hi = range[1];
  size_t nbins = N_BINS;

  if (integer)
    {
      lo = floor (lo) - 0.5;
      hi = ceil (hi) + 0.5;
      nbins = (size_t) MIN (hi - lo, 100);
    }
  return jx_hist_init_uniform (h, MAX (nbins, 1), lo, hi, NULL) == 0;
}

/* Column c of a table as a normalized histogram, the jets weighted by w (NULL: 1); the summary
 * gets the series' name and its sum of weights before normalizing. */
static void
add_table (JxPlot *p, GString *summary, const JxJetStats *st, int c, const JxDataset *ds,
           int label, const double *w, const double *range, gboolean integer, JxHistStyle style,
           const char *name)
{
  JxHist h;
  double sum_w;

  if (st == NULL || !hist_init (&h, range, integer))
    return;
  for (size_t i = 0; i < st->n_jets; i++)
    if (ds == NULL || takes (ds, i, label))
      jx_hist_fill (&h, jx_jetstats_value (st, i, c), w != NULL ? w[i] : 1.0);
  sum_w = h.underflow + h.overflow;
  for (size_t b = 0; b < h.nbins; b++)
    sum_w += h.sumw[b];
  g_string_append_printf (summary, "; %s sum_w=%.6g", name, sum_w);
  jx_hist_normalize (&h);
  jx_plot_add_hist (p, &h, style, name);
  jx_hist_free (&h);
}

/* "signal data: Z jets (demo)" with the title escaped for markup, and the label class taken
 * when one dataset is split by label. */
static char *
series_name (const char *what, const char *title, int label)
{
  char esc[256];

  jx_text_escape (title, esc, sizeof esc);
  if (label >= 0)
    return g_strdup_printf (_("%s: %s, label %d"), what, esc, label);
  return g_strdup_printf ("%s: %s", what, esc);
}

static const JxPlotsSampleData *
samples (JxPlotsPage *self)
{
  return self->smp.done != NULL ? jx_job_get_data (self->smp.done) : NULL;
}

static void
draw_observables (JxPlotsPage *self, cairo_t *cr, JxRect rect)
{
  int c = CLAMP ((int) gtk_drop_down_get_selected (self->observable_dropdown), 0, NOBS - 1);
  gboolean integer = c == jx_observable_index ("n");
  const JxPlotsSampleData *smp = samples (self);
  JxDatasetItem *rw = jx_session_get_reweighted (self->session);
  const JxJetStats *rw_stats = rw != NULL ? jx_dataset_item_get_stats (rw) : NULL;
  double range[2] = { INFINITY, -INFINITY };
  JxPlot *p = jx_plot_new ();
  char xlabel[256];

  g_string_printf (self->summary, "observables %s", jx_observable_names[c]);
  for (int s = 0; s < 2; s++)
    {
      int label;
      JxDatasetItem *item = sample_item (self, s, &label);
      const JxJetStats *st = item != NULL ? jx_dataset_item_get_stats (item) : NULL;
      if (st != NULL)
        widen_range (range, st, c, jx_dataset_item_get_dataset (item), label);
    }
  if (smp != NULL)
    widen_range (range, &smp->sampled, c, NULL, -1);
  if (rw_stats != NULL)
    widen_range (range, rw_stats, c, NULL, -1);
  if (!(range[0] <= range[1]))
    range[0] = 0, range[1] = 1;
  if (range[1] - range[0] < 1e-12)
    range[0] -= 0.5, range[1] += 0.5;

  /* Each series says what it is: data (points, filled), sampled (dashed), reweighted. */
  for (int s = 0; s < 2; s++)
    {
      int label;
      JxDatasetItem *item = sample_item (self, s, &label);
      const JxDataset *ds = item != NULL ? jx_dataset_item_get_dataset (item) : NULL;
      g_autofree char *name = NULL;
      if (item == NULL)
        continue;
      name = series_name (s == 0 ? _("signal data") : _("background data"),
                          jx_dataset_item_get_title (item), label);
      add_table (p, self->summary, jx_dataset_item_get_stats (item), c, ds, label,
                 ds != NULL ? ds->weights : NULL,
                 range, integer, s == 0 ? JX_HIST_POINTS : JX_HIST_FILLED, name);
    }
  if (smp != NULL && smp->sampled.n_jets > 0)
    {
      g_autofree char *name = series_name (_("sampled from A"),
                                           jx_model_item_get_title (smp->model), -1);
      add_table (p, self->summary, &smp->sampled, c, NULL, -1, NULL, range, integer, JX_HIST_STEP,
                 name);
      jx_plot_series_dashed (p, 2, true);
    }
  if (rw_stats != NULL)
    {
      g_autofree char *name = series_name (_("reweighted (job weights)"),
                                           jx_dataset_item_get_title (rw), -1);
      const JxDataset *rw_ds = jx_dataset_item_get_dataset (rw);
      add_table (p, self->summary, rw_stats, c, NULL, -1, rw_ds != NULL ? rw_ds->weights : NULL,
                 range, integer, JX_HIST_STEP, name);
    }
  jx_text_escape (jx_observable_descriptions[c], xlabel, sizeof xlabel);
  jx_plot_set_x_axis (p, xlabel, false);
  jx_plot_set_y_axis (p, _("normalized"), false);
  jx_plot_set_ratio (p, 0, _("ratio to signal data"), NAN, NAN);
  jx_plot_draw (p, cr, rect, NULL);
  jx_plot_free (p);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary->str, -1);
}

static const JxDiscriminateData *
roc_result (JxPlotsPage *self)
{
  return self->roc.done != NULL ? jx_job_get_data (self->roc.done) : NULL;
}

static const char *
curve_label (int k)
{
  static const char *const labels[JX_N_DISCRIMINANTS] = {
    N_("JUNIPR log<sub>10</sub> P<sub>A</sub>/P<sub>B</sub>"), N_("2-D LR (τ<sub>21</sub>, n)"), N_("mass"),
    N_("multiplicity"), N_("τ<sub>21</sub>"),
  };
  return _(labels[k]);
}

static void
draw_roc (JxPlotsPage *self, cairo_t *cr, JxRect rect)
{
  const JxDiscriminateData *d = roc_result (self);
  JxPlot *p = jx_plot_new ();
  char sig[128], bkg[128];
  g_autofree char *title = NULL;

  for (int k = 0; k < JX_N_DISCRIMINANTS; k++)
    {
      const JxRoc *roc = &d->disc.roc[k];
      size_t n_idx;
      g_autofree size_t *idx = NULL;
      g_autofree double *es = NULL, *eb = NULL;
      g_autofree char *label = NULL;

      if (roc->n_points == 0)
        continue;
      idx = g_new (size_t, ROC_MAX_POINTS);
      n_idx = jx_roc_thin (roc, ROC_MAX_POINTS, idx);
      es = g_new (double, n_idx);
      eb = g_new (double, n_idx);
      for (size_t i = 0; i < n_idx; i++)
        {
          es[i] = roc->points[idx[i]].sig_eff;
          eb[i] = roc->points[idx[i]].bkg_eff;
        }
      label = g_strdup_printf (_("%s (AUC %.3f)"), curve_label (k), roc->auc);
      jx_plot_add_roc (p, es, eb, n_idx, JX_ROC_EFFICIENCY, label);
    }
  jx_text_escape (jx_dataset_item_get_title (d->item[0]), sig, sizeof sig);
  jx_text_escape (jx_dataset_item_get_title (d->item[1]), bkg, sizeof bkg);
  title = d->item[0] == d->item[1]
          ? g_strdup_printf (_("%s: label 1 vs label 0 (test halves)"), sig)
          : g_strdup_printf (_("signal %s vs background %s (test halves)"), sig, bkg);
  jx_plot_set_title (p, title);
  jx_plot_draw (p, cr, rect, NULL);
  jx_plot_free (p);
}

static void
draw_branch_panel (cairo_t *cr, JxRect rect, const double *data, size_t n_data,
                   const double *sampled, size_t n_sampled, const char *xlabel)
{
  JxPlot *p = jx_plot_new ();
  double range[2] = { INFINITY, -INFINITY };
  JxHist h;

  /* Branchings span decades: log10 of z and θ. */
  for (size_t i = 0; i < n_data + n_sampled; i++)
    {
      double v = log10 (i < n_data ? data[i] : sampled[i - n_data]);
      if (isfinite (v))
        range[0] = MIN (range[0], v), range[1] = MAX (range[1], v);
    }
  if (!(range[0] < range[1]))
    range[0] = -3, range[1] = 0;
  for (int s = 0; s < 2; s++)
    {
      const double *v = s == 0 ? data : sampled;
      size_t n = s == 0 ? n_data : n_sampled;
      if (n == 0 || jx_hist_init_uniform (&h, N_BINS, range[0], range[1], NULL) != 0)
        continue;
      for (size_t i = 0; i < n; i++)
        jx_hist_fill (&h, log10 (v[i]), 1.0);
      jx_hist_normalize (&h);
      jx_plot_add_hist (p, &h, s == 0 ? JX_HIST_POINTS : JX_HIST_STEP,
                        s == 0 ? _("signal data") : _("sampled from A"));
      jx_hist_free (&h);
    }
  jx_plot_set_x_axis (p, xlabel, false);
  jx_plot_set_y_axis (p, _("normalized"), false);
  jx_plot_set_ratio (p, 0, _("ratio to data"), NAN, NAN);
  jx_plot_draw (p, cr, rect, NULL);
  jx_plot_free (p);
}

static void
draw_branchings (JxPlotsPage *self, cairo_t *cr, JxRect rect)
{
  const JxPlotsSampleData *d = samples (self);

  jx_draw_background (cr, rect);
  draw_branch_panel (cr, jx_rect (rect.x, rect.y, rect.w / 2, rect.h), d->data_z,
                     d->n_data_branchings, d->sampled_z, d->n_sampled_branchings,
                     _("log<sub>10</sub> z (all branchings)"));
  draw_branch_panel (cr, jx_rect (rect.x + rect.w / 2, rect.y, rect.w / 2, rect.h), d->data_theta,
                     d->n_data_branchings, d->sampled_theta, d->n_sampled_branchings,
                     _("log<sub>10</sub> θ (all branchings)"));
}

/* The curve on show: the training job's, else model A's; its state for the title. */
static gboolean
training_history (JxPlotsPage *self, const JxEpochRecord **rec, size_t *n, const char **state)
{
  JxModelItem *a = self->session ? jx_session_get_model_a (self->session) : NULL;

  if (self->training_job != NULL)
    {
      static const char *const states[] = {
        [JX_JOB_PENDING] = N_("waiting"), [JX_JOB_RUNNING] = N_("running"),
        [JX_JOB_DONE] = N_("finished"), [JX_JOB_FAILED] = N_("failed"),
        [JX_JOB_CANCELLED] = N_("cancelled"),
      };
      *rec = (const JxEpochRecord *) (gpointer) self->history->data;
      *n = self->history->len;
      *state = _(states[jx_job_get_state (self->training_job)]);
      return *n > 0;
    }
  *state = NULL;
  if (a != NULL && jx_model_item_get_meta (a)->n_history > 0)
    {
      *rec = jx_model_item_get_meta (a)->history;
      *n = jx_model_item_get_meta (a)->n_history;
      return TRUE;
    }
  return FALSE;
}

static void
draw_training (JxPlotsPage *self, cairo_t *cr, JxRect rect)
{
  const JxEpochRecord *rec;
  const char *state;
  size_t n;
  JxPlot *p = jx_plot_new ();
  g_autofree double *x = NULL, *tl = NULL, *vl = NULL;
  g_autofree char *title = NULL;

  training_history (self, &rec, &n, &state);
  x = g_new (double, n);
  tl = g_new (double, n);
  vl = g_new (double, n);
  for (size_t i = 0; i < n; i++)
    {
      x[i] = rec[i].epoch;
      tl[i] = rec[i].train_loss;
      vl[i] = rec[i].val_loss;
    }
  jx_plot_add_line (p, x, tl, n, JX_MARKER_CIRCLE, _("training loss"));
  jx_plot_add_line (p, x, vl, n, JX_MARKER_SQUARE, _("validation loss"));
  jx_plot_set_x_axis (p, _("epoch"), false);
  jx_plot_set_y_axis (p, _("loss (−ln P per jet)"), false);
  title = state != NULL ? g_strdup_printf (_("training (%s)"), state)
                        : g_strdup (_("training history of model A"));
  jx_plot_set_title (p, title);
  jx_plot_draw (p, cr, rect, NULL);
  jx_plot_free (p);
}

static void
draw_figure (cairo_t *cr, JxRect rect, gpointer data)
{
  JxPlotsPage *self = data;

  if (self->message != NULL)
    {
      jx_draw_message (cr, rect, self->message);
      return;
    }
  switch ((JxPlotKind) gtk_drop_down_get_selected (self->plot_dropdown))
    {
    case JX_PLOT_OBSERVABLES:
      draw_observables (self, cr, rect);
      break;
    case JX_PLOT_ROC:
      draw_roc (self, cr, rect);
      break;
    case JX_PLOT_VALIDATION:
      draw_branchings (self, cr, rect);
      break;
    case JX_PLOT_TRAINING:
    default:
      draw_training (self, cr, rect);
      break;
    }
}

/* ---- jobs ------------------------------------------------------------------------------ */

static gboolean
key_equal (const Key *x, const Key *y)
{
  return x->a == y->a && x->b == y->b && x->rev_a == y->rev_a && x->rev_b == y->rev_b;
}

static void
drop_job (JxJob **job, JxPlotsPage *self)
{
  if (*job == NULL)
    return;
  g_signal_handlers_disconnect_by_data (*job, self);
  jx_job_cancel (*job);
  g_clear_object (job);
}

static void
on_roc_finished (JxJob *job, JxPlotsPage *self)
{
  g_signal_handlers_disconnect_by_data (job, self);
  /* a failure too is shown until the inputs change */
  if (jx_job_get_state (job) != JX_JOB_CANCELLED)
    g_set_object (&self->roc.done, job);
  g_clear_object (&self->roc.running);
  refresh (self);
}

static void
on_sample_finished (JxJob *job, JxPlotsPage *self)
{
  g_signal_handlers_disconnect_by_data (job, self);
  if (jx_job_get_state (job) != JX_JOB_CANCELLED)
    g_set_object (&self->smp.done, job);
  g_clear_object (&self->smp.running);
  refresh (self);
}

static void
start_job (JxPlotsPage *self, JxJob **slot, JxJob *job, GCallback finished)
{
  *slot = job;
  g_signal_connect (job, "finished", finished, self);
  jx_session_run_job (self->session, job);
}

/* The page's jobs: the page takes their results. */
static const JxJobSpec analysis = { .kind = JX_JOB_KIND_ANALYSIS };

/* ROC curves need both tables, and the scores too when models A and B are chosen. */
static const char *
roc_inputs_missing (JxPlotsPage *self, JxDatasetItem *sig, JxDatasetItem *bkg)
{
  JxModelItem *a = jx_session_get_model_a (self->session);
  JxModelItem *b = jx_session_get_model_b (self->session);
  JxDatasetItem *items[2] = { sig, bkg };

  for (int s = 0; s < 2; s++)
    if (!jx_dataset_item_has_observables (items[s]))
      return _("Computing the observables of the signal and background jets…");
  for (int s = 0; s < 2 && a != NULL && b != NULL; s++)
    if (jx_dataset_item_get_scored_with (items[s], 0) != a
        || jx_dataset_item_get_scored_with (items[s], 1) != b)
      return _("Scoring the signal and background jets with models A and B…");
  return NULL;
}

static Key
roc_key (JxDatasetItem *sig, JxDatasetItem *bkg)
{
  return (Key) { sig, bkg, jx_dataset_item_get_revision (sig), jx_dataset_item_get_revision (bkg) };
}

/* TRUE when a job for key must be started: nothing for it is running or finished. What was
 * there for other inputs is dropped. */
static gboolean
page_job_wanted (JxPlotsPage *self, PageJob *pj, Key key)
{
  if (key_equal (&key, &pj->key) && (pj->running != NULL || pj->done != NULL))
    return FALSE;
  drop_job (&pj->running, self);
  g_clear_object (&pj->done);
  pj->key = key;
  return TRUE;
}

static void
ensure_roc (JxPlotsPage *self, JxDatasetItem *sig, JxDatasetItem *bkg)
{
  g_autofree char *title = NULL;
  JxDiscriminateData *d;

  if (!page_job_wanted (self, &self->roc, roc_key (sig, bkg))
      || (d = jx_discriminate_data_new (sig, bkg)) == NULL)
    return;
  title = g_strdup_printf (_("ROC curves: %s vs %s"), jx_dataset_item_get_title (sig),
                           jx_dataset_item_get_title (bkg));
  start_job (self, &self->roc.running, jx_job_new (&analysis, title, jx_task_discriminate, d,
                                                   jx_discriminate_data_free),
             G_CALLBACK (on_roc_finished));
}

static void
ensure_samples (JxPlotsPage *self, JxModelItem *a, JxDatasetItem *sig, int label)
{
  g_autofree char *title = NULL;
  JxPlotsSampleData *d;

  if (!page_job_wanted (self, &self->smp, (Key) { a, sig, (guint) (label + 1), 0 }))
    return;
  d = jx_plots_sample_data_new (a, sig, label, jx_session_get_threads (self->session));
  title = g_strdup_printf (_("Sample %zu jets from %s (Plots)"), d->n_jets,
                           jx_model_item_get_title (a));
  start_job (self, &self->smp.running, jx_job_new (&analysis, title, jx_task_plots_sample, d,
                                                   jx_plots_sample_data_free),
             G_CALLBACK (on_sample_finished));
}

/* ---- state ----------------------------------------------------------------------------- */

static void
set_message (JxPlotsPage *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

/* Why the two samples cannot be compared, or NULL. */
static const char *
samples_problem (JxPlotsPage *self, JxDatasetItem *sig, JxDatasetItem *bkg)
{
  if (sig == NULL || bkg == NULL)
    return _("Choose a signal and a background dataset above (two datasets, or the same "
             "labelled dataset twice)");
  if (sig == bkg && (count_jets (sig, 1) == 0 || count_jets (sig, 0) == 0))
    return _("Signal and background are the same dataset, which does not have jets of both "
             "labels (1 = signal, 0 = background): choose two datasets");
  return NULL;
}

/* (Σw)²/Σw² of a weighted dataset: how many unweighted jets its histograms are worth. */
static double
effective_size (const JxDataset *ds)
{
  double sw = 0, sw2 = 0;

  if (ds->weights == NULL)
    return (double) ds->n_jets;
  for (size_t i = 0; i < ds->n_jets; i++)
    {
      sw += ds->weights[i];
      sw2 += ds->weights[i] * ds->weights[i];
    }
  return sw2 > 0 ? sw * sw / sw2 : 0.0;
}

/* The status line of a view whose inputs are there. */
static char *
observables_status (JxPlotsPage *self, JxDatasetItem *sig, JxDatasetItem *bkg, int lsig, int lbkg)
{
  const JxPlotsSampleData *smp = samples (self);
  JxModelItem *a = jx_session_get_model_a (self->session);
  JxDatasetItem *rw = jx_session_get_reweighted (self->session);
  g_autofree char *sampled = NULL;
  g_autofree char *reweighted = NULL;
  const char *note = self->smp.done != NULL ? jx_job_get_note (self->smp.done) : "";

  if (a == NULL)
    sampled = g_strdup (_("no samples (choose a model A)"));
  else if (self->smp.running != NULL)
    sampled = g_strdup (_("sampling from model A…"));
  else if (smp != NULL && jx_job_get_state (self->smp.done) == JX_JOB_DONE)
    sampled = g_strdup_printf (_("%zu sampled from A%s%s"), smp->sampled.n_jets,
                               note[0] ? "; " : "", note);
  else if (self->smp.done != NULL)
    sampled = g_strdup_printf (_("sampling failed: %s"), jx_job_get_error (self->smp.done));
  if (rw != NULL && jx_dataset_item_is_streamed (rw))
    reweighted = g_strdup_printf (_("%s (%zu jets, read on demand: weights not shown)"),
                                  jx_dataset_item_get_title (rw), jx_dataset_item_get_n_jets (rw));
  else if (rw != NULL)
    reweighted = g_strdup_printf (_("%s (effective sample size %.4g of %zu jets)"),
                                  jx_dataset_item_get_title (rw),
                                  effective_size (jx_dataset_item_get_dataset (rw)),
                                  jx_dataset_item_get_n_jets (rw));
  return g_strdup_printf (_("signal %zu jets, background %zu jets, %s; reweighted: %s"),
                          count_jets (sig, lsig), count_jets (bkg, lbkg), sampled ? sampled : "",
                          reweighted != NULL ? reweighted : _("none yet (run a Reweight job)"));
}

static char *
roc_status (JxPlotsPage *self)
{
  const JxDiscriminateData *d = roc_result (self);

  if (jx_job_get_state (self->roc.done) == JX_JOB_FAILED)
    return g_strdup_printf (_("No ROC curves: %s"), jx_job_get_error (self->roc.done));
  if (d->disc.roc[0].n_points == 0)
    return g_strdup_printf (_("%zu signal, %zu background test jets; JUNIPR needs models A and B "
                              "(A for the signal, B for the background)"),
                            d->disc.n_test[0], d->disc.n_test[1]);
  return g_strdup_printf (_("%zu signal, %zu background test jets (odd-numbered); JUNIPR log₁₀ "
                            "P_A/P_B AUC %.3f (%zu test jets not scored)"),
                          d->disc.n_test[0], d->disc.n_test[1], d->disc.roc[0].auc,
                          d->disc.roc[0].n_sig_nan + d->disc.roc[0].n_bkg_nan);
}

/* What a screen reader and the tests read off the figure. */
static void
describe_canvas (JxPlotsPage *self, JxPlotKind kind)
{
  GString *s = g_string_new (NULL);
  const JxDiscriminateData *d = roc_result (self);

  if (self->message != NULL)
    g_string_append (s, self->message);
  else if (kind == JX_PLOT_ROC && d != NULL)
    {
      g_string_append (s, "roc:");
      for (int k = 0; k < JX_N_DISCRIMINANTS; k++)
        if (d->disc.roc[k].n_points > 0)
          g_string_append_printf (s, " %s auc=%.10g", jx_discriminant_name (k), d->disc.roc[k].auc);
      g_string_append_printf (s, "; test jets %zu signal, %zu background", d->disc.n_test[0],
                              d->disc.n_test[1]);
    }
  else
    g_string_append (s, gtk_label_get_text (self->status_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, s->str, -1);
  g_string_free (s, TRUE);
}

/* Each view's refresh: starts the jobs it needs (only while the page is on screen) and returns
 * its status line, or sets the message that stands instead of the figure and returns NULL. */

static char *
refresh_training (JxPlotsPage *self)
{
  const JxEpochRecord *rec;
  const char *state;
  size_t n;

  if (!training_history (self, &rec, &n, &state))
    {
      set_message (self, self->training_job != NULL
                         ? _("The training job has no finished epoch yet")
                         : _("No training history: train a model (Jobs) or choose a model A "
                             "that has one"));
      return NULL;
    }
  if (state != NULL)
    return g_strdup_printf (_("training (%s): %zu epochs, validation loss %.4g"), state, n,
                            rec[n - 1].val_loss);
  return g_strdup_printf (_("model A: %zu epochs, final validation loss %.4g"), n,
                          rec[n - 1].val_loss);
}

static char *
refresh_observables (JxPlotsPage *self, JxDatasetItem *sig, int lsig, JxDatasetItem *bkg, int lbkg)
{
  JxModelItem *a = jx_session_get_model_a (self->session);
  JxDatasetItem *rw = jx_session_get_reweighted (self->session);

  if (a != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_samples (self, a, sig, lsig);
  self->waiting = self->smp.running != NULL || (rw != NULL && !jx_dataset_item_has_observables (rw));
  if (!jx_dataset_item_has_observables (sig) || !jx_dataset_item_has_observables (bkg))
    {
      set_message (self, _("Computing the observables of the signal and background jets…"));
      self->waiting = TRUE;
      return NULL;
    }
  return observables_status (self, sig, bkg, lsig, lbkg);
}

static char *
refresh_branchings (JxPlotsPage *self, JxDatasetItem *sig, int lsig)
{
  JxModelItem *a = jx_session_get_model_a (self->session);
  const JxPlotsSampleData *d;
  const char *note;

  if (a == NULL)
    {
      set_message (self, _("The branchings compare the signal data with jets sampled from "
                           "model A: choose a model A"));
      return NULL;
    }
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_samples (self, a, sig, lsig);
  self->waiting = self->smp.running != NULL;
  if (self->smp.done == NULL)
    set_message (self, _("Sampling from model A and clustering the signal jets…"));
  else if (jx_job_get_state (self->smp.done) == JX_JOB_FAILED)
    set_message (self, jx_job_get_error (self->smp.done));
  if (self->message != NULL)
    return NULL;
  d = samples (self);
  note = jx_job_get_note (self->smp.done);
  return g_strdup_printf (_("%zu branchings of the signal data, %zu branchings of %zu jets sampled "
                            "from A%s%s"), d->n_data_branchings, d->n_sampled_branchings,
                          d->sampled.n_jets, note[0] ? "; " : "", note);
}

static char *
refresh_roc (JxPlotsPage *self, JxDatasetItem *sig, JxDatasetItem *bkg)
{
  const char *missing = roc_inputs_missing (self, sig, bkg);

  if (missing != NULL)
    {
      set_message (self, missing);
      self->waiting = TRUE;
      return NULL;
    }
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_roc (self, sig, bkg);
  self->waiting = self->roc.running != NULL;
  if (self->roc.done == NULL)
    {
      set_message (self, _("Computing the ROC curves…"));
      return NULL;
    }
  if (jx_job_get_state (self->roc.done) == JX_JOB_FAILED)
    set_message (self, jx_job_get_error (self->roc.done));
  return roc_status (self);
}

static char *
refresh_view (JxPlotsPage *self, JxPlotKind kind)
{
  int lsig, lbkg;
  JxDatasetItem *sig = sample_item (self, 0, &lsig);
  JxDatasetItem *bkg = sample_item (self, 1, &lbkg);
  const char *problem;

  if (kind == JX_PLOT_TRAINING)
    return refresh_training (self);
  if (self->session == NULL || g_list_model_get_n_items (jx_session_get_datasets (self->session)) == 0)
    {
      set_message (self, _("Open a dataset in the library to plot it"));
      return NULL;
    }
  if ((problem = samples_problem (self, sig, bkg)) != NULL)
    {
      set_message (self, problem);
      return NULL;
    }
  switch (kind)
    {
    case JX_PLOT_OBSERVABLES:
      return refresh_observables (self, sig, lsig, bkg, lbkg);
    case JX_PLOT_VALIDATION:
      return refresh_branchings (self, sig, lsig);
    case JX_PLOT_ROC:
    case JX_PLOT_TRAINING:
    default:
      return refresh_roc (self, sig, bkg);
    }
}

static void
refresh (JxPlotsPage *self)
{
  JxPlotKind kind = (JxPlotKind) gtk_drop_down_get_selected (self->plot_dropdown);
  g_autofree char *status = NULL;

  set_message (self, NULL);
  self->waiting = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->observable_dropdown), kind == JX_PLOT_OBSERVABLES);
  /* the training curve is of a model, not of the samples */
  gtk_widget_set_visible (GTK_WIDGET (self->signal_picker), kind != JX_PLOT_TRAINING);
  gtk_widget_set_visible (GTK_WIDGET (self->background_picker), kind != JX_PLOT_TRAINING);
  status = refresh_view (self, kind);
  gtk_label_set_text (self->status_label, status ? status : (self->message ? self->message : ""));
  describe_canvas (self, kind);
  jx_figure_canvas_invalidate (self->canvas);
}

static void
on_item_changed (JxPlotsPage *self)
{
  refresh (self);
}

static void
on_samples_changed (JxPlotsPage *self)
{
  int label;

  for (int s = 0; s < 2; s++)
    g_signal_group_set_target (self->item_signals[s], sample_item (self, s, &label));
  g_signal_group_set_target (self->item_signals[2], self->session != NULL
                                                    ? jx_session_get_reweighted (self->session)
                                                    : NULL);
  refresh (self);
}

static void
on_training_history (JxJob *job, GParamSpec *pspec, JxPlotsPage *self)
{
  g_autofree JxEpochRecord *records = NULL;
  gsize n = 0;

  jx_job_dup_history (job, &records, &n);
  g_array_set_size (self->history, 0);
  g_array_append_vals (self->history, records, n);
  if (gtk_drop_down_get_selected (self->plot_dropdown) == JX_PLOT_TRAINING)
    refresh (self);
}

static void
on_training_state (JxJob *job, GParamSpec *pspec, JxPlotsPage *self)
{
  if (gtk_drop_down_get_selected (self->plot_dropdown) == JX_PLOT_TRAINING)
    refresh (self);
}

static void
on_plot_selected (JxPlotsPage *self)
{
  refresh (self);
}

static void
on_observable_selected (JxPlotsPage *self)
{
  jx_figure_canvas_invalidate (self->canvas);
}

static void
on_export_clicked (JxPlotsPage *self)
{
  jx_figure_canvas_export_dialog (self->canvas, "plot.png", self->status_label);
}

static void
jx_plots_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (jx_plots_page_parent_class)->map (widget);
  /* Samples and curves are made when someone looks at the page. */
  refresh (JX_PLOTS_PAGE (widget));
}

static void
jx_plots_page_dispose (GObject *object)
{
  JxPlotsPage *self = JX_PLOTS_PAGE (object);

  drop_job (&self->roc.running, self);
  drop_job (&self->smp.running, self);
  g_clear_object (&self->roc.done);
  g_clear_object (&self->smp.done);
  if (self->training_job != NULL)
    g_signal_handlers_disconnect_by_data (self->training_job, self);
  g_clear_object (&self->training_job);
  for (int s = 0; s < 3; s++)
    {
      if (self->item_signals[s] != NULL)
        g_signal_group_set_target (self->item_signals[s], NULL);
      g_clear_object (&self->item_signals[s]);
    }
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_PLOTS_PAGE);

  G_OBJECT_CLASS (jx_plots_page_parent_class)->dispose (object);
}

static void
jx_plots_page_finalize (GObject *object)
{
  JxPlotsPage *self = JX_PLOTS_PAGE (object);

  g_array_unref (self->history);
  g_free (self->message);
  g_string_free (self->summary, TRUE);

  G_OBJECT_CLASS (jx_plots_page_parent_class)->finalize (object);
}

static void
jx_plots_page_class_init (JxPlotsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_plots_page_dispose;
  object_class->finalize = jx_plots_page_finalize;
  widget_class->map = jx_plots_page_map;

  g_type_ensure (JX_TYPE_FIGURE_CANVAS);
  g_type_ensure (JX_TYPE_DATASET_PICKER);
  g_type_ensure (JX_TYPE_WRAP_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-plots-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPlotsPage, plot_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxPlotsPage, observable_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxPlotsPage, signal_picker);
  gtk_widget_class_bind_template_child (widget_class, JxPlotsPage, background_picker);
  gtk_widget_class_bind_template_child (widget_class, JxPlotsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, JxPlotsPage, canvas);
  gtk_widget_class_bind_template_callback (widget_class, on_plot_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_observable_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
jx_plots_page_init (JxPlotsPage *self)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  jx_dataset_picker_set_role (self->background_picker, JX_PICK_BACKGROUND);
  self->history = g_array_new (FALSE, FALSE, sizeof (JxEpochRecord));
  self->summary = g_string_new (NULL);
  for (int c = 0; c < NOBS; c++)
    gtk_string_list_append (names, jx_observable_names[c]);
  gtk_drop_down_set_model (self->observable_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->observable_dropdown, jx_observable_index ("mass"));
  jx_figure_canvas_set_draw_func (self->canvas, draw_figure, self, NULL);

  self->session_signals = g_signal_group_new (JX_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::signal",
                                  G_CALLBACK (on_samples_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::background",
                                  G_CALLBACK (on_samples_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-a",
                                  G_CALLBACK (on_item_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-b",
                                  G_CALLBACK (on_item_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::reweighted",
                                  G_CALLBACK (on_samples_changed), self);
  for (int s = 0; s < 3; s++)
    {
      self->item_signals[s] = g_signal_group_new (JX_TYPE_DATASET_ITEM);
      g_signal_group_connect_swapped (self->item_signals[s], "observables-ready",
                                      G_CALLBACK (on_item_changed), self);
      g_signal_group_connect_swapped (self->item_signals[s], "scores-changed",
                                      G_CALLBACK (on_item_changed), self);
    }
  refresh (self);
}

GtkWidget *
jx_plots_page_new (void)
{
  return g_object_new (JX_TYPE_PLOTS_PAGE, NULL);
}

void
jx_plots_page_set_session (JxPlotsPage *self, JxSession *session)
{
  g_return_if_fail (JX_IS_PLOTS_PAGE (self));
  g_return_if_fail (session == NULL || JX_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  jx_dataset_picker_set_session (self->signal_picker, session);
  jx_dataset_picker_set_session (self->background_picker, session);
  on_samples_changed (self);
}

void
jx_plots_page_set_plot (JxPlotsPage *self, JxPlotKind kind)
{
  g_return_if_fail (JX_IS_PLOTS_PAGE (self));

  gtk_drop_down_set_selected (self->plot_dropdown, kind);
}

void
jx_plots_page_set_observable (JxPlotsPage *self, int observable)
{
  g_return_if_fail (JX_IS_PLOTS_PAGE (self));
  g_return_if_fail (observable >= 0 && observable < NOBS);

  gtk_drop_down_set_selected (self->observable_dropdown, observable);
}

void
jx_plots_page_set_training_job (JxPlotsPage *self, JxJob *job)
{
  g_return_if_fail (JX_IS_PLOTS_PAGE (self));
  g_return_if_fail (job == NULL || JX_IS_JOB (job));

  if (self->training_job != NULL)
    g_signal_handlers_disconnect_by_data (self->training_job, self);
  g_set_object (&self->training_job, job);
  g_array_set_size (self->history, 0);
  if (job != NULL)
    {
      g_signal_connect (job, "notify::history", G_CALLBACK (on_training_history), self);
      g_signal_connect (job, "notify::state", G_CALLBACK (on_training_state), self);
      on_training_history (job, NULL, self);
    }
  refresh (self);
}

const char *
jx_plots_page_get_status_text (JxPlotsPage *self)
{
  g_return_val_if_fail (JX_IS_PLOTS_PAGE (self), NULL);

  return gtk_label_get_text (self->status_label);
}

gboolean
jx_plots_page_is_busy (JxPlotsPage *self)
{
  g_return_val_if_fail (JX_IS_PLOTS_PAGE (self), FALSE);

  return self->waiting;
}

const char *
jx_plots_page_get_figure_summary (JxPlotsPage *self)
{
  g_return_val_if_fail (JX_IS_PLOTS_PAGE (self), NULL);

  return self->summary->str;
}

double
jx_plots_page_get_auc (JxPlotsPage *self, int k)
{
  const JxDiscriminateData *d;

  g_return_val_if_fail (JX_IS_PLOTS_PAGE (self), NAN);
  g_return_val_if_fail (k >= 0 && k < JX_N_DISCRIMINANTS, NAN);

  d = roc_result (self);
  return d != NULL && d->disc.roc[k].n_points > 0 ? d->disc.roc[k].auc : NAN;
}

gboolean
jx_plots_page_export (JxPlotsPage *self, const char *path, GError **error)
{
  g_return_val_if_fail (JX_IS_PLOTS_PAGE (self), FALSE);

  return jx_figure_canvas_export (self->canvas, path, error);
}
