/* jx-progress.c — see jx-progress.h. */
#include "jx-progress.h"

#include <stddef.h>

void
jx_progress_init (JxProgress *progress, JxProgressFunc func, void *user)
{
  progress->func = func;
  progress->user = user;
  atomic_init (&progress->cancel, 0);
}

void
jx_progress_report (JxProgress *progress, double done, double total, const char *message)
{
  if (progress != NULL && progress->func != NULL)
    progress->func (progress->user, done, total, message);
}

void
jx_progress_cancel (JxProgress *progress)
{
  if (progress != NULL)
    atomic_store (&progress->cancel, 1);
}

bool
jx_progress_cancelled (JxProgress *progress)
{
  return progress != NULL && atomic_load_explicit (&progress->cancel, memory_order_relaxed) != 0;
}

static void
part_report (void *user, double done, double total, const char *message)
{
  (void) total;
  JxProgressPart *part = user;
  jx_progress_report (part->outer, part->offset + done, part->total, message);
  if (jx_progress_cancelled (part->outer))
    jx_progress_cancel (&part->progress);
}

void
jx_progress_part_init (JxProgressPart *part, JxProgress *outer, double total)
{
  jx_progress_init (&part->progress, part_report, part);
  part->outer = outer;
  part->offset = 0;
  part->total = total;
}

void
jx_progress_part_at (JxProgressPart *part, double offset)
{
  part->offset = offset;
  if (jx_progress_cancelled (part->outer))
    jx_progress_cancel (&part->progress);
}
