/* jx-fuzz-replay.c — main() of a fuzz target outside libFuzzer: runs
 * LLVMFuzzerTestOneInput on every file given, directories expanded (one level), so each
 * normal build replays the seed corpus and the inputs that once crashed a target. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jx-fuzz.h"

static int
run_file (const char *path)
{
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    {
      perror (path);
      return 1;
    }
  size_t cap = 1 << 16, n = 0;
  unsigned char *buf = malloc (cap);
  size_t got;
  while (buf != NULL && (got = fread (buf + n, 1, cap - n, f)) > 0)
    {
      n += got;
      if (n == cap)
        {
          unsigned char *bigger = realloc (buf, cap *= 2);
          if (bigger == NULL)
            free (buf);
          buf = bigger;
        }
    }
  fclose (f);
  if (buf == NULL)
    return 1;
  LLVMFuzzerTestOneInput (buf, n);
  free (buf);
  return 0;
}

static int
compare (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
  int files = 0, failed = 0;
  for (int i = 1; i < argc; i++)
    {
      struct stat st;
      if (stat (argv[i], &st) != 0)
        continue;  /* no regressions yet for this target */
      if (!S_ISDIR (st.st_mode))
        {
          failed += run_file (argv[i]);
          files++;
          continue;
        }
      DIR *d = opendir (argv[i]);
      char **names = NULL;
      size_t n = 0;
      for (struct dirent *e = d ? readdir (d) : NULL; e != NULL; e = readdir (d))
        if (e->d_name[0] != '.')
          {
            names = realloc (names, (n + 1) * sizeof *names);
            names[n] = malloc (strlen (argv[i]) + strlen (e->d_name) + 2);
            sprintf (names[n++], "%s/%s", argv[i], e->d_name);
          }
      if (d != NULL)
        closedir (d);
      qsort (names, n, sizeof *names, compare);
      for (size_t k = 0; k < n; k++)
        {
          failed += run_file (names[k]);
          files++;
          free (names[k]);
        }
      free (names);
    }
  printf ("%s: %d inputs replayed, %d unreadable\n", argv[0], files, failed);
  return failed == 0 && files > 0 ? 0 : 1;
}
