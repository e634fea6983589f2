/* jx-atomic.h — write-to-temporary-then-rename for every output file (DESIGN.md §2).
 *
 * jx_atomic_begin picks NAME.tmp-XXXXXX in the same directory as NAME; the caller writes
 * the whole file there (HDF5, CSV, PNG, ...) and closes it; jx_atomic_commit fsyncs it,
 * renames it over NAME and fsyncs the directory. jx_atomic_abort removes the temporary.
 * A crash or a cancel therefore never leaves a half-written file under the real name.
 *
 * While a temporary exists its writer holds a lock on it (an open file description lock,
 * which HDF5's own file locks do not collide with; jx-h5 turns those off for files it
 * creates). So a temporary of NAME that nobody holds was left by a killed run (kill -9, a
 * crash, a power cut): jx_atomic_begin for NAME removes such leftovers first.
 */
#pragma once

#include <stdio.h>

#include "jx-error.h"

#define JX_PATH_MAX 4096

typedef struct {
  char path[JX_PATH_MAX];      /* the final name */
  char tmp_path[JX_PATH_MAX];  /* where to write; exists (empty) after begin */
  int active;
  int lock_fd;                 /* holds the lock on tmp_path while active; -1 = none */
  int n_stale_removed;         /* leftovers of earlier, killed runs removed by begin */
} JxAtomicFile;

int jx_atomic_begin (JxAtomicFile *file, const char *path, JxError *err);
/* Take the lock again after tmp_path was replaced by another file (a nested atomic write
 * renamed over it). */
void jx_atomic_relock (JxAtomicFile *file);
int jx_atomic_commit (JxAtomicFile *file, JxError *err);
void jx_atomic_abort (JxAtomicFile *file);
/* The one atomic text writer (CSV, JSON, text exports): open_stream begins an atomic write
 * of path and opens its temporary for writing with a large buffer; NULL with err set
 * ("PATH: cannot write: <reason>", or begin's refusal) and nothing left behind on failure. */
FILE *jx_atomic_open_stream (JxAtomicFile *file, const char *path, JxError *err);
/* For a text or binary output written through stdio on tmp_path: closes f (always), and
 * commits only when no write failed (stdio's error flag, the final flush, the close) --
 * otherwise aborts with "PATH: cannot write (disk full?): <reason>". */
int jx_atomic_commit_stream (JxAtomicFile *file, FILE *f, JxError *err);
/* End an open_stream with the writer's status: rc != 0 closes f, removes the temporary and
 * returns rc (err untouched: the writer set it); rc == 0 is jx_atomic_commit_stream. */
int jx_atomic_close_stream (JxAtomicFile *file, FILE *f, int rc, JxError *err);

/* 0 when path may be an output: it does not exist or is a regular file, and it is not a
 * name of an open descriptor (/dev/stdout, /proc/self/fd/N, /dev/fd/N). The rename into place
 * would otherwise replace the node itself: -o /dev/full or /dev/null run as root put a plain
 * file in /dev and exited 0 having written nowhere; -o /dev/stdout > FILE left FILE empty.
 * JX_ERR_INVALID with "PATH: output is a character device, not a regular file" otherwise.
 * jx_atomic_begin calls it. */
int jx_atomic_check_target (const char *path, JxError *err);

/* Remove the temporaries of path that no running writer holds; returns how many. */
int jx_atomic_remove_stale (const char *path);
