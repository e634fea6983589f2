/* Atomic text files (jx-atomic.h): a committed file holds exactly what was written under
 * the real name and leaves no temporary; an aborted one leaves the previous file untouched
 * and no temporary; a directory that does not exist fails at open naming the file; a write
 * that fails (/dev/full behind the temporary's name) fails the commit and keeps the previous
 * file. */
#include <string.h>
#include <sys/stat.h>

#include "jx-atomic.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

/* The file's text, up to cap − 1 bytes ("" when it does not exist). */
static const char *
slurp (const char *path, char *buf, size_t cap)
{
  buf[0] = '\0';
  FILE *f = fopen (path, "r");
  if (f == NULL)
    return buf;
  size_t n = fread (buf, 1, cap - 1, f);
  buf[n] = '\0';
  fclose (f);
  return buf;
}

int
main (void)
{
  jx_test_tmp_begin ("atomic");
  char buf[256];
  JxError err = { 0 };
  JxAtomicText t;
  const char *path = tmp_path ("out.csv");

  JX_CHECK (jx_atomic_text_open (&t, path, &err) == 0);
  fprintf (t.f, "a,b\n1,2\n");
  JX_CHECK (jx_atomic_text_commit (&t, &err) == 0);
  JX_CHECK (strcmp (slurp (path, buf, sizeof buf), "a,b\n1,2\n") == 0);
  JX_CHECK_INT (jx_test_tmp_count_temporaries (), 0);

  /* Aborted: the previous file stays. */
  JX_CHECK (jx_atomic_text_open (&t, path, &err) == 0);
  fprintf (t.f, "half");
  jx_atomic_text_abort (&t);
  JX_CHECK (strcmp (slurp (path, buf, sizeof buf), "a,b\n1,2\n") == 0);
  JX_CHECK_INT (jx_test_tmp_count_temporaries (), 0);

  /* No such directory. */
  int rc = jx_atomic_text_open (&t, tmp_path ("missing/out.csv"), &err);
  JX_CHECK_INT (rc, JX_ERR_IO);
  JX_CHECK_MSG (strstr (err.message, "missing/out.csv") != NULL, "%s", err.message);

  /* A failing write: the temporary's stream is swapped for one on /dev/full. */
  struct stat sb;
  if (stat ("/dev/full", &sb) == 0)
    {
      JX_CHECK (jx_atomic_text_open (&t, path, &err) == 0);
      FILE *full = freopen ("/dev/full", "w", t.f);
      JX_CHECK (full != NULL);
      t.f = full;
      for (int i = 0; i < 10000; i++)
        fprintf (t.f, "row %d\n", i);
      rc = jx_atomic_text_commit (&t, &err);
      JX_CHECK_INT (rc, JX_ERR_IO);
      JX_CHECK_MSG (strstr (err.message, "write failed") != NULL, "%s", err.message);
      JX_CHECK (strcmp (slurp (path, buf, sizeof buf), "a,b\n1,2\n") == 0);
      JX_CHECK_INT (jx_test_tmp_count_temporaries (), 0);
    }
  else
    JX_CHECK_MSG (0, "no /dev/full on this machine: the failing-write case cannot run");

  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("atomic");
}
