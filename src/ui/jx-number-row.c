/* jx-number-row.c — a number typed into a row, checked as it is typed (see jx-number-row.h). */
#define G_LOG_DOMAIN "jx-number-row"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "jx-number-row.h"

struct _JxNumberRow
{
  AdwActionRow parent_instance;

  /* Template Widgets */
  GtkSpinButton *spin;
  GtkAdjustment *adjustment;

  JxOptionRange range;
  gboolean has_range;
  char *hint;
  char *error;       /* what is wrong with the text; NULL when it is an allowed number */
  char *problem;     /* from a check across fields; NULL when none */
  double value;
};

G_DEFINE_FINAL_TYPE (JxNumberRow, jx_number_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_OPTION,
  PROP_DIGITS,
  PROP_STEP,
  PROP_HINT,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
format_number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

/* The number in text: the whole of it, after blanks; a decimal comma is read as a point. */
static gboolean
parse_number (const char *text, double *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  char *end = NULL;

  g_strdelimit (s, ",", '.');
  if (s[0] == '\0')
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

static char *
range_message (const JxOptionRange *r, double v)
{
  g_autofree char *lo = format_number (r->lo);
  g_autofree char *hi = format_number (r->hi);
  g_autofree char *val = format_number (v);
  const char *unit = r->unit != NULL && r->unit[0] ? r->unit : NULL;

  if (r->integer && v == floor (v) && v >= r->lo && v <= r->hi)
    return NULL;
  if (r->integer && v != floor (v))
    return g_strdup_printf (_("%s is not a whole number"), val);
  if (v >= r->lo && v <= r->hi)
    return NULL;
  if (unit != NULL)
    return g_strdup_printf (_("%s %s is outside the allowed range %s – %s %s"), val, unit, lo, hi,
                            unit);
  return g_strdup_printf (_("%s is outside the allowed range %s – %s"), val, lo, hi);
}

static void
show_state (JxNumberRow *self)
{
  const char *message = jx_number_row_get_message (self);
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  gboolean bad = self->error != NULL || self->problem != NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), escaped);
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spin),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->spin), GTK_ACCESSIBLE_STATE_INVALID,
                               bad ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
check (JxNumberRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->spin));
  gboolean was_valid = jx_number_row_is_valid (self);
  double v;

  g_clear_pointer (&self->error, g_free);
  if (!parse_number (text, &v))
    self->error = text[0] ? g_strdup_printf (_("“%s” is not a number"), text)
                          : g_strdup (_("Give a number"));
  else
    {
      self->value = v;
      if (self->has_range)
        self->error = range_message (&self->range, v);
    }
  show_state (self);
  if (was_valid != jx_number_row_is_valid (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_text_changed (JxNumberRow *self)
{
  check (self);
}

static void
on_title_changed (JxNumberRow *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)), -1);
}

static void
set_option (JxNumberRow *self, const char *option)
{
  g_auto (GStrv) parts = NULL;
  const JxOptionRange *r = NULL;

  if (option == NULL)
    return;
  parts = g_strsplit (option, " ", 2);
  if (parts[0] != NULL && parts[1] != NULL)
    r = jx_option_range (parts[0], parts[1]);
  if (r == NULL)
    {
      g_critical ("no range for option '%s'", option);
      return;
    }
  jx_number_row_set_range (self, r);
}

static void
jx_number_row_finalize (GObject *object)
{
  JxNumberRow *self = JX_NUMBER_ROW (object);

  g_free (self->hint);
  g_free (self->error);
  g_free (self->problem);

  G_OBJECT_CLASS (jx_number_row_parent_class)->finalize (object);
}

static void
jx_number_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JxNumberRow *self = JX_NUMBER_ROW (object);

  switch (prop_id)
    {
    case PROP_DIGITS:
      g_value_set_uint (value, gtk_spin_button_get_digits (self->spin));
      break;
    case PROP_STEP:
      g_value_set_double (value, gtk_adjustment_get_step_increment (self->adjustment));
      break;
    case PROP_HINT:
      g_value_set_string (value, self->hint);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, jx_number_row_is_valid (self));
      break;
    case PROP_OPTION:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_number_row_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  JxNumberRow *self = JX_NUMBER_ROW (object);

  switch (prop_id)
    {
    case PROP_OPTION:
      set_option (self, g_value_get_string (value));
      break;
    case PROP_DIGITS:
      gtk_spin_button_set_digits (self->spin, g_value_get_uint (value));
      break;
    case PROP_STEP:
      gtk_adjustment_set_step_increment (self->adjustment, g_value_get_double (value));
      gtk_adjustment_set_page_increment (self->adjustment, 10 * g_value_get_double (value));
      break;
    case PROP_HINT:
      g_free (self->hint);
      self->hint = g_value_dup_string (value);
      show_state (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_number_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), JX_TYPE_NUMBER_ROW);
  G_OBJECT_CLASS (jx_number_row_parent_class)->dispose (object);
}

static void
jx_number_row_class_init (JxNumberRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jx_number_row_dispose;
  object_class->finalize = jx_number_row_finalize;
  object_class->get_property = jx_number_row_get_property;
  object_class->set_property = jx_number_row_set_property;

  properties[PROP_OPTION] =
    g_param_spec_string ("option", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIGITS] =
    g_param_spec_uint ("digits", NULL, NULL, 0, 20, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_double ("step", NULL, NULL, 0, G_MAXDOUBLE, 1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HINT] =
    g_param_spec_string ("hint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The text changed (checked already): dialogs re-run their checks across fields. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/junipr/Explorer/ui/jx-number-row.ui");
  gtk_widget_class_bind_template_child (widget_class, JxNumberRow, spin);
  gtk_widget_class_bind_template_child (widget_class, JxNumberRow, adjustment);
  gtk_widget_class_bind_template_callback (widget_class, on_text_changed);
}

static void
jx_number_row_init (JxNumberRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self, "notify::title", G_CALLBACK (on_title_changed), self);
}

void
jx_number_row_set_range (JxNumberRow *self, const JxOptionRange *range)
{
  g_return_if_fail (JX_IS_NUMBER_ROW (self));
  g_return_if_fail (range != NULL);

  self->range = *range;
  self->has_range = TRUE;
  check (self);
}

double
jx_number_row_get_value (JxNumberRow *self)
{
  g_return_val_if_fail (JX_IS_NUMBER_ROW (self), 0);
  return self->value;
}

void
jx_number_row_set_value (JxNumberRow *self, double value)
{
  g_return_if_fail (JX_IS_NUMBER_ROW (self));

  /* The text may not change (same number): check anyway, the value is new. */
  gtk_spin_button_set_value (self->spin, value);
  self->value = value;
  check (self);
}

gboolean
jx_number_row_is_valid (JxNumberRow *self)
{
  g_return_val_if_fail (JX_IS_NUMBER_ROW (self), FALSE);
  return self->error == NULL && self->problem == NULL;
}

void
jx_number_row_set_problem (JxNumberRow *self, const char *message)
{
  gboolean was_valid;

  g_return_if_fail (JX_IS_NUMBER_ROW (self));

  if (g_strcmp0 (message, self->problem) == 0)
    return;
  was_valid = jx_number_row_is_valid (self);
  g_free (self->problem);
  self->problem = g_strdup (message);
  show_state (self);
  if (was_valid != jx_number_row_is_valid (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

const char *
jx_number_row_get_message (JxNumberRow *self)
{
  g_return_val_if_fail (JX_IS_NUMBER_ROW (self), NULL);
  if (self->error != NULL)
    return self->error;
  if (self->problem != NULL)
    return self->problem;
  return self->hint != NULL ? self->hint : "";
}
