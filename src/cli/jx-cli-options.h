/* jx-cli-options.h — a command's options as one table: parsing, range checks and --help.
 *
 * Each row names an option (long name, optional short letter), what its value is (a flag, a
 * string, a whole number or a number in a range, or a value a parse function reads) and where
 * it goes. jx_cli_options_parse runs getopt_long over the table and reports every bad value
 * with the standard one-line errors of jx-cli-common.h (the same words as the command's own
 * switch statement used to print); the help text is the table printed between the command's
 * introduction and its examples. What depends on several options (one of two inputs, files
 * that must exist) stays in the command, after parsing.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>

typedef enum {
  JX_CLI_OPT_SECTION,   /* no option: a heading line of --help (help) */
  JX_CLI_OPT_HELP,      /* prints --help and makes parse return -1 */
  JX_CLI_OPT_FLAG,      /* bool *target = true */
  JX_CLI_OPT_CLEAR,     /* bool *target = false (an option that turns a default off) */
  JX_CLI_OPT_STRING,    /* const char **target = the value as given */
  JX_CLI_OPT_INT,       /* int *target: a whole number in [lo, hi] */
  JX_CLI_OPT_SIZE,      /* size_t *target: a whole number in [lo, hi] */
  JX_CLI_OPT_U64,       /* uint64_t *target: any whole number ≥ 0 (seeds) */
  JX_CLI_OPT_DOUBLE,    /* double *target: a number in [lo, hi] */
  JX_CLI_OPT_RANGED,    /* double *target, range from jx-option-ranges (command, --name) */
  JX_CLI_OPT_RANGED_INT,/* int *target, whole, range from jx-option-ranges */
  JX_CLI_OPT_RANGED_SIZE,/* size_t *target, whole, range from jx-option-ranges */
  JX_CLI_OPT_PARSE,     /* parse (opt, value, target) reads the value */
} JxCliOptKind;

/* Reads value into target; 0, or the exit status of a printed one-line error (jx_cli_fail).
 * opt is "--name" as the error should name it. */
typedef int (*JxCliOptParse) (const char *opt, const char *value, void *target);

typedef struct {
  JxCliOptKind kind;
  const char *name;       /* long name without "--"; NULL for a section */
  char letter;            /* short option letter, 0 for none */
  void *target;
  double lo, hi;          /* INT, SIZE, DOUBLE */
  JxCliOptParse parse;    /* PARSE */
  bool *seen;             /* optional: set true whenever the option is given */
  const char *value_name; /* "FILE" in "--output FILE"; NULL for flags */
  const char *help;       /* one line, or lines separated by '\n' */
  const char *dflt;       /* shown as [dflt] after the help's last line; NULL: none */
} JxCliOpt;

typedef struct {
  /* Printed before the options, concatenated (a NULL ends the list early). */
  const char *intro[4];
  const JxCliOpt *opts;
  size_t n_opts;
  const char *outro;      /* printed after the options (examples); NULL: none */
  int n_args;             /* positional arguments wanted, exactly */
  const char *args_what;  /* them in the error when the count differs ("dataset file") */
  int help_col;           /* column where the options' help starts */
  int dflt_col;           /* column where [default] starts (later when the help is longer) */
  int width;              /* a [default] ends at this column at the latest (0: anywhere) */
  bool (*show_help) (void); /* NULL: --help always prints; else only when this says so */
} JxCliSpec;

#define JX_CLI_N_OPTS(table) (sizeof (table) / sizeof (table)[0])

/* Rows that most commands have. */
#define JX_CLI_ROW_HELP                                                                   \
  { .kind = JX_CLI_OPT_HELP, .name = "help", .letter = 'h', .help = "show this help" }
#define JX_CLI_ROW_QUIET(t, text)                                                         \
  { .kind = JX_CLI_OPT_FLAG, .name = "quiet", .letter = 'q', .target = (t), .help = (text) }
#define JX_CLI_ROW_OUTPUT(t, text, deflt)                                                 \
  { .kind = JX_CLI_OPT_STRING, .name = "output", .letter = 'o', .target = (t),            \
    .value_name = "FILE", .help = (text), .dflt = (deflt) }
#define JX_CLI_ROW_THREADS(t, text)                                                       \
  { .kind = JX_CLI_OPT_INT, .name = "threads", .target = (t), .lo = 1, .hi = 256,         \
    .value_name = "N", .help = (text), .dflt = "all CPUs" }
#define JX_CLI_ROW_SEED(t, text)                                                          \
  { .kind = JX_CLI_OPT_U64, .name = "seed", .target = (t), .value_name = "S",             \
    .help = (text), .dflt = "1" }

/* Parse argv[1..] by spec (getopt_long, values checked as the rows say, then the count of
 * positional arguments). Returns 0 with *first set to the index of the first positional
 * argument; -1 after --help; otherwise the exit status of the one-line error printed. */
int jx_cli_options_parse (const JxCliSpec *spec, int argc, char **argv, int *first);

/* The --help text: intro, the option rows, outro. */
void jx_cli_options_help (const JxCliSpec *spec, FILE *out);

/* Where --jets A:B goes (jx_cli_opt_slice): the half-open range and whether it was given. */
typedef struct {
  size_t *a, *b;
  bool *given;
} JxCliSliceRef;

/* Rows of the clustering options as several commands have them. */
#define JX_CLI_ROW_ALGORITHM(t, seen_)                                                   \
  { .kind = JX_CLI_OPT_PARSE, .name = "algorithm", .letter = 'a', .target = (t),         \
    .parse = jx_cli_opt_algorithm, .seen = (seen_), .value_name = "ALG",                 \
    .help = "tree algorithm: ca, kt, antikt, printer", .dflt = "ca" }
#define JX_CLI_ROW_ESUB(t, text)                                                         \
  { .kind = JX_CLI_OPT_DOUBLE, .name = "esub", .target = (t), .lo = 0, .hi = 1e6,        \
    .value_name = "E", .help = (text), .dflt = "1" }
#define JX_CLI_ROW_RSUB(t, text)                                                         \
  { .kind = JX_CLI_OPT_DOUBLE, .name = "rsub", .target = (t), .lo = 0, .hi = M_PI,       \
    .value_name = "R", .help = (text), .dflt = "0.1" }

/* Value readers shared by several commands (JX_CLI_OPT_PARSE). */
int jx_cli_opt_algorithm (const char *opt, const char *value, void *target /* int * */);
int jx_cli_opt_metric (const char *opt, const char *value, void *target /* JxMetric * */);
/* --jets A:B (jx_cli_parse_slice) into a JxCliSliceRef. */
int jx_cli_opt_slice (const char *opt, const char *value, void *target /* JxCliSliceRef * */);
/* A count of jets with no practical upper bound: a whole number in [1, SIZE_MAX / 2]. */
int jx_cli_opt_count (const char *opt, const char *value, void *target /* size_t * */);
