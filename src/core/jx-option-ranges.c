/* jx-option-ranges.c — the table of option ranges (see jx-option-ranges.h). */
#include "jx-option-ranges.h"

#include <math.h>
#include <string.h>

static const JxOptionRange ranges[] = {
  { "generate", "--jets", 1, 1e8, true, "" },
  { "generate", "--alpha-s", 0.05, 0.20, false, "" },
  { "generate", "--sqrt-s", 50, 1e4, false, "GeV" },
  { "generate", "--pt-min", 0.3, 5, false, "GeV" },
  { "generate", "--esub", 0, 1e4, false, "GeV" },
  { "generate", "--rsub", 0, 3.14159, false, "rad" },
  { "generate", "--f-long", 0, 1, false, "" },
  { "train", "--esub", 0, 1e6, false, "GeV" },
  { "train", "--rsub", 0, 3.14159, false, "rad" },
  { "train", "--hidden", 1, 4096, true, "" },
  { "train", "--dense", 1, 4096, true, "" },
  { "train", "--max-mult", 2, 10000, true, "" },
  { "train", "--epochs", 1, 100000, true, "" },
  { "train", "--val-fraction", 0, 0.9, false, "" },
  { "sample", "--jets", 1, 4294967296.0, true, "" },
  { "sample", "--jet-energy", 1e-3, 1e6, false, "GeV" },
  { "sample", "--jet-mass", 0, 1e6, false, "GeV" },
  { "sample", "--max-length", 1, 100000, true, "" },
  { "sample", "--max-redraws", 0, 1e8, true, "" },
  { "reweight", "--clip", 0, 1e300, false, "" },
};

const JxOptionRange *
jx_option_range (const char *command, const char *option)
{
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
    if (strcmp (ranges[i].command, command) == 0 && strcmp (ranges[i].option, option) == 0)
      return &ranges[i];
  return NULL;
}

bool
jx_option_range_allows (const JxOptionRange *range, double v)
{
  return isfinite (v) && v >= range->lo && v <= range->hi && (!range->integer || v == floor (v));
}
