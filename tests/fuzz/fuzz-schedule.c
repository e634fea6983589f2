/* fuzz-schedule.c — training schedule files ('epochs lr batch' per line). A schedule that
 * parses has stages in range, and its text form parses back to the same schedule. */
#include <math.h>
#include <string.h>

#include "jx-fuzz.h"
#include "jx-schedule.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *text = jx_fuzz_string (data, size);
  JxSchedule s;
  memset (&s, 0, sizeof s);
  JxError err = { 0 };
  int rc = jx_schedule_parse (&s, text, "fuzz.txt", &err);
  jx_fuzz_check_message (rc, err.message);
  if (rc == 0)
    {
      JX_FUZZ_ASSERT (s.n_stages >= 1 && s.n_stages <= JX_SCHEDULE_MAX_STAGES, "%zu stages",
                      s.n_stages);
      for (size_t i = 0; i < s.n_stages; i++)
        JX_FUZZ_ASSERT (s.stages[i].epochs >= 1 && s.stages[i].batch_size >= 1
                        && s.stages[i].learning_rate > 0 && isfinite (s.stages[i].learning_rate),
                        "stage %zu out of range", i);
      char again[JX_SCHEDULE_MAX_STAGES * 64];
      jx_schedule_format (&s, again, sizeof again);
      JxSchedule t;
      memset (&t, 0, sizeof t);
      JX_FUZZ_ASSERT (jx_schedule_parse (&t, again, "again", &err) == 0, "round trip: %s",
                      err.message);
      JX_FUZZ_ASSERT (memcmp (&s, &t, sizeof s) == 0, "round trip changed the schedule");
      JX_FUZZ_ASSERT (jx_schedule_total_epochs (&s) >= 1, "no epochs");
    }
  /* The file reader on the same bytes (NUL bytes end the text there). */
  const char *path = jx_fuzz_file ("schedule", data, size);
  rc = jx_schedule_read_file (&s, path, &err);
  jx_fuzz_check_message (rc, err.message);
  free (text);
  return 0;
}
