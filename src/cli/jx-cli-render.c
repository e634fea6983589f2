/* jx-cli-render.c — `junipr render KIND`: figures of one jet (tree, image, shower) or of
 * whole datasets (hist, roc) to PNG, SVG or PDF through the Cairo drawing layer. This file
 * parses the command line and holds what the kinds share; without the drawing layer it
 * only says so. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"

#ifndef JX_HAVE_DRAW

int
jx_cli_render (int argc, char **argv)
{
  return jx_cli_fail ("this junipr was built without the Cairo drawing layer (meson found no "
                      "cairo/pangocairo, or -Ddraw=disabled): install libcairo2-dev and "
                      "libpango1.0-dev and reconfigure with -Ddraw=enabled to render figures");
}

#else

#include "jx-cli-dataset.h"
#include "jx-cli-render.h"
#include "jx-draw-text.h"
#include "jx-image.h"

static const char usage_text[] =
  "Usage: junipr render KIND INPUT... -o FILE.{png,svg,pdf} [OPTIONS]\n"
  "\n"
  "Draw a figure into a PNG, SVG or PDF file (the format follows the extension; written\n"
  "atomically). KIND is one of:\n"
  "  tree     the clustering tree of one jet, with per-step labels (log10 P_t, LR, z, ...)\n"
  "  image    the jet image of one jet, or the average (difference) over a dataset\n"
  "  shower   a jet emission by emission: tree and particles after t steps\n"
  "  hist     histograms of an observable for one or more datasets, optional ratio panel\n"
  "  roc      the ROC curves of a table written by 'junipr discriminate'\n"
  "  lund     the primary Lund plane of one jet, or a dataset's likelihood-ratio map on it\n"
  "\n"
  "Run 'junipr render KIND --help' for the options of one kind.\n"
  "\n"
  "Examples:\n"
  "  junipr render tree quarks.h5 --jet 3 --model quark-model.h5 -o tree.png\n"
  "  junipr render image zjets.h5 --average --difference quarks.h5 -o diff.pdf\n"
  "  junipr render hist quarks.h5 sampled.h5 --observable mass --ratio -o mass.svg\n"
  "  junipr render lund zjets.h5 --map --model z-model.h5 --model-b quark-model.h5 -o lund.pdf\n";

static const char common_text[] =
  "  -o, --output FILE       figure file: .png, .svg or .pdf                [required]\n"
  "      --width W           figure width in pixels (PNG) or points          [%g]\n"
  "      --height H          figure height                                  [%g]\n"
  "      --scale S           PNG pixels per unit (2 for high-dpi screens)    [1]\n"
  "  -q, --quiet             do not print what was written\n"
  "  -h, --help              show this help\n";

static const char cluster_text[] =
  "      --algorithm A       ca, kt, antikt or printer                      [%s]\n"
  "      --metric M          ee (3-D angles) or pp (FastJet genkt: y-phi)   [%s]\n"
  "      --esub E            subjet energy cut [GeV] (0: off)                [%s]\n"
  "      --rsub R            subjet radius [rad] (0: off)                    [%s]\n";

/* The one-jet kinds: --colormap picks the sequential map of energies and image pixels. */
static const char colormap_text[] =
  "      --colormap MAP      energy and pixel colours: " JX_COLORMAP_CHOICES
  "     [viridis]\n";

static const char *const kind_names[JX_N_RENDER_KINDS] = { "tree", "image", "shower", "hist", "roc",
                                                            "lund" };
static const double default_size[JX_N_RENDER_KINDS][2] = {
  { 900, 560 }, { 640, 560 }, { 1000, 480 }, { 720, 540 }, { 640, 540 }, { 660, 560 },
};

static const char *const kind_usage[JX_N_RENDER_KINDS] = {
  "Usage: junipr render tree DATA.h5 --jet I -o FILE [OPTIONS]\n"
  "\n"
  "Draw jet I's clustering tree as in the paper's Figs. 11 and 13: the jet enters from the\n"
  "left, every branching splits a line in two at angles proportional to the physical ones,\n"
  "lines coloured by energy. With --model, the tree is the model's clustering and the labels\n"
  "are log10 P_t of each step under the model; with --model-b as well, each node is coloured\n"
  "and labelled by its contribution log10 P_A,t/P_B,t to the likelihood ratio.\n"
  "\n"
  "Options:\n"
  "      --jet I             0-based jet index in DATA                      [required]\n"
  "      --model A.h5        a JUNIPR model: its clustering, log10 P_t labels\n"
  "      --model-b B.h5      a second model: per-node likelihood-ratio contributions\n"
  "      --labels L          logp, lr, z, theta, step or none    [lr / logp / none by models]\n"
  "      --highlight NODE    let node NODE's subtree stand out (node numbers: 'junipr cluster')\n",
  "Usage: junipr render image DATA.h5 (--jet I | --average) -o FILE [OPTIONS]\n"
  "\n"
  "Draw a jet image (energy in the plane perpendicular to the jet axis, log colour scale) of\n"
  "jet I with its particles on top, or the average image of many jets (--average); with\n"
  "--difference, the average of DATA minus the average of OTHER on a diverging scale.\n"
  "Images are preprocessed as in the jet-image literature (hardest particle at the centre,\n"
  "principal axis down, heavier half right, unit sum) unless --no-preprocess.\n"
  "\n"
  "Options:\n"
  "      --jet I             one jet (0-based index)\n"
  "      --average           the average over the jets of DATA\n"
  "      --jets A:B          with --average: only jets A..B-1 (Python slice)   [all]\n"
  "      --difference OTHER  with --average: DATA's average minus OTHER's\n"
  "      --npix N            pixels per side                               [33]\n"
  "      --R R               half-width of the image [rad]                  [0.5]\n"
  "      --no-preprocess     raw (theta cos phi, theta sin phi), pixels in GeV\n"
  "      --step-labels       with --jet: the tree's particles (subjets), each labelled with\n"
  "                          the emission step that created it\n",
  "Usage: junipr render shower DATA.h5 --jet I (--step T | --all-steps) -o FILE [OPTIONS]\n"
  "\n"
  "Draw jet I's shower after T emissions: the tree so far and the T+1 particles of that\n"
  "state in the plane perpendicular to the jet, side by side (the tree above the image on a\n"
  "tall figure; paper Figs. 20, 21, 23). Each emission carries its step t, at its branching\n"
  "and on the emitted particle; the newest one is ringed in both.\n"
  "--all-steps writes one page per step, T = 0..n-1, into a PDF.\n"
  "\n"
  "Options:\n"
  "      --jet I             0-based jet index in DATA                      [required]\n"
  "      --step T            emissions so far, 0..n-1                      [n-1: all]\n"
  "      --all-steps         every step, one PDF page each (needs -o FILE.pdf)\n",
  "Usage: junipr render hist DATA.h5 [MORE.h5 ...] --observable NAME -o FILE [OPTIONS]\n"
  "\n"
  "Histogram an observable of every jet (computed from its subjets as 'junipr observables'\n"
  "does) for each dataset, normalized to unit area, in one plot; --ratio adds a panel with\n"
  "every histogram divided by the first. --weights adds the first dataset reweighted by the\n"
  "jets/weight column of a file written by 'junipr reweight'.\n"
  "Observables: n, E, mass, tau1, tau2, tau3, tau21, tau32, width, psi_0.05 ... psi_0.4,\n"
  "z1, theta1, delta1 (also m, mult).\n"
  "\n"
  "Options:\n"
  "      --observable NAME   what to histogram                             [required]\n"
  "      --bins N            number of bins                 [30; n: one per integer]\n"
  "      --range LO,HI       histogram range                        [the data's range]\n"
  "      --jets A:B          only jets A..B-1 of each file (Python slice)      [all]\n"
  "      --weights FILE      weights for the first dataset ('junipr reweight' output)\n"
  "      --ratio             ratio panel: every histogram / the first\n"
  "      --counts            jet counts instead of unit area\n",
  "Usage: junipr render roc ROC.csv -o FILE [OPTIONS]\n"
  "\n"
  "Draw the ROC curves of a table written by 'junipr discriminate' (JUNIPR's likelihood ratio\n"
  "and the baselines), background rejection 1/eps_B against signal efficiency on a log axis,\n"
  "the AUC of each method in the legend.\n"
  "\n"
  "Options:\n"
  "      --efficiency        signal efficiency against background efficiency instead\n",
  "Usage: junipr render lund DATA.h5 (--jet I | --map --model A.h5 --model-b B.h5) -o FILE\n"
  "\n"
  "The primary Lund plane of the jets' C/A trees (after the subjet step): declustered from\n"
  "the jet along the harder (more energetic) branch, each emission is the point\n"
  "x = ln 1/Delta, y = ln(k_t/GeV), Delta = angle between the two branches, k_t = E_softer\n"
  "sin Delta. With --jet I: jet I's emissions, labelled by their JUNIPR step t and, with two\n"
  "models, filled by the step's likelihood-ratio term log10 P_A,t/P_B,t. With --map: over the\n"
  "jets of DATA, the emission density and the attribution of the mean log10 P_A/P_B to the\n"
  "(x, y) bins: each primary step's term goes to its bin, the terms of secondary emissions\n"
  "(emissions off an emission), of the final end of each jet (all of a one-particle jet) and\n"
  "of emissions outside the grid to three extra cells, so bins and cells sum to the mean\n"
  "log10 P_A/P_B of the jets (written under the panels). The models must be C/A models with\n"
  "the same subjet step; the jets are clustered with it. Logs are base 10 (the app's).\n"
  "\n"
  "Options:\n"
  "      --jet I             one jet (0-based index)\n"
  "      --map               the map over the jets of DATA (needs both models)\n"
  "      --model A.h5        model A (numerator of the likelihood ratio)\n"
  "      --model-b B.h5      model B (denominator)\n"
  "      --jets A:B          with --map: only jets A..B-1 (Python slice)       [all]\n"
  "      --bins NX[,NY]      with --map: bins along x and y                 [20,20]\n"
  "      --x-range LO,HI     x = ln 1/Delta range of the grid             [-1.2,3.8]\n"
  "      --y-range LO,HI     y = ln(k_t/GeV) range of the grid             [-3,6]\n"
  "      --threads N         with --map: worker threads               [all CPUs]\n",
};

/* Which kinds take an option: bit k for JxRenderKind k. */
#define K(k) (1u << (k))
#define K_JET (K (JX_RENDER_TREE) | K (JX_RENDER_IMAGE) | K (JX_RENDER_SHOWER))
#define K_LUND K (JX_RENDER_LUND)
#define K_ALL ((1u << JX_N_RENDER_KINDS) - 1)

enum {
  OPT_WIDTH = 256, OPT_HEIGHT, OPT_SCALE, OPT_JET, OPT_ALGORITHM, OPT_ESUB, OPT_RSUB,
  OPT_MODEL, OPT_MODEL_B, OPT_LABELS, OPT_HIGHLIGHT, OPT_AVERAGE, OPT_JETS, OPT_DIFFERENCE,
  OPT_NPIX, OPT_R, OPT_NO_PREPROCESS, OPT_STEP_LABELS, OPT_STEP, OPT_ALL_STEPS,
  OPT_OBSERVABLE, OPT_BINS, OPT_RANGE, OPT_WEIGHTS, OPT_RATIO, OPT_COUNTS, OPT_EFFICIENCY,
  OPT_COLORMAP, OPT_METRIC, OPT_MAP, OPT_X_RANGE, OPT_Y_RANGE, OPT_THREADS,
};

static const struct option longs[] = {
  { "output", required_argument, NULL, 'o' },
  { "width", required_argument, NULL, OPT_WIDTH },
  { "height", required_argument, NULL, OPT_HEIGHT },
  { "scale", required_argument, NULL, OPT_SCALE },
  { "quiet", no_argument, NULL, 'q' },
  { "help", no_argument, NULL, 'h' },
  { "jet", required_argument, NULL, OPT_JET },
  { "algorithm", required_argument, NULL, OPT_ALGORITHM },
  { "metric", required_argument, NULL, OPT_METRIC },
  { "esub", required_argument, NULL, OPT_ESUB },
  { "rsub", required_argument, NULL, OPT_RSUB },
  { "model", required_argument, NULL, OPT_MODEL },
  { "model-b", required_argument, NULL, OPT_MODEL_B },
  { "labels", required_argument, NULL, OPT_LABELS },
  { "highlight", required_argument, NULL, OPT_HIGHLIGHT },
  { "average", no_argument, NULL, OPT_AVERAGE },
  { "jets", required_argument, NULL, OPT_JETS },
  { "difference", required_argument, NULL, OPT_DIFFERENCE },
  { "npix", required_argument, NULL, OPT_NPIX },
  { "R", required_argument, NULL, OPT_R },
  { "no-preprocess", no_argument, NULL, OPT_NO_PREPROCESS },
  { "step-labels", no_argument, NULL, OPT_STEP_LABELS },
  { "step", required_argument, NULL, OPT_STEP },
  { "all-steps", no_argument, NULL, OPT_ALL_STEPS },
  { "observable", required_argument, NULL, OPT_OBSERVABLE },
  { "bins", required_argument, NULL, OPT_BINS },
  { "range", required_argument, NULL, OPT_RANGE },
  { "weights", required_argument, NULL, OPT_WEIGHTS },
  { "ratio", no_argument, NULL, OPT_RATIO },
  { "counts", no_argument, NULL, OPT_COUNTS },
  { "efficiency", no_argument, NULL, OPT_EFFICIENCY },
  { "colormap", required_argument, NULL, OPT_COLORMAP },
  { "map", no_argument, NULL, OPT_MAP },
  { "x-range", required_argument, NULL, OPT_X_RANGE },
  { "y-range", required_argument, NULL, OPT_Y_RANGE },
  { "threads", required_argument, NULL, OPT_THREADS },
  { NULL, 0, NULL, 0 },
};

static unsigned
option_kinds (int c)
{
  switch (c)
    {
    case OPT_JET:
    case OPT_COLORMAP: return K_JET | K_LUND;
    case OPT_ALGORITHM: return K_JET;
    case OPT_ESUB:
    case OPT_RSUB: return K_JET | K (JX_RENDER_HIST) | K_LUND;
    case OPT_MODEL:
    case OPT_MODEL_B: return K (JX_RENDER_TREE) | K_LUND;
    case OPT_LABELS:
    case OPT_HIGHLIGHT: return K (JX_RENDER_TREE);
    case OPT_AVERAGE:
    case OPT_DIFFERENCE:
    case OPT_NPIX:
    case OPT_R:
    case OPT_NO_PREPROCESS:
    case OPT_STEP_LABELS: return K (JX_RENDER_IMAGE);
    case OPT_JETS: return K (JX_RENDER_IMAGE) | K (JX_RENDER_HIST) | K_LUND;
    case OPT_STEP:
    case OPT_ALL_STEPS: return K (JX_RENDER_SHOWER);
    case OPT_BINS: return K (JX_RENDER_HIST) | K_LUND;
    case OPT_MAP:
    case OPT_X_RANGE:
    case OPT_Y_RANGE:
    case OPT_THREADS: return K_LUND;
    case OPT_OBSERVABLE:
    case OPT_RANGE:
    case OPT_WEIGHTS:
    case OPT_RATIO:
    case OPT_COUNTS: return K (JX_RENDER_HIST);
    case OPT_EFFICIENCY: return K (JX_RENDER_ROC);
    default: return K_ALL;
    }
}

static void
print_kind_usage (JxRenderKind kind)
{
  fputs (kind_usage[kind], stdout);
  if (kind == JX_RENDER_TREE || kind == JX_RENDER_IMAGE || kind == JX_RENDER_SHOWER)
    {
      fputs (colormap_text, stdout);
      printf (cluster_text, kind == JX_RENDER_TREE ? "ca, or the model's" : "ca",
              kind == JX_RENDER_TREE ? "ee, or the model's" : "ee",
              kind == JX_RENDER_TREE ? "1, or the model's" : "1",
              kind == JX_RENDER_TREE ? "0.1, or the model's" : "0.1");
    }
  else if (kind == JX_RENDER_LUND)
    printf ("      --colormap MAP      density colours: " JX_COLORMAP_CHOICES "          [viridis]\n"
            "      --esub E            subjet energy cut [GeV] (0: off)    [1, or the models']\n"
            "      --rsub R            subjet radius [rad] (0: off)      [0.1, or the models']\n");
  else if (kind == JX_RENDER_HIST)
    printf ("      --esub E            subjet energy cut [GeV] (0: off)                [1]\n"
            "      --rsub R            subjet radius [rad] (0: off)                    [0.1]\n");
  printf (common_text, default_size[kind][0], default_size[kind][1]);
}

static int
parse_labels (const char *arg, JxRenderLabels *out)
{
  static const struct { const char *name; JxRenderLabels v; } names[] = {
    { "logp", JX_LABELS_LOGP }, { "lr", JX_LABELS_LR }, { "z", JX_LABELS_Z },
    { "theta", JX_LABELS_THETA }, { "step", JX_LABELS_STEP }, { "none", JX_LABELS_NONE },
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp (arg, names[i].name) == 0)
      {
        *out = names[i].v;
        return 0;
      }
  return jx_cli_fail ("unknown label kind '%s' (--labels): use logp, lr, z, theta, step or none",
                      arg);
}

static int
parse_colormap (const char *arg, JxColormap *out)
{
  int map = jx_colormap_parse (arg);
  if (map < 0)
    return jx_cli_fail ("unknown colour map '%s' (--colormap): use " JX_COLORMAP_CHOICES, arg);
  *out = (JxColormap) map;
  return 0;
}

/* "NX" (square) or "NX,NY". */
static int
parse_lund_bins (const char *arg, JxLundGrid *g)
{
  char *end;
  long nx = strtol (arg, &end, 10), ny = nx;
  if (end != arg && *end == ',')
    {
      const char *second = end + 1;
      ny = strtol (second, &end, 10);
      if (end == second)
        ny = 0;
    }
  if (end == arg || *end != '\0' || nx < 1 || nx > 1000 || ny < 1 || ny > 1000)
    return jx_cli_fail ("bad bin count '%s' (--bins): give NX or NX,NY, each 1..1000, e.g. "
                        "--bins 24,20", arg);
  g->nx = (int) nx;
  g->ny = (int) ny;
  return 0;
}

static int
parse_option (int c, JxRenderArgs *a)
{
  size_t v;
  double lo, hi;
  bool off;
  int rc = 0;
  JxError err = { 0 };
  switch (c)
    {
    case 'o': a->output = optarg; break;
    case 'q': a->quiet = true; break;
    case OPT_WIDTH: rc = jx_cli_parse_double ("--width", optarg, 50, 20000, &a->width); break;
    case OPT_HEIGHT: rc = jx_cli_parse_double ("--height", optarg, 50, 20000, &a->height); break;
    case OPT_SCALE: rc = jx_cli_parse_double ("--scale", optarg, 0.1, 8, &a->scale); break;
    case OPT_JET:
      rc = jx_cli_parse_size ("--jet", optarg, 0, SIZE_MAX - 1, &a->jet);
      a->has_jet = true;
      break;
    case OPT_ALGORITHM:
      if (jx_algorithm_parse (optarg, &a->clustering.algorithm, &err) != 0)
        return jx_cli_fail ("unknown algorithm '%s' (--algorithm): use ca, kt, antikt or printer",
                            optarg);
      a->algorithm_set = true;
      break;
    case OPT_METRIC:
      rc = jx_cli_parse_metric (optarg, &a->clustering.metric);
      a->metric_set = true;
      break;
    case OPT_ESUB:
      rc = jx_cli_parse_double ("--esub", optarg, 0, 1e6, &a->clustering.esub);
      a->esub_set = true;
      break;
    case OPT_RSUB:
      rc = jx_cli_parse_double ("--rsub", optarg, 0, 3, &a->clustering.rsub);
      a->rsub_set = true;
      break;
    case OPT_MODEL: a->model_a = optarg; break;
    case OPT_MODEL_B: a->model_b = optarg; break;
    case OPT_LABELS: rc = parse_labels (optarg, &a->labels); break;
    case OPT_HIGHLIGHT:
      rc = jx_cli_parse_size ("--highlight", optarg, 0, 1u << 30, &v);
      a->highlight = (int) v;
      break;
    case OPT_AVERAGE: a->average = true; break;
    case OPT_JETS:
      rc = jx_cli_parse_slice ("--jets", optarg, &a->a, &a->b);
      a->slice = true;
      break;
    case OPT_DIFFERENCE: a->difference = optarg; break;
    case OPT_NPIX: rc = jx_cli_parse_size ("--npix", optarg, 1, 1024, &a->npix); break;
    case OPT_R: rc = jx_cli_parse_double ("--R", optarg, 1e-4, 3.2, &a->R); break;
    case OPT_NO_PREPROCESS: a->no_preprocess = true; break;
    case OPT_STEP_LABELS: a->step_labels = true; break;
    case OPT_STEP:
      rc = jx_cli_parse_size ("--step", optarg, 0, 1u << 30, &a->step);
      a->has_step = true;
      break;
    case OPT_ALL_STEPS: a->all_steps = true; break;
    case OPT_OBSERVABLE:
      a->observable = jx_observable_index (optarg);
      if (a->observable < 0)
        return jx_cli_fail ("unknown observable '%s' (--observable): use n, E, mass, tau1, tau2, "
                            "tau3, tau21, tau32, width, psi_0.05..psi_0.4, z1, theta1 or delta1",
                            optarg);
      break;
    case OPT_BINS:
      if (a->kind == JX_RENDER_LUND)
        rc = parse_lund_bins (optarg, &a->grid);
      else
        rc = jx_cli_parse_size ("--bins", optarg, 1, 10000, &a->bins);
      a->bins_set = true;
      break;
    case OPT_RANGE:
      rc = jx_cli_parse_window ("--range", optarg, false, &lo, &hi, &off);
      a->lo = lo;
      a->hi = hi;
      a->range_set = true;
      break;
    case OPT_WEIGHTS: a->weights = optarg; break;
    case OPT_RATIO: a->ratio = true; break;
    case OPT_COUNTS: a->counts = true; break;
    case OPT_EFFICIENCY: a->efficiency = true; break;
    case OPT_COLORMAP: rc = parse_colormap (optarg, &a->colormap); break;
    case OPT_MAP: a->map = true; break;
    case OPT_X_RANGE:
      rc = jx_cli_parse_window ("--x-range", optarg, false, &a->grid.x_lo, &a->grid.x_hi, &off);
      break;
    case OPT_Y_RANGE:
      rc = jx_cli_parse_window ("--y-range", optarg, false, &a->grid.y_lo, &a->grid.y_hi, &off);
      break;
    case OPT_THREADS:
      rc = jx_cli_parse_size ("--threads", optarg, 1, 256, &v);
      a->threads = (int) v;
      break;
    default: break;
    }
  return rc;
}

static const char *
option_name (int c)
{
  if (c == 'o')
    return "-o";
  for (const struct option *o = longs; o->name != NULL; o++)
    if (o->val == c)
      return o->name;
  return "?";
}

/* Checks that do not need to read any file: combinations of options, inputs, output. */
static int
check_args (JxRenderArgs *a)
{
  const char *kind = kind_names[a->kind];
  int want = a->kind == JX_RENDER_HIST ? -1 : 1;
  if (a->n_inputs == 0)
    return jx_cli_fail ("missing input file (command line): e.g. 'junipr render %s %s -o out.png'",
                        kind, a->kind == JX_RENDER_ROC ? "roc.csv" : "jets.h5 --jet 0");
  if (want > 0 && a->n_inputs > want)
    return jx_cli_fail ("unexpected argument '%s' (command line): render %s takes one input file",
                        a->inputs[1], kind);
  if (a->output == NULL)
    return jx_cli_fail ("missing -o (command line): say where to write the figure, e.g. -o %s.png",
                        kind);
  if (jx_format_from_path (a->output) == JX_FORMAT_AUTO)
    return jx_cli_fail ("unknown figure format '%s' (-o): the file name must end in .png, .svg or "
                        ".pdf", a->output);
  switch (a->kind)
    {
    case JX_RENDER_TREE:
    case JX_RENDER_SHOWER:
      if (!a->has_jet)
        return jx_cli_fail ("missing --jet (command line): say which jet to draw, e.g. --jet 0");
      if (a->model_b != NULL && a->model_a == NULL)
        return jx_cli_fail ("--model-b without --model (command line): the likelihood ratio is "
                            "P_A/P_B; give --model A.h5 too");
      if (a->all_steps && a->has_step)
        return jx_cli_fail ("--step and --all-steps together (command line): use one");
      if (a->all_steps && jx_format_from_path (a->output) != JX_FORMAT_PDF)
        return jx_cli_fail ("--all-steps writes one page per step (-o %s): use a .pdf output",
                            a->output);
      break;
    case JX_RENDER_IMAGE:
      if (a->has_jet == a->average)
        return jx_cli_fail ("render image needs either --jet I (one jet) or --average (command "
                            "line)");
      if (a->difference != NULL && !a->average)
        return jx_cli_fail ("--difference needs --average (command line): it subtracts two "
                            "average images");
      if (a->slice && !a->average)
        return jx_cli_fail ("--jets needs --average (command line); for one jet use --jet I");
      if (a->step_labels && a->average)
        return jx_cli_fail ("--step-labels needs --jet (command line): an average image has no "
                            "emission steps");
      break;
    case JX_RENDER_LUND:
      if (a->has_jet == a->map)
        return jx_cli_fail ("render lund needs either --jet I (one jet) or --map (command line)");
      if ((a->model_a == NULL) != (a->model_b == NULL))
        return jx_cli_fail ("render lund takes --model A.h5 and --model-b B.h5 together (command "
                            "line): the colours are the terms of log10 P_A/P_B");
      if (a->map && a->model_a == NULL)
        return jx_cli_fail ("--map needs --model A.h5 and --model-b B.h5 (command line): the map "
                            "attributes their likelihood ratio");
      if (!a->map && (a->slice || a->bins_set || a->threads > 0))
        return jx_cli_fail ("--jets, --bins and --threads need --map (command line); for one jet "
                            "use --jet I");
      break;
    case JX_RENDER_HIST:
      if (a->observable < 0)
        return jx_cli_fail ("missing --observable (command line): e.g. --observable mass");
      break;
    default:
      break;
    }
  for (int i = 0; i < a->n_inputs; i++)
    {
      int rc = jx_cli_check_input (a->inputs[i]);
      if (rc != 0)
        return rc;
    }
  const char *extra[] = { a->model_a, a->model_b, a->difference, a->weights };
  for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
    if (extra[i] != NULL)
      {
        int rc = jx_cli_check_input (extra[i]);
        if (rc != 0)
          return rc;
      }
  return jx_cli_check_output ("-o", a->output);
}

static int
parse_args (int argc, char **argv, JxRenderArgs *a)
{
  memset (a, 0, sizeof *a);
  jx_cluster_options_default (&a->clustering);
  a->scale = 1;
  a->highlight = -1;
  a->observable = -1;
  a->npix = JX_IMAGE_DEFAULT_NPIX;
  a->R = JX_IMAGE_DEFAULT_R;
  a->colormap = JX_CMAP_VIRIDIS;
  jx_lund_grid_default (&a->grid);
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      fputs (usage_text, argc < 2 ? stderr : stdout);
      return argc < 2 ? JX_CLI_EXIT_USER : -1;
    }
  int kind = -1;
  for (int k = 0; k < JX_N_RENDER_KINDS; k++)
    if (strcmp (argv[1], kind_names[k]) == 0)
      kind = k;
  if (kind < 0)
    return jx_cli_fail ("unknown figure kind '%s' (command line): use tree, image, shower, hist, "
                        "roc or lund", argv[1]);
  a->kind = (JxRenderKind) kind;
  /* getopt sees "render-KIND ARGS...": argv[1] is the first real argument. */
  argc--;
  argv++;
  int c, rc;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":o:qh", longs, NULL)) != -1)
    {
      if (c == 'h')
        {
          print_kind_usage (a->kind);
          return -1;
        }
      if (c == '?' || c == ':')
        return jx_cli_bad_option (c, argv);
      if (!(option_kinds (c) & K (a->kind)))
        return jx_cli_fail ("--%s does not apply to render %s (command line): see 'junipr render "
                            "%s --help'", option_name (c), kind_names[a->kind],
                            kind_names[a->kind]);
      if ((rc = parse_option (c, a)) != 0)
        return rc;
    }
  a->inputs = argv + optind;
  a->n_inputs = argc - optind;
  return check_args (a);
}

const char *
jx_cli_basename (const char *path)
{
  const char *slash = strrchr (path, '/');
  return slash != NULL ? slash + 1 : path;
}

int
jx_cli_render_open (const JxRenderArgs *a, double width, double height, JxSurface **out)
{
  JxError err = { 0 };
  if (a->width > 0)
    width = a->width;
  if (a->height > 0)
    height = a->height;
  if (jx_surface_open (out, a->output, JX_FORMAT_AUTO, width, height, a->scale, &err) != 0)
    return jx_cli_fail_core (&err);
  return 0;
}

int
jx_cli_render_close (const JxRenderArgs *a, JxSurface *s)
{
  JxError err = { 0 };
  int pages = jx_surface_page_count (s);
  if (jx_surface_close (s, &err) != 0)
    return jx_cli_fail_core (&err);
  if (!a->quiet)
    {
      if (pages > 1)
        printf ("junipr render %s: wrote %s (%d pages)\n", kind_names[a->kind], a->output, pages);
      else
        printf ("junipr render %s: wrote %s\n", kind_names[a->kind], a->output);
    }
  return 0;
}

int
jx_cli_render_load_jet (const JxRenderArgs *a, JxDataset *ds)
{
  return jx_cli_load_jet (a->inputs[0], a->jet, ds);
}

int
jx_cli_render_build_tree (const JxRenderArgs *a, const JxDataset *ds,
                          const JxClusterOptions *clustering, JxTree *tree)
{
  JxError err = { 0 };
  const JxP4 *p = jx_dataset_jet (ds, a->jet - ds->first_jet);
  size_t n = jx_dataset_jet_size (ds, a->jet - ds->first_jet);
  if (jx_jet_validate (p, n, a->jet, &err) != 0
      || jx_tree_build (tree, p, n, clustering, NULL, &err) != 0)
    {
      jx_tree_free (tree);
      if (err.code == JX_ERR_INVALID && n > 0)
        return jx_cli_fail ("jet %zu of %s: no particle left after the subjet step (E_sub = %g "
                            "GeV, R_sub = %g): lower --esub or pick another jet", a->jet,
                            a->inputs[0], clustering->esub, clustering->rsub);
      return jx_cli_fail ("%s: %s", a->inputs[0], err.message);
    }
  return 0;
}

int
jx_cli_render (int argc, char **argv)
{
  JxRenderArgs a;
  int rc = parse_args (argc, argv, &a);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  switch (a.kind)
    {
    case JX_RENDER_TREE: rc = jx_cli_render_tree (&a); break;
    case JX_RENDER_IMAGE: rc = jx_cli_render_image (&a); break;
    case JX_RENDER_SHOWER: rc = jx_cli_render_shower (&a); break;
    case JX_RENDER_HIST: rc = jx_cli_render_hist (&a); break;
    case JX_RENDER_ROC: rc = jx_cli_render_roc (&a); break;
    case JX_RENDER_LUND: rc = jx_cli_render_lund (&a); break;
    default: rc = JX_CLI_EXIT_USER; break;
    }
  /* every surface is closed by now; let leak checkers see Pango's font map go */
  jx_text_shutdown ();
  return rc;
}

#endif /* JX_HAVE_DRAW */
