/* lanyard-loopback-page.c — the small page the loopback listener answers with
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-loopback"

#include "config.h"

#include <string.h>

#include "lanyard-i18n-private.h"
#include "lanyard-loopback-page.h"

/* Provider text (an error_description) ends up here: keep the page small. */
#define MAX_TITLE_CHARS   120
#define MAX_MESSAGE_CHARS 1000

#define CONTENT_SECURITY_POLICY "default-src 'none'; style-src 'unsafe-inline'"

static const char page_template[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"%s\">\n"
  "<head>\n"
  "<meta charset=\"utf-8\">\n"
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
  "<meta name=\"referrer\" content=\"no-referrer\">\n"
  "<title>%s</title>\n"
  "<style>\n"
  "body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;"
  "font-family:Cantarell,system-ui,sans-serif;background:#fafafb;color:#242428}\n"
  "main{max-width:34em;margin:2em;padding:2em 2.5em;border-radius:12px;background:#fff;"
  "box-shadow:0 1px 3px rgba(0,0,0,.15)}\n"
  "h1{font-size:1.4em;margin:0 0 .6em}\n"
  "p{margin:0;line-height:1.5;white-space:pre-line;overflow-wrap:anywhere}\n"
  "@media (prefers-color-scheme:dark){body{background:#222226;color:#fff}main{background:#2e2e32}}\n"
  "</style>\n"
  "</head>\n"
  "<body>\n"
  "<main>\n"
  "<h1>%s</h1>\n"
  "<p>%s</p>\n"
  "</main>\n"
  "</body>\n"
  "</html>\n";

/* Valid UTF-8, no control characters but newline and tab, at most
 * @max_chars characters; then HTML-escaped. */
static char *
sanitize_and_escape (const char *text,
                     guint       max_chars)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) clean = NULL;
  const char *p;
  guint n_chars = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  clean = g_string_sized_new (strlen (valid));

  for (p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars == max_chars)
        {
          g_string_append (clean, "…");
          break;
        }

      if (c == '\n' || c == '\t')
        g_string_append_unichar (clean, c);
      else if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_c (clean, ' ');
      else
        g_string_append_unichar (clean, c);

      n_chars++;
    }

  return g_markup_escape_text (clean->str, clean->len);
}

char *
lanyard_loopback_page_build (const char *title,
                             const char *message)
{
  g_autofree char *escaped_title = sanitize_and_escape (title, MAX_TITLE_CHARS);
  g_autofree char *escaped_message = sanitize_and_escape (message, MAX_MESSAGE_CHARS);

  /* Translators: the language code of this translation, such as “de” or
   * “pt-BR” (BCP 47): the browser tab's words are in that language */
  const char *lang = _("en");

  return g_strdup_printf (page_template, lang, escaped_title, escaped_title, escaped_message);
}

void
lanyard_loopback_page_add_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  headers = soup_server_message_get_response_headers (msg);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy", CONTENT_SECURITY_POLICY);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  /* One request per connection: nothing lingers once the answer is out. */
  soup_message_headers_replace (headers, "Connection", "close");
}

void
lanyard_loopback_page_respond (SoupServerMessage *msg,
                               guint              status,
                               const char        *title,
                               const char        *message)
{
  g_autofree char *page = NULL;
  gsize len;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  page = lanyard_loopback_page_build (title, message);
  len = strlen (page);

  soup_server_message_set_status (msg, status, NULL);
  lanyard_loopback_page_add_headers (msg);
  soup_server_message_set_response (msg, "text/html; charset=utf-8",
                                    SOUP_MEMORY_TAKE, g_steal_pointer (&page), len);
}
