/* jx-job-row.c — shows one JxJob; all updates arrive as notifies on the main thread. */
#define G_LOG_DOMAIN "jx-job-row"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-job-row.h"

struct _JxJobRow
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkLabel *title_label;
  GtkProgressBar *progress_bar;
  GtkLabel *message_label;
  GtkButton *cancel_button;

  /* Owned References */
  JxJob *job;
};

G_DEFINE_FINAL_TYPE (JxJobRow, jx_job_row, GTK_TYPE_BOX)

static void
update (JxJobRow *self)
{
  const char *eta = jx_job_get_eta (self->job);
  g_autofree char *text = NULL;
  g_autofree char *desc = NULL;
  double f = jx_job_get_fraction (self->job);

  gtk_progress_bar_set_fraction (self->progress_bar, f);
  text = eta[0] ? g_strdup_printf ("%s · %s", jx_job_get_message (self->job), eta)
                : g_strdup (jx_job_get_message (self->job));
  gtk_label_set_text (self->message_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), jx_job_is_running (self->job));
  if (jx_job_get_state (self->job) == JX_JOB_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  /* Tests (and screen readers) read the progress as a sentence; a tenth of a percent, so a
   * long job is seen to move. */
  desc = g_strdup_printf ("%s: %.1f%%", jx_job_get_title (self->job), 100 * f);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc, -1);
}

static void
on_job_notify (JxJob *job, GParamSpec *pspec, JxJobRow *self)
{
  update (self);
}

static void
on_cancel (GtkButton *button, JxJobRow *self)
{
  jx_job_cancel (self->job);
}

static void
jx_job_row_dispose (GObject *object)
{
  JxJobRow *self = JX_JOB_ROW (object);

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_JOB_ROW);

  G_OBJECT_CLASS (jx_job_row_parent_class)->dispose (object);
}

static void
jx_job_row_class_init (JxJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_job_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-job-row.ui");
  gtk_widget_class_bind_template_child (widget_class, JxJobRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, JxJobRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, JxJobRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, JxJobRow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel);
}

static void
jx_job_row_init (JxJobRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jx_job_row_new (JxJob *job)
{
  JxJobRow *self;
  g_autofree char *cancel = NULL;

  g_return_val_if_fail (JX_IS_JOB (job), NULL);

  self = g_object_new (JX_TYPE_JOB_ROW, NULL);
  self->job = g_object_ref (job);
  gtk_label_set_text (self->title_label, jx_job_get_title (job));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), jx_job_get_title (job));
  cancel = g_strdup_printf (_("Cancel %s"), jx_job_get_title (job));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cancel, -1);
  g_signal_connect (job, "notify", G_CALLBACK (on_job_notify), self);
  update (self);
  return GTK_WIDGET (self);
}

JxJob *
jx_job_row_get_job (JxJobRow *self)
{
  g_return_val_if_fail (JX_IS_JOB_ROW (self), NULL);
  return self->job;
}
