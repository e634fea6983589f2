/* jx-atomic.h — write-to-temporary-then-rename for every output file (DESIGN.md §2).
 *
 * jx_atomic_begin picks NAME.tmp-XXXXXX in the same directory as NAME; the caller writes
 * the whole file there (HDF5, CSV, PNG, ...) and closes it; jx_atomic_commit fsyncs it,
 * renames it over NAME and fsyncs the directory. jx_atomic_abort removes the temporary.
 * A crash or a cancel therefore never leaves a half-written file under the real name.
 */
#pragma once

#include "jx-error.h"

#define JX_PATH_MAX 4096

typedef struct {
  char path[JX_PATH_MAX];      /* the final name */
  char tmp_path[JX_PATH_MAX];  /* where to write; exists (empty) after begin */
  int active;
} JxAtomicFile;

int jx_atomic_begin (JxAtomicFile *file, const char *path, JxError *err);
int jx_atomic_commit (JxAtomicFile *file, JxError *err);
void jx_atomic_abort (JxAtomicFile *file);
