/* jx-cli-model.c — see jx-cli-model.h. */
#include "jx-cli-model.h"

#include <stddef.h>

#include "jx-cli-common.h"

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
