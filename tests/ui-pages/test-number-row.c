/* JxNumberRow, the job dialogs' number field: what it says while a person types, checked
 * against the same range table as the command line (jx-option-ranges). */
#include <adwaita.h>
#include <string.h>

#include "jx-number-row.h"

static JxNumberRow *
new_row (const char *option)
{
  JxNumberRow *row = g_object_new (JX_TYPE_NUMBER_ROW, "title", "Field", "option", option,
                                   "hint", "a hint", "digits", 4, NULL);
  return g_object_ref_sink (row);
}

static GtkEditable *
spin_of (JxNumberRow *row)
{
  GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (row));
  /* The spin button is somewhere below the row (AdwActionRow's suffix box). */
  GPtrArray *todo = g_ptr_array_new ();
  GtkEditable *found = NULL;

  g_ptr_array_add (todo, w);
  while (todo->len > 0 && found == NULL)
    {
      GtkWidget *x = g_ptr_array_steal_index (todo, todo->len - 1);
      for (; x != NULL; x = gtk_widget_get_next_sibling (x))
        {
          if (GTK_IS_SPIN_BUTTON (x))
            {
              found = GTK_EDITABLE (x);
              break;
            }
          if (gtk_widget_get_first_child (x) != NULL)
            g_ptr_array_add (todo, gtk_widget_get_first_child (x));
        }
    }
  g_ptr_array_unref (todo);
  g_assert_nonnull (found);
  return found;
}

static void
test_range (void)
{
  JxNumberRow *row = new_row ("generate --alpha-s");
  GtkEditable *spin = spin_of (row);
  int changed = 0;

  g_signal_connect_swapped (row, "changed", G_CALLBACK (g_atomic_int_inc), &changed);
  gtk_editable_set_text (spin, "0.3");
  g_assert_false (jx_number_row_is_valid (row));
  g_assert_cmpfloat (jx_number_row_get_value (row), ==, 0.3);
  g_assert_cmpstr (jx_number_row_get_message (row), ==, "0.3 is outside the allowed range 0.05 – 0.2");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_cmpint (changed, >=, 1);

  gtk_editable_set_text (spin, "0,12");   /* a decimal comma is read as a point */
  g_assert_true (jx_number_row_is_valid (row));
  g_assert_cmpfloat (jx_number_row_get_value (row), ==, 0.12);
  g_assert_cmpstr (jx_number_row_get_message (row), ==, "a hint");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));

  gtk_editable_set_text (spin, "0.2");    /* the ends are allowed */
  g_assert_true (jx_number_row_is_valid (row));
  gtk_editable_set_text (spin, "abc");
  g_assert_false (jx_number_row_is_valid (row));
  g_assert_cmpstr (jx_number_row_get_message (row), ==, "“abc” is not a number");
  gtk_editable_set_text (spin, "");
  g_assert_false (jx_number_row_is_valid (row));
  gtk_editable_set_text (spin, "nan");
  g_assert_false (jx_number_row_is_valid (row));

  g_object_unref (row);
}

static void
test_counts_and_problems (void)
{
  JxNumberRow *row = new_row ("train --hidden");
  GtkEditable *spin = spin_of (row);

  gtk_editable_set_text (spin, "32.5");
  g_assert_false (jx_number_row_is_valid (row));
  g_assert_cmpstr (jx_number_row_get_message (row), ==, "32.5 is not a whole number");
  gtk_editable_set_text (spin, "4097");
  g_assert_cmpstr (jx_number_row_get_message (row), ==, "4097 is outside the allowed range 1 – 4096");
  jx_number_row_set_value (row, 64);
  g_assert_true (jx_number_row_is_valid (row));

  /* A problem from a check across fields: invalid until cleared, its own check unaffected. */
  jx_number_row_set_problem (row, "too big for the other field");
  g_assert_false (jx_number_row_is_valid (row));
  g_assert_cmpstr (jx_number_row_get_message (row), ==, "too big for the other field");
  jx_number_row_set_problem (row, NULL);
  g_assert_true (jx_number_row_is_valid (row));
  g_assert_cmpfloat (jx_number_row_get_value (row), ==, 64);

  g_object_unref (row);
}

static void
test_units (void)
{
  JxNumberRow *row = new_row ("sample --jet-energy");

  gtk_editable_set_text (spin_of (row), "2e6");
  g_assert_cmpstr (jx_number_row_get_message (row), ==,
                   "2000000 GeV is outside the allowed range 0.001 – 1000000 GeV");
  g_object_unref (row);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/number-row/range", test_range);
  g_test_add_func ("/number-row/counts-and-problems", test_counts_and_problems);
  g_test_add_func ("/number-row/units", test_units);
  return g_test_run ();
}
