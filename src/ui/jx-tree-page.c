/* jx-tree-page.c — the Tree page: wiring of session, settings, toolbar, keys, step panel and
 * exports around one or two tree canvases (see jx-tree-page.h). */
#define G_LOG_DOMAIN "jx-tree-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-application.h"
#include "jx-beside-box.h"
#include "jx-draw-tree.h"
#include "jx-scored-jet.h"
#include "jx-step-panel.h"
#include "jx-tree-canvas.h"
#include "jx-tree-figure.h"
#include "jx-tree-labels.h"
#include "jx-tree-page.h"
#include "jx-tree-ranges.h"
#include "jx-wrap-layout.h"

#define SHOWN_LABELS_MAX 200
#define PLAY_INTERVAL_MS 900
#define TEXT_SCALE_MIN 0.75
#define TEXT_SCALE_MAX 3.0

struct _JxTreePage
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkWidget *toolbar;
  GtkDropDown *labels_dropdown;
  GtkToggleButton *play_button, *compare_button, *same_scale_button, *panel_button;
  GtkWidget *pinned_box, *panel_scroller;
  GtkLabel *pinned_title_label, *pinned_total_label, *title_label, *total_label;
  JxTreeCanvas *canvas, *pinned_canvas;
  JxStepPanel *step_panel;
  GtkLabel *labels_label;
  GtkLabel *status_label;

  /* Owned References */
  JxSession *session;
  GSignalGroup *session_signals;
  GSettings *settings;        /* NULL: viridis, text scale kept here */
  GSignalGroup *settings_signals;
  JxScoredJet *current;       /* the session's jet under its models */
  JxScoredJet *pinned;        /* the tree pinned for comparison, or NULL */
  char *placeholder;          /* why the chosen labels cannot be shown; NULL when they are */
  const double *terms;        /* the current labels' values (in current), or NULL */
  JxTreeRangesCache *ranges;  /* the whole datasets' colour ranges */
  GtkCssProvider *css;

  /* State */
  int step;                   /* 0 none, 1..n */
  int hover, pinned_hover;    /* hovered node (JX_TREE_CANVAS_END for the end), −1 none */
  guint play_source;
  double text_scale;
};

G_DEFINE_FINAL_TYPE (JxTreePage, jx_tree_page, GTK_TYPE_BOX)

static JxTreeMode
current_mode (JxTreePage *self)
{
  guint i = gtk_drop_down_get_selected (self->labels_dropdown);

  return i < JX_TREE_N_MODES ? (JxTreeMode) i : JX_TREE_MODE_NONE;
}

static void
set_status (JxTreePage *self, const char *text)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), text);
}

static void
set_caption_labels (const JxScoredJet *sj, GtkLabel *title, GtkLabel *total, const char *empty)
{
  char buf[1024];
  JxTreeCaption c;

  if (!jx_scored_jet_has_tree (sj))
    {
      gtk_label_set_text (title, empty);
      gtk_label_set_text (total, "");
      return;
    }
  jx_tree_labels_caption (sj, JX_TREE_MODE_NONE, &c);
  jx_tree_caption_title (&c, false, buf, sizeof buf);
  gtk_label_set_text (title, buf);
  gtk_widget_set_tooltip_text (GTK_WIDGET (title), buf);
  jx_tree_caption_totals (&c, false, buf, sizeof buf);
  if (buf[0] == '\0')
    g_strlcpy (buf, _("No totals: choose models A and B in the library"), sizeof buf);
  /* One total per line: on one line the LR total, the number the page is about, ran past the
   * page's edge, and a wrapped line would move the tree under the pointer as jets change. The
   * line count only changes when models A and B do. */
  g_auto (GStrv) parts = g_strsplit (buf, " · ", -1);
  g_autofree char *lines = g_strjoinv ("\n", parts);
  gtk_label_set_text (total, lines);
  gtk_widget_set_tooltip_text (GTK_WIDGET (total), buf);
}

static void
update_captions (JxTreePage *self)
{
  set_caption_labels (self->current, self->title_label, self->total_label, "");
  if (self->pinned != NULL)
    set_caption_labels (self->pinned, self->pinned_title_label, self->pinned_total_label, "");
}

/* ---- labels ------------------------------------------------------------------------------ */

static void
update_labels_label (JxTreePage *self)
{
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;
  int hidden = jx_tree_canvas_get_labels_hidden (self->canvas);

  if (self->placeholder != NULL)
    text = g_strdup_printf (_("labels: none — %s"), self->placeholder);
  else if (current_mode (self) == JX_TREE_MODE_NONE)
    text = g_strdup (_("labels: off"));
  else
    {
      shown = jx_tree_canvas_dup_shown_labels (self->canvas, SHOWN_LABELS_MAX);
      text = g_strdup_printf (_("labels: %s"), shown[0] ? shown : _("none shown"));
      if (hidden > 0)
        {
          char *t = g_strdup_printf (ngettext ("%s · %d more hidden: zoom in", "%s · %d more hidden: zoom in",
                                               hidden), text, hidden);
          g_free (text);
          text = t;
        }
    }
  gtk_label_set_text (self->labels_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->labels_label), text);
}

static void apply_ranges (JxTreePage *self);

static void
refresh_labels (JxTreePage *self)
{
  JxTreeMode mode = current_mode (self);
  const char *reason = NULL;

  g_clear_pointer (&self->placeholder, g_free);
  self->terms = NULL;
  if (jx_scored_jet_has_tree (self->current))
    {
      self->terms = jx_tree_labels_apply (self->canvas, self->current, mode, &reason);
      self->placeholder = g_strdup (reason);
    }
  else
    jx_tree_canvas_set_labels (self->canvas, JX_TREE_LABEL_NONE, NULL, 0, FALSE, NULL,
                               jx_tree_mode_name (mode));
  if (jx_scored_jet_has_tree (self->pinned))
    jx_tree_labels_apply (self->pinned_canvas, self->pinned, mode, &reason);
  apply_ranges (self);
  update_labels_label (self);
}

/* ---- colour ranges ----------------------------------------------------------------------- */

static void
on_ranges_ready (gpointer data)
{
  apply_ranges (data);
}

/* The colour ranges both canvases use: the whole datasets' with "Same scale", else those of
 * the two trees when comparing, else each tree its own. */
static void
apply_ranges (JxTreePage *self)
{
  gboolean compare = self->pinned != NULL;
  gboolean same = gtk_toggle_button_get_active (self->same_scale_button);
  gboolean lr = current_mode (self) == JX_TREE_MODE_LR;
  JxTreeRanges r = { NAN, NAN, NAN };
  gboolean waiting = FALSE;
  const char *error = NULL;

  if (!jx_scored_jet_has_tree (self->current))
    return;
  if (compare && jx_scored_jet_has_tree (self->pinned))
    {
      JxTreeRanges p;
      jx_tree_ranges_of_tree (&self->current->tree, lr ? self->current->lr : NULL,
                              self->current->tree.n, &r);
      jx_tree_ranges_of_tree (&self->pinned->tree, lr ? self->pinned->lr : NULL,
                              self->pinned->tree.n, &p);
      jx_tree_ranges_union (&r, &p);
    }
  if (same)
    {
      const JxScoredJet *jets[2] = { self->current, compare ? self->pinned : NULL };
      JxTreeRanges d = { NAN, NAN, NAN }, one;
      int threads = self->settings ? g_settings_get_int (self->settings, "threads") : 0;

      for (int k = 0; k < 2; k++)
        {
          const JxScoredJet *keep = jets[1 - k];
          if (jets[k] == NULL)
            continue;
          if (jx_tree_ranges_cache_lookup (self->ranges, jets[k]->dataset, jets[k]->m[0].model,
                                           jets[k]->m[1].model, threads,
                                           keep ? keep->dataset : NULL,
                                           keep ? keep->m[0].model : NULL,
                                           keep ? keep->m[1].model : NULL, &one,
                                           error ? NULL : &error))
            jx_tree_ranges_union (&d, &one);
          else
            waiting = TRUE;
        }
      if (!waiting)
        r = d;
    }
  set_status (self, waiting ? _("Computing the whole dataset's colour ranges…") : error);
  jx_tree_canvas_set_ranges (self->canvas, r.energy_lo, r.energy_hi, lr ? r.lr_max : NAN);
  jx_tree_canvas_set_ranges (self->pinned_canvas, r.energy_lo, r.energy_hi, lr ? r.lr_max : NAN);
}

/* ---- step panel -------------------------------------------------------------------------- */

static void
show_node (JxTreePage *self, const JxScoredJet *sj, int node)
{
  if (node == JX_TREE_CANVAS_END)
    jx_step_panel_show_step (self->step_panel, sj, (int) sj->tree.n, TRUE);
  else if (sj->tree.nodes[node].step > 0)
    jx_step_panel_show_step (self->step_panel, sj, sj->tree.nodes[node].step, TRUE);
  else
    jx_step_panel_show_particle (self->step_panel, sj, node);
}

static void
update_panel (JxTreePage *self)
{
  if (!jx_scored_jet_has_tree (self->current))
    jx_step_panel_show_none (self->step_panel, _("Steps"), _("No tree to walk through"));
  else if (self->hover != -1)
    show_node (self, self->current, self->hover);
  else if (self->pinned_hover != -1 && jx_scored_jet_has_tree (self->pinned))
    show_node (self, self->pinned, self->pinned_hover);
  else if (self->step > 0)
    jx_step_panel_show_step (self->step_panel, self->current, self->step, FALSE);
  else
    jx_step_panel_show_none (self->step_panel, _("Steps"),
                             _("← → Home End: walk the steps · Space: play · hover a node"));
}

static void
stop_play (JxTreePage *self)
{
  g_clear_handle_id (&self->play_source, g_source_remove);
  if (gtk_toggle_button_get_active (self->play_button))
    gtk_toggle_button_set_active (self->play_button, FALSE);
}

static int
n_steps (JxTreePage *self)
{
  return jx_scored_jet_has_tree (self->current) ? (int) self->current->tree.n : 0;
}

void
jx_tree_page_set_step (JxTreePage *self, int t)
{
  g_return_if_fail (JX_IS_TREE_PAGE (self));

  self->step = CLAMP (t, 0, n_steps (self));
  jx_tree_canvas_set_focus_step (self->canvas, self->step);
  update_panel (self);
}

int
jx_tree_page_get_step (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), 0);
  return self->step;
}

static void
on_first_step (JxTreePage *self)
{
  jx_tree_page_set_step (self, 1);
}

static void
on_last_step (JxTreePage *self)
{
  jx_tree_page_set_step (self, n_steps (self));
}

static void
on_previous_step (JxTreePage *self)
{
  jx_tree_page_set_step (self, MAX (self->step - 1, 1));
}

static void
on_next_step (JxTreePage *self)
{
  jx_tree_page_set_step (self, self->step + 1);
}

static gboolean
on_play_tick (gpointer data)
{
  JxTreePage *self = data;

  if (self->step >= n_steps (self))
    {
      self->play_source = 0;
      gtk_toggle_button_set_active (self->play_button, FALSE);
      return G_SOURCE_REMOVE;
    }
  jx_tree_page_set_step (self, self->step + 1);
  return G_SOURCE_CONTINUE;
}

static void
on_play_toggled (JxTreePage *self)
{
  gboolean on = gtk_toggle_button_get_active (self->play_button);

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            on ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               on ? _("Pause (Space)") : _("Play the steps one after another (Space)"));
  g_clear_handle_id (&self->play_source, g_source_remove);
  if (!on)
    return;
  if (n_steps (self) == 0)
    {
      gtk_toggle_button_set_active (self->play_button, FALSE);
      return;
    }
  /* From the start again when at the end (or before the first step). */
  if (self->step == 0 || self->step >= n_steps (self))
    jx_tree_page_set_step (self, 1);
  self->play_source = g_timeout_add (PLAY_INTERVAL_MS, on_play_tick, self);
}

/* ←/→/Home/End/Space anywhere in the page but in the drop-down. */
static gboolean
on_key_pressed (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state,
                JxTreePage *self)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      on_next_step (self);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      on_previous_step (self);
      return TRUE;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      on_first_step (self);
      return TRUE;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      on_last_step (self);
      return TRUE;
    case GDK_KEY_space:
      gtk_toggle_button_set_active (self->play_button,
                                    !gtk_toggle_button_get_active (self->play_button));
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- the jets ---------------------------------------------------------------------------- */

static void
show_jet (JxTreeCanvas *canvas, const JxScoredJet *sj, const char *message)
{
  if (jx_scored_jet_has_tree (sj))
    jx_tree_canvas_set_tree (canvas, &sj->tree, sj->jet, NULL);
  else
    jx_tree_canvas_set_tree (canvas, NULL, sj ? sj->jet : -1,
                             sj != NULL && sj->error != NULL ? sj->error : message);
}

static void
refresh_tree (JxTreePage *self)
{
  JxDatasetItem *ds = self->session ? jx_session_get_dataset (self->session) : NULL;
  int jet = self->session ? jx_session_get_jet_index (self->session) : -1;
  const char *message = ds == NULL ? _("Open a dataset in the library to see its jets")
                                   : _("No jet selected");

  stop_play (self);
  g_clear_pointer (&self->current, jx_scored_jet_free);
  if (ds != NULL && jet >= 0)
    self->current = jx_scored_jet_new (ds, jet, jx_session_get_clustering (self->session),
                                       jx_session_get_model_a (self->session),
                                       jx_session_get_model_b (self->session));
  self->step = 0;
  self->hover = -1;
  show_jet (self->canvas, self->current, message);
  refresh_labels (self);
  update_captions (self);
  if (self->session != NULL)
    jx_tree_canvas_set_highlight (self->canvas, jx_session_get_highlight_node (self->session));
  update_panel (self);
}

void
jx_tree_page_set_compare (JxTreePage *self, gboolean compare)
{
  g_return_if_fail (JX_IS_TREE_PAGE (self));

  if (gtk_toggle_button_get_active (self->compare_button) != compare)
    {
      gtk_toggle_button_set_active (self->compare_button, compare);
      return;  /* on_compare_toggled does the rest */
    }
  g_clear_pointer (&self->pinned, jx_scored_jet_free);
  self->pinned_hover = -1;
  if (compare && self->current != NULL)
    self->pinned = jx_scored_jet_new (self->current->dataset, self->current->jet,
                                      &self->current->clustering, self->current->m[0].model,
                                      self->current->m[1].model);
  gtk_widget_set_visible (self->pinned_box, self->pinned != NULL);
  show_jet (self->pinned_canvas, self->pinned, _("Nothing pinned"));
  refresh_labels (self);
  update_captions (self);
  update_panel (self);
}

static void
on_compare_toggled (JxTreePage *self)
{
  gboolean on = gtk_toggle_button_get_active (self->compare_button);

  /* Comparing means one colour is one value on both trees: the same scale is on by default. */
  if (on)
    gtk_toggle_button_set_active (self->same_scale_button, TRUE);
  jx_tree_page_set_compare (self, on);
}

static void
on_same_scale_toggled (JxTreePage *self)
{
  apply_ranges (self);
}

static void
on_panel_toggled (JxTreePage *self)
{
  gtk_widget_set_visible (self->panel_scroller, gtk_toggle_button_get_active (self->panel_button));
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
  jx_tree_canvas_zoom_by (self->pinned_canvas, 1.25);
}

static void
on_zoom_out (JxTreePage *self)
{
  jx_tree_canvas_zoom_by (self->canvas, 0.8);
  jx_tree_canvas_zoom_by (self->pinned_canvas, 0.8);
}

static void
on_reset_view (JxTreePage *self)
{
  jx_tree_canvas_reset_view (self->canvas);
  jx_tree_canvas_reset_view (self->pinned_canvas);
}

static void
on_layout_changed (JxTreePage *self)
{
  update_labels_label (self);
}

static void
on_node_clicked (JxTreePage *self, int node)
{
  if (self->session == NULL)
    return;
  /* A click on a branching also makes it the current step. */
  if (node == JX_TREE_CANVAS_END)
    jx_tree_page_set_step (self, n_steps (self));
  else if (node >= 0 && self->current != NULL && self->current->tree.nodes[node].step > 0)
    jx_tree_page_set_step (self, self->current->tree.nodes[node].step);
  jx_session_set_highlight_node (self->session, node >= 0 ? node : -1);
}

/* A tooltip (a popover: nothing moves) with the node's one-line summary. Asked for on demand
 * (query-tooltip) rather than set: a set tooltip would replace the canvas's accessible
 * description. */
static gboolean
canvas_tooltip (JxTreeCanvas *canvas, const JxScoredJet *sj, int x, int y, GtkTooltip *tooltip)
{
  char text[512] = "";
  int node = jx_tree_canvas_node_at (canvas, x, y);

  if (node == JX_TREE_CANVAS_END && sj != NULL)
    g_snprintf (text, sizeof text, _("The end: after %zu states the shower stops (P_end(1|h_n))"),
                sj->tree.n);
  else if (node >= 0 && jx_scored_jet_has_tree (sj))
    jx_tree_node_summary (&sj->tree, node, text, sizeof text);
  if (text[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static gboolean
on_query_tooltip (JxTreePage *self, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  return canvas_tooltip (self->canvas, self->current, x, y, tooltip);
}

static gboolean
on_pinned_query_tooltip (JxTreePage *self, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  return canvas_tooltip (self->pinned_canvas, self->pinned, x, y, tooltip);
}

static void
on_hover_changed (JxTreePage *self, int node)
{
  self->hover = node;
  update_panel (self);
}

static void
on_pinned_hover_changed (JxTreePage *self, int node)
{
  self->pinned_hover = node;
  update_panel (self);
}

/* ---- export ------------------------------------------------------------------------------ */

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
      set_status (self, msg);
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
  int jet = self->current ? self->current->jet : 0;

  chooser = gtk_file_chooser_native_new (_("Export Tree"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = self->pinned ? g_strdup_printf ("jets-%d-%d-trees.png", self->pinned->jet, jet)
                      : g_strdup_printf ("jet-%d-tree.png", MAX (jet, 0));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
jx_tree_page_export (JxTreePage *self, const char *path, GError **error)
{
  /* Pinned above, current below: as on screen. */
  const JxScoredJet *jets[2] = { self->pinned, self->current };
  JxTreeCanvas *canvases[2] = { self->pinned_canvas, self->canvas };
  /* What the user sees, but at least a readable figure size. */
  int w = MAX (gtk_widget_get_width (GTK_WIDGET (self->canvas)), 900);
  int h = MAX (gtk_widget_get_height (GTK_WIDGET (self->canvas)) + 50, 560);

  g_return_val_if_fail (JX_IS_TREE_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return jx_tree_labels_export (path, jets, canvases, 2, current_mode (self), w, h, error);
}

/* ---- text scale -------------------------------------------------------------------------- */

static void
apply_text_scale (JxTreePage *self, double scale)
{
  g_autofree char *css = NULL;

  self->text_scale = CLAMP (scale, TEXT_SCALE_MIN, TEXT_SCALE_MAX);
  jx_tree_canvas_set_text_scale (self->canvas, self->text_scale);
  jx_tree_canvas_set_text_scale (self->pinned_canvas, self->text_scale);
  jx_step_panel_set_text_scale (self->step_panel, self->text_scale);
  css = g_strdup_printf ("label.jx-tree-caption { font-size: %.0f%%; }",
                         100 * MIN (self->text_scale, 1.5));
  gtk_css_provider_load_from_data (self->css, css, -1);
}

void
jx_tree_page_set_text_scale (JxTreePage *self, double scale)
{
  g_return_if_fail (JX_IS_TREE_PAGE (self));

  scale = CLAMP (scale, TEXT_SCALE_MIN, TEXT_SCALE_MAX);
  if (self->settings != NULL)
    g_settings_set_double (self->settings, "text-scale", scale);  /* changed:: applies it */
  else
    apply_text_scale (self, scale);
}

double
jx_tree_page_get_text_scale (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), 1.0);
  return self->text_scale;
}

static gboolean
text_scale_shortcut (GtkWidget *widget, GVariant *args, gpointer data)
{
  JxTreePage *self = JX_TREE_PAGE (widget);
  int dir = g_variant_get_int32 (args);

  jx_tree_page_set_text_scale (self, dir == 0 ? 1.0 : self->text_scale * (dir > 0 ? 1.25 : 0.8));
  return TRUE;
}

static void
on_text_scale_setting (JxTreePage *self)
{
  apply_text_scale (self, g_settings_get_double (self->settings, "text-scale"));
}

static void
on_colormap_changed (JxTreePage *self)
{
  JxColormap map = jx_application_get_colormap (self->settings);

  jx_tree_canvas_set_colormap (self->canvas, map);
  jx_tree_canvas_set_colormap (self->pinned_canvas, map);
}

/* ---- class ------------------------------------------------------------------------------- */

static void
jx_tree_page_dispose (GObject *object)
{
  JxTreePage *self = JX_TREE_PAGE (object);

  g_clear_handle_id (&self->play_source, g_source_remove);
  g_clear_pointer (&self->ranges, jx_tree_ranges_cache_free);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  if (self->settings_signals != NULL)
    g_signal_group_set_target (self->settings_signals, NULL);
  g_clear_object (&self->settings_signals);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->current, jx_scored_jet_free);
  g_clear_pointer (&self->pinned, jx_scored_jet_free);
  g_clear_pointer (&self->placeholder, g_free);
  if (self->css != NULL && gdk_display_get_default () != NULL)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->css));
  g_clear_object (&self->css);
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
  g_type_ensure (JX_TYPE_STEP_PANEL);
  g_type_ensure (JX_TYPE_BESIDE_BOX);
  g_type_ensure (JX_TYPE_WRAP_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-tree-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, JxTreePage, name)
  BIND (toolbar);
  BIND (labels_dropdown);
  BIND (play_button);
  BIND (compare_button);
  BIND (same_scale_button);
  BIND (panel_button);
  BIND (pinned_box);
  BIND (panel_scroller);
  BIND (pinned_title_label);
  BIND (pinned_total_label);
  BIND (title_label);
  BIND (total_label);
  BIND (canvas);
  BIND (pinned_canvas);
  BIND (step_panel);
  BIND (labels_label);
  BIND (status_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_labels_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_first_step);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_step);
  gtk_widget_class_bind_template_callback (widget_class, on_next_step);
  gtk_widget_class_bind_template_callback (widget_class, on_last_step);
  gtk_widget_class_bind_template_callback (widget_class, on_play_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_in);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_out);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_view);
  gtk_widget_class_bind_template_callback (widget_class, on_compare_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_same_scale_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_panel_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_node_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_hover_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_pinned_hover_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_layout_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_query_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, on_pinned_query_tooltip);
}

/* Ctrl+= / Ctrl++ / Ctrl+− / Ctrl+0 wherever the focus is, while the page is shown. */
static void
add_text_scale_shortcuts (JxTreePage *self)
{
  GtkEventController *sc = gtk_shortcut_controller_new ();
  const struct { guint key; int dir; } keys[] = {
    { GDK_KEY_equal, 1 }, { GDK_KEY_plus, 1 }, { GDK_KEY_KP_Add, 1 },
    { GDK_KEY_minus, -1 }, { GDK_KEY_KP_Subtract, -1 }, { GDK_KEY_0, 0 }, { GDK_KEY_KP_0, 0 },
  };

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (sc), GTK_SHORTCUT_SCOPE_GLOBAL);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (sc),
      gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (keys[i].key, GDK_CONTROL_MASK),
                                       gtk_callback_action_new (text_scale_shortcut, NULL, NULL),
                                       "i", keys[i].dir));
  gtk_widget_add_controller (GTK_WIDGET (self), sc);
}

static void
jx_tree_page_init (JxTreePage *self)
{
  GtkEventController *key;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->hover = self->pinned_hover = -1;
  self->text_scale = 1.0;
  self->ranges = jx_tree_ranges_cache_new (on_ranges_ready, self);
  self->css = gtk_css_provider_new ();
  if (gdk_display_get_default () != NULL)
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (self->css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  add_text_scale_shortcuts (self);

  self->session_signals = g_signal_group_new (JX_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::dataset",
                                  G_CALLBACK (refresh_tree), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::jet-index",
                                  G_CALLBACK (refresh_tree), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-a",
                                  G_CALLBACK (refresh_tree), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::model-b",
                                  G_CALLBACK (refresh_tree), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::highlight-node",
                                  G_CALLBACK (on_highlight_changed), self);
  self->settings_signals = g_signal_group_new (G_TYPE_SETTINGS);
  g_signal_group_connect_swapped (self->settings_signals, "changed::colormap",
                                  G_CALLBACK (on_colormap_changed), self);
  g_signal_group_connect_swapped (self->settings_signals, "changed::text-scale",
                                  G_CALLBACK (on_text_scale_setting), self);
  apply_text_scale (self, 1.0);
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
  if (settings != NULL)
    on_text_scale_setting (self);
}

void
jx_tree_page_set_mode (JxTreePage *self, JxTreeMode mode)
{
  g_return_if_fail (JX_IS_TREE_PAGE (self));

  gtk_drop_down_set_selected (self->labels_dropdown, mode);
}

GtkWidget *
jx_tree_page_get_canvas (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), NULL);
  return GTK_WIDGET (self->canvas);
}

GtkWidget *
jx_tree_page_get_pinned_canvas (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), NULL);
  return GTK_WIDGET (self->pinned_canvas);
}

GtkWidget *
jx_tree_page_get_step_panel (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), NULL);
  return GTK_WIDGET (self->step_panel);
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

const char *
jx_tree_page_get_title_text (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), NULL);
  return gtk_label_get_text (self->title_label);
}

const char *
jx_tree_page_get_total_text (JxTreePage *self)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), NULL);
  return gtk_label_get_text (self->total_label);
}

const double *
jx_tree_page_get_terms (JxTreePage *self, size_t *n)
{
  g_return_val_if_fail (JX_IS_TREE_PAGE (self), NULL);

  if (n != NULL)
    *n = self->terms != NULL ? self->current->tree.n : 0;
  return self->terms;
}
