/* Unit tests for the authors' JuniprJets JSON: export → import round trips (momenta and
 * re-clustered branchings within 1e-9), jets rebuilt around +z when the file does not say
 * where the jet pointed (the authors' files), a hand-computed 6-digit file, and refusal of
 * bad files with the file, jet and line named. */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jx-dataset.h"
#include "jx-export-json.h"
#include "jx-import.h"
#include "jx-rng.h"
#include "jx-test-jets.h"
#include "jx-test.h"
#include "jx-test-tmp.h"
#include "jx-tree.h"

static char *
read_all (const char *path, size_t *len)
{
  FILE *f = fopen (path, "rb");
  fseek (f, 0, SEEK_END);
  *len = (size_t) ftell (f);
  fseek (f, 0, SEEK_SET);
  char *s = malloc (*len + 1);
  *len = fread (s, 1, *len, f);
  s[*len] = '\0';
  fclose (f);
  return s;
}

/* Export with the trees' final particles = the dataset's (no subjet step). */
static int
export_plain (const JxDataset *ds, const char *name, JxAlgorithm algorithm, JxExportStats *st)
{
  JxExportJsonOptions opt;
  JxError err = { 0 };
  jx_export_json_options_init (&opt);
  opt.clustering.algorithm = algorithm;
  opt.clustering.esub = opt.clustering.rsub = 0;
  int rc = jx_export_junipr_json (ds, tmp_path (name), &opt, st, NULL, &err);
  JX_CHECK_MSG (rc == 0, "export %s: %s", name, err.message);
  return rc;
}

/* Random jets (jx-test-jets.h) with labels 0/1, and a few single-particle ones. */
static void
make_jets (JxDataset *ds, size_t n_jets, uint64_t seed)
{
  JxRng rng;
  JxError err;
  jx_rng_seed (&rng, seed, 0);
  jx_dataset_init (ds);
  JxP4 p[60];
  for (size_t i = 0; i < n_jets; i++)
    {
      size_t n = i % 17 == 5 ? 1 : 2 + jx_rng_below (&rng, 58);
      jx_test_random_jet (&rng, n, p);
      jx_dataset_append_labeled (ds, p, n, (int32_t) (i % 2), 1.0, &err);
    }
}

/* Drop our jet_axis field, so the file reads like one of the authors'. */
static void
strip_axis (const char *in, const char *out)
{
  size_t len;
  char *s = read_all (in, &len);
  FILE *f = fopen (out, "w");
  for (char *p = s, *q; *p; p = q)
    {
      q = strstr (p, ",\n\t\"jet_axis\"");
      if (q == NULL)
        {
          fputs (p, f);
          break;
        }
      fwrite (p, 1, (size_t) (q - p), f);
      q = strchr (q, ']') + 1;
    }
  fclose (f);
  free (s);
}

typedef struct {
  double z, theta, phi, delta;
  int mother;
} Step;

static double
dphi (double a, double b)
{
  double d = fabs (a - b);
  return fmin (d, 2 * M_PI - d);
}

/* Compare the trees of two datasets jet by jet: the largest difference of z, θ, δ (returned)
 * and of φ over the steps t ≤ phi_last (*max_phi; SIZE_MAX = all steps, 1 = the root's). */
static double
compare_trees (const JxDataset *a, const JxDataset *b, JxAlgorithm algo, size_t phi_last,
               double *max_phi)
{
  JxClusterOptions opt;
  jx_cluster_options_default (&opt);
  opt.algorithm = algo;
  opt.esub = opt.rsub = 0;
  JxTree ta = { 0 }, tb = { 0 };
  JxError err;
  double worst = 0;
  *max_phi = 0;
  JX_CHECK_INT (a->n_jets, b->n_jets);
  for (size_t i = 0; i < a->n_jets && i < b->n_jets; i++)
    {
      JX_CHECK_INT (jx_tree_build (&ta, jx_dataset_jet (a, i), jx_dataset_jet_size (a, i), &opt,
                                   NULL, &err), 0);
      JX_CHECK_INT (jx_tree_build (&tb, jx_dataset_jet (b, i), jx_dataset_jet_size (b, i), &opt,
                                   NULL, &err), 0);
      JX_CHECK_INT (ta.n, tb.n);
      for (size_t t = 0; t + 1 < ta.n && ta.n == tb.n; t++)
        {
          const JxStep *x = &ta.steps[t], *y = &tb.steps[t];
          JX_CHECK_INT (x->mother_index, y->mother_index);
          worst = fmax (worst, fabs (x->x.z - y->x.z));
          worst = fmax (worst, fabs (x->x.theta - y->x.theta));
          worst = fmax (worst, fabs (x->x.delta - y->x.delta));
          if (t + 1 <= phi_last)
            *max_phi = fmax (*max_phi, dphi (x->x.phi, y->x.phi));
        }
      jx_tree_free (&ta);
      jx_tree_free (&tb);
    }
  return worst;
}

static void
test_round_trip (void)
{
  JxDataset ds, back;
  JxError err = { 0 };
  make_jets (&ds, 400, 11);
  for (int algo = JX_ALGO_CA; algo <= JX_ALGO_ANTIKT; algo++)
    {
      JxExportStats st;
      export_plain (&ds, "rt.json", (JxAlgorithm) algo, &st);
      JX_CHECK_INT (st.n_jets, 400);
      JX_CHECK_INT (st.n_single, 24);  /* i % 17 == 5 for i < 400 */
      JxImportStats ist;
      JX_CHECK_INT (jx_import (&back, tmp_path ("rt.json"), NULL, &ist, NULL, &err), 0);
      JX_CHECK_INT (ist.format, JX_IMPORT_JUNIPR_JSON);
      JX_CHECK_INT (back.n_jets, ds.n_jets);
      JX_CHECK (back.labels != NULL);
      double worst_p = 0;
      for (size_t i = 0; i < ds.n_jets && back.n_jets == ds.n_jets; i++)
        {
          JX_CHECK_INT (jx_dataset_jet_size (&back, i), jx_dataset_jet_size (&ds, i));
          JX_CHECK_INT (back.labels[i], ds.labels[i]);
          const JxP4 *p = jx_dataset_jet (&ds, i), *q = jx_dataset_jet (&back, i);
          for (size_t k = 0; k < jx_dataset_jet_size (&ds, i); k++)
            worst_p = fmax (worst_p, fmax (fabs (p[k].px - q[k].px) / p[k].E,
                                           fmax (fabs (p[k].pz - q[k].pz) / p[k].E,
                                                 fabs (p[k].E - q[k].E) / p[k].E)));
        }
      JX_CHECK_MSG (worst_p < 1e-12, "algorithm %d: momenta differ by %g of E", algo, worst_p);
      double max_phi;
      double worst = compare_trees (&ds, &back, (JxAlgorithm) algo, SIZE_MAX, &max_phi);
      JX_CHECK_MSG (worst < 1e-9 && max_phi < 1e-9, "algorithm %d: z/θ/δ %g, φ %g", algo, worst,
                    max_phi);
      JX_CHECK (strstr (jx_dataset_get_attr (&back, "import_axis"), "jet_axis") != NULL);
      jx_dataset_free (&back);
    }
  jx_dataset_free (&ds);
}

/* Without jet_axis (the authors' files) the jet comes back around +z: the same energies and
 * opening angles, z, θ, δ and the mother choices; φ only for the root's split (measured around
 * the jet axis in both), unless the original axis was perpendicular to y. */
static void
test_axis_along_z (void)
{
  JxDataset ds, back;
  JxError err = { 0 };
  make_jets (&ds, 200, 12);
  export_plain (&ds, "ax.json", JX_ALGO_CA, NULL);
  strip_axis (tmp_path ("ax.json"), tmp_path ("ax-authors.json"));
  JX_CHECK_INT (jx_import (&back, tmp_path ("ax-authors.json"), NULL, NULL, NULL, &err), 0);
  JX_CHECK (strstr (jx_dataset_get_attr (&back, "import_axis"), "+z") != NULL);
  double worst_angle = 0, worst_axis = 0;
  for (size_t i = 0; i < back.n_jets; i++)
    {
      size_t n = jx_dataset_jet_size (&back, i);
      const JxP4 *p = jx_dataset_jet (&ds, i), *q = jx_dataset_jet (&back, i);
      JxP4 sum = jx_p4 (0, 0, 0, 0);
      for (size_t k = 0; k < n; k++)
        {
          sum = jx_p4_add (sum, q[k]);
          for (size_t l = 0; l < k; l++)
            worst_angle = fmax (worst_angle, fabs (jx_p4_angle (p[k], p[l])
                                                   - jx_p4_angle (q[k], q[l])));
        }
      if (n > 1)
        worst_axis = fmax (worst_axis, hypot (sum.px, sum.py) / jx_p4_p (sum));
    }
  JX_CHECK_MSG (worst_angle < 1e-9, "opening angles differ by %g", worst_angle);
  JX_CHECK_MSG (worst_axis < 1e-12, "jet axis off z by %g rad", worst_axis);
  double max_phi;
  double worst = compare_trees (&ds, &back, JX_ALGO_CA, SIZE_MAX, &max_phi);
  JX_CHECK_MSG (worst < 1e-9, "z/θ/δ differ by %g", worst);
  JX_CHECK_MSG (max_phi > 1e-3, "later φ should depend on the lost jet direction (max %g)",
                max_phi);
  compare_trees (&ds, &back, JX_ALGO_CA, 1, &max_phi);
  JX_CHECK_MSG (max_phi < 1e-9, "the root's φ differs by %g", max_phi);
  jx_dataset_free (&back);

  /* The same jets turned about z so that their axes lie in the x–z plane: no information is
   * lost and every φ comes back. */
  for (size_t i = 0; i < ds.n_jets; i++)
    {
      JxP4 sum = jx_p4 (0, 0, 0, 0);
      size_t n = jx_dataset_jet_size (&ds, i);
      JxP4 *p = ds.particles + ds.offsets[i];
      for (size_t k = 0; k < n; k++)
        sum = jx_p4_add (sum, p[k]);
      double a = -atan2 (sum.py, sum.px), c = cos (a), s = sin (a);
      for (size_t k = 0; k < n; k++)
        p[k] = jx_p4 (p[k].E, c * p[k].px - s * p[k].py, s * p[k].px + c * p[k].py, p[k].pz);
    }
  export_plain (&ds, "xz.json", JX_ALGO_CA, NULL);
  strip_axis (tmp_path ("xz.json"), tmp_path ("xz-authors.json"));
  JX_CHECK_INT (jx_import (&back, tmp_path ("xz-authors.json"), NULL, NULL, NULL, &err), 0);
  worst = compare_trees (&ds, &back, JX_ALGO_CA, SIZE_MAX, &max_phi);
  JX_CHECK_MSG (worst < 1e-9 && max_phi < 1e-9, "x–z plane jets: z/θ/δ %g, φ %g", worst, max_phi);
  jx_dataset_free (&back);
  jx_dataset_free (&ds);
}

/* A jet as the authors' converter prints it (6 significant digits), by hand: two massless
 * particles at θ = ±0.1 rad from the axis in the x–z plane, E = 30 and 10 GeV. Jet axis
 * along z ⇒ p1 = 30 (sin 0.1, 0, cos 0.1) with φ = 0, p2 = 10 (sin 0.1 at φ = π, 0, cos 0.1).
 * (The jet's own direction is tilted towards the harder one, but the file gives angles from
 * the true axis; values below are those of a hypothetical file and only need to add up.) */
static const char authors_jet[] =
  "{\n \"JuniprJets\" : [\n {\n\t\"label\" : 1,\n\t\"multiplicity\" : 2,\n"
  "\t\"n_branchings\" : 1,\n\t\"seed_momentum\" :[ 40 , 0 , 0 , 3.99833 ],\n"
  "\t\"CSJets\" : [\n\t\t[ 30 , 0.05 , 0 , 0 ],\n\t\t[ 10 , 0.15 , 3.14159 , -0.000123 ],\n"
  "\t\t[ 40 , 0 , 0 , 3.99833 ]],\n"
  "\t\"CS_ID_intermediate_states\": [\n\t\t[ 2 ],\n\t\t[ 0 , 1 ]],\n"
  "\t\"mothers_id_energy_order\": [ 0 ],\n\t\"CS_ID_mothers\": [ 2 ],\n"
  "\t\"CS_ID_daughters\": [\n\t\t[ 0 , 1 ]],\n"
  "\t\"branchings\" : [\n\t\t[ 0.25 , 0.15 , 3.14159 , 0.05 ]],\n"
  "\t\"mother_momenta\" : [\n\t\t[ 40 , 0 , 0 , 3.99833 ]],\n"
  "\t\"daughter_momenta\" : [\n\t\t[[ 30 , 0.05 , 0 , 0 ] , [ 10 , 0.15 , 3.14159 , -0.000123 ] ]]\n"
  "}\n ],\n \"other\": {\"x\": [1, 2, {\"y\": null}]}\n}\n";

static void
test_authors_file (void)
{
  JxDataset ds;
  JxError err = { 0 };
  /* With a byte order mark, as some Windows tools write. */
  char text[sizeof authors_jet + 3] = "\xef\xbb\xbf";
  strcat (text, authors_jet);
  write_text (tmp_path ("authors.json"), text);
  JxImportFormat f;
  JX_CHECK_INT (jx_import_detect (tmp_path ("authors.json"), &f, &err), 0);
  JX_CHECK_INT (f, JX_IMPORT_JUNIPR_JSON);
  JX_CHECK_INT (jx_import (&ds, tmp_path ("authors.json"), NULL, NULL, NULL, &err), 0);
  JX_CHECK_INT (ds.n_jets, 1);
  JX_CHECK (ds.labels != NULL && ds.labels[0] == 1);
  const JxP4 *p = jx_dataset_jet (&ds, 0);
  JX_CHECK_CLOSE (p[0].E, 30, 0, 0);
  JX_CHECK_CLOSE (p[0].px, 30 * sin (0.05), 1e-15, 0);
  JX_CHECK_CLOSE (p[0].py, 0, 0, 0);
  JX_CHECK_CLOSE (p[0].pz, 30 * cos (0.05), 1e-15, 0);
  /* m = −0.000123: |p| = sqrt(E² + m²), a spacelike vector within the validation's slack. */
  double p2 = sqrt (100 + 0.000123 * 0.000123);
  JX_CHECK_CLOSE (p[1].px, p2 * sin (0.15) * cos (3.14159), 1e-15, 0);
  JX_CHECK_CLOSE (p[1].py, p2 * sin (0.15) * sin (3.14159), 1e-15, 1e-18);
  JX_CHECK_CLOSE (p[1].pz, p2 * cos (0.15), 1e-15, 0);
  jx_dataset_free (&ds);
}

/* One line per bad file, naming the file, the jet and the line. */
static void
check_refused (const char *name, const char *text, int code, const char *needle)
{
  JxDataset ds;
  JxError err = { 0 };
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = JX_IMPORT_JUNIPR_JSON;
  write_text (tmp_path (name), text);
  int rc = jx_import (&ds, tmp_path (name), &opt, NULL, NULL, &err);
  JX_CHECK_MSG (rc == code, "%s: rc %d, expected %d (%s)", name, rc, code, err.message);
  JX_CHECK_MSG (strstr (err.message, needle) != NULL && strstr (err.message, name) != NULL
                && strchr (err.message, '\n') == NULL,
                "%s: message '%s' lacks '%s' or the file name", name, err.message, needle);
  JX_CHECK_INT (ds.n_jets, 0);
}

#define JET2(extra) "{\"multiplicity\": 2, \"label\": 0, \"CSJets\": [[3, 0.1, 0, 0], " \
                    "[1, 0.3, 3, 0], [4, 0, 0, 0.39]]" extra "}"

static void
test_bad_files (void)
{
  check_refused ("empty.json", "", JX_ERR_FORMAT, "empty");
  check_refused ("array.json", "[1, 2]", JX_ERR_FORMAT, "expected '{'");
  check_refused ("nokey.json", "{\"jets\": []}", JX_ERR_FORMAT, "no 'JuniprJets'");
  check_refused ("trunc.json", "{\"JuniprJets\": [" JET2 ("") ",\n{\"multiplicity\": 2, ",
                 JX_ERR_FORMAT, "line 2");
  check_refused ("syntax.json", "{\"JuniprJets\": [\n" JET2 ("") ",\n" JET2 (",,") "]}",
                 JX_ERR_FORMAT, ":3: not valid JSON");
  check_refused ("sep.json", "{\"JuniprJets\": [" JET2 ("") " " JET2 ("") "]}", JX_ERR_FORMAT,
                 "',' or ']'");
  check_refused ("len.json", "{\"JuniprJets\": [{\"multiplicity\": 3, \"CSJets\": [[1, 0, 0, 0]]}]}",
                 JX_ERR_FORMAT, "jet 0 (line 1): 'CSJets' has 1 entries, expected");
  check_refused ("nomult.json", "{\"JuniprJets\": [{\"CSJets\": []}]}", JX_ERR_FORMAT,
                 "no 'multiplicity'");
  check_refused ("order.json", "{\"JuniprJets\": [{\"multiplicity\": 2, \"CSJets\": "
                 "[[4, 0, 0, 0.39], [3, 0.1, 0, 0], [1, 0.3, 3, 0]]}]}", JX_ERR_FORMAT,
                 "final particles first");
  check_refused ("labels.json", "{\"JuniprJets\": [" JET2 ("") ", {\"multiplicity\": 1, "
                 "\"CSJets\": [[1, 0, 0, 0]]}]}", JX_ERR_FORMAT, "jet 1 (line 1): has no 'label'");
  check_refused ("mass.json", "{\"JuniprJets\": [{\"multiplicity\": 1, \"CSJets\": "
                 "[[1, 0, 0, 2]]}]}", JX_ERR_FORMAT, "mass 2 above its energy 1");
  check_refused ("spacelike.json", "{\"JuniprJets\": [{\"multiplicity\": 1, \"CSJets\": "
                 "[[1, 0, 0, -0.5]]}]}", JX_ERR_INVALID, "jet 0");
  check_refused ("after.json", "{\"JuniprJets\": []} x", JX_ERR_FORMAT, "after the end");
  check_refused ("twice.json", "{\"JuniprJets\": [" JET2 ("") "], \"JuniprJets\": []}",
                 JX_ERR_FORMAT, "second 'JuniprJets'");
  check_refused ("none.json", "{\"JuniprJets\": []}", JX_ERR_FORMAT, "no valid jets");
  check_refused ("axis.json", "{\"JuniprJets\": [" JET2 (", \"jet_axis\": [0, 0]") "]}",
                 JX_ERR_FORMAT, "'jet_axis' is not 3 finite numbers");

  /* A jet at rest within 6 digits: m a hair above E gives |p| = 0, not an error. */
  JxDataset ds;
  JxError err = { 0 };
  write_text (tmp_path ("rest.json"), "{\"JuniprJets\": [{\"multiplicity\": 1, \"CSJets\": "
              "[[0.13957, 0, 0, 0.139571]]}]}");
  JX_CHECK_INT (jx_import (&ds, tmp_path ("rest.json"), NULL, NULL, NULL, &err), 0);
  JX_CHECK (ds.n_jets == 1 && jx_dataset_jet (&ds, 0)[0].pz == 0);
  JX_CHECK (ds.labels == NULL);
  jx_dataset_free (&ds);

  /* --skip-bad drops jets with bad content (counted), not broken syntax. */
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.skip_bad = true;
  JxImportStats st;
  write_text (tmp_path ("skip.json"), "{\"JuniprJets\": [" JET2 ("") ", {\"multiplicity\": 5},\n"
              JET2 ("") ", {\"multiplicity\": 1, \"label\": 1, \"CSJets\": [[1, 0, 0, 2]]}]}");
  JX_CHECK_INT (jx_import (&ds, tmp_path ("skip.json"), &opt, &st, NULL, &err), 0);
  JX_CHECK_INT (ds.n_jets, 2);
  JX_CHECK_INT (st.n_skipped, 2);
  JX_CHECK (strstr (st.first_skipped, "jet 1 (line 1)") != NULL);
  jx_dataset_free (&ds);

  /* max_jets stops reading: what follows is never looked at. */
  opt.skip_bad = false;
  opt.max_jets = 1;
  write_text (tmp_path ("max.json"), "{\"JuniprJets\": [" JET2 ("") ", garbage");
  JX_CHECK_INT (jx_import (&ds, tmp_path ("max.json"), &opt, &st, NULL, &err), 0);
  JX_CHECK_INT (ds.n_jets, 1);
  jx_dataset_free (&ds);
}

static void
cancel_at_once (void *user, double done, double total, const char *message)
{
  jx_progress_cancel (user);
}

static void
test_export_errors (void)
{
  JxDataset ds;
  JxError err = { 0 };
  make_jets (&ds, 50, 13);
  /* A jet whose particles are all below E_sub cannot be clustered (the random jets' are all
   * above 0.1 GeV). */
  JxP4 soft[2] = { jx_p4 (0.05, 0, 0, 0.05), jx_p4 (0.04, 0.04, 0, 0) };
  jx_dataset_append_labeled (&ds, soft, 2, 0, 1.0, &err);
  JxExportJsonOptions opt;
  jx_export_json_options_init (&opt);
  opt.clustering.esub = 0.09;
  opt.clustering.rsub = 0;
  JX_CHECK_INT (jx_export_junipr_json (&ds, tmp_path ("soft.json"), &opt, NULL, NULL, &err),
                JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "jet 50: no particle survives") != NULL);
  JX_CHECK (access (tmp_path ("soft.json"), F_OK) != 0);
  opt.skip_bad = true;
  JxExportStats st;
  JX_CHECK_INT (jx_export_junipr_json (&ds, tmp_path ("soft.json"), &opt, &st, NULL, &err), 0);
  JX_CHECK_INT (st.n_jets, 50);
  JX_CHECK_INT (st.n_skipped, 1);
  opt.max_jets = 7;
  JX_CHECK_INT (jx_export_junipr_json (&ds, tmp_path ("seven.json"), &opt, &st, NULL, &err), 0);
  JX_CHECK_INT (st.n_jets, 7);

  JxProgress progress;
  jx_progress_init (&progress, cancel_at_once, &progress);
  JX_CHECK_INT (jx_export_junipr_json (&ds, tmp_path ("cancel.json"), &opt, NULL, &progress,
                                       &err), JX_ERR_CANCELLED);
  JX_CHECK (access (tmp_path ("cancel.json"), F_OK) != 0);
  JX_CHECK_INT (jx_export_junipr_json (&ds, tmp_path ("nodir/x.json"), &opt, NULL, NULL, &err),
                JX_ERR_IO);
  jx_progress_init (&progress, cancel_at_once, &progress);
  JxDataset back;
  JX_CHECK_INT (jx_import (&back, tmp_path ("soft.json"), NULL, NULL, &progress, &err),
                JX_ERR_CANCELLED);
  jx_dataset_free (&ds);
}

/* Many jets: values straddle the reader's 1 MiB window boundaries. */
static void
test_large (void)
{
  JxDataset ds, back;
  JxError err = { 0 };
  make_jets (&ds, 3000, 14);
  export_plain (&ds, "large.json", JX_ALGO_CA, NULL);
  struct stat sb;
  JX_CHECK (stat (tmp_path ("large.json"), &sb) == 0 && sb.st_size > 3 * (1 << 20));
  JX_CHECK_INT (jx_import (&back, tmp_path ("large.json"), NULL, NULL, NULL, &err), 0);
  JX_CHECK_INT (back.n_jets, 3000);
  jx_dataset_free (&back);
  jx_dataset_free (&ds);
}

int
main (void)
{
  jx_test_tmp_begin ("import-json");
  test_round_trip ();
  test_axis_along_z ();
  test_authors_file ();
  test_bad_files ();
  test_export_errors ();
  test_large ();
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("import-json");
}
