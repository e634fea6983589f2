/* jx-cli-options.c — see jx-cli-options.h. */
#include "jx-cli-options.h"

#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-common.h"

#define MAX_OPTS 64
#define LONG_BASE 256  /* getopt_long's value of row i without a letter: LONG_BASE + i */

static bool
takes_value (const JxCliOpt *o)
{
  return o->kind != JX_CLI_OPT_SECTION && o->kind != JX_CLI_OPT_HELP
         && o->kind != JX_CLI_OPT_FLAG && o->kind != JX_CLI_OPT_CLEAR;
}

/* Store one option's value; 0 or the status of the printed error. */
static int
apply (const JxCliOpt *o, const char *value)
{
  char opt[96];
  snprintf (opt, sizeof opt, "--%s", o->name);
  size_t v = 0;
  int rc = 0;
  switch (o->kind)
    {
    case JX_CLI_OPT_FLAG: *(bool *) o->target = true; break;
    case JX_CLI_OPT_CLEAR: *(bool *) o->target = false; break;
    case JX_CLI_OPT_STRING: *(const char **) o->target = value; break;
    case JX_CLI_OPT_INT:
      if ((rc = jx_cli_parse_size (opt, value, (size_t) o->lo, (size_t) o->hi, &v)) == 0)
        *(int *) o->target = (int) v;
      break;
    case JX_CLI_OPT_SIZE:
      rc = jx_cli_parse_size (opt, value, (size_t) o->lo, (size_t) o->hi, (size_t *) o->target);
      break;
    case JX_CLI_OPT_U64: rc = jx_cli_parse_u64 (opt, value, (uint64_t *) o->target); break;
    case JX_CLI_OPT_DOUBLE:
      rc = jx_cli_parse_double (opt, value, o->lo, o->hi, (double *) o->target);
      break;
    case JX_CLI_OPT_RANGED: rc = jx_cli_parse_ranged (opt, value, (double *) o->target); break;
    case JX_CLI_OPT_RANGED_INT:
      if ((rc = jx_cli_parse_ranged_size (opt, value, &v)) == 0)
        *(int *) o->target = (int) v;
      break;
    case JX_CLI_OPT_RANGED_SIZE:
      rc = jx_cli_parse_ranged_size (opt, value, (size_t *) o->target);
      break;
    case JX_CLI_OPT_PARSE: rc = o->parse (opt, value, o->target); break;
    case JX_CLI_OPT_SECTION:
    case JX_CLI_OPT_HELP: abort ();  /* handled by the caller */
    }
  if (rc == 0 && o->seen != NULL)
    *o->seen = true;
  return rc;
}

int
jx_cli_options_parse (const JxCliSpec *spec, int argc, char **argv, int *first)
{
  struct option longs[MAX_OPTS + 1];
  char shorts[2 * MAX_OPTS + 2];
  size_t n_long = 0, n_short = 0;
  if (spec->n_opts > MAX_OPTS)
    abort ();  /* a programming error: raise MAX_OPTS */
  shorts[n_short++] = ':';  /* a missing value comes back as ':' (jx_cli_bad_option) */
  for (size_t i = 0; i < spec->n_opts; i++)
    {
      const JxCliOpt *o = &spec->opts[i];
      if (o->kind == JX_CLI_OPT_SECTION)
        continue;
      longs[n_long++] = (struct option) { o->name, takes_value (o) ? required_argument
                                                                   : no_argument,
                                          NULL, o->letter ? o->letter : LONG_BASE + (int) i };
      if (o->letter)
        {
          shorts[n_short++] = o->letter;
          if (takes_value (o))
            shorts[n_short++] = ':';
        }
    }
  longs[n_long] = (struct option) { NULL, 0, NULL, 0 };
  shorts[n_short] = '\0';

  int c;
  optind = 0;  /* glibc: a full restart, also after an earlier scan stopped inside "-xyz" */
  opterr = 0;
  while ((c = getopt_long (argc, argv, shorts, longs, NULL)) != -1)
    {
      const JxCliOpt *o = NULL;
      if (c >= LONG_BASE && (size_t) (c - LONG_BASE) < spec->n_opts)
        o = &spec->opts[c - LONG_BASE];
      for (size_t i = 0; o == NULL && c > 0 && c < LONG_BASE && c != '?' && c != ':'
                         && i < spec->n_opts; i++)
        if (spec->opts[i].letter == c)
          o = &spec->opts[i];
      if (o == NULL)
        return jx_cli_bad_option (c, argv);
      if (o->kind == JX_CLI_OPT_HELP)
        {
          if (spec->show_help == NULL || spec->show_help ())
            jx_cli_options_help (spec, stdout);
          return -1;
        }
      int rc = apply (o, optarg);
      if (rc != 0)
        return rc;
    }
  *first = optind;
  return jx_cli_need_positionals (argc, argv, optind, spec->n_args, spec->args_what);
}

static void
pad_to (FILE *out, int *col, int want)
{
  do
    {
      fputc (' ', out);
      (*col)++;
    }
  while (*col < want);
}

/* [default] after the help's last line: from dflt_col on, a space after a longer help; one
 * that would pass the width ends at it where there is room. */
static void
print_default (const JxCliSpec *spec, const char *dflt, int col, FILE *out)
{
  int len = (int) strlen (dflt) + 2;
  int want = col < spec->dflt_col ? spec->dflt_col : col + 1;
  if (spec->width > 0 && want + len > spec->width)
    want = spec->width - len;
  pad_to (out, &col, want);  /* at least one space */
  fprintf (out, "[%s]", dflt);
}

static void
print_row (const JxCliSpec *spec, const JxCliOpt *o, FILE *out)
{
  char head[128];
  int col = snprintf (head, sizeof head, "  %c%c%s--%s%s%s", o->letter ? '-' : ' ',
                      o->letter ? o->letter : ' ', o->letter ? ", " : "  ", o->name,
                      o->value_name ? " " : "", o->value_name ? o->value_name : "");
  fputs (head, out);
  const char *help = o->help != NULL ? o->help : "";
  for (bool first_line = true;; first_line = false)
    {
      size_t len = strcspn (help, "\n");
      if (!first_line)
        {
          fputc ('\n', out);
          col = 0;
        }
      if (len > 0)
        pad_to (out, &col, spec->help_col);
      fwrite (help, 1, len, out);
      col += (int) len;
      help += len;
      if (*help++ != '\n')
        break;
    }
  if (o->dflt != NULL)
    print_default (spec, o->dflt, col, out);
  fputc ('\n', out);
}

void
jx_cli_options_help (const JxCliSpec *spec, FILE *out)
{
  for (int i = 0; i < 4 && spec->intro[i] != NULL; i++)
    fputs (spec->intro[i], out);
  for (size_t i = 0; i < spec->n_opts; i++)
    {
      const JxCliOpt *o = &spec->opts[i];
      if (o->kind == JX_CLI_OPT_SECTION)
        fprintf (out, "%s\n", o->help);
      else
        print_row (spec, o, out);
    }
  if (spec->outro != NULL)
    fputs (spec->outro, out);
}

int
jx_cli_opt_algorithm (const char *opt, const char *value, void *target)
{
  if (jx_algorithm_parse (value, (JxAlgorithm *) target, NULL) != 0)
    return jx_cli_fail ("unknown algorithm '%s' for %s (command line): use ca, kt, antikt or "
                        "printer", value, opt);
  return 0;
}

int
jx_cli_opt_metric (const char *opt, const char *value, void *target)
{
  (void) opt;
  return jx_cli_parse_metric (value, (JxMetric *) target);
}

int
jx_cli_opt_slice (const char *opt, const char *value, void *target)
{
  const JxCliSliceRef *r = target;
  *r->given = true;
  return jx_cli_parse_slice (opt, value, r->a, r->b);
}

int
jx_cli_opt_count (const char *opt, const char *value, void *target)
{
  return jx_cli_parse_size (opt, value, 1, SIZE_MAX / 2, target);
}
