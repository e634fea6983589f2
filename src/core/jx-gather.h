/* jx-gather.h — the parts of an output the ranks of a job computed (jx-comm.h), collected on
 * rank 0 in rank order, so that it writes one file: the scores of `junipr eval` and the
 * samples of `junipr sample` under mpirun. The parts arrive point to point in pieces, so
 * their size has no limit but rank 0's memory.
 *
 * Collective. Rank r's part holds the output for items r-th in order (ranks' parts tile the
 * whole); on rank 0 *whole then equals what one process computing everything gives, and the
 * other ranks' *whole stays empty. Every rank returns the same status. */
#pragma once

#include "jx-comm.h"
#include "jx-error.h"
#include "jx-sample.h"
#include "jx-scores.h"

/* The attributes are part's (the same on every rank). */
int jx_scores_gather (const JxComm *c, const JxScores *part, JxScores *whole, JxError *err);

/* Without attributes (set them on rank 0 after); the counts of truncated, stuck and redrawn
 * are the sums. */
int jx_sample_set_gather (const JxComm *c, const JxSampleSet *part, JxSampleSet *whole,
                          JxError *err);
