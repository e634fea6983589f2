/* jx-demo-models.h — where the demo models shipped in data/models are: the window's demo
 * opens two of them, the Shower page samples from the others (orderings, local model). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The first of $JUNIPR_EXPLORER_MODELS, the installed models directory and the source tree's
 * data/models that holds quark-model.h5, or NULL. Free with g_free. */
char *jx_demo_models_dir (void);

G_END_DECLS
