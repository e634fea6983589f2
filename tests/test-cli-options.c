/* Unit tests for the CLI's option tables (src/cli/jx-cli-options.c): every kind of row stores
 * its value, bad values give the standard one-line errors (the texts of jx-cli-common.h's
 * contract, written out here), --help is laid out by the columns the table asks for. */
#define _GNU_SOURCE  /* open_memstream */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-common.h"
#include "jx-cli-options.h"
#include "jx-test.h"

static char last_error[1200];
static int n_errors;

static void
sink (const char *line)
{
  snprintf (last_error, sizeof last_error, "%s", line);
  n_errors++;
}

static int
parse_mode (const char *opt, const char *value, void *target)
{
  if (strcmp (value, "a") != 0 && strcmp (value, "b") != 0)
    return jx_cli_fail ("unknown mode '%s' for %s (command line): use a or b", value, opt);
  *(char *) target = value[0];
  return 0;
}

typedef struct {
  const char *output;
  bool quiet, keep, seen_count, have_jets;
  int count, hidden;
  double ratio, esub;
  uint64_t seed;
  size_t n, a, b;
  char mode;
} Args;

/* A table with one row of every kind, for `junipr train` (whose ranges the RANGED rows use). */
static int
parse (int argc, char **argv, Args *args, int *first)
{
  memset (args, 0, sizeof *args);
  args->keep = true;
  args->count = -1;
  JxCliSliceRef jets = { &args->a, &args->b, &args->have_jets };
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_STRING, .name = "output", .letter = 'o', .target = &args->output },
    { .kind = JX_CLI_OPT_FLAG, .name = "quiet", .letter = 'q', .target = &args->quiet },
    { .kind = JX_CLI_OPT_CLEAR, .name = "no-keep", .target = &args->keep },
    { .kind = JX_CLI_OPT_INT, .name = "count", .target = &args->count, .lo = 1, .hi = 10,
      .seen = &args->seen_count },
    { .kind = JX_CLI_OPT_SIZE, .name = "n", .letter = 'n', .target = &args->n, .lo = 2, .hi = 5 },
    { .kind = JX_CLI_OPT_DOUBLE, .name = "ratio", .target = &args->ratio, .lo = 0, .hi = 1 },
    { .kind = JX_CLI_OPT_RANGED, .name = "esub", .target = &args->esub },
    { .kind = JX_CLI_OPT_RANGED_INT, .name = "hidden", .target = &args->hidden },
    { .kind = JX_CLI_OPT_U64, .name = "seed", .target = &args->seed },
    { .kind = JX_CLI_OPT_PARSE, .name = "mode", .target = &args->mode, .parse = parse_mode },
    { .kind = JX_CLI_OPT_PARSE, .name = "jets", .target = &jets, .parse = jx_cli_opt_slice },
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "one file", .opts = opts,
                           .n_opts = JX_CLI_N_OPTS (opts) };
  return jx_cli_options_parse (&spec, argc, argv, first);
}

static int
run (const char *line, Args *args, int *first)
{
  static char buf[512];
  static char *argv[32];
  snprintf (buf, sizeof buf, "%s", line);
  int argc = 0;
  argv[argc++] = "train";
  for (char *t = strtok (buf, " "); t != NULL && argc < 31; t = strtok (NULL, " "))
    argv[argc++] = t;
  argv[argc] = NULL;
  last_error[0] = '\0';
  n_errors = 0;
  return parse (argc, argv, args, first);
}

static void
test_values (void)
{
  Args a;
  int first = 0;
  JX_CHECK_INT (run ("-o out.h5 --count 7 data.h5 -q --ratio=0.25 --no-keep -n 3 --esub 2.5 "
                     "--hidden 64 --seed 18446744073709551615 --mode b --jets 3:5", &a, &first), 0);
  JX_CHECK (a.output != NULL && strcmp (a.output, "out.h5") == 0);
  JX_CHECK (a.quiet && !a.keep && a.seen_count && a.have_jets);
  JX_CHECK_INT (a.count, 7);
  JX_CHECK_INT (a.n, 3);
  JX_CHECK (a.ratio == 0.25 && a.esub == 2.5);
  JX_CHECK_INT (a.hidden, 64);
  JX_CHECK (a.seed == UINT64_MAX);
  JX_CHECK_INT (a.mode, 'b');
  JX_CHECK (a.a == 3 && a.b == 5);
  JX_CHECK_INT (n_errors, 0);
  /* getopt moves the positional argument behind the options */
  JX_CHECK_INT (first, 20);

  /* Nothing given: the defaults stay, no flag is seen. */
  JX_CHECK_INT (run ("data.h5", &a, &first), 0);
  JX_CHECK (!a.quiet && a.keep && !a.seen_count && !a.have_jets && a.count == -1);
  JX_CHECK_INT (first, 1);
}

static void
expect_error (const char *line, const char *message)
{
  Args a;
  int first;
  int rc = run (line, &a, &first);
  JX_CHECK_MSG (rc == JX_CLI_EXIT_USER && n_errors == 1 && strcmp (last_error, message) == 0,
                "'%s': rc %d, %d errors, got \"%s\", want \"%s\"", line, rc, n_errors,
                last_error, message);
}

static void
test_errors (void)
{
  expect_error ("--count 11 f", "junipr train: value 11 for --count out of range (command "
                "line): give a whole number between 1 and 10");
  expect_error ("--count x f", "junipr train: bad value 'x' for --count (command line): give a "
                "whole number between 1 and 10");
  expect_error ("-n 6 f", "junipr train: value 6 for --n out of range (command line): give a "
                "whole number between 2 and 5");
  expect_error ("--ratio 1.5 f", "junipr train: value 1.5 for --ratio out of range (command "
                "line): give a number between 0 and 1");
  /* the ranges of jx-option-ranges.c for train: --hidden 1..4096, --esub 0..1e6 */
  expect_error ("--hidden 0 f", "junipr train: value 0 for --hidden out of range (command "
                "line): give a whole number between 1 and 4096");
  expect_error ("--esub -1 f", "junipr train: value -1 for --esub out of range (command line): "
                "give a number between 0 and 1e+06");
  expect_error ("--seed -1 f", "junipr train: bad value '-1' for --seed (command line): give a "
                "whole number between 0 and 18446744073709551615");
  expect_error ("--mode c f", "junipr train: unknown mode 'c' for --mode (command line): use a "
                "or b");
  expect_error ("--jets 5:5 f", "junipr train: empty range '5:5' for --jets (command line): B "
                "must be above A (B is excluded)");
  expect_error ("--bogus f", "junipr train: unknown option '--bogus' (command line): see "
                "'junipr train --help' for the options");
  expect_error ("-z f", "junipr train: unknown option '-z' (command line): see 'junipr train "
                "--help' for the options");
  expect_error ("f --count", "junipr train: option --count needs a value (command line): see "
                "'junipr train --help'");
  expect_error ("f -o", "junipr train: option -o needs a value (command line): see 'junipr "
                "train --help'");
  expect_error ("-q", "junipr train: missing one file (command line): see 'junipr train "
                "--help'");
  expect_error ("f g", "junipr train: unexpected argument 'g' (command line): give only one "
                "file; see 'junipr train --help'");

  /* A bad value leaves the target and the seen flag alone. */
  Args a;
  int first;
  run ("--count 0 f", &a, &first);
  JX_CHECK (a.count == -1 && !a.seen_count);
}

static int help_calls;

static bool
no_help (void)
{
  help_calls++;
  return false;  /* as on an MPI rank other than 0: nothing printed */
}

static void
test_help_returns (void)
{
  const JxCliOpt opts[] = { JX_CLI_ROW_HELP };
  const JxCliSpec spec = { .opts = opts, .n_opts = 1, .show_help = no_help };
  char *argv[] = { "train", "--count", "3", "-h", NULL };
  int first;
  /* --help ends parsing (-1) even before an unknown option */
  JX_CHECK_INT (jx_cli_options_parse (&spec, 2, (char *[]) { "train", "--help", NULL }, &first),
                -1);
  JX_CHECK_INT (help_calls, 1);
  n_errors = 0;
  JX_CHECK_INT (jx_cli_options_parse (&spec, 4, argv, &first), JX_CLI_EXIT_USER);
  JX_CHECK_INT (n_errors, 1);  /* --count is not in this table */
}

/* The layout: option names from column 2, help from help_col (continuation lines too),
 * [default] after the last help line from dflt_col, a space after a longer line, and ending
 * at width where it would pass it. */
static void
test_help_layout (void)
{
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_SECTION, .help = "Group:" },
    { .kind = JX_CLI_OPT_STRING, .name = "output", .letter = 'o', .value_name = "FILE",
      .help = "the output", .dflt = "required" },
    { .kind = JX_CLI_OPT_FLAG, .name = "quiet", .letter = 'q', .help = "no summary" },
    { .kind = JX_CLI_OPT_INT, .name = "count", .value_name = "N",
      .help = "first line\nsecond line", .dflt = "5" },
    { .kind = JX_CLI_OPT_STRING, .name = "name", .value_name = "S", .help = "a name",
      .dflt = "a very long default" },
    { .kind = JX_CLI_OPT_FLAG, .name = "verbose-output",
      .help = "a help text that runs past the column", .dflt = "x" },
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .intro = { "Usage: junipr x\n", "\n", "Options:\n" }, .opts = opts,
                           .n_opts = JX_CLI_N_OPTS (opts), .outro = "\nThe end.\n",
                           .help_col = 20, .dflt_col = 40, .width = 50 };
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&text, &len);
  JX_CHECK (f != NULL);
  if (f == NULL)
    return;
  jx_cli_options_help (&spec, f);
  fclose (f);
  const char *want =
    "Usage: junipr x\n"
    "\n"
    "Options:\n"
    "Group:\n"
    /*        1         2         3         4         5
     * 345678901234567890123456789012345678901234567890 */
    "  -o, --output FILE the output          [required]\n"
    "  -q, --quiet       no summary\n"
    "      --count N     first line\n"
    "                    second line         [5]\n"
    "      --name S      a name   [a very long default]\n"
    "      --verbose-output a help text that runs past the column [x]\n"
    "  -h, --help        show this help\n"
    "\n"
    "The end.\n";
  JX_CHECK_MSG (strcmp (text, want) == 0, "help:\n%s\nwant:\n%s", text, want);
  free (text);
}

int
main (void)
{
  jx_cli_set_command ("train");
  jx_cli_set_follower (sink);
  test_values ();
  test_errors ();
  test_help_returns ();
  test_help_layout ();
  JX_TEST_MAIN_END ("cli-options");
}
