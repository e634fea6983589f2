/* main.c — junipr-explorer: gettext, then the application. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "jx-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (JxApplication) app = NULL;

  jx_application_set_start_time (g_get_monotonic_time ());
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, JX_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Junipr Explorer"));
  app = jx_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
