/* jx-wrap-layout.c — children in lines, wrapped at the width given. */
#define G_LOG_DOMAIN "jx-wrap-layout"

#include "config.h"

#include "jx-wrap-layout.h"

struct _JxWrapLayout
{
  GtkLayoutManager parent_instance;

  int spacing;       /* between children of a line */
  int line_spacing;  /* between lines */
};

G_DEFINE_FINAL_TYPE (JxWrapLayout, jx_wrap_layout, GTK_TYPE_LAYOUT_MANAGER)

enum { PROP_0, PROP_SPACING, PROP_LINE_SPACING, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Walks the shown children in lines for a given width; place (may be NULL) gets each child's
 * position and size. Returns the total height. */
typedef void (*PlaceFunc) (GtkWidget *child, int x, int y, int w, int h);

static int
flow (JxWrapLayout *self, GtkWidget *widget, int width, PlaceFunc place)
{
  int x = 0, y = 0, line_h = 0;
  GtkWidget *line_start = NULL;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int w, h;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
      if (width >= 0 && w > width)
        gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &w, NULL, NULL, NULL);
      if (width >= 0 && w > width)
        w = width;
      if (line_start != NULL && width >= 0 && x + w > width)
        {
          y += line_h + self->line_spacing;
          x = 0;
          line_h = 0;
          line_start = NULL;
        }
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
      if (place != NULL)
        place (c, x, y, w, h);
      if (line_start == NULL)
        line_start = c;
      x += w + self->spacing;
      line_h = MAX (line_h, h);
    }
  return line_start != NULL || y > 0 ? y + line_h : 0;
}

static void
place_child (GtkWidget *child, int x, int y, int w, int h)
{
  gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, w, h }, -1);
}

static void
jx_wrap_layout_measure (GtkLayoutManager *manager, GtkWidget *widget, GtkOrientation orientation,
                        int for_size, int *minimum, int *natural, int *min_baseline,
                        int *nat_baseline)
{
  JxWrapLayout *self = JX_WRAP_LAYOUT (manager);
  int min = 0, nat = 0, n = 0;

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      *minimum = *natural = flow (self, widget, for_size, NULL);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int cm, cn;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &cm, &cn, NULL, NULL);
      min = MAX (min, cm);
      nat += cn + (n++ > 0 ? self->spacing : 0);
    }
  *minimum = min;
  *natural = nat;
}

static void
jx_wrap_layout_allocate (GtkLayoutManager *manager, GtkWidget *widget, int width, int height,
                         int baseline)
{
  flow (JX_WRAP_LAYOUT (manager), widget, width, place_child);
}

static GtkSizeRequestMode
jx_wrap_layout_get_request_mode (GtkLayoutManager *manager, GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
jx_wrap_layout_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JxWrapLayout *self = JX_WRAP_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      self->spacing = g_value_get_int (value);
      break;
    case PROP_LINE_SPACING:
      self->line_spacing = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  gtk_layout_manager_layout_changed (GTK_LAYOUT_MANAGER (self));
}

static void
jx_wrap_layout_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JxWrapLayout *self = JX_WRAP_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    case PROP_LINE_SPACING:
      g_value_set_int (value, self->line_spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_wrap_layout_class_init (JxWrapLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  object_class->set_property = jx_wrap_layout_set_property;
  object_class->get_property = jx_wrap_layout_get_property;
  layout_class->measure = jx_wrap_layout_measure;
  layout_class->allocate = jx_wrap_layout_allocate;
  layout_class->get_request_mode = jx_wrap_layout_get_request_mode;

  properties[PROP_SPACING] = g_param_spec_int ("spacing", NULL, NULL, 0, 1000, 12,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE_SPACING] = g_param_spec_int ("line-spacing", NULL, NULL, 0, 1000, 4,
                                                    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jx_wrap_layout_init (JxWrapLayout *self)
{
  self->spacing = 12;
  self->line_spacing = 4;
}

GtkLayoutManager *
jx_wrap_layout_new (int spacing, int line_spacing)
{
  return g_object_new (JX_TYPE_WRAP_LAYOUT, "spacing", spacing, "line-spacing", line_spacing, NULL);
}
