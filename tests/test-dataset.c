/* Unit tests for jx-dataset: in-memory building, physical validation. */
#include <string.h>

#include "jx-dataset.h"
#include "jx-test.h"

static void
test_empty (void)
{
  JxDataset ds;
  jx_dataset_init (&ds);
  JX_CHECK_INT (ds.n_jets, 0);
  JX_CHECK_INT (jx_dataset_n_particles (&ds), 0);
  JX_CHECK_INT (ds.offsets[0], 0);
  jx_dataset_free (&ds);
  jx_dataset_free (&ds);  /* freeing twice is harmless: free re-initializes */
  JX_CHECK_INT (ds.offsets[ds.n_jets], 0);
}

static void
test_append_grows (void)
{
  JxDataset ds;
  JxError err = { 0 };
  jx_dataset_init (&ds);
  JxP4 buf[7];
  size_t total = 0;
  for (size_t i = 0; i < 5000; i++)
    {
      size_t n = i % 7 + 1;
      for (size_t k = 0; k < n; k++)
        buf[k] = jx_p4 ((double) i + 1, (double) k, 0, 0);
      JX_CHECK_INT (jx_dataset_append (&ds, buf, n, &err), 0);
      total += n;
    }
  JX_CHECK_INT (ds.n_jets, 5000);
  JX_CHECK_INT (jx_dataset_n_particles (&ds), total);
  int ok = 1;
  for (size_t i = 0; i < ds.n_jets; i++)
    {
      if (jx_dataset_jet_size (&ds, i) != i % 7 + 1)
        ok = 0;
      const JxP4 *jet = jx_dataset_jet (&ds, i);
      for (size_t k = 0; k < jx_dataset_jet_size (&ds, i); k++)
        if (jet[k].E != (double) i + 1 || jet[k].px != (double) k)
          ok = 0;
    }
  JX_CHECK (ok);

  /* Columns added late cover the earlier jets with defaults and follow later appends. */
  JX_CHECK_INT (jx_dataset_ensure_labels (&ds, &err), 0);
  JX_CHECK_INT (jx_dataset_ensure_weights (&ds, &err), 0);
  JX_CHECK_INT (ds.labels[4999], 0);
  JX_CHECK (ds.weights[0] == 1.0 && ds.weights[4999] == 1.0);
  ds.labels[3] = 7;
  for (int i = 0; i < 3000; i++)
    JX_CHECK_INT (jx_dataset_append_labeled (&ds, buf, 2, i, 0.5 * i, &err), 0);
  JX_CHECK_INT (ds.n_jets, 8000);
  JX_CHECK_INT (ds.labels[3], 7);
  JX_CHECK_INT (ds.labels[7999], 2999);
  JX_CHECK (ds.weights[7999] == 0.5 * 2999);
  JX_CHECK_INT (jx_dataset_append (&ds, buf, 1, &err), 0);
  JX_CHECK_INT (ds.labels[8000], 0);
  JX_CHECK (ds.weights[8000] == 1.0);
  jx_dataset_free (&ds);

  /* An empty jet can be stored (validation is separate). */
  jx_dataset_init (&ds);
  JX_CHECK_INT (jx_dataset_reserve (&ds, 10, 100, &err), 0);
  JX_CHECK_INT (jx_dataset_append (&ds, NULL, 0, &err), 0);
  JX_CHECK_INT (jx_dataset_jet_size (&ds, 0), 0);
  jx_dataset_free (&ds);
}

static void
test_attrs (void)
{
  JxDataset ds;
  JxError err = { 0 };
  jx_dataset_init (&ds);
  JX_CHECK (jx_dataset_get_attr (&ds, "generator") == NULL);
  JX_CHECK_INT (jx_dataset_set_attr (&ds, "generator", "qq", &err), 0);
  JX_CHECK_INT (jx_dataset_set_attr (&ds, "seed", "42", &err), 0);
  JX_CHECK_INT (jx_dataset_set_attr (&ds, "generator", "zz", &err), 0);
  JX_CHECK_INT (ds.n_attrs, 2);
  JX_CHECK (strcmp (jx_dataset_get_attr (&ds, "generator"), "zz") == 0);
  JX_CHECK (strcmp (jx_dataset_get_attr (&ds, "seed"), "42") == 0);
  JX_CHECK_INT (jx_dataset_set_attr (&ds, "format", "x", &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "reserved") != NULL);
  jx_dataset_free (&ds);
}

typedef struct {
  const char *name;
  JxP4 p[3];
  size_t n;
  int status;
  const char *words[3];  /* all must appear in the message */
} ValidateCase;

static void
test_validate (void)
{
  const ValidateCase cases[] = {
    { "one massless particle", { { 10, 0, 0, 10 } }, 1, 0, { NULL } },
    { "massive pair", { { 10, 0, 0, 9 }, { 5, 3, 0, 0 } }, 2, 0, { NULL } },
    { "rounding above E", { { 10, 0, 0, 10 * (1 + 1e-9) } }, 1, 0, { NULL } },
    { "zero vector", { { 0, 0, 0, 0 } }, 1, 0, { NULL } },
    { "empty", { { 0, 0, 0, 0 } }, 0, JX_ERR_INVALID, { "jet 12", "no particles" } },
    { "NaN", { { 1, 0, 0, 0 }, { NAN, 0, 0, 0 } }, 2, JX_ERR_INVALID,
      { "jet 12", "particle 1", "finite" } },
    { "Inf", { { 1, 0, INFINITY, 0 } }, 1, JX_ERR_INVALID, { "jet 12", "particle 0", "finite" } },
    { "negative E", { { 5, 0, 0, 1 }, { 5, 0, 0, 1 }, { -1, 0, 0, 0 } }, 3, JX_ERR_INVALID,
      { "particle 2", "negative energy" } },
    { "spacelike", { { 1, 0, 0, 2 } }, 1, JX_ERR_INVALID, { "jet 12", "energy below momentum" } },
    { "spacelike by 1e-5", { { 1, 0, 0, 1 + 1e-5 } }, 1, JX_ERR_INVALID, { "below" } },
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    {
      JxError err = { 0 };
      int rc = jx_jet_validate (cases[c].p, cases[c].n, 12, &err);
      JX_CHECK_MSG (rc == cases[c].status, "%s: status %d, expected %d (%s)", cases[c].name, rc,
                    cases[c].status, err.message);
      for (int w = 0; w < 3 && cases[c].words[w] != NULL; w++)
        JX_CHECK_MSG (strstr (err.message, cases[c].words[w]) != NULL, "%s: '%s' not in '%s'",
                      cases[c].name, cases[c].words[w], err.message);
    }
}

int
main (void)
{
  test_empty ();
  test_append_grows ();
  test_attrs ();
  test_validate ();
  JX_TEST_MAIN_END ("dataset");
}
