/* jx-fuzz.h — what the libFuzzer targets in tests/fuzz share.
 *
 * A target is one file fuzz-<name>.c defining LLVMFuzzerTestOneInput. It is built twice:
 * with clang -fsanitize=fuzzer (tools/fuzz.sh, -Dfuzz=true) to search, and in every normal
 * build with jx-fuzz-replay.c as main, as the test fuzz-replay-<name> that runs it over its
 * seed corpus (corpus/<name>/) and every input that once crashed it (regressions/<name>/).
 * A target fails by crashing: a sanitizer report, or JX_FUZZ_ASSERT for a property (abort).
 *
 * Adding a parser (e.g. a new import format): copy fuzz-text-jets.c, hand the bytes to the
 * parser through jx_fuzz_file (or an h5spec, jx-fuzz-h5spec.h, for HDF5 layouts), add a
 * few small valid files to corpus/<name>/ and the name to fuzz_targets in meson.build.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "jx-dataset.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The bytes as a file: a private path (per process and tag) rewritten on each call. */
const char *jx_fuzz_file (const char *tag, const uint8_t *data, size_t size);

/* A NUL-terminated copy (free it). */
char *jx_fuzz_string (const uint8_t *data, size_t size);

/* Properties every parser keeps. A failed call leaves one printable line naming what went
 * wrong (no control bytes, valid UTF-8, not empty); a dataset it returns is consistent and
 * every jet passes jx_jet_validate (imports check each jet). */
void jx_fuzz_check_message (int rc, const char *message);
void jx_fuzz_check_dataset (const JxDataset *ds, bool jets_validated);

#define JX_FUZZ_ASSERT(cond, ...)                                                       \
  do {                                                                                  \
    if (!(cond))                                                                        \
      {                                                                                 \
        fprintf (stderr, "%s:%d: property violated: %s: ", __FILE__, __LINE__, #cond);  \
        fprintf (stderr, __VA_ARGS__);                                                  \
        fputc ('\n', stderr);                                                           \
        abort ();                                                                       \
      }                                                                                 \
  } while (0)
