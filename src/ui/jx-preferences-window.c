/* jx-preferences-window.c — settings bound with g_settings_bind; combo rows map to string
 * keys through their selected index. */
#define G_LOG_DOMAIN "jx-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jx-application.h"
#include "jx-preferences-window.h"

struct _JxPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Template Widgets */
  GtkSpinButton *threads_spin;
  AdwComboRow *algorithm_row;
  GtkSpinButton *esub_spin;
  GtkSpinButton *rsub_spin;
  GtkSpinButton *e_jet_spin;
  GtkSpinButton *e_sub_spin;
  GtkSpinButton *r_jet_spin;
  GtkSpinButton *r_sub_spin;
  AdwComboRow *colormap_row;
  GtkSpinButton *text_scale_spin;

  /* Owned References */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (JxPreferencesWindow, jx_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *const algorithms[] = { "ca", "kt", "antikt", "printer", NULL };
static const char *const colormaps[] = { "viridis", "greys", NULL };

static gboolean
index_from_string (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *const *names = user_data;
  const char *s = g_variant_get_string (variant, NULL);

  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (names[i], s) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
string_from_index (const GValue *value, const GVariantType *type, gpointer user_data)
{
  const char *const *names = user_data;
  guint i = g_value_get_uint (value);

  if (i >= g_strv_length ((char **) names))
    i = 0;
  return g_variant_new_string (names[i]);
}

static void
jx_preferences_window_dispose (GObject *object)
{
  JxPreferencesWindow *self = JX_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (jx_preferences_window_parent_class)->dispose (object);
}

static void
jx_preferences_window_class_init (JxPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, threads_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, algorithm_row);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, esub_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, rsub_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, e_jet_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, e_sub_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, r_jet_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, r_sub_spin);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, colormap_row);
  gtk_widget_class_bind_template_child (widget_class, JxPreferencesWindow, text_scale_spin);
}

static void
jx_preferences_window_init (JxPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = jx_application_dup_settings ();
  if (self->settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      return;
    }
  g_settings_bind (self->settings, "threads", self->threads_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "esub", self->esub_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "rsub", self->rsub_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "scaling-e-jet", self->e_jet_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "scaling-e-sub", self->e_sub_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "scaling-r-jet", self->r_jet_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "scaling-r-sub", self->r_sub_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "text-scale", self->text_scale_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "clustering-algorithm", self->algorithm_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, index_from_string,
                                string_from_index, (gpointer) algorithms, NULL);
  g_settings_bind_with_mapping (self->settings, "colormap", self->colormap_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, index_from_string,
                                string_from_index, (gpointer) colormaps, NULL);
}

GtkWindow *
jx_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (JX_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", TRUE, NULL);
}
