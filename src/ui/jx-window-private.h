/* jx-window-private.h — JxWindow's struct, shared by jx-window*.c (split by concern). */
#pragma once

#include "jx-jet-browser.h"
#include "jx-job.h"
#include "jx-tasks.h"
#include "jx-window.h"

G_BEGIN_DECLS

typedef struct _JxWindowTest JxWindowTest;

struct _JxWindow
{
  AdwApplicationWindow parent_instance;

  /* Template Widgets */
  AdwToastOverlay *toast_overlay;
  AdwFlap *flap;             /* the sidebar: library and jobs */
  AdwFlapFoldPolicy fold_wanted;  /* for the window's width, applied in fold_idle */
  guint fold_idle;
  GtkPaned *browser_paned;   /* jet browser | page */
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

  /* --test-mode instrumentation (jx-window-test.c); NULL otherwise */
  JxWindowTest *test;
};

/* jx-window.c: do both models build the same trees (algorithm, E_sub, R_sub)? */
gboolean _jx_window_same_clustering (JxModelItem *a, JxModelItem *b);

/* jx-window-jobs.c */
void _jx_window_add_job (JxWindow *self, JxJob *job);
void _jx_window_add_item (JxWindow *self, GObject *item);
void _jx_window_toast (JxWindow *self, const char *text, guint timeout);
void _jx_window_toast_full (JxWindow *self, const char *text, guint timeout,
                            AdwToastPriority priority);
void _jx_window_update_scores (JxWindow *self);
gboolean _jx_window_run_job (JxSession *session, JxJob *job, JxWindow *self);
int  _jx_window_get_threads (JxWindow *self);
char *_jx_window_output_path (JxWindow *self, const char *stem);

/* jx-window-test.c: each a no-op unless the app runs with --test-mode */
void _jx_window_test_init (JxWindow *self);
void _jx_window_test_free (JxWindowTest *test);
void _jx_window_test_log (JxWindow *self, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
void _jx_window_test_job_started (JxWindow *self, JxJob *job);
void _jx_window_test_job_finished (JxWindow *self, JxJob *job);

/* jx-window-actions.c */
void _jx_window_class_actions_init (GtkWidgetClass *widget_class);

G_END_DECLS
