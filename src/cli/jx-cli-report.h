/* jx-cli-report.h — the PDF report of `junipr validate -o REPORT.pdf` (needs the Cairo
 * drawing layer, JX_HAVE_DRAW):
 *   page 1  P_end vs state length and vs largest angle (paper Fig. 7)
 *   page 2  P_mother vs candidate index at t = T and vs angle (Fig. 8)
 *   page 3  P_branch marginals in z and θ at t = 1 and t = T (Fig. 9)
 *   page 4–6  jet mass, multiplicity and τ21 of the data against jets sampled from the
 *             model (seeded with the data's jet momenta), each with a ratio panel.
 * Model curves are lines, data points carry error bars, χ²/ndf is in each panel's title. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-dataset-stream.h"
#include "jx-dataset.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-validate.h"

#define JX_REPORT_PAGES 6

typedef struct {
  const char *model_name, *data_name;  /* for titles (file names) */
  size_t n_samples;                    /* jets sampled for pages 4–6; default 2000 */
  uint64_t seed;                       /* sampling seed; default 1 */
  int threads;                         /* ≤ 0: all CPUs */
  bool quiet;                          /* no progress display, no "wrote" line */
} JxReportOptions;

void jx_cli_report_options_default (JxReportOptions *opt);

/* Sample from model, draw the pages and write path atomically. Jets [first, last) of data:
 * the jets v was computed on (read chunk by chunk: the report holds their seeds and three
 * observables, not their particles). Prints one error line on failure; returns a CLI exit status (0, 1, or 130 when
 * cancelled with Ctrl-C). */
int jx_cli_report_write (const char *path, const JxModel *model, const JxModelMeta *meta,
                         JxDatasetStream *data, size_t first, size_t last,
                         const JxValidation *v, const JxReportOptions *opt);
