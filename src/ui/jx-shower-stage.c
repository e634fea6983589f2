/* jx-shower-stage.c — one shower: figure and step panel (see jx-shower-stage.h). */
#define G_LOG_DOMAIN "jx-shower-stage"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-draw-shower.h"
#include "jx-figure-canvas.h"
#include "jx-shower-stage.h"
#include "jx-surface.h"

struct _JxShowerStage
{
  GtkBox parent_instance;

  /* Template Widgets */
  JxFigureCanvas *canvas;
  GtkLabel *t_label, *mother_label, *logp_label, *total_label;
  GtkLabel *z_label, *theta_label, *phi_label, *delta_label;
  GtkLabel *end_label, *pmother_label, *branch_label, *stop_label;

  /* Owned References */
  JxTree tree;
  gboolean have_tree;
  JxStepScore *scores;       /* [tree.n] or NULL */
  char *title;               /* markup */
  char *no_scores;
  char *message;             /* shown instead of a shower */
  JxColormap colormap;
  int step;
};

G_DEFINE_FINAL_TYPE (JxShowerStage, jx_shower_stage, GTK_TYPE_BOX)

static int
n_steps (JxShowerStage *self)
{
  return self->have_tree ? (int) self->tree.n - 1 : 0;
}

/* log10 P of step t (1..n−1), or of the end at t = n. */
static double
step_log10 (JxShowerStage *self, int t)
{
  const JxStepScore *s = &self->scores[t - 1];
  return (s->log_end + s->log_mother + s->log_branch) / G_LN10;
}

/* "−1.234": a typeset minus, as the figures write it. */
static char *
signed_text (const char *name, double v, int digits)
{
  /* Tiny terms (P_end(0) ≈ 1 early in a jet) keep their size visible. */
  g_autofree char *num = v != 0 && fabs (v) < 0.5 * pow (10, -digits)
                         ? g_strdup_printf ("%.1e", v) : g_strdup_printf ("%.*f", digits, v);
  if (num[0] == '-')
    return g_strdup_printf ("%s −%s", name, num + 1);
  return g_strdup_printf ("%s %s", name, num);
}

static void
set_text (GtkLabel *label, char *text)   /* takes text */
{
  gtk_label_set_text (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
  g_free (text);
}

static void
clear_labels (GtkLabel **labels, int n)
{
  for (int i = 0; i < n; i++)
    gtk_label_set_text (labels[i], "");
}

static void
update_panel (JxShowerStage *self)
{
  int n = n_steps (self), t = self->step;
  GtkLabel *branching[4] = { self->z_label, self->theta_label, self->phi_label, self->delta_label };
  GtkLabel *terms[5] = { self->total_label, self->end_label, self->pmother_label,
                         self->branch_label, self->stop_label };
  const char *names[4] = { "z =", "θ =", "φ =", "δ =" };

  if (!self->have_tree)
    {
      gtk_label_set_text (self->t_label, _("no shower"));
      gtk_label_set_text (self->mother_label, "");
      gtk_label_set_text (self->logp_label, "");
      clear_labels (branching, 4);
      clear_labels (terms, 5);
      return;
    }
  set_text (self->t_label, g_strdup_printf (_("t = %d of %d"), t, n));
  if (t == 0)
    {
      set_text (self->mother_label, g_strdup_printf (_("jet %.1f GeV"),
                                                     self->tree.nodes[self->tree.root].p.E));
      for (int k = 0; k < 4; k++)
        set_text (branching[k], g_strdup_printf ("%s —", names[k]));
    }
  else
    {
      const JxStep *s = &self->tree.steps[t - 1];
      double x[4] = { s->x.z, s->x.theta, s->x.phi, s->x.delta };
      set_text (self->mother_label, g_strdup_printf (_("mother %d of %d"), s->mother_index, t));
      {
        /* Its energy, for a reader who wants to find it in the tree. */
        g_autofree char *tip = g_strdup_printf (_("The mother is candidate %d (0 = most "
                                                  "energetic) of the %d particles after t − 1 "
                                                  "emissions; E = %.2f GeV"),
                                                s->mother_index, t,
                                                self->tree.nodes[s->mother].p.E);
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->mother_label), tip);
      }
      for (int k = 0; k < 4; k++)
        set_text (branching[k], g_strdup_printf ("%s %.4g", names[k], x[k]));
    }

  if (self->scores == NULL)
    {
      set_text (self->logp_label, g_strdup (self->no_scores ? self->no_scores
                                                            : _("not scored by a model")));
      clear_labels (terms, 5);
      return;
    }
  double total = 0;
  for (int s = 1; s <= t; s++)
    total += step_log10 (self, s);
  if (t == 0)
    {
      set_text (self->logp_label, g_strdup ("log₁₀P_t —"));
      clear_labels (terms + 1, 3);
    }
  else
    {
      const JxStepScore *sc = &self->scores[t - 1];
      set_text (self->logp_label, signed_text ("log₁₀P_t", step_log10 (self, t), 3));
      set_text (self->end_label, signed_text ("P_end", sc->log_end / G_LN10, 3));
      set_text (self->pmother_label, signed_text ("P_mother", sc->log_mother / G_LN10, 3));
      set_text (self->branch_label, signed_text ("P_branch", sc->log_branch / G_LN10, 3));
    }
  if (t == n)
    {
      double stop = self->scores[n].log_end / G_LN10;
      set_text (self->total_label, signed_text (_("jet total"), total + stop, 2));
      set_text (self->stop_label, signed_text (_("stop"), stop, 3));
    }
  else
    {
      set_text (self->total_label, signed_text (_("Σ so far"), total, 3));
      gtk_label_set_text (self->stop_label, "");
    }
}

/* What the canvas shows, for tests and screen readers. */
static void
describe (JxShowerStage *self, const JxShowerLayout *l)
{
  g_autoptr (GString) s = g_string_new (NULL);
  JxImageParticle *parts = g_new (JxImageParticle, self->tree.n);
  size_t np = jx_image_particles_from_tree (&self->tree, l->t, parts, self->tree.n);
  int newest = l->newest >= 0 ? jx_image_emission_step (&self->tree, l->newest) : 0;
  gboolean first = TRUE;

  g_string_append_printf (s, "shower: step %d of %d; newest=%d; labels=", l->t, n_steps (self),
                          newest);
  /* In step order, as a person reads them. */
  for (int t = 1; t <= l->t; t++)
    for (size_t i = 0; i < np; i++)
      if (parts[i].step == t)
        {
          g_string_append_printf (s, first ? "%d" : ",%d", t);
          first = FALSE;
        }
  g_string_append_printf (s, "; hidden=%d; tree=%.0fx%.0f+%.0f+%.0f; image=%.0fx%.0f+%.0f+%.0f",
                          l->image.labels_hidden, l->tree_area.w, l->tree_area.h, l->tree_area.x,
                          l->tree_area.y, l->image.data.w, l->image.data.h, l->image.data.x,
                          l->image.data.y);
  if (self->title != NULL)
    {
      g_autofree char *plain = NULL;
      if (pango_parse_markup (self->title, -1, 0, NULL, &plain, NULL, NULL))
        g_string_append_printf (s, "; source=%s", plain);
    }
  g_free (parts);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, s->str, -1);
}

static void
draw_figure (cairo_t *cr, JxRect rect, gpointer data)
{
  JxShowerStage *self = data;
  JxTreeStyle style;
  JxShowerLayout layout;

  if (!self->have_tree)
    {
      jx_draw_message (cr, rect, self->message ? self->message : _("No shower to show"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "shower: none", -1);
      return;
    }
  jx_shower_tree_style (&style);
  style.colormap = self->colormap;
  if (jx_shower_draw_titled (cr, rect, &self->tree, self->step, &style, self->title,
                             &layout) != 0)
    {
      jx_draw_message (cr, rect, _("This jet cannot be drawn"));
      return;
    }
  /* Only the on-screen picture describes the canvas (exports draw at another size). */
  if (rect.x == 0 && rect.y == 0
      && (int) rect.w == gtk_widget_get_width (GTK_WIDGET (self->canvas))
      && (int) rect.h == gtk_widget_get_height (GTK_WIDGET (self->canvas)))
    describe (self, &layout);
  jx_shower_layout_free (&layout);
}

static void
clear (JxShowerStage *self)
{
  if (self->have_tree)
    jx_tree_free (&self->tree);
  self->have_tree = FALSE;
  g_clear_pointer (&self->scores, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->no_scores, g_free);
  g_clear_pointer (&self->message, g_free);
}

static void
jx_shower_stage_dispose (GObject *object)
{
  JxShowerStage *self = JX_SHOWER_STAGE (object);

  clear (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_SHOWER_STAGE);

  G_OBJECT_CLASS (jx_shower_stage_parent_class)->dispose (object);
}

static void
jx_shower_stage_class_init (JxShowerStageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_shower_stage_dispose;

  g_type_ensure (JX_TYPE_FIGURE_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-shower-stage.ui");
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, canvas);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, t_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, mother_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, logp_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, total_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, z_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, theta_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, phi_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, delta_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, end_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, pmother_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, branch_label);
  gtk_widget_class_bind_template_child (widget_class, JxShowerStage, stop_label);
}

static void
jx_shower_stage_init (JxShowerStage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->colormap = JX_CMAP_VIRIDIS;
  jx_figure_canvas_set_draw_func (self->canvas, draw_figure, self, NULL);
  update_panel (self);
}

GtkWidget *
jx_shower_stage_new (void)
{
  return g_object_new (JX_TYPE_SHOWER_STAGE, NULL);
}

void
jx_shower_stage_set_shower (JxShowerStage *self, JxTree *tree, const JxStepScore *scores,
                            const char *title, const char *no_scores)
{
  g_return_if_fail (JX_IS_SHOWER_STAGE (self));
  g_return_if_fail (tree != NULL && tree->n > 0);

  clear (self);
  self->tree = *tree;
  *tree = (JxTree) { 0 };
  self->have_tree = TRUE;
  if (scores != NULL)
    self->scores = g_memdup2 (scores, self->tree.n * sizeof *scores);
  self->title = g_strdup (title);
  self->no_scores = g_strdup (no_scores);
  self->step = CLAMP (self->step, 0, n_steps (self));
  update_panel (self);
  jx_figure_canvas_invalidate (self->canvas);
}

void
jx_shower_stage_set_message (JxShowerStage *self, const char *message)
{
  g_return_if_fail (JX_IS_SHOWER_STAGE (self));

  clear (self);
  self->message = g_strdup (message);
  self->step = 0;
  update_panel (self);
  jx_figure_canvas_invalidate (self->canvas);
}

void
jx_shower_stage_set_colormap (JxShowerStage *self, JxColormap colormap)
{
  g_return_if_fail (JX_IS_SHOWER_STAGE (self));

  self->colormap = colormap;
  jx_figure_canvas_invalidate (self->canvas);
}

void
jx_shower_stage_set_name (JxShowerStage *self, const char *name)
{
  g_return_if_fail (JX_IS_SHOWER_STAGE (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
}

int
jx_shower_stage_get_n_steps (JxShowerStage *self)
{
  g_return_val_if_fail (JX_IS_SHOWER_STAGE (self), 0);

  return n_steps (self);
}

void
jx_shower_stage_set_step (JxShowerStage *self, int step)
{
  g_return_if_fail (JX_IS_SHOWER_STAGE (self));

  step = CLAMP (step, 0, n_steps (self));
  if (step == self->step)
    return;
  self->step = step;
  update_panel (self);
  jx_figure_canvas_invalidate (self->canvas);
}

int
jx_shower_stage_get_step (JxShowerStage *self)
{
  g_return_val_if_fail (JX_IS_SHOWER_STAGE (self), 0);

  return self->step;
}

double
jx_shower_stage_get_log10_p (JxShowerStage *self)
{
  double total = 0;

  g_return_val_if_fail (JX_IS_SHOWER_STAGE (self), NAN);

  if (self->scores == NULL)
    return NAN;
  for (size_t t = 0; t < self->tree.n; t++)
    total += self->scores[t].log_end + self->scores[t].log_mother + self->scores[t].log_branch;
  return total / G_LN10;
}

gboolean
jx_shower_stage_export (JxShowerStage *self, const char *path, GError **error)
{
  g_return_val_if_fail (JX_IS_SHOWER_STAGE (self), FALSE);

  return jx_figure_canvas_export (self->canvas, path, error);
}

gboolean
jx_shower_stage_export_pair (JxShowerStage *left, JxShowerStage *right, const char *path,
                             GError **error)
{
  JxShowerStage *stages[2] = { left, right };
  JxSurface *surface = NULL;
  JxError err = { 0 };
  double w = 0, h = 520;

  g_return_val_if_fail (JX_IS_SHOWER_STAGE (left) && JX_IS_SHOWER_STAGE (right), FALSE);

  if (jx_format_from_path (path) == JX_FORMAT_AUTO)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export to “%s”: use a .png, .svg or .pdf file name"), path);
      return FALSE;
    }
  for (int k = 0; k < 2; k++)
    {
      w = MAX (w, gtk_widget_get_width (GTK_WIDGET (stages[k]->canvas)));
      h = MAX (h, gtk_widget_get_height (GTK_WIDGET (stages[k]->canvas)));
    }
  w = MAX (w, 640);
  if (jx_surface_open (&surface, path, JX_FORMAT_AUTO, 2 * w, h, 1.0, &err) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return FALSE;
    }
  for (int k = 0; k < 2; k++)
    jx_figure_canvas_draw_to (stages[k]->canvas, jx_surface_cr (surface),
                              jx_rect (k * w, 0, w, h));
  if (jx_surface_close (surface, &err) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return FALSE;
    }
  return TRUE;
}
