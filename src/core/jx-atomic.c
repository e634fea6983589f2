/* jx-atomic.c — see jx-atomic.h. */
#define _GNU_SOURCE  /* F_OFD_SETLK */
#include "jx-atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMP_TAG ".tmp-"
#define TMP_RANDOM 6  /* the XXXXXX of mkstemp */

/* An open file description lock over the whole file: owned by this open, not by the process,
 * so it is not dropped when another descriptor of the same file is closed (HDF5 opens and
 * closes the file itself), and it does not interact with flock(). */
static bool
lock_fd (int fd, short type)
{
  struct flock fl;
  memset (&fl, 0, sizeof fl);
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  return fcntl (fd, F_OFD_SETLK, &fl) == 0;
}

static int
open_locked (const char *path)
{
  int fd = open (path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fd >= 0 && !lock_fd (fd, F_WRLCK))
    {
      close (fd);
      fd = -1;
    }
  return fd;
}

/* "NAME.tmp-XXXXXX", or one nested write deeper "NAME.tmp-XXXXXX.tmp-YYYYYY". */
static bool
is_temporary_of (const char *entry, const char *base)
{
  size_t len = strlen (base);
  if (strncmp (entry, base, len) != 0)
    return false;
  const char *rest = entry + len;
  for (int level = 0; level < 2; level++)
    {
      if (strncmp (rest, TMP_TAG, strlen (TMP_TAG)) != 0)
        return false;
      rest += strlen (TMP_TAG);
      for (int i = 0; i < TMP_RANDOM; i++)
        if (rest[i] == '\0' || rest[i] == '/' || rest[i] == '.')
          return false;
      rest += TMP_RANDOM;
      if (*rest == '\0')
        return true;
    }
  return false;
}

/* Removes dir/entry when it is a regular file no writer holds. A lock we cannot take (a
 * writer holds it, or the file system has no such locks) means: leave it alone. */
static bool
remove_if_unheld (const char *dir, const char *entry)
{
  char full[JX_PATH_MAX];
  if ((size_t) snprintf (full, sizeof full, "%s/%s", dir, entry) >= sizeof full)
    return false;
  int fd = open (full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return false;
  struct stat st;
  bool removed = false;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && lock_fd (fd, F_RDLCK))
    removed = unlink (full) == 0;
  close (fd);
  return removed;
}

int
jx_atomic_remove_stale (const char *path)
{
  char dir_buf[JX_PATH_MAX], base_buf[JX_PATH_MAX];
  snprintf (dir_buf, sizeof dir_buf, "%s", path);
  snprintf (base_buf, sizeof base_buf, "%s", path);
  const char *dir = dirname (dir_buf), *base = basename (base_buf);
  DIR *d = opendir (dir);
  if (d == NULL)
    return 0;
  int removed = 0;
  for (struct dirent *e = readdir (d); e != NULL; e = readdir (d))
    if (is_temporary_of (e->d_name, base) && remove_if_unheld (dir, e->d_name))
      removed++;
  closedir (d);
  return removed;
}

static const char *
file_kind (mode_t mode)
{
  switch (mode & S_IFMT)
    {
    case S_IFDIR: return "a directory";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFIFO: return "a pipe";
    case S_IFSOCK: return "a socket";
    default: return "not a regular file";
    }
}

/* Whether path, following its symlinks, reaches /proc/PID/fd/N or /dev/fd/N: a name of an
 * open file descriptor (/dev/stdout -> /proc/self/fd/1), which stat shows as the regular file
 * the shell redirected to. */
static bool
names_a_descriptor (const char *path)
{
  char cur[JX_PATH_MAX], link[JX_PATH_MAX];
  snprintf (cur, sizeof cur, "%s", path);
  for (int hop = 0; hop < 40; hop++)  /* the kernel's own limit of nested links */
    {
      if ((strncmp (cur, "/proc/", 6) == 0 && strstr (cur, "/fd/") != NULL)
          || strncmp (cur, "/dev/fd/", 8) == 0)
        return true;
      ssize_t n = readlink (cur, link, sizeof link - 1);
      if (n < 0)
        return false;
      link[n] = '\0';
      if (link[0] == '/')
        snprintf (cur, sizeof cur, "%s", link);
      else
        {
          char dir[JX_PATH_MAX];
          snprintf (dir, sizeof dir, "%s", cur);
          char *slash = strrchr (dir, '/');
          if (slash == NULL)
            snprintf (cur, sizeof cur, "%s", link);
          else
            {
              slash[1] = '\0';
              if ((size_t) snprintf (cur, sizeof cur, "%s%s", dir, link) >= sizeof cur)
                return false;
            }
        }
    }
  return false;
}

int
jx_atomic_check_target (const char *path, JxError *err)
{
  struct stat st;
  if (stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    return jx_error_set (err, JX_ERR_INVALID, "%s: output is %s, not a regular file", path,
                         file_kind (st.st_mode));
  if (names_a_descriptor (path))
    return jx_error_set (err, JX_ERR_INVALID, "%s: output names an open file descriptor "
                         "(/proc/PID/fd/N or /dev/fd/N), not a file", path);
  return 0;
}

int
jx_atomic_begin (JxAtomicFile *file, const char *path, JxError *err)
{
  file->active = 0;
  file->lock_fd = -1;
  file->n_stale_removed = 0;
  if (path == NULL || path[0] == '\0')
    return jx_error_set (err, JX_ERR_INVALID, "no output file name given");
  if (strlen (path) + 16 >= JX_PATH_MAX)
    return jx_error_set (err, JX_ERR_INVALID, "%s: output path too long", path);
  int rc = jx_atomic_check_target (path, err);
  if (rc != 0)
    return rc;
  snprintf (file->path, sizeof file->path, "%s", path);
  snprintf (file->tmp_path, sizeof file->tmp_path, "%s" TMP_TAG "XXXXXX", path);
  file->n_stale_removed = jx_atomic_remove_stale (path);
  int fd = mkostemp (file->tmp_path, O_CLOEXEC);
  if (fd < 0)
    return jx_error_set (err, JX_ERR_IO, "%s: cannot create output file: %s", path, strerror (errno));
  /* mkstemp creates 0600; outputs should get the usual mode the user's umask allows. */
  mode_t mask = umask (0);
  umask (mask);
  fchmod (fd, 0666 & ~mask);
  /* Without lock support (some network file systems) the write goes on unprotected: a
   * later run then cannot take the lock either and leaves the file alone. */
  if (lock_fd (fd, F_WRLCK))
    file->lock_fd = fd;
  else
    close (fd);
  file->active = 1;
  return 0;
}

void
jx_atomic_relock (JxAtomicFile *file)
{
  if (!file->active)
    return;
  if (file->lock_fd >= 0)
    close (file->lock_fd);
  file->lock_fd = open_locked (file->tmp_path);
}

static void
release (JxAtomicFile *file)
{
  if (file->lock_fd >= 0)
    close (file->lock_fd);
  file->lock_fd = -1;
  file->active = 0;
}

static int
fsync_path (const char *path, int flags)
{
  int fd = open (path, flags | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int rc = fsync (fd);
  if (close (fd) != 0 && rc == 0)
    rc = -1;
  return rc;
}

int
jx_atomic_commit (JxAtomicFile *file, JxError *err)
{
  if (!file->active)
    return jx_error_set (err, JX_ERR_INTERNAL, "%s: commit without begin", file->path);
  /* By name: the writer may have replaced the file the lock was taken on. A delayed
   * allocation failure (disk full on a file system that reserves space late) shows here. */
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
  release (file);
  /* Make the rename itself durable. A failure here does not lose data already renamed. */
  char dir[JX_PATH_MAX];
  snprintf (dir, sizeof dir, "%s", file->path);
  fsync_path (dirname (dir), O_RDONLY | O_DIRECTORY);
  return 0;
}

FILE *
jx_atomic_open_stream (JxAtomicFile *file, const char *path, JxError *err)
{
  if (jx_atomic_begin (file, path, err) != 0)
    return NULL;
  FILE *f = fopen (file->tmp_path, "w");
  if (f == NULL)
    {
      jx_error_set (err, JX_ERR_IO, "%s: cannot write: %s", path, strerror (errno));
      jx_atomic_abort (file);
      return NULL;
    }
  setvbuf (f, NULL, _IOFBF, 1 << 20);
  return f;
}

int
jx_atomic_close_stream (JxAtomicFile *file, FILE *f, int rc, JxError *err)
{
  if (rc != 0)
    {
      fclose (f);
      jx_atomic_abort (file);
      return rc;
    }
  return jx_atomic_commit_stream (file, f, err);
}

int
jx_atomic_commit_stream (JxAtomicFile *file, FILE *f, JxError *err)
{
  /* An earlier buffered write may have failed even when the last flush succeeds. */
  errno = 0;
  bool failed = ferror (f) != 0;
  int e = errno;
  if (fflush (f) != 0 && !failed)
    failed = true, e = errno;
  if (fclose (f) != 0 && !failed)
    failed = true, e = errno;
  if (failed)
    {
      jx_atomic_abort (file);
      return jx_error_set (err, JX_ERR_IO, "%s: cannot write (disk full?)%s%s", file->path,
                           e != 0 ? ": " : "", e != 0 ? strerror (e) : "");
    }
  return jx_atomic_commit (file, err);
}

void
jx_atomic_abort (JxAtomicFile *file)
{
  if (file->active)
    {
      unlink (file->tmp_path);
      release (file);
    }
}
