/* jx-job-dialog.c — job options, mirroring `junipr generate|train|eval|sample|reweight`: every
 * number is checked as it is typed with the command line's ranges (JxNumberRow), checks across
 * fields run after every change, Start is sensitive only when all pass, and the last values are
 * remembered (GSettings "job-options", one entry per field). */
#define G_LOG_DOMAIN "jx-job-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jx-job-dialog.h"
#include "jx-number-row.h"
#include "jx-reweight.h"
#include "jx-window-private.h"

struct _JxJobDialog
{
  AdwWindow parent_instance;

  /* Template Widgets */
  AdwWindowTitle *window_title;
  GtkButton *start_button;
  AdwEntryRow *output_row;
  GtkLabel *output_label;
  GtkLabel *problem_label;
  AdwPreferencesGroup *generate_group;
  AdwComboRow *process_row;
  AdwComboRow *level_row;
  JxNumberRow *gen_jets_row;
  JxNumberRow *alpha_row;
  JxNumberRow *sqrt_s_row;
  AdwExpanderRow *energy_window_row;
  JxNumberRow *e_lo_row;
  JxNumberRow *e_hi_row;
  AdwExpanderRow *mass_window_row;
  JxNumberRow *m_lo_row;
  JxNumberRow *m_hi_row;
  JxNumberRow *gen_esub_row;
  JxNumberRow *gen_rsub_row;
  JxNumberRow *pt_min_row;
  GtkSwitch *mec_switch;
  JxNumberRow *f_long_row;
  JxNumberRow *gen_seed_row;
  AdwPreferencesGroup *train_group;
  AdwComboRow *train_data_row;
  AdwComboRow *algorithm_row;
  AdwComboRow *metric_row;
  JxNumberRow *esub_row;
  JxNumberRow *rsub_row;
  AdwComboRow *branch_row;
  GtkSwitch *local_switch;
  AdwComboRow *recurrent_row;
  JxNumberRow *hidden_row;
  JxNumberRow *dense_row;
  JxNumberRow *max_mult_row;
  AdwComboRow *schedule_row;
  AdwComboRow *optimizer_row;
  JxNumberRow *epochs_row;
  JxNumberRow *val_row;
  JxNumberRow *train_seed_row;
  AdwPreferencesGroup *eval_group;
  AdwComboRow *eval_model_row;
  AdwComboRow *eval_data_row;
  GtkSwitch *per_step_switch;
  AdwComboRow *eval_use_row;
  AdwPreferencesGroup *sample_group;
  AdwComboRow *sample_model_row;
  AdwComboRow *sample_seeds_row;
  JxNumberRow *jet_energy_row;
  JxNumberRow *jet_mass_row;
  JxNumberRow *sample_jets_row;
  AdwComboRow *cell_row;
  JxNumberRow *max_length_row;
  JxNumberRow *max_redraws_row;
  JxNumberRow *sample_seed_row;
  AdwPreferencesGroup *reweight_group;
  AdwComboRow *rw_data_row;
  AdwComboRow *rw_target_row;
  AdwComboRow *rw_source_row;
  JxNumberRow *clip_row;

  /* Borrowed References */
  JxWindow *window;
  /* Owned References */
  char *kind;            /* "generate", "train", "evaluate", "sample", "reweight" */
  GPtrArray *datasets;   /* JxDatasetItem, in combo order */
  GPtrArray *models;     /* JxModelItem */
  gboolean filling;      /* setting values: no checks until all are there */
};

G_DEFINE_FINAL_TYPE (JxJobDialog, jx_job_dialog, ADW_TYPE_WINDOW)

static const char *const algorithms[] = { "ca", "kt", "antikt", "printer" };
static const JxMetric metrics[] = { JX_METRIC_EE, JX_METRIC_PP };
static const JxRecurrentKind recurrents[] = { JX_RECURRENT_RNN, JX_RECURRENT_LSTM, JX_RECURRENT_GRU };
static const JxCellSampling cell_modes[] = { JX_CELL_MASSLESS, JX_CELL_UNIFORM, JX_CELL_LINEAR };

/* Ranges of fields the table of jx-option-ranges does not have (the CLI parses them as plain
 * seeds, windows, or with a 0 that means "the default"). */
static const JxOptionRange seed_range = { "", "--seed", 0, 9007199254740991.0, TRUE, "" };
static const JxOptionRange window_range = { "", "window", 0, 1e5, FALSE, "GeV" };

/* The fields whose values are remembered: a key of the settings dictionary and the widget. */
typedef struct {
  const char *key;
  gsize offset;
} Remembered;

#define FIELD(key, member) { key, G_STRUCT_OFFSET (JxJobDialog, member) }
static const Remembered remembered[] = {
  FIELD ("generate.process", process_row), FIELD ("generate.level", level_row),
  FIELD ("generate.jets", gen_jets_row),
  FIELD ("generate.alpha-s", alpha_row), FIELD ("generate.sqrt-s", sqrt_s_row),
  FIELD ("generate.energy-window", energy_window_row), FIELD ("generate.energy-lo", e_lo_row),
  FIELD ("generate.energy-hi", e_hi_row), FIELD ("generate.mass-window", mass_window_row),
  FIELD ("generate.mass-lo", m_lo_row), FIELD ("generate.mass-hi", m_hi_row),
  FIELD ("generate.esub", gen_esub_row), FIELD ("generate.rsub", gen_rsub_row),
  FIELD ("generate.pt-min", pt_min_row), FIELD ("generate.mec", mec_switch),
  FIELD ("generate.f-long", f_long_row), FIELD ("generate.seed", gen_seed_row),
  FIELD ("train.algorithm", algorithm_row), FIELD ("train.metric", metric_row),
  FIELD ("train.esub", esub_row), FIELD ("train.recurrent", recurrent_row),
  FIELD ("train.rsub", rsub_row), FIELD ("train.branch", branch_row),
  FIELD ("train.local", local_switch), FIELD ("train.hidden", hidden_row),
  FIELD ("train.dense", dense_row), FIELD ("train.max-mult", max_mult_row),
  FIELD ("train.schedule", schedule_row), FIELD ("train.optimizer", optimizer_row),
  FIELD ("train.epochs", epochs_row), FIELD ("train.val-fraction", val_row),
  FIELD ("train.seed", train_seed_row),
  FIELD ("evaluate.per-step", per_step_switch), FIELD ("evaluate.use", eval_use_row),
  FIELD ("sample.jet-energy", jet_energy_row), FIELD ("sample.jet-mass", jet_mass_row),
  FIELD ("sample.jets", sample_jets_row), FIELD ("sample.cell", cell_row),
  FIELD ("sample.max-length", max_length_row), FIELD ("sample.max-redraws", max_redraws_row),
  FIELD ("sample.seed", sample_seed_row),
  FIELD ("reweight.clip", clip_row),
};
#undef FIELD

static GtkWidget *
field_widget (JxJobDialog *self, const Remembered *f)
{
  return *(GtkWidget **) G_STRUCT_MEMBER_P (self, f->offset);
}

static gboolean
field_of_kind (JxJobDialog *self, const Remembered *f)
{
  gsize n = strlen (self->kind);
  return strncmp (f->key, self->kind, n) == 0 && f->key[n] == '.';
}

/* ---- combos of library items ---- */

static void
fill_combo (AdwComboRow *row, GPtrArray *items, gboolean models, gpointer preferred)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; i < items->len; i++)
    {
      gpointer it = g_ptr_array_index (items, i);
      gtk_string_list_append (list, models ? jx_model_item_get_title (it)
                                           : jx_dataset_item_get_title (it));
      if (it == preferred)
        selected = i;
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (row, selected);
}

static gpointer
combo_item (AdwComboRow *row, GPtrArray *items)
{
  guint i = adw_combo_row_get_selected (row);
  return i < items->len ? g_ptr_array_index (items, i) : NULL;
}

static gboolean
same_kind (JxJobDialog *self, const char *kind)
{
  return strcmp (self->kind, kind) == 0;
}

/* ---- defaults, remembered values ---- */

static void
set_defaults (JxJobDialog *self)
{
  JxGenConfig gen;
  JxModelConfig model;
  JxTrainOptions train;
  JxSampleOptions sample;
  GSettings *settings = self->window->settings;

  jx_gen_config_default (&gen);
  adw_combo_row_set_selected (self->process_row, gen.process == JX_PROCESS_ZZ);
  adw_combo_row_set_selected (self->level_row, gen.level == JX_LEVEL_PARTON);
  jx_number_row_set_value (self->gen_jets_row, 2000);
  jx_number_row_set_value (self->alpha_row, gen.alpha_s);
  jx_number_row_set_value (self->sqrt_s_row, gen.sqrt_s);
  adw_expander_row_set_enable_expansion (self->energy_window_row, gen.e_window);
  jx_number_row_set_value (self->e_lo_row, gen.e_lo);
  jx_number_row_set_value (self->e_hi_row, gen.e_hi);
  adw_expander_row_set_enable_expansion (self->mass_window_row, gen.m_window);
  jx_number_row_set_value (self->m_lo_row, gen.m_lo);
  jx_number_row_set_value (self->m_hi_row, gen.m_hi);
  jx_number_row_set_value (self->gen_esub_row, gen.esub);
  jx_number_row_set_value (self->gen_rsub_row, gen.rsub);
  jx_number_row_set_value (self->pt_min_row, gen.pt_min);
  gtk_switch_set_active (self->mec_switch, gen.mec);
  jx_number_row_set_value (self->f_long_row, gen.f_long);
  jx_number_row_set_value (self->gen_seed_row, (double) gen.seed);

  /* New models start from the preferences' clustering; a small, quick network. */
  jx_model_config_default (&model);
  jx_train_options_default (&train);
  jx_number_row_set_value (self->esub_row, settings ? g_settings_get_double (settings, "esub") : 1.0);
  jx_number_row_set_value (self->rsub_row, settings ? g_settings_get_double (settings, "rsub") : 0.1);
  if (settings != NULL)
    {
      g_autofree char *algo = g_settings_get_string (settings, "clustering-algorithm");
      for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
        if (strcmp (algo, algorithms[i]) == 0)
          adw_combo_row_set_selected (self->algorithm_row, i);
    }
  adw_combo_row_set_selected (self->metric_row, 0);
  adw_combo_row_set_selected (self->recurrent_row, 0);
  adw_combo_row_set_selected (self->branch_row, 1);
  gtk_switch_set_active (self->local_switch, model.local);
  jx_number_row_set_value (self->hidden_row, 32);
  jx_number_row_set_value (self->dense_row, 48);
  jx_number_row_set_value (self->max_mult_row, model.max_mult);
  adw_combo_row_set_selected (self->schedule_row, 0);
  adw_combo_row_set_selected (self->optimizer_row, 0);
  jx_number_row_set_value (self->epochs_row, 0);
  jx_number_row_set_value (self->val_row, train.val_fraction);
  jx_number_row_set_value (self->train_seed_row, (double) train.seed);

  jx_sample_options_default (&sample);
  jx_number_row_set_value (self->jet_energy_row, 500);
  jx_number_row_set_value (self->jet_mass_row, 91.2);
  jx_number_row_set_value (self->sample_jets_row, 1000);
  for (guint i = 0; i < G_N_ELEMENTS (cell_modes); i++)
    if (cell_modes[i] == sample.cell)
      adw_combo_row_set_selected (self->cell_row, i);
  jx_number_row_set_value (self->max_length_row, sample.max_length);
  jx_number_row_set_value (self->max_redraws_row, sample.max_redraws);
  jx_number_row_set_value (self->sample_seed_row, 1);

  jx_number_row_set_value (self->clip_row, JX_REWEIGHT_CLIP_DEFAULT);
}

static void
restore_values (JxJobDialog *self)
{
  g_autoptr (GVariant) dict = NULL;

  if (self->window->settings == NULL)
    return;
  dict = g_settings_get_value (self->window->settings, "job-options");
  for (guint i = 0; i < G_N_ELEMENTS (remembered); i++)
    {
      GtkWidget *w = field_widget (self, &remembered[i]);
      g_autoptr (GVariant) v = g_variant_lookup_value (dict, remembered[i].key, NULL);

      if (v == NULL)
        continue;
      if (JX_IS_NUMBER_ROW (w) && g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
        jx_number_row_set_value (JX_NUMBER_ROW (w), g_variant_get_double (v));
      else if (ADW_IS_COMBO_ROW (w) && g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32)
               && g_variant_get_uint32 (v) < g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (w))))
        adw_combo_row_set_selected (ADW_COMBO_ROW (w), g_variant_get_uint32 (v));
      else if (GTK_IS_SWITCH (w) && g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        gtk_switch_set_active (GTK_SWITCH (w), g_variant_get_boolean (v));
      else if (ADW_IS_EXPANDER_ROW (w) && g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (w), g_variant_get_boolean (v));
    }
}

/* This kind's allowed values replace the remembered ones; other kinds' entries stay. */
static void
remember_values (JxJobDialog *self)
{
  g_autoptr (GVariant) old = NULL;
  GVariantBuilder b;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (self->window == NULL || self->window->settings == NULL)
    return;
  old = g_settings_get_value (self->window->settings, "job-options");
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      gsize n = strlen (self->kind);
      if (!(strncmp (key, self->kind, n) == 0 && key[n] == '.'))
        g_variant_builder_add (&b, "{sv}", key, value);
      g_variant_unref (value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (remembered); i++)
    {
      GtkWidget *w = field_widget (self, &remembered[i]);
      GVariant *v = NULL;

      if (!field_of_kind (self, &remembered[i]))
        continue;
      if (JX_IS_NUMBER_ROW (w) && jx_number_row_is_valid (JX_NUMBER_ROW (w)))
        v = g_variant_new_double (jx_number_row_get_value (JX_NUMBER_ROW (w)));
      else if (ADW_IS_COMBO_ROW (w))
        v = g_variant_new_uint32 (adw_combo_row_get_selected (ADW_COMBO_ROW (w)));
      else if (GTK_IS_SWITCH (w))
        v = g_variant_new_boolean (gtk_switch_get_active (GTK_SWITCH (w)));
      else if (ADW_IS_EXPANDER_ROW (w))
        v = g_variant_new_boolean (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (w)));
      if (v != NULL)
        g_variant_builder_add (&b, "{sv}", remembered[i].key, v);
    }
  g_settings_set_value (self->window->settings, "job-options", g_variant_builder_end (&b));
}

/* ---- checks ---- */

/* The generator's own check (αs at the cutoff, the ZZ threshold, windows LO < HI) names the
 * option it refuses ("--pt-min: ..."): the message goes beside that field. */
static JxNumberRow *
generator_row_for (JxJobDialog *self, const char *option)
{
  static const struct { const char *option; gsize offset; } rows[] = {
    { "--alpha-s", G_STRUCT_OFFSET (JxJobDialog, alpha_row) },
    { "--sqrt-s", G_STRUCT_OFFSET (JxJobDialog, sqrt_s_row) },
    { "--pt-min", G_STRUCT_OFFSET (JxJobDialog, pt_min_row) },
    { "--f-long", G_STRUCT_OFFSET (JxJobDialog, f_long_row) },
    { "--energy-window", G_STRUCT_OFFSET (JxJobDialog, e_hi_row) },
    { "--mass-window", G_STRUCT_OFFSET (JxJobDialog, m_hi_row) },
    { "--esub", G_STRUCT_OFFSET (JxJobDialog, gen_esub_row) },
    { "--rsub", G_STRUCT_OFFSET (JxJobDialog, gen_rsub_row) },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (strcmp (rows[i].option, option) == 0)
      return *(JxNumberRow **) G_STRUCT_MEMBER_P (self, rows[i].offset);
  return NULL;
}

static void
generator_config (JxJobDialog *self, JxGenConfig *cfg)
{
  jx_gen_config_default_level (cfg, adw_combo_row_get_selected (self->level_row) == 1
                                         ? JX_LEVEL_PARTON : JX_LEVEL_HADRON);
  cfg->process = adw_combo_row_get_selected (self->process_row) == 1 ? JX_PROCESS_ZZ : JX_PROCESS_QQ;
  cfg->alpha_s = jx_number_row_get_value (self->alpha_row);
  cfg->sqrt_s = jx_number_row_get_value (self->sqrt_s_row);
  cfg->pt_min = jx_number_row_get_value (self->pt_min_row);
  cfg->mec = gtk_switch_get_active (self->mec_switch);
  cfg->e_window = adw_expander_row_get_enable_expansion (self->energy_window_row);
  cfg->e_lo = jx_number_row_get_value (self->e_lo_row);
  cfg->e_hi = jx_number_row_get_value (self->e_hi_row);
  cfg->m_window = adw_expander_row_get_enable_expansion (self->mass_window_row);
  cfg->m_lo = jx_number_row_get_value (self->m_lo_row);
  cfg->m_hi = jx_number_row_get_value (self->m_hi_row);
  cfg->esub = jx_number_row_get_value (self->gen_esub_row);
  cfg->rsub = jx_number_row_get_value (self->gen_rsub_row);
  cfg->f_long = jx_number_row_get_value (self->f_long_row);
  cfg->seed = (guint64) jx_number_row_get_value (self->gen_seed_row);
}

/* The rows that count for this kind now (a window's bounds only while it is on; the jet
 * momentum only without seeding jets). */
static gboolean
row_counts (JxJobDialog *self, JxNumberRow *row)
{
  GtkWidget *w = GTK_WIDGET (row);

  if (row == self->e_lo_row || row == self->e_hi_row)
    return adw_expander_row_get_enable_expansion (self->energy_window_row);
  if (row == self->m_lo_row || row == self->m_hi_row)
    return adw_expander_row_get_enable_expansion (self->mass_window_row);
  return gtk_widget_get_sensitive (w);
}

/* The generator's message in the dialog's words: each "--option" it names becomes the title
 * of its field ("raise --pt-min" → "raise Shower cutoff p_T,min [GeV]"). */
static char *
in_field_words (JxJobDialog *self, const char *message)
{
  static const char *const options[] = { "--alpha-s", "--sqrt-s", "--pt-min", "--f-long",
                                         "--energy-window", "--mass-window", "--esub", "--rsub" };
  GString *s = g_string_new (message);

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      JxNumberRow *row = generator_row_for (self, options[i]);
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      if (g_str_has_suffix (options[i], "-window"))
        title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
          strcmp (options[i], "--energy-window") == 0 ? self->energy_window_row
                                                       : self->mass_window_row));
      g_string_replace (s, options[i], title, 0);
    }
  return g_string_free (s, FALSE);
}

static void
check_generator (JxJobDialog *self, GString *problems)
{
  JxGenConfig cfg;
  JxError err = { 0 };
  const char *colon;
  g_autofree char *option = NULL;
  g_autofree char *text = NULL;
  JxNumberRow *row = NULL;

  generator_config (self, &cfg);
  if (jx_gen_config_validate (&cfg, &err) == 0)
    return;
  colon = strstr (err.message, ": ");
  if (g_str_has_prefix (err.message, "--") && colon != NULL)
    {
      option = g_strndup (err.message, colon - err.message);
      row = generator_row_for (self, option);
    }
  if (row != NULL && row_counts (self, row))
    {
      text = in_field_words (self, colon + 2);
      jx_number_row_set_problem (row, text);
    }
  else
    {
      text = in_field_words (self, err.message);
      g_string_append (problems, text);
    }
}

static void
check_reweight (JxJobDialog *self, GString *problems)
{
  JxModelItem *target = combo_item (self->rw_target_row, self->models);
  JxModelItem *source = combo_item (self->rw_source_row, self->models);
  const JxClusterOptions *ct, *cs;

  if (target == NULL || source == NULL)
    return;
  ct = &jx_model_item_get_meta (target)->clustering;
  cs = &jx_model_item_get_meta (source)->clustering;
  if (target == source)
    g_string_append (problems, _("Target and source are the same model: every weight would be 1. "
                                 "Choose the model of the dataset’s sample as the source."));
  else if (!_jx_window_same_clustering (target, source))
    g_string_append_printf (problems,
                            _("The models cluster jets differently (%s %s, E_sub %g GeV, R_sub %g "
                              "vs %s %s, E_sub %g GeV, R_sub %g): their probabilities are of "
                              "different trees, so their ratio is not a weight. Choose two models "
                              "trained with the same clustering."),
                            jx_algorithm_name (ct->algorithm), jx_metric_name (ct->metric),
                            ct->esub, ct->rsub, jx_algorithm_name (cs->algorithm),
                            jx_metric_name (cs->metric), cs->esub, cs->rsub);
}

static void
check_train (JxJobDialog *self, GString *problems)
{
  JxDatasetItem *data = combo_item (self->train_data_row, self->datasets);

  if (data != NULL && jx_dataset_item_get_n_jets (data) < 2)
    g_string_append (problems, _("The dataset has fewer than 2 jets: nothing to train and "
                                 "validate on."));
}

static char *
output_stem (JxJobDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->output_row));
  g_autofree char *stem = g_strstrip (g_strdup (text));

  /* A name, not a path: results go to the app's data directory. */
  g_strdelimit (stem, "/\\", '-');
  if (g_str_has_suffix (stem, ".h5"))
    stem[strlen (stem) - 3] = '\0';
  return g_steal_pointer (&stem);
}

static gboolean
fields_valid (JxJobDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (remembered); i++)
    {
      GtkWidget *w = field_widget (self, &remembered[i]);
      if (field_of_kind (self, &remembered[i]) && JX_IS_NUMBER_ROW (w)
          && row_counts (self, JX_NUMBER_ROW (w)) && !jx_number_row_is_valid (JX_NUMBER_ROW (w)))
        return FALSE;
    }
  return TRUE;
}

static void
update (JxJobDialog *self)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autofree char *stem = NULL;
  gboolean ok;
  gboolean seeds_from_data = adw_combo_row_get_selected (self->sample_seeds_row) > 0;

  if (self->filling)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->jet_energy_row), !seeds_from_data);
  gtk_widget_set_sensitive (GTK_WIDGET (self->jet_mass_row), !seeds_from_data);

  /* Checks across fields first clear their old messages, then run on fields that pass alone. */
  for (guint i = 0; i < G_N_ELEMENTS (remembered); i++)
    {
      GtkWidget *w = field_widget (self, &remembered[i]);
      if (JX_IS_NUMBER_ROW (w))
        jx_number_row_set_problem (JX_NUMBER_ROW (w), NULL);
    }
  ok = fields_valid (self);
  if (ok && same_kind (self, "generate"))
    check_generator (self, problems);
  else if (ok && same_kind (self, "train"))
    check_train (self, problems);
  else if (ok && same_kind (self, "reweight"))
    check_reweight (self, problems);
  ok = fields_valid (self);
  ok = ok && problems->len == 0;

  gtk_label_set_text (self->problem_label, problems->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problems->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), ok);

  stem = output_stem (self);
  if (stem[0] != '\0')
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "junipr-explorer", NULL);
      g_autofree char *text = g_strdup_printf (_("Writes %s/%s.h5 (a number is added if it "
                                                 "exists)"), dir, stem);
      gtk_label_set_text (self->output_label, text);
    }
  else
    gtk_label_set_text (self->output_label, _("Give the output file a name"));
  if (stem[0] == '\0')
    gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), FALSE);
}

static void
on_changed (JxJobDialog *self)
{
  update (self);
}

/* ---- starting the job ---- */

static char *
output_path (JxJobDialog *self)
{
  g_autofree char *stem = output_stem (self);
  return _jx_window_output_path (self->window, stem);
}

static double
value_of (JxNumberRow *row)
{
  return jx_number_row_get_value (row);
}

static JxJob *
generate_job (JxJobDialog *self, int threads)
{
  JxGenerateData *d = jx_generate_data_new ();
  JxJobSpec spec = { .kind = JX_JOB_KIND_GENERATE };
  gboolean z;
  g_autofree char *title = NULL;

  generator_config (self, &d->cfg);
  z = d->cfg.process == JX_PROCESS_ZZ;
  d->cfg.threads = threads;
  d->n_jets = (gsize) value_of (self->gen_jets_row);
  d->output = output_path (self);
  title = g_strdup_printf (_("Generate %zu %s jets"), d->n_jets, z ? "Z" : _("quark"));
  return jx_job_new (&spec, title, jx_task_generate, d, jx_generate_data_free);
}

static JxJob *
train_job (JxJobDialog *self, int threads)
{
  JxWindow *w = self->window;
  JxDatasetItem *data = combo_item (self->train_data_row, self->datasets);
  JxTrainData *d = jx_train_data_new (data);
  JxJobSpec spec = { .kind = JX_JOB_KIND_TRAIN };
  const char *sched = adw_combo_row_get_selected (self->schedule_row) == 0 ? "fast" : "paper";
  guint optimizer = adw_combo_row_get_selected (self->optimizer_row);
  int epochs = (int) value_of (self->epochs_row);
  g_autofree char *title = NULL;

  jx_algorithm_parse (algorithms[adw_combo_row_get_selected (self->algorithm_row)],
                      &d->clustering.algorithm, NULL);
  d->clustering.metric = metrics[MIN (adw_combo_row_get_selected (self->metric_row),
                                      G_N_ELEMENTS (metrics) - 1)];
  d->clustering.esub = value_of (self->esub_row);
  d->clustering.rsub = value_of (self->rsub_row);
  if (w->settings != NULL)
    {
      d->cfg.scaling.e_jet = g_settings_get_double (w->settings, "scaling-e-jet");
      d->cfg.scaling.e_sub = g_settings_get_double (w->settings, "scaling-e-sub");
      d->cfg.scaling.r_jet = g_settings_get_double (w->settings, "scaling-r-jet");
      d->cfg.scaling.r_sub = g_settings_get_double (w->settings, "scaling-r-sub");
    }
  d->cfg.branch = adw_combo_row_get_selected (self->branch_row) == 1 ? JX_BRANCH_FACTORIZED
                                                                     : JX_BRANCH_JOINT;
  d->cfg.local = gtk_switch_get_active (self->local_switch);
  d->cfg.recurrent = recurrents[MIN (adw_combo_row_get_selected (self->recurrent_row),
                                     G_N_ELEMENTS (recurrents) - 1)];
  d->cfg.hidden = (int) value_of (self->hidden_row);
  d->cfg.dense = (int) value_of (self->dense_row);
  d->cfg.max_mult = (int) value_of (self->max_mult_row);
  jx_schedule_from_name (&d->opt.schedule, sched, NULL);
  /* As `junipr train`: Adam with the fast schedule, SGD with the paper's, unless chosen. */
  if (optimizer == 0)
    d->opt.optimizer = strcmp (sched, "fast") == 0 ? JX_OPTIM_ADAM : JX_OPTIM_SGD;
  else
    d->opt.optimizer = optimizer == 2 ? JX_OPTIM_ADAM : JX_OPTIM_SGD;
  if (epochs > 0)
    d->opt.epochs = epochs;
  d->opt.val_fraction = value_of (self->val_row);
  d->opt.seed = (guint64) value_of (self->train_seed_row);
  d->opt.threads = threads;
  d->opt.skip_bad = TRUE;
  d->opt.skip_long = TRUE;
  d->output = output_path (self);
  d->opt.dataset_name = jx_dataset_item_get_path (data);
  title = g_strdup_printf (_("Train on %s"), jx_dataset_item_get_title (data));
  return jx_job_new (&spec, title, jx_task_train, d, jx_train_data_free);
}

static JxJob *
eval_job (JxJobDialog *self, int threads)
{
  JxModelItem *m = combo_item (self->eval_model_row, self->models);
  JxDatasetItem *data = combo_item (self->eval_data_row, self->datasets);
  guint use = adw_combo_row_get_selected (self->eval_use_row);
  JxEvalData *d = jx_eval_data_new (data, m, use == 2 ? 1 : 0);
  /* The role says whether the model becomes A or B afterwards: asked, never assumed. */
  JxJobSpec spec = { .kind = JX_JOB_KIND_EVAL,
                     .role = use == 1 ? JX_JOB_ROLE_MODEL_A
                             : use == 2 ? JX_JOB_ROLE_MODEL_B : JX_JOB_ROLE_NONE };
  g_autofree char *title = g_strdup_printf (_("Score %s with %s"), jx_dataset_item_get_title (data),
                                            jx_model_item_get_title (m));

  d->threads = threads;
  d->per_step = gtk_switch_get_active (self->per_step_switch);
  d->output = output_path (self);
  return jx_job_new (&spec, title, jx_task_eval, d, jx_eval_data_free);
}

static JxJob *
sample_job (JxJobDialog *self, int threads)
{
  JxModelItem *m = combo_item (self->sample_model_row, self->models);
  JxSampleData *d = jx_sample_data_new (m);
  JxJobSpec spec = { .kind = JX_JOB_KIND_SAMPLE };
  guint seeds = adw_combo_row_get_selected (self->sample_seeds_row);
  g_autofree char *title = NULL;

  if (seeds > 0 && seeds - 1 < self->datasets->len)
    d->seeds = g_object_ref (g_ptr_array_index (self->datasets, seeds - 1));
  else
    d->seed_p4 = jx_sample_seed_along_z (value_of (self->jet_energy_row),
                                         value_of (self->jet_mass_row));
  d->n_jets = (gsize) value_of (self->sample_jets_row);
  d->seed = (guint64) value_of (self->sample_seed_row);
  d->opt.cell = cell_modes[MIN (adw_combo_row_get_selected (self->cell_row),
                                G_N_ELEMENTS (cell_modes) - 1)];
  d->opt.max_length = (int) value_of (self->max_length_row);
  d->opt.max_redraws = (int) value_of (self->max_redraws_row);
  d->threads = threads;
  d->output = output_path (self);
  title = g_strdup_printf (_("Sample %zu jets from %s"), d->n_jets, jx_model_item_get_title (m));
  return jx_job_new (&spec, title, jx_task_sample, d, jx_sample_data_free);
}

static JxJob *
reweight_job (JxJobDialog *self, int threads)
{
  JxDatasetItem *data = combo_item (self->rw_data_row, self->datasets);
  JxModelItem *target = combo_item (self->rw_target_row, self->models);
  JxModelItem *source = combo_item (self->rw_source_row, self->models);
  JxReweightData *d = jx_reweight_data_new (data, target, source);
  JxJobSpec spec = { .kind = JX_JOB_KIND_REWEIGHT };
  g_autofree char *title = g_strdup_printf (_("Reweight %s"), jx_dataset_item_get_title (data));

  d->clip = value_of (self->clip_row);
  d->threads = threads;
  d->output = output_path (self);
  return jx_job_new (&spec, title, jx_task_reweight, d, jx_reweight_data_free);
}

static void
on_start (GtkButton *button, JxJobDialog *self)
{
  int threads = _jx_window_get_threads (self->window);
  g_autoptr (JxJob) job = NULL;

  update (self);
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->start_button)))
    return;
  if (same_kind (self, "generate"))
    job = generate_job (self, threads);
  else if (same_kind (self, "train"))
    job = train_job (self, threads);
  else if (same_kind (self, "evaluate"))
    job = eval_job (self, threads);
  else if (same_kind (self, "sample"))
    job = sample_job (self, threads);
  else
    job = reweight_job (self, threads);
  remember_values (self);
  _jx_window_add_job (self->window, job);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_cancel (GtkButton *button, JxJobDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
on_close_request (GtkWindow *window, gpointer user_data)
{
  remember_values (JX_JOB_DIALOG (window));
  return FALSE;
}

/* ---- GObject ---- */

static void
jx_job_dialog_dispose (GObject *object)
{
  JxJobDialog *self = JX_JOB_DIALOG (object);

  g_clear_pointer (&self->datasets, g_ptr_array_unref);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->kind, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_JOB_DIALOG);

  G_OBJECT_CLASS (jx_job_dialog_parent_class)->dispose (object);
}

static void
jx_job_dialog_class_init (JxJobDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_job_dialog_dispose;

  g_type_ensure (JX_TYPE_NUMBER_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-job-dialog.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, JxJobDialog, name)
  CHILD (window_title); CHILD (start_button); CHILD (output_row); CHILD (output_label);
  CHILD (problem_label);
  CHILD (generate_group); CHILD (process_row); CHILD (level_row); CHILD (gen_jets_row);
  CHILD (alpha_row);
  CHILD (sqrt_s_row); CHILD (energy_window_row); CHILD (e_lo_row); CHILD (e_hi_row);
  CHILD (mass_window_row); CHILD (m_lo_row); CHILD (m_hi_row); CHILD (gen_esub_row);
  CHILD (gen_rsub_row); CHILD (pt_min_row); CHILD (mec_switch); CHILD (f_long_row);
  CHILD (gen_seed_row);
  CHILD (train_group); CHILD (train_data_row); CHILD (algorithm_row); CHILD (metric_row);
  CHILD (recurrent_row); CHILD (esub_row);
  CHILD (rsub_row); CHILD (branch_row); CHILD (local_switch); CHILD (hidden_row);
  CHILD (dense_row); CHILD (max_mult_row); CHILD (schedule_row); CHILD (optimizer_row);
  CHILD (epochs_row); CHILD (val_row); CHILD (train_seed_row);
  CHILD (eval_group); CHILD (eval_model_row); CHILD (eval_data_row); CHILD (per_step_switch);
  CHILD (eval_use_row);
  CHILD (sample_group); CHILD (sample_model_row); CHILD (sample_seeds_row);
  CHILD (jet_energy_row); CHILD (jet_mass_row); CHILD (sample_jets_row); CHILD (cell_row);
  CHILD (max_length_row); CHILD (max_redraws_row); CHILD (sample_seed_row);
  CHILD (reweight_group); CHILD (rw_data_row); CHILD (rw_target_row); CHILD (rw_source_row);
  CHILD (clip_row);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_start);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jx_job_dialog_init (JxJobDialog *self)
{
  JxOptionRange epochs = *jx_option_range ("train", "--epochs");
  JxOptionRange max_length = *jx_option_range ("sample", "--max-length");

  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->datasets = g_ptr_array_new_with_free_func (g_object_unref);
  self->models = g_ptr_array_new_with_free_func (g_object_unref);

  /* 0 stands for "the default" in these two. */
  epochs.lo = 0;
  max_length.lo = 0;
  jx_number_row_set_range (self->epochs_row, &epochs);
  jx_number_row_set_range (self->max_length_row, &max_length);
  jx_number_row_set_range (self->gen_seed_row, &seed_range);
  jx_number_row_set_range (self->train_seed_row, &seed_range);
  jx_number_row_set_range (self->sample_seed_row, &seed_range);
  jx_number_row_set_range (self->e_lo_row, &window_range);
  jx_number_row_set_range (self->e_hi_row, &window_range);
  jx_number_row_set_range (self->m_lo_row, &window_range);
  jx_number_row_set_range (self->m_hi_row, &window_range);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
}

/* "Quark jets (demo)" → "quark-jets-demo": a file name without blanks or brackets. */
static char *
slug (const char *prefix, const char *title)
{
  g_autofree char *lower = g_utf8_strdown (title, -1);
  GString *s = g_string_new (prefix);

  for (const char *p = lower; *p != '\0'; p++)
    {
      gboolean keep = g_ascii_isalnum (*p) || *p == '.' || *p == '_' || (guchar) *p >= 0x80;
      if (keep)
        g_string_append_c (s, *p);
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (g_str_has_suffix (s->str, ".h5"))
    g_string_truncate (s, s->len - 3);
  return g_string_free (s, FALSE);
}

static char *
default_output (JxJobDialog *self, JxSession *s)
{
  JxDatasetItem *ds = jx_session_get_dataset (s);
  JxModelItem *a = jx_session_get_model_a (s);
  const char *data = ds != NULL ? jx_dataset_item_get_title (ds) : "data";

  if (same_kind (self, "generate"))
    return g_strdup ("jets");
  if (same_kind (self, "train"))
    return slug ("model-", data);
  if (same_kind (self, "evaluate"))
    return slug ("scores-", data);
  if (same_kind (self, "sample"))
    return slug ("sample-", a != NULL ? jx_model_item_get_title (a) : "model");
  return slug ("reweighted-", data);
}

GtkWindow *
jx_job_dialog_new (JxWindow *window, const char *kind)
{
  JxJobDialog *self;
  JxSession *s;
  guint n;
  const char *missing = NULL;
  static const struct { const char *kind, *title; } titles[] = {
    { "generate", N_("Generate Jets") }, { "train", N_("Train a Model") },
    { "evaluate", N_("Evaluate a Model") }, { "sample", N_("Sample Jets") },
    { "reweight", N_("Reweight a Sample") },
  };
  const char *title = NULL;
  g_autoptr (GtkStringList) seeds = gtk_string_list_new (NULL);
  guint browsed = 0;
  g_autofree char *output = NULL;

  g_return_val_if_fail (JX_IS_WINDOW (window), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (strcmp (kind, titles[i].kind) == 0)
      title = _(titles[i].title);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (JX_TYPE_JOB_DIALOG, "transient-for", window, "modal", TRUE, NULL);
  self->window = window;
  self->kind = g_strdup (kind);
  s = window->session;
  n = g_list_model_get_n_items (G_LIST_MODEL (window->library));
  for (guint i = 0; i < n; i++)
    {
      GObject *item = g_list_model_get_item (G_LIST_MODEL (window->library), i);
      g_ptr_array_add (JX_IS_DATASET_ITEM (item) ? self->datasets : self->models, item);
    }

  if ((same_kind (self, "train") || same_kind (self, "evaluate") || same_kind (self, "reweight"))
      && self->datasets->len == 0)
    missing = _("Open or generate a dataset first");
  else if ((same_kind (self, "evaluate") || same_kind (self, "sample")) && self->models->len == 0)
    missing = _("Open or train a model first");
  else if (same_kind (self, "reweight") && self->models->len < 2)
    missing = _("Reweighting needs two models: open or train another one");
  if (missing != NULL)
    {
      _jx_window_toast (window, missing, 5);
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_widget_set_visible (GTK_WIDGET (self->generate_group), same_kind (self, "generate"));
  gtk_widget_set_visible (GTK_WIDGET (self->train_group), same_kind (self, "train"));
  gtk_widget_set_visible (GTK_WIDGET (self->eval_group), same_kind (self, "evaluate"));
  gtk_widget_set_visible (GTK_WIDGET (self->sample_group), same_kind (self, "sample"));
  gtk_widget_set_visible (GTK_WIDGET (self->reweight_group), same_kind (self, "reweight"));

  fill_combo (self->train_data_row, self->datasets, FALSE, jx_session_get_dataset (s));
  fill_combo (self->eval_data_row, self->datasets, FALSE, jx_session_get_dataset (s));
  fill_combo (self->rw_data_row, self->datasets, FALSE, jx_session_get_dataset (s));
  fill_combo (self->eval_model_row, self->models, TRUE, jx_session_get_model_a (s));
  fill_combo (self->sample_model_row, self->models, TRUE, jx_session_get_model_a (s));
  fill_combo (self->rw_target_row, self->models, TRUE, jx_session_get_model_a (s));
  fill_combo (self->rw_source_row, self->models, TRUE, jx_session_get_model_b (s));
  gtk_string_list_append (seeds, _("one momentum along z (below)"));
  for (guint i = 0; i < self->datasets->len; i++)
    {
      gtk_string_list_append (seeds, jx_dataset_item_get_title (g_ptr_array_index (self->datasets, i)));
      if (g_ptr_array_index (self->datasets, i) == jx_session_get_dataset (s))
        browsed = i;
    }
  adw_combo_row_set_model (self->sample_seeds_row, G_LIST_MODEL (seeds));
  /* the jets being looked at */
  adw_combo_row_set_selected (self->sample_seeds_row, self->datasets->len > 0 ? browsed + 1 : 0);

  set_defaults (self);
  restore_values (self);
  output = default_output (self, s);
  gtk_editable_set_text (GTK_EDITABLE (self->output_row), output);
  self->filling = FALSE;
  update (self);
  return GTK_WINDOW (self);
}
