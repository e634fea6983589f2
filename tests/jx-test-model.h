/* jx-test-model.h — toy-sized JUNIPR models for the tests: the paper's structure with
 * hidden 6, dense 5 and G = 4 cells per coordinate, so every step is cheap and a whole
 * distribution can be checked by sampling. */
#pragma once

#include <stdio.h>
#include <stdlib.h>

#include "jx-model.h"

static inline void
jx_test_model_config (JxModelConfig *cfg, JxBranchKind kind, int max_mult)
{
  jx_model_config_default (cfg);
  cfg->branch = kind;
  cfg->hidden = 6;
  cfg->dense = 5;
  cfg->grid = 4;
  cfg->max_mult = max_mult;
}

/* A new model of cfg with its weights multiplied by sharpen (> 1: less uniform outputs);
 * exits on failure, which only a broken build can cause. */
static inline JxModel *
jx_test_model_new (const JxModelConfig *cfg, uint64_t seed, float sharpen)
{
  JxModel *m = NULL;
  JxError err = { 0 };
  if (jx_model_new (cfg, seed, &m, &err) != 0)
    {
      fprintf (stderr, "test model: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
  float *p = jx_model_params (m);
  for (size_t i = 0; i < jx_model_n_params (m); i++)
    p[i] *= sharpen;
  return m;
}
