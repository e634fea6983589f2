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
