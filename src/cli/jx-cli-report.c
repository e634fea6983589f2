/* jx-cli-report.c — the multi-page PDF of `junipr validate -o REPORT.pdf`: the validation
 * curves of the paper's Figs. 7–9, then observables of the data against jets sampled from
 * the model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-common.h"
#include "jx-cli-render.h"
#include "jx-cli-report.h"
#include "jx-draw.h"
#include "jx-jetstats-stream.h"
#include "jx-sample.h"

#define PAGE_W 960.0
#define PAGE_H 680.0
#define HEADER_H 34.0

void
jx_cli_report_options_default (JxReportOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->model_name = "model";
  opt->data_name = "data";
  opt->n_samples = 2000;
  opt->seed = 1;
}

/* Pango markup titles of the curves (the core's titles are plain text). */
static void
curve_title (const JxValidation *v, int k, char *out, size_t cap)
{
  int T = v->curves[JX_VAL_MOTHER_VS_INDEX].n_bins;
  switch (k)
    {
    case JX_VAL_END_VS_LENGTH:
      snprintf (out, cap, "<i>P</i><sub>end</sub> vs intermediate-state length <i>t</i>");
      break;
    case JX_VAL_END_VS_ANGLE:
      snprintf (out, cap, "<i>P</i><sub>end</sub> vs largest angle to the jet axis");
      break;
    case JX_VAL_MOTHER_VS_INDEX:
      snprintf (out, cap, "<i>P</i><sub>mother</sub> vs candidate index at <i>t</i> = %d", T);
      break;
    case JX_VAL_MOTHER_VS_ANGLE:
      snprintf (out, cap, "<i>P</i><sub>mother</sub> vs candidate angle (<i>t</i> ≥ 2)");
      break;
    case JX_VAL_Z_T1:
    case JX_VAL_Z_TLATE:
      snprintf (out, cap, "<i>P</i><sub>branch</sub> marginal in <i>z</i> at <i>t</i> = %d",
                k == JX_VAL_Z_T1 ? 1 : T);
      break;
    default:
      snprintf (out, cap, "<i>P</i><sub>branch</sub> marginal in <i>θ</i> at <i>t</i> = %d",
                k == JX_VAL_THETA_T1 ? 1 : T);
      break;
    }
}

static void
draw_curve (cairo_t *cr, JxRect r, const JxValidation *v, int k)
{
  const JxValidationCurve *c = &v->curves[k];
  int n = c->n_bins;
  double *edges = malloc ((size_t) (n + 1) * sizeof *edges);
  double *data = malloc ((size_t) (n + 1) * sizeof *data);
  double *model = malloc ((size_t) (n + 1) * sizeof *model);
  JxPlot *p = jx_plot_new ();
  char title[256], chi[96], label[96];
  curve_title (v, k, title, sizeof title);
  if (c->ndf > 0)
    snprintf (chi, sizeof chi, "  (<i>χ</i>²/ndf = %.3g/%d = %.2f)", c->chi2, c->ndf,
              c->chi2 / c->ndf);
  else
    snprintf (chi, sizeof chi, "  (no data)");
  strncat (title, chi, sizeof title - strlen (title) - 1);
  jx_plot_set_title (p, title);
  bool logx = k >= JX_VAL_Z_T1 && n > 0;
  /* bins without data entries (long states no jet reaches) are left out of both curves */
  int first = -1, last = -1;
  for (int b = 0; edges != NULL && data != NULL && model != NULL && b < n; b++)
    {
      edges[b] = c->x_lo[b];
      data[b] = c->count[b] > 0 ? c->data[b] : NAN;
      model[b] = c->count[b] > 0 ? c->model[b] : NAN;
      logx = logx && c->x_lo[b] > 0;
      if (c->count[b] > 0)
        {
          first = first < 0 ? b : first;
          last = b;
        }
    }
  if (edges != NULL && data != NULL && model != NULL && n > 0)
    {
      edges[n] = c->x_hi[n - 1];
      if (first >= 0)
        jx_plot_set_x_range (p, c->x_lo[first], c->x_hi[last]);
      jx_plot_set_x_axis (p, jx_text_escape (c->x_label, label, sizeof label), logx);
      jx_plot_set_y_axis (p, "probability", false);
      jx_plot_add_hist_values (p, edges, model, NULL, (size_t) n, JX_HIST_STEP, "JUNIPR model");
      int d = jx_plot_add_hist_values (p, edges, data, c->data_err, (size_t) n, JX_HIST_POINTS,
                                       "data");
      jx_plot_series_color (p, d, jx_theme ()->fg);
      jx_plot_draw (p, cr, r, NULL);
    }
  else
    jx_draw_message (cr, r, "no bins");
  jx_plot_free (p);
  free (edges);
  free (data);
  free (model);
}

static void
draw_header (cairo_t *cr, const char *markup)
{
  const JxTheme *th = jx_theme ();
  jx_draw_background (cr, jx_rect (0, 0, PAGE_W, PAGE_H));
  jx_set_rgb (cr, th->fg);
  jx_text_draw (cr, PAGE_W / 2, 10, markup, th->font_title, 0.5, 0, 0);
}

/* A page of panels: n curves in a grid of cols columns. */
static void
curves_page (cairo_t *cr, const JxValidation *v, const int *ks, int n, int cols,
             const char *header)
{
  draw_header (cr, header);
  int rows = (n + cols - 1) / cols;
  double w = PAGE_W / cols, h = (PAGE_H - HEADER_H) / rows;
  for (int i = 0; i < n; i++)
    draw_curve (cr, jx_rect ((i % cols) * w, HEADER_H + (i / cols) * h, w, h), v, ks[i]);
}

/* One observable: data against sampled, unit area, ratio sampled/data. */
static void
observable_page (cairo_t *cr, int k, const double *data, size_t n_data, const double *sampled,
                 size_t n_sampled, int stride, int col, const char *header)
{
  draw_header (cr, header);
  bool integer = k == jx_observable_index ("n");
  double lo = INFINITY, hi = -INFINITY;
  for (int s = 0; s < 2; s++)
    for (size_t i = 0; i < (s ? n_sampled : n_data); i++)
      {
        double x = (s ? sampled : data)[i * stride + col];
        if (isfinite (x))
          lo = fmin (lo, x), hi = fmax (hi, x);
      }
  JxRect r = jx_rect (0, HEADER_H, PAGE_W, PAGE_H - HEADER_H);
  if (!isfinite (lo))
    {
      jx_draw_message (cr, r, "no jets with subjets");
      return;
    }
  size_t bins = 40;
  if (integer)
    {
      lo = floor (lo) - 0.5;
      hi = ceil (hi) + 0.5;
      bins = (size_t) fmin (hi - lo, 100);
    }
  else if (hi <= lo)
    lo -= 0.5, hi += 0.5;
  JxPlot *p = jx_plot_new ();
  JxError err = { 0 };
  for (int s = 0; s < 2; s++)
    {
      JxHist h;
      if (jx_hist_init_uniform (&h, bins, lo, hi, &err) != 0)
        break;
      for (size_t i = 0; i < (s ? n_sampled : n_data); i++)
        jx_hist_fill (&h, (s ? sampled : data)[i * stride + col], 1.0);
      jx_hist_normalize (&h);
      int id = jx_plot_add_hist (p, &h, s ? JX_HIST_STEP : JX_HIST_POINTS,
                                 s ? "sampled from the model" : "data");
      if (!s)
        jx_plot_series_color (p, id, jx_theme ()->fg);
      jx_hist_free (&h);
    }
  jx_plot_set_x_axis (p, jx_cli_observable_axis (k), false);
  jx_plot_set_y_axis (p, "normalized to unit area", false);
  jx_plot_set_x_range (p, lo, hi);
  jx_plot_set_ratio (p, 0, "sampled / data", NAN, NAN);
  jx_plot_draw (p, cr, jx_rect (PAGE_W * 0.1, HEADER_H, PAGE_W * 0.8, PAGE_H - HEADER_H), NULL);
  jx_plot_free (p);
}

typedef struct {
  const JxModelMeta *meta;
  JxClusterWork *work;
  JxP4 *buf;        /* room for cap momenta */
  size_t cap;
  JxP4 *seeds;
  size_t n_seeds;
} Seeds;

static int
chunk_seeds (void *user, const JxDataset *data, size_t lo, size_t hi, JxProgress *progress,
             JxError *err)
{
  (void) progress;
  Seeds *s = user;
  for (size_t i = lo; i < hi; i++)
    {
      size_t n = jx_dataset_jet_size (data, i), kept = 0;
      if (n > s->cap)
        {
          JxP4 *buf = realloc (s->buf, n * sizeof *buf);
          if (buf == NULL)
            return jx_error_set (err, JX_ERR_NOMEM, "out of memory");
          s->buf = buf;
          s->cap = n;
        }
      int rc = jx_subjets_metric (jx_dataset_jet (data, i), n, s->meta->clustering.metric,
                                  s->meta->clustering.rsub, s->meta->clustering.esub, s->buf,
                                  &kept, s->work);
      if (rc == JX_ERR_INVALID)
        continue;  /* non-finite momenta: skipped, as in the validation itself */
      if (rc != 0)
        return jx_error_set (err, rc, "jet %zu: cannot find its subjets", data->first_jet + i);
      JxP4 sum = jx_p4 (0, 0, 0, 0);
      for (size_t k = 0; k < kept; k++)
        sum = jx_p4_add (sum, s->buf[k]);
      if (kept > 0 && sum.E > 0 && jx_p4_m2 (sum) >= 0)
        s->seeds[s->n_seeds++] = sum;
    }
  return 0;
}

/* The data's jet momenta as the model sees them (sum of its subjets), to seed the showers. */
static int
data_seeds (JxDatasetStream *data, size_t first, size_t last, const JxModelMeta *meta,
            JxP4 **seeds, size_t *n_seeds, JxError *err)
{
  Seeds s = { .meta = meta, .work = jx_cluster_work_new (),
              .seeds = malloc ((last - first + 1) * sizeof *s.seeds) };
  int rc = s.work && s.seeds ? 0 : jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  if (rc == 0)
    rc = jx_dataset_stream_walk (data, first, last, chunk_seeds, &s, "seeds", NULL, err);
  if (rc == 0 && s.n_seeds == 0)
    rc = jx_error_set (err, JX_ERR_INVALID, "no jet of the data has subjets above the model's "
                       "E_sub = %g GeV to seed the sampled showers", meta->clustering.esub);
  jx_cluster_work_free (s.work);
  free (s.buf);
  *seeds = s.seeds;
  *n_seeds = s.n_seeds;
  return rc;
}

typedef struct {
  const int *ks;
  int nk;
  size_t first;
  double *values;
  size_t failed;
} Values;

static int
keep_values (void *user, const JxJetStats *part, JxError *err)
{
  (void) err;
  Values *v = user;
  for (size_t r = 0; r < part->n_jets; r++)
    for (int j = 0; j < v->nk; j++)
      v->values[(part->first - v->first + r) * (size_t) v->nk + j]
        = jx_jetstats_value (part, r, v->ks[j]);
  v->failed += part->n_failed;
  return 0;
}

/* jx_cli_observable_values on jets [first, last) of data, chunk by chunk. */
static int
data_values (JxDatasetStream *data, size_t first, size_t last, const int *ks, int nk,
             const JxModelMeta *meta, double **values, size_t *skipped, JxError *err)
{
  JxClusterOptions clustering;
  jx_cluster_options_default (&clustering);
  clustering.rsub = meta->clustering.rsub;
  clustering.esub = meta->clustering.esub;
  Values v = { ks, nk, first, malloc (((last - first) * (size_t) nk + 1) * sizeof (double)), 0 };
  *values = v.values;
  *skipped = 0;
  if (v.values == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory computing observables");
  int rc = jx_jetstats_stream (data, first, last, &clustering, 0, keep_values, &v, NULL, err);
  *skipped = v.failed;
  return rc;
}

int
jx_cli_report_write (const char *path, const JxModel *model, const JxModelMeta *meta,
                     JxDatasetStream *data, size_t first, size_t last, const JxValidation *v,
                     const JxReportOptions *opt)
{
  JxError err = { 0 };
  JxP4 *seeds = NULL;
  size_t n_seeds = 0, skipped[2] = { 0, 0 };
  double *values[2] = { NULL, NULL };
  const int ks[3] = { jx_observable_index ("mass"), jx_observable_index ("n"),
                      jx_observable_index ("tau21") };
  JxSampleSet set;
  jx_sample_set_init (&set);
  JxSampleOptions sopt;
  jx_sample_options_default (&sopt);
  jx_sample_options_use_meta (&sopt, meta);
  sopt.threads = opt->threads;

  JxProgress *progress = jx_cli_progress_begin ("sampling for the report", opt->quiet);
  int rc = data_seeds (data, first, last, meta, &seeds, &n_seeds, &err);
  if (rc == 0)
    rc = jx_sample_run (model, seeds, n_seeds, opt->n_samples, opt->seed, &sopt, &set, progress,
                        &err);
  if (rc == 0 && jx_progress_cancelled (progress))
    rc = jx_error_set (&err, JX_ERR_CANCELLED, "cancelled");
  jx_cli_progress_end ();
  if (rc == 0)
    rc = data_values (data, first, last, ks, 3, meta, &values[0], &skipped[0], &err);
  if (rc == 0)
    rc = jx_cli_observable_values (&set.data, ks, 3, meta->clustering.rsub,
                                   meta->clustering.esub, &values[1], &skipped[1], &err);

  JxSurface *s = NULL;
  if (rc == 0)
    rc = jx_surface_open (&s, path, JX_FORMAT_PDF, PAGE_W, PAGE_H, 1, &err);
  if (rc == 0)
    {
      cairo_t *cr = jx_surface_cr (s);
      char mname[256], dname[256], header[800];
      jx_text_escape (jx_cli_basename (opt->model_name), mname, sizeof mname);
      jx_text_escape (jx_cli_basename (opt->data_name), dname, sizeof dname);
      static const int fig7[] = { JX_VAL_END_VS_LENGTH, JX_VAL_END_VS_ANGLE };
      static const int fig8[] = { JX_VAL_MOTHER_VS_INDEX, JX_VAL_MOTHER_VS_ANGLE };
      static const int fig9[] = { JX_VAL_Z_T1, JX_VAL_THETA_T1, JX_VAL_Z_TLATE, JX_VAL_THETA_TLATE };
      static const char *const what[] = { "ending the shower (Fig. 7)", "choosing the mother (Fig. 8)",
                                          "the branching (Fig. 9)" };
      const int *pages[] = { fig7, fig8, fig9 };
      const int counts[] = { 2, 2, 4 };
      for (int pg = 0; rc == 0 && pg < 3; pg++)
        {
          if (pg > 0)
            rc = jx_surface_new_page (s, &err);
          snprintf (header, sizeof header, "%s on %s (%zu jets): %s", mname, dname, v->n_jets,
                    what[pg]);
          if (rc == 0)
            curves_page (cr, v, pages[pg], counts[pg], 2, header);
        }
      for (int j = 0; rc == 0 && j < 3; j++)
        {
          rc = jx_surface_new_page (s, &err);
          snprintf (header, sizeof header, "%s: %zu jets of %s vs %zu jets sampled from %s",
                    jx_observable_names[ks[j]], last - first, dname, set.n_jets, mname);
          if (rc == 0)
            observable_page (cr, ks[j], values[0], last - first, values[1], set.data.n_jets, 3, j,
                             header);
        }
      if (rc == 0)
        rc = jx_surface_close (s, &err);
      else
        jx_surface_abort (s);
      /* the report is the process's last drawing: let leak checkers see Pango's font map go */
      jx_text_shutdown ();
    }
  int exit_code = rc != 0 ? jx_cli_fail_core (&err) : 0;
  if (exit_code == 0 && !opt->quiet)
    printf ("junipr validate: wrote %s (%d pages; %zu sampled jets, %zu truncated, %zu stuck)\n",
            path, JX_REPORT_PAGES, set.n_jets, set.n_truncated, set.n_stuck);
  free (seeds);
  free (values[0]);
  free (values[1]);
  jx_sample_set_free (&set);
  return exit_code;
}
