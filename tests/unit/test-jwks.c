/* test-jwks.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-test-jwks"

#include "config.h"

#include <string.h>

#include "lanyard-error.h"
#include "lanyard-jwks.h"
#include "lanyard-test-jwt.h"
#include "lanyard-test-utils.h"

/* RFC 7515 Appendix A.2 (public part) */
#define RFC7515_A2_JWK \
  "{\"kty\":\"RSA\"," \
  "\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx" \
  "HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs" \
  "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH" \
  "SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV" \
  "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8" \
  "NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\"," \
  "\"e\":\"AQAB\"}"

/* RFC 7515 Appendix A.3 (public part) */
#define RFC7515_A3_JWK \
  "{\"kty\":\"EC\",\"crv\":\"P-256\"," \
  "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\"," \
  "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}"

/* RFC 7520 §3.4 (public part), used by §4.1 */
#define RFC7520_RSA_JWK \
  "{\"kty\":\"RSA\",\"kid\":\"bilbo.baggins@hobbiton.example\",\"use\":\"sig\"," \
  "\"n\":\"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqV" \
  "wGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw\"," \
  "\"e\":\"AQAB\"}"

static LanyardJwks *
jwks_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  LanyardJwks *jwks = lanyard_jwks_new_from_data (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (jwks);
  return jwks;
}

static void
assert_no_key (LanyardJwks *jwks,
               const char  *kid,
               const char  *alg,
               const char  *why)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (lanyard_jwks_find_key (jwks, kid, alg, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
  if (strstr (error->message, why) == NULL)
    g_error ("find_key (%s, %s) failed with “%s”, expected “%s”", kid, alg, error->message, why);
}

static EVP_PKEY *
find_ok (LanyardJwks *jwks,
         const char  *kid,
         const char  *alg)
{
  g_autoptr(GError) error = NULL;
  EVP_PKEY *key = lanyard_jwks_find_key (jwks, kid, alg, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static void
test_rfc7515_rsa (void)
{
  g_autoptr(LanyardJwks) jwks = jwks_ok ("{\"keys\":[" RFC7515_A2_JWK "]}");
  EVP_PKEY *key;

  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 1);
  key = find_ok (jwks, NULL, "RS256");
  g_assert_true (EVP_PKEY_is_a (key, "RSA"));
  g_assert_cmpint (EVP_PKEY_get_bits (key), ==, 2048);
  g_assert_true (find_ok (jwks, NULL, "PS256") == key);
  g_assert_true (find_ok (jwks, NULL, "RS512") == key);
  assert_no_key (jwks, NULL, "ES256", "no key fits alg ES256");
  assert_no_key (jwks, "2010-12-29", "RS256", "no key with kid");
}

static void
test_rfc7515_ec (void)
{
  g_autoptr(LanyardJwks) jwks = jwks_ok ("{\"keys\":[" RFC7515_A3_JWK "]}");
  EVP_PKEY *key;

  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 1);
  key = find_ok (jwks, NULL, "ES256");
  g_assert_true (EVP_PKEY_is_a (key, "EC"));
  assert_no_key (jwks, NULL, "ES384", "no key fits");
  assert_no_key (jwks, NULL, "RS256", "no key fits");
}

static void
test_rfc7520_rsa (void)
{
  g_autoptr(LanyardJwks) jwks = jwks_ok ("{\"keys\":[" RFC7520_RSA_JWK "," RFC7515_A3_JWK "]}");

  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 2);
  g_assert_true (lanyard_jwks_has_kid (jwks, "bilbo.baggins@hobbiton.example"));
  g_assert_false (lanyard_jwks_has_kid (jwks, "frodo"));
  find_ok (jwks, "bilbo.baggins@hobbiton.example", "RS256");
}

static void
test_skips_unusable_keys (void)
{
  g_autoptr(LanyardTestKey) rsa = lanyard_test_key_new_rsa (2048);
  g_autoptr(LanyardTestKey) ec = lanyard_test_key_new_ec ("P-256");
  g_autofree char *good = lanyard_test_key_to_jwk (rsa, "good", NULL, "sig");
  g_autofree char *enc = lanyard_test_key_to_jwk (rsa, "enc", NULL, "enc");
  g_autofree char *ec_good = lanyard_test_key_to_jwk (ec, "ec", NULL, NULL);
  g_autofree char *text =
    lanyard_test_jwks_build (good, enc, ec_good,
                             "{\"kty\":\"oct\",\"kid\":\"hmac\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}",
                             "{\"kty\":\"OKP\",\"kid\":\"ed\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}",
                             "{\"kid\":\"no-kty\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
                             "{\"kty\":\"RSA\",\"kid\":\"bad-n\",\"n\":\"not base64!\",\"e\":\"AQAB\"}",
                             "{\"kty\":\"RSA\",\"kid\":\"no-e\",\"n\":\"AQAB\"}",
                             "{\"kty\":\"EC\",\"kid\":\"p521\",\"crv\":\"P-521\",\"x\":\"AQAB\",\"y\":\"AQAB\"}",
                             /* A.3's x with y off by one: not on the curve */
                             "{\"kty\":\"EC\",\"kid\":\"off-curve\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4\"}",
                             /* x one byte short */
                             "{\"kty\":\"EC\",\"kid\":\"short-x\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVA\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}",
                             "{\"kty\":\"RSA\",\"kid\":\"ops\",\"key_ops\":[\"encrypt\"],\"n\":\"AQAB\",\"e\":\"AQAB\"}",
                             "{\"kty\":\"RSA\",\"kid\":7,\"n\":\"AQAB\",\"e\":\"AQAB\"}",
                             "\"not an object\"",
                             "42",
                             NULL);
  g_autoptr(LanyardJwks) jwks = jwks_ok (text);

  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 2);
  g_assert_true (lanyard_jwks_has_kid (jwks, "good"));
  g_assert_true (lanyard_jwks_has_kid (jwks, "ec"));
  g_assert_false (lanyard_jwks_has_kid (jwks, "enc"));
  g_assert_false (lanyard_jwks_has_kid (jwks, "hmac"));
  g_assert_false (lanyard_jwks_has_kid (jwks, "off-curve"));
  assert_no_key (jwks, "enc", "RS256", "no key with kid");
  assert_no_key (jwks, "hmac", "HS256", "not allowed");
}

static void
test_refuses_short_rsa (void)
{
  g_autoptr(LanyardTestKey) weak = lanyard_test_key_new_rsa (1024);
  g_autofree char *jwk = lanyard_test_key_to_jwk (weak, "weak", "RS256", "sig");
  g_autofree char *text = lanyard_test_jwks_build (jwk, NULL);
  g_autoptr(LanyardJwks) jwks = jwks_ok (text);

  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 0);
  assert_no_key (jwks, "weak", "RS256", "no key with kid");
}

static void
test_not_a_jwks (void)
{
  static const char *bad[] = {
    "",
    "not json",
    "[]",
    "{}",
    "{\"keys\":{}}",
    "{\"keys\":\"x\"}",
    "{\"keys\":[],\"keys\":[]}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanyardJwks) jwks = lanyard_jwks_new_from_data (bad[i], strlen (bad[i]), &error);

      g_assert_null (jwks);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
    }

  /* An empty set is a set; finding a key in it fails later. */
  {
    g_autoptr(LanyardJwks) jwks = jwks_ok ("{\"keys\":[]}");

    g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 0);
    assert_no_key (jwks, NULL, "RS256", "no key fits");
  }
}

static void
test_find_key (void)
{
  g_autoptr(LanyardTestKey) rsa1 = lanyard_test_key_new_rsa (2048);
  g_autoptr(LanyardTestKey) rsa2 = lanyard_test_key_new_rsa (2048);
  g_autoptr(LanyardTestKey) ec256 = lanyard_test_key_new_ec ("P-256");
  g_autoptr(LanyardTestKey) ec384 = lanyard_test_key_new_ec ("P-384");
  g_autofree char *j1 = lanyard_test_key_to_jwk (rsa1, "rsa1", NULL, "sig");
  g_autofree char *j2 = lanyard_test_key_to_jwk (rsa2, "rsa2", "RS384", NULL);
  g_autofree char *j3 = lanyard_test_key_to_jwk (ec256, "ec256", "ES256", "sig");
  g_autofree char *j4 = lanyard_test_key_to_jwk (ec384, "ec384", NULL, NULL);
  g_autofree char *text = lanyard_test_jwks_build (j1, j2, j3, j4, NULL);
  g_autoptr(LanyardJwks) jwks = jwks_ok (text);
  g_autoptr(LanyardJwks) ref = NULL;

  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 4);

  g_assert_true (EVP_PKEY_eq (find_ok (jwks, "rsa1", "RS256"), lanyard_test_key_get_pkey (rsa1)) == 1);
  g_assert_true (EVP_PKEY_eq (find_ok (jwks, "rsa1", "PS256"), lanyard_test_key_get_pkey (rsa1)) == 1);
  g_assert_true (EVP_PKEY_eq (find_ok (jwks, "rsa2", "RS384"), lanyard_test_key_get_pkey (rsa2)) == 1);
  g_assert_true (EVP_PKEY_eq (find_ok (jwks, "ec256", "ES256"), lanyard_test_key_get_pkey (ec256)) == 1);
  g_assert_true (EVP_PKEY_eq (find_ok (jwks, "ec384", "ES384"), lanyard_test_key_get_pkey (ec384)) == 1);

  /* unknown kid */
  assert_no_key (jwks, "rsa3", "RS256", "no key with kid “rsa3”");
  /* kid known, but kty does not fit the alg */
  assert_no_key (jwks, "ec256", "RS256", "does not fit alg RS256");
  assert_no_key (jwks, "rsa1", "ES256", "does not fit alg ES256");
  /* kid known, kty fits, crv does not */
  assert_no_key (jwks, "ec384", "ES256", "does not fit alg ES256");
  assert_no_key (jwks, "ec256", "ES384", "does not fit alg ES384");
  /* the key's own alg differs */
  assert_no_key (jwks, "rsa2", "RS256", "does not fit alg RS256");
  assert_no_key (jwks, "rsa2", "PS256", "does not fit alg PS256");
  /* algs outside the allow-list */
  assert_no_key (jwks, "rsa1", "HS256", "not allowed");
  assert_no_key (jwks, "rsa1", "none", "not allowed");
  assert_no_key (jwks, "ec256", "ES512", "not allowed");
  assert_no_key (jwks, "rsa1", "rs256", "not allowed");

  /* without a kid: only an unambiguous fit */
  g_assert_true (EVP_PKEY_eq (find_ok (jwks, NULL, "ES256"), lanyard_test_key_get_pkey (ec256)) == 1);
  assert_no_key (jwks, NULL, "RS384", "2 keys fit");   /* rsa1 (no alg) and rsa2 */
  g_assert_true (EVP_PKEY_eq (find_ok (jwks, NULL, "RS256"), lanyard_test_key_get_pkey (rsa1)) == 1);

  /* A long, odd kid is quoted escaped and cut short. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *kid = g_strnfill (500, 'k');

    kid[3] = '\n';
    g_assert_null (lanyard_jwks_find_key (jwks, kid, "RS256", &error));
    g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
    g_assert_null (strchr (error->message, '\n'));
    g_assert_cmpuint (strlen (error->message), <, 200);
  }

  ref = lanyard_jwks_ref (jwks);
  g_assert_true (ref == jwks);
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/jwks/rfc7515-rsa", test_rfc7515_rsa);
  g_test_add_func ("/lanyard/jwks/rfc7515-ec", test_rfc7515_ec);
  g_test_add_func ("/lanyard/jwks/rfc7520-rsa", test_rfc7520_rsa);
  g_test_add_func ("/lanyard/jwks/skips-unusable-keys", test_skips_unusable_keys);
  g_test_add_func ("/lanyard/jwks/refuses-short-rsa", test_refuses_short_rsa);
  g_test_add_func ("/lanyard/jwks/not-a-jwks", test_not_a_jwks);
  g_test_add_func ("/lanyard/jwks/find-key", test_find_key);

  return g_test_run ();
}
