/* jx-figure-canvas.c — a cached src/draw figure. */
#define G_LOG_DOMAIN "jx-figure-canvas"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-figure-canvas.h"
#include "jx-surface.h"

struct _JxFigureCanvas
{
  GtkWidget parent_instance;

  JxFigureDrawFunc func;
  gpointer user_data;
  GDestroyNotify destroy;

  /* Owned References */
  GskRenderNode *node;     /* the figure at (width, height) */
  int width, height;
  guint render_idle;
  gboolean dirty;
};

G_DEFINE_FINAL_TYPE (JxFigureCanvas, jx_figure_canvas, GTK_TYPE_WIDGET)

static void
render (JxFigureCanvas *self)
{
  GtkSnapshot *snapshot;
  cairo_t *cr;

  g_clear_pointer (&self->node, gsk_render_node_unref);
  self->dirty = FALSE;
  if (self->width <= 0 || self->height <= 0 || self->func == NULL)
    return;

  snapshot = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, self->width,
                                                                 self->height));
  self->func (cr, jx_rect (0, 0, self->width, self->height), self->user_data);
  cairo_destroy (cr);
  self->node = gtk_snapshot_free_to_node (snapshot);
}

static gboolean
render_idle_cb (gpointer data)
{
  JxFigureCanvas *self = data;

  self->render_idle = 0;
  if (self->dirty)
    {
      render (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_render (JxFigureCanvas *self)
{
  self->dirty = TRUE;
  /* Before GDK's redraw priority, so the new picture is ready for the coming frame. */
  if (self->render_idle == 0)
    self->render_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, render_idle_cb, self, NULL);
}

static void
jx_figure_canvas_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  JxFigureCanvas *self = JX_FIGURE_CANVAS (widget);

  if (width != self->width || height != self->height)
    {
      self->width = width;
      self->height = height;
      schedule_render (self);
    }
}

static void
jx_figure_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  JxFigureCanvas *self = JX_FIGURE_CANVAS (widget);

  if (self->node != NULL)
    gtk_snapshot_append_node (snapshot, self->node);
}

static void
jx_figure_canvas_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                          int *minimum, int *natural, int *min_baseline, int *nat_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static void
jx_figure_canvas_dispose (GObject *object)
{
  JxFigureCanvas *self = JX_FIGURE_CANVAS (object);

  g_clear_handle_id (&self->render_idle, g_source_remove);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  self->destroy = NULL;
  self->func = NULL;
  self->user_data = NULL;

  G_OBJECT_CLASS (jx_figure_canvas_parent_class)->dispose (object);
}

static void
jx_figure_canvas_class_init (JxFigureCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_figure_canvas_dispose;
  widget_class->size_allocate = jx_figure_canvas_size_allocate;
  widget_class->snapshot = jx_figure_canvas_snapshot;
  widget_class->measure = jx_figure_canvas_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
jx_figure_canvas_init (JxFigureCanvas *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
jx_figure_canvas_new (void)
{
  return g_object_new (JX_TYPE_FIGURE_CANVAS, NULL);
}

void
jx_figure_canvas_set_draw_func (JxFigureCanvas *self, JxFigureDrawFunc func, gpointer user_data,
                                GDestroyNotify destroy)
{
  g_return_if_fail (JX_IS_FIGURE_CANVAS (self));

  if (self->destroy != NULL)
    self->destroy (self->user_data);
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;
  schedule_render (self);
}

void
jx_figure_canvas_invalidate (JxFigureCanvas *self)
{
  g_return_if_fail (JX_IS_FIGURE_CANVAS (self));

  schedule_render (self);
}

void
jx_figure_canvas_flush (JxFigureCanvas *self)
{
  g_return_if_fail (JX_IS_FIGURE_CANVAS (self));

  if (self->dirty)
    {
      g_clear_handle_id (&self->render_idle, g_source_remove);
      render (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

void
jx_figure_canvas_draw_to (JxFigureCanvas *self, cairo_t *cr, JxRect rect)
{
  g_return_if_fail (JX_IS_FIGURE_CANVAS (self));

  if (self->func != NULL)
    self->func (cr, rect, self->user_data);
  else
    jx_draw_background (cr, rect);
}

gboolean
jx_figure_canvas_export (JxFigureCanvas *self, const char *path, GError **error)
{
  JxSurface *surface = NULL;
  JxError err = { 0 };
  int w, h;

  g_return_val_if_fail (JX_IS_FIGURE_CANVAS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (jx_format_from_path (path) == JX_FORMAT_AUTO)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export to “%s”: use a .png, .svg or .pdf file name"), path);
      return FALSE;
    }
  w = MAX (self->width, 800);
  h = MAX (self->height, 520);
  if (jx_surface_open (&surface, path, JX_FORMAT_AUTO, w, h, 1.0, &err) != 0
      || (jx_figure_canvas_draw_to (self, jx_surface_cr (surface), jx_rect (0, 0, w, h)),
          jx_surface_close (surface, &err) != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  JxFigureCanvas *canvas;
  GtkLabel *status;
} ExportData;

static void
on_export_response (GtkNativeDialog *dialog, int response, ExportData *data)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      g_autofree char *msg = NULL;

      if (path == NULL)
        msg = g_strdup (_("Export needs a local file"));
      else if (!jx_figure_canvas_export (data->canvas, path, &error))
        msg = g_strdup (error->message);
      else
        msg = g_strdup_printf (_("Saved %s"), path);
      if (data->status != NULL)
        gtk_label_set_text (data->status, msg);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (data->canvas);
  g_clear_object (&data->status);
  g_free (data);
}

void
jx_figure_canvas_export_dialog (JxFigureCanvas *self, const char *default_name, GtkLabel *status)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  ExportData *data;

  g_return_if_fail (JX_IS_FIGURE_CANVAS (self));

  chooser = gtk_file_chooser_native_new (_("Export Figure"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), default_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  data = g_new0 (ExportData, 1);
  data->canvas = g_object_ref (self);
  data->status = status ? g_object_ref (status) : NULL;
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
