/* jx-shower-page.c — the Shower page. */
#define G_LOG_DOMAIN "jx-shower-page"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-application.h"
#include "jx-draw-shower.h"
#include "jx-figure-canvas.h"
#include "jx-sample.h"
#include "jx-shower-page.h"

#define PLAY_INTERVAL_MS 600
#define DEFAULT_SEED_ENERGY 500.0
#define DEFAULT_SEED_MASS 91.2   /* as junipr sample's default; a massless jet cannot split */

enum { SOURCE_DATA, SOURCE_SAMPLED };
enum { ALGO_MODEL, ALGO_CA, ALGO_PRINTER, ALGO_ANTIKT };

struct _JxShowerPage
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkDropDown *source_dropdown;
  GtkDropDown *algorithm_dropdown;
  GtkButton *resample_button;
  GtkLabel *status_label;
  GtkToggleButton *play_button;
  GtkAdjustment *step_adjustment;
  GtkLabel *step_label;
  JxFigureCanvas *canvas;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GSettings *settings;       /* NULL: viridis */
  GSignalGroup *settings_signals;
  JxTree tree;               /* the jet shown, re-clustered per the chosen ordering */
  gboolean have_tree;
  char *message;             /* shown when there is no tree */
  guint64 sample_seed;
  guint play_source;
  int step;
};

G_DEFINE_FINAL_TYPE (JxShowerPage, jx_shower_page, GTK_TYPE_BOX)

static void
draw_figure (cairo_t *cr, JxRect rect, gpointer data)
{
  JxShowerPage *self = data;
  JxTreeStyle style;

  if (!self->have_tree)
    {
      jx_draw_message (cr, rect, self->message ? self->message : _("No jet to show"));
      return;
    }
  jx_tree_style_default (&style);
  style.colormap = jx_application_get_colormap (self->settings);
  if (jx_shower_draw (cr, rect, &self->tree, self->step, &style, NULL) != 0)
    jx_draw_message (cr, rect, _("This jet cannot be drawn"));
}

static int
n_steps (JxShowerPage *self)
{
  return self->have_tree ? (int) self->tree.n - 1 : 0;
}

static void
update_step_label (JxShowerPage *self)
{
  g_autofree char *text = g_strdup_printf (_("step %d of %d"), self->step, n_steps (self));

  gtk_label_set_text (self->step_label, text);
}

static void
stop_playing (JxShowerPage *self)
{
  g_clear_handle_id (&self->play_source, g_source_remove);
  if (gtk_toggle_button_get_active (self->play_button))
    gtk_toggle_button_set_active (self->play_button, FALSE);
}

static JxAlgorithm
chosen_algorithm (JxShowerPage *self)
{
  JxModelItem *a = self->session ? jx_session_get_model_a (self->session) : NULL;

  switch (gtk_drop_down_get_selected (self->algorithm_dropdown))
    {
    case ALGO_CA: return JX_ALGO_CA;
    case ALGO_PRINTER: return JX_ALGO_PRINTER;
    case ALGO_ANTIKT: return JX_ALGO_ANTIKT;
    default:
      return a ? jx_model_item_get_meta (a)->clustering.algorithm : JX_ALGO_CA;
    }
}

static void
set_message (JxShowerPage *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

/* Re-cluster the final particles of src in the chosen order into self->tree. */
static void
take_particles_of (JxShowerPage *self, const JxTree *src, JxAlgorithm algorithm)
{
  g_autofree JxP4 *p = g_new (JxP4, src->n);
  JxError err = { 0 };

  for (size_t i = 0; i < src->n; i++)
    p[i] = src->nodes[i].p;
  if (jx_tree_build_from_particles (&self->tree, p, src->n, algorithm, NULL, &err) == 0)
    self->have_tree = TRUE;
  else
    {
      jx_tree_free (&self->tree);
      set_message (self, err.message);
    }
}

static void
rebuild (JxShowerPage *self)
{
  const JxTree *data_tree = self->session ? jx_session_get_tree (self->session) : NULL;
  JxModelItem *a = self->session ? jx_session_get_model_a (self->session) : NULL;
  guint source = gtk_drop_down_get_selected (self->source_dropdown);
  JxAlgorithm algorithm = chosen_algorithm (self);
  g_autofree char *status = NULL;

  stop_playing (self);
  if (self->have_tree)
    jx_tree_free (&self->tree);
  self->have_tree = FALSE;
  set_message (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->resample_button),
                            source == SOURCE_SAMPLED && a != NULL);

  if (source == SOURCE_DATA)
    {
      if (data_tree == NULL)
        set_message (self, self->session && jx_session_get_dataset (self->session)
                     ? _("Choose a jet in the jet browser") : _("Open a dataset to step through its jets"));
      else
        {
          take_particles_of (self, data_tree, algorithm);
          status = g_strdup_printf (_("Data jet %d, %s ordering"),
                                    jx_session_get_jet_index (self->session),
                                    jx_algorithm_name (algorithm));
        }
    }
  else if (a == NULL)
    set_message (self, _("Choose a model A in the library to sample a shower from it"));
  else
    {
      const JxModel *model = jx_model_item_get_model (a);
      JxSampleOptions opt;
      JxRng rng;
      JxTree sampled;
      JxP4 seed;
      JxError err = { 0 };
      JxSampleStatus st;
      double log_p = 0.0;
      int redrawn = 0;

      /* The data jet's momentum when there is one, so the two can be compared. */
      seed = data_tree ? data_tree->nodes[data_tree->root].p
                       : jx_sample_seed_along_z (DEFAULT_SEED_ENERGY, DEFAULT_SEED_MASS);
      jx_sample_options_default (&opt);
      jx_sample_options_use_meta (&opt, jx_model_item_get_meta (a));
      opt.threads = 1;
      jx_rng_seed (&rng, 0x5EED, self->sample_seed);
      if (jx_sample_jet (model, seed, &opt, &rng, NULL, &sampled, NULL, &log_p, &st, &redrawn,
                         &err) != 0)
        set_message (self, err.message);
      else
        {
          if (gtk_drop_down_get_selected (self->algorithm_dropdown) == ALGO_MODEL)
            {
              self->tree = sampled;   /* the model's own ordering */
              self->have_tree = TRUE;
            }
          else
            {
              take_particles_of (self, &sampled, algorithm);
              jx_tree_free (&sampled);
            }
          status = g_strdup_printf (_("Sampled from %s (sample %" G_GUINT64_FORMAT "), ln P = %.1f, %s ordering"),
                                    jx_model_item_get_title (a), self->sample_seed + 1, log_p,
                                    jx_algorithm_name (algorithm));
        }
    }

  gtk_label_set_text (self->status_label, status ? status : "");
  gtk_adjustment_set_upper (self->step_adjustment, MAX (n_steps (self), 0));
  /* Start from the last step: the whole jet, then step back through it. */
  self->step = -1;
  jx_shower_page_set_step (self, n_steps (self));
}

static void
on_source_changed (JxShowerPage *self)
{
  rebuild (self);
}

static void
on_resample_clicked (JxShowerPage *self)
{
  self->sample_seed++;
  rebuild (self);
}

static void
on_step_changed (JxShowerPage *self)
{
  jx_shower_page_set_step (self, (int) (gtk_adjustment_get_value (self->step_adjustment) + 0.5));
}

static void
on_prev_clicked (JxShowerPage *self)
{
  stop_playing (self);
  jx_shower_page_set_step (self, self->step - 1);
}

static void
on_next_clicked (JxShowerPage *self)
{
  stop_playing (self);
  jx_shower_page_set_step (self, self->step + 1);
}

static gboolean
play_tick (gpointer data)
{
  JxShowerPage *self = data;

  if (self->step >= n_steps (self))
    {
      self->play_source = 0;
      stop_playing (self);
      return G_SOURCE_REMOVE;
    }
  jx_shower_page_set_step (self, self->step + 1);
  return G_SOURCE_CONTINUE;
}

static void
on_play_toggled (JxShowerPage *self)
{
  gboolean active = gtk_toggle_button_get_active (self->play_button);

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            active ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               active ? _("Pause") : _("Play the shower"));
  if (!active)
    {
      g_clear_handle_id (&self->play_source, g_source_remove);
      return;
    }
  if (n_steps (self) == 0)
    {
      gtk_toggle_button_set_active (self->play_button, FALSE);
      return;
    }
  /* Playing from the end starts over. */
  if (self->step >= n_steps (self))
    jx_shower_page_set_step (self, 0);
  if (self->play_source == 0)
    self->play_source = g_timeout_add (PLAY_INTERVAL_MS, play_tick, self);
}

static void
on_export_clicked (JxShowerPage *self)
{
  g_autofree char *name = g_strdup_printf ("shower-step-%d.png", self->step);

  jx_figure_canvas_export_dialog (self->canvas, name, self->status_label);
}

static void
jx_shower_page_unmap (GtkWidget *widget)
{
  /* No animation for a page nobody sees. */
  stop_playing (JX_SHOWER_PAGE (widget));
  GTK_WIDGET_CLASS (jx_shower_page_parent_class)->unmap (widget);
}

static void
on_colormap_changed (JxShowerPage *self)
{
  jx_figure_canvas_invalidate (self->canvas);
}

static void
jx_shower_page_dispose (GObject *object)
{
  JxShowerPage *self = JX_SHOWER_PAGE (object);

  g_clear_handle_id (&self->play_source, g_source_remove);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  if (self->settings_signals != NULL)
    g_signal_group_set_target (self->settings_signals, NULL);
  g_clear_object (&self->settings_signals);
  g_clear_object (&self->settings);
  if (self->have_tree)
    jx_tree_free (&self->tree);
  self->have_tree = FALSE;
  g_clear_pointer (&self->message, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_SHOWER_PAGE);

  G_OBJECT_CLASS (jx_shower_page_parent_class)->dispose (object);
}

static void
jx_shower_page_class_init (JxShowerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_shower_page_dispose;
  widget_class->unmap = jx_shower_page_unmap;

  g_type_ensure (JX_TYPE_FIGURE_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-shower-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, algorithm_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, resample_button);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, step_adjustment);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, step_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, canvas);
  gtk_widget_class_bind_template_callback (widget_class, on_source_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_resample_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_step_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_prev_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_play_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
jx_shower_page_init (JxShowerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jx_figure_canvas_set_draw_func (self->canvas, draw_figure, self, NULL);

  self->session_signals = g_signal_group_new (JX_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset",
                                  G_CALLBACK (rebuild), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::jet-index",
                                  G_CALLBACK (rebuild), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-a",
                                  G_CALLBACK (rebuild), self);
  self->settings_signals = g_signal_group_new (G_TYPE_SETTINGS);
  g_signal_group_connect_swapped (self->settings_signals, "changed::colormap",
                                  G_CALLBACK (on_colormap_changed), self);
  rebuild (self);
}

GtkWidget *
jx_shower_page_new (void)
{
  return g_object_new (JX_TYPE_SHOWER_PAGE, NULL);
}

void
jx_shower_page_set_session (JxShowerPage *self, JxSession *session)
{
  g_return_if_fail (JX_IS_SHOWER_PAGE (self));
  g_return_if_fail (session == NULL || JX_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  rebuild (self);
}

void
jx_shower_page_set_settings (JxShowerPage *self, GSettings *settings)
{
  g_return_if_fail (JX_IS_SHOWER_PAGE (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;
  g_signal_group_set_target (self->settings_signals, settings);
  on_colormap_changed (self);
}

int
jx_shower_page_get_step (JxShowerPage *self)
{
  g_return_val_if_fail (JX_IS_SHOWER_PAGE (self), 0);

  return self->step;
}

int
jx_shower_page_get_n_steps (JxShowerPage *self)
{
  g_return_val_if_fail (JX_IS_SHOWER_PAGE (self), 0);

  return n_steps (self);
}

void
jx_shower_page_set_step (JxShowerPage *self, int step)
{
  g_return_if_fail (JX_IS_SHOWER_PAGE (self));

  step = CLAMP (step, 0, n_steps (self));
  if (step == self->step)
    return;
  self->step = step;
  if ((int) (gtk_adjustment_get_value (self->step_adjustment) + 0.5) != step)
    gtk_adjustment_set_value (self->step_adjustment, step);
  update_step_label (self);
  jx_figure_canvas_invalidate (self->canvas);
}

const char *
jx_shower_page_get_step_text (JxShowerPage *self)
{
  g_return_val_if_fail (JX_IS_SHOWER_PAGE (self), NULL);

  return gtk_label_get_text (self->step_label);
}

gboolean
jx_shower_page_get_playing (JxShowerPage *self)
{
  g_return_val_if_fail (JX_IS_SHOWER_PAGE (self), FALSE);

  return self->play_source != 0;
}

void
jx_shower_page_set_playing (JxShowerPage *self, gboolean playing)
{
  g_return_if_fail (JX_IS_SHOWER_PAGE (self));

  gtk_toggle_button_set_active (self->play_button, playing);
}

gboolean
jx_shower_page_export (JxShowerPage *self, const char *path, GError **error)
{
  g_return_val_if_fail (JX_IS_SHOWER_PAGE (self), FALSE);

  return jx_figure_canvas_export (self->canvas, path, error);
}
