/* jx-cli-common.h — what every `junipr` subcommand shares: the one-line error format,
 * strict parsing of option values, output-path checks, and the progress display with
 * Ctrl-C cancellation.
 *
 * Errors follow one shape on stderr, one line, then exit status 1:
 *   junipr <cmd>: <what> (<where>): <how to fix>
 * Errors coming back from libjunipr already say what, where and how; they are printed
 * after the "junipr <cmd>: " prefix unchanged.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-cluster.h"
#include "jx-error.h"
#include "jx-progress.h"

#define JX_CLI_EXIT_OK 0
#define JX_CLI_EXIT_USER 1
#define JX_CLI_EXIT_CANCELLED 130  /* as a shell reports a process stopped by SIGINT */

/* One entry of the dispatcher table in junipr.c. run gets argv[0] = the command name. */
typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} JxCliCommand;

/* Name used in messages ("generate"); set by the dispatcher before run(). */
void jx_cli_set_command (const char *name);
const char *jx_cli_command (void);

/* Print "junipr <cmd>: <formatted>" on stderr; returns JX_CLI_EXIT_USER. */
int jx_cli_fail (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Print a libjunipr error; returns JX_CLI_EXIT_CANCELLED for a cancel, else JX_CLI_EXIT_USER. */
int jx_cli_fail_core (const JxError *err);

/* getopt_long returned '?' or ':' — report the offending option in the standard shape. */
int jx_cli_bad_option (int c, char **argv);

/* A positional argument count check: "expected one input file". */
int jx_cli_need_positionals (int argc, char **argv, int first, int count, const char *what);

/* Strict number parsing: the whole string must be a number in [lo, hi]. On failure prints
 * the standard error naming the option and an example, returns JX_CLI_EXIT_USER. */
int jx_cli_parse_double (const char *opt, const char *arg, double lo, double hi, double *out);
int jx_cli_parse_size (const char *opt, const char *arg, size_t lo, size_t hi, size_t *out);
int jx_cli_parse_u64 (const char *opt, const char *arg, uint64_t *out);
/* The same with the range jx_option_range (current command, opt) gives (jx-option-ranges.h,
 * shared with the app's job dialogs). */
int jx_cli_parse_ranged (const char *opt, const char *arg, double *out);
int jx_cli_parse_ranged_size (const char *opt, const char *arg, size_t *out);
/* "LO,HI" with LO < HI; *off set when the value is "off" (and allow_off). */
int jx_cli_parse_window (const char *opt, const char *arg, bool allow_off,
                         double *lo, double *hi, bool *off);
/* "a:b", "a:", ":b", or "a" (one jet) — a half-open range of jet indices like a Python
 * slice; *b = SIZE_MAX when open-ended. */
int jx_cli_parse_slice (const char *opt, const char *arg, size_t *a, size_t *b);
/* Clip a parsed slice to n jets; an empty result (A ≥ n) is an error naming the file. */
int jx_cli_clip_slice (const char *opt, const char *path, size_t n, size_t *a, size_t *b);
/* "x1,x2,...,xn" into exactly n doubles ≥ 0. */
int jx_cli_parse_list (const char *opt, const char *arg, double *out, size_t n);

/* The input file exists, is a regular file and readable. */
int jx_cli_check_input (const char *path);
/* An output path: not a directory, its directory exists and is writable. Checked before
 * any long work so a typo does not cost a whole generation.
 * Output = input: both functions remember the files they are given, and whichever comes
 * second refuses a file that is the same as one before (same device and inode, through
 * symlinks and hard links): an output that is an input, or two outputs of one name. So every
 * file a command reads or writes goes through one of them, before any work. */
int jx_cli_check_output (const char *opt, const char *path);
/* The same for an output that may replace one input on purpose: train --checkpoint C
 * --resume C reads C whole first and then writes new checkpoints over it. Checked
 * before that input. */
int jx_cli_check_output_replacing (const char *opt, const char *path, const char *input);
/* --checkpoint as train and train-binary take it: given NULL → OUTPUT.checkpoint.h5 next to
 * the output (written into buf), "none" → *out = NULL (no checkpoint); a checkpoint is checked
 * like an output and must not be the output itself. */
int jx_cli_checkpoint_option (const char *given, const char *output, char *buf, size_t cap,
                              const char **out);

/* "C/A", "kt", "anti-kt", "printer" — for text meant for people. */
const char *jx_cli_algorithm_title (int algorithm);

/* The value of --metric: "ee" or "pp"; otherwise the standard one-line error. */
int jx_cli_parse_metric (const char *arg, JxMetric *out);
/* "e+e-" / "pp" — for text meant for people. */
const char *jx_cli_metric_title (int metric);

/* Number of online CPUs (≥ 1), shared out among the processes of an MPI job on this
 * machine (jx_cli_set_local_processes). */
int jx_cli_cpu_count (void);

/* For the ranks of an MPI job (jx-cli-mpi.c). A follower (a rank other than 0) hands its
 * error lines to sink instead of printing them and shows no progress (Ctrl-C still cancels);
 * NULL: print (the default). */
void jx_cli_set_follower (void (*sink) (const char *line));
void jx_cli_set_local_processes (int n);

/* Seconds on a monotonic clock. */
double jx_cli_now (void);

/* Progress display for a long operation: a bar with ETA when stderr is a terminal,
 * a plain line every few seconds otherwise, nothing for the first second (short jobs
 * stay silent). While active, SIGINT cancels the operation through the JxProgress. */
/* Returns the JxProgress to pass to the core; quiet shows nothing but keeps Ctrl-C. */
JxProgress *jx_cli_progress_begin (const char *label, bool quiet);
/* Clears the bar and restores the default SIGINT handling. */
void jx_cli_progress_end (void);
bool jx_cli_progress_was_cancelled (void);
