/* lanyard-i18n-private.h — the library's own translations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Core sources use these instead of <glib/gi18n-lib.h>'s: the first lookup
 * binds the "lanyard" domain to LOCALEDIR, so a program that never called
 * bindtextdomain() (a script through GObject introspection, lanyard-cli
 * before it parsed anything) still gets the library's words in its language.
 * xgettext knows _ and N_; po/meson.build tells it about lanyard_ngettext. */
#undef _
#undef N_
#define _(String) lanyard_gettext (String)
#define N_(String) (String)

const char *lanyard_gettext  (const char *msgid) G_GNUC_FORMAT (1);
const char *lanyard_ngettext (const char *msgid,
                              const char *msgid_plural,
                              gulong      n) G_GNUC_FORMAT (1) G_GNUC_FORMAT (2);

/* "5 minutes", "1 minute", "90 seconds": a duration as people say it. */
char       *lanyard_format_duration (guint seconds);

G_END_DECLS
