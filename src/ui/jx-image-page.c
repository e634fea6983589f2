/* jx-image-page.c — the Image page. */
#define G_LOG_DOMAIN "jx-image-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-application.h"
#include "jx-draw-image.h"
#include "jx-figure-canvas.h"
#include "jx-image-page.h"
#include "jx-image.h"

#define NPIX JX_IMAGE_DEFAULT_NPIX
#define RADIUS JX_IMAGE_DEFAULT_R
/* Enough jets for a smooth average in well under a second of worker time. */
#define AVERAGE_MAX_JETS 20000

typedef struct {
  JxImage all, sig, bkg;      /* averages (normalized images); diff = sig − bkg */
  JxImage diff;
  size_t n_all, n_sig, n_bkg;
  gboolean has_labels;
} Averages;

struct _JxImagePage
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkDropDown *mode_dropdown;
  GtkCheckButton *steps_check;
  GtkLabel *status_label;
  JxFigureCanvas *canvas;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GSettings *settings;         /* NULL: viridis */
  GSignalGroup *settings_signals;
  GCancellable *cancellable;   /* the running average task */

  /* The current jet */
  JxImage jet_image;
  JxImageParticle *particles;
  size_t n_particles;
  int n_highlighted;
  char *jet_title;

  /* Averages of the dataset they were computed for (borrowed pointer as a key) */
  Averages *averages;
  gpointer averages_for;
  gboolean busy;
  char *message;               /* shown instead of a figure when set */
};

G_DEFINE_FINAL_TYPE (JxImagePage, jx_image_page, GTK_TYPE_BOX)

static void
averages_free (Averages *a)
{
  if (a == NULL)
    return;
  jx_image_free (&a->all);
  jx_image_free (&a->sig);
  jx_image_free (&a->bkg);
  jx_image_free (&a->diff);
  g_free (a);
}

static JxImageMode
current_mode (JxImagePage *self)
{
  return (JxImageMode) gtk_drop_down_get_selected (self->mode_dropdown);
}

static void
set_message (JxImagePage *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

static void
draw_figure (cairo_t *cr, JxRect rect, gpointer data)
{
  JxImagePage *self = data;
  JxImageStyle style;
  JxImageView view = { NPIX, RADIUS, NULL };
  char title[256];

  if (self->message != NULL)
    {
      jx_draw_message (cr, rect, self->message);
      return;
    }
  jx_image_style_default (&style);
  style.colormap = jx_application_get_colormap (self->settings);
  style.title = title;
  switch (current_mode (self))
    {
    case JX_IMAGE_MODE_JET:
      view.pixels = self->jet_image.pix;
      view.R = self->jet_image.R;
      style.label_steps = gtk_check_button_get_active (self->steps_check);
      g_strlcpy (title, self->jet_title ? self->jet_title : "", sizeof title);
      jx_image_draw (cr, rect, &view, self->particles, self->n_particles, &style, NULL);
      break;
    case JX_IMAGE_MODE_AVERAGE:
      view.pixels = self->averages->all.pix;
      style.cbar_label = _("⟨energy fraction⟩");
      g_snprintf (title, sizeof title, _("average of %zu jets"), self->averages->n_all);
      jx_image_draw (cr, rect, &view, NULL, 0, &style, NULL);
      break;
    case JX_IMAGE_MODE_DIFFERENCE:
    default:
      view.pixels = self->averages->diff.pix;
      style.scale = JX_IMAGE_DIFFERENCE;
      style.cbar_label = _("signal − background");
      g_snprintf (title, sizeof title, _("signal (%zu jets) − background (%zu jets)"),
                  self->averages->n_sig, self->averages->n_bkg);
      jx_image_draw (cr, rect, &view, NULL, 0, &style, NULL);
      break;
    }
}

/* Leaves below node (the highlighted subtree), marked in mark[0..n). */
static int
mark_leaves (const JxTree *tree, int node, gboolean *mark)
{
  const JxNode *nd = &tree->nodes[node];

  if (nd->daughter[0] < 0)
    {
      mark[node] = TRUE;
      return 1;
    }
  return mark_leaves (tree, nd->daughter[0], mark) + mark_leaves (tree, nd->daughter[1], mark);
}

static void
refresh_jet (JxImagePage *self)
{
  const JxTree *tree = self->session ? jx_session_get_tree (self->session) : NULL;
  int highlight = self->session ? jx_session_get_highlight_node (self->session) : -1;
  g_autofree gboolean *mark = NULL;
  JxError err = { 0 };

  g_clear_pointer (&self->particles, g_free);
  g_clear_pointer (&self->jet_title, g_free);
  self->n_particles = 0;
  self->n_highlighted = 0;
  jx_image_zero (&self->jet_image);
  if (tree == NULL || tree->n == 0)
    return;

  /* Final particles only (max_step −1): particle k is leaf node k. */
  self->particles = g_new (JxImageParticle, tree->n);
  self->n_particles = jx_image_particles_from_tree (tree, -1, self->particles, tree->n);
  /* Hemisphere jets can be wide: the picture covers every particle. */
  {
    double r = 0.05;

    for (size_t k = 0; k < self->n_particles; k++)
      r = MAX (r, MAX (fabs (self->particles[k].x), fabs (self->particles[k].y)));
    jx_image_free (&self->jet_image);
    if (jx_image_init (&self->jet_image, NPIX, 1.05 * r, &err) != 0)
      {
        self->n_particles = 0;
        return;
      }
  }
  for (size_t k = 0; k < self->n_particles; k++)
    {
      int ix, iy;

      if (jx_image_pixel_of (&self->jet_image, self->particles[k].x, self->particles[k].y, &ix, &iy))
        self->jet_image.pix[(size_t) iy * NPIX + ix] += self->particles[k].E;
    }
  if (highlight >= 0 && (size_t) highlight < 2 * tree->n - 1 && self->n_particles == tree->n)
    {
      /* Only the highlighted node's particles keep their step labels: they stand out. */
      mark = g_new0 (gboolean, 2 * tree->n - 1);
      self->n_highlighted = mark_leaves (tree, highlight, mark);
      for (size_t k = 0; k < self->n_particles; k++)
        if (!mark[k])
          self->particles[k].step = 0;
      self->jet_title = g_strdup_printf (_("jet %d — node %d: %d of %zu particles labelled"),
                                         jx_session_get_jet_index (self->session), highlight,
                                         self->n_highlighted, tree->n);
    }
  else
    self->jet_title = g_strdup_printf (_("jet %d: %zu particles, labelled by emission step"),
                                       jx_session_get_jet_index (self->session), tree->n);
  (void) err;
}

static void
compute_averages (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  JxDatasetItem *item = task_data;
  const JxDataset *ds = jx_dataset_item_get_dataset (item);
  size_t n = MIN (ds->n_jets, AVERAGE_MAX_JETS);
  Averages *a = g_new0 (Averages, 1);
  JxImageOptions opt;
  JxImage img = { 0 };
  JxError err = { 0 };

  jx_image_options_default (&opt);
  if (jx_image_init (&img, NPIX, RADIUS, &err) != 0 || jx_image_init (&a->all, NPIX, RADIUS, &err) != 0
      || jx_image_init (&a->sig, NPIX, RADIUS, &err) != 0 || jx_image_init (&a->bkg, NPIX, RADIUS, &err) != 0
      || jx_image_init (&a->diff, NPIX, RADIUS, &err) != 0)
    goto fail;
  a->has_labels = ds->labels != NULL;
  for (size_t i = 0; i < n; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          jx_image_free (&img);
          averages_free (a);
          g_task_return_error_if_cancelled (task);
          return;
        }
      /* Jets that cannot be pictured (empty, no axis) are left out of the average. */
      if (jx_image_fill (&img, jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i), &opt,
                         NULL, NULL, NULL, &err) != 0)
        continue;
      jx_image_accumulate (&a->all, &img, 1.0, NULL);
      a->n_all++;
      if (a->has_labels)
        {
          JxImage *to = ds->labels[i] > 0 ? &a->sig : &a->bkg;
          jx_image_accumulate (to, &img, 1.0, NULL);
          *(ds->labels[i] > 0 ? &a->n_sig : &a->n_bkg) += 1;
        }
    }
  jx_image_free (&img);
  if (a->n_all > 0)
    jx_image_scale (&a->all, 1.0 / a->n_all);
  if (a->n_sig > 0)
    jx_image_scale (&a->sig, 1.0 / a->n_sig);
  if (a->n_bkg > 0)
    jx_image_scale (&a->bkg, 1.0 / a->n_bkg);
  jx_image_subtract (&a->diff, &a->sig, &a->bkg, NULL);
  g_task_return_pointer (task, a, (GDestroyNotify) averages_free);
  return;

fail:
  jx_image_free (&img);
  averages_free (a);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
}

static void refresh (JxImagePage *self);

static void
averages_done (GObject *source, GAsyncResult *result, gpointer data)
{
  JxImagePage *self = data;   /* a reference held by the task */
  g_autoptr (GError) error = NULL;
  Averages *a = g_task_propagate_pointer (G_TASK (result), &error);
  gpointer key = g_task_get_task_data (G_TASK (result));

  if (a == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->busy = FALSE;
          set_message (self, error->message);
          jx_figure_canvas_invalidate (self->canvas);
        }
      g_object_unref (self);
      return;
    }
  if (self->session != NULL && key == jx_session_get_dataset (self->session))
    {
      averages_free (self->averages);
      self->averages = a;
      self->averages_for = key;
      self->busy = FALSE;
      g_clear_object (&self->cancellable);
      refresh (self);
    }
  else
    averages_free (a);
  g_object_unref (self);
}

static void
start_averages (JxImagePage *self, JxDatasetItem *item)
{
  GTask *task;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = TRUE;
  task = g_task_new (NULL, self->cancellable, averages_done, g_object_ref (self));
  g_task_set_source_tag (task, start_averages);
  g_task_set_task_data (task, g_object_ref (item), g_object_unref);
  g_task_run_in_thread (task, compute_averages);
  g_object_unref (task);
}

static void
refresh (JxImagePage *self)
{
  JxDatasetItem *item = self->session ? jx_session_get_dataset (self->session) : NULL;
  JxImageMode mode = current_mode (self);
  g_autofree char *status = NULL;

  set_message (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->steps_check), mode == JX_IMAGE_MODE_JET);
  if (item == NULL)
    set_message (self, _("Open a dataset in the library to see jet images"));
  else if (mode == JX_IMAGE_MODE_JET)
    {
      refresh_jet (self);
      if (self->n_particles == 0)
        set_message (self, jx_session_get_jet_index (self->session) < 0
                     ? _("Choose a jet in the jet browser") : jx_session_get_tree_error (self->session));
      else
        status = g_strdup (self->jet_title);
    }
  else if (self->averages == NULL || self->averages_for != (gpointer) item)
    {
      g_autofree char *msg = g_strdup_printf (_("Computing the average image of %zu jets…"),
                                              MIN (jx_dataset_item_get_n_jets (item), AVERAGE_MAX_JETS));
      set_message (self, msg);
      status = g_strdup (msg);
      if (!self->busy)
        start_averages (self, item);
    }
  else if (mode == JX_IMAGE_MODE_AVERAGE)
    status = g_strdup_printf (_("average of %zu jets"), self->averages->n_all);
  else if (!self->averages->has_labels || self->averages->n_sig == 0 || self->averages->n_bkg == 0)
    {
      set_message (self, _("This dataset has no signal (label 1) and background (label 0) jets to subtract"));
      status = g_strdup (self->message);
    }
  else
    status = g_strdup_printf (_("signal (%zu jets) − background (%zu jets)"),
                              self->averages->n_sig, self->averages->n_bkg);
  gtk_label_set_text (self->status_label, status ? status : (self->message ? self->message : ""));
  jx_figure_canvas_invalidate (self->canvas);
}

static void
on_dataset_changed (JxImagePage *self)
{
  /* A running average is of the old dataset. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->busy = FALSE;
  refresh (self);
}

static void
on_mode_selected (JxImagePage *self)
{
  refresh (self);
}

static void
on_steps_toggled (JxImagePage *self)
{
  jx_figure_canvas_invalidate (self->canvas);
}

static void
on_export_clicked (JxImagePage *self)
{
  jx_figure_canvas_export_dialog (self->canvas, "jet-image.png", self->status_label);
}

static void
on_colormap_changed (JxImagePage *self)
{
  jx_figure_canvas_invalidate (self->canvas);
}

static void
jx_image_page_dispose (GObject *object)
{
  JxImagePage *self = JX_IMAGE_PAGE (object);

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
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_IMAGE_PAGE);

  G_OBJECT_CLASS (jx_image_page_parent_class)->dispose (object);
}

static void
jx_image_page_finalize (GObject *object)
{
  JxImagePage *self = JX_IMAGE_PAGE (object);

  jx_image_free (&self->jet_image);
  g_free (self->particles);
  g_free (self->jet_title);
  g_free (self->message);
  averages_free (self->averages);

  G_OBJECT_CLASS (jx_image_page_parent_class)->finalize (object);
}

static void
jx_image_page_class_init (JxImagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_image_page_dispose;
  object_class->finalize = jx_image_page_finalize;

  g_type_ensure (JX_TYPE_FIGURE_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-image-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JxImagePage, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxImagePage, steps_check);
  gtk_widget_class_bind_template_child (widget_class, JxImagePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, JxImagePage, canvas);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_steps_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
jx_image_page_init (JxImagePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jx_image_init (&self->jet_image, NPIX, RADIUS, NULL);
  jx_figure_canvas_set_draw_func (self->canvas, draw_figure, self, NULL);

  self->session_signals = g_signal_group_new (JX_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset",
                                  G_CALLBACK (on_dataset_changed), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::jet-index",
                                  G_CALLBACK (refresh), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-a",
                                  G_CALLBACK (refresh), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::highlight-node",
                                  G_CALLBACK (refresh), self);
  self->settings_signals = g_signal_group_new (G_TYPE_SETTINGS);
  g_signal_group_connect_swapped (self->settings_signals, "changed::colormap",
                                  G_CALLBACK (on_colormap_changed), self);
  refresh (self);
}

GtkWidget *
jx_image_page_new (void)
{
  return g_object_new (JX_TYPE_IMAGE_PAGE, NULL);
}

void
jx_image_page_set_session (JxImagePage *self, JxSession *session)
{
  g_return_if_fail (JX_IS_IMAGE_PAGE (self));
  g_return_if_fail (session == NULL || JX_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  on_dataset_changed (self);
}

void
jx_image_page_set_settings (JxImagePage *self, GSettings *settings)
{
  g_return_if_fail (JX_IS_IMAGE_PAGE (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;
  g_signal_group_set_target (self->settings_signals, settings);
  on_colormap_changed (self);
}

void
jx_image_page_set_mode (JxImagePage *self, JxImageMode mode)
{
  g_return_if_fail (JX_IS_IMAGE_PAGE (self));

  gtk_drop_down_set_selected (self->mode_dropdown, mode);
}

const char *
jx_image_page_get_status_text (JxImagePage *self)
{
  g_return_val_if_fail (JX_IS_IMAGE_PAGE (self), NULL);

  return gtk_label_get_text (self->status_label);
}

int
jx_image_page_get_n_highlighted (JxImagePage *self)
{
  g_return_val_if_fail (JX_IS_IMAGE_PAGE (self), 0);

  return self->n_highlighted;
}

gboolean
jx_image_page_is_busy (JxImagePage *self)
{
  g_return_val_if_fail (JX_IS_IMAGE_PAGE (self), FALSE);

  return self->busy;
}

gboolean
jx_image_page_export (JxImagePage *self, const char *path, GError **error)
{
  g_return_val_if_fail (JX_IS_IMAGE_PAGE (self), FALSE);

  return jx_figure_canvas_export (self->canvas, path, error);
}
