/* jx-window-private.h — JxWindow's struct, shared by jx-window*.c (split by concern). */
#pragma once

#include "jx-jet-browser.h"
#include "jx-job.h"
#include "jx-tasks.h"
#include "jx-window.h"

G_BEGIN_DECLS

typedef enum {
  JX_JOB_KIND_LOAD,
  JX_JOB_KIND_GENERATE,
  JX_JOB_KIND_OBSERVABLES,
  JX_JOB_KIND_TRAIN,
  JX_JOB_KIND_EVAL,
  JX_JOB_KIND_SAMPLE,
  JX_JOB_KIND_REWEIGHT,
  JX_JOB_KIND_ANALYSIS,     /* the session's and the pages' own work: they take the results */
} JxJobKind;

struct _JxWindow
{
  AdwApplicationWindow parent_instance;

  /* Template Widgets */
  AdwToastOverlay *toast_overlay;
  AdwViewStack *page_stack;
  GtkListBox *library_list;
  GtkListBox *jobs_list;
  JxJetBrowser *jet_browser;
  GtkLabel *status_label;
  GtkMenuButton *primary_menu_button;

  /* Pages (template children of page_stack or placeholders) */
  GtkWidget *tree_page;
  GtkWidget *image_page;
  GtkWidget *shower_page;
  GtkWidget *lund_page;
  GtkWidget *plots_page;

  /* Owned References */
  JxSession *session;
  GListStore *library;       /* JxDatasetItem and JxModelItem */
  GListStore *jobs;          /* JxJob */
  GSettings *settings;       /* NULL when the schema is not installed */
  JxJob *training_job;       /* the one whose curve the plots page shows */
  GMenu *recent_menu;        /* "Open Recent" submenu, rebuilt from the settings */

  /* Demo bookkeeping */
  guint demo_pending;
  gboolean demo_announced;

  /* Test mode: main-loop responsiveness while jobs run */
  gboolean test_mode;
  guint tick_id;
  gint64 last_frame;
  gint64 max_gap;            /* µs, longest frame interval while a job ran */
  GArray *gaps;              /* gint64 µs, every frame interval while a job ran */
  guint64 n_frames;
  gboolean first_frame_seen;
};

/* jx-window-jobs.c */
void _jx_window_add_job (JxWindow *self, JxJob *job, JxJobKind kind);
void _jx_window_add_item (JxWindow *self, GObject *item);
void _jx_window_toast (JxWindow *self, const char *text, guint timeout);
void _jx_window_update_scores (JxWindow *self);
gboolean _jx_window_run_job (JxSession *session, JxJob *job, const char *what, JxWindow *self);
void _jx_window_test_log (JxWindow *self, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
int  _jx_window_get_threads (JxWindow *self);
char *_jx_window_output_path (JxWindow *self, const char *stem);

/* jx-window-actions.c */
void _jx_window_class_actions_init (GtkWidgetClass *widget_class);

G_END_DECLS
