/* Unit tests for jx-atomic: the temporary is held while it is written, and the next write of
 * the same name removes the temporaries a killed run left (and only those). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jx-atomic.h"
#include "jx-test.h"
#include "jx-test-tmp.h"

static void
touch (const char *name)
{
  int fd = open (tmp_path (name), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  JX_CHECK (fd >= 0);
  if (fd >= 0)
    close (fd);
}

static int
exists (const char *name)
{
  struct stat st;
  return lstat (tmp_path (name), &st) == 0;
}

static int
count_entries (void)
{
  DIR *d = opendir (tmpdir);
  int n = 0;
  for (struct dirent *e = d != NULL ? readdir (d) : NULL; e != NULL; e = readdir (d))
    if (e->d_name[0] != '.')
      n++;
  if (d != NULL)
    closedir (d);
  return n;
}

/* What kill -9 leaves: a temporary nobody holds, also one level nested (the append step of
 * sample/reweight files writes NAME.tmp-XXXXXX atomically itself). Names that only look
 * alike stay. */
static void
test_stale_removed (void)
{
  touch ("out.h5.tmp-AbC123");
  touch ("out.h5.tmp-AbC123.tmp-xYz789");
  touch ("out.h5.tmp-short");        /* not six characters */
  touch ("out.h5.tmp-AbC1234");      /* seven */
  touch ("other.h5.tmp-AbC123");     /* another output */
  touch ("out.h5.tmp-AbC123.bak");
  JxAtomicFile f;
  JxError err = { 0 };
  JX_CHECK_INT (jx_atomic_begin (&f, tmp_path ("out.h5"), &err), 0);
  JX_CHECK_INT (f.n_stale_removed, 2);
  JX_CHECK (!exists ("out.h5.tmp-AbC123") && !exists ("out.h5.tmp-AbC123.tmp-xYz789"));
  JX_CHECK (exists ("out.h5.tmp-short") && exists ("out.h5.tmp-AbC1234")
            && exists ("other.h5.tmp-AbC123") && exists ("out.h5.tmp-AbC123.bak"));
  JX_CHECK (f.lock_fd >= 0);
  jx_atomic_abort (&f);
  JX_CHECK_INT (count_entries (), 4);
  const char *keep[] = { "out.h5.tmp-short", "out.h5.tmp-AbC1234", "other.h5.tmp-AbC123",
                         "out.h5.tmp-AbC123.bak" };
  for (int i = 0; i < 4; i++)
    unlink (tmp_path (keep[i]));
}

/* A temporary being written (by this process or another) is never taken for a leftover. */
static void
test_live_kept (void)
{
  JxAtomicFile a, b;
  JxError err = { 0 };
  JX_CHECK_INT (jx_atomic_begin (&a, tmp_path ("x.csv"), &err), 0);
  JX_CHECK_INT (jx_atomic_begin (&b, tmp_path ("x.csv"), &err), 0);
  JX_CHECK_INT (b.n_stale_removed, 0);
  JX_CHECK (access (a.tmp_path, F_OK) == 0 && access (b.tmp_path, F_OK) == 0);
  JX_CHECK_INT (jx_atomic_remove_stale (tmp_path ("x.csv")), 0);

  /* Another process's temporary: held while it lives, a leftover once it is killed. */
  int ready[2], go[2];
  JX_CHECK (pipe (ready) == 0 && pipe (go) == 0);
  pid_t child = fork ();
  if (child == 0)
    {
      JxAtomicFile c;
      if (jx_atomic_begin (&c, tmp_path ("x.csv"), NULL) != 0)
        _exit (1);
      char byte = 1;
      if (write (ready[1], &byte, 1) != 1 || read (go[0], &byte, 1) < 0)
        _exit (1);
      _exit (0);  /* dies without commit or abort, as under kill -9 */
    }
  char byte = 0;
  JX_CHECK (read (ready[0], &byte, 1) == 1);
  JX_CHECK_INT (jx_atomic_remove_stale (tmp_path ("x.csv")), 0);
  JX_CHECK (write (go[1], &byte, 1) == 1);
  int status = 0;
  waitpid (child, &status, 0);
  JX_CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  JX_CHECK_INT (jx_atomic_remove_stale (tmp_path ("x.csv")), 1);
  close (ready[0]);
  close (ready[1]);
  close (go[0]);
  close (go[1]);

  JX_CHECK_INT (jx_atomic_commit (&b, &err), 0);
  jx_atomic_abort (&a);
  JX_CHECK (exists ("x.csv"));
  JX_CHECK_INT (count_entries (), 1);
  unlink (tmp_path ("x.csv"));
}

/* A nested atomic write renames a new file over the temporary; relock holds the new one. */
static void
test_relock (void)
{
  JxAtomicFile outer, inner;
  JxError err = { 0 };
  JX_CHECK_INT (jx_atomic_begin (&outer, tmp_path ("s.h5"), &err), 0);
  JX_CHECK_INT (jx_atomic_begin (&inner, outer.tmp_path, &err), 0);
  JX_CHECK_INT (jx_atomic_commit (&inner, &err), 0);
  JX_CHECK_INT (jx_atomic_remove_stale (tmp_path ("s.h5")), 1);  /* unheld until relocked */
  JX_CHECK (access (outer.tmp_path, F_OK) != 0);
  JX_CHECK_INT (jx_atomic_begin (&inner, outer.tmp_path, &err), 0);
  JX_CHECK_INT (jx_atomic_commit (&inner, &err), 0);
  jx_atomic_relock (&outer);
  JX_CHECK_INT (jx_atomic_remove_stale (tmp_path ("s.h5")), 0);
  JX_CHECK_INT (jx_atomic_commit (&outer, &err), 0);
  JX_CHECK (exists ("s.h5"));
  JX_CHECK_INT (count_entries (), 1);
  unlink (tmp_path ("s.h5"));
}

/* An output name that is a pipe (as /dev/full or /dev/null are devices) is refused: the
 * rename would put a plain file in its place and the write would go nowhere. The pipe stays. */
static void
test_not_regular (void)
{
  JxAtomicFile out;
  JxError err = { 0 };
  JX_CHECK_INT (mkfifo (tmp_path ("pipe.csv"), 0600), 0);
  JX_CHECK_INT (symlink (tmp_path ("pipe.csv"), tmp_path ("link.csv")), 0);
  JX_CHECK_INT (jx_atomic_begin (&out, tmp_path ("pipe.csv"), &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "pipe.csv: output is a pipe, not a regular file") != NULL);
  JX_CHECK_INT (jx_atomic_begin (&out, tmp_path ("link.csv"), &err), JX_ERR_INVALID);
  struct stat st;
  JX_CHECK (stat (tmp_path ("link.csv"), &st) == 0 && S_ISFIFO (st.st_mode));
  JX_CHECK_INT (count_entries (), 2);  /* no temporary */
  unlink (tmp_path ("link.csv"));
  unlink (tmp_path ("pipe.csv"));
}

/* A name of an open descriptor (as /dev/stdout -> /proc/self/fd/1) is refused even when the
 * descriptor is a regular file: the rename would replace the link, not write the file. */
static void
test_descriptor_name (void)
{
  JxAtomicFile out;
  JxError err = { 0 };
  touch ("redirected.csv");
  int fd = open (tmp_path ("redirected.csv"), O_WRONLY | O_APPEND | O_CLOEXEC);
  JX_CHECK (fd >= 0);
  char target[64];
  snprintf (target, sizeof target, "/proc/self/fd/%d", fd);
  JX_CHECK_INT (symlink (target, tmp_path ("stdout")), 0);
  JX_CHECK_INT (symlink ("stdout", tmp_path ("relative")), 0);
  JX_CHECK_INT (jx_atomic_begin (&out, tmp_path ("stdout"), &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "open file descriptor") != NULL);
  JX_CHECK_INT (jx_atomic_begin (&out, tmp_path ("relative"), &err), JX_ERR_INVALID);
  JX_CHECK_INT (jx_atomic_begin (&out, target, &err), JX_ERR_INVALID);
  struct stat st;
  JX_CHECK (lstat (tmp_path ("stdout"), &st) == 0 && S_ISLNK (st.st_mode));
  JX_CHECK_INT (count_entries (), 3);  /* no temporary */
  /* An ordinary symlink to a regular file stays allowed. */
  JX_CHECK_INT (symlink ("redirected.csv", tmp_path ("plain.csv")), 0);
  JX_CHECK_INT (jx_atomic_begin (&out, tmp_path ("plain.csv"), &err), 0);
  jx_atomic_abort (&out);
  if (fd >= 0)
    close (fd);
  unlink (tmp_path ("plain.csv"));
  unlink (tmp_path ("relative"));
  unlink (tmp_path ("stdout"));
  unlink (tmp_path ("redirected.csv"));
}

/* The text writer: a stream on the temporary that becomes the file only when the writer and
 * every write succeeded; otherwise no file and no temporary. A device name is refused before
 * anything is created. */
static void
test_stream (void)
{
  JxAtomicFile out;
  JxError err = { 0 };
  FILE *f = jx_atomic_open_stream (&out, tmp_path ("t.csv"), &err);
  JX_CHECK (f != NULL);
  if (f != NULL)
    {
      fputs ("a,b\n1,2\n", f);
      JX_CHECK (!exists ("t.csv"));  /* only the temporary until the commit */
      JX_CHECK_INT (jx_atomic_close_stream (&out, f, 0, &err), 0);
    }
  char text[32] = { 0 };
  FILE *in = fopen (tmp_path ("t.csv"), "r");
  JX_CHECK (in != NULL && fread (text, 1, sizeof text - 1, in) == 8);
  if (in != NULL)
    fclose (in);
  JX_CHECK (strcmp (text, "a,b\n1,2\n") == 0);
  JX_CHECK_INT (count_entries (), 1);
  unlink (tmp_path ("t.csv"));

  /* The writer failed: its status comes back, its error stays, nothing is left. */
  f = jx_atomic_open_stream (&out, tmp_path ("t.csv"), &err);
  JX_CHECK (f != NULL);
  if (f != NULL)
    {
      fputs ("partial", f);
      jx_error_set (&err, JX_ERR_CANCELLED, "writer's own error");
      JX_CHECK_INT (jx_atomic_close_stream (&out, f, JX_ERR_CANCELLED, &err), JX_ERR_CANCELLED);
      JX_CHECK (strcmp (err.message, "writer's own error") == 0);
    }
  JX_CHECK_INT (count_entries (), 0);

  /* A write failed (stdio's error flag, as a full disk sets it): no file. Reading a
   * write-only stream sets the flag. */
  f = jx_atomic_open_stream (&out, tmp_path ("t.csv"), &err);
  JX_CHECK (f != NULL);
  if (f != NULL)
    {
      fputs ("x", f);
      (void) fgetc (f);
      JX_CHECK (ferror (f));
      JX_CHECK_INT (jx_atomic_close_stream (&out, f, 0, &err), JX_ERR_IO);
      JX_CHECK (strstr (err.message, "t.csv: cannot write (disk full?)") != NULL);
    }
  JX_CHECK_INT (count_entries (), 0);

  /* A character device (-o /dev/full) is refused; the device stays as it is. */
  struct stat before, after;
  JX_CHECK (stat ("/dev/full", &before) == 0);
  JX_CHECK (jx_atomic_open_stream (&out, "/dev/full", &err) == NULL);
  JX_CHECK (strstr (err.message, "/dev/full: output is a character device") != NULL);
  JX_CHECK (stat ("/dev/full", &after) == 0 && S_ISCHR (after.st_mode)
            && after.st_ino == before.st_ino);
}

int
main (void)
{
  jx_test_tmp_begin ("atomic");
  test_stale_removed ();
  test_live_kept ();
  test_relock ();
  test_not_regular ();
  test_descriptor_name ();
  test_stream ();
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("atomic");
}
