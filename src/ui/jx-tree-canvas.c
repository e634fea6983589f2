/* jx-tree-canvas.c — interactive clustering tree: cached layout, cached picture, hit tests,
 * colour bars fixed beside the zoomed tree. */
#define G_LOG_DOMAIN "jx-tree-canvas"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "jx-draw-tree.h"
#include "jx-tree-canvas.h"

#define ZOOM_MIN 0.5
#define ZOOM_MAX 40.0
#define BAR_GAP 12.0   /* between the tree's area and the colour bars */

struct _JxTreeCanvas
{
  GtkWidget parent_instance;

  /* Owned References */
  JxTree tree;              /* a private copy (nodes/steps g_malloc'd) */
  gboolean have_tree;
  int jet_index;
  char *message;
  double *values;           /* [n − 1], or [n] with the end term */
  char *value_name;
  char *mode_name;
  char *description;        /* the accessible description last set */
  JxTreeStyle style;
  double text_scale;
  cairo_surface_t *measure_surface;
  cairo_t *measure_cr;      /* text measuring for the layout */

  /* View */
  double zoom, pan_x, pan_y;
  double drag_pan_x, drag_pan_y;
  int width, height;
  double bars_width;        /* the fixed column of colour bars on the right */

  /* Caches */
  JxTreeLayout layout;
  gboolean have_layout;
  GskRenderNode *node;      /* the tree, in layout coordinates */
  GskRenderNode *bars;      /* the colour bars, in widget coordinates */
  int hover;
};

G_DEFINE_FINAL_TYPE (JxTreeCanvas, jx_tree_canvas, GTK_TYPE_WIDGET)

enum {
  NODE_CLICKED,
  HOVER_CHANGED,
  LAYOUT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_tree (JxTreeCanvas *self)
{
  if (self->have_tree)
    {
      g_free (self->tree.nodes);
      g_free (self->tree.steps);
    }
  memset (&self->tree, 0, sizeof self->tree);
  self->have_tree = FALSE;
}

static void
clear_layout (JxTreeCanvas *self)
{
  if (self->have_layout)
    jx_tree_layout_free (&self->layout);
  self->have_layout = FALSE;
  g_clear_pointer (&self->node, gsk_render_node_unref);
  g_clear_pointer (&self->bars, gsk_render_node_unref);
}

static void
update_description (JxTreeCanvas *self)
{
  const char *mode = self->mode_name ? self->mode_name : "none";
  char *desc;

  if (!self->have_tree)
    desc = g_strdup_printf ("tree: none, labels=%s, shown=0", mode);
  else
    {
      JxRect e = { 0 };
      double rx = NAN, ry = NAN;
      jx_tree_canvas_get_extents (self, &e);
      jx_tree_canvas_node_position (self, self->tree.root, &rx, &ry);
      desc = g_strdup_printf ("tree: jet %d, %zu nodes, labels=%s, hidden=%d, label-size=%.1f, "
                              "extents=%.0f,%.0f,%.0f,%.0f, root=%.0f,%.0f, shown=%d",
                              self->jet_index, 2 * self->tree.n - 1, mode,
                              self->have_layout ? self->layout.labels_hidden : 0,
                              jx_tree_canvas_get_label_size (self), e.x, e.y, e.w, e.h, rx, ry,
                              self->have_layout ? self->layout.labels_shown : 0);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  desc, -1);
  g_free (self->description);
  self->description = desc;
}

/* The pictures of the current layout (tree, bars), recorded once; frames replay them. */
static void
render_nodes (JxTreeCanvas *self)
{
  GtkSnapshot *snapshot;
  cairo_t *cr;
  JxRect r;

  g_clear_pointer (&self->node, gsk_render_node_unref);
  g_clear_pointer (&self->bars, gsk_render_node_unref);
  if (!self->have_layout)
    return;
  r = self->layout.rect;
  snapshot = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (r.x, r.y, r.w, r.h));
  jx_tree_draw (cr, &self->tree, &self->style, &self->layout);
  cairo_destroy (cr);
  self->node = gtk_snapshot_free_to_node (snapshot);

  if (self->bars_width <= 0)
    return;
  double s = self->text_scale, x = self->width - self->bars_width;
  snapshot = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x - BAR_GAP, 0,
                                                                 self->bars_width + BAR_GAP,
                                                                 self->height));
  jx_draw_background (cr, jx_rect (x - BAR_GAP, 0, self->bars_width + BAR_GAP, self->height));
  cairo_scale (cr, s, s);
  jx_tree_colorbars_draw (cr, jx_rect (x / s, 8 / s, (self->bars_width - 8) / s,
                                       (self->height - 16) / s), &self->layout, &self->style);
  cairo_destroy (cr);
  self->bars = gtk_snapshot_free_to_node (snapshot);
}

/* Labels follow the zoom (as its square root: zooming in also makes room for more of them) and
 * the presentation scale. */
static double
label_scale (JxTreeCanvas *self)
{
  return CLAMP (self->text_scale * sqrt (self->zoom), 0.5, 6.0);
}

static void
ensure_layout (JxTreeCanvas *self)
{
  clear_layout (self);
  self->bars_width = 0;
  if (self->have_tree && self->width > 0 && self->height > 0)
    {
      JxTreeLayout scales = { 0 };
      double s = self->text_scale;

      self->style.values = self->values;
      self->style.label_scale = label_scale (self);
      /* The bars' width at the text scale, from the scales alone. */
      jx_tree_layout_scales (&scales, &self->tree, &self->style);
      self->bars_width = 8 + s * jx_tree_colorbars_width (self->measure_cr, &scales, &self->style,
                                                          (self->height - 16) / s);
      double w = MAX (self->width - self->bars_width - BAR_GAP, 40);
      if (jx_tree_layout_compute (&self->layout, self->measure_cr, &self->tree, &self->style,
                                  jx_rect (0, 0, w * self->zoom, self->height * self->zoom)) == 0)
        self->have_layout = TRUE;
      render_nodes (self);
    }
  update_description (self);
  g_signal_emit (self, signals[LAYOUT_CHANGED], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_hover (JxTreeCanvas *self, int node)
{
  if (node == self->hover)
    return;
  self->hover = node;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[HOVER_CHANGED], 0, node);
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, JxTreeCanvas *self)
{
  set_hover (self, jx_tree_canvas_node_at (self, x, y));
}

static void
on_leave (GtkEventControllerMotion *motion, JxTreeCanvas *self)
{
  set_hover (self, -1);
}

static void
on_drag_begin (GtkGestureDrag *drag, double x, double y, JxTreeCanvas *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_pan_x = self->pan_x;
  self->drag_pan_y = self->pan_y;
}

static void
on_drag_update (GtkGestureDrag *drag, double dx, double dy, JxTreeCanvas *self)
{
  self->pan_x = self->drag_pan_x + dx;
  self->pan_y = self->drag_pan_y + dy;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end (GtkGestureDrag *drag, double dx, double dy, JxTreeCanvas *self)
{
  double x0, y0;

  /* A press that hardly moved is a click on a node (or on nothing: clears). */
  if (hypot (dx, dy) < 4.0 && gtk_gesture_drag_get_start_point (drag, &x0, &y0))
    {
      self->pan_x = self->drag_pan_x;
      self->pan_y = self->drag_pan_y;
      g_signal_emit (self, signals[NODE_CLICKED], 0, jx_tree_canvas_node_at (self, x0, y0));
    }
}

static void
zoom_at (JxTreeCanvas *self, double factor, double px, double py)
{
  double z = CLAMP (self->zoom * factor, ZOOM_MIN, ZOOM_MAX);

  factor = z / self->zoom;
  if (factor == 1.0)
    return;
  /* Keep the point under (px, py) in place: layout coordinates scale with the zoom. */
  self->pan_x = px - (px - self->pan_x) * factor;
  self->pan_y = py - (py - self->pan_y) * factor;
  self->zoom = z;
  ensure_layout (self);
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll, double dx, double dy, JxTreeCanvas *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (scroll));
  double x = self->width / 2.0, y = self->height / 2.0;
  GdkEvent *event;

  if (state & GDK_CONTROL_MASK)
    {
      event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (scroll));
      if (event != NULL)
        {
          double ex, ey;
          graphene_point_t p;
          GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
          double nx, ny;

          if (gdk_event_get_position (event, &ex, &ey) && native != NULL)
            {
              gtk_native_get_surface_transform (native, &nx, &ny);
              if (gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self),
                                            &GRAPHENE_POINT_INIT (ex - nx, ey - ny), &p))
                {
                  x = p.x;
                  y = p.y;
                }
            }
        }
      zoom_at (self, pow (1.15, -dy), x, y);
      return TRUE;
    }
  self->pan_x -= dx * 30.0;
  self->pan_y -= dy * 30.0;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state,
                JxTreeCanvas *self)
{
  /* Keyboard zoom and pan, for people who do not use a mouse. Plain ←/→ belong to the page's
   * step control and Ctrl with +/−/0 to the text scale: pan is Shift + arrows. */
  if (state & GDK_CONTROL_MASK)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      jx_tree_canvas_zoom_by (self, 1.25);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      jx_tree_canvas_zoom_by (self, 0.8);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      jx_tree_canvas_reset_view (self);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_Right:
    case GDK_KEY_Up:
    case GDK_KEY_Down:
      if (!(state & GDK_SHIFT_MASK))
        return FALSE;
      self->pan_x += keyval == GDK_KEY_Left ? 40 : keyval == GDK_KEY_Right ? -40 : 0;
      self->pan_y += keyval == GDK_KEY_Up ? 40 : keyval == GDK_KEY_Down ? -40 : 0;
      update_description (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return TRUE;
    default:
      return FALSE;
    }
}

static void
jx_tree_canvas_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  JxTreeCanvas *self = JX_TREE_CANVAS (widget);

  if (width == self->width && height == self->height)
    return;
  self->width = width;
  self->height = height;
  ensure_layout (self);
}

static void
snapshot_hover (JxTreeCanvas *self, GtkSnapshot *snapshot)
{
  const JxTreeNodeLayout *nl = NULL;
  double r = 7.0;

  if (self->hover == JX_TREE_CANVAS_END)
    nl = &self->layout.end, r = JX_TREE_END_RADIUS + 4;
  else if (self->hover >= 0 && (size_t) self->hover < self->layout.n_nodes)
    nl = &self->layout.nodes[self->hover];
  if (nl == NULL || !nl->visible)
    return;

  GdkRGBA ring = { 0.0, 0.45, 0.70, 0.9 };
  float w[4] = { 2, 2, 2, 2 };
  GdkRGBA rings[4] = { ring, ring, ring, ring };
  GskRoundedRect rr;

  gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (nl->x + self->pan_x - r,
                                                             nl->y + self->pan_y - r,
                                                             2 * r, 2 * r), r);
  gtk_snapshot_append_border (snapshot, &rr, w, rings);
}

static void
jx_tree_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  JxTreeCanvas *self = JX_TREE_CANVAS (widget);
  const JxTheme *theme = jx_theme ();
  GdkRGBA bg = { theme->bg.r, theme->bg.g, theme->bg.b, 1.0 };
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, self->width, self->height);
  double tree_w = MAX (self->width - self->bars_width - BAR_GAP, 0);
  cairo_t *cr;

  gtk_snapshot_append_color (snapshot, &bg, &bounds);
  if (!self->have_tree || self->node == NULL)
    {
      /* A short message only: cheap enough for the frame. */
      cr = gtk_snapshot_append_cairo (snapshot, &bounds);
      jx_draw_message (cr, jx_rect (0, 0, self->width, self->height),
                       self->message ? self->message : _("No jet selected"));
      cairo_destroy (cr);
      return;
    }

  /* The tree pans and zooms in its area; the bars beside it do not. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, tree_w, self->height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (self->pan_x, self->pan_y));
  gtk_snapshot_append_node (snapshot, self->node);
  gtk_snapshot_restore (snapshot);
  snapshot_hover (self, snapshot);
  gtk_snapshot_pop (snapshot);
  if (self->bars != NULL)
    gtk_snapshot_append_node (snapshot, self->bars);
}

static void
jx_tree_canvas_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                        int *minimum, int *natural, int *min_baseline, int *nat_baseline)
{
  *minimum = 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 520;
}

static void
jx_tree_canvas_dispose (GObject *object)
{
  JxTreeCanvas *self = JX_TREE_CANVAS (object);

  clear_layout (self);
  clear_tree (self);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->value_name, g_free);
  g_clear_pointer (&self->mode_name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->measure_cr, cairo_destroy);
  g_clear_pointer (&self->measure_surface, cairo_surface_destroy);

  G_OBJECT_CLASS (jx_tree_canvas_parent_class)->dispose (object);
}

static void
jx_tree_canvas_class_init (JxTreeCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_tree_canvas_dispose;
  widget_class->size_allocate = jx_tree_canvas_size_allocate;
  widget_class->snapshot = jx_tree_canvas_snapshot;
  widget_class->measure = jx_tree_canvas_measure;

  /* node-clicked (int node): a click; −1 when on nothing, JX_TREE_CANVAS_END on the end. */
  signals[NODE_CLICKED] = g_signal_new ("node-clicked", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT);
  signals[HOVER_CHANGED] = g_signal_new ("hover-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_INT);
  signals[LAYOUT_CHANGED] = g_signal_new ("layout-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "jxtreecanvas");
}

static void
jx_tree_canvas_init (JxTreeCanvas *self)
{
  GtkEventController *motion, *scroll, *key;
  GtkGesture *drag;

  self->jet_index = -1;
  self->hover = -1;
  self->zoom = 1.0;
  self->text_scale = 1.0;
  jx_tree_style_default (&self->style);
  /* The tree uses the canvas's height: the vertical scale may exceed the horizontal one
   * (angles then read larger than they are; their order and proportions stay). */
  self->style.preserve_angles = false;
  self->style.stretch_max = 3;
  self->style.colorbar = false;
  self->measure_surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  self->measure_cr = cairo_create (self->measure_surface);

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  update_description (self);
}

GtkWidget *
jx_tree_canvas_new (void)
{
  return g_object_new (JX_TYPE_TREE_CANVAS, NULL);
}

void
jx_tree_canvas_set_tree (JxTreeCanvas *self, const JxTree *tree, int jet_index,
                         const char *message)
{
  g_return_if_fail (JX_IS_TREE_CANVAS (self));

  clear_layout (self);
  clear_tree (self);
  g_free (self->message);
  self->message = g_strdup (message);
  self->jet_index = jet_index;
  self->hover = -1;
  if (tree != NULL && tree->n >= 1)
    {
      /* A copy: the caller's tree may go before the next redraw. */
      self->tree = *tree;
      self->tree.nodes = g_memdup2 (tree->nodes, (2 * tree->n - 1) * sizeof *tree->nodes);
      self->tree.steps = tree->n > 1
        ? g_memdup2 (tree->steps, (tree->n - 1) * sizeof *tree->steps) : NULL;
      self->have_tree = TRUE;
    }
  /* Values, highlight and focus belong to the previous tree. */
  if (self->style.labels == JX_TREE_LABEL_VALUES)
    {
      g_clear_pointer (&self->values, g_free);
      self->style.labels = JX_TREE_LABEL_NONE;
      self->style.end_term = false;
    }
  self->style.highlight = -1;
  self->style.focus_step = 0;
  ensure_layout (self);
}

void
jx_tree_canvas_set_labels (JxTreeCanvas *self, JxTreeLabelKind kind, const double *values,
                           size_t n_values, gboolean diverging, const char *value_name,
                           const char *mode_name)
{
  g_return_if_fail (JX_IS_TREE_CANVAS (self));

  g_clear_pointer (&self->values, g_free);
  g_free (self->value_name);
  self->value_name = g_strdup (value_name);
  g_free (self->mode_name);
  self->mode_name = g_strdup (mode_name);

  self->style.end_term = false;
  if (kind == JX_TREE_LABEL_VALUES)
    {
      size_t need = self->have_tree && self->tree.n > 1 ? self->tree.n - 1 : 0;

      if (values == NULL || n_values < need)
        kind = JX_TREE_LABEL_NONE;
      else
        {
          self->style.end_term = self->have_tree && n_values >= self->tree.n;
          self->values = g_memdup2 (values, MAX (n_values, 1) * sizeof (double));
        }
    }
  self->style.labels = kind;
  self->style.values = self->values;
  self->style.diverging = kind == JX_TREE_LABEL_VALUES && diverging;
  self->style.value_name = self->value_name;
  self->style.value_format = NULL;
  ensure_layout (self);
}

void
jx_tree_canvas_set_highlight (JxTreeCanvas *self, int node)
{
  g_return_if_fail (JX_IS_TREE_CANVAS (self));

  if (!self->have_tree || node < 0 || (size_t) node >= 2 * self->tree.n - 1)
    node = -1;
  if (node == self->style.highlight)
    return;
  self->style.highlight = node;
  /* The layout does not depend on the highlight: only the picture changes. */
  render_nodes (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
jx_tree_canvas_set_focus_step (JxTreeCanvas *self, int t)
{
  g_return_if_fail (JX_IS_TREE_CANVAS (self));

  if (!self->have_tree || t < 0 || (size_t) t > self->tree.n)
    t = 0;
  if (t == self->style.focus_step)
    return;
  self->style.focus_step = t;
  render_nodes (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
jx_tree_canvas_set_colormap (JxTreeCanvas *self, JxColormap map)
{
  g_return_if_fail (JX_IS_TREE_CANVAS (self));

  if (map == self->style.colormap)
    return;
  self->style.colormap = map;
  /* The layout carries the energy scale (and its map) that the picture and hover use. */
  ensure_layout (self);
}

JxColormap
jx_tree_canvas_get_colormap (JxTreeCanvas *self)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), JX_CMAP_VIRIDIS);

  return self->style.colormap;
}

static gboolean
same_double (double a, double b)
{
  return a == b || (isnan (a) && isnan (b));
}

void
jx_tree_canvas_set_ranges (JxTreeCanvas *self, double energy_lo, double energy_hi,
                           double value_max)
{
  g_return_if_fail (JX_IS_TREE_CANVAS (self));

  if (same_double (energy_lo, self->style.energy_lo) && same_double (energy_hi, self->style.energy_hi)
      && same_double (value_max, self->style.value_max))
    return;
  self->style.energy_lo = energy_lo;
  self->style.energy_hi = energy_hi;
  self->style.value_max = value_max;
  ensure_layout (self);
}

void
jx_tree_canvas_set_text_scale (JxTreeCanvas *self, double scale)
{
  g_return_if_fail (JX_IS_TREE_CANVAS (self));

  scale = CLAMP (scale, 0.5, 4.0);
  if (scale == self->text_scale)
    return;
  self->text_scale = scale;
  ensure_layout (self);
}

double
jx_tree_canvas_get_label_size (JxTreeCanvas *self)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), 0);

  return self->have_layout ? self->layout.label_size : jx_theme ()->font_node * label_scale (self);
}

void
jx_tree_canvas_zoom_by (JxTreeCanvas *self, double factor)
{
  g_return_if_fail (JX_IS_TREE_CANVAS (self));

  zoom_at (self, factor, self->width / 2.0, self->height / 2.0);
}

void
jx_tree_canvas_reset_view (JxTreeCanvas *self)
{
  g_return_if_fail (JX_IS_TREE_CANVAS (self));

  self->pan_x = self->pan_y = 0.0;
  if (self->zoom != 1.0)
    {
      self->zoom = 1.0;
      ensure_layout (self);
    }
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
jx_tree_canvas_get_zoom (JxTreeCanvas *self)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), 1.0);

  return self->zoom;
}

int
jx_tree_canvas_node_at (JxTreeCanvas *self, double x, double y)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), -1);

  if (!self->have_layout || x > self->width - self->bars_width - BAR_GAP)
    return -1;
  if (jx_tree_layout_hit_end (&self->layout, x - self->pan_x, y - self->pan_y, 6.0))
    return JX_TREE_CANVAS_END;
  return jx_tree_layout_hit (&self->layout, &self->tree, x - self->pan_x, y - self->pan_y, 6.0);
}

gboolean
jx_tree_canvas_node_position (JxTreeCanvas *self, int node, double *x, double *y)
{
  const JxTreeNodeLayout *nl;

  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), FALSE);

  if (!self->have_layout)
    return FALSE;
  if (node == JX_TREE_CANVAS_END)
    nl = &self->layout.end;
  else if (node >= 0 && (size_t) node < self->layout.n_nodes)
    nl = &self->layout.nodes[node];
  else
    return FALSE;
  if (!nl->visible)
    return FALSE;
  *x = nl->x + self->pan_x;
  *y = nl->y + self->pan_y;
  return TRUE;
}

gboolean
jx_tree_canvas_get_extents (JxTreeCanvas *self, JxRect *out)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), FALSE);

  if (!self->have_layout)
    return FALSE;
  *out = self->layout.extents;
  out->x += self->pan_x;
  out->y += self->pan_y;
  return TRUE;
}

int
jx_tree_canvas_get_hover (JxTreeCanvas *self)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), -1);

  return self->hover;
}

int
jx_tree_canvas_get_labels_shown (JxTreeCanvas *self)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), 0);

  return self->have_layout ? self->layout.labels_shown : 0;
}

int
jx_tree_canvas_get_labels_hidden (JxTreeCanvas *self)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), 0);

  return self->have_layout ? self->layout.labels_hidden : 0;
}

char *
jx_tree_canvas_dup_shown_labels (JxTreeCanvas *self, int max)
{
  GString *s;
  int count = 0;

  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), NULL);

  s = g_string_new (NULL);
  if (!self->have_layout)
    return g_string_free (s, FALSE);
  /* Step order (t = 1 first), the order a reader follows the declustering; the end last. */
  for (size_t t = 1; t <= self->tree.n; t++)
    {
      gboolean end = t == self->tree.n;
      const JxTreeNodeLayout *nl = end ? &self->layout.end
                                       : &self->layout.nodes[self->tree.steps[t - 1].mother];

      if (!nl->label_shown || !nl->visible)
        continue;
      if (count == max)
        {
          g_string_append (s, ", …");
          break;
        }
      if (count > 0)
        g_string_append (s, ", ");
      if (end)
        g_string_append (s, "end ");
      g_string_append (s, nl->label_text);
      count++;
    }
  return g_string_free (s, FALSE);
}

const JxTree *
jx_tree_canvas_get_tree (JxTreeCanvas *self)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), NULL);

  return self->have_tree ? &self->tree : NULL;
}

gboolean
jx_tree_canvas_get_style (JxTreeCanvas *self, JxTreeStyle *out)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), FALSE);

  if (!self->have_tree)
    return FALSE;
  *out = self->style;
  out->values = self->values;
  out->label_scale = self->text_scale;
  return TRUE;
}

gboolean
jx_tree_canvas_render_to (JxTreeCanvas *self, cairo_t *cr, JxRect rect)
{
  JxTreeStyle style;

  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), FALSE);

  if (!jx_tree_canvas_get_style (self, &style))
    return FALSE;
  style.colorbar = true;
  return jx_tree_render (cr, &self->tree, &style, rect, NULL) == 0;
}

const char *
jx_tree_canvas_get_description (JxTreeCanvas *self)
{
  g_return_val_if_fail (JX_IS_TREE_CANVAS (self), NULL);

  return self->description;
}
