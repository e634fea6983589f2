/* jx-cli-dataset.c — see jx-cli-dataset.h. */
#include "jx-cli-dataset.h"

#include <string.h>

#include "jx-cli-common.h"

int
jx_cli_load_dataset (const char *path, JxDataset *ds, bool quiet)
{
  jx_dataset_init (ds);
  int rc = jx_cli_check_input (path);
  if (rc != 0)
    return rc;
  JxError err = { 0 };
  char kind[64];
  if (jx_file_kind (path, kind, sizeof kind, &err) != 0)
    return jx_cli_fail_core (&err);
  if (strcmp (kind, JX_DATASET_FORMAT) != 0)
    return jx_cli_fail ("not a dataset but a '%s' file (%s): give a dataset made by "
                        "'junipr generate' or 'junipr import'", kind, path);
  JxProgress *progress = jx_cli_progress_begin ("reading", quiet);
  rc = jx_dataset_read (ds, path, progress, &err);
  jx_cli_progress_end ();
  if (rc != 0)
    {
      jx_dataset_free (ds);
      return jx_cli_fail_core (&err);
    }
  return 0;
}
