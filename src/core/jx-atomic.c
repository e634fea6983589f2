/* jx-atomic.c — see jx-atomic.h. */
#include "jx-atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
jx_atomic_begin (JxAtomicFile *file, const char *path, JxError *err)
{
  file->active = 0;
  if (path == NULL || path[0] == '\0')
    return jx_error_set (err, JX_ERR_INVALID, "no output file name given");
  if (strlen (path) + 16 >= JX_PATH_MAX)
    return jx_error_set (err, JX_ERR_INVALID, "%s: output path too long", path);
  snprintf (file->path, sizeof file->path, "%s", path);
  snprintf (file->tmp_path, sizeof file->tmp_path, "%s.tmp-XXXXXX", path);
  int fd = mkstemp (file->tmp_path);
  if (fd < 0)
    return jx_error_set (err, JX_ERR_IO, "%s: cannot create output file: %s", path, strerror (errno));
  /* mkstemp creates 0600; outputs should get the usual mode the user's umask allows. */
  mode_t mask = umask (0);
  umask (mask);
  fchmod (fd, 0666 & ~mask);
  close (fd);
  file->active = 1;
  return 0;
}

static int
fsync_path (const char *path, int flags)
{
  int fd = open (path, flags);
  if (fd < 0)
    return -1;
  int rc = fsync (fd);
  close (fd);
  return rc;
}

int
jx_atomic_commit (JxAtomicFile *file, JxError *err)
{
  if (!file->active)
    return jx_error_set (err, JX_ERR_INTERNAL, "%s: commit without begin", file->path);
  if (fsync_path (file->tmp_path, O_RDONLY) != 0)
    {
      int e = errno;
      jx_atomic_abort (file);
      return jx_error_set (err, JX_ERR_IO, "%s: cannot flush output: %s", file->path, strerror (e));
    }
  if (rename (file->tmp_path, file->path) != 0)
    {
      int e = errno;
      jx_atomic_abort (file);
      return jx_error_set (err, JX_ERR_IO, "%s: cannot rename output into place: %s",
                           file->path, strerror (e));
    }
  file->active = 0;
  /* Make the rename itself durable. A failure here does not lose data already renamed. */
  char dir[JX_PATH_MAX];
  snprintf (dir, sizeof dir, "%s", file->path);
  fsync_path (dirname (dir), O_RDONLY | O_DIRECTORY);
  return 0;
}

void
jx_atomic_abort (JxAtomicFile *file)
{
  if (file->active)
    {
      unlink (file->tmp_path);
      file->active = 0;
    }
}
