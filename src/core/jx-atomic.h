/* jx-atomic.h — write-to-temporary-then-rename for every output file (DESIGN.md §2).
 *
 * jx_atomic_begin picks NAME.tmp-XXXXXX in the same directory as NAME; the caller writes
 * the whole file there (HDF5, CSV, PNG, ...) and closes it; jx_atomic_commit fsyncs it,
 * renames it over NAME and fsyncs the directory. jx_atomic_abort removes the temporary.
 * A crash or a cancel therefore never leaves a half-written file under the real name.
 */
#pragma once

#include <stdio.h>

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

/* A text file (CSV, ...) written through stdio the same way: open begins and opens the
 * temporary ("PATH: cannot write" when it cannot be opened, nothing left behind); commit
 * closes it, and a write error or a failed close aborts ("PATH: write failed (disk full?)")
 * so a short file never takes the real name; abort closes and removes it. */
typedef struct {
  JxAtomicFile file;
  FILE *f;
} JxAtomicText;

int jx_atomic_text_open (JxAtomicText *t, const char *path, JxError *err);
int jx_atomic_text_commit (JxAtomicText *t, JxError *err);
void jx_atomic_text_abort (JxAtomicText *t);
