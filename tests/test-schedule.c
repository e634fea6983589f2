/* Unit tests for jx-schedule: the built-in schedules, parsing custom schedules (comments,
 * blank lines, errors naming the line), files, stage lookup and length changes. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "jx-schedule.h"
#include "jx-test.h"

static void
test_builtin (void)
{
  JxSchedule s;
  jx_schedule_paper (&s);
  JX_CHECK_INT (s.n_stages, 6);
  JX_CHECK_INT (jx_schedule_total_epochs (&s), 30);
  const double lr[6] = { 1e-2, 1e-3, 1e-4, 1e-3, 1e-4, 1e-5 };
  const int batch[6] = { 10, 10, 10, 100, 100, 100 };
  for (int i = 0; i < 6; i++)
    {
      JX_CHECK_INT (s.stages[i].epochs, 5);
      JX_CHECK (s.stages[i].learning_rate == lr[i]);
      JX_CHECK_INT (s.stages[i].batch_size, batch[i]);
    }
  size_t k;
  JX_CHECK (jx_schedule_stage_at (&s, 0, &k)->learning_rate == 1e-2 && k == 0);
  JX_CHECK (jx_schedule_stage_at (&s, 4, &k)->learning_rate == 1e-2 && k == 0);
  JX_CHECK (jx_schedule_stage_at (&s, 5, &k)->learning_rate == 1e-3 && k == 1);
  JX_CHECK (jx_schedule_stage_at (&s, 15, &k)->batch_size == 100 && k == 3);
  JX_CHECK (jx_schedule_stage_at (&s, 29, &k)->learning_rate == 1e-5 && k == 5);
  JX_CHECK (jx_schedule_stage_at (&s, 99, &k)->learning_rate == 1e-5 && k == 5);

  jx_schedule_fast (&s);
  JX_CHECK (s.n_stages >= 1);
  JX_CHECK (jx_schedule_total_epochs (&s) <= 5);

  JX_CHECK_INT (jx_schedule_from_name (&s, "paper", NULL), 0);
  JX_CHECK_INT (jx_schedule_total_epochs (&s), 30);
  JX_CHECK_INT (jx_schedule_from_name (&s, "fast", NULL), 0);
  JX_CHECK_INT (jx_schedule_total_epochs (&s), 4);
}

static void
test_parse (void)
{
  JxSchedule s;
  JxError err;
  const char *text = "# warm-up\n"
                     "\n"
                     "  3 1e-2 10   # first\n"
                     "2\t0.001\t100\r\n"
                     "1 5e-5 1";   /* no final newline */
  JX_CHECK_INT (jx_schedule_parse (&s, text, "custom", &err), 0);
  JX_CHECK_INT (s.n_stages, 3);
  JX_CHECK (s.stages[0].epochs == 3 && s.stages[0].learning_rate == 1e-2 && s.stages[0].batch_size == 10);
  JX_CHECK (s.stages[1].epochs == 2 && s.stages[1].learning_rate == 1e-3 && s.stages[1].batch_size == 100);
  JX_CHECK (s.stages[2].epochs == 1 && s.stages[2].learning_rate == 5e-5 && s.stages[2].batch_size == 1);
  JX_CHECK_INT (jx_schedule_total_epochs (&s), 6);

  /* Round trip through the text form. */
  char buf[1024];
  JxSchedule t;
  jx_schedule_paper (&s);
  jx_schedule_format (&s, buf, sizeof buf);
  JX_CHECK_INT (jx_schedule_parse (&t, buf, "formatted", NULL), 0);
  JX_CHECK_INT (t.n_stages, s.n_stages);
  for (size_t i = 0; i < s.n_stages; i++)
    JX_CHECK (t.stages[i].epochs == s.stages[i].epochs
              && t.stages[i].learning_rate == s.stages[i].learning_rate
              && t.stages[i].batch_size == s.stages[i].batch_size);

  struct { const char *text; const char *expect; } bad[] = {
    { "5 1e-3 10\n5 1e-3\n", "sched.txt:2:" },
    { "# c\n\n0 1e-3 10\n", "sched.txt:3: epochs '0'" },
    { "5 -1 10\n", "sched.txt:1: learning rate '-1'" },
    { "5 abc 10\n", "sched.txt:1: learning rate 'abc'" },
    { "5 nan 10\n", "sched.txt:1: learning rate" },
    { "5 1e-3 0\n", "sched.txt:1: batch size '0'" },
    { "5 1e-3 10.5\n", "sched.txt:1: batch size '10.5'" },
    { "2.5 1e-3 10\n", "sched.txt:1: epochs '2.5'" },
    { "5 1e-3 10 7\n", "sched.txt:1: expected three numbers" },
    { "# only comments\n\n", "sched.txt: no stages" },
    { "", "sched.txt: no stages" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      jx_error_clear (&err);
      int rc = jx_schedule_parse (&s, bad[i].text, "sched.txt", &err);
      JX_CHECK_MSG (rc == JX_ERR_FORMAT, "case %zu: rc %d", i, rc);
      JX_CHECK_MSG (strstr (err.message, bad[i].expect) != NULL, "case %zu: '%s' lacks '%s'", i,
                    err.message, bad[i].expect);
    }
}

static void
test_file (void)
{
  char path[] = "/tmp/jx-test-schedule-XXXXXX";
  int fd = mkstemp (path);
  JX_CHECK (fd >= 0);
  FILE *f = fdopen (fd, "w");
  fputs ("# two stages\n4 2e-3 20\n\n1 1e-4 50\nbroken line\n", f);
  fclose (f);
  JxSchedule s;
  JxError err;
  JX_CHECK_INT (jx_schedule_from_name (&s, path, &err), JX_ERR_FORMAT);
  char expect[128];
  snprintf (expect, sizeof expect, "%s:5:", path);
  JX_CHECK_MSG (strstr (err.message, expect) != NULL, "'%s'", err.message);
  f = fopen (path, "w");
  fputs ("# two stages\n4 2e-3 20\n\n1 1e-4 50\n", f);
  fclose (f);
  JX_CHECK_INT (jx_schedule_from_name (&s, path, &err), 0);
  JX_CHECK_INT (s.n_stages, 2);
  JX_CHECK_INT (jx_schedule_total_epochs (&s), 5);
  unlink (path);
  JX_CHECK_INT (jx_schedule_from_name (&s, path, &err), JX_ERR_IO);
  JX_CHECK (strstr (err.message, path) != NULL);
}

static void
test_length (void)
{
  JxSchedule s;
  jx_schedule_paper (&s);
  jx_schedule_set_total_epochs (&s, 7);
  JX_CHECK_INT (jx_schedule_total_epochs (&s), 7);
  JX_CHECK_INT (s.n_stages, 2);
  JX_CHECK_INT (s.stages[1].epochs, 2);
  jx_schedule_set_total_epochs (&s, 5);
  JX_CHECK_INT (s.n_stages, 1);
  JX_CHECK_INT (s.stages[0].epochs, 5);
  jx_schedule_set_total_epochs (&s, 12);
  JX_CHECK_INT (s.n_stages, 1);
  JX_CHECK_INT (s.stages[0].epochs, 12);
  jx_schedule_paper (&s);
  jx_schedule_set_total_epochs (&s, 40);
  JX_CHECK_INT (s.n_stages, 6);
  JX_CHECK_INT (s.stages[5].epochs, 15);
  JX_CHECK_INT (jx_schedule_total_epochs (&s), 40);
  jx_schedule_set_total_epochs (&s, 1);
  JX_CHECK_INT (jx_schedule_total_epochs (&s), 1);
}

int
main (void)
{
  test_builtin ();
  test_parse ();
  test_file ();
  test_length ();
  JX_TEST_MAIN_END ("schedule");
}
