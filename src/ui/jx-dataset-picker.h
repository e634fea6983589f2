/* jx-dataset-picker.h — a labelled drop-down of the session's datasets bound to its signal or
 * background sample (the Plots and Image pages put one of each in their toolbars). */
#pragma once

#include <gtk/gtk.h>

#include "jx-session.h"

G_BEGIN_DECLS

typedef enum {
  JX_PICK_SIGNAL = 0,
  JX_PICK_BACKGROUND = 1,
} JxPickRole;

#define JX_TYPE_DATASET_PICKER (jx_dataset_picker_get_type ())
G_DECLARE_FINAL_TYPE (JxDatasetPicker, jx_dataset_picker, JX, DATASET_PICKER, GtkBox)

GtkWidget *jx_dataset_picker_new (JxPickRole role);
void       jx_dataset_picker_set_role (JxDatasetPicker *self, JxPickRole role);
void       jx_dataset_picker_set_session (JxDatasetPicker *self, JxSession *session);

G_END_DECLS
