/* Validation numbers (Figs. 7–9) on data drawn from the model itself: every curve's χ² is
 * compatible with its ndf, and the data frequencies agree with the predictions; the same data
 * against another model gives large χ². Plus the CSV layout and option checks. */
#include <string.h>
#include <unistd.h>

#include "jx-sample.h"
#include "jx-test-model.h"
#include "jx-test.h"
#include "jx-validate.h"

static JxModel *
tiny (JxBranchKind kind, uint64_t seed)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, kind, 10);
  /* narrow kinematics (z ≥ 0.4, small angles) keep the daughters massive: no redraws, so the
   * sample follows the model exactly */
  cfg.scaling.e_sub = 200;
  cfg.scaling.r_jet = 0.4;
  JxModel *m = jx_test_model_new (&cfg, seed, 2.0f);
  float *p = jx_model_params (m);
  /* end bias: mean length ~5 */
  const JxTensorInfo *b = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "end_out/bias"));
  p[b->offset] = -1.5f;
  return m;
}

static void
sampled_trees (const JxModel *m, size_t n, JxTreeSet *set, size_t *redrawn)
{
  memset (set, 0, sizeof *set);
  set->n_jets = n;
  set->trees = calloc (n, sizeof *set->trees);
  set->status = calloc (n, sizeof *set->status);
  JxModelWork *w = jx_model_work_new (m);
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  /* uniform points: massless placement would end jets where nothing can split, which the
   * model's P_end does not know about, and the check needs draws that follow the model */
  opt.cell = JX_CELL_UNIFORM;
  JxP4 seed = jx_sample_seed_along_z (500, 499.9);
  JxError err = { 0 };
  *redrawn = 0;
  for (size_t i = 0; i < n; i++)
    {
      JxRng rng;
      jx_rng_seed (&rng, 77, i);
      int nr = 0;
      if (jx_sample_jet (m, seed, &opt, &rng, w, &set->trees[i], NULL, NULL, NULL, &nr, &err) != 0)
        {
          fprintf (stderr, "%s\n", err.message);
          exit (EXIT_FAILURE);
        }
      *redrawn += (size_t) nr;
    }
  set->n_ok = n;
  jx_model_work_free (w);
}

static void
run (JxBranchKind kind)
{
  JxModel *m = tiny (kind, 5), *other = tiny (kind, 6);
  JxTreeSet set;
  size_t redrawn, N = 6000;
  sampled_trees (m, N, &set, &redrawn);
  JX_CHECK_MSG (redrawn < N / 1000, "%zu redraws", redrawn);
  JxValidationOptions opt;
  jx_validation_options_default (&opt);
  opt.t_late = 3;
  opt.max_length = 10;
  opt.angle_bins = 8;
  opt.threads = 3;
  JxValidation v, vo;
  JxError err = { 0 };
  JX_CHECK_INT (jx_validate (m, &set, &opt, &v, NULL, &err), 0);
  JX_CHECK_INT (v.n_jets, N);
  double total_other = 0, total = 0;
  int ndf_total = 0;
  JX_CHECK_INT (jx_validate (other, &set, &opt, &vo, NULL, &err), 0);
  for (int k = 0; k < JX_N_VAL_CURVES; k++)
    {
      const JxValidationCurve *c = &v.curves[k];
      JX_CHECK_MSG (c->ndf >= 2, "%s: ndf %d", c->name, c->ndf);
      JX_CHECK_MSG (c->chi2 < c->ndf + 6 * sqrt (2.0 * c->ndf) + 6, "%s: χ² %g, ndf %d", c->name,
                    c->chi2, c->ndf);
      total += c->chi2;
      ndf_total += c->ndf;
      total_other += vo.curves[k].chi2;
    }
  JX_CHECK_MSG (total_other > 10 * (ndf_total + 6 * sqrt (2.0 * ndf_total)),
                "another model: Σχ² %g for %d dof", total_other, ndf_total);
  /* P_end vs t: every state is counted once; t = 1 has every jet */
  const JxValidationCurve *e = &v.curves[JX_VAL_END_VS_LENGTH];
  JX_CHECK_INT ((size_t) e->count[0], N);
  double states = 0;
  for (int b = 0; b < e->n_bins; b++)
    states += e->count[b];
  size_t n_particles = 0;
  for (size_t i = 0; i < N; i++)
    n_particles += set.trees[i].n;
  JX_CHECK_INT ((size_t) states, n_particles);
  /* z bins: edges increasing, within (0, ½] */
  const JxValidationCurve *z = &v.curves[JX_VAL_Z_T1];
  JX_CHECK (z->x_lo[0] > 0 && z->x_hi[z->n_bins - 1] <= 0.5 + 1e-12 && z->x_lo[1] > z->x_lo[0]);
  double fsum = 0;
  for (int b = 0; b < z->n_bins; b++)
    fsum += z->count[b] > 0 ? z->data[b] * z->count[b] : 0;
  JX_CHECK_CLOSE (fsum, z->count[0], 1e-9, 0);   /* every jet with a step lands in one bin */

  char path[] = "/tmp/jx-test-validate-XXXXXX";
  int fd = mkstemp (path);
  close (fd);
  JX_CHECK_INT (jx_validation_write_csv (&v, path, &err), 0);
  FILE *f = fopen (path, "r");
  char line[512];
  int rows = 0, bins = 0;
  JX_CHECK (fgets (line, sizeof line, f) != NULL
            && strncmp (line, "curve,bin,x_lo,x_hi,model,data,data_err,count,chi2,ndf", 54) == 0);
  while (fgets (line, sizeof line, f) != NULL)
    rows++;
  fclose (f);
  for (int k = 0; k < JX_N_VAL_CURVES; k++)
    bins += v.curves[k].n_bins;
  JX_CHECK_INT (rows, bins);
  unlink (path);
  jx_validation_free (&vo);
  /* thread count: same counts, sums equal to rounding */
  opt.threads = 1;
  JX_CHECK_INT (jx_validate (m, &set, &opt, &vo, NULL, &err), 0);
  for (int k = 0; k < JX_N_VAL_CURVES; k++)
    {
      JX_CHECK_CLOSE (vo.curves[k].chi2, v.curves[k].chi2, 1e-9, 1e-12);
      for (int b = 0; b < v.curves[k].n_bins; b++)
        JX_CHECK (vo.curves[k].count[b] == v.curves[k].count[b]);
    }
  jx_validation_free (&vo);
  opt.threads = 3;
  opt.t_late = 1;
  JX_CHECK_INT (jx_validate (m, &set, &opt, &vo, NULL, &err), JX_ERR_INVALID);
  jx_validation_free (&v);
  jx_validation_free (&vo);
  for (size_t i = 0; i < N; i++)
    jx_tree_free (&set.trees[i]);
  free (set.trees);
  free (set.status);
  jx_model_free (m);
  jx_model_free (other);
}

int
main (void)
{
  run (JX_BRANCH_JOINT);
  run (JX_BRANCH_FACTORIZED);
  JX_TEST_MAIN_END ("validate");
}
