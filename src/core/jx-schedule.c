/* jx-schedule.c — see jx-schedule.h. */
#include "jx-schedule.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
set_stages (JxSchedule *s, const JxStage *stages, size_t n)
{
  memset (s, 0, sizeof *s);
  memcpy (s->stages, stages, n * sizeof *stages);
  s->n_stages = n;
}

void
jx_schedule_paper (JxSchedule *s)
{
  static const JxStage paper[] = {
    { 5, 1e-2, 10 }, { 5, 1e-3, 10 }, { 5, 1e-4, 10 },
    { 5, 1e-3, 100 }, { 5, 1e-4, 100 }, { 5, 1e-5, 100 },
  };
  set_stages (s, paper, sizeof paper / sizeof paper[0]);
}

void
jx_schedule_fast (JxSchedule *s)
{
  static const JxStage fast[] = { { 2, 1e-3, 10 }, { 1, 3e-4, 10 }, { 1, 1e-4, 100 } };
  set_stages (s, fast, sizeof fast / sizeof fast[0]);
}

/* Whole-token integer in [1, 10^9]. */
static int
parse_count (const char *tok, int *out)
{
  char *end;
  errno = 0;
  long v = strtol (tok, &end, 10);
  if (errno != 0 || *end != '\0' || end == tok || v < 1 || v > 1000000000L)
    return -1;
  *out = (int) v;
  return 0;
}

int
jx_schedule_parse (JxSchedule *s, const char *text, const char *source, JxError *err)
{
  memset (s, 0, sizeof *s);
  const char *src = source != NULL ? source : "schedule";
  int line_no = 0;
  const char *p = text;
  while (*p != '\0')
    {
      line_no++;
      const char *eol = strchr (p, '\n');
      size_t len = eol != NULL ? (size_t) (eol - p) : strlen (p);
      char line[512];
      if (len >= sizeof line)
        return jx_error_set (err, JX_ERR_FORMAT, "%s:%d: line too long: expected 'epochs lr batch'",
                             src, line_no);
      memcpy (line, p, len);
      line[len] = '\0';
      p = eol != NULL ? eol + 1 : p + len;
      char *hash = strchr (line, '#');
      if (hash != NULL)
        *hash = '\0';
      char *save = NULL;
      char *tok[4];
      int n_tok = 0;
      for (char *t = strtok_r (line, " \t\r", &save); t != NULL; t = strtok_r (NULL, " \t\r", &save))
        {
          if (n_tok == 4)
            break;
          tok[n_tok++] = t;
        }
      if (n_tok == 0)
        continue;
      if (n_tok != 3)
        return jx_error_set (err, JX_ERR_FORMAT,
                             "%s:%d: expected three numbers 'epochs lr batch' (e.g. '5 1e-3 10'), "
                             "found %s%d", src, line_no, n_tok == 4 ? "more than " : "", n_tok == 4 ? 3 : n_tok);
      JxStage st = { 0 };
      if (parse_count (tok[0], &st.epochs) != 0)
        return jx_error_set (err, JX_ERR_FORMAT,
                             "%s:%d: epochs '%s' is not a whole number ≥ 1", src, line_no, tok[0]);
      char *end;
      errno = 0;
      st.learning_rate = strtod (tok[1], &end);
      if (errno != 0 || *end != '\0' || !isfinite (st.learning_rate) || st.learning_rate <= 0)
        return jx_error_set (err, JX_ERR_FORMAT,
                             "%s:%d: learning rate '%s' is not a positive number (e.g. 1e-3)",
                             src, line_no, tok[1]);
      if (parse_count (tok[2], &st.batch_size) != 0)
        return jx_error_set (err, JX_ERR_FORMAT,
                             "%s:%d: batch size '%s' is not a whole number ≥ 1", src, line_no, tok[2]);
      if (s->n_stages == JX_SCHEDULE_MAX_STAGES)
        return jx_error_set (err, JX_ERR_FORMAT, "%s:%d: too many stages (at most %d)",
                             src, line_no, JX_SCHEDULE_MAX_STAGES);
      s->stages[s->n_stages++] = st;
    }
  if (s->n_stages == 0)
    return jx_error_set (err, JX_ERR_FORMAT,
                         "%s: no stages: write one line 'epochs lr batch' per stage", src);
  return 0;
}

int
jx_schedule_read_file (JxSchedule *s, const char *path, JxError *err)
{
  FILE *f = fopen (path, "r");
  if (f == NULL)
    return jx_error_set (err, JX_ERR_IO, "%s: cannot open schedule file: %s "
                         "(use 'paper', 'fast' or a file of 'epochs lr batch' lines)",
                         path, strerror (errno));
  size_t cap = 4096, len = 0;
  char *buf = malloc (cap);
  int rc = 0;
  while (buf != NULL)
    {
      size_t got = fread (buf + len, 1, cap - 1 - len, f);
      len += got;
      if (got == 0)
        break;
      if (len + 1 == cap)
        {
          if (cap > (1u << 20))
            {
              rc = jx_error_set (err, JX_ERR_FORMAT, "%s: schedule file larger than 1 MiB", path);
              break;
            }
          char *nb = realloc (buf, cap * 2);
          if (nb == NULL)
            {
              free (buf);
              buf = NULL;
              break;
            }
          buf = nb;
          cap *= 2;
        }
    }
  if (buf == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory reading the schedule", path);
  else if (rc == 0 && ferror (f))
    rc = jx_error_set (err, JX_ERR_IO, "%s: cannot read schedule file", path);
  fclose (f);
  if (rc == 0)
    {
      buf[len] = '\0';
      rc = jx_schedule_parse (s, buf, path, err);
    }
  free (buf);
  return rc;
}

int
jx_schedule_from_name (JxSchedule *s, const char *name, JxError *err)
{
  if (name == NULL || strcmp (name, "paper") == 0)
    jx_schedule_paper (s);
  else if (strcmp (name, "fast") == 0)
    jx_schedule_fast (s);
  else
    return jx_schedule_read_file (s, name, err);
  return 0;
}

void
jx_schedule_format (const JxSchedule *s, char *buf, size_t cap)
{
  size_t used = 0;
  if (cap > 0)
    buf[0] = '\0';
  for (size_t i = 0; i < s->n_stages && used < cap; i++)
    {
      int w = snprintf (buf + used, cap - used, "%d %.17g %d\n", s->stages[i].epochs,
                        s->stages[i].learning_rate, s->stages[i].batch_size);
      if (w < 0)
        break;
      used += (size_t) w;
    }
}

int
jx_schedule_total_epochs (const JxSchedule *s)
{
  int total = 0;
  for (size_t i = 0; i < s->n_stages; i++)
    total += s->stages[i].epochs;
  return total;
}

const JxStage *
jx_schedule_stage_at (const JxSchedule *s, int epoch, size_t *stage_index)
{
  int start = 0;
  size_t i = 0;
  for (; i + 1 < s->n_stages; i++)
    {
      if (epoch < start + s->stages[i].epochs)
        break;
      start += s->stages[i].epochs;
    }
  if (stage_index != NULL)
    *stage_index = i;
  return &s->stages[i];
}

void
jx_schedule_set_total_epochs (JxSchedule *s, int epochs)
{
  if (s->n_stages == 0 || epochs < 1)
    return;
  int start = 0;
  for (size_t i = 0; i < s->n_stages; i++)
    {
      if (start + s->stages[i].epochs >= epochs || i + 1 == s->n_stages)
        {
          s->stages[i].epochs = epochs - start;
          s->n_stages = i + 1;
          return;
        }
      start += s->stages[i].epochs;
    }
}
