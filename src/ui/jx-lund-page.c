/* jx-lund-page.c — the Lund page (see jx-lund-page.h). */
#define G_LOG_DOMAIN "jx-lund-page"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "jx-application.h"
#include "jx-draw-lund.h"
#include "jx-figure-canvas.h"
#include "jx-lund-page.h"
#include "jx-lund.h"

/* Enough jets for a smooth map in about a second of one worker thread. */
#define MAP_MAX_JETS 20000

/* What a map is computed from; the page keeps the map only while these are current. */
typedef struct {
  JxDatasetItem *dataset;
  JxModelItem *a, *b;
} MapKey;

typedef struct {
  MapKey key;                /* references */
  JxClusterOptions clustering;
  JxProgress progress;
} MapTask;

struct _JxLundPage
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkDropDown *mode_dropdown;
  GtkLabel *status_label;
  JxFigureCanvas *canvas;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GSettings *settings;       /* NULL: viridis */
  GSignalGroup *settings_signals;
  GCancellable *cancellable; /* the running map */

  /* The browser's jet */
  JxLundEmission *emissions;
  size_t n_emissions;
  gboolean have_lr;
  char *jet_title;           /* markup */

  /* The dataset's map and what it is of (borrowed pointers as keys) */
  JxLundMap *map;
  MapKey map_key;
  char *map_title;           /* markup */
  char *map_error;           /* why the map of map_key could not be made */
  gboolean busy;
  char *message;             /* shown instead of a figure when set */
  char *description;         /* the canvas's accessible description */
};

G_DEFINE_FINAL_TYPE (JxLundPage, jx_lund_page, GTK_TYPE_BOX)

static void
map_free (JxLundMap *map)
{
  if (map == NULL)
    return;
  jx_lund_map_free (map);
  g_free (map);
}

static void
map_task_free (MapTask *mt)
{
  g_clear_object (&mt->key.dataset);
  g_clear_object (&mt->key.a);
  g_clear_object (&mt->key.b);
  g_free (mt);
}

static JxLundView
current_view (JxLundPage *self)
{
  return (JxLundView) gtk_drop_down_get_selected (self->mode_dropdown);
}

static void
set_message (JxLundPage *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

static void
describe (JxLundPage *self, const char *text)
{
  g_free (self->description);
  self->description = g_strdup (text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
draw_figure (cairo_t *cr, JxRect rect, gpointer data)
{
  JxLundPage *self = data;
  JxLundStyle style;

  if (self->message != NULL)
    {
      jx_draw_message (cr, rect, self->message);
      return;
    }
  jx_lund_style_default (&style);
  style.colormap = jx_application_get_colormap (self->settings);
  if (current_view (self) == JX_LUND_VIEW_JET)
    {
      style.title = self->jet_title;
      jx_lund_draw_jet (cr, rect, self->emissions, self->n_emissions, &style, NULL);
    }
  else
    {
      style.title = self->map_title;
      jx_lund_draw_map (cr, rect, self->map, &style, NULL);
    }
}

static const char *
file_name (JxModelItem *item)
{
  const char *path = jx_model_item_get_path (item);
  const char *slash = path ? strrchr (path, '/') : NULL;

  return slash ? slash + 1 : path ? path : jx_model_item_get_title (item);
}

/* Why models A and B cannot colour the plane by their likelihood ratio (NULL: they can). */
static char *
lr_problem (JxModelItem *a, JxModelItem *b)
{
  const JxClusterOptions *ca, *cb;

  if (a == NULL || b == NULL)
    return g_strdup (_("choose models A and B to colour the emissions by log10 P_A/P_B"));
  ca = &jx_model_item_get_meta (a)->clustering;
  cb = &jx_model_item_get_meta (b)->clustering;
  if (ca->algorithm != JX_ALGO_CA || ca->metric != JX_METRIC_EE)
    return g_strdup (_("model A does not use C/A trees with the ee metric: its steps are not the "
                       "Lund plane's"));
  if (!jx_cluster_options_equal (ca, cb))
    return g_strdup (_("models A and B cluster differently: their steps are not on one tree"));
  return NULL;
}

/* ---- the browser's jet ---- */

static gboolean
jet_lr (JxModelItem *a, JxModelItem *b, const JxTree *tree, double *lr)
{
  JxModelItem *items[2] = { a, b };
  g_autofree JxStepScore *s0 = g_new0 (JxStepScore, tree->n);
  g_autofree JxStepScore *s1 = g_new0 (JxStepScore, tree->n);
  JxStepScore *scores[2] = { s0, s1 };

  for (int k = 0; k < 2; k++)
    {
      const JxModel *model = jx_model_item_get_model (items[k]);
      JxError err = { 0 };
      double log_p;
      if ((int) tree->n > jx_model_config (model)->max_mult
          || jx_model_log_prob (model, tree, scores[k], &log_p, NULL, &err) != 0)
        return FALSE;
    }
  jx_lund_step_lr (s0, s1, tree->n, lr);
  return TRUE;
}

static void
refresh_jet (JxLundPage *self)
{
  JxDatasetItem *ds = jx_session_get_dataset (self->session);
  JxModelItem *a = jx_session_get_model_a (self->session);
  JxModelItem *b = jx_session_get_model_b (self->session);
  int jet = jx_session_get_jet_index (self->session);
  g_autofree char *problem = lr_problem (a, b);
  g_autofree char *name = NULL;
  g_autofree double *lr = NULL;
  g_autofree char *desc = NULL;
  const JxP4 *p;
  size_t n = 0;
  JxClusterOptions co;
  JxTree tree = { 0 };
  JxError err = { 0 };
  double total = 0;

  g_clear_pointer (&self->emissions, g_free);
  g_clear_pointer (&self->jet_title, g_free);
  self->n_emissions = 0;
  self->have_lr = FALSE;
  if (jet < 0 || (size_t) jet >= jx_dataset_item_get_n_jets (ds))
    {
      set_message (self, _("Choose a jet in the jet browser"));
      return;
    }
  /* C/A with model A's subjet step, the same tree the models score when they are C/A. */
  if (a != NULL)
    co = jx_model_item_get_meta (a)->clustering;
  else
    jx_cluster_options_default (&co);
  co.algorithm = JX_ALGO_CA;
  co.metric = JX_METRIC_EE;
  p = jx_dataset_item_get_jet (ds, (gsize) jet, &n, &err);
  if (p == NULL || jx_jet_validate (p, n, jet, &err) != 0
      || jx_tree_build (&tree, p, n, &co, NULL, &err) != 0)
    {
      jx_tree_free (&tree);
      set_message (self, err.message);
      return;
    }
  lr = g_new (double, tree.n);
  if (problem == NULL && !jet_lr (a, b, &tree, lr))
    problem = g_strdup (_("the models cannot score this jet (too many particles)"));
  self->have_lr = problem == NULL;
  self->emissions = g_new (JxLundEmission, tree.n);
  self->n_emissions = jx_lund_primary (&tree, self->have_lr ? lr : NULL, self->emissions, tree.n);
  name = g_markup_escape_text (jx_dataset_item_get_title (ds), -1);
  if (self->have_lr)
    {
      g_autofree char *an = g_markup_escape_text (file_name (a), -1);
      g_autofree char *bn = g_markup_escape_text (file_name (b), -1);
      for (size_t t = 0; t < tree.n; t++)
        total += lr[t];
      self->jet_title = g_strdup_printf (_("jet %d of %s: %zu primary of %zu emissions (C/A)\n"
                                           "A = %s, B = %s: log<sub>10</sub> <i>P</i><sub>A</sub>/"
                                           "<i>P</i><sub>B</sub> = %.2f"), jet, name,
                                         self->n_emissions, tree.n - 1, an, bn, total);
      desc = g_strdup_printf ("lund jet: %d; emissions=%zu; lr=yes; total=%.17g; end=%.17g", jet,
                              self->n_emissions, total, lr[tree.n - 1]);
      double primary = 0;
      for (size_t i = 0; i < self->n_emissions; i++)
        primary += self->emissions[i].lr;
      g_autofree char *status = g_strdup_printf (_("jet %d: log10 P_A/P_B = %.3f = %.3f from %zu "
                                                   "primary emissions + %.3f from %zu secondary + "
                                                   "%.3f end term"), jet, total, primary,
                                                 self->n_emissions,
                                                 total - primary - lr[tree.n - 1],
                                                 tree.n - 1 - self->n_emissions, lr[tree.n - 1]);
      gtk_label_set_text (self->status_label, status);
    }
  else
    {
      self->jet_title = g_strdup_printf (_("jet %d of %s: %zu primary of %zu emissions (C/A)"), jet,
                                         name, self->n_emissions, tree.n - 1);
      desc = g_strdup_printf ("lund jet: %d; emissions=%zu; lr=no", jet, self->n_emissions);
      g_autofree char *status = g_strdup_printf (_("jet %d: %zu primary emissions; no colours: "
                                                   "%s"), jet, self->n_emissions, problem);
      gtk_label_set_text (self->status_label, status);
    }
  describe (self, desc);
  jx_tree_free (&tree);
}

/* ---- the dataset's map ---- */

static void
cancel_progress (GCancellable *cancellable, JxProgress *progress)
{
  jx_progress_cancel (progress);
}

static void
compute_map (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MapTask *mt = task_data;
  const JxDataset *data = jx_dataset_item_get_dataset (mt->key.dataset);
  JxDatasetStream *stream = NULL;
  JxLundMap *map;
  JxLundOptions opt;
  JxError err = { 0 };
  gulong id;
  int rc;

  /* The first MAP_MAX_JETS jets; a streamed file's chunk by chunk, on a stream of this
   * thread's own. */
  if (data == NULL && (stream = jx_dataset_item_open_stream (mt->key.dataset, &err)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return;
    }
  map = g_new0 (JxLundMap, 1);
  jx_lund_options_default (&opt);
  opt.last = MIN (jx_dataset_item_get_n_jets (mt->key.dataset), MAP_MAX_JETS);
  opt.threads = 1;   /* a page's background work: one core, the rest for the user's jobs */
  jx_progress_init (&mt->progress, NULL, NULL);
  id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_progress), &mt->progress, NULL);
  if (stream != NULL)
    rc = jx_lund_map_build_stream (map, jx_model_item_get_model (mt->key.a),
                                   jx_model_item_get_model (mt->key.b), stream, &mt->clustering,
                                   &opt, &mt->progress, &err);
  else
    rc = jx_lund_map_build (map, jx_model_item_get_model (mt->key.a),
                            jx_model_item_get_model (mt->key.b), data, &mt->clustering, &opt,
                            &mt->progress, &err);
  g_cancellable_disconnect (cancellable, id);
  jx_dataset_stream_close (stream);
  if (rc != 0)
    {
      map_free (map);
      if (rc == JX_ERR_CANCELLED)
        g_task_return_error_if_cancelled (task);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return;
    }
  g_task_return_pointer (task, map, (GDestroyNotify) map_free);
}

static void refresh (JxLundPage *self);

static gboolean
key_current (JxLundPage *self, const MapKey *key)
{
  return self->session != NULL && key->dataset == jx_session_get_dataset (self->session)
         && key->a == jx_session_get_model_a (self->session)
         && key->b == jx_session_get_model_b (self->session);
}

static void
map_done (GObject *source, GAsyncResult *result, gpointer data)
{
  JxLundPage *self = data;   /* a reference held by the task */
  g_autoptr (GError) error = NULL;
  JxLundMap *map = g_task_propagate_pointer (G_TASK (result), &error);
  MapTask *mt = g_task_get_task_data (G_TASK (result));

  if (map == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (key_current (self, &mt->key))
    {
      map_free (self->map);
      self->map = map;
      self->map_key = (MapKey) { mt->key.dataset, mt->key.a, mt->key.b };
      g_clear_pointer (&self->map_error, g_free);
      if (map == NULL)
        self->map_error = g_strdup (error->message);
      self->busy = FALSE;
      g_clear_object (&self->cancellable);
      refresh (self);
    }
  else
    map_free (map);
  g_object_unref (self);
}

static void
start_map (JxLundPage *self, JxDatasetItem *ds, JxModelItem *a, JxModelItem *b)
{
  MapTask *mt = g_new0 (MapTask, 1);
  GTask *task;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = TRUE;
  mt->key = (MapKey) { g_object_ref (ds), g_object_ref (a), g_object_ref (b) };
  mt->clustering = jx_model_item_get_meta (a)->clustering;
  task = g_task_new (NULL, self->cancellable, map_done, g_object_ref (self));
  g_task_set_source_tag (task, start_map);
  g_task_set_task_data (task, mt, (GDestroyNotify) map_task_free);
  g_task_run_in_thread (task, compute_map);
  g_object_unref (task);
}

static void
refresh_map (JxLundPage *self)
{
  JxDatasetItem *ds = jx_session_get_dataset (self->session);
  JxModelItem *a = jx_session_get_model_a (self->session);
  JxModelItem *b = jx_session_get_model_b (self->session);
  g_autofree char *problem = lr_problem (a, b);
  char line[256];
  g_autofree char *desc = NULL;

  if (problem != NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("No map: %s"), problem);
      set_message (self, msg);
      return;
    }
  if (self->map_error != NULL && key_current (self, &self->map_key))
    {
      g_autofree char *msg = g_strdup_printf (_("No map: %s"), self->map_error);
      set_message (self, msg);
      return;
    }
  if (self->map == NULL || !key_current (self, &self->map_key))
    {
      g_autofree char *msg = g_strdup_printf (_("Computing the Lund map of %zu jets…"),
                                              MIN (jx_dataset_item_get_n_jets (ds), MAP_MAX_JETS));
      set_message (self, msg);
      describe (self, "lund: computing");
      gtk_label_set_text (self->status_label, msg);
      if (!self->busy)
        start_map (self, ds, a, b);
      return;
    }
  {
    g_autofree char *name = g_markup_escape_text (jx_dataset_item_get_title (ds), -1);
    g_autofree char *an = g_markup_escape_text (file_name (a), -1);
    g_autofree char *bn = g_markup_escape_text (file_name (b), -1);
    g_free (self->map_title);
    self->map_title = g_strdup_printf (_("%s: %zu jets, primary Lund plane (C/A); A = %s, B = %s"),
                                       name, self->map->n_jets, an, bn);
  }
  jx_lund_map_summary (self->map, line, sizeof line);
  gtk_label_set_text (self->status_label, line);
  {
    double bins = 0;
    for (int i = 0; i < self->map->grid.nx * self->map->grid.ny; i++)
      bins += jx_lund_map_attribution (self->map, i);
    desc = g_strdup_printf ("lund map: jets=%zu; attributed=%.17g; mean=%.17g; bins=%.17g; "
                            "secondary=%.17g; end=%.17g; outside=%.17g", self->map->n_jets,
                            jx_lund_map_attributed_mean (self->map),
                            jx_lund_map_mean_total (self->map), bins,
                            jx_lund_map_cell_attribution (self->map, JX_LUND_SECONDARY),
                            jx_lund_map_cell_attribution (self->map, JX_LUND_END),
                            jx_lund_map_cell_attribution (self->map, JX_LUND_OUTSIDE));
  }
  describe (self, desc);
}

static void
refresh (JxLundPage *self)
{
  set_message (self, NULL);
  if (self->session == NULL || jx_session_get_dataset (self->session) == NULL)
    set_message (self, _("Open a dataset in the library to see its Lund plane"));
  else if (current_view (self) == JX_LUND_VIEW_JET)
    refresh_jet (self);
  else
    refresh_map (self);
  if (self->message != NULL)
    {
      g_autofree char *desc = g_strdup_printf ("lund: %s", self->message);
      if (!self->busy || current_view (self) == JX_LUND_VIEW_JET)
        {
          describe (self, desc);
          gtk_label_set_text (self->status_label, self->message);
        }
    }
  jx_figure_canvas_invalidate (self->canvas);
}

static void
on_inputs_changed (JxLundPage *self)
{
  /* A running map is of the old inputs. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->busy = FALSE;
  refresh (self);
}

static void
on_mode_selected (JxLundPage *self)
{
  refresh (self);
}

static void
on_export_clicked (JxLundPage *self)
{
  /* The window's export: a file chooser, then a toast with the outcome. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.export", NULL);
}

static void
on_colormap_changed (JxLundPage *self)
{
  jx_figure_canvas_invalidate (self->canvas);
}

static void
jx_lund_page_dispose (GObject *object)
{
  JxLundPage *self = JX_LUND_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  if (self->settings_signals != NULL)
    g_signal_group_set_target (self->settings_signals, NULL);
  g_clear_object (&self->settings_signals);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_LUND_PAGE);

  G_OBJECT_CLASS (jx_lund_page_parent_class)->dispose (object);
}

static void
jx_lund_page_finalize (GObject *object)
{
  JxLundPage *self = JX_LUND_PAGE (object);

  g_free (self->emissions);
  g_free (self->jet_title);
  g_free (self->map_title);
  g_free (self->map_error);
  g_free (self->message);
  g_free (self->description);
  map_free (self->map);

  G_OBJECT_CLASS (jx_lund_page_parent_class)->finalize (object);
}

static void
jx_lund_page_class_init (JxLundPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_lund_page_dispose;
  object_class->finalize = jx_lund_page_finalize;

  g_type_ensure (JX_TYPE_FIGURE_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-lund-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JxLundPage, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxLundPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, JxLundPage, canvas);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
jx_lund_page_init (JxLundPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jx_figure_canvas_set_draw_func (self->canvas, draw_figure, self, NULL);

  self->session_signals = g_signal_group_new (JX_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset",
                                  G_CALLBACK (on_inputs_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-a",
                                  G_CALLBACK (on_inputs_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-b",
                                  G_CALLBACK (on_inputs_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::jet-index",
                                  G_CALLBACK (refresh), self);
  self->settings_signals = g_signal_group_new (G_TYPE_SETTINGS);
  g_signal_group_connect_swapped (self->settings_signals, "changed::colormap",
                                  G_CALLBACK (on_colormap_changed), self);
  refresh (self);
}

GtkWidget *
jx_lund_page_new (void)
{
  return g_object_new (JX_TYPE_LUND_PAGE, NULL);
}

void
jx_lund_page_set_session (JxLundPage *self, JxSession *session)
{
  g_return_if_fail (JX_IS_LUND_PAGE (self));
  g_return_if_fail (session == NULL || JX_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  on_inputs_changed (self);
}

void
jx_lund_page_set_settings (JxLundPage *self, GSettings *settings)
{
  g_return_if_fail (JX_IS_LUND_PAGE (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;
  g_signal_group_set_target (self->settings_signals, settings);
  on_colormap_changed (self);
}

void
jx_lund_page_set_view (JxLundPage *self, JxLundView view)
{
  g_return_if_fail (JX_IS_LUND_PAGE (self));

  gtk_drop_down_set_selected (self->mode_dropdown, view);
}

gboolean
jx_lund_page_get_busy (JxLundPage *self)
{
  g_return_val_if_fail (JX_IS_LUND_PAGE (self), FALSE);

  return self->busy;
}

const char *
jx_lund_page_get_description (JxLundPage *self)
{
  g_return_val_if_fail (JX_IS_LUND_PAGE (self), NULL);

  return self->description;
}

gboolean
jx_lund_page_export (JxLundPage *self, const char *path, GError **error)
{
  g_return_val_if_fail (JX_IS_LUND_PAGE (self), FALSE);

  return jx_figure_canvas_export (self->canvas, path, error);
}
