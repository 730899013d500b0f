/* test-app-hostile-text.c — what the app shows of provider text carries no
 * control character and no bidi override: claim rows, error messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs a display (LANYARD_TEST_DISPLAY=1: the session's private Xvfb).
 */
#include "config.h"

#include <gtk/gtk.h>

#include "lanyard.h"
#include "lanyard-claim-row.h"
#include "lanyard-text.h"

#define FFFD "\xef\xbf\xbd"

static void
assert_clean (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (c < 0x20 || (c >= 0x7f && c <= 0x9f));
      g_assert_false (c >= 0x202a && c <= 0x202e);
      g_assert_false (c >= 0x2066 && c <= 0x2069);
    }
}

static void
test_claim_rows (void)
{
  g_autoptr(JsonNode) name = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) nested = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  GtkWidget *nested_row;

  json_node_set_string (name, "Evil\x1b[2J\xc2\x9b" "31m \xe2\x80\xaegnp.exe\xe2\x81\xa6");
  row = g_object_ref_sink (lanyard_claim_row_new ("name", name));
  assert_clean (lanyard_claim_row_get_value (LANYARD_CLAIM_ROW (row)));
  g_assert_cmpstr (lanyard_claim_row_get_value (LANYARD_CLAIM_ROW (row)), ==,
                   "Evil" FFFD "[2J" FFFD "31m " FFFD "gnp.exe" FFFD);

  /* A claim name is the provider's too; an object is shown as JSON, escaped. */
  json_parser_load_from_data (parser, "{\"a\\u001b]0;x\\u0007\":{\"b\":\"\\u202e1e22\",\"n\":1e22}}", -1, &error);
  g_assert_no_error (error);
  nested = json_node_copy (json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                   "a\x1b]0;x\x07"));
  nested_row = g_object_ref_sink (lanyard_claim_row_new ("a\x1b]0;x\x07", nested));
  assert_clean (lanyard_claim_row_get_name (LANYARD_CLAIM_ROW (nested_row)));
  assert_clean (lanyard_claim_row_get_value (LANYARD_CLAIM_ROW (nested_row)));
  g_assert_cmpstr (lanyard_claim_row_get_value (LANYARD_CLAIM_ROW (nested_row)), ==,
                   "{\"b\":\"\\u202e1e22\",\"n\":1e+22}");

  g_object_unref (row);
  g_object_unref (nested_row);
}

static void
test_error_text (void)
{
  g_autoptr(GError) error = g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_PROVIDER,
                                                 "access_denied: \x1b]0;pwned\x07 \xe2\x80\xae" "dlrow");
  g_autofree char *text = lanyard_error_to_text (error);

  assert_clean (text);
  g_assert_nonnull (strstr (text, FFFD "]0;pwned" FFFD " " FFFD "dlrow"));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lanyard/app/hostile-text/claim-rows", test_claim_rows);
  g_test_add_func ("/lanyard/app/hostile-text/error-text", test_error_text);

  return g_test_run ();
}
