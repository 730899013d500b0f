/* lanyard-output.c — provider text made safe to print or show
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-output"

#include "config.h"

#include <string.h>

#include "lanyard-json.h"
#include "lanyard-output.h"

/**
 * lanyard_clean_text:
 * @text: (nullable): text a provider wrote (a claim, a username, an error)
 *
 * Makes provider text safe to print on a terminal or show in a label: every
 * C0 and C1 control character, DEL, bidi override (U+202A–U+202E) and bidi
 * isolate (U+2066–U+2069) becomes U+FFFD, tab, newline and carriage return
 * become a space, and invalid UTF-8 is made valid.
 *
 * Returns: (transfer full) (nullable): the cleaned text, or %NULL for %NULL
 */
char *
lanyard_clean_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *clean;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  clean = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t' || c == '\n' || c == '\r')
        g_string_append_c (clean, ' ');
      else if (lanyard_json_is_hostile_char (c))
        g_string_append_unichar (clean, 0xfffd);
      else
        g_string_append_len (clean, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (clean, FALSE);
}
