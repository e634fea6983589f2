/* jx-dataset-picker.c — see jx-dataset-picker.h. */
#define G_LOG_DOMAIN "jx-dataset-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-dataset-picker.h"

struct _JxDatasetPicker
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkLabel *label;
  GtkDropDown *dropdown;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GSignalGroup *list_signals;
  JxPickRole role;
  gboolean syncing;   /* the drop-down follows the session: no echo back */
  gboolean listed;    /* datasets were added since the last choice */
  guint apply_id;     /* idle taking the drop-down's choice to the session */
};

G_DEFINE_FINAL_TYPE (JxDatasetPicker, jx_dataset_picker, GTK_TYPE_BOX)

static JxDatasetItem *
session_choice (JxDatasetPicker *self)
{
  if (self->session == NULL)
    return NULL;
  return self->role == JX_PICK_SIGNAL ? jx_session_get_signal (self->session)
                                      : jx_session_get_background (self->session);
}

/* The drop-down shows the session's choice. */
static void
sync_from_session (JxDatasetPicker *self)
{
  JxDatasetItem *want = session_choice (self);
  GListModel *model = gtk_drop_down_get_model (self->dropdown);
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;
  guint pos = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n && want != NULL; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);
      if (item == (GObject *) want)
        pos = i;
    }
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->dropdown, pos);
  self->syncing = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->dropdown), n > 0);
}

static gboolean
apply_choice (gpointer data)
{
  JxDatasetPicker *self = data;
  JxDatasetItem *item = gtk_drop_down_get_selected_item (self->dropdown);

  self->apply_id = 0;
  if (self->listed)
    {
      /* The drop-down moved by itself as the list grew: the session's choice stands. */
      self->listed = FALSE;
      sync_from_session (self);
      return G_SOURCE_REMOVE;
    }
  if (self->session != NULL && item != NULL && item != session_choice (self))
    {
      if (self->role == JX_PICK_SIGNAL)
        jx_session_set_signal (self->session, item);
      else
        jx_session_set_background (self->session, item);
    }
  return G_SOURCE_REMOVE;
}

/* The selection also moves when datasets are added (the drop-down keeps one selected); its
 * notify comes in the middle of the list's change, when the other pickers on the same list
 * have not seen it yet: the session hears of a choice from an idle, and not of those. */
static void
on_selected (JxDatasetPicker *self)
{
  if (self->syncing || self->apply_id != 0)
    return;
  self->apply_id = g_idle_add (apply_choice, self);
}

static void
on_items_changed (JxDatasetPicker *self)
{
  self->listed = TRUE;
  if (self->apply_id == 0)
    self->apply_id = g_idle_add (apply_choice, self);
}

/* Labels of the button ellipsize (the toolbar can be narrow); the popup shows whole titles. */
static void
setup_item (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 6);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 22);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_item (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer ellipsize)
{
  JxDatasetItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *subtitle = jx_dataset_item_dup_subtitle (item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  gtk_label_set_text (GTK_LABEL (label), jx_dataset_item_get_title (item));
  gtk_widget_set_tooltip_text (label, subtitle);
}

static GtkListItemFactory *
label_factory (gboolean ellipsize)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();

  g_signal_connect (f, "setup", G_CALLBACK (setup_item), GINT_TO_POINTER (ellipsize));
  g_signal_connect (f, "bind", G_CALLBACK (bind_item), GINT_TO_POINTER (ellipsize));
  return f;
}

static void
jx_dataset_picker_dispose (GObject *object)
{
  JxDatasetPicker *self = JX_DATASET_PICKER (object);

  g_clear_handle_id (&self->apply_id, g_source_remove);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  if (self->list_signals != NULL)
    g_signal_group_set_target (self->list_signals, NULL);
  g_clear_object (&self->list_signals);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_DATASET_PICKER);

  G_OBJECT_CLASS (jx_dataset_picker_parent_class)->dispose (object);
}

static void
jx_dataset_picker_class_init (JxDatasetPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_dataset_picker_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-dataset-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, JxDatasetPicker, label);
  gtk_widget_class_bind_template_child (widget_class, JxDatasetPicker, dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_selected);
}

static void
jx_dataset_picker_init (JxDatasetPicker *self)
{
  g_autoptr (GtkListItemFactory) button = label_factory (TRUE);
  g_autoptr (GtkListItemFactory) list = label_factory (FALSE);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_factory (self->dropdown, button);
  gtk_drop_down_set_list_factory (self->dropdown, list);
  self->session_signals = g_signal_group_new (JX_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::signal",
                                  G_CALLBACK (sync_from_session), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::background",
                                  G_CALLBACK (sync_from_session), self);
  self->list_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->list_signals, "items-changed",
                                  G_CALLBACK (on_items_changed), self);
  jx_dataset_picker_set_role (self, JX_PICK_SIGNAL);
}

GtkWidget *
jx_dataset_picker_new (JxPickRole role)
{
  JxDatasetPicker *self = g_object_new (JX_TYPE_DATASET_PICKER, NULL);

  jx_dataset_picker_set_role (self, role);
  return GTK_WIDGET (self);
}

void
jx_dataset_picker_set_role (JxDatasetPicker *self, JxPickRole role)
{
  gboolean sig = role == JX_PICK_SIGNAL;

  g_return_if_fail (JX_IS_DATASET_PICKER (self));

  self->role = role;
  gtk_label_set_text (self->label, sig ? _("Signal") : _("Background"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->dropdown),
                               sig ? _("Signal sample: the jets the ROC curves and the difference "
                                       "image count as signal (model A should describe them). "
                                       "Choose the same labelled dataset for signal and background "
                                       "to split it by label (label 1 = signal).")
                                   : _("Background sample: the jets the ROC curves and the "
                                       "difference image count as background (model B should "
                                       "describe them). Choose the same labelled dataset for "
                                       "signal and background to split it by label (label 0 = "
                                       "background)."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sig ? _("Signal dataset") : _("Background dataset"), -1);
  sync_from_session (self);
}

void
jx_dataset_picker_set_session (JxDatasetPicker *self, JxSession *session)
{
  g_return_if_fail (JX_IS_DATASET_PICKER (self));
  g_return_if_fail (session == NULL || JX_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  g_signal_group_set_target (self->list_signals,
                             session != NULL ? jx_session_get_datasets (session) : NULL);
  gtk_drop_down_set_model (self->dropdown, session != NULL ? jx_session_get_datasets (session) : NULL);
  sync_from_session (self);
}
