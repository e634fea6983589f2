/* jx-cli-mpi.c — see jx-cli-mpi.h. */
#include "jx-cli-mpi.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-cli-common.h"
#ifdef JX_HAVE_MPI
#include "jx-mpi.h"
#endif

/* The commands that split their jets over ranks. */
static const char *const ranked_commands[] = { "train", "eval", "sample" };

static JxComm *world;          /* NULL: one process */
static char kept_line[1200];   /* a follower's last error line, for rank 0 to print */
static char stop_line[512];    /* rank 0's line when mpirun ends the job */
static volatile sig_atomic_t stop_len;
/* Set once the ranks agreed on the outcome and left MPI: a SIGTERM after that is mpirun
 * ending this rank because another one exited first (with the agreed failure), while this
 * one is still exiting (slow under a sanitizer's leak check): the line was said, the status
 * is the agreed one. */
static volatile sig_atomic_t ended, end_rc;

/* The size and rank mpirun (Open MPI, MPICH or a PMIx launcher) gave this process, read from
 * its environment before any MPI call. False when it was not started by one. */
static bool
launched (int *size, int *rank)
{
  static const char *const sizes[] = { "OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE" };
  static const char *const ranks[] = { "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK" };
  *size = *rank = 0;
  bool found = false;
  for (int i = 0; i < 3; i++)
    {
      const char *r = getenv (ranks[i]), *s = getenv (sizes[i]);
      if (r != NULL && !found)
        {
          found = true;
          *rank = atoi (r);
        }
      if (s != NULL && *size == 0)
        *size = atoi (s);
    }
  return found;
}

static void
keep_line (const char *line)
{
  snprintf (kept_line, sizeof kept_line, "%s", line);
}

/* mpirun ends every rank with SIGTERM when one dies (killed, crashed, out of memory) or when
 * it is told to stop; the others' collectives would never return. Rank 0 says so in one
 * line (prepared beforehand: only write(2) is safe here); outputs are written atomically, so
 * no file is left half-written under its name. */
static void
on_sigterm (int sig)
{
  if (ended)
    _exit (end_rc);
  if (stop_len > 0 && write (STDERR_FILENO, stop_line, (size_t) stop_len) < 0)
    stop_len = 0;
  _exit (128 + sig);
}

static void
catch_sigterm (const char *command, int rank)
{
  if (rank == 0)
    {
      int n = snprintf (stop_line, sizeof stop_line, "%sjunipr %s: stopped: mpirun ended the job "
                        "(SIGTERM), as it does on Ctrl-C or when one of its ranks dies (killed, "
                        "crashed, out of memory: mpirun without -q names it); %s\n",
                        isatty (STDERR_FILENO) ? "\r\033[K" : "", command,
                        strcmp (command, "train") == 0
                        ? "no model was written; a checkpoint written before stays valid for "
                          "--resume" : "no output was written");
      stop_len = n > 0 && (size_t) n < sizeof stop_line ? n : 0;
    }
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_sigterm;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGTERM, &sa, NULL);
}

int
jx_cli_mpi_begin (const char *command)
{
  int size, rank;
  if (!launched (&size, &rank) || size == 1)
    return 0;
  bool ranked = false;
  for (size_t i = 0; i < sizeof ranked_commands / sizeof ranked_commands[0]; i++)
    ranked = ranked || strcmp (command, ranked_commands[i]) == 0;
  /* No MPI yet: only rank 0 speaks, the others end quietly with the same status. */
  if (rank != 0)
    jx_cli_set_follower (keep_line);
  if (!ranked)
    return jx_cli_fail ("runs in one process, but mpirun started %d (command line): start it "
                        "without mpirun; only train, eval and sample share their work over "
                        "ranks", size);
#ifdef JX_HAVE_MPI
  JxError err;
  if (jx_mpi_init (NULL, NULL, &world, &err) != 0)
    return jx_cli_fail ("cannot join the MPI job: %s", err.message);
  jx_cli_set_follower (world->rank != 0 ? keep_line : NULL);
  jx_cli_set_local_processes (jx_mpi_local_size (world));
  catch_sigterm (command, world->rank);
  return 0;
#else
  return jx_cli_fail ("mpirun started %d processes, but this junipr was built without MPI "
                      "(command line): run it without mpirun, or rebuild with libopenmpi-dev "
                      "installed (meson setup -Dmpi=enabled)", size);
#endif
}

int
jx_cli_mpi_end (int rc)
{
#ifdef JX_HAVE_MPI
  if (world != NULL)
    {
      end_rc = rc;
      ended = 1;
      jx_mpi_finalize (world);
      world = NULL;
    }
#endif
  return rc;
}

const JxComm *
jx_cli_comm (void)
{
  return world != NULL ? world : &jx_comm_solo;
}

bool
jx_cli_is_root (void)
{
  return jx_comm_rank (jx_cli_comm ()) == 0;
}

int
jx_cli_agree (int rc)
{
  const JxComm *c = jx_cli_comm ();
  if (!jx_comm_parallel (c))
    return rc;
  /* The line travels as the message of a JxError (long lines are cut). */
  JxError e;
  jx_error_clear (&e);
  if (rc != 0)
    {
      e.code = rc;
      size_t n = strlen (kept_line);
      n = n < sizeof e.message ? n : sizeof e.message - 1;
      memcpy (e.message, kept_line, n);
      e.message[n] = '\0';
    }
  JxError shared = e;
  int out = jx_comm_agree (c, rc, &shared);
  /* Rank 0 printed its own failure already; a follower's arrives here. */
  if (out != 0 && c->rank == 0 && rc == 0)
    {
      if (shared.message[0] != '\0')
        fprintf (stderr, "%s\n", shared.message);
      else
        jx_cli_fail ("a rank failed without saying why (exit status %d)", out);
    }
  return out;
}
