/* fuzz-token-response.c — what a token endpoint answers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The same body goes through lanyard_token_response_parse () (a 200) and
 * lanyard_oauth_error_from_response () (an error status): provider text
 * that reaches a message must come out printable and on one line.
 */
#include "config.h"

#include <string.h>

#include "lanyard-token-endpoint.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* TRUE when the answer named the status only: the body held no error code. */
static gboolean
check_oauth_error (guint   status,
                   GBytes *body)
{
  g_autoptr(GError) error = lanyard_oauth_error_from_response (status, body);
  char status_only[64];

  g_snprintf (status_only, sizeof status_only, "The provider answered with an error (HTTP %u", status);
  fuzz_check_error (error);
  g_assert_true (error->code == LANYARD_ERROR_PROVIDER ||
                 error->code == LANYARD_ERROR_INTERACTION_REQUIRED);
  g_assert_null (strpbrk (error->message, "\r\n\t"));

  return g_str_has_prefix (error->message, status_only);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(LanyardTokenResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = lanyard_token_response_parse (body, FUZZ_NOW, &error);
  if (response == NULL)
    {
      fuzz_check_error (error);
      g_assert_cmpint (error->code, ==, LANYARD_ERROR_INVALID_RESPONSE);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_nonnull (response->access_token);
      g_assert_cmpstr (response->access_token, !=, "");
      g_assert_nonnull (response->token_type);
      g_assert_cmpint (g_ascii_strcasecmp (response->token_type, "Bearer"), ==, 0);
      g_assert_true (response->expires_at == 0 || response->expires_at >= FUZZ_NOW);
    }

  /* The status is only said when the body has no error code; otherwise it
   * is not read at all, and a second status would parse the same body to
   * the same answer. */
  if (check_oauth_error (400, body))
    check_oauth_error (599, body);

  return 0;
}
