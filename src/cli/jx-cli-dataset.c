/* jx-cli-dataset.c — see jx-cli-dataset.h. */
#include "jx-cli-dataset.h"

#include <string.h>

#include "jx-cli-common.h"

/* The input exists and is a junipr dataset (the messages both readers give). */
static int
check_dataset_file (const char *path)
{
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
  return 0;
}

int
jx_cli_load_dataset (const char *path, JxDataset *ds, bool quiet)
{
  jx_dataset_init (ds);
  int rc = check_dataset_file (path);
  if (rc != 0)
    return rc;
  JxError err = { 0 };
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

int
jx_cli_open_dataset_stream (const char *path, JxDatasetStream **stream)
{
  *stream = NULL;
  int rc = check_dataset_file (path);
  if (rc != 0)
    return rc;
  JxError err = { 0 };
  *stream = jx_dataset_stream_open (path, NULL, &err);
  return *stream != NULL ? 0 : jx_cli_fail_core (&err);
}

int
jx_cli_stream_jet (JxDatasetStream *stream, size_t i, const JxDataset **chunk, size_t *row)
{
  JxError err = { 0 };
  *chunk = jx_dataset_stream_get (stream, i, row, NULL, &err);
  if (*chunk != NULL)
    return 0;
  jx_cli_progress_end ();
  return jx_cli_fail_core (&err);
}

int
jx_cli_load_jet (const char *path, size_t jet, JxDataset *ds)
{
  jx_dataset_init (ds);
  int rc = check_dataset_file (path);
  if (rc != 0)
    return rc;
  JxError err = { 0 };
  JxDatasetInfo info;
  if (jx_dataset_probe (path, &info, &err) != 0)
    return jx_cli_fail_core (&err);
  if (jet >= info.n_jets)
    {
      if (info.n_jets == 0)
        return jx_cli_fail ("jet %zu out of range (%s has no jets)", jet, path);
      return jx_cli_fail ("jet %zu out of range (%s has %zu jet%s): use --jet 0..%zu", jet, path,
                          info.n_jets, info.n_jets == 1 ? "" : "s", info.n_jets - 1);
    }
  if (jx_dataset_read_range (ds, path, jet, 1, NULL, &err) != 0)
    {
      jx_dataset_free (ds);
      return jx_cli_fail_core (&err);
    }
  return 0;
}
