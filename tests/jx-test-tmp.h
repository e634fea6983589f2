/* jx-test-tmp.h — a private temporary directory for a test program's files.
 *
 *   jx_test_tmp_begin ("import");        // /tmp/jx-test-import-XXXXXX
 *   write_text (tmp_path ("a.txt"), "J 0\n");
 *   ...
 *   jx_test_tmp_end ();                  // removes the files and the directory
 */
#pragma once

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

/* path of name inside the directory; up to 8 results are valid at once. */
static const char *
tmp_path (const char *name)
{
  static char buf[8][512];
  static int next;
  char *p = buf[next++ % 8];
  snprintf (p, sizeof buf[0], "%s/%s", tmpdir, name);
  return p;
}

/* inline: a test that writes no text file does not warn about it */
static inline void
write_text (const char *path, const char *text)
{
  FILE *f = fopen (path, "w");
  fputs (text, f);
  fclose (f);
}

/* Creates the directory; exits (status 1, a line on stderr) if it cannot. */
static void
jx_test_tmp_begin (const char *name)
{
  snprintf (tmpdir, sizeof tmpdir, "/tmp/jx-test-%s-XXXXXX", name);
  if (mkdtemp (tmpdir) == NULL)
    {
      perror ("mkdtemp");
      exit (1);
    }
}

/* Files of an atomic write left behind (NAME.tmp-XXXXXX): none after any write, failed or not. */
static inline size_t
jx_test_tmp_partials (void)
{
  size_t n = 0;
  DIR *d = opendir (tmpdir);
  for (struct dirent *e; d != NULL && (e = readdir (d)) != NULL;)
    n += strstr (e->d_name, ".tmp-") != NULL;
  if (d != NULL)
    closedir (d);
  return n;
}

static void
jx_test_tmp_end (void)
{
  DIR *d = opendir (tmpdir);
  struct dirent *e;
  while (d != NULL && (e = readdir (d)) != NULL)
    if (e->d_name[0] != '.')
      unlink (tmp_path (e->d_name));
  if (d != NULL)
    closedir (d);
  rmdir (tmpdir);
}
