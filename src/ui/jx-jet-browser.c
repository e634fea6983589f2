/* jx-jet-browser.c — column view over JxJetList. GtkColumnView 4.8 has no public way to ask
 * which column the user sorted by, so each column carries a probe sorter: comparing two rows
 * with the view's sorter calls the primary column's probe first, and the sign says the
 * direction. The list then sorts itself in a worker (no GtkSortListModel: it would keep one
 * row object per jet). */
#define G_LOG_DOMAIN "jx-jet-browser"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "jx-jet-browser.h"
#include "jx-jet-list.h"
#include "jx-jet-row.h"

typedef struct {
  struct _JxJetBrowser *self;
  JxJetColumn column;
} Probe;

struct _JxJetBrowser
{
  GtkBox parent_instance;

  /* Template Widgets */
  GtkColumnView *column_view;
  GtkSearchEntry *filter_entry;
  GtkLabel *status_label;
  GtkPopover *filter_popover;   /* the filter's syntax, shown while the filter is wrong */
  GtkLabel *filter_hint;

  /* Owned References */
  JxSession *session;
  JxJetList *list;
  GtkSingleSelection *selection;
  JxDatasetItem *dataset;   /* whose signals we listen to */
  Probe probes[JX_N_COLS];
  int probe_hit;
  gboolean syncing;
};

G_DEFINE_FINAL_TYPE (JxJetBrowser, jx_jet_browser, GTK_TYPE_BOX)

static const struct {
  const char *title;
  int digits;
  int width;
} columns[JX_N_COLS] = {
  [JX_COL_INDEX] = { N_("Jet"), 0, 70 },
  [JX_COL_N] = { N_("n"), 0, 50 },
  [JX_COL_E] = { N_("E [GeV]"), 1, 80 },
  [JX_COL_MASS] = { N_("Mass [GeV]"), 2, 90 },
  [JX_COL_TAU21] = { N_("τ21"), 3, 70 },
  /* Natural logs in the dataset and in files; log10 on screen, as on the Tree page. */
  [JX_COL_LOGP_A] = { N_("log₁₀ P (A)"), 2, 100 },
  [JX_COL_LLR] = { N_("log₁₀ LR A/B"), 2, 110 },
};

static void
update_status (JxJetBrowser *self)
{
  g_autofree char *text = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  gsize total = self->dataset != NULL ? jx_dataset_item_get_n_jets (self->dataset) : 0;

  if (self->dataset == NULL)
    text = g_strdup (_("No dataset selected"));
  else if (jx_jet_list_is_busy (self->list))
    text = g_strdup (_("Sorting…"));
  else if (n == total)
    text = g_strdup_printf (_("%u jets"), n);
  else
    text = g_strdup_printf (_("%u of %zu jets"), n, total);
  if (self->dataset != NULL && !jx_dataset_item_has_observables (self->dataset))
    {
      char *t = g_strconcat (text, _(" · computing observables…"), NULL);
      g_free (text);
      text = t;
    }
  gtk_label_set_text (self->status_label, text);
}

static void
select_session_jet (JxJetBrowser *self)
{
  int jet = self->session != NULL ? jx_session_get_jet_index (self->session) : -1;
  guint pos = jet >= 0 ? jx_jet_list_find (self->list, (guint) jet) : G_MAXUINT;

  self->syncing = TRUE;
  gtk_single_selection_set_selected (self->selection,
                                     pos == G_MAXUINT ? GTK_INVALID_LIST_POSITION : pos);
  self->syncing = FALSE;
  if (pos != G_MAXUINT)
    gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u", pos);
}

static void
on_selected_changed (GtkSingleSelection *selection, GParamSpec *pspec, JxJetBrowser *self)
{
  guint pos = gtk_single_selection_get_selected (selection);

  if (self->syncing || self->session == NULL || pos == GTK_INVALID_LIST_POSITION)
    return;
  jx_session_set_jet_index (self->session, (int) jx_jet_list_get_jet (self->list, pos));
}

static void
on_list_items_changed (GListModel *model, guint position, guint removed, guint added,
                       JxJetBrowser *self)
{
  update_status (self);
  /* A new order moves the selected jet; follow it. */
  select_session_jet (self);
}

static void
on_observables_ready (JxDatasetItem *item, JxJetBrowser *self)
{
  jx_jet_list_refresh (self->list);
  update_status (self);
}

static void
on_scores_changed (JxDatasetItem *item, int which, JxJetBrowser *self)
{
  jx_jet_list_refresh (self->list);
}

static void
set_dataset (JxJetBrowser *self, JxDatasetItem *dataset)
{
  if (self->dataset == dataset)
    return;
  if (self->dataset != NULL)
    g_signal_handlers_disconnect_by_data (self->dataset, self);
  g_set_object (&self->dataset, dataset);
  if (dataset != NULL)
    {
      g_signal_connect (dataset, "observables-ready", G_CALLBACK (on_observables_ready), self);
      g_signal_connect (dataset, "scores-changed", G_CALLBACK (on_scores_changed), self);
    }
  jx_jet_list_set_dataset (self->list, dataset);
  update_status (self);
}

static void
on_session_dataset (JxSession *session, GParamSpec *pspec, JxJetBrowser *self)
{
  set_dataset (self, jx_session_get_dataset (session));
  select_session_jet (self);
}

static void
on_session_jet (JxSession *session, GParamSpec *pspec, JxJetBrowser *self)
{
  select_session_jet (self);
}

/* ---- sorting ---- */

static int
probe_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  Probe *probe = user_data;

  if (probe->self->probe_hit < 0)
    probe->self->probe_hit = probe->column;
  return GTK_ORDERING_SMALLER;
}

static void
on_sorter_changed (GtkSorter *sorter, GtkSorterChange change, JxJetBrowser *self)
{
  g_autoptr (JxJetRow) a = NULL;
  g_autoptr (JxJetRow) b = NULL;
  GtkOrdering ord;

  if (self->dataset == NULL)
    return;
  a = jx_jet_row_new (self->dataset, 0);
  b = jx_jet_row_new (self->dataset, 0);
  self->probe_hit = -1;
  ord = gtk_sorter_compare (sorter, a, b);
  jx_jet_list_set_order (self->list, self->probe_hit, self->probe_hit >= 0 && ord == GTK_ORDERING_LARGER);
  update_status (self);
}

/* ---- cells ---- */

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  JxJetColumn col = GPOINTER_TO_INT (user_data);
  JxJetRow *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  double v = jx_dataset_item_get_value (jx_jet_row_get_dataset (row), jx_jet_row_get_index (row), col);
  char buf[64];

  if (col == JX_COL_LOGP_A || col == JX_COL_LLR)
    v /= G_LN10;

  if (isnan (v))
    gtk_label_set_text (label, "–");
  else
    {
      g_snprintf (buf, sizeof buf, "%.*f", columns[col].digits, v);
      gtk_label_set_text (label, buf);
    }
}

/* A wrong filter turns red and says what is wrong, with the syntax, in a popover under the
 * entry (it does not take the focus: typing goes on) and in the tooltip. */
static void
on_filter_changed (GtkSearchEntry *entry, JxJetBrowser *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr (GError) error = NULL;

  if (jx_jet_list_set_filter (self->list, text, &error))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), jx_jet_list_filter_syntax ());
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      jx_jet_list_filter_syntax (), -1);
      gtk_popover_popdown (self->filter_popover);
    }
  else
    {
      g_autofree char *hint = g_strdup_printf ("%s. %s", error->message, jx_jet_list_filter_syntax ());

      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), hint);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      hint, -1);
      gtk_label_set_text (self->filter_hint, hint);
      gtk_popover_popup (self->filter_popover);
    }
  update_status (self);
}

static void
setup_filter_hint (JxJetBrowser *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  self->filter_hint = GTK_LABEL (label);
  self->filter_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->filter_popover, label);
  gtk_popover_set_autohide (self->filter_popover, FALSE);
  gtk_popover_set_position (self->filter_popover, GTK_POS_BOTTOM);
  gtk_widget_set_can_focus (GTK_WIDGET (self->filter_popover), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->filter_popover), GTK_WIDGET (self->filter_entry));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_popover),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Filter syntax"), -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_entry), jx_jet_list_filter_syntax ());
}

static void
on_previous (GtkButton *button, JxJetBrowser *self)
{
  jx_jet_browser_step (self, -1);
}

static void
on_next (GtkButton *button, JxJetBrowser *self)
{
  jx_jet_browser_step (self, +1);
}

static void
on_busy (JxJetList *list, GParamSpec *pspec, JxJetBrowser *self)
{
  update_status (self);
}

static void
jx_jet_browser_dispose (GObject *object)
{
  JxJetBrowser *self = JX_JET_BROWSER (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  if (self->dataset != NULL)
    g_signal_handlers_disconnect_by_data (self->dataset, self);
  g_clear_object (&self->dataset);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  if (self->filter_popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->filter_popover));
  self->filter_popover = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), JX_TYPE_JET_BROWSER);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (jx_jet_browser_parent_class)->dispose (object);
}

static void
jx_jet_browser_class_init (JxJetBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_jet_browser_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-jet-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, JxJetBrowser, column_view);
  gtk_widget_class_bind_template_child (widget_class, JxJetBrowser, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, JxJetBrowser, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_next);
}

static void
jx_jet_browser_init (JxJetBrowser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_filter_hint (self);

  self->list = jx_jet_list_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (self->selection, "notify::selected", G_CALLBACK (on_selected_changed), self);
  g_signal_connect (self->list, "items-changed", G_CALLBACK (on_list_items_changed), self);
  g_signal_connect (self->list, "notify::busy", G_CALLBACK (on_busy), self);

  for (int c = 0; c < JX_N_COLS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      GtkSorter *probe;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(columns[c].title), factory);
      gtk_column_view_column_set_fixed_width (column, columns[c].width);
      gtk_column_view_column_set_resizable (column, TRUE);
      self->probes[c].self = self;
      self->probes[c].column = c;
      probe = GTK_SORTER (gtk_custom_sorter_new (probe_compare, &self->probes[c], NULL));
      gtk_column_view_column_set_sorter (column, probe);
      g_object_unref (probe);
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (on_sorter_changed), self);
  update_status (self);
}

void
jx_jet_browser_set_session (JxJetBrowser *self, JxSession *session)
{
  g_return_if_fail (JX_IS_JET_BROWSER (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect (session, "notify::dataset", G_CALLBACK (on_session_dataset), self);
      g_signal_connect (session, "notify::jet-index", G_CALLBACK (on_session_jet), self);
      on_session_dataset (session, NULL, self);
    }
  else
    set_dataset (self, NULL);
}

void
jx_jet_browser_step (JxJetBrowser *self, int delta)
{
  guint n, pos;
  gint64 next;

  g_return_if_fail (JX_IS_JET_BROWSER (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  if (n == 0 || self->session == NULL)
    return;
  pos = gtk_single_selection_get_selected (self->selection);
  next = pos == GTK_INVALID_LIST_POSITION ? 0 : (gint64) pos + delta;
  next = CLAMP (next, 0, (gint64) n - 1);
  jx_session_set_jet_index (self->session, (int) jx_jet_list_get_jet (self->list, (guint) next));
}

void
jx_jet_browser_focus_filter (JxJetBrowser *self)
{
  g_return_if_fail (JX_IS_JET_BROWSER (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}
