/* jx-cli-model.c — see jx-cli-model.h. */
#include "jx-cli-model.h"

#include <stddef.h>

#include "jx-cli-common.h"
#include "jx-model-pair.h"

int
jx_cli_load_model (const char *path, JxModel **model, JxModelMeta *meta)
{
  JxError err = { 0 };
  *model = NULL;
  if (jx_model_load (path, model, meta, NULL, NULL, &err) != 0)
    {
      /* jx_model_load initializes meta itself; leave it empty for the caller's free. */
      jx_model_meta_free (meta);
      *model = NULL;
      return jx_cli_fail_core (&err);
    }
  return 0;
}

int
jx_cli_load_pair (const char *path, JxModel *model[2], JxModelMeta meta[2])
{
  JxError err = { 0 };
  if (jx_model_pair_load (path, &model[0], &meta[0], &model[1], &meta[1], NULL, NULL, NULL,
                          &err) != 0)
    {
      for (int k = 0; k < 2; k++)
        {
          jx_model_meta_free (&meta[k]);
          model[k] = NULL;
        }
      return jx_cli_fail_core (&err);
    }
  return 0;
}
