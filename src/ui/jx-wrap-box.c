/* jx-wrap-box.c — see jx-wrap-box.h. Height for width: the lines at a given width come from
 * one greedy pass (lay_out), used by measure and size_allocate alike. */
#define G_LOG_DOMAIN "jx-wrap-box"

#include "config.h"

#include "jx-wrap-box.h"

struct _JxWrapBox
{
  GtkWidget parent_instance;

  int column_spacing, row_spacing;
};

static void jx_wrap_box_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JxWrapBox, jx_wrap_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, jx_wrap_box_buildable_init))

static GtkBuildableIface *parent_buildable_iface;

/* Lays the visible children out in lines of at most width (each child at its natural width,
 * narrowed to width when alone). With alloc, allocates them; returns the total height. */
static int
lay_out (JxWrapBox *self, int width, gboolean alloc)
{
  int x = 0, y = 0, line_h = 0;
  GtkWidget *line_start = NULL;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      int min_w, nat_w, min_h, nat_h, w;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
      w = width > 0 ? MIN (nat_w, width) : nat_w;
      w = MAX (w, min_w);
      if (line_start != NULL && x + self->column_spacing + w > width)
        {
          y += line_h + self->row_spacing;
          x = 0;
          line_h = 0;
          line_start = NULL;
        }
      if (line_start != NULL)
        x += self->column_spacing;
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, w, &min_h, &nat_h, NULL, NULL);
      if (alloc)
        gtk_widget_size_allocate (c, &(GtkAllocation) { x, y, w, nat_h }, -1);
      line_h = MAX (line_h, nat_h);
      line_start = line_start != NULL ? line_start : c;
      x += w;
    }
  return y + line_h;
}

static GtkSizeRequestMode
jx_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
jx_wrap_box_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                     int *natural, int *minimum_baseline, int *natural_baseline)
{
  JxWrapBox *self = JX_WRAP_BOX (widget);

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* as narrow as the widest child, as wide as all of them on one line */
      int n = 0;
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        {
          int min_w, nat_w;
          if (!gtk_widget_should_layout (c))
            continue;
          gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
          *minimum = MAX (*minimum, min_w);
          *natural += nat_w + (n++ > 0 ? self->column_spacing : 0);
        }
      return;
    }
  if (for_size < 0)
    {
      /* no width given: the one-line height (parents ask again with their width) */
      int min_w, nat_w, dummy;
      jx_wrap_box_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, &dummy, &dummy);
      *minimum = *natural = lay_out (self, nat_w, FALSE);
      return;
    }
  *minimum = *natural = lay_out (self, for_size, FALSE);
}

static void
jx_wrap_box_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  lay_out (JX_WRAP_BOX (widget), width, TRUE);
}

static void
jx_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (jx_wrap_box_parent_class)->dispose (object);
}

static void
jx_wrap_box_buildable_add_child (GtkBuildable *buildable, GtkBuilder *builder, GObject *child,
                                 const char *type)
{
  if (GTK_IS_WIDGET (child))
    jx_wrap_box_append (JX_WRAP_BOX (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
jx_wrap_box_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = jx_wrap_box_buildable_add_child;
}

static void
jx_wrap_box_class_init (JxWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_wrap_box_dispose;
  widget_class->get_request_mode = jx_wrap_box_get_request_mode;
  widget_class->measure = jx_wrap_box_measure;
  widget_class->size_allocate = jx_wrap_box_size_allocate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
jx_wrap_box_init (JxWrapBox *self)
{
  self->column_spacing = 6;
  self->row_spacing = 4;
}

GtkWidget *
jx_wrap_box_new (void)
{
  return g_object_new (JX_TYPE_WRAP_BOX, NULL);
}

void
jx_wrap_box_append (JxWrapBox *self, GtkWidget *child)
{
  g_return_if_fail (JX_IS_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child) && gtk_widget_get_parent (child) == NULL);

  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

void
jx_wrap_box_set_spacing (JxWrapBox *self, int column_spacing, int row_spacing)
{
  g_return_if_fail (JX_IS_WRAP_BOX (self));

  self->column_spacing = MAX (column_spacing, 0);
  self->row_spacing = MAX (row_spacing, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
