/* lanyard-test-jwt.c — a test-side JWS signer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-test-jwt"

#include "config.h"

#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "lanyard-base64url.h"
#include "lanyard-test-jwt.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ECDSA_SIG, ECDSA_SIG_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)

struct _LanyardTestKey {
  EVP_PKEY *pkey;
  char     *crv;       /* NULL for RSA */
  gsize     coord_len; /* EC only */
};

LanyardTestKey *
lanyard_test_key_new_rsa (guint bits)
{
  LanyardTestKey *key = g_new0 (LanyardTestKey, 1);

  key->pkey = EVP_PKEY_Q_keygen (NULL, NULL, "RSA", (size_t) bits);
  g_assert_nonnull (key->pkey);

  return key;
}

LanyardTestKey *
lanyard_test_key_new_ec (const char *crv)
{
  LanyardTestKey *key = g_new0 (LanyardTestKey, 1);

  key->crv = g_strdup (crv);
  key->coord_len = g_str_equal (crv, "P-256") ? 32 : 48;
  key->pkey = EVP_PKEY_Q_keygen (NULL, NULL, "EC", crv);
  g_assert_nonnull (key->pkey);

  return key;
}

void
lanyard_test_key_free (LanyardTestKey *key)
{
  if (key == NULL)
    return;

  EVP_PKEY_free (key->pkey);
  g_free (key->crv);
  g_free (key);
}

EVP_PKEY *
lanyard_test_key_get_pkey (LanyardTestKey *key)
{
  return key->pkey;
}

char *
lanyard_test_key_get_public_pem (LanyardTestKey *key)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;

  g_assert_true (PEM_write_bio_PUBKEY (bio, key->pkey));
  len = BIO_get_mem_data (bio, &data);

  return g_strndup (data, len);
}

static char *
bn_param_b64 (EVP_PKEY   *pkey,
              const char *name,
              gsize       pad_to)
{
  g_autoptr(BIGNUM) bn = NULL;
  g_autofree guint8 *buf = NULL;
  gsize len;

  g_assert_true (EVP_PKEY_get_bn_param (pkey, name, &bn));
  len = pad_to ? pad_to : (gsize) BN_num_bytes (bn);
  buf = g_malloc (len);
  g_assert_cmpint (BN_bn2binpad (bn, buf, (int) len), ==, (int) len);

  return lanyard_base64url_encode (buf, len);
}

char *
lanyard_test_key_to_jwk (LanyardTestKey *key,
                         const char     *kid,
                         const char     *alg,
                         const char     *use)
{
  GString *out = g_string_new ("{");

  if (key->crv == NULL)
    {
      g_autofree char *n = bn_param_b64 (key->pkey, OSSL_PKEY_PARAM_RSA_N, 0);
      g_autofree char *e = bn_param_b64 (key->pkey, OSSL_PKEY_PARAM_RSA_E, 0);

      g_string_append_printf (out, "\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"%s\"", n, e);
    }
  else
    {
      g_autofree char *x = bn_param_b64 (key->pkey, OSSL_PKEY_PARAM_EC_PUB_X, key->coord_len);
      g_autofree char *y = bn_param_b64 (key->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, key->coord_len);

      g_string_append_printf (out, "\"kty\":\"EC\",\"crv\":\"%s\",\"x\":\"%s\",\"y\":\"%s\"",
                              key->crv, x, y);
    }

  if (kid != NULL)
    g_string_append_printf (out, ",\"kid\":\"%s\"", kid);
  if (alg != NULL)
    g_string_append_printf (out, ",\"alg\":\"%s\"", alg);
  if (use != NULL)
    g_string_append_printf (out, ",\"use\":\"%s\"", use);
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}

char *
lanyard_test_jwks_build (const char *first_jwk,
                         ...)
{
  GString *out = g_string_new ("{\"keys\":[");
  const char *jwk;
  va_list args;

  va_start (args, first_jwk);
  for (jwk = first_jwk; jwk != NULL; jwk = va_arg (args, const char *))
    {
      if (jwk != first_jwk)
        g_string_append_c (out, ',');
      g_string_append (out, jwk);
    }
  va_end (args);
  g_string_append (out, "]}");

  return g_string_free (out, FALSE);
}

static char *
signing_input (const char *header_json,
               const char *payload_json)
{
  g_autofree char *h = lanyard_base64url_encode ((const guint8 *) header_json, strlen (header_json));
  g_autofree char *p = lanyard_base64url_encode ((const guint8 *) payload_json, strlen (payload_json));

  return g_strconcat (h, ".", p, NULL);
}

char *
lanyard_test_jws_assemble (const char   *header_json,
                           const char   *payload_json,
                           const guint8 *signature,
                           gsize         signature_len)
{
  g_autofree char *input = signing_input (header_json, payload_json);
  g_autofree char *sig = lanyard_base64url_encode (signature, signature_len);

  return g_strconcat (input, ".", sig, NULL);
}

char *
lanyard_test_jws_sign (LanyardTestKey *key,
                       const char     *alg,
                       const char     *header_json,
                       const char     *payload_json)
{
  g_autofree char *input = signing_input (header_json, payload_json);
  g_autoptr(EVP_MD_CTX) ctx = EVP_MD_CTX_new ();
  g_autofree guint8 *sig = NULL;
  g_autofree char *sig_b64 = NULL;
  EVP_PKEY_CTX *pctx = NULL;
  const char *digest;
  size_t sig_len = 0;

  if (g_str_has_suffix (alg, "256"))
    digest = "SHA256";
  else if (g_str_has_suffix (alg, "384"))
    digest = "SHA384";
  else
    digest = "SHA512";

  g_assert_cmpint (EVP_DigestSignInit_ex (ctx, &pctx, digest, NULL, NULL, key->pkey, NULL), ==, 1);
  if (g_str_has_prefix (alg, "PS"))
    {
      g_assert_cmpint (EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PSS_PADDING), >, 0);
      g_assert_cmpint (EVP_PKEY_CTX_set_rsa_pss_saltlen (pctx, RSA_PSS_SALTLEN_DIGEST), >, 0);
    }

  g_assert_cmpint (EVP_DigestSign (ctx, NULL, &sig_len, (const guchar *) input, strlen (input)), ==, 1);
  sig = g_malloc (sig_len);
  g_assert_cmpint (EVP_DigestSign (ctx, sig, &sig_len, (const guchar *) input, strlen (input)), ==, 1);

  if (g_str_has_prefix (alg, "ES"))
    {
      const guint8 *p = sig;
      g_autoptr(ECDSA_SIG) esig = d2i_ECDSA_SIG (NULL, &p, (long) sig_len);
      g_autofree guint8 *raw = g_malloc (2 * key->coord_len);

      g_assert_nonnull (esig);
      BN_bn2binpad (ECDSA_SIG_get0_r (esig), raw, (int) key->coord_len);
      BN_bn2binpad (ECDSA_SIG_get0_s (esig), raw + key->coord_len, (int) key->coord_len);
      sig_b64 = lanyard_base64url_encode (raw, 2 * key->coord_len);
    }
  else
    sig_b64 = lanyard_base64url_encode (sig, sig_len);

  return g_strconcat (input, ".", sig_b64, NULL);
}

char *
lanyard_test_jws_sign_hmac (const guint8 *secret,
                            gsize         secret_len,
                            const char   *header_json,
                            const char   *payload_json)
{
  g_autofree char *input = signing_input (header_json, payload_json);
  guint8 mac[EVP_MAX_MD_SIZE];
  size_t mac_len = 0;

  g_assert_nonnull (EVP_Q_mac (NULL, "HMAC", NULL, "SHA256", NULL, secret, secret_len,
                               (const guchar *) input, strlen (input),
                               mac, sizeof mac, &mac_len));

  return lanyard_test_jws_assemble (header_json, payload_json, mac, mac_len);
}
