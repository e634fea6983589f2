/* jx-error.h — error reporting for libjunipr.
 *
 * Functions that can fail return an int: 0 on success, a negative JxStatus on error,
 * and fill a caller-provided JxError with one human-readable line (printable: see
 * jx_error_escape) saying what went
 * wrong, where (file, line, jet index when they apply) and, when possible, how to fix it.
 * The library never prints and never exits; the caller decides what to show.
 */
#pragma once

#include <stddef.h>

typedef enum {
  JX_OK = 0,
  JX_ERR_INVALID = -1,   /* bad argument or bad input value (NaN, negative energy, ...) */
  JX_ERR_IO = -2,        /* cannot open / read / write / rename a file */
  JX_ERR_FORMAT = -3,    /* a file exists but is not what we expected (kind, version, layout) */
  JX_ERR_NOMEM = -4,
  JX_ERR_CANCELLED = -5, /* the user cancelled through JxProgress */
  JX_ERR_RANGE = -6,     /* a value outside what the model or algorithm supports (e.g. n > M) */
  JX_ERR_INTERNAL = -7,  /* a broken invariant: a bug, please report */
} JxStatus;

#define JX_ERROR_MESSAGE_MAX 512

typedef struct {
  int code;                            /* a JxStatus; JX_OK when nothing happened */
  char message[JX_ERROR_MESSAGE_MAX];  /* one line, no trailing newline */
} JxError;

/* Fill err (if non-NULL) and return code, so failures read `return jx_error_set (err, ...)`. */
int jx_error_set (JxError *err, int code, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

/* Prefix an existing message with context ("reading X: ") and return err->code. */
int jx_error_prefix (JxError *err, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

void jx_error_clear (JxError *err);

/* Copy src to dst (capacity cap, always NUL-terminated) with control characters (C0, DEL,
 * C1: newlines, escapes) and bytes that are not valid UTF-8 written as \xNN, cutting only
 * between characters. Messages are escaped this way when set, since they quote file
 * contents. Returns the length written. */
size_t jx_error_escape (char *dst, size_t cap, const char *src);

/* A short stable name for a status ("invalid input", "I/O error", ...). */
const char *jx_status_name (int code);
