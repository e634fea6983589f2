/* jx-schedule.h — training schedules: stages of (epochs, learning rate, batch size).
 *
 * Built in:
 *  "paper" — the paper's schedule (DESIGN.md §4): 6 stages × 5 epochs, learning rates
 *            1e-2, 1e-3, 1e-4, 1e-3, 1e-4, 1e-5 with batch sizes 10, 10, 10, 100, 100, 100
 *            (30 epochs; meant for SGD).
 *  "fast"  — for demos, meant for Adam: 2 epochs at 1e-3 (batch 10), 1 epoch at 3e-4
 *            (batch 10), 1 epoch at 1e-4 (batch 100); 4 epochs in all.
 * Custom schedules are text: one stage per line, "epochs lr batch" separated by blanks;
 * '#' starts a comment; blank lines are ignored. Example:
 *     # warm-up, then large batches
 *     5  1e-2  10
 *     5  1e-3  100
 */
#pragma once

#include <stddef.h>

#include "jx-error.h"

#define JX_SCHEDULE_MAX_STAGES 64

typedef struct {
  int epochs;           /* ≥ 1 */
  double learning_rate; /* > 0 */
  int batch_size;       /* ≥ 1 */
} JxStage;

typedef struct {
  size_t n_stages;
  JxStage stages[JX_SCHEDULE_MAX_STAGES];
} JxSchedule;

void jx_schedule_paper (JxSchedule *s);
void jx_schedule_fast (JxSchedule *s);

/* Parse schedule text; errors name source (e.g. the file name) and the 1-based line. */
int jx_schedule_parse (JxSchedule *s, const char *text, const char *source, JxError *err);
int jx_schedule_read_file (JxSchedule *s, const char *path, JxError *err);
/* "paper", "fast", or else the path of a schedule file. */
int jx_schedule_from_name (JxSchedule *s, const char *name, JxError *err);

/* The text form (parseable by jx_schedule_parse; full precision). */
void jx_schedule_format (const JxSchedule *s, char *buf, size_t cap);

int jx_schedule_total_epochs (const JxSchedule *s);
/* The stage of 0-based epoch e (the last stage beyond the end); *stage_index optional. */
const JxStage *jx_schedule_stage_at (const JxSchedule *s, int epoch, size_t *stage_index);
/* Make the schedule exactly `epochs` long: cut stages off the end, or lengthen the last. */
void jx_schedule_set_total_epochs (JxSchedule *s, int epochs);
