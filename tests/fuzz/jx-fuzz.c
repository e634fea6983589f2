/* jx-fuzz.c — see jx-fuzz.h. */
#include "jx-fuzz.h"

#include <errno.h>
#include <hdf5.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 8
/* The files live in a directory of their own, so a tag is the whole file name (JetNet takes
 * the jet class from it). */
static char dir_path[480];
static char made[MAX_FILES][512];
static int n_made;

static void
remove_files (void)
{
  for (int i = 0; i < n_made; i++)
    unlink (made[i]);
  rmdir (dir_path);
}

const char *
jx_fuzz_file (const char *tag, const uint8_t *data, size_t size)
{
  static char path[512];
  if (dir_path[0] == '\0')
    {
      const char *dir = getenv ("JX_FUZZ_TMPDIR");
      if (dir == NULL)
        dir = access ("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
      snprintf (dir_path, sizeof dir_path, "%s/jx-fuzz-%ld", dir, (long) getpid ());
      if (mkdir (dir_path, 0700) != 0 && errno != EEXIST)
        {
          perror (dir_path);
          abort ();  /* the harness itself is broken */
        }
      atexit (remove_files);
      H5set_free_list_limits (-1, -1, -1, -1, -1, -1);
    }
  snprintf (path, sizeof path, "%s/%s", dir_path, tag);
  FILE *f = fopen (path, "wb");
  if (f == NULL || (size > 0 && fwrite (data, 1, size, f) != size) || fclose (f) != 0)
    {
      perror (path);
      abort ();  /* the harness itself is broken */
    }
  bool known = false;
  for (int i = 0; i < n_made; i++)
    known = known || strcmp (made[i], path) == 0;
  if (!known && n_made < MAX_FILES)
    snprintf (made[n_made++], sizeof made[0], "%s", path);
  return path;
}

char *
jx_fuzz_string (const uint8_t *data, size_t size)
{
  char *s = malloc (size + 1);
  if (s == NULL)
    abort ();
  if (size > 0)
    memcpy (s, data, size);
  s[size] = '\0';
  return s;
}

void
jx_fuzz_check_message (int rc, const char *message)
{
  static int verbose = -1;
  if (verbose < 0)
    verbose = getenv ("JX_FUZZ_VERBOSE") != NULL;
  if (verbose)
    fprintf (stderr, "jx-fuzz: %d %s\n", rc, rc != 0 ? message : "");
  if (rc == 0)
    return;
  JX_FUZZ_ASSERT (message[0] != '\0', "error %d without a message", rc);
  char clean[JX_ERROR_MESSAGE_MAX];
  jx_error_escape (clean, sizeof clean, message);
  JX_FUZZ_ASSERT (strcmp (clean, message) == 0, "message not printable: %s", clean);
}

void
jx_fuzz_check_dataset (const JxDataset *ds, bool jets_validated)
{
  JX_FUZZ_ASSERT (ds->offsets[0] == 0, "offsets start at %llu", (unsigned long long) ds->offsets[0]);
  for (size_t i = 0; i < ds->n_jets; i++)
    {
      JX_FUZZ_ASSERT (ds->offsets[i + 1] >= ds->offsets[i], "offsets decrease at jet %zu", i);
      JxError err;
      if (jets_validated)
        JX_FUZZ_ASSERT (jx_jet_validate (jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i), i,
                                         &err) == 0, "imported jet %zu invalid: %s", i, err.message);
    }
  /* Touch every particle: a wrong offset shows up as a heap overflow here. */
  volatile double sum = 0;
  for (size_t k = 0; k < jx_dataset_n_particles (ds); k++)
    sum += ds->particles[k].E;
  (void) sum;
}
