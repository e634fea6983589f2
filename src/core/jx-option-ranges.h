/* jx-option-ranges.h — the allowed ranges of the numeric options a user sets, by command and
 * command-line name ("train", "--hidden"): `junipr` parses its options with them and the app's
 * job dialogs check their fields with them, so both refuse the same values. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  const char *command;   /* "generate", "train", "sample", "reweight" */
  const char *option;    /* "--alpha-s" */
  double lo, hi;         /* inclusive */
  bool integer;          /* a count: whole numbers only */
  const char *unit;      /* "GeV", "rad" or "" */
} JxOptionRange;

/* The range of command's option, or NULL when the table has none. */
const JxOptionRange *jx_option_range (const char *command, const char *option);

/* Is v allowed (in range, whole when it must be, finite)? */
bool jx_option_range_allows (const JxOptionRange *range, double v);
