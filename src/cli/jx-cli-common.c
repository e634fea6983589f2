/* jx-cli-common.c — see jx-cli-common.h. */
#include "jx-cli-common.h"
#include "jx-option-ranges.h"
#include "jx-atomic.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *command_name = "";

/* The ranks of an MPI job other than 0 (jx-cli-mpi.c): their error lines go to the sink,
 * and their CPUs are shared with the job's other processes on the machine. */
static void (*error_sink) (const char *line);
static int local_processes = 1;

void
jx_cli_set_follower (void (*sink) (const char *line))
{
  error_sink = sink;
}

void
jx_cli_set_local_processes (int n)
{
  local_processes = n >= 1 ? n : 1;
}

void
jx_cli_set_command (const char *name)
{
  command_name = name;
}

const char *
jx_cli_command (void)
{
  return command_name;
}

static void progress_clear_line (void);

int
jx_cli_fail (const char *fmt, ...)
{
  char raw[1024], line[1024];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (raw, sizeof raw, fmt, ap);
  va_end (ap);
  /* The contract is one printable line: a newline or an escape sequence inside a value (a
   * file name, bytes quoted from a binary file) is shown as \xNN. */
  jx_error_escape (line, sizeof line, raw);
  char full[1200];
  if (command_name[0])
    snprintf (full, sizeof full, "junipr %s: %s", command_name, line);
  else
    snprintf (full, sizeof full, "junipr: %s", line);
  if (error_sink != NULL)
    {
      error_sink (full);
      return JX_CLI_EXIT_USER;
    }
  progress_clear_line ();
  fprintf (stderr, "%s\n", full);
  return JX_CLI_EXIT_USER;
}

int
jx_cli_fail_core (const JxError *err)
{
  if (err->code == JX_ERR_CANCELLED || jx_cli_progress_was_cancelled ())
    {
      jx_cli_fail ("cancelled (Ctrl-C): no output was written");
      return JX_CLI_EXIT_CANCELLED;
    }
  if (err->message[0] == '\0')
    return jx_cli_fail ("%s (libjunipr gave no details): please report this", jx_status_name (err->code));
  return jx_cli_fail ("%s", err->message);
}

int
jx_cli_bad_option (int c, char **argv)
{
  const char *arg = optind > 0 ? argv[optind - 1] : "";
  char name[128];
  if (strncmp (arg, "--", 2) == 0)
    {
      size_t len = strcspn (arg, "=");
      snprintf (name, sizeof name, "%.*s", (int) (len < 100 ? len : 100), arg);
    }
  else if (optopt > 0 && optopt < 128)
    snprintf (name, sizeof name, "-%c", optopt);
  else
    snprintf (name, sizeof name, "%.100s", arg);
  if (c == ':')
    return jx_cli_fail ("option %s needs a value (command line): see 'junipr %s --help'",
                        name, command_name);
  return jx_cli_fail ("unknown option '%s' (command line): see 'junipr %s --help' for the options",
                      name, command_name);
}

int
jx_cli_need_positionals (int argc, char **argv, int first, int count, const char *what)
{
  int have = argc - first;
  if (have < count)
    return jx_cli_fail ("missing %s (command line): see 'junipr %s --help'", what, command_name);
  if (have > count)
    return jx_cli_fail ("unexpected argument '%s' (command line): give only %s; see 'junipr %s --help'",
                        argv[first + count], what, command_name);
  return 0;
}

/* ---- numbers ---------------------------------------------------------------------- */

static bool
parse_double_strict (const char *s, double *out)
{
  if (s == NULL || *s == '\0')
    return false;
  char *end;
  errno = 0;
  double v = strtod (s, &end);
  if (end == s || *end != '\0' || errno == ERANGE || !isfinite (v))
    return false;
  *out = v;
  return true;
}

int
jx_cli_parse_double (const char *opt, const char *arg, double lo, double hi, double *out)
{
  double v;
  if (!parse_double_strict (arg, &v))
    return jx_cli_fail ("bad value '%s' for %s (command line): give a number between %g and %g",
                        arg, opt, lo, hi);
  if (v < lo || v > hi)
    return jx_cli_fail ("value %s for %s out of range (command line): give a number between %g and %g",
                        arg, opt, lo, hi);
  *out = v;
  return 0;
}

static bool
parse_u64_strict (const char *s, uint64_t *out)
{
  if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ')
    return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull (s, &end, 10);
  if (end == s || *end != '\0' || errno == ERANGE)
    return false;
  *out = (uint64_t) v;
  return true;
}

int
jx_cli_parse_size (const char *opt, const char *arg, size_t lo, size_t hi, size_t *out)
{
  uint64_t v;
  if (!parse_u64_strict (arg, &v))
    return jx_cli_fail ("bad value '%s' for %s (command line): give a whole number between %zu and %zu",
                        arg, opt, lo, hi);
  if (v < lo || v > hi)
    return jx_cli_fail ("value %s for %s out of range (command line): give a whole number between %zu and %zu",
                        arg, opt, lo, hi);
  *out = (size_t) v;
  return 0;
}

int
jx_cli_parse_u64 (const char *opt, const char *arg, uint64_t *out)
{
  if (!parse_u64_strict (arg, out))
    return jx_cli_fail ("bad value '%s' for %s (command line): give a whole number between 0 and %llu",
                        arg, opt, (unsigned long long) UINT64_MAX);
  return 0;
}

int
jx_cli_parse_ranged (const char *opt, const char *arg, double *out)
{
  const JxOptionRange *r = jx_option_range (jx_cli_command (), opt);
  if (r == NULL)
    abort ();  /* an option missing from the table is a programming error */
  return jx_cli_parse_double (opt, arg, r->lo, r->hi, out);
}

int
jx_cli_parse_ranged_size (const char *opt, const char *arg, size_t *out)
{
  const JxOptionRange *r = jx_option_range (jx_cli_command (), opt);
  if (r == NULL || !r->integer)
    abort ();  /* an option missing from the table is a programming error */
  return jx_cli_parse_size (opt, arg, (size_t) r->lo, (size_t) r->hi, out);
}

int
jx_cli_parse_window (const char *opt, const char *arg, bool allow_off,
                     double *lo, double *hi, bool *off)
{
  if (off != NULL)
    *off = false;
  if (allow_off && strcmp (arg, "off") == 0)
    {
      *off = true;
      return 0;
    }
  const char *comma = strchr (arg, ',');
  char a[128], b[128];
  if (comma == NULL || (size_t) (comma - arg) >= sizeof a || strlen (comma + 1) >= sizeof b)
    return jx_cli_fail ("bad value '%s' for %s (command line): give LO,HI such as %s%s",
                        arg, opt, strstr (opt, "mass") ? "90.7,91.7" : "450,550",
                        allow_off ? ", or off" : "");
  snprintf (a, sizeof a, "%.*s", (int) (comma - arg), arg);
  snprintf (b, sizeof b, "%s", comma + 1);
  if (!parse_double_strict (a, lo) || !parse_double_strict (b, hi))
    return jx_cli_fail ("bad value '%s' for %s (command line): LO and HI must be numbers, e.g. %s",
                        arg, opt, strstr (opt, "mass") ? "90.7,91.7" : "450,550");
  if (!(*lo < *hi))
    return jx_cli_fail ("empty window '%s' for %s (command line): LO must be below HI", arg, opt);
  return 0;
}

int
jx_cli_parse_slice (const char *opt, const char *arg, size_t *a, size_t *b)
{
  const char *colon = strchr (arg, ':');
  uint64_t va = 0, vb = SIZE_MAX;
  bool ok;
  if (colon == NULL)
    {
      ok = parse_u64_strict (arg, &va) && va < SIZE_MAX;
      vb = va + 1;
    }
  else
    {
      char left[64];
      size_t len = (size_t) (colon - arg);
      ok = len < sizeof left;
      if (ok)
        {
          snprintf (left, sizeof left, "%.*s", (int) len, arg);
          if (len > 0)
            ok = parse_u64_strict (left, &va);
          if (ok && colon[1] != '\0')
            ok = parse_u64_strict (colon + 1, &vb);
        }
    }
  if (!ok)
    return jx_cli_fail ("bad value '%s' for %s (command line): give a range of 0-based jet indices "
                        "A:B (B excluded), A:, :B or one index, e.g. 0:100", arg, opt);
  if (vb <= va)
    return jx_cli_fail ("empty range '%s' for %s (command line): B must be above A (B is excluded)",
                        arg, opt);
  *a = (size_t) va;
  *b = (size_t) vb;
  return 0;
}

int
jx_cli_clip_slice (const char *opt, const char *path, size_t n, size_t *a, size_t *b)
{
  if (*a >= n)
    return jx_cli_fail ("%s starts at jet %zu but the file has %zu jet%s (%s): "
                        "indices are 0-based, use a start below %zu",
                        opt, *a, n, n == 1 ? "" : "s", path, n);
  if (*b > n)
    *b = n;
  return 0;
}

int
jx_cli_parse_list (const char *opt, const char *arg, double *out, size_t n)
{
  const char *s = arg;
  for (size_t i = 0; i < n; i++)
    {
      size_t len = strcspn (s, ",");
      char item[64];
      bool ok = len > 0 && len < sizeof item;
      if (ok)
        {
          snprintf (item, sizeof item, "%.*s", (int) len, s);
          ok = parse_double_strict (item, &out[i]) && out[i] >= 0;
        }
      bool last = i + 1 == n;
      if (!ok || (last && s[len] != '\0') || (!last && s[len] != ','))
        return jx_cli_fail ("bad value '%s' for %s (command line): give %zu numbers >= 0 separated by commas",
                            arg, opt, n);
      s += len + 1;
    }
  return 0;
}

/* ---- files ------------------------------------------------------------------------ */

/* ---- output = input --------------------------------------------------------------
 *
 * Every input and output named on the command line passes through jx_cli_check_input or
 * jx_cli_check_output, which remember it here; whichever comes second is compared with the
 * others. Files are the same when device and inode agree (through symlinks and hard links);
 * two outputs that do not exist yet are the same when their directories and names agree.
 * An output replaced atomically never overwrites the input's data in place, but it does
 * replace the input under that name -- the user's data would be gone. */

#define MAX_NAMED 32

typedef struct {
  const char *path, *opt;   /* opt: "-o", "--checkpoint", ...; NULL for an input */
  bool exists;
  dev_t dev;
  ino_t ino;
  const char *may_replace;  /* an output: the one input it may replace (or NULL) */
} NamedFile;

static NamedFile named[MAX_NAMED];
static int n_named;

/* The directory part of path ("." when none) into dir; returns the last component. */
static const char *
split_path (const char *path, char *dir, size_t cap)
{
  const char *slash = strrchr (path, '/');
  if (slash == NULL)
    snprintf (dir, cap, ".");
  else if (slash == path)
    snprintf (dir, cap, "/");
  else
    snprintf (dir, cap, "%.*s", (int) (slash - path), path);
  return slash != NULL ? slash + 1 : path;
}

/* The directory part resolved (symlinks, "..") plus the last component: the name an
 * output that does not exist yet will get. */
static bool
future_name (const char *path, char *out, size_t cap)
{
  char dir[PATH_MAX], real[PATH_MAX];
  const char *base = split_path (path, dir, sizeof dir);
  if (realpath (dir, real) == NULL)
    return false;
  return (size_t) snprintf (out, cap, "%s/%s", real, base) < cap;
}

static bool
same_file (const NamedFile *a, const NamedFile *b)
{
  if (a->exists && b->exists)
    return a->dev == b->dev && a->ino == b->ino;
  if (a->exists || b->exists)
    return false;
  char fa[PATH_MAX + 256], fb[PATH_MAX + 256];
  return future_name (a->path, fa, sizeof fa) && future_name (b->path, fb, sizeof fb)
         && strcmp (fa, fb) == 0;
}

static bool
allowed (const NamedFile *out, const NamedFile *in)
{
  if (out->may_replace == NULL)
    return false;
  struct stat st;
  return stat (out->may_replace, &st) == 0 && st.st_dev == in->dev && st.st_ino == in->ino;
}

/* Remember f and refuse it when it is the same file as one named before: an output that is
 * an input, or two outputs that would overwrite each other. */
static int
remember (NamedFile f)
{
  struct stat st;
  f.exists = stat (f.path, &st) == 0;
  if (f.exists)
    {
      f.dev = st.st_dev;
      f.ino = st.st_ino;
    }
  for (int i = 0; i < n_named; i++)
    {
      const NamedFile *g = &named[i];
      if ((f.opt == NULL && g->opt == NULL) || !same_file (&f, g))
        continue;  /* reading one file twice is fine */
      const NamedFile *out = f.opt != NULL ? &f : g, *other = f.opt != NULL ? g : &f;
      if (other->opt == NULL && allowed (out, other))
        continue;
      if (other->opt == NULL)
        return jx_cli_fail ("output is an input file (%s %s is the same file as %s): writing "
                            "it would replace the input; choose another output name",
                            out->opt, out->path, other->path);
      return jx_cli_fail ("two outputs name the same file (%s %s and %s %s): give them "
                          "different names", g->opt, g->path, f.opt, f.path);
    }
  if (n_named < MAX_NAMED)
    named[n_named++] = f;
  return 0;
}

int
jx_cli_check_input (const char *path)
{
  struct stat st;
  if (path == NULL || path[0] == '\0')
    return jx_cli_fail ("empty input file name (command line): give the path of a file");
  if (stat (path, &st) != 0)
    {
      if (errno == ENOENT || errno == ENOTDIR)
        return jx_cli_fail ("file not found (%s): check the path", path);
      return jx_cli_fail ("cannot open input (%s: %s): check the path and its permissions",
                          path, strerror (errno));
    }
  if (S_ISDIR (st.st_mode))
    return jx_cli_fail ("input is a directory (%s): give a file", path);
  if (access (path, R_OK) != 0)
    return jx_cli_fail ("input is not readable (%s): check its permissions", path);
  return remember ((NamedFile) { .path = path });
}

int
jx_cli_check_output (const char *opt, const char *path)
{
  if (path == NULL)
    return jx_cli_fail ("no output file (command line): give one with %s FILE", opt);
  if (path[0] == '\0')
    return jx_cli_fail ("empty output file name (command line): give one with %s FILE", opt);
  struct stat st;
  if (stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    return jx_cli_fail ("output is a directory (%s): give a file name inside it with %s", path, opt);
  /* Outputs are renamed into place: a device, pipe or descriptor name (-o /dev/full,
   * /dev/null, /dev/stdout) would be replaced itself -- the system's own node when run as
   * root -- and the command would exit 0 having written nowhere. */
  JxError target = { 0 };
  if (jx_atomic_check_target (path, &target) != 0)
    return jx_cli_fail ("%s (%s): give a file name with %s", target.message, opt, opt);
  char dir[PATH_MAX];
  split_path (path, dir, sizeof dir);
  if (stat (dir, &st) != 0)
    {
      if (errno == ENOENT)
        return jx_cli_fail ("output directory does not exist (%s): create it or choose another %s",
                            dir, opt);
      return jx_cli_fail ("cannot use output directory (%s: %s): choose another %s",
                          dir, strerror (errno), opt);
    }
  if (!S_ISDIR (st.st_mode))
    return jx_cli_fail ("output directory is not a directory (%s): choose another %s", dir, opt);
  if (access (dir, W_OK | X_OK) != 0)
    return jx_cli_fail ("output directory is not writable (%s): choose another %s", dir, opt);
  /* access() says yes to root everywhere and knows nothing of special file systems (/proc):
   * only creating a file proves it can be done. */
  char probe[PATH_MAX + 32];
  snprintf (probe, sizeof probe, "%s.tmp-XXXXXX", path);
  int fd = mkstemp (probe);
  if (fd < 0)
    return jx_cli_fail ("cannot create files in the output directory (%s: %s): choose another %s",
                        dir, strerror (errno), opt);
  close (fd);
  unlink (probe);
  return remember ((NamedFile) { .path = path, .opt = opt });
}

int
jx_cli_check_output_replacing (const char *opt, const char *path, const char *input)
{
  int rc = jx_cli_check_output (opt, path);
  if (rc == 0 && n_named > 0 && named[n_named - 1].path == path)
    named[n_named - 1].may_replace = input;
  return rc;
}

const char *
jx_cli_algorithm_title (int algorithm)
{
  static const char *const titles[] = { "C/A", "kt", "anti-kt", "printer" };
  return algorithm >= 0 && algorithm < 4 ? titles[algorithm] : "?";
}

int
jx_cli_parse_metric (const char *arg, JxMetric *out)
{
  if (jx_metric_parse (arg, out, NULL) != 0)
    return jx_cli_fail ("unknown metric '%s' for --metric (command line): use ee (e+e-: angles "
                        "and energies) or pp (rapidity-azimuth distances, transverse momenta)",
                        arg);
  return 0;
}

const char *
jx_cli_metric_title (int metric)
{
  return metric == JX_METRIC_PP ? "pp" : "e+e-";
}

int
jx_cli_cpu_count (void)
{
  long n = sysconf (_SC_NPROCESSORS_ONLN) / local_processes;
  return n >= 1 ? (int) (n < 256 ? n : 256) : 1;
}

double
jx_cli_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

/* ---- progress --------------------------------------------------------------------- */

/* One active display at a time: the CLI runs one long operation after another. */
static struct {
  JxProgress progress;
  pthread_mutex_t lock;
  const char *label;
  bool quiet, tty, active, drawn;
  double start, last;
  /* A core operation may run phases ("generating", then "writing"): the ETA of each
   * phase counts from its own start. */
  char phase[64];
  double phase_start, phase_done;
  struct sigaction old_sigint;
} display = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
on_sigint (int sig)
{
  (void) sig;
  /* Only an atomic store: async-signal-safe. A second Ctrl-C kills as usual. */
  jx_progress_cancel (&display.progress);
  signal (SIGINT, SIG_DFL);
}

static void
progress_clear_line (void)
{
  if (display.drawn)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      display.drawn = false;
    }
}

static void
format_duration (char *buf, size_t cap, double s)
{
  if (s < 60)
    snprintf (buf, cap, "%.0f s", ceil (s));
  else if (s < 3600)
    snprintf (buf, cap, "%d min %02d s", (int) (s / 60), (int) fmod (s, 60));
  else
    snprintf (buf, cap, "%d h %02d min", (int) (s / 3600), (int) fmod (s / 60, 60));
}

static void
on_progress (void *user, double done, double total, const char *message)
{
  (void) user;
  /* Workers may report concurrently; one that finds the display busy just skips a frame. */
  if (pthread_mutex_trylock (&display.lock) != 0)
    return;
  double now = jx_cli_now ();
  const char *what = message != NULL && message[0] ? message : display.label;
  /* A phase is named by the message's text before its first ':' ("training: epoch 2 ..."),
   * so messages carrying live numbers stay in one phase. Workers may report slightly out
   * of order; only a big step back means a new phase. */
  size_t name_len = strcspn (what, ":");
  if (name_len >= sizeof display.phase)
    name_len = sizeof display.phase - 1;
  if (strlen (display.phase) != name_len || strncmp (what, display.phase, name_len) != 0
      || done < 0.5 * display.phase_done)
    {
      snprintf (display.phase, sizeof display.phase, "%.*s", (int) name_len, what);
      display.phase_start = now;
    }
  display.phase_done = done;
  double period = display.tty ? 0.1 : 5.0;
  if (display.quiet || !display.active || now - display.start < 1.0
      || (display.last > 0 && now - display.last < period))
    {
      pthread_mutex_unlock (&display.lock);
      return;
    }
  display.last = now;
  double elapsed = now - display.phase_start;
  double frac = total > 0 ? done / total : 0;
  if (frac < 0)
    frac = 0;
  if (frac > 1)
    frac = 1;
  char eta[32] = "";
  if (frac > 0.001)
    format_duration (eta, sizeof eta, elapsed * (1 - frac) / frac);
  if (display.tty)
    {
      /* Short enough that label, bar, counts and ETA fit in 80 columns. */
      char bar[25];
      int full = (int) (frac * 24);
      for (int i = 0; i < 24; i++)
        bar[i] = i < full ? '#' : '-';
      bar[24] = '\0';
      fprintf (stderr, "\r\033[K%s [%s] %3.0f%%  %.0f/%.0f  %s%s", what, bar, 100 * frac,
               done, total, eta[0] ? "ETA " : "", eta);
      display.drawn = true;
    }
  else
    fprintf (stderr, "junipr %s: %s: %.0f%% (%.0f/%.0f)%s%s\n", command_name, what, 100 * frac,
             done, total, eta[0] ? ", ETA " : "", eta);
  fflush (stderr);
  pthread_mutex_unlock (&display.lock);
}

JxProgress *
jx_cli_progress_begin (const char *label, bool quiet)
{
  jx_progress_init (&display.progress, on_progress, NULL);
  display.label = label;
  display.quiet = quiet || error_sink != NULL;
  display.tty = isatty (STDERR_FILENO) != 0;
  display.start = jx_cli_now ();
  display.last = 0;
  display.phase[0] = '\0';
  display.phase_start = display.start;
  display.phase_done = 0;
  display.drawn = false;
  display.active = true;
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, &display.old_sigint);
  return &display.progress;
}

void
jx_cli_progress_end (void)
{
  pthread_mutex_lock (&display.lock);
  progress_clear_line ();
  display.active = false;
  pthread_mutex_unlock (&display.lock);
  sigaction (SIGINT, &display.old_sigint, NULL);
}

bool
jx_cli_progress_was_cancelled (void)
{
  return jx_progress_cancelled (&display.progress);
}

int
jx_cli_checkpoint_option (const char *given, const char *output, char *buf, size_t cap,
                          const char **out)
{
  *out = given;
  if (given == NULL)
    {
      /* MODEL.h5 → MODEL.checkpoint.h5, next to the model. */
      size_t n = strlen (output);
      int stem = n > 3 && strcmp (output + n - 3, ".h5") == 0 ? (int) (n - 3) : (int) n;
      snprintf (buf, cap, "%.*s.checkpoint.h5", stem, output);
      *out = buf;
    }
  else if (strcmp (given, "none") == 0)
    *out = NULL;
  if (*out == NULL)
    return 0;
  int rc = jx_cli_check_output ("--checkpoint", *out);
  if (rc != 0)
    return rc;
  if (strcmp (*out, output) == 0)
    return jx_cli_fail ("--checkpoint and -o name the same file '%s' (command line): give the "
                        "checkpoint another name", output);
  return 0;
}
