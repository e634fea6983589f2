/* jx-window-test.c — the window's --test-mode instrumentation: "jx-test:" lines on stdout
 * (jobs started and finished, toasts, the selected jet, the sidebar) for the GUI tests, and the
 * main loop's frame intervals while jobs run (a blocked loop shows as a long gap between
 * frame-clock ticks). Nothing here runs unless the app was started with --test-mode. */
#define G_LOG_DOMAIN "jx-window"

#include "config.h"

#include <stdio.h>

#include "jx-application.h"
#include "jx-window-private.h"

struct _JxWindowTest
{
  gint64 last_frame;
  gint64 max_gap;            /* µs, longest frame interval while a job ran */
  GArray *gaps;              /* gint64 µs, every frame interval while a job ran */
  gboolean first_frame_seen;
};

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  JxWindow *self = JX_WINDOW (widget);
  JxWindowTest *t = self->test;
  gint64 now = g_get_monotonic_time ();

  if (!t->first_frame_seen)
    {
      t->first_frame_seen = TRUE;
      _jx_window_test_log (self, "first-frame-ms %.1f",
                           (now - jx_application_get_start_time ()) / 1000.0);
    }
  /* Measure with the wall clock between ticks: a blocked main loop delays the next tick. */
  if (t->last_frame != 0 && jx_window_is_busy (self))
    {
      gint64 gap = now - t->last_frame;
      if (gap > t->max_gap)
        t->max_gap = gap;
      g_array_append_val (t->gaps, gap);
    }
  t->last_frame = now;
  return G_SOURCE_CONTINUE;
}

void
_jx_window_test_init (JxWindow *self)
{
  if (!jx_application_get_test_mode ())
    return;
  self->test = g_new0 (JxWindowTest, 1);
  self->test->gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

void
_jx_window_test_free (JxWindowTest *t)
{
  if (t == NULL)
    return;
  g_array_unref (t->gaps);
  g_free (t);
}

void
_jx_window_test_log (JxWindow *self, const char *fmt, ...)
{
  va_list ap;

  if (self->test == NULL)
    return;
  va_start (ap, fmt);
  fputs ("jx-test: ", stdout);
  vfprintf (stdout, fmt, ap);
  fputc ('\n', stdout);
  fflush (stdout);
  va_end (ap);
}

void
_jx_window_test_job_started (JxWindow *self, JxJob *job)
{
  if (self->test == NULL)
    return;
  /* The stall statistics are of the latest training job. */
  if (jx_job_get_kind (job) == JX_JOB_KIND_TRAIN)
    {
      self->test->max_gap = 0;
      g_array_set_size (self->test->gaps, 0);
    }
  _jx_window_test_log (self, "job-started kind=%d title=%s", jx_job_get_kind (job),
                       jx_job_get_title (job));
}

static int
compare_gap (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

static void
log_stalls (JxWindow *self, JxJob *job)
{
  GArray *gaps = self->test->gaps;
  guint n = gaps->len, over50 = 0;
  gint64 p99 = 0;

  if (n > 0)
    {
      g_array_sort (gaps, compare_gap);
      p99 = g_array_index (gaps, gint64, MIN (n - 1, (guint) (0.99 * n)));
      for (guint i = 0; i < n; i++)
        over50 += g_array_index (gaps, gint64, i) > 50000;
    }
  _jx_window_test_log (self, "stall job=train state=%d frames=%u max-gap-ms=%.1f "
                       "p99-gap-ms=%.1f gaps-over-50ms=%u seconds=%.1f",
                       jx_job_get_state (job), n, self->test->max_gap / 1000.0, p99 / 1000.0,
                       over50, jx_job_get_seconds (job));
}

void
_jx_window_test_job_finished (JxWindow *self, JxJob *job)
{
  if (self->test == NULL)
    return;
  if (jx_job_get_kind (job) == JX_JOB_KIND_TRAIN)
    log_stalls (self, job);
  _jx_window_test_log (self, "job-finished kind=%d state=%d title=%s", jx_job_get_kind (job),
                       jx_job_get_state (job), jx_job_get_title (job));
}
