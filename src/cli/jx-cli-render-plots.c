/* jx-cli-render-plots.c — `junipr render hist|roc`: plots of whole datasets (an observable's
 * histogram for several files, with a ratio panel) and of `junipr discriminate`'s ROC table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-common.h"
#include "jx-cli-dataset.h"
#include "jx-cli-render.h"
#include "jx-draw.h"
#include "jx-jetstats-stream.h"
#include "jx-reweight.h"

int
jx_cli_observable_values (const JxDataset *ds, const int *ks, int nk, double rsub, double esub,
                          double **values, size_t *skipped, JxError *err)
{
  JxClusterOptions clustering;
  jx_cluster_options_default (&clustering);
  clustering.rsub = rsub;
  clustering.esub = esub;
  JxJetStats st;
  *values = NULL;
  *skipped = 0;
  int rc = jx_jetstats_compute (&st, ds, 0, ds->n_jets, &clustering, 0, NULL, err);
  if (rc == 0)
    {
      *values = malloc ((ds->n_jets * (size_t) nk + 1) * sizeof **values);
      if (*values == NULL)
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory computing observables");
    }
  for (size_t i = 0; rc == 0 && i < ds->n_jets; i++)
    for (int j = 0; j < nk; j++)
      (*values)[i * (size_t) nk + j] = jx_jetstats_value (&st, i, ks[j]);
  *skipped = st.n_failed;
  jx_jetstats_free (&st);
  return rc;
}

const char *
jx_cli_observable_axis (int k)
{
  static const char *const axes[JX_N_OBSERVABLES] = {
    "multiplicity <i>n</i> (subjets)",
    "jet energy <i>E</i><sub>J</sub> [GeV]",
    "jet mass <i>m</i><sub>J</sub> [GeV]",
    "<i>τ</i><sub>1</sub> (<i>β</i> = 1) [rad]",
    "<i>τ</i><sub>2</sub> (<i>β</i> = 1) [rad]",
    "<i>τ</i><sub>3</sub> (<i>β</i> = 1) [rad]",
    "<i>τ</i><sub>21</sub> = <i>τ</i><sub>2</sub>/<i>τ</i><sub>1</sub>",
    "<i>τ</i><sub>32</sub> = <i>τ</i><sub>3</sub>/<i>τ</i><sub>2</sub>",
    "jet width (girth) [rad]",
    "integrated jet shape <i>Ψ</i>(0.05)",
    "integrated jet shape <i>Ψ</i>(0.1)",
    "integrated jet shape <i>Ψ</i>(0.2)",
    "integrated jet shape <i>Ψ</i>(0.3)",
    "integrated jet shape <i>Ψ</i>(0.4)",
    "first C/A splitting <i>z</i><sub>1</sub>",
    "first C/A splitting <i>θ</i><sub>1</sub> [rad]",
    "first C/A splitting <i>δ</i><sub>1</sub> [rad]",
  };
  return k >= 0 && k < JX_N_OBSERVABLES ? axes[k] : "";
}

/* jets/weight of a `junipr reweight` file, which must have n rows (checked by the reader). */
static int
read_weights (const char *path, size_t n, double **w)
{
  JxError err = { 0 };
  if (jx_reweight_read_weights (path, n, w, &err) != 0)
    return jx_cli_fail ("%s (--weights): give the file 'junipr reweight -o' wrote for the first "
                        "dataset", err.message);
  return 0;
}

typedef struct {
  double *values, *weights;
  size_t n, skipped;
  char label[320];
} Series;

/* One observable of a run of jets, gathered from the chunks' tables. */
typedef struct {
  double *values;   /* [last − first] */
  size_t first;
  int column;
  size_t failed;    /* jets without subjets */
} Column;

static int
gather_column (void *user, const JxJetStats *part, JxError *err)
{
  (void) err;
  Column *c = user;
  for (size_t r = 0; r < part->n_jets; r++)
    c->values[part->first + r - c->first] = jx_jetstats_value (part, r, c->column);
  c->failed += part->n_failed;
  return 0;
}

/* Observable k of jets [first, last) of a streamed file (jx-jetstats-stream: memory is the
 * values, not the file). values: malloc'd [last − first], NaN for jets without subjets
 * (counted in *skipped). */
static int
stream_values (JxDatasetStream *s, size_t first, size_t last, int k,
               const JxClusterOptions *clustering, double **values, size_t *skipped,
               JxError *err)
{
  Column c = { .values = malloc ((last - first + 1) * sizeof (double)), .first = first,
               .column = k };
  *values = NULL;
  *skipped = 0;
  if (c.values == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory computing observables");
  int rc = jx_jetstats_stream (s, first, last, clustering, 0, gather_column, &c, NULL, err);
  if (rc != 0)
    {
      free (c.values);
      return rc;
    }
  *skipped = c.failed;
  *values = c.values;
  return 0;
}

/* The reweighted copy of the first input: its values, the weights of jets [lo, hi) of
 * --weights (a file for all n_jets of it) and its label. */
static int
add_reweighted (const JxRenderArgs *a, const Series *first, size_t n_jets, size_t lo, size_t hi,
                Series *r)
{
  int rc = read_weights (a->weights, n_jets, &r->weights);
  r->values = malloc ((hi - lo + 1) * sizeof (double));
  if (rc == 0 && r->values == NULL)
    rc = jx_cli_fail ("out of memory");
  if (rc == 0)
    {
      memcpy (r->values, first->values, (hi - lo) * sizeof (double));
      memmove (r->weights, r->weights + lo, (hi - lo) * sizeof (double));
      r->n = hi - lo;
      size_t len = strlen (first->label);
      memcpy (r->label, first->label, len);
      snprintf (r->label + len, sizeof r->label - len, " reweighted");
    }
  return rc;
}

/* The observable of input i's jets (--jets of them) into series[i]; for the first input
 * also the reweighted series (the last one) when --weights is given. Progress: i + 1 of
 * the inputs read once the file was opened. */
static int
load_input (const JxRenderArgs *a, int i, Series *series, JxProgress *progress)
{
  /* streamed: only the values are held, so the files may be larger than memory */
  JxDatasetStream *ds;
  int rc = jx_cli_open_dataset_stream (a->inputs[i], &ds);
  if (rc != 0)
    return rc;
  size_t n_jets = jx_dataset_stream_info (ds)->n_jets, lo = 0, hi = n_jets;
  if (a->slice)
    {
      lo = a->a;
      hi = a->b;
      rc = jx_cli_clip_slice ("--jets", a->inputs[i], n_jets, &lo, &hi);
    }
  JxClusterOptions clustering;
  jx_cluster_options_default (&clustering);
  clustering.rsub = a->clustering.rsub;
  clustering.esub = a->clustering.esub;
  JxError err = { 0 };
  if (rc == 0 && stream_values (ds, lo, hi, a->observable, &clustering, &series[i].values,
                                &series[i].skipped, &err) != 0)
    rc = jx_cli_fail ("%s: %s", a->inputs[i], err.message);
  if (rc == 0)
    {
      series[i].n = hi - lo;
      jx_text_escape (jx_cli_basename (a->inputs[i]), series[i].label, sizeof series[i].label);
    }
  if (rc == 0 && i == 0 && a->weights != NULL)
    rc = add_reweighted (a, &series[0], n_jets, lo, hi, &series[a->n_inputs]);
  jx_dataset_stream_close (ds);
  jx_progress_report (progress, i + 1, a->n_inputs, "computing observables");
  return rc;
}

static int
load_series (const JxRenderArgs *a, Series *series)
{
  int rc = 0;
  JxProgress *progress = jx_cli_progress_begin ("computing observables", a->quiet);
  for (int i = 0; rc == 0 && i < a->n_inputs; i++)
    {
      rc = load_input (a, i, series, progress);
      if (rc == 0 && jx_progress_cancelled (progress))
        rc = jx_cli_fail_core (&(JxError) { JX_ERR_CANCELLED, "cancelled" });
    }
  jx_cli_progress_end ();
  return rc;
}

/* The range: as asked, else the data's; multiplicities get one bin per integer. */
static int
hist_range (const JxRenderArgs *a, const Series *series, int n_series, double *lo_out,
            double *hi_out, size_t *bins_out)
{
  bool integer = a->observable == jx_observable_index ("n");
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < n_series; i++)
    for (size_t j = 0; j < series[i].n; j++)
      if (isfinite (series[i].values[j]))
        {
          lo = fmin (lo, series[i].values[j]);
          hi = fmax (hi, series[i].values[j]);
        }
  if (!isfinite (lo) && !a->range_set)
    return jx_cli_fail ("%s: no jet has a value of %s (all jets lack subjets above E_sub = %g "
                        "GeV)", a->inputs[0], jx_observable_names[a->observable],
                        a->clustering.esub);
  size_t bins = a->bins > 0 ? a->bins : 30;
  if (a->range_set)
    {
      lo = a->lo;
      hi = a->hi;
    }
  else if (integer)
    {
      lo = floor (lo) - 0.5;
      hi = ceil (hi) + 0.5;
      if (a->bins == 0)
        bins = (size_t) fmin (hi - lo, 100);
    }
  else if (hi <= lo)
    {
      lo -= 0.5;
      hi += 0.5;
    }
  *lo_out = lo;
  *hi_out = hi;
  *bins_out = bins;
  return 0;
}

/* One histogram per series (the first filled, the others as steps), the axes and the ratio
 * panel. */
static int
fill_plot (const JxRenderArgs *a, const Series *series, int n_series, size_t bins, double lo,
           double hi, JxPlot *plot)
{
  int rc = 0;
  for (int i = 0; rc == 0 && i < n_series; i++)
    {
      JxHist h;
      JxError err = { 0 };
      if (jx_hist_init_uniform (&h, bins, lo, hi, &err) != 0)
        {
          rc = jx_cli_fail_core (&err);
          break;
        }
      for (size_t j = 0; j < series[i].n; j++)
        if (isfinite (series[i].values[j]))
          jx_hist_fill (&h, series[i].values[j], series[i].weights ? series[i].weights[j] : 1.0);
      if (!a->counts)
        jx_hist_normalize (&h);
      jx_plot_add_hist (plot, &h, i == 0 ? JX_HIST_FILLED : JX_HIST_STEP, series[i].label);
      jx_hist_free (&h);
    }
  jx_plot_set_x_axis (plot, jx_cli_observable_axis (a->observable), false);
  jx_plot_set_y_axis (plot, a->counts ? "jets per bin" : "normalized to unit area", false);
  jx_plot_set_x_range (plot, lo, hi);
  if (a->ratio && n_series > 1)
    {
      char label[340];
      snprintf (label, sizeof label, "ratio to %s", series[0].label);
      jx_plot_set_ratio (plot, 0, n_series == 2 ? label : "ratio to first", NAN, NAN);
    }
  return rc;
}

static int
draw_plot (const JxRenderArgs *a, JxPlot *plot)
{
  JxSurface *s = NULL;
  int rc = jx_cli_render_open (a, 720, a->ratio ? 640 : 540, &s);
  if (rc == 0)
    {
      jx_plot_draw (plot, jx_surface_cr (s),
                    jx_rect (0, 0, jx_surface_width (s), jx_surface_height (s)), NULL);
      rc = jx_cli_render_close (a, s);
    }
  return rc;
}

int
jx_cli_render_hist (const JxRenderArgs *a)
{
  int n_series = a->n_inputs + (a->weights != NULL ? 1 : 0);
  Series *series = calloc ((size_t) n_series, sizeof *series);
  if (series == NULL)
    return jx_cli_fail ("out of memory");
  double lo = 0, hi = 0;
  size_t bins = 0;
  int rc = load_series (a, series);
  if (rc == 0)
    rc = hist_range (a, series, n_series, &lo, &hi, &bins);
  if (rc == 0)
    {
      JxPlot *plot = jx_plot_new ();
      rc = fill_plot (a, series, n_series, bins, lo, hi, plot);
      if (rc == 0)
        rc = draw_plot (a, plot);
      jx_plot_free (plot);
    }
  if (rc == 0 && !a->quiet)
    for (int i = 0; i < a->n_inputs; i++)
      if (series[i].skipped > 0)
        fprintf (stderr, "junipr render: warning: %zu jet%s of %s without subjets above E_sub = "
                 "%g GeV left out\n", series[i].skipped, series[i].skipped == 1 ? "" : "s",
                 a->inputs[i], a->clustering.esub);
  for (int i = 0; i < n_series; i++)
    {
      free (series[i].values);
      free (series[i].weights);
    }
  free (series);
  return rc;
}

/* ---- roc -------------------------------------------------------------------------------- */

#define MAX_METHODS 16

typedef struct {
  char name[64];
  double auc;
  double *sig, *bkg;
  size_t n, cap;
} Curve;

static Curve *
find_curve (Curve *curves, size_t *n, const char *name)
{
  for (size_t i = 0; i < *n; i++)
    if (strcmp (curves[i].name, name) == 0)
      return &curves[i];
  if (*n == MAX_METHODS)
    return NULL;
  Curve *c = &curves[(*n)++];
  memset (c, 0, sizeof *c);
  c->auc = NAN;
  snprintf (c->name, sizeof c->name, "%s", name);
  return c;
}

/* Split a CSV line at commas in place; returns the number of fields (at most max). */
static int
split_csv (char *line, char **fields, int max)
{
  int n = 0;
  line[strcspn (line, "\r\n")] = '\0';
  for (char *p = line; n < max;)
    {
      fields[n++] = p;
      char *comma = strchr (p, ',');
      if (comma == NULL)
        break;
      *comma = '\0';
      p = comma + 1;
    }
  return n;
}

static int
read_roc_csv (const char *path, Curve *curves, size_t *n_curves)
{
  FILE *f = fopen (path, "r");
  if (f == NULL)
    return jx_cli_fail ("cannot open %s: check the path", path);
  char line[1024];
  char *fields[8];
  int rc = 0;
  size_t lineno = 1;
  if (fgets (line, sizeof line, f) == NULL
      || strncmp (line, "method,kind,signal_eff,background_eff", 37) != 0)
    rc = jx_cli_fail ("%s: not a ROC table (line 1 should start with 'method,kind,signal_eff,"
                      "background_eff'): give the CSV 'junipr discriminate -o' wrote", path);
  while (rc == 0 && fgets (line, sizeof line, f) != NULL)
    {
      lineno++;
      if (line[0] == '\n' || line[0] == '\r')
        continue;
      int nf = split_csv (line, fields, 8);
      if (nf < 7)
        {
          rc = jx_cli_fail ("%s:%zu: expected 7 comma-separated fields, found %d", path, lineno, nf);
          break;
        }
      bool is_roc = strcmp (fields[1], "roc") == 0, is_auc = strcmp (fields[1], "auc") == 0;
      if (!is_roc && !is_auc)
        continue;
      Curve *c = find_curve (curves, n_curves, fields[0]);
      if (c == NULL)
        {
          rc = jx_cli_fail ("%s:%zu: more than %d methods", path, lineno, MAX_METHODS);
          break;
        }
      char *end1, *end2;
      if (is_auc)
        {
          c->auc = strtod (fields[6], &end1);
          continue;
        }
      double es = strtod (fields[2], &end1), eb = strtod (fields[3], &end2);
      if (*end1 != '\0' || *end2 != '\0' || end1 == fields[2] || end2 == fields[3])
        {
          rc = jx_cli_fail ("%s:%zu: signal_eff and background_eff must be numbers", path, lineno);
          break;
        }
      if (c->n == c->cap)
        {
          size_t cap = c->cap ? 2 * c->cap : 256;
          double *s2 = realloc (c->sig, cap * sizeof *s2);
          if (s2 != NULL)
            c->sig = s2;
          double *b2 = realloc (c->bkg, cap * sizeof *b2);
          if (b2 != NULL)
            c->bkg = b2;
          if (s2 == NULL || b2 == NULL)
            {
              rc = jx_cli_fail ("out of memory reading %s", path);
              break;
            }
          c->cap = cap;
        }
      c->sig[c->n] = es;
      c->bkg[c->n] = eb;
      c->n++;
    }
  fclose (f);
  size_t with_points = 0;
  for (size_t i = 0; i < *n_curves; i++)
    with_points += curves[i].n > 0;
  if (rc == 0 && with_points == 0)
    rc = jx_cli_fail ("%s has no ROC points (rows with kind 'roc'): write it with 'junipr "
                      "discriminate -o'", path);
  return rc;
}

int
jx_cli_render_roc (const JxRenderArgs *a)
{
  Curve curves[MAX_METHODS];
  size_t n_curves = 0;
  int rc = read_roc_csv (a->inputs[0], curves, &n_curves);
  JxPlot *plot = jx_plot_new ();
  JxRocMode mode = a->efficiency ? JX_ROC_EFFICIENCY : JX_ROC_REJECTION;
  for (size_t i = 0; rc == 0 && i < n_curves; i++)
    {
      if (curves[i].n == 0)
        continue;
      char label[128], name[96];
      jx_text_escape (curves[i].name, name, sizeof name);
      if (isfinite (curves[i].auc))
        snprintf (label, sizeof label, "%s (AUC %.3f)", name, curves[i].auc);
      else
        snprintf (label, sizeof label, "%s", name);
      jx_plot_add_roc (plot, curves[i].sig, curves[i].bkg, curves[i].n, mode, label);
    }
  char title[300], name[256];
  jx_text_escape (jx_cli_basename (a->inputs[0]), name, sizeof name);
  snprintf (title, sizeof title, "ROC curves of %s", name);
  jx_plot_set_title (plot, title);
  JxSurface *s = NULL;
  if (rc == 0)
    rc = jx_cli_render_open (a, 640, 540, &s);
  if (rc == 0)
    {
      jx_plot_draw (plot, jx_surface_cr (s),
                    jx_rect (0, 0, jx_surface_width (s), jx_surface_height (s)), NULL);
      rc = jx_cli_render_close (a, s);
    }
  jx_plot_free (plot);
  for (size_t i = 0; i < n_curves; i++)
    {
      free (curves[i].sig);
      free (curves[i].bkg);
    }
  return rc;
}
