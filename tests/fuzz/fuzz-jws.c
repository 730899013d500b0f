/* fuzz-jws.c — JWS parsing, signature checks and ID token validation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An input is either a compact JWS (anything not starting with '{'), parsed,
 * verified against a fixed key set and validated as an ID token, or — when
 * it starts with '{' — a claims payload that this target signs itself with
 * one of the key set's EC keys (see signers[]), so the claim checks behind
 * the signature get fuzzed too. A token that validates must satisfy what was expected.
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

/* The keys this target signs fuzzed claims with: ES256 (RFC 7515 A.3, the
 * set's P-256 key, no kid; OpenSSL's P-256 is fast) for most inputs, and the
 * set's ES384 key "fuzz-es384" for one in eight, so that both algorithms'
 * accepted signatures keep leading into the claim checks. P-384 signing
 * and verifying cost about ten times as much, and were nine tenths of
 * this target's time. */
typedef struct {
  const char *pem;
  const char *header;
  const char *digest;
  gsize       coord_bytes;   /* R and S, each, in the raw JWS signature */
  EVP_PKEY   *key;
  char       *header_b64;
} Signer;

static Signer signers[] = {
  { FUZZ_ES256_PRIVATE_PEM, FUZZ_ES256_HEADER, "SHA256", 32, NULL, NULL },
  { FUZZ_ES384_PRIVATE_PEM, FUZZ_ES384_HEADER, "SHA384", 48, NULL, NULL },
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();

  jwks = lanyard_jwks_new_from_data (FUZZ_JWKS, strlen (FUZZ_JWKS), NULL);
  g_assert_nonnull (jwks);
  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (signers); i++)
    {
      BIO *bio = BIO_new_mem_buf (signers[i].pem, -1);

      signers[i].key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
      BIO_free (bio);
      g_assert_nonnull (signers[i].key);
      signers[i].header_b64 = lanyard_base64url_encode ((const guint8 *) signers[i].header,
                                                        strlen (signers[i].header));
    }

  return 0;
}

/* The signer's header "." @claims "." its signature (raw R || S). */
static char *
sign_claims (const Signer *signer,
             const char   *claims)
{
  g_autofree char *payload = lanyard_base64url_encode ((const guint8 *) claims, strlen (claims));
  g_autofree char *signing_input = g_strconcat (signer->header_b64, ".", payload, NULL);
  g_autofree char *signature = NULL;
  unsigned char der[160];
  const unsigned char *p = der;
  guint8 raw[96];
  size_t der_len = sizeof der;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  ECDSA_SIG *sig;

  g_assert_nonnull (ctx);
  g_assert_cmpint (EVP_DigestSignInit_ex (ctx, NULL, signer->digest, NULL, NULL, signer->key, NULL), ==, 1);
  g_assert_cmpint (EVP_DigestSign (ctx, der, &der_len, (const guchar *) signing_input,
                                   strlen (signing_input)), ==, 1);
  EVP_MD_CTX_free (ctx);

  sig = d2i_ECDSA_SIG (NULL, &p, (long) der_len);
  g_assert_nonnull (sig);
  g_assert_cmpint (BN_bn2binpad (ECDSA_SIG_get0_r (sig), raw, (int) signer->coord_bytes), ==, (int) signer->coord_bytes);
  g_assert_cmpint (BN_bn2binpad (ECDSA_SIG_get0_s (sig), raw + signer->coord_bytes, (int) signer->coord_bytes),
                   ==, (int) signer->coord_bytes);
  ECDSA_SIG_free (sig);

  signature = lanyard_base64url_encode (raw, 2 * signer->coord_bytes);
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

  if (input[0] == '{')
    token = sign_claims (&signers[strlen (input) % 8 == 0 ? 1 : 0], input);
  else
    token = g_strdup (input);

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
