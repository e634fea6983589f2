/* jx-progress.h — progress reporting and cancellation for long operations.
 *
 * Every long core operation takes a JxProgress* (may be NULL). It calls
 * jx_progress_report() now and then and checks jx_progress_cancelled() at least
 * every ~50 ms of work; when cancelled it cleans up (no partial output files) and
 * returns JX_ERR_CANCELLED. The callback runs on the worker's thread: a GUI must
 * hand the numbers to its main loop itself.
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>

typedef void (*JxProgressFunc) (void *user, double done, double total, const char *message);

typedef struct {
  JxProgressFunc func;  /* may be NULL */
  void *user;
  atomic_int cancel;    /* set non-zero from any thread to request cancellation */
} JxProgress;

void jx_progress_init (JxProgress *progress, JxProgressFunc func, void *user);
void jx_progress_report (JxProgress *progress, double done, double total, const char *message);
void jx_progress_cancel (JxProgress *progress);
bool jx_progress_cancelled (JxProgress *progress);

/* One part of a longer operation that walks its input in parts (e.g. the chunks of a
 * jx-dataset-stream), each handed to a core function with its own JxProgress: the part's
 * reports reach outer as progress through the whole (offset + done of total), and a cancel of
 * outer reaches the part at its next report (and at jx_progress_part_at). */
typedef struct {
  JxProgress progress;   /* pass &part.progress to the core function */
  JxProgress *outer;     /* may be NULL */
  double offset, total;
} JxProgressPart;

void jx_progress_part_init (JxProgressPart *part, JxProgress *outer, double total);
/* The next part starts at offset of total. */
void jx_progress_part_at (JxProgressPart *part, double offset);
