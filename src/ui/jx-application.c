/* jx-application.c — app actions (quit, preferences, about), accelerators, and startup: files
 * on the command line are opened, otherwise the demo is loaded. */
#define G_LOG_DOMAIN "jx-application"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-application.h"
#include "jx-preferences-window.h"
#include "jx-window-private.h"

struct _JxApplication
{
  AdwApplication parent_instance;
  gboolean no_demo;
};

G_DEFINE_FINAL_TYPE (JxApplication, jx_application, ADW_TYPE_APPLICATION)

static gboolean test_mode;
static gint64 start_time;

gboolean
jx_application_get_test_mode (void)
{
  return test_mode;
}

gint64
jx_application_get_start_time (void)
{
  return start_time;
}

void
jx_application_set_start_time (gint64 t)
{
  start_time = t;
}

GSettings *
jx_application_dup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, JX_APP_ID, TRUE);
  if (schema == NULL)
    {
      /* Run from the build tree: the schema compiled by meson next to it. */
      g_autoptr (GSettingsSchemaSource) build = NULL;
      build = g_settings_schema_source_new_from_directory (JX_BUILD_SCHEMA_DIR, source, FALSE, NULL);
      if (build != NULL)
        schema = g_settings_schema_source_lookup (build, JX_APP_ID, FALSE);
    }
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

JxColormap
jx_application_get_colormap (GSettings *settings)
{
  g_autofree char *name = NULL;
  int map;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), JX_CMAP_VIRIDIS);

  if (settings == NULL)
    return JX_CMAP_VIRIDIS;
  name = g_settings_get_string (settings, "colormap");
  map = jx_colormap_parse (name);
  /* The schema offers only names jx_colormap_parse knows; one written by a newer version
   * (same schema id, more choices) falls back rather than failing. */
  return map >= 0 ? (JxColormap) map : JX_CMAP_VIRIDIS;
}

static JxWindow *
ensure_window (JxApplication *self, gboolean *created)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  *created = window == NULL;
  if (window == NULL)
    window = GTK_WINDOW (jx_window_new (GTK_APPLICATION (self)));
  gtk_window_present (window);
  return JX_WINDOW (window);
}

static void
jx_application_activate (GApplication *app)
{
  JxApplication *self = JX_APPLICATION (app);
  gboolean created;
  JxWindow *window = ensure_window (self, &created);

  if (created && !self->no_demo)
    jx_window_load_demo (window);
}

static void
jx_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  gboolean created;
  JxWindow *window = ensure_window (JX_APPLICATION (app), &created);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      if (path != NULL)
        jx_window_open_path (window, path);
    }
}

static int
jx_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  JxApplication *self = JX_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("junipr-explorer %s\n", JX_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "test-mode"))
    test_mode = TRUE;
  if (g_variant_dict_contains (options, "no-demo"))
    self->no_demo = TRUE;
  return -1;
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Closing the windows cancels their jobs; workers finish before the process ends. */
  while (windows != NULL)
    {
      gtk_window_destroy (windows->data);
      windows = gtk_application_get_windows (app);
    }
}

static void
preferences_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWindow *prefs = jx_preferences_window_new (parent);

  gtk_window_present (prefs);
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  static const char *developers[] = { "Junipr Explorer contributors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Junipr Explorer"),
                        "application-icon", JX_APP_ID,
                        "version", JX_VERSION,
                        "developer-name", _("Junipr Explorer contributors"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Look inside JUNIPR models of jets: per-branching "
                                      "probabilities on clustering trees, likelihood ratios, "
                                      "sampled showers and reweighting (Andreassen, Feige, "
                                      "Frye, Schwartz, arXiv:1804.09720)."),
                        "website", "https://github.com/junipr/explorer",
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
  /* The icon comes from the resources when the app runs uninstalled (jx-resources). */
  if (JX_IS_WINDOW (parent))
    _jx_window_test_log (JX_WINDOW (parent), "about icon=%s found=%d", JX_APP_ID,
                         gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (
                                                    gtk_widget_get_display (about)), JX_APP_ID));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "about", .activate = about_action },
};

static void
jx_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (jx_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help_accels);
}

static void
jx_application_class_init (JxApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = jx_application_activate;
  app_class->open = jx_application_open;
  app_class->startup = jx_application_startup;
  app_class->handle_local_options = jx_application_handle_local_options;
}

static void
jx_application_init (JxApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { "test-mode", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print frame timings and job events on stdout (for GUI tests)"), NULL },
    { "no-demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start without the demo"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

JxApplication *
jx_application_new (void)
{
  return g_object_new (JX_TYPE_APPLICATION,
                       "application-id", JX_APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/junipr/Explorer",
                       NULL);
}
