/* jx-help-window.c — "What is JUNIPR?" and the tour of the demo (see jx-help-window.h). */
#define G_LOG_DOMAIN "jx-help-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "jx-draw-factorisation.h"
#include "jx-figure-canvas.h"
#include "jx-help-window.h"

struct _JxHelpWindow
{
  AdwWindow parent_instance;

  /* Template Widgets */
  AdwViewStack *stack;
  AdwCarousel *carousel;
  JxFigureCanvas *figure;
  GtkButton *previous_button;
  GtkButton *next_button;
};

G_DEFINE_FINAL_TYPE (JxHelpWindow, jx_help_window, ADW_TYPE_WINDOW)

static void
draw_figure (cairo_t *cr, JxRect rect, gpointer user_data)
{
  jx_draw_factorisation (cr, rect);
}

static void
update_buttons (JxHelpWindow *self)
{
  double pos = adw_carousel_get_position (self->carousel);
  guint n = adw_carousel_get_n_pages (self->carousel);

  gtk_widget_set_sensitive (GTK_WIDGET (self->previous_button), pos > 0.5);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), pos < n - 1.5);
}

static void
go_to (JxHelpWindow *self, int step)
{
  guint n = adw_carousel_get_n_pages (self->carousel);
  int at = (int) (adw_carousel_get_position (self->carousel) + 0.5);

  step = CLAMP (at + step, 0, (int) n - 1);
  adw_carousel_scroll_to (self->carousel, adw_carousel_get_nth_page (self->carousel, step), TRUE);
}

static void
on_previous (JxHelpWindow *self)
{
  go_to (self, -1);
}

static void
on_next (JxHelpWindow *self)
{
  go_to (self, +1);
}

static void
on_page_changed (JxHelpWindow *self, guint index)
{
  update_buttons (self);
}

/* help.show(('page', 'tree')): a tour step's button acts on the main window. */
static void
show_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));
  const char *what, *target;

  if (parent == NULL)
    return;
  g_variant_get (param, "(&s&s)", &what, &target);
  if (strcmp (what, "page") == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.page", "s", target);
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.reveal-sidebar", "b", FALSE);
    }
  else if (strcmp (what, "sidebar") == 0)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.reveal-sidebar", "b", TRUE);
  else if (strcmp (what, "find") == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.reveal-sidebar", "b", FALSE);
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.find", NULL);
    }
  gtk_window_present (parent);
}

static void
jx_help_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), JX_TYPE_HELP_WINDOW);
  G_OBJECT_CLASS (jx_help_window_parent_class)->dispose (object);
}

static void
jx_help_window_class_init (JxHelpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_help_window_dispose;

  g_type_ensure (JX_TYPE_FIGURE_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-help-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JxHelpWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, JxHelpWindow, carousel);
  gtk_widget_class_bind_template_child (widget_class, JxHelpWindow, figure);
  gtk_widget_class_bind_template_child (widget_class, JxHelpWindow, previous_button);
  gtk_widget_class_bind_template_child (widget_class, JxHelpWindow, next_button);
  gtk_widget_class_bind_template_callback (widget_class, on_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_next);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_install_action (widget_class, "help.show", "(ss)", show_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jx_help_window_init (JxHelpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  jx_figure_canvas_set_draw_func (self->figure, draw_figure, NULL, NULL);
  update_buttons (self);
}

GtkWindow *
jx_help_window_new (GtkWindow *parent, const char *page)
{
  JxHelpWindow *self = g_object_new (JX_TYPE_HELP_WINDOW, "transient-for", parent, NULL);

  if (page != NULL)
    adw_view_stack_set_visible_child_name (self->stack, page);
  return GTK_WINDOW (self);
}
