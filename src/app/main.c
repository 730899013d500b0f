/* main.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "lanyard-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LanyardApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* LANYARD_LOCALEDIR: the build tree's catalogs (<builddir>/po), for
   * build-aux/run-demo.sh and the tests; installed, LOCALEDIR. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LANYARD_LOCALEDIR") ? g_getenv ("LANYARD_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Lanyard"));

  app = lanyard_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
