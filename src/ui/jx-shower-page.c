/* jx-shower-page.c — the Shower page (see jx-shower-page.h). */
#define G_LOG_DOMAIN "jx-shower-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-application.h"
#include "jx-demo-models.h"
#include "jx-sample.h"
#include "jx-shower-page.h"
#include "jx-shower-stage.h"

#define PLAY_INTERVAL_MS 600     /* one emission per 0.6 s at 1× */
#define DEFAULT_SEED_ENERGY 500.0
#define DEFAULT_SEED_MASS 91.2   /* as junipr sample's default; a massless jet cannot split */

/* Demo model files, by JxShowerModel (NULL: a library model). */
static const char *const demo_files[JX_SHOWER_N_MODELS] = {
  NULL, NULL, "quark-model.h5", "quark-printer-model.h5", "quark-antikt-model.h5",
  "quark-local-model.h5",
};

/* The "Second shower" drop-down's entries. */
static const JxShowerModel beside_models[] = {
  JX_SHOWER_MODEL_NONE, JX_SHOWER_MODEL_DEMO_LOCAL, JX_SHOWER_MODEL_A, JX_SHOWER_MODEL_B,
  JX_SHOWER_MODEL_DEMO_CA, JX_SHOWER_MODEL_DEMO_PRINTER, JX_SHOWER_MODEL_DEMO_ANTIKT,
};

/* Playback speeds of the "Playback speed" drop-down. */
static const double speeds[] = { 0.5, 1, 2, 4 };

struct _JxShowerPage
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkDropDown *source_dropdown;
  GtkDropDown *model_dropdown;
  GtkDropDown *beside_dropdown;
  GtkDropDown *speed_dropdown;
  GtkButton *resample_button;
  GtkToggleButton *play_button;
  GtkAdjustment *step_adjustment;
  GtkLabel *step_label;
  JxShowerStage *stage;
  JxShowerStage *beside_stage;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GSettings *settings;       /* NULL: viridis */
  GSignalGroup *settings_signals;
  JxModelItem *demo[JX_SHOWER_N_MODELS];   /* loaded on first use */
  guint64 sample_seed;
  guint play_source;
  int step;
};

G_DEFINE_FINAL_TYPE (JxShowerPage, jx_shower_page, GTK_TYPE_BOX)

static int
n_steps (JxShowerPage *self)
{
  int n = jx_shower_stage_get_n_steps (self->stage);

  if (gtk_widget_get_visible (GTK_WIDGET (self->beside_stage)))
    n = MAX (n, jx_shower_stage_get_n_steps (self->beside_stage));
  return n;
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

static JxShowerModel
beside_model (JxShowerPage *self)
{
  guint i = gtk_drop_down_get_selected (self->beside_dropdown);

  return i < G_N_ELEMENTS (beside_models) ? beside_models[i] : JX_SHOWER_MODEL_NONE;
}

/* The model item behind choice m, loading a demo model on first use; NULL with *why set. */
static JxModelItem *
model_for (JxShowerPage *self, JxShowerModel m, char **why)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  JxModel *model = NULL;
  JxModelMeta meta;
  JxError err = { 0 };

  if (m == JX_SHOWER_MODEL_A || m == JX_SHOWER_MODEL_B)
    {
      JxModelItem *item = NULL;
      if (self->session != NULL)
        item = m == JX_SHOWER_MODEL_A ? jx_session_get_model_a (self->session)
                                      : jx_session_get_model_b (self->session);
      if (item == NULL)
        *why = g_strdup (m == JX_SHOWER_MODEL_A ? _("Choose a model A in the library")
                                                : _("Choose a model B in the library"));
      return item;
    }
  if (self->demo[m] != NULL)
    return self->demo[m];
  dir = jx_demo_models_dir ();
  if (dir == NULL)
    {
      *why = g_strdup (_("The demo models were not found: set JUNIPR_EXPLORER_MODELS to the "
                         "data/models directory"));
      return NULL;
    }
  /* A 100 kB file: read here, once. */
  path = g_build_filename (dir, demo_files[m], NULL);
  if (jx_model_load (path, &model, &meta, NULL, NULL, &err) != 0)
    {
      *why = g_strdup (err.message);
      return NULL;
    }
  self->demo[m] = jx_model_item_new (model, &meta, path);
  return self->demo[m];
}

static const char *
algorithm_title (JxAlgorithm algorithm)
{
  switch (algorithm)
    {
    case JX_ALGO_CA: return _("C/A");
    case JX_ALGO_KT: return _("kt");
    case JX_ALGO_ANTIKT: return _("anti-kt");
    case JX_ALGO_PRINTER: return _("printer");
    default: return "?";
    }
}

/* A short name of a model for titles: its file, with its clustering (and "local"). */
static char *
model_title (JxModelItem *item)
{
  const JxModelMeta *meta = jx_model_item_get_meta (item);
  const JxModelConfig *cfg = jx_model_config (jx_model_item_get_model (item));
  g_autofree char *base = g_path_get_basename (jx_model_item_get_path (item)
                                               ? jx_model_item_get_path (item)
                                               : jx_model_item_get_title (item));
  g_autofree char *escaped = g_markup_escape_text (base, -1);

  return g_strdup_printf ("%s (%s%s)", escaped, algorithm_title (meta->clustering.algorithm),
                          cfg->local ? _(", local") : "");
}

/* Per-step scores of tree under model into a new array (NULL with *why when it cannot). */
static JxStepScore *
score (JxModelItem *item, const JxTree *tree, char **why)
{
  const JxModel *model = jx_model_item_get_model (item);
  JxStepScore *s;
  JxError err = { 0 };
  double log_p;

  if ((int) tree->n > jx_model_config (model)->max_mult)
    {
      *why = g_strdup_printf (_("not scored: %zu particles, the model's maximum is %d"), tree->n,
                              jx_model_config (model)->max_mult);
      return NULL;
    }
  s = g_new0 (JxStepScore, tree->n);
  if (jx_model_log_prob (model, tree, s, &log_p, NULL, &err) != 0)
    {
      *why = g_strdup (err.message);
      g_free (s);
      return NULL;
    }
  return s;
}

/* The browser's jet clustered as item's model clusters (C/A without a model). */
static gboolean
data_tree (JxShowerPage *self, JxModelItem *item, JxTree *tree, char **why)
{
  JxDatasetItem *ds = self->session ? jx_session_get_dataset (self->session) : NULL;
  int jet = self->session ? jx_session_get_jet_index (self->session) : -1;
  JxClusterOptions opt;
  JxError err = { 0 };
  const JxP4 *p;
  size_t n = 0;

  if (ds == NULL || jet < 0)
    {
      *why = g_strdup (ds ? _("Choose a jet in the jet browser")
                          : _("Open a dataset to step through its jets"));
      return FALSE;
    }
  if ((size_t) jet >= jx_dataset_item_get_n_jets (ds))
    {
      *why = g_strdup (_("Choose a jet in the jet browser"));
      return FALSE;
    }
  if (item != NULL)
    opt = jx_model_item_get_meta (item)->clustering;
  else
    jx_cluster_options_default (&opt);
  p = jx_dataset_item_get_jet (ds, (gsize) jet, &n, &err);
  if (p == NULL || jx_jet_validate (p, n, jet, &err) != 0
      || jx_tree_build (tree, p, n, &opt, NULL, &err) != 0)
    {
      jx_tree_free (tree);
      *why = g_strdup (err.message);
      return FALSE;
    }
  return TRUE;
}

/* Fill stage with the shower of model m; returns a plain status line. */
static char *
fill_stage (JxShowerPage *self, JxShowerStage *stage, JxShowerModel m)
{
  gboolean sampled = gtk_drop_down_get_selected (self->source_dropdown) == JX_SHOWER_SOURCE_SAMPLED;
  g_autofree char *why = NULL;
  g_autofree char *no_scores = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree JxStepScore *scores = NULL;
  JxModelItem *item = model_for (self, m, &why);
  JxTree tree = { 0 };

  if (item == NULL && (sampled || m != JX_SHOWER_MODEL_A))
    {
      jx_shower_stage_set_message (stage, why);
      return g_steal_pointer (&why);
    }
  g_clear_pointer (&why, g_free);
  if (sampled)
    {
      const JxTree *dt = self->session ? jx_session_get_tree (self->session) : NULL;
      JxSampleOptions opt;
      JxSampleStatus st;
      JxRng rng;
      JxError err = { 0 };
      double log_p;
      int redrawn;
      /* The data jet's momentum when there is one, so the two can be compared. */
      JxP4 seed = dt ? dt->nodes[dt->root].p
                     : jx_sample_seed_along_z (DEFAULT_SEED_ENERGY, DEFAULT_SEED_MASS);

      jx_sample_options_default (&opt);
      jx_sample_options_use_meta (&opt, jx_model_item_get_meta (item));
      opt.threads = 1;
      jx_rng_seed (&rng, 0x5EED, self->sample_seed);
      if (jx_sample_jet (jx_model_item_get_model (item), seed, &opt, &rng, NULL, &tree, NULL,
                         &log_p, &st, &redrawn, &err) != 0)
        {
          jx_shower_stage_set_message (stage, err.message);
          return g_strdup (err.message);
        }
    }
  else if (!data_tree (self, item, &tree, &why))
    {
      jx_shower_stage_set_message (stage, why);
      return g_steal_pointer (&why);
    }
  if (item != NULL)
    {
      scores = score (item, &tree, &no_scores);
      name = model_title (item);
    }
  else
    no_scores = g_strdup (_("not scored: no model A"));

  if (sampled)
    title = g_strdup_printf (_("sample %" G_GUINT64_FORMAT " of %s"), self->sample_seed + 1, name);
  else
    {
      int jet = jx_session_get_jet_index (self->session);
      title = name ? g_strdup_printf (_("jet %d · %s"), jet, name)
                   : g_strdup_printf (_("jet %d (C/A)"), jet);
    }
  jx_shower_stage_set_shower (stage, &tree, scores, title, no_scores);
  {
    double l10 = jx_shower_stage_get_log10_p (stage);
    g_autofree char *plain = NULL;
    pango_parse_markup (title, -1, 0, NULL, &plain, NULL, NULL);
    if (isfinite (l10))
      return g_strdup_printf (_("%s: log10 P = %.2f"), plain ? plain : title, l10);
    return g_strdup (plain ? plain : title);
  }
}

static void
rebuild (JxShowerPage *self)
{
  gboolean sampled = gtk_drop_down_get_selected (self->source_dropdown) == JX_SHOWER_SOURCE_SAMPLED;
  JxShowerModel beside = beside_model (self);
  g_autofree char *main_status = NULL;
  g_autofree char *beside_status = NULL;

  stop_playing (self);
  main_status = fill_stage (self, self->stage,
                            (JxShowerModel) gtk_drop_down_get_selected (self->model_dropdown));
  gtk_widget_set_visible (GTK_WIDGET (self->beside_stage), beside != JX_SHOWER_MODEL_NONE);
  if (beside != JX_SHOWER_MODEL_NONE)
    beside_status = fill_stage (self, self->beside_stage, beside);
  gtk_widget_set_sensitive (GTK_WIDGET (self->resample_button), sampled);
  /* The figures' titles say where the showers come from; the same in one line here. */
  {
    g_autofree char *both = beside_status
                            ? g_strdup_printf (_("%s · beside: %s"), main_status, beside_status)
                            : g_strdup (main_status);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->step_label), both);
  }
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

static guint
play_interval (JxShowerPage *self)
{
  guint i = gtk_drop_down_get_selected (self->speed_dropdown);
  double speed = i < G_N_ELEMENTS (speeds) ? speeds[i] : 1;

  return (guint) (PLAY_INTERVAL_MS / speed);
}

static void
on_play_toggled (JxShowerPage *self)
{
  gboolean active = gtk_toggle_button_get_active (self->play_button);

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            active ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               active ? _("Pause (Space)") : _("Play the shower (Space)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, active ? _("Pause") : _("Play"),
                                  -1);
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
    self->play_source = g_timeout_add (play_interval (self), play_tick, self);
}

static void
on_speed_changed (JxShowerPage *self)
{
  if (self->play_source == 0)
    return;
  g_clear_handle_id (&self->play_source, g_source_remove);
  self->play_source = g_timeout_add (play_interval (self), play_tick, self);
}

static void
on_export_clicked (JxShowerPage *self)
{
  /* The window's export: a file chooser, then a toast with the outcome. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.export", NULL);
}

/* Space, ←, →, Home, End anywhere in the window while the page is shown, except in text
 * fields (the browser's filter). */
static gboolean
on_key_shortcut (GtkWidget *widget, GVariant *args, gpointer data)
{
  JxShowerPage *self = data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  const char *key = g_variant_get_string (args, NULL);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || (focus != NULL && GTK_IS_EDITABLE (focus)))
    return FALSE;
  if (g_str_equal (key, "play"))
    jx_shower_page_set_playing (self, !jx_shower_page_get_playing (self));
  else
    {
      stop_playing (self);
      if (g_str_equal (key, "prev"))
        jx_shower_page_set_step (self, self->step - 1);
      else if (g_str_equal (key, "next"))
        jx_shower_page_set_step (self, self->step + 1);
      else if (g_str_equal (key, "home"))
        jx_shower_page_set_step (self, 0);
      else
        jx_shower_page_set_step (self, n_steps (self));
    }
  return TRUE;
}

static void
add_shortcuts (JxShowerPage *self)
{
  GtkEventController *ctl = gtk_shortcut_controller_new ();
  static const struct { guint key; const char *what; } keys[] = {
    { GDK_KEY_space, "play" }, { GDK_KEY_Left, "prev" }, { GDK_KEY_Right, "next" },
    { GDK_KEY_Home, "home" }, { GDK_KEY_End, "end" },
  };

  /* Global and in the capture phase: a focused button or slider must not eat the key first. */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (ctl), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_event_controller_set_propagation_phase (ctl, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcut *sc = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                                          gtk_callback_action_new (on_key_shortcut, self, NULL));
      gtk_shortcut_set_arguments (sc, g_variant_new_string (keys[i].what));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (ctl), sc);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), ctl);
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
  JxColormap map = jx_application_get_colormap (self->settings);

  jx_shower_stage_set_colormap (self->stage, map);
  jx_shower_stage_set_colormap (self->beside_stage, map);
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
  for (int m = 0; m < JX_SHOWER_N_MODELS; m++)
    g_clear_object (&self->demo[m]);
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

  g_type_ensure (JX_TYPE_SHOWER_STAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-shower-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, beside_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, resample_button);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, step_adjustment);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, step_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, stage);
  gtk_widget_class_bind_template_child (widget_class, JxShowerPage, beside_stage);
  gtk_widget_class_bind_template_callback (widget_class, on_source_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_resample_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_step_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_prev_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_play_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_speed_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
jx_shower_page_init (JxShowerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jx_shower_stage_set_name (self->beside_stage, _("Second shower"));
  add_shortcuts (self);

  self->session_signals = g_signal_group_new (JX_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset",
                                  G_CALLBACK (rebuild), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::jet-index",
                                  G_CALLBACK (rebuild), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-a",
                                  G_CALLBACK (rebuild), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-b",
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

void
jx_shower_page_set_source (JxShowerPage *self, JxShowerSource source)
{
  g_return_if_fail (JX_IS_SHOWER_PAGE (self));

  gtk_drop_down_set_selected (self->source_dropdown, source);
}

void
jx_shower_page_set_model (JxShowerPage *self, JxShowerModel model)
{
  g_return_if_fail (JX_IS_SHOWER_PAGE (self));
  g_return_if_fail (model >= 0 && model < JX_SHOWER_N_MODELS);

  gtk_drop_down_set_selected (self->model_dropdown, model);
}

void
jx_shower_page_set_beside (JxShowerPage *self, JxShowerModel model)
{
  g_return_if_fail (JX_IS_SHOWER_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (beside_models); i++)
    if (beside_models[i] == model)
      gtk_drop_down_set_selected (self->beside_dropdown, i);
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
  jx_shower_stage_set_step (self->stage, step);
  jx_shower_stage_set_step (self->beside_stage, step);
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

  if (!gtk_widget_get_visible (GTK_WIDGET (self->beside_stage)))
    return jx_shower_stage_export (self->stage, path, error);
  return jx_shower_stage_export_pair (self->stage, self->beside_stage, path, error);
}
