/* jx-job-dialog.c — job options, mirroring `junipr generate|train|eval|sample|reweight`. */
#define G_LOG_DOMAIN "jx-job-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jx-job-dialog.h"
#include "jx-window-private.h"

struct _JxJobDialog
{
  AdwWindow parent_instance;

  /* Template Widgets */
  AdwWindowTitle *window_title;
  AdwPreferencesGroup *generate_group;
  AdwComboRow *process_row;
  GtkSpinButton *gen_jets_spin;
  GtkSpinButton *alpha_spin;
  GtkSpinButton *sqrt_s_spin;
  GtkSpinButton *gen_seed_spin;
  AdwPreferencesGroup *train_group;
  AdwComboRow *train_data_row;
  AdwComboRow *algorithm_row;
  AdwComboRow *branch_row;
  GtkSpinButton *hidden_spin;
  GtkSpinButton *dense_spin;
  AdwComboRow *schedule_row;
  GtkSpinButton *epochs_spin;
  GtkSpinButton *val_spin;
  GtkSpinButton *train_seed_spin;
  AdwPreferencesGroup *eval_group;
  AdwComboRow *eval_model_row;
  AdwComboRow *eval_data_row;
  AdwPreferencesGroup *sample_group;
  AdwComboRow *sample_model_row;
  AdwComboRow *sample_seeds_row;
  GtkSpinButton *sample_jets_spin;
  GtkSpinButton *sample_seed_spin;
  AdwPreferencesGroup *reweight_group;
  AdwComboRow *rw_data_row;
  AdwComboRow *rw_target_row;
  AdwComboRow *rw_source_row;
  GtkSpinButton *clip_spin;
  AdwEntryRow *output_row;

  /* Borrowed References */
  JxWindow *window;
  /* Owned References */
  char *kind;
  GPtrArray *datasets;   /* JxDatasetItem, in combo order */
  GPtrArray *models;     /* JxModelItem */
};

G_DEFINE_FINAL_TYPE (JxJobDialog, jx_job_dialog, ADW_TYPE_WINDOW)

static const char *const algorithms[] = { "ca", "kt", "antikt", "printer" };

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

static char *
output_for (JxJobDialog *self, const char *fallback)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->output_row));
  g_autofree char *stem = g_strdup (text[0] ? text : fallback);

  /* A name, not a path: results go to the app's data directory. */
  g_strdelimit (stem, "/\\", '-');
  if (g_str_has_suffix (stem, ".h5"))
    stem[strlen (stem) - 3] = '\0';
  return _jx_window_output_path (self->window, stem);
}

static void
on_start (GtkButton *button, JxJobDialog *self)
{
  JxWindow *w = self->window;
  int threads = _jx_window_get_threads (w);
  g_autoptr (JxJob) job = NULL;
  JxJobKind kind;

  if (strcmp (self->kind, "generate") == 0)
    {
      JxGenerateData *d = jx_generate_data_new ();
      gboolean z = adw_combo_row_get_selected (self->process_row) == 1;
      g_autofree char *title = NULL;
      d->cfg.process = z ? JX_PROCESS_ZZ : JX_PROCESS_QQ;
      d->cfg.alpha_s = gtk_spin_button_get_value (self->alpha_spin);
      d->cfg.sqrt_s = gtk_spin_button_get_value (self->sqrt_s_spin);
      d->cfg.seed = (guint64) gtk_spin_button_get_value (self->gen_seed_spin);
      d->cfg.threads = threads;
      d->n_jets = (gsize) gtk_spin_button_get_value (self->gen_jets_spin);
      d->output = output_for (self, z ? "z-jets" : "quark-jets");
      title = g_strdup_printf (_("Generate %zu %s jets"), d->n_jets, z ? "Z" : _("quark"));
      job = jx_job_new (title, jx_task_generate, d, jx_generate_data_free);
      kind = JX_JOB_KIND_GENERATE;
    }
  else if (strcmp (self->kind, "train") == 0)
    {
      JxDatasetItem *data = combo_item (self->train_data_row, self->datasets);
      JxTrainData *d = jx_train_data_new (data);
      const char *sched = adw_combo_row_get_selected (self->schedule_row) == 0 ? "fast" : "paper";
      int epochs = gtk_spin_button_get_value_as_int (self->epochs_spin);
      g_autofree char *title = NULL;
      g_autofree char *stem = g_strdup_printf ("model-%s", jx_dataset_item_get_title (data));

      jx_algorithm_parse (algorithms[adw_combo_row_get_selected (self->algorithm_row)],
                          &d->clustering.algorithm, NULL);
      if (w->settings != NULL)
        {
          d->clustering.esub = g_settings_get_double (w->settings, "esub");
          d->clustering.rsub = g_settings_get_double (w->settings, "rsub");
          d->cfg.scaling.e_jet = g_settings_get_double (w->settings, "scaling-e-jet");
          d->cfg.scaling.e_sub = g_settings_get_double (w->settings, "scaling-e-sub");
          d->cfg.scaling.r_jet = g_settings_get_double (w->settings, "scaling-r-jet");
          d->cfg.scaling.r_sub = g_settings_get_double (w->settings, "scaling-r-sub");
        }
      d->cfg.branch = adw_combo_row_get_selected (self->branch_row) == 0
                      ? JX_BRANCH_FACTORIZED : JX_BRANCH_JOINT;
      d->cfg.hidden = gtk_spin_button_get_value_as_int (self->hidden_spin);
      d->cfg.dense = gtk_spin_button_get_value_as_int (self->dense_spin);
      jx_schedule_from_name (&d->opt.schedule, sched, NULL);
      d->opt.optimizer = strcmp (sched, "fast") == 0 ? JX_OPTIM_ADAM : JX_OPTIM_SGD;
      if (epochs > 0)
        d->opt.epochs = epochs;
      d->opt.val_fraction = gtk_spin_button_get_value (self->val_spin);
      d->opt.seed = (guint64) gtk_spin_button_get_value (self->train_seed_spin);
      d->opt.threads = threads;
      d->opt.skip_bad = TRUE;
      d->opt.skip_long = TRUE;
      d->output = output_for (self, stem);
      d->opt.dataset_name = jx_dataset_item_get_path (data);
      title = g_strdup_printf (_("Train on %s"), jx_dataset_item_get_title (data));
      job = jx_job_new (title, jx_task_train, d, jx_train_data_free);
      kind = JX_JOB_KIND_TRAIN;
    }
  else if (strcmp (self->kind, "evaluate") == 0)
    {
      JxModelItem *m = combo_item (self->eval_model_row, self->models);
      JxDatasetItem *data = combo_item (self->eval_data_row, self->datasets);
      JxEvalData *d = jx_eval_data_new (data, m, 0);
      g_autofree char *title = g_strdup_printf (_("Score %s with %s"),
                                                jx_dataset_item_get_title (data),
                                                jx_model_item_get_title (m));
      /* Scores show as model A's column: make the model A first. */
      jx_session_set_model_a (w->session, m);
      jx_session_set_dataset (w->session, data);
      d->threads = threads;
      job = jx_job_new (title, jx_task_eval, d, jx_eval_data_free);
      kind = JX_JOB_KIND_EVAL;
    }
  else if (strcmp (self->kind, "sample") == 0)
    {
      JxModelItem *m = combo_item (self->sample_model_row, self->models);
      JxSampleData *d = jx_sample_data_new (m);
      guint seeds = adw_combo_row_get_selected (self->sample_seeds_row);
      g_autofree char *title = NULL;
      g_autofree char *stem = g_strdup_printf ("sample-%s", jx_model_item_get_title (m));
      if (seeds > 0 && seeds - 1 < self->datasets->len)
        d->seeds = g_object_ref (g_ptr_array_index (self->datasets, seeds - 1));
      d->n_jets = (gsize) gtk_spin_button_get_value (self->sample_jets_spin);
      d->seed = (guint64) gtk_spin_button_get_value (self->sample_seed_spin);
      d->threads = threads;
      d->output = output_for (self, stem);
      title = g_strdup_printf (_("Sample %zu jets from %s"), d->n_jets, jx_model_item_get_title (m));
      job = jx_job_new (title, jx_task_sample, d, jx_sample_data_free);
      kind = JX_JOB_KIND_SAMPLE;
    }
  else
    {
      JxDatasetItem *data = combo_item (self->rw_data_row, self->datasets);
      JxModelItem *target = combo_item (self->rw_target_row, self->models);
      JxModelItem *source = combo_item (self->rw_source_row, self->models);
      JxReweightData *d = jx_reweight_data_new (data, target, source);
      g_autofree char *title = g_strdup_printf (_("Reweight %s"), jx_dataset_item_get_title (data));
      d->clip = gtk_spin_button_get_value (self->clip_spin);
      d->threads = threads;
      d->output = output_for (self, "reweighted");
      job = jx_job_new (title, jx_task_reweight, d, jx_reweight_data_free);
      kind = JX_JOB_KIND_REWEIGHT;
    }
  _jx_window_add_job (w, job, kind);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_cancel (GtkButton *button, JxJobDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-job-dialog.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, JxJobDialog, name)
  CHILD (window_title);
  CHILD (generate_group);
  CHILD (process_row);
  CHILD (gen_jets_spin);
  CHILD (alpha_spin);
  CHILD (sqrt_s_spin);
  CHILD (gen_seed_spin);
  CHILD (train_group);
  CHILD (train_data_row);
  CHILD (algorithm_row);
  CHILD (branch_row);
  CHILD (hidden_spin);
  CHILD (dense_spin);
  CHILD (schedule_row);
  CHILD (epochs_spin);
  CHILD (val_spin);
  CHILD (train_seed_spin);
  CHILD (eval_group);
  CHILD (eval_model_row);
  CHILD (eval_data_row);
  CHILD (sample_group);
  CHILD (sample_model_row);
  CHILD (sample_seeds_row);
  CHILD (sample_jets_spin);
  CHILD (sample_seed_spin);
  CHILD (reweight_group);
  CHILD (rw_data_row);
  CHILD (rw_target_row);
  CHILD (rw_source_row);
  CHILD (clip_spin);
  CHILD (output_row);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_start);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jx_job_dialog_init (JxJobDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->datasets = g_ptr_array_new_with_free_func (g_object_unref);
  self->models = g_ptr_array_new_with_free_func (g_object_unref);
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

  if ((strcmp (kind, "train") == 0 || strcmp (kind, "evaluate") == 0
       || strcmp (kind, "reweight") == 0) && self->datasets->len == 0)
    missing = _("Open or generate a dataset first");
  else if ((strcmp (kind, "evaluate") == 0 || strcmp (kind, "sample") == 0)
           && self->models->len == 0)
    missing = _("Open or train a model first");
  else if (strcmp (kind, "reweight") == 0 && self->models->len < 2)
    missing = _("Reweighting needs two models: open or train another one");
  if (missing != NULL)
    {
      _jx_window_toast (window, missing, 5);
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_widget_set_visible (GTK_WIDGET (self->generate_group), strcmp (kind, "generate") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->train_group), strcmp (kind, "train") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->eval_group), strcmp (kind, "evaluate") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sample_group), strcmp (kind, "sample") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->reweight_group), strcmp (kind, "reweight") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->output_row), strcmp (kind, "evaluate") != 0);

  fill_combo (self->train_data_row, self->datasets, FALSE, jx_session_get_dataset (s));
  fill_combo (self->eval_data_row, self->datasets, FALSE, jx_session_get_dataset (s));
  fill_combo (self->rw_data_row, self->datasets, FALSE, jx_session_get_dataset (s));
  fill_combo (self->eval_model_row, self->models, TRUE, jx_session_get_model_a (s));
  fill_combo (self->sample_model_row, self->models, TRUE, jx_session_get_model_a (s));
  fill_combo (self->rw_target_row, self->models, TRUE, jx_session_get_model_a (s));
  fill_combo (self->rw_source_row, self->models, TRUE, jx_session_get_model_b (s));
  {
    g_autoptr (GtkStringList) seeds = gtk_string_list_new (NULL);
    guint browsed = 0;
    gtk_string_list_append (seeds, _("500 GeV massless seed along z"));
    for (guint i = 0; i < self->datasets->len; i++)
      {
        gtk_string_list_append (seeds, jx_dataset_item_get_title (g_ptr_array_index (self->datasets, i)));
        if (g_ptr_array_index (self->datasets, i) == jx_session_get_dataset (s))
          browsed = i;
      }
    adw_combo_row_set_model (self->sample_seeds_row, G_LIST_MODEL (seeds));
    /* the jets being looked at */
    adw_combo_row_set_selected (self->sample_seeds_row, self->datasets->len > 0 ? browsed + 1 : 0);
  }
  if (window->settings != NULL)
    {
      g_autofree char *algo = g_settings_get_string (window->settings, "clustering-algorithm");
      for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
        if (strcmp (algo, algorithms[i]) == 0)
          adw_combo_row_set_selected (self->algorithm_row, i);
    }
  return GTK_WINDOW (self);
}
