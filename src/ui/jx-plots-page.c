/* jx-plots-page.c — the Plots page. */
#define G_LOG_DOMAIN "jx-plots-page"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "jx-draw-text.h"
#include "jx-figure-canvas.h"
#include "jx-hist.h"
#include "jx-observables.h"
#include "jx-plot.h"
#include "jx-plots-page.h"
#include "jx-sample.h"

/* Enough jets for smooth histograms at a few seconds of worker time on one core. */
#define DATA_MAX_JETS 2000
#define SAMPLE_MAX_JETS 1000
#define N_BINS 40
#define NOBS JX_N_OBSERVABLES

/* Per-jet numbers of one (dataset, model A, model B), computed on a worker. */
typedef struct {
  size_t n;
  double *obs;               /* [n × NOBS], NaN rows for jets that could not be clustered */
  double *logp[2];           /* [n] ln P under A and B (NaN: not scored); NULL without model */
  int32_t *labels;           /* [n] or NULL */
  GArray *branch_z, *branch_theta;     /* every branching of the data trees */
  size_t n_sampled;
  double *obs_sampled;       /* [n_sampled × NOBS] */
  GArray *sampled_z, *sampled_theta;
  char *sample_note;         /* why there are no samples, or NULL */
} Stats;

typedef struct {
  JxDatasetItem *data;
  JxModelItem *model[2];
  JxClusterOptions clustering;
  GCancellable *cancellable;
  int permille;              /* progress for the status line (g_atomic_int) */
} Job;

struct _JxPlotsPage
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkDropDown *plot_dropdown;
  GtkDropDown *observable_dropdown;
  GtkLabel *status_label;
  JxFigureCanvas *canvas;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GCancellable *cancellable;
  Job *running;              /* borrowed: the task owns it and outlives the poll below */
  guint progress_poll;
  Stats *stats;
  gpointer stats_key[3];     /* dataset, model A, model B the stats belong to (borrowed keys) */
  gboolean busy;
  GArray *live_history;      /* JxEpochRecord of the running training job; empty when none */
  char *message;
};

G_DEFINE_FINAL_TYPE (JxPlotsPage, jx_plots_page, GTK_TYPE_BOX)

static void
stats_free (Stats *s)
{
  if (s == NULL)
    return;
  g_free (s->obs);
  g_free (s->logp[0]);
  g_free (s->logp[1]);
  g_free (s->labels);
  g_free (s->obs_sampled);
  g_clear_pointer (&s->branch_z, g_array_unref);
  g_clear_pointer (&s->branch_theta, g_array_unref);
  g_clear_pointer (&s->sampled_z, g_array_unref);
  g_clear_pointer (&s->sampled_theta, g_array_unref);
  g_free (s->sample_note);
  g_free (s);
}

static void
job_free (Job *job)
{
  g_clear_object (&job->data);
  g_clear_object (&job->model[0]);
  g_clear_object (&job->model[1]);
  g_clear_object (&job->cancellable);
  g_free (job);
}

/* ---- worker ---------------------------------------------------------------------------- */

typedef struct {
  JxProgress progress;
  GCancellable *cancellable;
  Job *job;
} CancelBridge;

static void
bridge_report (void *user, double done, double total, const char *message)
{
  CancelBridge *b = user;

  if (g_cancellable_is_cancelled (b->cancellable))
    jx_progress_cancel (&b->progress);
  /* Sampling is the last 40 % of the work. */
  if (total > 0)
    g_atomic_int_set (&b->job->permille, 600 + (int) (400.0 * MIN (done / total, 1.0)));
}

static void
sample_jets (Stats *s, Job *job, const JxP4 *seeds, size_t n_seeds)
{
  const JxModel *model = jx_model_item_get_model (job->model[0]);
  JxSampleOptions opt;
  JxSampleSet set;
  CancelBridge bridge = { .cancellable = job->cancellable, .job = job };
  JxClusterWork *work;
  JxError err = { 0 };
  size_t n = MIN (SAMPLE_MAX_JETS, MAX (n_seeds, 200));

  jx_progress_init (&bridge.progress, bridge_report, &bridge);
  jx_sample_options_default (&opt);
  jx_sample_options_use_meta (&opt, jx_model_item_get_meta (job->model[0]));
  opt.threads = 2;
  if (jx_sample_run (model, seeds, n_seeds, n, 1, &opt, &set, &bridge.progress, &err) != 0)
    {
      s->sample_note = g_strdup (err.message);
      jx_sample_set_free (&set);
      return;
    }
  work = jx_cluster_work_new ();
  s->n_sampled = set.n_jets;
  s->obs_sampled = g_new (double, MAX (set.n_jets, 1) * NOBS);
  for (size_t j = 0; j < set.n_jets; j++)
    {
      JxObservables o;

      if (jx_observables_compute (jx_dataset_jet (&set.data, j), jx_dataset_jet_size (&set.data, j),
                                  &o, work, &err) == 0)
        jx_observables_row (&o, s->obs_sampled + j * NOBS);
      else
        for (int c = 0; c < NOBS; c++)
          s->obs_sampled[j * NOBS + c] = NAN;
      for (uint64_t k = set.step_offsets[j]; k < set.step_offsets[j + 1]; k++)
        {
          g_array_append_val (s->sampled_z, set.steps[k].x.z);
          g_array_append_val (s->sampled_theta, set.steps[k].x.theta);
        }
    }
  jx_cluster_work_free (work);
  jx_sample_set_free (&set);
}

static void
compute_stats (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  const JxDataset *ds = jx_dataset_item_get_dataset (job->data);
  Stats *s = g_new0 (Stats, 1);
  JxClusterWork *work = jx_cluster_work_new ();
  JxModelWork *mwork[2] = { NULL, NULL };
  g_autofree JxP4 *seeds = NULL;
  g_autofree JxP4 *leaves = NULL;
  size_t n_seeds = 0, cap_leaves = 0;
  JxError err = { 0 };

  s->n = MIN (ds->n_jets, DATA_MAX_JETS);
  s->obs = g_new (double, MAX (s->n, 1) * NOBS);
  s->branch_z = g_array_new (FALSE, FALSE, sizeof (double));
  s->branch_theta = g_array_new (FALSE, FALSE, sizeof (double));
  s->sampled_z = g_array_new (FALSE, FALSE, sizeof (double));
  s->sampled_theta = g_array_new (FALSE, FALSE, sizeof (double));
  if (ds->labels != NULL)
    s->labels = g_memdup2 (ds->labels, MAX (s->n, 1) * sizeof (int32_t));
  for (int w = 0; w < 2; w++)
    if (job->model[w] != NULL)
      {
        s->logp[w] = g_new (double, MAX (s->n, 1));
        mwork[w] = jx_model_work_new (jx_model_item_get_model (job->model[w]));
      }
  seeds = g_new (JxP4, MAX (s->n, 1));

  for (size_t i = 0; i < s->n; i++)
    {
      JxTree tree;
      JxObservables o;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      g_atomic_int_set (&job->permille, (int) (600.0 * i / s->n));
      for (int c = 0; c < NOBS; c++)
        s->obs[i * NOBS + c] = NAN;
      for (int w = 0; w < 2; w++)
        if (s->logp[w] != NULL)
          s->logp[w][i] = NAN;
      /* Jets that cannot be clustered stay NaN: the histograms skip them. */
      if (jx_tree_build (&tree, jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i),
                         &job->clustering, work, &err) != 0)
        {
          jx_tree_free (&tree);
          continue;
        }
      if (tree.n > cap_leaves)
        {
          cap_leaves = tree.n;
          leaves = g_renew (JxP4, leaves, cap_leaves);
        }
      for (size_t k = 0; k < tree.n; k++)
        leaves[k] = tree.nodes[k].p;
      if (jx_observables_compute (leaves, tree.n, &o, work, &err) == 0)
        jx_observables_row (&o, s->obs + i * NOBS);
      for (size_t t = 0; t + 1 < tree.n; t++)
        {
          g_array_append_val (s->branch_z, tree.steps[t].x.z);
          g_array_append_val (s->branch_theta, tree.steps[t].x.theta);
        }
      for (int w = 0; w < 2; w++)
        {
          const JxModel *m = job->model[w] ? jx_model_item_get_model (job->model[w]) : NULL;
          double lp;

          if (m != NULL && (int) tree.n <= jx_model_config (m)->max_mult
              && jx_model_log_prob (m, &tree, NULL, &lp, mwork[w], &err) == 0)
            s->logp[w][i] = lp;
        }
      seeds[n_seeds++] = tree.nodes[tree.root].p;
      jx_tree_free (&tree);
    }
  jx_cluster_work_free (work);
  for (int w = 0; w < 2; w++)
    if (mwork[w] != NULL)
      jx_model_work_free (mwork[w]);

  if (job->model[0] == NULL)
    s->sample_note = g_strdup (_("no model A to sample from"));
  else if (n_seeds == 0)
    s->sample_note = g_strdup (_("no jet of the dataset could be clustered"));
  else if (!g_cancellable_is_cancelled (cancellable))
    sample_jets (s, job, seeds, n_seeds);

  if (g_cancellable_is_cancelled (cancellable))
    {
      stats_free (s);
      g_task_return_error_if_cancelled (task);
      return;
    }
  g_task_return_pointer (task, s, (GDestroyNotify) stats_free);
}

/* ---- figures --------------------------------------------------------------------------- */

static void
finite_range (const double *v, size_t n, size_t stride, double *lo, double *hi)
{
  for (size_t i = 0; i < n; i++)
    if (isfinite (v[i * stride]))
      {
        *lo = MIN (*lo, v[i * stride]);
        *hi = MAX (*hi, v[i * stride]);
      }
}

static gboolean
hist_of (JxHist *h, const double *lohi, gboolean integer, const double *v, size_t n,
         size_t stride, const double *w)
{
  double lo = lohi[0], hi = lohi[1];
  size_t nbins = N_BINS;

  if (integer)
    {
      lo = floor (lo) - 0.5;
      hi = ceil (hi) + 0.5;
      nbins = (size_t) MIN (hi - lo, 100);
    }
  if (jx_hist_init_uniform (h, MAX (nbins, 1), lo, hi, NULL) != 0)
    return FALSE;
  for (size_t i = 0; i < n; i++)
    jx_hist_fill (h, v[i * stride], w ? w[i] : 1.0);
  jx_hist_normalize (h);
  return TRUE;
}

static void
draw_observables (JxPlotsPage *self, cairo_t *cr, JxRect rect)
{
  Stats *s = self->stats;
  int c = (int) gtk_drop_down_get_selected (self->observable_dropdown);
  JxPlot *p = jx_plot_new ();
  double range[2] = { INFINITY, -INFINITY };
  g_autofree double *weights = NULL;
  char xlabel[256];
  JxHist h;

  c = CLAMP (c, 0, NOBS - 1);
  finite_range (s->obs + c, s->n, NOBS, &range[0], &range[1]);
  if (s->n_sampled > 0)
    finite_range (s->obs_sampled + c, s->n_sampled, NOBS, &range[0], &range[1]);
  if (!(range[0] <= range[1]))
    range[0] = 0, range[1] = 1;
  if (range[1] - range[0] < 1e-12)
    range[0] -= 0.5, range[1] += 0.5;

  if (hist_of (&h, range, c == 0, s->obs + c, s->n, NOBS, NULL))
    {
      jx_plot_add_hist (p, &h, JX_HIST_POINTS, _("data"));
      jx_hist_free (&h);
    }
  if (s->n_sampled > 0 && hist_of (&h, range, c == 0, s->obs_sampled + c, s->n_sampled, NOBS, NULL))
    {
      jx_plot_add_hist (p, &h, JX_HIST_STEP, _("sampled from model A"));
      jx_hist_free (&h);
    }
  if (s->logp[0] != NULL && s->logp[1] != NULL)
    {
      /* Data (≈ P_A) times P_B/P_A looks like B's distribution. */
      weights = g_new (double, MAX (s->n, 1));
      for (size_t i = 0; i < s->n; i++)
        weights[i] = exp (s->logp[1][i] - s->logp[0][i]);
      if (hist_of (&h, range, c == 0, s->obs + c, s->n, NOBS, weights))
        {
          int k = jx_plot_add_hist (p, &h, JX_HIST_STEP, _("data × P<sub>B</sub>/P<sub>A</sub>"));
          jx_plot_series_dashed (p, k, true);
          jx_hist_free (&h);
        }
    }
  jx_text_escape (jx_observable_descriptions[c], xlabel, sizeof xlabel);
  jx_plot_set_x_axis (p, xlabel, false);
  jx_plot_set_y_axis (p, _("normalized"), false);
  jx_plot_set_ratio (p, 0, _("ratio to data"), NAN, NAN);
  jx_plot_set_title (p, jx_dataset_item_get_title (jx_session_get_dataset (self->session)));
  jx_plot_draw (p, cr, rect, NULL);
  jx_plot_free (p);
}

typedef struct {
  double score;
  gboolean sig;
} Scored;

static int
cmp_scored_desc (const void *a, const void *b)
{
  double x = ((const Scored *) a)->score, y = ((const Scored *) b)->score;

  return (x < y) - (x > y);
}

/* ROC of a discriminant (signal = label > 0), oriented so that AUC ≥ 0.5. FALSE when there
 * are not both classes with finite scores. */
static gboolean
roc_of (const double *score, size_t stride, const int32_t *labels, size_t n, double **es,
        double **eb, size_t *m, double *auc)
{
  g_autofree Scored *v = g_new (Scored, MAX (n, 1));
  size_t k = 0, ns = 0, nb = 0, m_out;
  double cs = 0, cb = 0, area = 0;

  for (size_t i = 0; i < n; i++)
    if (isfinite (score[i * stride]))
      {
        v[k].score = score[i * stride];
        v[k].sig = labels[i] > 0;
        ns += v[k].sig;
        nb += !v[k].sig;
        k++;
      }
  if (ns == 0 || nb == 0)
    return FALSE;
  qsort (v, k, sizeof *v, cmp_scored_desc);
  *es = g_new (double, k + 1);
  *eb = g_new (double, k + 1);
  (*es)[0] = (*eb)[0] = 0;
  m_out = 1;
  for (size_t i = 0; i < k; i++)
    {
      cs += v[i].sig;
      cb += !v[i].sig;
      /* Equal scores are one cut: a straight segment, not an arbitrary staircase. */
      if (i + 1 < k && v[i + 1].score == v[i].score)
        continue;
      (*es)[m_out] = cs / ns;
      (*eb)[m_out] = cb / nb;
      area += ((*eb)[m_out] - (*eb)[m_out - 1]) * ((*es)[m_out] + (*es)[m_out - 1]) / 2;
      m_out++;
    }
  k = m_out - 1;
  if (area < 0.5)
    {
      /* The other direction discriminates: reverse the cut. */
      for (size_t i = 0; i <= k; i++)
        {
          (*es)[i] = 1 - (*es)[i];
          (*eb)[i] = 1 - (*eb)[i];
        }
      for (size_t i = 0, j = k; i < j; i++, j--)
        {
          double a = (*es)[i], b = (*eb)[i];
          (*es)[i] = (*es)[j], (*eb)[i] = (*eb)[j];
          (*es)[j] = a, (*eb)[j] = b;
        }
      area = 1 - area;
    }
  *m = k + 1;
  *auc = area;
  return TRUE;
}

typedef struct {
  const double *v;
  size_t stride;
  const char *name;
} Discriminant;

static void
draw_roc (JxPlotsPage *self, cairo_t *cr, JxRect rect)
{
  Stats *s = self->stats;
  JxPlot *p = jx_plot_new ();
  g_autofree double *llr = NULL;
  Discriminant d[4];
  int nd = 0;

  if (s->logp[0] != NULL && s->logp[1] != NULL)
    {
      llr = g_new (double, MAX (s->n, 1));
      for (size_t i = 0; i < s->n; i++)
        llr[i] = s->logp[0][i] - s->logp[1][i];
      d[nd++] = (Discriminant) { llr, 1, _("JUNIPR ln P<sub>A</sub>/P<sub>B</sub>") };
    }
  d[nd++] = (Discriminant) { s->obs + 2, NOBS, _("mass") };
  d[nd++] = (Discriminant) { s->obs + 6, NOBS, "τ<sub>21</sub>" };
  d[nd++] = (Discriminant) { s->obs + 0, NOBS, _("multiplicity") };
  for (int k = 0; k < nd; k++)
    {
      g_autofree double *es = NULL, *eb = NULL;
      g_autofree char *label = NULL;
      size_t m;
      double auc;

      if (!roc_of (d[k].v, d[k].stride, s->labels, s->n, &es, &eb, &m, &auc))
        continue;
      label = g_strdup_printf (_("%s (AUC %.3f)"), d[k].name, auc);
      jx_plot_add_roc (p, es, eb, m, JX_ROC_EFFICIENCY, label);
    }
  jx_plot_set_title (p, _("signal = label 1, background = label 0"));
  jx_plot_draw (p, cr, rect, NULL);
  jx_plot_free (p);
}

static void
draw_branch_panel (cairo_t *cr, JxRect rect, GArray *data, GArray *sampled, const char *xlabel)
{
  JxPlot *p = jx_plot_new ();
  double range[2] = { INFINITY, -INFINITY };
  g_autofree double *ld = g_new (double, MAX (data->len, 1));
  g_autofree double *ls = g_new (double, MAX (sampled->len, 1));
  JxHist h;

  /* Branchings span decades: log10 of z and θ. */
  for (guint i = 0; i < data->len; i++)
    ld[i] = log10 (g_array_index (data, double, i));
  for (guint i = 0; i < sampled->len; i++)
    ls[i] = log10 (g_array_index (sampled, double, i));
  finite_range (ld, data->len, 1, &range[0], &range[1]);
  finite_range (ls, sampled->len, 1, &range[0], &range[1]);
  if (!(range[0] < range[1]))
    range[0] = -3, range[1] = 0;
  if (hist_of (&h, range, FALSE, ld, data->len, 1, NULL))
    {
      jx_plot_add_hist (p, &h, JX_HIST_POINTS, _("data"));
      jx_hist_free (&h);
    }
  if (sampled->len > 0 && hist_of (&h, range, FALSE, ls, sampled->len, 1, NULL))
    {
      jx_plot_add_hist (p, &h, JX_HIST_STEP, _("sampled from model A"));
      jx_hist_free (&h);
    }
  jx_plot_set_x_axis (p, xlabel, false);
  jx_plot_set_y_axis (p, _("normalized"), false);
  jx_plot_set_ratio (p, 0, _("ratio"), NAN, NAN);
  jx_plot_draw (p, cr, rect, NULL);
  jx_plot_free (p);
}

static void
draw_training (JxPlotsPage *self, cairo_t *cr, JxRect rect, const JxEpochRecord *rec, size_t n,
               gboolean live)
{
  JxPlot *p = jx_plot_new ();
  g_autofree double *x = g_new (double, n);
  g_autofree double *tl = g_new (double, n);
  g_autofree double *vl = g_new (double, n);

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
  jx_plot_set_title (p, live ? _("training (running)") : _("training history of model A"));
  jx_plot_draw (p, cr, rect, NULL);
  jx_plot_free (p);
}

static gboolean
training_history (JxPlotsPage *self, const JxEpochRecord **rec, size_t *n, gboolean *live)
{
  JxModelItem *a = self->session ? jx_session_get_model_a (self->session) : NULL;

  *live = self->live_history->len > 0;
  if (*live)
    {
      *rec = (const JxEpochRecord *) (gpointer) self->live_history->data;
      *n = self->live_history->len;
      return TRUE;
    }
  if (a != NULL && jx_model_item_get_meta (a)->n_history > 0)
    {
      *rec = jx_model_item_get_meta (a)->history;
      *n = jx_model_item_get_meta (a)->n_history;
      return TRUE;
    }
  return FALSE;
}

static void
draw_figure (cairo_t *cr, JxRect rect, gpointer data)
{
  JxPlotsPage *self = data;
  const JxEpochRecord *rec;
  size_t n;
  gboolean live;

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
      jx_draw_background (cr, rect);
      draw_branch_panel (cr, jx_rect (rect.x, rect.y, rect.w / 2, rect.h), self->stats->branch_z,
                         self->stats->sampled_z, _("log<sub>10</sub> z (all branchings)"));
      draw_branch_panel (cr, jx_rect (rect.x + rect.w / 2, rect.y, rect.w / 2, rect.h),
                         self->stats->branch_theta, self->stats->sampled_theta,
                         _("log<sub>10</sub> θ (all branchings)"));
      break;
    case JX_PLOT_TRAINING:
    default:
      if (training_history (self, &rec, &n, &live))
        draw_training (self, cr, rect, rec, n, live);
      break;
    }
}

/* ---- state ----------------------------------------------------------------------------- */

static void
set_message (JxPlotsPage *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

static void refresh (JxPlotsPage *self);

static void
stats_done (GObject *source, GAsyncResult *result, gpointer data)
{
  JxPlotsPage *self = data;
  g_autoptr (GError) error = NULL;
  Job *job = g_task_get_task_data (G_TASK (result));
  Stats *s = g_task_propagate_pointer (G_TASK (result), &error);

  if (job == self->running)
    {
      self->running = NULL;
      g_clear_handle_id (&self->progress_poll, g_source_remove);
    }
  if (s == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->busy = FALSE;
          set_message (self, error->message);
          gtk_label_set_text (self->status_label, error->message);
          jx_figure_canvas_invalidate (self->canvas);
        }
    }
  else if (job->cancellable == self->cancellable)
    {
      stats_free (self->stats);
      self->stats = s;
      self->stats_key[0] = job->data;
      self->stats_key[1] = job->model[0];
      self->stats_key[2] = job->model[1];
      self->busy = FALSE;
      g_clear_object (&self->cancellable);
      refresh (self);
    }
  else
    stats_free (s);
  g_object_unref (self);
}

static gboolean
poll_progress (gpointer data)
{
  JxPlotsPage *self = data;
  g_autofree char *text = NULL;

  if (self->running == NULL)
    {
      self->progress_poll = 0;
      return G_SOURCE_REMOVE;
    }
  text = g_strdup_printf (_("Computing observables, likelihoods and samples… %d %%"),
                          g_atomic_int_get (&self->running->permille) / 10);
  gtk_label_set_text (self->status_label, text);
  return G_SOURCE_CONTINUE;
}

static void
start_stats (JxPlotsPage *self)
{
  JxModelItem *a = jx_session_get_model_a (self->session);
  JxModelItem *b = jx_session_get_model_b (self->session);
  Job *job = g_new0 (Job, 1);
  GTask *task;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = TRUE;

  job->data = g_object_ref (jx_session_get_dataset (self->session));
  job->model[0] = a ? g_object_ref (a) : NULL;
  job->model[1] = b ? g_object_ref (b) : NULL;
  job->cancellable = g_object_ref (self->cancellable);
  if (a != NULL)
    job->clustering = jx_model_item_get_meta (a)->clustering;
  else
    jx_cluster_options_default (&job->clustering);

  task = g_task_new (NULL, self->cancellable, stats_done, g_object_ref (self));
  g_task_set_source_tag (task, start_stats);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  self->running = job;
  g_clear_handle_id (&self->progress_poll, g_source_remove);
  self->progress_poll = g_timeout_add (250, poll_progress, self);
  g_task_run_in_thread (task, compute_stats);
  g_object_unref (task);
}

static gboolean
stats_current (JxPlotsPage *self)
{
  return self->stats != NULL
         && self->stats_key[0] == (gpointer) jx_session_get_dataset (self->session)
         && self->stats_key[1] == (gpointer) jx_session_get_model_a (self->session)
         && self->stats_key[2] == (gpointer) jx_session_get_model_b (self->session);
}

static size_t
count_finite (const double *v, size_t n)
{
  size_t k = 0;

  for (size_t i = 0; v != NULL && i < n; i++)
    k += isfinite (v[i]) != 0;
  return k;
}

static void
refresh (JxPlotsPage *self)
{
  JxPlotKind kind = (JxPlotKind) gtk_drop_down_get_selected (self->plot_dropdown);
  g_autofree char *status = NULL;
  const JxEpochRecord *rec;
  size_t n;
  gboolean live;

  set_message (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->observable_dropdown), kind == JX_PLOT_OBSERVABLES);

  if (kind == JX_PLOT_TRAINING)
    {
      if (!training_history (self, &rec, &n, &live))
        set_message (self, _("No training history: train a model (Jobs) or choose a model A that has one"));
      else
        status = g_strdup_printf (live ? _("training: %zu epochs so far, validation loss %.4g")
                                       : _("model A: %zu epochs, final validation loss %.4g"),
                                  n, rec[n - 1].val_loss);
    }
  else if (self->session == NULL || jx_session_get_dataset (self->session) == NULL)
    set_message (self, _("Open a dataset in the library to plot it"));
  else if (!stats_current (self))
    {
      set_message (self, _("Computing observables, likelihoods and samples…"));
      if (!self->busy && gtk_widget_get_mapped (GTK_WIDGET (self)))
        start_stats (self);
    }
  else
    {
      Stats *s = self->stats;
      size_t na = s->logp[0] ? count_finite (s->logp[0], s->n) : 0;
      size_t nb = s->logp[1] ? count_finite (s->logp[1], s->n) : 0;

      switch (kind)
        {
        case JX_PLOT_OBSERVABLES:
          status = g_strdup_printf (_("%zu data jets, %zu sampled%s%s; reweighted: %s"),
                                    s->n, s->n_sampled, s->sample_note ? " — " : "",
                                    s->sample_note ? s->sample_note : "",
                                    na && nb ? _("data × P_B/P_A") : _("needs models A and B"));
          break;
        case JX_PLOT_ROC:
          {
            size_t ns = 0, nbk = 0;

            for (size_t i = 0; s->labels && i < s->n; i++)
              {
                if (s->labels[i] > 0)
                  ns++;
                else
                  nbk++;
              }
            if (ns == 0 || nbk == 0)
              set_message (self, _("ROC curves need a dataset with signal (label 1) and background (label 0) jets"));
            else
              status = g_strdup_printf (_("%zu signal, %zu background jets; JUNIPR: %s"), ns, nbk,
                                        na && nb ? _("ln P_A/P_B") : _("needs models A and B"));
          }
          break;
        case JX_PLOT_VALIDATION:
        default:
          status = g_strdup_printf (_("%u data branchings, %u sampled%s%s"),
                                    s->branch_z->len, s->sampled_z->len,
                                    s->sample_note ? " — " : "", s->sample_note ? s->sample_note : "");
          break;
        }
    }
  gtk_label_set_text (self->status_label, status ? status : (self->message ? self->message : ""));
  jx_figure_canvas_invalidate (self->canvas);
}

static void
on_inputs_changed (JxPlotsPage *self)
{
  /* Stats of other inputs are stale: stop computing them. */
  self->running = NULL;
  g_clear_handle_id (&self->progress_poll, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->busy = FALSE;
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
  /* Computation starts when someone looks at the page. */
  refresh (JX_PLOTS_PAGE (widget));
}

static void
jx_plots_page_dispose (GObject *object)
{
  JxPlotsPage *self = JX_PLOTS_PAGE (object);

  self->running = NULL;
  g_clear_handle_id (&self->progress_poll, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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

  stats_free (self->stats);
  g_array_unref (self->live_history);
  g_free (self->message);

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
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-plots-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPlotsPage, plot_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxPlotsPage, observable_dropdown);
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
  self->live_history = g_array_new (FALSE, FALSE, sizeof (JxEpochRecord));
  for (int c = 0; c < NOBS; c++)
    gtk_string_list_append (names, jx_observable_names[c]);
  gtk_drop_down_set_model (self->observable_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->observable_dropdown, 2);   /* mass */
  jx_figure_canvas_set_draw_func (self->canvas, draw_figure, self, NULL);

  self->session_signals = g_signal_group_new (JX_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset",
                                  G_CALLBACK (on_inputs_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-a",
                                  G_CALLBACK (on_inputs_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-b",
                                  G_CALLBACK (on_inputs_changed), self);
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
  on_inputs_changed (self);
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
jx_plots_page_set_training_history (JxPlotsPage *self, const JxEpochRecord *records, size_t n)
{
  g_return_if_fail (JX_IS_PLOTS_PAGE (self));

  g_array_set_size (self->live_history, 0);
  if (records != NULL && n > 0)
    g_array_append_vals (self->live_history, records, n);
  if (gtk_drop_down_get_selected (self->plot_dropdown) == JX_PLOT_TRAINING)
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

  return self->busy;
}

gboolean
jx_plots_page_export (JxPlotsPage *self, const char *path, GError **error)
{
  g_return_val_if_fail (JX_IS_PLOTS_PAGE (self), FALSE);

  return jx_figure_canvas_export (self->canvas, path, error);
}
