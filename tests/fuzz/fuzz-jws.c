/* fuzz-jws.c — JWS parsing, signature checks and ID token validation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An input is either a compact JWS (anything not starting with '{'), parsed,
 * verified against a fixed key set and validated as an ID token, or — when
 * it starts with '{' — a claims payload that this target signs itself with
 * the key set's ES384 key, so the claim checks behind the signature get
 * fuzzed too. A token that validates must satisfy what was expected.
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "lanyard-base64url.h"
#include "lanyard-id-token.h"
#include "lanyard-json.h"
#include "lanyard-jwks.h"
#include "lanyard-jws.h"

#include "fuzz-common.h"
#include "fuzz-keys.h"

static LanyardJwks *jwks;
static EVP_PKEY *signing_key;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  const char pem[] = FUZZ_ES384_PRIVATE_PEM;
  BIO *bio;

  fuzz_init ();

  jwks = lanyard_jwks_new_from_data (FUZZ_JWKS, strlen (FUZZ_JWKS), NULL);
  g_assert_nonnull (jwks);
  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 3);

  bio = BIO_new_mem_buf (pem, sizeof pem - 1);
  signing_key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  BIO_free (bio);
  g_assert_nonnull (signing_key);

  return 0;
}

/* FUZZ_ES384_HEADER "." @claims "." ES384 signature (raw R || S). */
static char *
sign_claims (const char *claims)
{
  g_autofree char *header = lanyard_base64url_encode ((const guint8 *) FUZZ_ES384_HEADER,
                                                      strlen (FUZZ_ES384_HEADER));
  g_autofree char *payload = lanyard_base64url_encode ((const guint8 *) claims, strlen (claims));
  g_autofree char *signing_input = g_strconcat (header, ".", payload, NULL);
  g_autofree char *signature = NULL;
  unsigned char der[128];
  const unsigned char *p = der;
  guint8 raw[96];
  size_t der_len = sizeof der;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  ECDSA_SIG *sig;

  g_assert_nonnull (ctx);
  g_assert_cmpint (EVP_DigestSignInit_ex (ctx, NULL, "SHA384", NULL, NULL, signing_key, NULL), ==, 1);
  g_assert_cmpint (EVP_DigestSign (ctx, der, &der_len, (const guchar *) signing_input,
                                   strlen (signing_input)), ==, 1);
  EVP_MD_CTX_free (ctx);

  sig = d2i_ECDSA_SIG (NULL, &p, (long) der_len);
  g_assert_nonnull (sig);
  g_assert_cmpint (BN_bn2binpad (ECDSA_SIG_get0_r (sig), raw, 48), ==, 48);
  g_assert_cmpint (BN_bn2binpad (ECDSA_SIG_get0_s (sig), raw + 48, 48), ==, 48);
  ECDSA_SIG_free (sig);

  signature = lanyard_base64url_encode (raw, sizeof raw);
  return g_strconcat (signing_input, ".", signature, NULL);
}

static void
check_claims (JsonObject *claims,
              const char *nonce)
{
  gint64 exp = 0;

  g_assert_nonnull (claims);
  g_assert_cmpstr (lanyard_json_get_string (claims, "iss"), ==, FUZZ_ISSUER);
  g_assert_nonnull (lanyard_json_get_string (claims, "sub"));
  g_assert_cmpstr (lanyard_json_get_string (claims, "sub"), !=, "");
  if (nonce != NULL)
    g_assert_cmpstr (lanyard_json_get_string (claims, "nonce"), ==, nonce);
  if (lanyard_json_get_int (claims, "exp", &exp))
    g_assert_cmpint (exp, >, FUZZ_NOW - LANYARD_ID_TOKEN_DEFAULT_SKEW_SECONDS);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autofree char *token = NULL;
  g_autoptr(LanyardJws) jws = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(JsonObject) peeked = NULL;
  g_autoptr(GError) error = NULL;
  LanyardIdTokenExpectations expect = {
    .issuer = FUZZ_ISSUER,
    .client_id = FUZZ_CLIENT_ID,
    .nonce = FUZZ_NONCE,
    .now = FUZZ_NOW,
  };

  /* A sign-in sends a nonce, a refresh does not: one input, one of both. */
  if (size % 2 == 1)
    expect.nonce = NULL;

  token = input[0] == '{' ? sign_claims (input) : g_strdup (input);

  jws = lanyard_jws_parse (token, &error);
  if (jws == NULL)
    {
      fuzz_check_error (error);
      g_assert_cmpint (error->code, ==, LANYARD_ERROR_INVALID_TOKEN);
    }
  else
    {
      g_assert_nonnull (lanyard_jws_get_alg (jws));
      g_assert_nonnull (lanyard_jws_get_header (jws));
      g_assert_nonnull (lanyard_jws_get_payload (jws));
      (void) lanyard_jws_get_kid (jws);

      if (!lanyard_jws_verify (jws, jwks, &error))
        fuzz_check_error (error);
      else
        g_assert_true (lanyard_jws_alg_is_allowed (lanyard_jws_get_alg (jws)));
    }
  g_clear_error (&error);

  claims = lanyard_id_token_validate (token, jwks, &expect, &error);
  if (claims == NULL)
    {
      fuzz_check_error (error);
      g_assert_cmpint (error->code, ==, LANYARD_ERROR_INVALID_TOKEN);
      g_assert_true (g_str_has_prefix (error->message, "ID token rejected: "));
    }
  else
    {
      g_assert_nonnull (jws);
      check_claims (claims, expect.nonce);
    }
  g_clear_error (&error);

  peeked = lanyard_id_token_peek_claims (token, &error);
  if (peeked == NULL)
    {
      fuzz_check_error (error);
      g_assert_null (claims);
    }

  return 0;
}
