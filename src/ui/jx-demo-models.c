/* jx-demo-models.c — see jx-demo-models.h. */
#include "config.h"

#include "jx-demo-models.h"

char *
jx_demo_models_dir (void)
{
  const char *env = g_getenv ("JUNIPR_EXPLORER_MODELS");
  const char *candidates[] = { env, JX_MODELS_DIR, JX_SOURCE_MODELS_DIR };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != NULL)
      {
        g_autofree char *probe = g_build_filename (candidates[i], "quark-model.h5", NULL);
        if (g_file_test (probe, G_FILE_TEST_IS_REGULAR))
          return g_strdup (candidates[i]);
      }
  return NULL;
}
