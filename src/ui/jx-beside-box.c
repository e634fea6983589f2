/* jx-beside-box.c — main + side, side by side when they fit, else stacked. */
#define G_LOG_DOMAIN "jx-beside-box"

#include "config.h"

#include "jx-beside-box.h"

struct _JxBesideBox
{
  GtkWidget parent_instance;

  GtkWidget *main;
  GtkWidget *side;
  gboolean beside;
};

static void jx_beside_box_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JxBesideBox, jx_beside_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, jx_beside_box_buildable_init))

static GtkBuildableIface *parent_buildable;

static gboolean
side_shown (JxBesideBox *self)
{
  return self->side != NULL && gtk_widget_get_visible (self->side);
}

/* Widths: the side at its natural width needs the main's minimum beside it. */
static void
widths (JxBesideBox *self, int *main_min, int *side_nat)
{
  *main_min = *side_nat = 0;
  if (self->main != NULL)
    gtk_widget_measure (self->main, GTK_ORIENTATION_HORIZONTAL, -1, main_min, NULL, NULL, NULL);
  if (side_shown (self))
    gtk_widget_measure (self->side, GTK_ORIENTATION_HORIZONTAL, -1, NULL, side_nat, NULL, NULL);
}

/* Beside, the main keeps at least this much width: a tree canvas squeezed to its minimum
 * beside the panel (~250 px on the default 1500 px window) was too small to read; below the
 * main, the panel costs height, which a tree has more of to spare. */
#define MAIN_WIDTH_BESIDE 480

static gboolean
fits_beside (JxBesideBox *self, int width)
{
  int main_min, side_nat;

  widths (self, &main_min, &side_nat);
  return side_shown (self) && width >= MAX (main_min, MAIN_WIDTH_BESIDE) + side_nat;
}

static void
measure_child (GtkWidget *child, GtkOrientation o, int for_size, int *min, int *nat)
{
  *min = *nat = 0;
  if (child != NULL && gtk_widget_get_visible (child))
    gtk_widget_measure (child, o, for_size, min, nat, NULL, NULL);
}

/* The side's height below the main, at the main's width. GTK 4.8's GtkScrolledWindow measures
 * its child's height for no width (-1): a side that is shorter when wider (the step panel,
 * two columns below the tree) would get its one-column height. So a scrolled side's child is
 * asked itself; its minimum is the scroller's (it scrolls in less). */
static void
side_height (JxBesideBox *self, int width, int *min, int *nat)
{
  gtk_widget_measure (self->side, GTK_ORIENTATION_VERTICAL, width, min, nat, NULL, NULL);
  GtkWidget *child = GTK_IS_SCROLLED_WINDOW (self->side)
                       ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (self->side)) : NULL;
  if (child != NULL)
    gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, nat, NULL, NULL);
  *nat = MAX (*nat, *min);
}

static void
jx_beside_box_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                       int *natural, int *min_baseline, int *nat_baseline)
{
  JxBesideBox *self = JX_BESIDE_BOX (widget);
  int mm, mn, sm, sn;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      measure_child (self->main, orientation, -1, &mm, &mn);
      measure_child (self->side, orientation, -1, &sm, &sn);
      /* Stacked, the wider minimum is enough; beside is what it would like. */
      *minimum = MAX (mm, sm);
      *natural = mn + sn;
      return;
    }
  if (for_size < 0 || fits_beside (self, for_size))
    {
      int main_min, side_nat;
      widths (self, &main_min, &side_nat);
      measure_child (self->main, orientation, for_size < 0 ? -1 : for_size - side_nat, &mm, &mn);
      measure_child (self->side, orientation, for_size < 0 ? -1 : side_nat, &sm, &sn);
      *minimum = MAX (mm, sm);
      *natural = MAX (mn, sn);
      return;
    }
  measure_child (self->main, orientation, for_size, &mm, &mn);
  sm = sn = 0;
  if (side_shown (self))
    side_height (self, for_size, &sm, &sn);
  *minimum = mm + sm;
  *natural = mn + sn;
}

static void
jx_beside_box_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  JxBesideBox *self = JX_BESIDE_BOX (widget);
  int main_min, side_nat, side_min_h, side_nat_h;

  self->beside = fits_beside (self, width);
  if (!side_shown (self))
    {
      if (self->main != NULL)
        gtk_widget_allocate (self->main, width, height, -1, NULL);
      return;
    }
  widths (self, &main_min, &side_nat);
  if (self->beside)
    {
      if (self->main != NULL)
        gtk_widget_allocate (self->main, width - side_nat, height, -1, NULL);
      gtk_widget_allocate (self->side, side_nat, height, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (width - side_nat, 0)));
      return;
    }
  /* Below: the side's natural height, but at most half the box (it scrolls in what it gets). */
  side_height (self, width, &side_min_h, &side_nat_h);
  int sh = MAX (side_min_h, MIN (side_nat_h, height / 2));
  if (self->main != NULL)
    gtk_widget_allocate (self->main, width, MAX (height - sh, 0), -1, NULL);
  gtk_widget_allocate (self->side, width, sh, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (0, height - sh)));
}

static void
set_child (JxBesideBox *self, GtkWidget **slot, GtkWidget *child)
{
  if (*slot != NULL)
    gtk_widget_unparent (*slot);
  *slot = child;
  if (child != NULL)
    gtk_widget_set_parent (child, GTK_WIDGET (self));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
jx_beside_box_set_main (JxBesideBox *self, GtkWidget *child)
{
  g_return_if_fail (JX_IS_BESIDE_BOX (self));
  set_child (self, &self->main, child);
}

void
jx_beside_box_set_side (JxBesideBox *self, GtkWidget *child)
{
  g_return_if_fail (JX_IS_BESIDE_BOX (self));
  set_child (self, &self->side, child);
  /* The side goes after the main in focus and accessibility order. */
  if (child != NULL && self->main != NULL)
    gtk_widget_insert_after (child, GTK_WIDGET (self), self->main);
}

gboolean
jx_beside_box_get_beside (JxBesideBox *self)
{
  g_return_val_if_fail (JX_IS_BESIDE_BOX (self), FALSE);
  return self->beside;
}

static void
jx_beside_box_add_child (GtkBuildable *buildable, GtkBuilder *builder, GObject *child,
                         const char *type)
{
  JxBesideBox *self = JX_BESIDE_BOX (buildable);

  if (GTK_IS_WIDGET (child) && g_strcmp0 (type, "side") == 0)
    jx_beside_box_set_side (self, GTK_WIDGET (child));
  else if (GTK_IS_WIDGET (child))
    jx_beside_box_set_main (self, GTK_WIDGET (child));
  else
    parent_buildable->add_child (buildable, builder, child, type);
}

static void
jx_beside_box_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable = g_type_interface_peek_parent (iface);
  iface->add_child = jx_beside_box_add_child;
}

static void
jx_beside_box_dispose (GObject *object)
{
  JxBesideBox *self = JX_BESIDE_BOX (object);

  g_clear_pointer (&self->main, gtk_widget_unparent);
  g_clear_pointer (&self->side, gtk_widget_unparent);
  G_OBJECT_CLASS (jx_beside_box_parent_class)->dispose (object);
}

static GtkSizeRequestMode
jx_beside_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
jx_beside_box_class_init (JxBesideBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_beside_box_dispose;
  widget_class->measure = jx_beside_box_measure;
  widget_class->size_allocate = jx_beside_box_size_allocate;
  widget_class->get_request_mode = jx_beside_box_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "jxbesidebox");
}

static void
jx_beside_box_init (JxBesideBox *self)
{
}

GtkWidget *
jx_beside_box_new (void)
{
  return g_object_new (JX_TYPE_BESIDE_BOX, NULL);
}
