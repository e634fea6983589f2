/* jx-window-actions.c — the window's actions (win.*): open, recent files, new jobs, export of
 * the current figure, the sidebar, jet navigation, page switching. Key bindings are in
 * _jx_window_class_actions_init, application accelerators in jx-application.c. */
#define G_LOG_DOMAIN "jx-window"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-help-window.h"
#include "jx-job-dialog.h"
#include "jx-image-page.h"
#include "jx-lund-page.h"
#include "jx-plots-page.h"
#include "jx-shower-page.h"
#include "jx-tree-page.h"
#include "jx-window-private.h"

static void
on_open_response (GtkNativeDialog *dialog, int response, JxWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint n = g_list_model_get_n_items (files);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i);
          g_autofree char *path = g_file_get_path (file);
          if (path != NULL)
            jx_window_open_path (self, path);
        }
    }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  JxWindow *self = JX_WINDOW (widget);
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter;

  dialog = gtk_file_chooser_native_new (_("Open Dataset or Model"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Datasets, models and jet files"));
  /* Other programs' jets are imported on opening (jx_task_load). */
  for (const char *const *p = (const char *const[]) { "*.h5", "*.hdf5", "*.json", "*.npz",
                                                      "*.hepmc", "*.hepmc3", "*.txt", NULL };
       *p != NULL; p++)
    gtk_file_filter_add_pattern (filter, *p);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_path_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  jx_window_open_path (JX_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
demo_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  jx_window_load_demo (JX_WINDOW (widget));
}

static void
new_job_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  JxWindow *self = JX_WINDOW (widget);
  const char *kind = g_variant_get_string (param, NULL);
  GtkWindow *dialog = jx_job_dialog_new (self, kind);

  if (dialog != NULL)
    gtk_window_present (dialog);
}

static void
cancel_jobs_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  JxWindow *self = JX_WINDOW (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (JxJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      jx_job_cancel (job);
    }
}

static void
toggle_sidebar_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  JxWindow *self = JX_WINDOW (widget);
  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

/* win.reveal-sidebar(true|false): the help's tour shows or uncovers a place; a folded sidebar
 * over the pages is hidden again when the tour points at a page. */
static void
reveal_sidebar_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  JxWindow *self = JX_WINDOW (widget);
  gboolean reveal = g_variant_get_boolean (param);

  if (reveal || adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, reveal);
}

static void
help_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtkWindow *help = jx_help_window_new (GTK_WINDOW (widget), g_variant_get_string (param, NULL));

  gtk_window_present (help);
  _jx_window_test_log (JX_WINDOW (widget), "help page=%s", g_variant_get_string (param, NULL));
}

static void
jet_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  JxWindow *self = JX_WINDOW (widget);
  jx_jet_browser_step (self->jet_browser, g_str_equal (action_name, "win.next-jet") ? 1 : -1);
}

static void
find_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  jx_jet_browser_focus_filter (JX_WINDOW (widget)->jet_browser);
}

static void
page_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  JxWindow *self = JX_WINDOW (widget);
  adw_view_stack_set_visible_child_name (self->page_stack, g_variant_get_string (param, NULL));
  _jx_window_test_log (self, "page %s", g_variant_get_string (param, NULL));
}

/* Export goes through the page's own export (the same src/draw code as `junipr render`). */
static gboolean
export_current (JxWindow *self, const char *path, GError **error)
{
  const char *page = adw_view_stack_get_visible_child_name (self->page_stack);

  if (g_strcmp0 (page, "tree") == 0)
    return jx_tree_page_export (JX_TREE_PAGE (self->tree_page), path, error);
  if (g_strcmp0 (page, "image") == 0)
    return jx_image_page_export (JX_IMAGE_PAGE (self->image_page), path, error);
  if (g_strcmp0 (page, "shower") == 0)
    return jx_shower_page_export (JX_SHOWER_PAGE (self->shower_page), path, error);
  if (g_strcmp0 (page, "lund") == 0)
    return jx_lund_page_export (JX_LUND_PAGE (self->lund_page), path, error);
  if (g_strcmp0 (page, "plots") == 0)
    return jx_plots_page_export (JX_PLOTS_PAGE (self->plots_page), path, error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("The %s page has no figure to export"), page != NULL ? page : "?");
  return FALSE;
}

static void
on_export_response (GtkNativeDialog *dialog, int response, JxWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;

      if (path != NULL && export_current (self, path, &error))
        text = g_strdup_printf (_("Saved %s"), path);
      else
        text = g_strdup_printf (_("Export failed: %s"),
                                error != NULL ? error->message : _("not a local file"));
      _jx_window_toast (self, text, error != NULL ? 15 : 5);
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  JxWindow *self = JX_WINDOW (widget);
  GtkFileChooserNative *dialog;
  const char *page = adw_view_stack_get_visible_child_name (self->page_stack);
  g_autofree char *name = g_strdup_printf ("%s.png", page != NULL ? page : "figure");

  /* Tests and scripts export without a dialog: win.export-to("/path/file.png"). */
  dialog = gtk_file_chooser_native_new (_("Export Figure"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_to_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  JxWindow *self = JX_WINDOW (widget);
  const char *path = g_variant_get_string (param, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (export_current (self, path, &error))
    text = g_strdup_printf (_("Saved %s"), path);
  else
    text = g_strdup_printf (_("Export failed: %s"), error->message);
  _jx_window_toast (self, text, error != NULL ? 15 : 5);
}

void
_jx_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-path", "s", open_path_action);
  gtk_widget_class_install_action (widget_class, "win.demo", NULL, demo_action);
  gtk_widget_class_install_action (widget_class, "win.new-job", "s", new_job_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-jobs", NULL, cancel_jobs_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.reveal-sidebar", "b", reveal_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.help", "s", help_action);
  gtk_widget_class_install_action (widget_class, "win.next-jet", NULL, jet_action);
  gtk_widget_class_install_action (widget_class, "win.previous-jet", NULL, jet_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-to", "s", export_to_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.help", "s", "junipr");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "win.next-jet", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.previous-jet", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.new-job", "s", "train");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.new-job", "s", "generate");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.page", "s", "tree");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.page", "s", "image");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.page", "s", "shower");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.page", "s", "plots");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.page", "s", "lund");
}
