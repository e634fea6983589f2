/* jx-window.c — the main window: construction, library, pages, drag and drop.
 * Jobs live in jx-window-jobs.c, actions in jx-window-actions.c, the --test-mode
 * instrumentation in jx-window-test.c. */
#define G_LOG_DOMAIN "jx-window"

#include "config.h"

#include <glib/gi18n.h>
#include "jx-application.h"
#include "jx-job-row.h"
#include "jx-library-row.h"
#include "jx-window-private.h"
#include "jx-image-page.h"
#include "jx-plots-page.h"
#include "jx-lund-page.h"
#include "jx-shower-page.h"
#include "jx-tree-page.h"

G_DEFINE_FINAL_TYPE (JxWindow, jx_window, ADW_TYPE_APPLICATION_WINDOW)

static void
add_pages (JxWindow *self)
{
  AdwViewStackPage *page;

  self->tree_page = g_object_new (JX_TYPE_TREE_PAGE, NULL);
  jx_tree_page_set_session (JX_TREE_PAGE (self->tree_page), self->session);
  jx_tree_page_set_settings (JX_TREE_PAGE (self->tree_page), self->settings);
  self->image_page = g_object_new (JX_TYPE_IMAGE_PAGE, NULL);
  jx_image_page_set_session (JX_IMAGE_PAGE (self->image_page), self->session);
  jx_image_page_set_settings (JX_IMAGE_PAGE (self->image_page), self->settings);
  self->shower_page = g_object_new (JX_TYPE_SHOWER_PAGE, NULL);
  jx_shower_page_set_session (JX_SHOWER_PAGE (self->shower_page), self->session);
  jx_shower_page_set_settings (JX_SHOWER_PAGE (self->shower_page), self->settings);
  self->plots_page = g_object_new (JX_TYPE_PLOTS_PAGE, NULL);
  jx_plots_page_set_session (JX_PLOTS_PAGE (self->plots_page), self->session);
  self->lund_page = g_object_new (JX_TYPE_LUND_PAGE, NULL);
  jx_lund_page_set_session (JX_LUND_PAGE (self->lund_page), self->session);
  jx_lund_page_set_settings (JX_LUND_PAGE (self->lund_page), self->settings);

  page = adw_view_stack_add_titled (self->page_stack, self->tree_page, "tree", _("Tree"));
  adw_view_stack_page_set_icon_name (page, "view-app-grid-symbolic");
  page = adw_view_stack_add_titled (self->page_stack, self->image_page, "image", _("Image"));
  adw_view_stack_page_set_icon_name (page, "image-x-generic-symbolic");
  page = adw_view_stack_add_titled (self->page_stack, self->shower_page, "shower", _("Shower"));
  adw_view_stack_page_set_icon_name (page, "media-playback-start-symbolic");
  page = adw_view_stack_add_titled (self->page_stack, self->plots_page, "plots", _("Plots"));
  adw_view_stack_page_set_icon_name (page, "x-office-spreadsheet-symbolic");
  page = adw_view_stack_add_titled (self->page_stack, self->lund_page, "lund", _("Lund"));
  adw_view_stack_page_set_icon_name (page, "view-grid-symbolic");
}

/* ---- library ---- */

static GtkWidget *
create_library_row (gpointer item, gpointer user_data)
{
  JxWindow *self = user_data;
  return jx_library_row_new (G_OBJECT (item), self->session);
}

static void
on_library_row_activated (GtkListBox *box, GtkListBoxRow *row, JxWindow *self)
{
  JxLibraryRow *lrow = JX_LIBRARY_ROW (gtk_list_box_row_get_child (row));
  GObject *item = jx_library_row_get_item (lrow);

  if (JX_IS_DATASET_ITEM (item))
    jx_session_set_dataset (self->session, JX_DATASET_ITEM (item));
  else if (JX_IS_MODEL_ITEM (item) && jx_session_get_model_a (self->session) == NULL)
    jx_session_set_model_a (self->session, JX_MODEL_ITEM (item));
}

static void
select_current_dataset_row (JxWindow *self)
{
  JxDatasetItem *ds = jx_session_get_dataset (self->session);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->library));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (self->library), i);
      if (item == (GObject *) ds)
        {
          gtk_list_box_select_row (self->library_list,
                                   gtk_list_box_get_row_at_index (self->library_list, i));
          return;
        }
    }
}

static void
on_session_dataset (JxSession *session, GParamSpec *pspec, JxWindow *self)
{
  select_current_dataset_row (self);
  _jx_window_update_scores (self);
}

gboolean
_jx_window_same_clustering (JxModelItem *a, JxModelItem *b)
{
  const JxClusterOptions *ca = &jx_model_item_get_meta (a)->clustering;
  const JxClusterOptions *cb = &jx_model_item_get_meta (b)->clustering;
  return jx_cluster_options_equal (ca, cb);
}

static void
on_session_models (JxSession *session, GParamSpec *pspec, JxWindow *self)
{
  JxModelItem *a = jx_session_get_model_a (session);
  JxModelItem *b = jx_session_get_model_b (session);

  if (a != NULL && b != NULL && !_jx_window_same_clustering (a, b))
    {
      const JxClusterOptions *ca = &jx_model_item_get_meta (a)->clustering;
      const JxClusterOptions *cb = &jx_model_item_get_meta (b)->clustering;
      g_autofree char *msg = g_strdup_printf (
        _("Models A and B use different clusterings (%s vs %s): the per-jet log LR is "
          "shown, the per-node LR is not; pick models trained on the same clustering"),
        jx_algorithm_name (ca->algorithm), jx_algorithm_name (cb->algorithm));
      _jx_window_toast_full (self, msg, 10, ADW_TOAST_PRIORITY_HIGH);
    }
  _jx_window_update_scores (self);
}

static void
on_session_jet (JxSession *session, GParamSpec *pspec, JxWindow *self)
{
  const JxTree *tree = jx_session_get_tree (session);
  int jet = jx_session_get_jet_index (session);
  g_autofree char *text = NULL;

  if (jet < 0)
    text = g_strdup (_("No jet selected"));
  else if (tree == NULL)
    text = g_strdup_printf (_("Jet %d: %s"), jet, jx_session_get_tree_error (session));
  else
    text = g_strdup_printf (_("Jet %d · %zu particles after the subjet step"), jet, tree->n);
  gtk_label_set_text (self->status_label, text);
  _jx_window_test_log (self, "jet %d", jet);
}

/* ---- recent files and window size ---- */

static void
rebuild_recent (JxWindow *self)
{
  g_auto (GStrv) recent = g_settings_get_strv (self->settings, "recent-files");

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (recent[i]);
      g_autoptr (GMenuItem) item = g_menu_item_new (base, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-path",
                                               g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
on_recent_changed (GSettings *settings, const char *key, JxWindow *self)
{
  rebuild_recent (self);
}

static gboolean
on_close_request (GtkWindow *window, gpointer user_data)
{
  JxWindow *self = JX_WINDOW (window);
  int w, h;

  if (self->settings != NULL && !gtk_window_is_maximized (window))
    {
      gtk_window_get_default_size (window, &w, &h);
      g_settings_set_int (self->settings, "window-width", w);
      g_settings_set_int (self->settings, "window-height", h);
    }
  if (self->settings != NULL)
    g_settings_set_int (self->settings, "browser-width",
                        gtk_paned_get_position (self->browser_paned));
  return FALSE;
}

/* ---- the sidebar ---- */

static void
on_flap_revealed (AdwFlap *flap, GParamSpec *pspec, JxWindow *self)
{
  _jx_window_test_log (self, "sidebar shown=%d folded=%d", adw_flap_get_reveal_flap (flap),
                       adw_flap_get_folded (flap));
}

/* Below this window width the sidebar folds over the pages (shown on demand, F9): beside it the
 * jet browser and a page only get their minimum widths, and the Tree page's stage became too
 * small to teach with at 1024x700. AdwFlap's own automatic fold waits until the minimums no
 * longer fit, which the pages' wrapping toolbars put below 1024 px. */
#define FOLD_BELOW_WIDTH 1280

static gboolean
apply_fold_policy (gpointer data)
{
  JxWindow *self = data;

  self->fold_idle = 0;
  adw_flap_set_fold_policy (self->flap, self->fold_wanted);
  return G_SOURCE_REMOVE;
}

/* The policy changes after the frame: set during the surface's layout it queued a resize the
 * frame clock never served, and the window stopped drawing. */
static void
on_surface_layout (GdkSurface *surface, int width, int height, JxWindow *self)
{
  self->fold_wanted = width < FOLD_BELOW_WIDTH ? ADW_FLAP_FOLD_POLICY_ALWAYS
                                               : ADW_FLAP_FOLD_POLICY_AUTO;
  if (adw_flap_get_fold_policy (self->flap) != self->fold_wanted && self->fold_idle == 0)
    self->fold_idle = g_idle_add (apply_fold_policy, self);
}

static void
on_realize (GtkWidget *widget, JxWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (widget));
  g_signal_connect_object (surface, "layout", G_CALLBACK (on_surface_layout), self, 0);
}

/* ---- drag and drop ---- */

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, JxWindow *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);
      if (path != NULL)
        jx_window_open_path (self, path);
    }
  g_slist_free (files);
  return TRUE;
}

/* ---- GObject ---- */

static void
jx_window_dispose (GObject *object)
{
  JxWindow *self = JX_WINDOW (object);
  g_clear_handle_id (&self->fold_idle, g_source_remove);
  guint n = self->jobs != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->jobs)) : 0;

  /* Workers finish on their own (they hold references); ask them to stop early. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (JxJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      jx_job_cancel (job);
      g_signal_handlers_disconnect_by_data (job, self);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_WINDOW);
  g_clear_object (&self->training_job);
  g_clear_pointer (&self->test, _jx_window_test_free);
  g_clear_object (&self->library);
  g_clear_object (&self->jobs);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->recent_menu);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (jx_window_parent_class)->dispose (object);
}

static void
jx_window_class_init (JxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_window_dispose;

  g_type_ensure (JX_TYPE_JET_BROWSER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JxWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, browser_paned);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, library_list);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, jobs_list);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, jet_browser);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, JxWindow, primary_menu_button);
  gtk_widget_class_bind_template_callback (widget_class, on_library_row_activated);

  _jx_window_class_actions_init (widget_class);
}

static GtkWidget *
create_job_row (gpointer item, gpointer user_data)
{
  return jx_job_row_new (JX_JOB (item));
}

static void
jx_window_init (JxWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = jx_session_new ();
  self->library = g_list_store_new (G_TYPE_OBJECT);
  self->jobs = g_list_store_new (JX_TYPE_JOB);
  self->settings = jx_application_dup_settings ();

  if (self->settings != NULL)
    {
      JxClusterOptions opt;
      g_autofree char *algo = g_settings_get_string (self->settings, "clustering-algorithm");
      jx_cluster_options_default (&opt);
      jx_algorithm_parse (algo, &opt.algorithm, NULL);
      opt.esub = g_settings_get_double (self->settings, "esub");
      opt.rsub = g_settings_get_double (self->settings, "rsub");
      jx_session_set_default_clustering (self->session, &opt);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      gtk_paned_set_position (self->browser_paned,
                              g_settings_get_int (self->settings, "browser-width"));
    }

  gtk_list_box_bind_model (self->library_list, G_LIST_MODEL (self->library),
                           create_library_row, self, NULL);
  gtk_list_box_bind_model (self->jobs_list, G_LIST_MODEL (self->jobs),
                           create_job_row, self, NULL);
  jx_jet_browser_set_session (self->jet_browser, self->session);
  add_pages (self);

  g_signal_connect (self->session, "notify::dataset", G_CALLBACK (on_session_dataset), self);
  g_signal_connect (self->session, "notify::model-a", G_CALLBACK (on_session_models), self);
  g_signal_connect (self->session, "notify::model-b", G_CALLBACK (on_session_models), self);
  g_signal_connect (self->session, "notify::jet-index", G_CALLBACK (on_session_jet), self);
  g_signal_connect (self->session, "run-job", G_CALLBACK (_jx_window_run_job), self);
  jx_session_set_threads (self->session, _jx_window_get_threads (self));
  if (self->settings != NULL)
    g_settings_bind (self->settings, "threads", self->session, "threads", G_SETTINGS_BIND_GET);

  self->recent_menu = g_menu_new ();
  if (self->settings != NULL)
    {
      GMenuModel *primary = gtk_menu_button_get_menu_model (self->primary_menu_button);
      g_autoptr (GMenu) section = g_menu_new ();
      g_menu_append_submenu (section, _("Open _Recent"), G_MENU_MODEL (self->recent_menu));
      g_menu_insert_section (G_MENU (primary), 1, NULL, G_MENU_MODEL (section));
      g_signal_connect (self->settings, "changed::recent-files", G_CALLBACK (on_recent_changed), self);
      rebuild_recent (self);
    }
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
  g_signal_connect (self->flap, "notify::reveal-flap", G_CALLBACK (on_flap_revealed), self);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  _jx_window_test_init (self);
}

JxWindow *
jx_window_new (GtkApplication *application)
{
  return g_object_new (JX_TYPE_WINDOW, "application", application, NULL);
}

JxSession *
jx_window_get_session (JxWindow *self)
{
  g_return_val_if_fail (JX_IS_WINDOW (self), NULL);
  return self->session;
}

gboolean
jx_window_is_busy (JxWindow *self)
{
  guint n;

  g_return_val_if_fail (JX_IS_WINDOW (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (JxJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      if (jx_job_is_running (job))
        return TRUE;
    }
  return FALSE;
}
