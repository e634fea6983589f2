/* jx-shower-page.h — the Shower page, a stage for one jet's shower emission by emission: the
 * jet chosen in the browser (clustered and scored by a model) or a jet sampled from a model,
 * its tree and jet image after t emissions with the newest emission marked, a step panel with
 * the numbers of step t, play/pause (Space) at a chosen speed, ←/→/Home/End. The model is
 * model A or B, or one of the demo quark models trained on C/A, printer and anti-kt trees and
 * a local C/A model (paper Figs. 20, 21, 23); a second shower can stand beside the first
 * (same seed), e.g. the local model next to the global one. */
#pragma once

#include <gtk/gtk.h>

#include "jx-session.h"

G_BEGIN_DECLS

#define JX_TYPE_SHOWER_PAGE (jx_shower_page_get_type ())
G_DECLARE_FINAL_TYPE (JxShowerPage, jx_shower_page, JX, SHOWER_PAGE, GtkBox)

typedef enum {
  JX_SHOWER_SOURCE_DATA,      /* the browser's jet */
  JX_SHOWER_SOURCE_SAMPLED,   /* sampled from the model */
} JxShowerSource;

/* The models a shower comes from, in the order of the page's "Shower model" drop-down. */
typedef enum {
  JX_SHOWER_MODEL_A,
  JX_SHOWER_MODEL_B,
  JX_SHOWER_MODEL_DEMO_CA,        /* data/models/quark-model.h5 */
  JX_SHOWER_MODEL_DEMO_PRINTER,   /* data/models/quark-printer-model.h5 */
  JX_SHOWER_MODEL_DEMO_ANTIKT,     /* data/models/quark-antikt-model.h5 */
  JX_SHOWER_MODEL_DEMO_LOCAL,      /* data/models/quark-local-model.h5 */
  JX_SHOWER_N_MODELS,
  JX_SHOWER_MODEL_NONE = -1,       /* beside: no second shower */
} JxShowerModel;

GtkWidget *jx_shower_page_new (void);
void jx_shower_page_set_session (JxShowerPage *self, JxSession *session);
/* The app's settings (may be NULL): energy colours follow their `colormap` key as it
 * changes. */
void jx_shower_page_set_settings (JxShowerPage *self, GSettings *settings);

/* What the drop-downs choose (tests and scripts; the drop-downs follow). */
void jx_shower_page_set_source (JxShowerPage *self, JxShowerSource source);
void jx_shower_page_set_model (JxShowerPage *self, JxShowerModel model);
void jx_shower_page_set_beside (JxShowerPage *self, JxShowerModel model);

/* The step shown (0..N) and N, the most emissions of the showers shown (0 without one). */
int jx_shower_page_get_step (JxShowerPage *self);
int jx_shower_page_get_n_steps (JxShowerPage *self);
void jx_shower_page_set_step (JxShowerPage *self, int step);
/* The "step t of N" text. */
const char *jx_shower_page_get_step_text (JxShowerPage *self);
gboolean jx_shower_page_get_playing (JxShowerPage *self);
void jx_shower_page_set_playing (JxShowerPage *self, gboolean playing);
/* Write the (first) shower shown to path (.png, .svg, .pdf). */
gboolean jx_shower_page_export (JxShowerPage *self, const char *path, GError **error);

G_END_DECLS
