/* jx-test-train.h — what the trainer's tests (test-train.c, test-train-stream.c) share: the
 * same small random jets, the mean energy a tiny model is scaled by, and bitwise model
 * equality. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "jx-dataset.h"
#include "jx-model.h"
#include "jx-test-jets.h"

#define JX_TEST_NO_LONG_JET ((size_t) -1)
#define JX_TEST_LONG_JET_SIZE 20

/* n_jets random jets of 3–10 particles; jet long_jet (or none: JX_TEST_NO_LONG_JET) has
 * JX_TEST_LONG_JET_SIZE particles instead, longer than the tests' M = 16. */
static inline void
jx_test_train_jets (JxDataset *ds, size_t n_jets, uint64_t seed, size_t long_jet)
{
  JxRng rng;
  jx_rng_seed (&rng, seed, 0);
  jx_dataset_init (ds);
  JxP4 p[JX_TEST_LONG_JET_SIZE];
  for (size_t i = 0; i < n_jets; i++)
    {
      size_t n = i == long_jet ? JX_TEST_LONG_JET_SIZE : 3 + jx_rng_below (&rng, 8);
      jx_test_random_jet (&rng, n, p);
      jx_dataset_append (ds, p, n, NULL);
    }
}

static inline double
jx_test_mean_energy (const JxDataset *ds)
{
  double s = 0;
  for (size_t i = 0; i < ds->n_jets; i++)
    for (size_t k = 0; k < jx_dataset_jet_size (ds, i); k++)
      s += jx_dataset_jet (ds, i)[k].E;
  return s / (double) ds->n_jets;
}

/* Both models exist and have the same parameters to the bit. */
static inline bool
jx_test_same_params (JxModel *a, JxModel *b)
{
  if (a == NULL || b == NULL)
    return false;
  size_t n = jx_model_n_params (a);
  return n == jx_model_n_params (b)
         && memcmp (jx_model_params (a), jx_model_params (b), n * sizeof (float)) == 0;
}
