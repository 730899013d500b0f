/* test-pkce.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-test-pkce"

#include "config.h"

#include <string.h>

#include "lanyard-pkce.h"
#include "lanyard-test-utils.h"

static gboolean
is_base64url (const char *s)
{
  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isalnum (*s) && *s != '-' && *s != '_')
        return FALSE;
    }
  return TRUE;
}

/* RFC 7636 Appendix B */
static void
test_rfc7636_appendix_b (void)
{
  g_autofree char *challenge =
    lanyard_pkce_challenge_s256 ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_verifier (void)
{
  g_autofree char *a = lanyard_pkce_new_verifier ();
  g_autofree char *b = lanyard_pkce_new_verifier ();
  g_autofree char *challenge = lanyard_pkce_challenge_s256 (a);

  /* 32 bytes → 43 characters, within RFC 7636 §4.1's 43..128 unreserved */
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_true (is_base64url (a));
  g_assert_cmpstr (a, !=, b);

  g_assert_cmpuint (strlen (challenge), ==, 43);
  g_assert_true (is_base64url (challenge));
}

static void
test_random_token (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  for (i = 0; i < 200; i++)
    {
      char *token = lanyard_random_token (16);

      g_assert_cmpuint (strlen (token), ==, 22);
      g_assert_true (is_base64url (token));
      g_assert_false (g_hash_table_contains (seen, token));
      g_hash_table_add (seen, token);
    }

  {
    g_autofree char *one = lanyard_random_token (1);
    g_autofree char *big = lanyard_random_token (64);

    g_assert_cmpuint (strlen (one), ==, 2);
    g_assert_cmpuint (strlen (big), ==, 86);
  }
}

static void
test_secure_str_equal (void)
{
  g_assert_true (lanyard_secure_str_equal ("abc", "abc"));
  g_assert_true (lanyard_secure_str_equal ("", ""));
  g_assert_false (lanyard_secure_str_equal ("abc", "abd"));
  g_assert_false (lanyard_secure_str_equal ("abc", "ab"));
  g_assert_false (lanyard_secure_str_equal ("ab", "abc"));
  g_assert_false (lanyard_secure_str_equal ("abc", ""));
  g_assert_false (lanyard_secure_str_equal (NULL, "abc"));
  g_assert_false (lanyard_secure_str_equal ("abc", NULL));
  g_assert_false (lanyard_secure_str_equal (NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/pkce/rfc7636-appendix-b", test_rfc7636_appendix_b);
  g_test_add_func ("/lanyard/pkce/verifier", test_verifier);
  g_test_add_func ("/lanyard/pkce/random-token", test_random_token);
  g_test_add_func ("/lanyard/pkce/secure-str-equal", test_secure_str_equal);

  return g_test_run ();
}
