/* fuzz-redirect-response.c — judging the authorization response the browser brings back
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is a query or a form_post body as any local program could send
 * it to the loopback listener. Its first byte picks what the sign-in
 * expects: bit 0 an issuer (RFC 9207), bit 1 an "iss" required (with an
 * issuer). The state
 * and the issuer are fixed, so that the fuzzer can find them.
 */
#include "config.h"

#include <string.h>

#include "lanyard-json.h"
#include "lanyard-redirect-response.h"

#include "fuzz-common.h"

#define STATE  "xyz"
#define ISSUER "https://login.example.test/tenant/v2.0"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_clean (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (lanyard_json_is_hostile_char (g_utf8_get_char (p)));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  LanyardRedirectExpect expect = { STATE, NULL, FALSE };
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  LanyardRedirectVerdict verdict;
  const char *form;
  gsize len;

  if (size < 1)
    return 0;

  expect.issuer = (data[0] & 1) ? ISSUER : NULL;
  expect.iss_required = (data[0] & 2) != 0;
  form = (const char *) data + 1;
  len = size - 1;

  verdict = lanyard_redirect_response_judge (form, len, &expect, &code, &error);
  params = lanyard_redirect_parse_form (form, len);

  switch (verdict)
    {
    case LANYARD_REDIRECT_CODE:
      g_assert_no_error (error);
      g_assert_nonnull (code);
      /* Only a well-formed response with our state, a printable code and,
       * when one is expected, the right issuer. */
      g_assert_nonnull (params);
      g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, STATE);
      g_assert_cmpstr (g_hash_table_lookup (params, "code"), ==, code);
      g_assert_null (g_hash_table_lookup (params, "error"));
      g_assert_cmpuint (strlen (code), >, 0);
      for (const char *p = code; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p <= 0x7e);
      /* iss_required only means something with an issuer to compare to. */
      if (expect.issuer != NULL && expect.iss_required)
        g_assert_nonnull (g_hash_table_lookup (params, "iss"));
      if (expect.issuer != NULL && g_hash_table_lookup (params, "iss") != NULL)
        {
          const char *iss = g_hash_table_lookup (params, "iss");
          g_autofree char *decoded = g_uri_unescape_string (iss, NULL);

          g_assert_true (g_str_equal (iss, ISSUER) || g_strcmp0 (decoded, ISSUER) == 0);
        }
      break;

    case LANYARD_REDIRECT_FAILED:
      g_assert_null (code);
      fuzz_check_error (error);
      check_clean (error->message);
      /* The flow only ends for a response that carries our state. */
      g_assert_nonnull (params);
      g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, STATE);
      break;

    case LANYARD_REDIRECT_REFUSED:
      g_assert_null (code);
      fuzz_check_error (error);
      break;

    default:
      g_assert_not_reached ();
    }

  return 0;
}
