/* jx-tree-page.c — the Tree page. */
#define G_LOG_DOMAIN "jx-tree-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-application.h"
#include "jx-surface.h"
#include "jx-tree-canvas.h"
#include "jx-tree-page.h"

#define SHOWN_LABELS_MAX 12

struct _JxTreePage
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkDropDown *labels_dropdown;
  JxTreeCanvas *canvas;
  GtkLabel *labels_label;
  GtkLabel *status_label;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GSettings *settings;       /* NULL: viridis */
  GSignalGroup *settings_signals;
  char *placeholder;        /* why the chosen labels cannot be shown; NULL when they are */
};

G_DEFINE_FINAL_TYPE (JxTreePage, jx_tree_page, GTK_TYPE_BOX)

static const char *const mode_names[] = {
  "logp", "lr", "z", "theta", "phi", "delta", "step", "none",
};

static JxTreeMode
current_mode (JxTreePage *self)
{
  guint i = gtk_drop_down_get_selected (self->labels_dropdown);

  return i < G_N_ELEMENTS (mode_names) ? (JxTreeMode) i : JX_TREE_MODE_NONE;
}

/* ln P_t = ln P_end(0) + ln P_mother + ln P_branch of step t (t < n). */
static double
step_log10 (const JxStepScore *s)
{
  return (s->log_end + s->log_mother + s->log_branch) / G_LN10;
}

static void
update_labels_label (JxTreePage *self)
{
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;

  if (self->placeholder != NULL)
    text = g_strdup_printf (_("labels: none — %s"), self->placeholder);
  else if (current_mode (self) == JX_TREE_MODE_NONE)
    text = g_strdup (_("labels: off"));
  else
    {
      shown = jx_tree_canvas_dup_shown_labels (self->canvas, SHOWN_LABELS_MAX);
      text = g_strdup_printf (_("labels: %s"), shown[0] ? shown : _("none shown"));
    }
  gtk_label_set_text (self->labels_label, text);
}

/* The scores for which (0 = A, 1 = B), or NULL with the reason in self->placeholder. */
static const JxStepScore *
get_scores (JxTreePage *self, int which, size_t n_needed)
{
  const JxStepScore *scores = NULL;
  size_t n = 0;
  JxModelItem *model;

  model = which == 0 ? jx_session_get_model_a (self->session)
                     : jx_session_get_model_b (self->session);
  if (model == NULL)
    {
      g_free (self->placeholder);
      self->placeholder = g_strdup (which == 0 ? _("choose a model A in the library")
                                               : _("choose a model B in the library"));
      return NULL;
    }
  if (!jx_session_get_step_scores (self->session, which, &scores, &n) || n < n_needed)
    {
      g_free (self->placeholder);
      /* the session knows why: another clustering, too many particles, ... */
      self->placeholder = g_strdup (jx_session_get_step_scores_error (self->session, which));
      return NULL;
    }
  return scores;
}

static void
refresh_labels (JxTreePage *self)
{
  JxTreeMode mode = current_mode (self);
  const JxTree *tree = self->session ? jx_session_get_tree (self->session) : NULL;
  g_autofree double *values = NULL;
  size_t nv = tree && tree->n > 1 ? tree->n - 1 : 0;
  JxTreeLabelKind kind = JX_TREE_LABEL_NONE;
  gboolean diverging = FALSE;
  const char *value_name = NULL;

  g_clear_pointer (&self->placeholder, g_free);
  if (tree != NULL)
    values = g_new0 (double, MAX (nv, 1));

  switch (mode)
    {
    case JX_TREE_MODE_LOGP:
      if (tree != NULL)
        {
          const JxStepScore *a = get_scores (self, 0, nv);

          if (a != NULL)
            {
              for (size_t t = 0; t < nv; t++)
                values[t] = step_log10 (&a[t]);
              kind = JX_TREE_LABEL_VALUES;
            }
        }
      break;
    case JX_TREE_MODE_LR:
      if (tree != NULL)
        {
          const JxStepScore *a = get_scores (self, 0, nv);
          const JxStepScore *b = a ? get_scores (self, 1, nv) : NULL;

          if (a != NULL && b != NULL)
            {
              for (size_t t = 0; t < nv; t++)
                values[t] = step_log10 (&a[t]) - step_log10 (&b[t]);
              kind = JX_TREE_LABEL_VALUES;
              diverging = TRUE;
              value_name = "log<sub>10</sub> <i>P</i><sub>A,t</sub>/<i>P</i><sub>B,t</sub>";
            }
        }
      break;
    case JX_TREE_MODE_Z:
      kind = JX_TREE_LABEL_Z;
      break;
    case JX_TREE_MODE_THETA:
      kind = JX_TREE_LABEL_THETA;
      break;
    case JX_TREE_MODE_PHI:
    case JX_TREE_MODE_DELTA:
      if (tree != NULL)
        {
          for (size_t t = 0; t < nv; t++)
            values[t] = mode == JX_TREE_MODE_PHI ? tree->steps[t].x.phi : tree->steps[t].x.delta;
          kind = JX_TREE_LABEL_VALUES;
        }
      break;
    case JX_TREE_MODE_STEP:
      kind = JX_TREE_LABEL_STEP;
      break;
    case JX_TREE_MODE_NONE:
    default:
      break;
    }

  jx_tree_canvas_set_labels (self->canvas, kind, values, nv, diverging, value_name,
                             mode_names[mode]);
  update_labels_label (self);
}

static void
refresh_tree (JxTreePage *self)
{
  const JxTree *tree = NULL;
  const char *message = _("No jet selected");
  int jet = -1;

  if (self->session != NULL)
    {
      jet = jx_session_get_jet_index (self->session);
      tree = jx_session_get_tree (self->session);
      if (jx_session_get_dataset (self->session) == NULL)
        message = _("Open a dataset in the library to see its jets");
      else if (tree == NULL && jet >= 0 && jx_session_get_tree_error (self->session)[0])
        message = jx_session_get_tree_error (self->session);
    }
  jx_tree_canvas_set_tree (self->canvas, tree, jet, message);
  refresh_labels (self);
  if (self->session != NULL)
    jx_tree_canvas_set_highlight (self->canvas, jx_session_get_highlight_node (self->session));
  gtk_label_set_text (self->status_label, "");
}

static void
on_highlight_changed (JxTreePage *self)
{
  jx_tree_canvas_set_highlight (self->canvas, jx_session_get_highlight_node (self->session));
}

static void
on_labels_selected (JxTreePage *self)
{
  refresh_labels (self);
}

static void
on_zoom_in (JxTreePage *self)
{
  jx_tree_canvas_zoom_by (self->canvas, 1.25);
}

static void
on_zoom_out (JxTreePage *self)
{
  jx_tree_canvas_zoom_by (self->canvas, 0.8);
}

static void
on_reset_view (JxTreePage *self)
{
  jx_tree_canvas_reset_view (self->canvas);
}

static void
on_layout_changed (JxTreePage *self)
{
  update_labels_label (self);
}

static void
on_node_clicked (JxTreePage *self, int node)
{
  if (self->session != NULL)
    jx_session_set_highlight_node (self->session, node);
}

static char *
describe_node (JxTreePage *self, const JxTree *tree, int node)
{
  const JxNode *nd = &tree->nodes[node];
  GString *s = g_string_new (NULL);
  const JxStepScore *sc[2] = { NULL, NULL };
  size_t n_sc[2] = { 0, 0 };

  if (nd->step <= 0)
    {
      g_string_printf (s, _("Final particle %d: E = %.3g GeV, born at step %d"), node,
                       nd->p.E, nd->born);
      return g_string_free (s, FALSE);
    }

  const JxStep *st = &tree->steps[nd->step - 1];
  g_string_printf (s, _("Node %d split at step %d: E = %.3g GeV, z = %.3g, θ = %.3g, φ = %.3g, δ = %.3g"),
                   node, nd->step, nd->p.E, st->x.z, st->x.theta, st->x.phi, st->x.delta);
  for (int w = 0; w < 2; w++)
    {
      JxModelItem *m = w == 0 ? jx_session_get_model_a (self->session)
                              : jx_session_get_model_b (self->session);

      if (m == NULL || !jx_session_get_step_scores (self->session, w, &sc[w], &n_sc[w])
          || n_sc[w] < (size_t) nd->step)
        {
          sc[w] = NULL;
          continue;
        }
      const JxStepScore *x = &sc[w][nd->step - 1];
      g_string_append_printf (s, _("\nModel %s: P_end = %.3g, P_mother = %.3g, P_branch = %.3g, log₁₀ P_t = %.3f"),
                              w == 0 ? "A" : "B", exp (x->log_end), exp (x->log_mother),
                              exp (x->log_branch), step_log10 (x));
    }
  if (sc[0] != NULL && sc[1] != NULL)
    g_string_append_printf (s, _("\nLR contribution log₁₀ P_A,t/P_B,t = %.3f"),
                            step_log10 (&sc[0][nd->step - 1]) - step_log10 (&sc[1][nd->step - 1]));
  else if (sc[0] == NULL)
    g_string_append (s, _("\n(no model A: choose one in the library for P_end, P_mother, P_branch)"));
  return g_string_free (s, FALSE);
}

static void
on_hover_changed (JxTreePage *self, int node)
{
  const JxTree *tree = self->session ? jx_session_get_tree (self->session) : NULL;
  g_autofree char *text = NULL;

  if (tree != NULL && node >= 0 && (size_t) node < 2 * tree->n - 1)
    text = describe_node (self, tree, node);
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->canvas), text);
}

static void
on_export_response (GtkNativeDialog *dialog, int response, JxTreePage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      g_autofree char *msg = NULL;

      if (path == NULL)
        msg = g_strdup (_("Export needs a local file"));
      else if (!jx_tree_page_export (self, path, &error))
        msg = g_strdup (error->message);
      else
        msg = g_strdup_printf (_("Saved %s"), path);
      gtk_label_set_text (self->status_label, msg);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_export_clicked (JxTreePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  int jet = self->session ? jx_session_get_jet_index (self->session) : -1;

  chooser = gtk_file_chooser_native_new (_("Export Tree"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("jet-%d-tree.png", MAX (jet, 0));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_colormap_changed (JxTreePage *self)
{
  jx_tree_canvas_set_colormap (self->canvas, jx_application_get_colormap (self->settings));
}

static void
jx_tree_page_dispose (GObject *object)
{
  JxTreePage *self = JX_TREE_PAGE (object);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  if (self->settings_signals != NULL)
    g_signal_group_set_target (self->settings_signals, NULL);
  g_clear_object (&self->settings_signals);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->placeholder, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_TREE_PAGE);

  G_OBJECT_CLASS (jx_tree_page_parent_class)->dispose (object);
}

static void
jx_tree_page_class_init (JxTreePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_tree_page_dispose;

  g_type_ensure (JX_TYPE_TREE_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-tree-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JxTreePage, labels_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JxTreePage, canvas);
  gtk_widget_class_bind_template_child (widget_class, JxTreePage, labels_label);
  gtk_widget_class_bind_template_child (widget_class, JxTreePage, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_labels_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_in);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_out);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_view);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_node_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_hover_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_layout_changed);
}

static void
jx_tree_page_init (JxTreePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session_signals = g_signal_group_new (JX_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset",
                                  G_CALLBACK (refresh_tree), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::jet-index",
                                  G_CALLBACK (refresh_tree), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-a",
                                  G_CALLBACK (refresh_tree), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-b",
                                  G_CALLBACK (refresh_labels), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::highlight-node",
                                  G_CALLBACK (on_highlight_changed), self);
  self->settings_signals = g_signal_group_new (G_TYPE_SETTINGS);
  g_signal_group_connect_swapped (self->settings_signals, "changed::colormap",
                                  G_CALLBACK (on_colormap_changed), self);
  refresh_tree (self);
}

GtkWidget *
jx_tree_page_new (void)
{
  return g_object_new (JX_TYPE_TREE_PAGE, NULL);
}

void
jx_tree_page_set_session (JxTreePage *self, JxSession *session)
{
  g_return_if_fail (JX_IS_TREE_PAGE (self));
  g_return_if_fail (session == NULL || JX_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  refresh_tree (self);
}

void
jx_tree_page_set_settings (JxTreePage *self, GSettings *settings)
{
  g_return_if_fail (JX_IS_TREE_PAGE (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;
  g_signal_group_set_target (self->settings_signals, settings);
  on_colormap_changed (self);
}

void
jx_tree_page_set_mode (JxTreePage *self, JxTreeMode mode)
{
  g_return_if_fail (JX_IS_TREE_PAGE (self));

  gtk_drop_down_set_selected (self->labels_dropdown, mode);
}

gboolean
jx_tree_page_export (JxTreePage *self, const char *path, GError **error)
{
  JxSurface *surface = NULL;
  JxError err = { 0 };
  int w, h;

  g_return_val_if_fail (JX_IS_TREE_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (jx_format_from_path (path) == JX_FORMAT_AUTO)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export to “%s”: use a .png, .svg or .pdf file name"), path);
      return FALSE;
    }
  /* What the user sees, but at least a readable figure size. */
  w = MAX (gtk_widget_get_width (GTK_WIDGET (self->canvas)), 800);
  h = MAX (gtk_widget_get_height (GTK_WIDGET (self->canvas)), 520);
  if (jx_surface_open (&surface, path, JX_FORMAT_AUTO, w, h, 1.0, &err) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return FALSE;
    }
  if (!jx_tree_canvas_render_to (self->canvas, jx_surface_cr (surface), jx_rect (0, 0, w, h)))
    {
      jx_surface_abort (surface);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Nothing to export: no jet is selected"));
      return FALSE;
    }
  if (jx_surface_close (surface, &err) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return FALSE;
    }
  return TRUE;
}

GtkWidget *
jx_tree_page_get_canvas (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), NULL);

  return GTK_WIDGET (self->canvas);
}

const char *
jx_tree_page_get_labels_text (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), NULL);

  return gtk_label_get_text (self->labels_label);
}

const char *
jx_tree_page_get_status_text (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), NULL);

  return gtk_label_get_text (self->status_label);
}
