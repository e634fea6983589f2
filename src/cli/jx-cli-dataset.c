/* jx-cli-dataset.c — see jx-cli-dataset.h. */
#include "jx-cli-dataset.h"

#include <stdlib.h>
#include <string.h>

#include "jx-cli-common.h"
#include "jx-cli-mpi.h"

/* The file exists and is a junipr dataset (the messages every reader here gives). */
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

/* Jets [first, first + count) of path (count = SIZE_MAX: to the end). */
static int
load_range (const char *path, JxDataset *ds, size_t first, size_t count, bool quiet)
{
  jx_dataset_init (ds);
  int rc = check_dataset_file (path);
  if (rc != 0)
    return rc;
  JxError err = { 0 };
  JxProgress *progress = jx_cli_progress_begin ("reading", quiet);
  rc = jx_dataset_read_range (ds, path, first, count, progress, &err);
  jx_cli_progress_end ();
  if (rc != 0)
    {
      jx_dataset_free (ds);
      return jx_cli_fail_core (&err);
    }
  return 0;
}

int
jx_cli_load_dataset (const char *path, JxDataset *ds, bool quiet)
{
  return load_range (path, ds, 0, SIZE_MAX, quiet);
}

int
jx_cli_load_dataset_share (const char *path, JxDataset *ds, size_t align, bool quiet)
{
  const JxComm *c = jx_cli_comm ();
  if (!jx_comm_parallel (c))
    return jx_cli_agree (jx_cli_load_dataset (path, ds, quiet));
  JxDatasetInfo info;
  JxError err = { 0 };
  int rc = check_dataset_file (path);
  if (rc == 0 && jx_dataset_probe (path, &info, &err) != 0)
    rc = jx_cli_fail_core (&err);
  jx_dataset_init (ds);
  if ((rc = jx_cli_agree (rc)) != 0)
    return rc;
  /* Whole blocks of align jets per rank; the last block may be short. */
  size_t blocks = (info.n_jets + align - 1) / align, first, count;
  jx_comm_share (blocks, c->size, c->rank, &first, &count);
  first *= align;
  count *= align;
  first = first < info.n_jets ? first : info.n_jets;
  count = info.n_jets - first < count ? info.n_jets - first : count;
  return jx_cli_agree (load_range (path, ds, first, count, quiet));
}

size_t
jx_cli_stream_chunk_jets (void)
{
  const char *env = getenv ("JUNIPR_STREAM_CHUNK_JETS");
  return env != NULL && env[0] != '\0' ? (size_t) strtoull (env, NULL, 10) : 0;
}

int
jx_cli_open_dataset_stream (const char *path, JxDatasetStream **stream)
{
  *stream = NULL;
  int rc = check_dataset_file (path);
  if (rc != 0)
    return rc;
  JxError err = { 0 };
  JxDatasetStreamOptions opt = { .chunk_jets = jx_cli_stream_chunk_jets () };
  *stream = jx_dataset_stream_open (path, &opt, &err);
  return *stream != NULL ? 0 : jx_cli_fail_core (&err);
}

int
jx_cli_stream_walk (JxDatasetStream *stream, size_t first, size_t last, JxDatasetChunkFunc func,
                    void *user, const char *what, JxProgress *progress)
{
  JxError err = { 0 };
  if (jx_dataset_stream_walk (stream, first, last, func, user, what, progress, &err) == 0)
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
