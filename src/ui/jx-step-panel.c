/* jx-step-panel.c — the numbers of one step, in rows that never change size. */
#define G_LOG_DOMAIN "jx-step-panel"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-step-panel.h"
#include "jx-step-terms.h"
#include "jx-tree-figure.h"
#include "jx-tree-labels.h"

struct _JxStepPanel
{
  GtkWidget parent_instance;

  /* Template Widgets */
  GtkWidget *step_grid, *model_grid, *totals_grid;
  GtkLabel *title_label, *hint_label;
  GtkLabel *cand_value, *mother_value, *emother_value, *branching_value;
  GtkLabel *head_a, *head_b;
  GtkLabel *end_key, *end_a, *end_b, *pmother_a, *pmother_b, *cell_a, *cell_b;
  GtkLabel *branch_a, *branch_b, *term_a, *term_b;
  GtkLabel *lr_value, *run_a_value, *run_lr_value, *note_label;

  /* State */
  double scale;
  GtkCssProvider *css;
  char *description;
};

G_DEFINE_FINAL_TYPE (JxStepPanel, jx_step_panel, GTK_TYPE_WIDGET)

static void
set_description (JxStepPanel *self, GString *desc)
{
  g_free (self->description);
  self->description = g_string_free (desc, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->description, -1);
}

static void
set_term (GtkLabel *label, double v)
{
  char buf[32];
  jx_tree_format_value (v, buf, sizeof buf);
  gtk_label_set_text (label, buf);
}

/* A probability from its log; one near 1 as "1 − ε", so 0.99996 does not read as 1. */
static void
set_prob (GtkLabel *label, double log_p)
{
  double q = -expm1 (log_p);
  g_autofree char *s = q > 0 && q < 1e-3 ? g_strdup_printf ("1 − %.2g", q)
                                         : g_strdup_printf ("%.3g", exp (log_p));
  gtk_label_set_text (label, s);
}

/* Every number back to "–". */
static void
clear_numbers (JxStepPanel *self)
{
  GtkLabel *all[] = { self->cand_value, self->mother_value, self->emother_value,
                      self->branching_value, self->end_a, self->end_b, self->pmother_a,
                      self->pmother_b, self->cell_a, self->cell_b, self->branch_a, self->branch_b,
                      self->term_a, self->term_b, self->lr_value, self->run_a_value,
                      self->run_lr_value };
  for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_label_set_text (all[i], "–");
  gtk_label_set_text (self->end_key, "P_end(0|h_t)");
  gtk_label_set_text (self->note_label, "");
}

static void
set_heads (JxStepPanel *self, const JxScoredJet *sj)
{
  for (int k = 0; k < 2; k++)
    {
      GtkLabel *head = k == 0 ? self->head_a : self->head_b;
      const char *name = sj ? jx_scored_jet_model_name (sj, k) : NULL;
      g_autofree char *tip = name ? g_strdup_printf ("%s = %s", k == 0 ? "A" : "B", name)
                                  : g_strdup (k == 0 ? _("No model A") : _("No model B"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (head), tip);
    }
}

/* One model's column at step t; appends its numbers to desc. */
static void
show_model (JxStepPanel *self, const JxScoredJet *sj, int k, int t, GString *desc)
{
  const JxScoredModel *m = &sj->m[k];
  GtkLabel *end = k == 0 ? self->end_a : self->end_b;
  GtkLabel *mother = k == 0 ? self->pmother_a : self->pmother_b;
  GtkLabel *cell = k == 0 ? self->cell_a : self->cell_b;
  GtkLabel *branch = k == 0 ? self->branch_a : self->branch_b;
  GtkLabel *term = k == 0 ? self->term_a : self->term_b;
  char c = k == 0 ? 'a' : 'b';

  if (m->terms == NULL || !m->on_shown_tree)
    return;
  const JxStepScore *s = &m->scores[t - 1];
  set_prob (end, s->log_end);
  set_term (term, m->terms[t - 1]);
  g_string_append_printf (desc, " %c_end=%.9g %c_term=%.9g", c, exp (s->log_end), c,
                          m->terms[t - 1]);
  if ((size_t) t == sj->tree.n)
    return;
  const JxModel *model = jx_model_item_get_model (m->model);
  int bins[4];
  /* The cell P_branch is the probability of: G per coordinate, G·G2 for a hierarchical head. */
  jx_branching_bins (&jx_model_config (model)->scaling, &sj->tree.steps[t - 1].x,
                     jx_model_branch_grid (model), bins);
  g_autofree char *cs = g_strdup_printf ("%d %d %d %d", bins[0], bins[1], bins[2], bins[3]);
  gtk_label_set_text (cell, cs);
  set_prob (mother, s->log_mother);
  /* The energy head's P_branch is a density over the scaled box, not a cell's probability
   * (it can exceed 1): say so. */
  gboolean density = jx_model_config (model)->branch == JX_BRANCH_ENERGY;
  if (density)
    {
      g_autofree char *ds = g_strdup_printf (_("%.3g (density)"), exp (s->log_branch));
      gtk_label_set_text (branch, ds);
    }
  else
    set_prob (branch, s->log_branch);
  g_string_append_printf (desc, " %c_mother=%.9g %c_branch=%.9g%s %c_cell=%d,%d,%d,%d", c,
                          exp (s->log_mother), c, exp (s->log_branch),
                          density ? " (density)" : "", c, bins[0], bins[1], bins[2], bins[3]);
}

/* Why a column is blank (the first reason that applies). */
static const char *
column_note (const JxScoredJet *sj)
{
  const char *a = jx_tree_labels_no_terms (sj, 0);

  return a != NULL ? a : jx_tree_labels_no_terms (sj, 1) != NULL ? jx_tree_labels_no_terms (sj, 1) : "";
}

static void
show_running (JxStepPanel *self, const JxScoredJet *sj, int t, GString *desc)
{
  g_autofree double *run = g_new (double, sj->tree.n);

  if (sj->m[0].terms != NULL && sj->m[0].on_shown_tree)
    {
      jx_step_terms_running (sj->m[0].terms, sj->tree.n, run);
      set_term (self->run_a_value, run[t - 1]);
      g_string_append_printf (desc, " run_a=%.9g", run[t - 1]);
    }
  if (sj->lr != NULL)
    {
      set_term (self->lr_value, sj->lr[t - 1]);
      jx_step_terms_running (sj->lr, sj->tree.n, run);
      set_term (self->run_lr_value, run[t - 1]);
      g_string_append_printf (desc, " lr=%.9g run_lr=%.9g", sj->lr[t - 1], run[t - 1]);
    }
}

void
jx_step_panel_show_step (JxStepPanel *self, const JxScoredJet *sj, int t, gboolean hovered)
{
  g_return_if_fail (JX_IS_STEP_PANEL (self));
  g_return_if_fail (jx_scored_jet_has_tree (sj));
  g_return_if_fail (t >= 1 && (size_t) t <= sj->tree.n);

  size_t n = sj->tree.n;
  gboolean end = (size_t) t == n;
  GString *desc = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *s = NULL;

  clear_numbers (self);
  set_heads (self, sj);
  if (end)
    title = g_strdup_printf (hovered ? _("Hovered: Step %d of %zu · the end") : _("Step %d of %zu · the end"),
                             t, n);
  else
    title = g_strdup_printf (hovered ? _("Hovered: Step %d of %zu · a branching")
                                     : _("Step %d of %zu · a branching"), t, n);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->hint_label, end ? _("The shower stops: P_end(1|h_n) is the last term")
                                            : _("The mother splits into the two ringed daughters"));
  g_string_printf (desc, "step=%d/%zu kind=%s", t, n, end ? "end" : "branching");
  s = g_strdup_printf ("%d", t);
  gtk_label_set_text (self->cand_value, s);
  if (end)
    gtk_label_set_text (self->end_key, "P_end(1|h_n)");
  else
    {
      const JxStep *st = &sj->tree.steps[t - 1];
      const JxBranching *x = &st->x;
      g_autofree char *mo = g_strdup_printf (_("m = %d · node %d"), st->mother_index, st->mother);
      g_autofree char *e = g_strdup_printf ("%.4g GeV", sj->tree.nodes[st->mother].p.E);
      g_autofree char *xs = g_strdup_printf ("%.3g %.3g %.3g %.3g", x->z, x->theta, x->phi, x->delta);
      gtk_label_set_text (self->mother_value, mo);
      gtk_label_set_text (self->emother_value, e);
      gtk_label_set_text (self->branching_value, xs);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->branching_value), xs);
      g_string_append_printf (desc, " mother=%d node=%d z=%.9g theta=%.9g phi=%.9g delta=%.9g",
                              st->mother_index, st->mother, x->z, x->theta, x->phi, x->delta);
    }
  for (int k = 0; k < 2; k++)
    show_model (self, sj, k, t, desc);
  show_running (self, sj, t, desc);
  gtk_label_set_text (self->note_label, column_note (sj));
  set_description (self, desc);
}

void
jx_step_panel_show_particle (JxStepPanel *self, const JxScoredJet *sj, int node)
{
  g_return_if_fail (JX_IS_STEP_PANEL (self));
  g_return_if_fail (jx_scored_jet_has_tree (sj));
  g_return_if_fail (node >= 0 && (size_t) node < 2 * sj->tree.n - 1);

  const JxNode *nd = &sj->tree.nodes[node];
  g_autofree char *title = g_strdup_printf (_("Hovered: final particle (node %d)"), node);
  g_autofree char *born = g_strdup_printf (_("born at t = %d"), nd->born);
  g_autofree char *e = g_strdup_printf ("%.4g GeV", nd->p.E);
  GString *desc = g_string_new (NULL);

  clear_numbers (self);
  set_heads (self, sj);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->hint_label, _("It never splits: no terms of its own"));
  gtk_label_set_text (self->mother_value, born);
  gtk_label_set_text (self->emother_value, e);
  g_string_printf (desc, "step=0/%zu kind=particle node=%d E=%.9g", sj->tree.n, node, nd->p.E);
  set_description (self, desc);
}

void
jx_step_panel_show_none (JxStepPanel *self, const char *title, const char *hint)
{
  g_return_if_fail (JX_IS_STEP_PANEL (self));

  clear_numbers (self);
  set_heads (self, NULL);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->hint_label, hint ? hint : "");
  set_description (self, g_string_new ("step=0 kind=none"));
}

void
jx_step_panel_set_text_scale (JxStepPanel *self, double scale)
{
  g_autofree char *css = NULL;

  g_return_if_fail (JX_IS_STEP_PANEL (self));

  /* The panel is read from the back of a lecture hall too, but it stays beside the tree:
   * its text grows to 1.5× at most. */
  scale = CLAMP (scale, 0.75, 1.5);
  if (scale == self->scale)
    return;
  self->scale = scale;
  css = g_strdup_printf ("jxsteppanel label { font-size: %.0f%%; }", 100 * scale);
  gtk_css_provider_load_from_data (self->css, css, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const char *
jx_step_panel_get_description (JxStepPanel *self)
{
  g_return_val_if_fail (JX_IS_STEP_PANEL (self), NULL);
  return self->description;
}

/* The panel's layout. Its blocks' labels are all ellipsized at a fixed number of
 * characters, so every size depends on the text scale, never on the numbers shown. Beside
 * the tree the blocks stand in one column (the panel's natural width, which decides whether
 * it goes beside); below the tree, where it costs height, the models' factors stand to the
 * right of the step and the totals when the width holds both (10 lines instead of 16). */
enum { PAD_X = 10, PAD_Y = 8, GAP = 3, BLOCK_GAP = 8, COLUMN_GAP = 12 };

typedef struct {
  GtkWidget *widget;
  int x, y, w, h;
} Slot;

enum { TITLE, HINT, STEP, MODEL, TOTALS, NOTE, N_SLOTS };

static int
natural_width (GtkWidget *w)
{
  int nat;
  gtk_widget_measure (w, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
  return nat;
}

static int
height_for (GtkWidget *w, int width)
{
  int nat;
  gtk_widget_measure (w, GTK_ORIENTATION_VERTICAL, width, NULL, &nat, NULL, NULL);
  return nat;
}

/* The column width: the widest block. */
static int
column_width (JxStepPanel *self)
{
  return MAX (natural_width (self->model_grid),
              MAX (natural_width (self->step_grid), natural_width (self->totals_grid)));
}

/* Places the six parts in a panel of the given width; returns the height they take. */
static int
lay_out (JxStepPanel *self, int width, Slot slot[N_SLOTS])
{
  GtkWidget *parts[N_SLOTS] = { GTK_WIDGET (self->title_label), GTK_WIDGET (self->hint_label),
                                self->step_grid, self->model_grid, self->totals_grid,
                                GTK_WIDGET (self->note_label) };
  int left = MAX (natural_width (self->step_grid), natural_width (self->totals_grid));
  int inner = MAX (width - 2 * PAD_X, column_width (self));
  gboolean two_columns = inner >= left + COLUMN_GAP + natural_width (self->model_grid);

  for (int i = 0; i < N_SLOTS; i++)
    slot[i] = (Slot) { parts[i], PAD_X, 0, inner, 0 };
  int y = PAD_Y;
  for (int i = TITLE; i <= HINT; i++)
    {
      slot[i].y = y;
      slot[i].h = height_for (parts[i], inner);
      y += slot[i].h + GAP;
    }
  y += BLOCK_GAP - GAP;
  slot[STEP].h = height_for (self->step_grid, -1);
  slot[MODEL].h = height_for (self->model_grid, -1);
  slot[TOTALS].h = height_for (self->totals_grid, -1);
  slot[STEP].y = y;
  if (two_columns)
    {
      slot[STEP].w = slot[TOTALS].w = left;
      slot[TOTALS].y = y + slot[STEP].h + BLOCK_GAP;
      slot[MODEL].x = PAD_X + left + COLUMN_GAP;
      slot[MODEL].w = inner - left - COLUMN_GAP;
      slot[MODEL].y = y;
      y = MAX (slot[TOTALS].y + slot[TOTALS].h, y + slot[MODEL].h);
    }
  else
    {
      slot[MODEL].y = y + slot[STEP].h + BLOCK_GAP;
      slot[TOTALS].y = slot[MODEL].y + slot[MODEL].h + BLOCK_GAP;
      y = slot[TOTALS].y + slot[TOTALS].h;
    }
  slot[NOTE].y = y + GAP;
  slot[NOTE].h = height_for (parts[NOTE], inner);
  return slot[NOTE].y + slot[NOTE].h + PAD_Y;
}

static void
jx_step_panel_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                       int *natural, int *min_baseline, int *nat_baseline)
{
  JxStepPanel *self = JX_STEP_PANEL (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = *natural = column_width (self) + 2 * PAD_X;
      return;
    }
  Slot slot[N_SLOTS];
  *minimum = *natural = lay_out (self, for_size, slot);
}

static void
jx_step_panel_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  Slot slot[N_SLOTS];

  lay_out (JX_STEP_PANEL (widget), width, slot);
  for (int i = 0; i < N_SLOTS; i++)
    gtk_widget_size_allocate (slot[i].widget,
                              &(GtkAllocation) { slot[i].x, slot[i].y, slot[i].w, slot[i].h }, -1);
}

static GtkSizeRequestMode
jx_step_panel_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
jx_step_panel_dispose (GObject *object)
{
  JxStepPanel *self = JX_STEP_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_STEP_PANEL);
  if (self->css != NULL)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->css));
  g_clear_object (&self->css);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (jx_step_panel_parent_class)->dispose (object);
}

static void
jx_step_panel_class_init (JxStepPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_step_panel_dispose;
  widget_class->measure = jx_step_panel_measure;
  widget_class->size_allocate = jx_step_panel_size_allocate;
  widget_class->get_request_mode = jx_step_panel_get_request_mode;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-step-panel.ui");
  gtk_widget_class_set_css_name (widget_class, "jxsteppanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, JxStepPanel, name)
  BIND (step_grid);
  BIND (model_grid);
  BIND (totals_grid);
  BIND (title_label);
  BIND (hint_label);
  BIND (cand_value);
  BIND (mother_value);
  BIND (emother_value);
  BIND (branching_value);
  BIND (head_a);
  BIND (head_b);
  BIND (end_key);
  BIND (end_a);
  BIND (end_b);
  BIND (pmother_a);
  BIND (pmother_b);
  BIND (cell_a);
  BIND (cell_b);
  BIND (branch_a);
  BIND (branch_b);
  BIND (term_a);
  BIND (term_b);
  BIND (lr_value);
  BIND (run_a_value);
  BIND (run_lr_value);
  BIND (note_label);
#undef BIND
}

static void
jx_step_panel_init (JxStepPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->scale = 1;
  self->css = gtk_css_provider_new ();
  if (gdk_display_get_default () != NULL)
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (self->css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  jx_step_panel_show_none (self, _("Steps"), NULL);
}

GtkWidget *
jx_step_panel_new (void)
{
  return g_object_new (JX_TYPE_STEP_PANEL, NULL);
}
