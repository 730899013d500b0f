/* lanyard-i18n.c — the library's own translations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-i18n"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lanyard-i18n-private.h"

static void
ensure_domain (void)
{
  static gsize bound = 0;

  if (g_once_init_enter (&bound))
    {
      /* A program that bound the domain itself (the app, a test running from
       * the build tree) keeps its binding: asking with NULL returns the
       * binding, or the C library's default for a domain nobody bound. */
      g_autofree char *dir = g_strdup (bindtextdomain (GETTEXT_PACKAGE, NULL));
      const char *unbound = bindtextdomain ("lanyard-i18n-unbound", NULL);

      if (g_strcmp0 (dir, unbound) == 0)
        bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&bound, 1);
    }
}

const char *
lanyard_gettext (const char *msgid)
{
  ensure_domain ();
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

const char *
lanyard_ngettext (const char *msgid,
                  const char *msgid_plural,
                  gulong      n)
{
  ensure_domain ();
  return g_dngettext (GETTEXT_PACKAGE, msgid, msgid_plural, n);
}

char *
lanyard_format_duration (guint seconds)
{
  if (seconds >= 60 && seconds % 60 == 0)
    return g_strdup_printf (lanyard_ngettext ("%u minute", "%u minutes", seconds / 60),
                            seconds / 60);

  return g_strdup_printf (lanyard_ngettext ("%u second", "%u seconds", seconds), seconds);
}
