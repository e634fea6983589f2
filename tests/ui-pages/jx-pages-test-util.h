/* jx-pages-test-util.h — shared set-up of the page widget tests: a session with generated
 * quark and Z jets and the shipped demo models, a window to put a page in, waiting for
 * frames with a deadline, and screenshots. Header-only: each test is one program. */
#pragma once

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "jx-application.h"
#include "jx-colormap.h"
#include "jx-generator.h"
#include "jx-model-io.h"
#include "jx-session.h"

#ifndef JX_SOURCE_ROOT
#define JX_SOURCE_ROOT "."
#endif

static inline char *
jx_pages_test_source_path (const char *rel)
{
  const char *root = g_getenv ("JX_SOURCE_ROOT");

  return g_build_filename (root ? root : JX_SOURCE_ROOT, rel, NULL);
}

/* n_each quark (label 0) then n_each Z (label 1) jets from the built-in generator. */
static inline JxDatasetItem *
jx_pages_test_dataset (size_t n_each)
{
  JxDataset ds;
  JxGenConfig cfg;
  JxError err = { 0 };

  jx_dataset_init (&ds);
  for (int p = 0; p < 2; p++)
    {
      jx_gen_config_default (&cfg);
      cfg.process = p == 0 ? JX_PROCESS_QQ : JX_PROCESS_ZZ;
      cfg.seed = 11 + p;
      cfg.threads = 1;
      g_assert_cmpint (jx_generate (&cfg, n_each, &ds, NULL, NULL, &err), ==, 0);
    }
  return jx_dataset_item_new (&ds, NULL, "test jets");
}

static inline JxModelItem *
jx_pages_test_model (const char *name)
{
  g_autofree char *rel = g_strdup_printf ("data/models/%s", name);
  g_autofree char *path = jx_pages_test_source_path (rel);
  JxModel *model = NULL;
  JxModelMeta meta;
  JxError err = { 0 };

  if (jx_model_load (path, &model, &meta, NULL, NULL, &err) != 0)
    g_error ("%s", err.message);
  return jx_model_item_new (model, &meta, path);
}

/* A session on the dataset, jet `jet`, with models A = quark, B = Z (when with_models). */
static inline JxSession *
jx_pages_test_session (JxDatasetItem *dataset, int jet, gboolean with_models)
{
  JxSession *s = jx_session_new ();

  jx_session_set_dataset (s, dataset);
  if (with_models)
    {
      g_autoptr (JxModelItem) a = jx_pages_test_model ("quark-model.h5");
      g_autoptr (JxModelItem) b = jx_pages_test_model ("z-model.h5");

      jx_session_set_model_a (s, a);
      jx_session_set_model_b (s, b);
    }
  jx_session_set_jet_index (s, jet);
  return s;
}

/* The jet with the most particles but not more than max (a tree worth looking at). */
static inline int
jx_pages_test_big_jet (JxDatasetItem *item, size_t max, int skip)
{
  const JxDataset *ds = jx_dataset_item_get_dataset (item);
  size_t best = 0;
  int jet = 0;

  for (size_t i = 0; i < ds->n_jets; i++)
    if ((int) i != skip && jx_dataset_jet_size (ds, i) > best
        && jx_dataset_jet_size (ds, i) <= max)
      {
        best = jx_dataset_jet_size (ds, i);
        jet = (int) i;
      }
  return jet;
}

static gboolean
jx_pages_test_count_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  (*(int *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Run the main loop until `frames` more frames of widget were drawn (deadline 10 s). */
static inline void
jx_pages_test_wait_frames (GtkWidget *widget, int frames)
{
  int count = 0;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint id = gtk_widget_add_tick_callback (widget, jx_pages_test_count_frame, &count, NULL);

  gtk_widget_queue_draw (widget);
  while (count < frames && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (count, >=, frames);
}

/* Run the main loop until cond (data) holds, deadline 20 s. */
static inline gboolean
jx_pages_test_wait_for (gboolean (*cond) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!cond (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return cond (data);
}

static inline GtkWindow *
jx_pages_test_window (GtkWidget *page, int width, int height)
{
  GtkWindow *win = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (win, width, height);
  gtk_window_set_child (win, page);
  gtk_window_present (win);
  jx_pages_test_wait_frames (page, 2);
  return win;
}

/* Save widget's current picture as PNG in $JX_PAGES_SHOT_DIR (or the working directory);
 * returns the texture (for pixel probes; g_object_unref). */
static inline GdkTexture *
jx_pages_test_screenshot (GtkWidget *widget, const char *name)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GskRenderNode *node;
  GdkTexture *texture;
  const char *dir = g_getenv ("JX_PAGES_SHOT_DIR");
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (dir ? dir : ".", file, NULL);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
  return texture;
}

/* Fraction of pixels that differ from white by more than a little (is anything drawn?). */
static inline double
jx_pages_test_ink (GdkTexture *texture)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  guchar *data = g_malloc ((size_t) w * h * 4);
  size_t ink = 0;

  gdk_texture_download (texture, data, (size_t) w * 4);
  for (size_t i = 0; i < (size_t) w * h; i++)
    {
      guchar *p = data + 4 * i;   /* B G R A (cairo ARGB32 little-endian) */
      if (abs (p[0] - 255) + abs (p[1] - 255) + abs (p[2] - 255) > 60)
        ink++;
    }
  g_free (data);
  return (double) ink / ((double) w * h);
}

/* Pixels of texture that are a viridis colour (within 6 per channel of one of 256 samples).
 * Near-neutral pixels (white, greys, text) are skipped first: no viridis colour is neutral. */
static inline size_t
jx_pages_test_count_viridis (GdkTexture *texture)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  guchar *data = g_malloc ((size_t) w * h * 4);
  unsigned char map[256][3];
  size_t n = 0;

  for (int k = 0; k < 256; k++)
    jx_rgb_to_bytes (jx_colormap_eval (JX_CMAP_VIRIDIS, k / 255.0), map[k]);
  gdk_texture_download (texture, data, (size_t) w * 4);
  for (size_t i = 0; i < (size_t) w * h; i++)
    {
      const guchar *p = data + 4 * i;   /* B G R A */
      int r = p[2], g = p[1], b = p[0];

      if (MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) < 30)
        continue;
      for (int k = 0; k < 256; k++)
        if (abs (r - map[k][0]) <= 6 && abs (g - map[k][1]) <= 6 && abs (b - map[k][2]) <= 6)
          {
            n++;
            break;
          }
    }
  g_free (data);
  return n;
}

/* The first shown widget of type under root (depth first), or NULL. */
static inline GtkWidget *
jx_pages_test_find (GtkWidget *root, GType type)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = jx_pages_test_find (c, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
jx_pages_test_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

typedef void (*JxPagesSetSettings) (GtkWidget *page, GSettings *settings);
typedef gboolean (*JxPagesExport) (GtkWidget *page, const char *path, GError **error);

/* The page follows the settings' `colormap` key as it changes: its canvas (the first widget
 * of canvas_type) on screen and its PNG export show viridis colours under 'viridis' and
 * none under 'greys'. Destroys the page's window and checks the page is gone, then changes
 * the key again: a handler left connected would run on freed memory. */
static inline void
jx_pages_test_colormap (GtkWidget *page, GType canvas_type, JxPagesSetSettings set_settings,
                        JxPagesExport export_page, const char *name)
{
  g_autoptr (GSettings) settings = jx_application_dup_settings ();
  g_autofree char *dir = g_dir_make_tmp ("jx-pages-colormap-XXXXXX", NULL);
  const char *maps[] = { "viridis", "greys" };
  GtkWidget *canvas;
  GtkWindow *win;
  gpointer alive = page;

  g_assert_nonnull (settings);
  g_assert_nonnull (dir);
  g_settings_set_string (settings, "colormap", "viridis");
  set_settings (page, settings);
  win = jx_pages_test_window (page, 1100, 700);
  canvas = jx_pages_test_find (page, canvas_type);
  g_assert_nonnull (canvas);
  for (guint k = 0; k < G_N_ELEMENTS (maps); k++)
    {
      g_autofree char *shot_name = g_strdup_printf ("%s-%s", name, maps[k]);
      g_autofree char *file = g_strdup_printf ("%s.png", shot_name);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autoptr (GdkTexture) shot = NULL;
      g_autoptr (GdkTexture) exported = NULL;
      g_autoptr (GError) error = NULL;
      size_t on_screen, in_file;

      g_settings_set_string (settings, "colormap", maps[k]);
      jx_pages_test_wait_frames (page, 2);
      shot = jx_pages_test_screenshot (canvas, shot_name);
      g_assert_true (export_page (page, path, &error));
      g_assert_no_error (error);
      exported = gdk_texture_new_from_filename (path, &error);
      g_assert_no_error (error);
      g_unlink (path);
      on_screen = jx_pages_test_count_viridis (shot);
      in_file = jx_pages_test_count_viridis (exported);
      g_test_message ("%s: %zu viridis pixels on screen, %zu in the export", shot_name,
                      on_screen, in_file);
      g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.005);
      if (k == 0)
        {
          g_assert_cmpuint (on_screen, >, 200);
          g_assert_cmpuint (in_file, >, 200);
        }
      else
        {
          /* A few anti-aliased edges may pass for viridis by chance; a map is thousands. */
          g_assert_cmpuint (on_screen, <, 20);
          g_assert_cmpuint (in_file, <, 20);
        }
    }
  g_rmdir (dir);
  g_object_add_weak_pointer (G_OBJECT (page), &alive);
  gtk_window_destroy (win);
  g_assert_true (jx_pages_test_wait_for (jx_pages_test_is_null, &alive));
  g_settings_set_string (settings, "colormap", "viridis");
  g_settings_set_string (settings, "colormap", "greys");
}
