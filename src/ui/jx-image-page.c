/* jx-image-page.c — the Image page. */
#define G_LOG_DOMAIN "jx-image-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-application.h"
#include "jx-dataset-picker.h"
#include "jx-draw-image.h"
#include "jx-figure-canvas.h"
#include "jx-image-page.h"
#include "jx-image.h"
#include "jx-tasks.h"
#include "jx-wrap-layout.h"

#define NPIX JX_IMAGE_DEFAULT_NPIX
#define RADIUS JX_IMAGE_DEFAULT_R
/* Enough jets for a smooth average in well under a second of worker time. */
#define AVERAGE_MAX_JETS 20000

/* The averages on show: the browsed dataset's, the signal's and the background's. */
enum { AVG_ALL, AVG_SIGNAL, AVG_BACKGROUND, N_AVG };

typedef struct {
  JxJob *job;            /* running, or finished (its data is the image) */
  gpointer item;         /* what it is the average of (a borrowed key) */
  int label;
} Average;

struct _JxImagePage
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkDropDown *mode_dropdown;
  GtkCheckButton *steps_check;
  JxDatasetPicker *signal_picker;
  JxDatasetPicker *background_picker;
  GtkLabel *status_label;
  JxFigureCanvas *canvas;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GSettings *settings;         /* NULL: viridis */
  GSignalGroup *settings_signals;

  /* The current jet */
  JxImage jet_image;
  JxImageParticle *particles;
  size_t n_particles;
  int n_highlighted;
  char *jet_title;

  Average avg[N_AVG];
  JxImage diff;                /* signal − background, when both are done */
  gboolean busy;
  char *message;               /* shown instead of a figure when set */
};

G_DEFINE_FINAL_TYPE (JxImagePage, jx_image_page, GTK_TYPE_BOX)

static const JxImageAverageData *
average (JxImagePage *self, int slot)
{
  JxJob *job = self->avg[slot].job;
  return job != NULL && jx_job_get_state (job) == JX_JOB_DONE ? jx_job_get_data (job) : NULL;
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
      view.pixels = average (self, AVG_ALL)->image.pix;
      style.cbar_label = _("⟨energy fraction⟩");
      g_snprintf (title, sizeof title, _("average of %zu jets"), average (self, AVG_ALL)->n_used);
      jx_image_draw (cr, rect, &view, NULL, 0, &style, NULL);
      break;
    case JX_IMAGE_MODE_DIFFERENCE:
    default:
      view.pixels = self->diff.pix;
      style.scale = JX_IMAGE_DIFFERENCE;
      style.cbar_label = _("signal − background");
      g_snprintf (title, sizeof title, _("signal (%zu jets) − background (%zu jets)"),
                  average (self, AVG_SIGNAL)->n_used, average (self, AVG_BACKGROUND)->n_used);
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

static void refresh (JxImagePage *self);

static void
drop_average (JxImagePage *self, int slot)
{
  Average *a = &self->avg[slot];

  if (a->job != NULL)
    {
      g_signal_handlers_disconnect_by_data (a->job, self);
      jx_job_cancel (a->job);
      g_clear_object (&a->job);
    }
  a->item = NULL;
}

static void
on_average_finished (JxJob *job, JxImagePage *self)
{
  g_signal_handlers_disconnect_by_data (job, self);
  for (int k = 0; k < N_AVG; k++)
    if (self->avg[k].job == job && jx_job_get_state (job) == JX_JOB_CANCELLED)
      drop_average (self, k);
  refresh (self);
}

/* The average of item's jets of one label class (−1: all) in slot, made by a job unless it
 * is there already. Returns the finished one, or NULL while it runs (or after it failed). */
static const JxImageAverageData *
ensure_average (JxImagePage *self, int slot, JxDatasetItem *item, int label)
{
  Average *a = &self->avg[slot];
  JxJobSpec spec = { .kind = JX_JOB_KIND_ANALYSIS };   /* the page takes the image */
  g_autofree char *title = NULL;

  if (a->job != NULL && a->item == (gpointer) item && a->label == label)
    return average (self, slot);
  drop_average (self, slot);
  a->item = item;
  a->label = label;
  title = label < 0 ? g_strdup_printf (_("Average image of %s"), jx_dataset_item_get_title (item))
                    : g_strdup_printf (_("Average image of %s, label %d"),
                                       jx_dataset_item_get_title (item), label);
  a->job = jx_job_new (&spec, title, jx_task_image_average,
                       jx_image_average_data_new (item, label, NPIX, RADIUS, AVERAGE_MAX_JETS),
                       jx_image_average_data_free);
  g_signal_connect (a->job, "finished", G_CALLBACK (on_average_finished), self);
  jx_session_run_job (self->session, a->job);
  return NULL;
}

/* The failure of the job in slot, or NULL. */
static const char *
average_error (JxImagePage *self, int slot)
{
  JxJob *job = self->avg[slot].job;
  return job != NULL && jx_job_get_state (job) == JX_JOB_FAILED ? jx_job_get_error (job) : NULL;
}

/* Status of the difference mode; sets the message when there is nothing to draw. */
static char *
refresh_difference (JxImagePage *self)
{
  JxDatasetItem *sig = jx_session_get_signal (self->session);
  JxDatasetItem *bkg = jx_session_get_background (self->session);
  gboolean split = jx_session_split_by_label (self->session);
  const JxImageAverageData *s, *b;

  if (sig == NULL || bkg == NULL)
    {
      set_message (self, _("Choose a signal and a background dataset above (two datasets, or "
                           "the same labelled dataset twice)"));
      return NULL;
    }
  s = ensure_average (self, AVG_SIGNAL, sig, split ? 1 : -1);
  b = ensure_average (self, AVG_BACKGROUND, bkg, split ? 0 : -1);
  if (average_error (self, AVG_SIGNAL) != NULL || average_error (self, AVG_BACKGROUND) != NULL)
    {
      const char *e = average_error (self, AVG_SIGNAL);
      set_message (self, e != NULL ? e : average_error (self, AVG_BACKGROUND));
      return NULL;
    }
  if (s == NULL || b == NULL)
    {
      self->busy = TRUE;
      set_message (self, _("Computing the average images of the signal and background jets…"));
      return NULL;
    }
  if (s->n_used == 0 || b->n_used == 0)
    {
      set_message (self, split ? _("This dataset has no signal (label 1) or no background (label 0) "
                                   "jets: choose two datasets as signal and background")
                               : _("The signal or the background dataset has no jet to picture"));
      return NULL;
    }
  jx_image_free (&self->diff);
  jx_image_init (&self->diff, NPIX, RADIUS, NULL);
  jx_image_subtract (&self->diff, &s->image, &b->image, NULL);
  return split ? g_strdup_printf (_("%s: label 1 (%zu jets) − label 0 (%zu jets)"),
                                  jx_dataset_item_get_title (sig), s->n_used, b->n_used)
               : g_strdup_printf (_("signal %s (%zu jets) − background %s (%zu jets)"),
                                  jx_dataset_item_get_title (sig), s->n_used,
                                  jx_dataset_item_get_title (bkg), b->n_used);
}

static void
refresh (JxImagePage *self)
{
  JxDatasetItem *item = self->session ? jx_session_get_dataset (self->session) : NULL;
  JxImageMode mode = current_mode (self);
  g_autofree char *status = NULL;

  set_message (self, NULL);
  self->busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->steps_check), mode == JX_IMAGE_MODE_JET);
  /* the pickers matter for the difference only */
  gtk_widget_set_visible (GTK_WIDGET (self->signal_picker), mode == JX_IMAGE_MODE_DIFFERENCE);
  gtk_widget_set_visible (GTK_WIDGET (self->background_picker), mode == JX_IMAGE_MODE_DIFFERENCE);
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
  else if (mode == JX_IMAGE_MODE_AVERAGE)
    {
      const JxImageAverageData *a = ensure_average (self, AVG_ALL, item, -1);
      if (average_error (self, AVG_ALL) != NULL)
        set_message (self, average_error (self, AVG_ALL));
      else if (a == NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("Computing the average image of %zu jets…"),
                                                  MIN (jx_dataset_item_get_n_jets (item),
                                                       AVERAGE_MAX_JETS));
          self->busy = TRUE;
          set_message (self, msg);
        }
      else
        status = g_strdup_printf (_("average of %zu jets"), a->n_used);
    }
  else
    status = refresh_difference (self);
  gtk_label_set_text (self->status_label, status ? status : (self->message ? self->message : ""));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (self->status_label), -1);
  jx_figure_canvas_invalidate (self->canvas);
}

static void
on_dataset_changed (JxImagePage *self)
{
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

  for (int k = 0; k < N_AVG; k++)
    drop_average (self, k);
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
  jx_image_free (&self->diff);

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
  g_type_ensure (JX_TYPE_DATASET_PICKER);
  g_type_ensure (JX_TYPE_WRAP_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-image-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JxImagePage, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxImagePage, steps_check);
  gtk_widget_class_bind_template_child (widget_class, JxImagePage, signal_picker);
  gtk_widget_class_bind_template_child (widget_class, JxImagePage, background_picker);
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
  jx_dataset_picker_set_role (self->background_picker, JX_PICK_BACKGROUND);
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
  g_signal_group_connect_swapped (self->session_signals, "notify::signal",
                                  G_CALLBACK (refresh), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::background",
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
  jx_dataset_picker_set_session (self->signal_picker, session);
  jx_dataset_picker_set_session (self->background_picker, session);
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
