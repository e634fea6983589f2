/* jx-number-row.h — a row holding one number a person types (a spin button), checked as it is
 * typed against its allowed range (jx-option-ranges.h, the same table as the command line's):
 * when the text is not an allowed number the row's subtitle says why, in the error colour and
 * in the spin button's accessible description, and "valid" turns false; otherwise the
 * subtitle shows the hint. A check across fields, made by the dialog, adds its own message
 * with jx_number_row_set_problem. Signal "changed": the text changed (and was checked). */
#pragma once

#include <adwaita.h>

#include "jx-option-ranges.h"

G_BEGIN_DECLS

#define JX_TYPE_NUMBER_ROW (jx_number_row_get_type ())
G_DECLARE_FINAL_TYPE (JxNumberRow, jx_number_row, JX, NUMBER_ROW, AdwActionRow)

/* The range, copied; the "option" property ("train --hidden") sets it from the table. */
void        jx_number_row_set_range (JxNumberRow *self, const JxOptionRange *range);
/* The last number typed (or set), whether or not it is allowed. */
double      jx_number_row_get_value (JxNumberRow *self);
void        jx_number_row_set_value (JxNumberRow *self, double value);
/* In range, and no problem set by the dialog. */
gboolean    jx_number_row_is_valid (JxNumberRow *self);
/* A message from a check across fields (NULL clears it). */
void        jx_number_row_set_problem (JxNumberRow *self, const char *message);
/* What the subtitle says now: the problem, or the hint. */
const char *jx_number_row_get_message (JxNumberRow *self);

G_END_DECLS
