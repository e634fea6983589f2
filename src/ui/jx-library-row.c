/* jx-library-row.c — one library entry. */
#define G_LOG_DOMAIN "jx-library-row"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jx-library-row.h"

struct _JxLibraryRow
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkImage *icon;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkToggleButton *a_button;
  GtkToggleButton *b_button;

  /* Owned References */
  GObject *item;
  JxSession *session;
  gboolean syncing;
};

G_DEFINE_FINAL_TYPE (JxLibraryRow, jx_library_row, GTK_TYPE_BOX)

static void
sync_toggles (JxLibraryRow *self)
{
  if (!JX_IS_MODEL_ITEM (self->item))
    return;
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->a_button,
                                (GObject *) jx_session_get_model_a (self->session) == self->item);
  gtk_toggle_button_set_active (self->b_button,
                                (GObject *) jx_session_get_model_b (self->session) == self->item);
  self->syncing = FALSE;
}

static void
on_session_models (JxSession *session, GParamSpec *pspec, JxLibraryRow *self)
{
  sync_toggles (self);
}

static void
on_a_toggled (GtkToggleButton *button, JxLibraryRow *self)
{
  if (self->syncing)
    return;
  jx_session_set_model_a (self->session, gtk_toggle_button_get_active (button)
                                         ? JX_MODEL_ITEM (self->item) : NULL);
}

static void
on_b_toggled (GtkToggleButton *button, JxLibraryRow *self)
{
  if (self->syncing)
    return;
  jx_session_set_model_b (self->session, gtk_toggle_button_get_active (button)
                                         ? JX_MODEL_ITEM (self->item) : NULL);
}

/* Sampled and reweighted datasets say so: they are not data (the item's own subtitle knows
 * generated and imported files). */
static char *
dataset_subtitle (JxDatasetItem *item)
{
  const char *generator = jx_dataset_item_get_attr (item, "generator");
  const char *model = jx_dataset_item_get_attr (item, "model");
  const char *target = jx_dataset_item_get_attr (item, "reweighted_to");
  gsize n_jets = jx_dataset_item_get_n_jets (item);
  g_autofree char *jets = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu jet", "%zu jets",
                                                        n_jets), n_jets);

  if (target != NULL)
    return g_strdup_printf (_("%s · reweighted to %s"), jets, target);
  if (generator != NULL && strcmp (generator, "junipr sample") == 0)
    {
      g_autofree char *base = model != NULL ? g_path_get_basename (model) : g_strdup ("?");
      return g_strdup_printf (_("%s · sampled from %s"), jets, base);
    }
  return jx_dataset_item_dup_subtitle (item);
}

static void
jx_library_row_dispose (GObject *object)
{
  JxLibraryRow *self = JX_LIBRARY_ROW (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_LIBRARY_ROW);

  G_OBJECT_CLASS (jx_library_row_parent_class)->dispose (object);
}

static void
jx_library_row_class_init (JxLibraryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_library_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-library-row.ui");
  gtk_widget_class_bind_template_child (widget_class, JxLibraryRow, icon);
  gtk_widget_class_bind_template_child (widget_class, JxLibraryRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, JxLibraryRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, JxLibraryRow, a_button);
  gtk_widget_class_bind_template_child (widget_class, JxLibraryRow, b_button);
  gtk_widget_class_bind_template_callback (widget_class, on_a_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_b_toggled);
}

static void
jx_library_row_init (JxLibraryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jx_library_row_new (GObject *item, JxSession *session)
{
  JxLibraryRow *self;
  g_autofree char *subtitle = NULL;
  g_autofree char *a_label = NULL;
  g_autofree char *b_label = NULL;
  const char *title;

  g_return_val_if_fail (JX_IS_DATASET_ITEM (item) || JX_IS_MODEL_ITEM (item), NULL);
  g_return_val_if_fail (JX_IS_SESSION (session), NULL);

  self = g_object_new (JX_TYPE_LIBRARY_ROW, NULL);
  self->item = g_object_ref (item);
  self->session = g_object_ref (session);
  if (JX_IS_DATASET_ITEM (item))
    {
      title = jx_dataset_item_get_title (JX_DATASET_ITEM (item));
      subtitle = dataset_subtitle (JX_DATASET_ITEM (item));
      gtk_image_set_from_icon_name (self->icon, "view-list-symbolic");
      gtk_widget_set_visible (GTK_WIDGET (self->a_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->b_button), FALSE);
    }
  else
    {
      title = jx_model_item_get_title (JX_MODEL_ITEM (item));
      subtitle = jx_model_item_dup_subtitle (JX_MODEL_ITEM (item));
      gtk_image_set_from_icon_name (self->icon, "applications-science-symbolic");
      a_label = g_strdup_printf (_("Use %s as model A"), title);
      b_label = g_strdup_printf (_("Use %s as model B"), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->a_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, a_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->b_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, b_label, -1);
      g_signal_connect (session, "notify::model-a", G_CALLBACK (on_session_models), self);
      g_signal_connect (session, "notify::model-b", G_CALLBACK (on_session_models), self);
      sync_toggles (self);
    }
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               JX_IS_DATASET_ITEM (item)
                               ? jx_dataset_item_get_path (JX_DATASET_ITEM (item))
                               : jx_model_item_get_path (JX_MODEL_ITEM (item)));
  return GTK_WIDGET (self);
}

GObject *
jx_library_row_get_item (JxLibraryRow *self)
{
  g_return_val_if_fail (JX_IS_LIBRARY_ROW (self), NULL);
  return self->item;
}
