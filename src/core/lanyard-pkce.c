/* lanyard-pkce.c — PKCE (RFC 7636), state and nonce from a CSPRNG
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-pkce"

#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "lanyard-base64url.h"
#include "lanyard-pkce.h"

#define PKCE_VERIFIER_BYTES 32

char *
lanyard_random_token (gsize n_bytes)
{
  g_autofree guint8 *buf = NULL;
  char *token;

  g_return_val_if_fail (n_bytes > 0 && n_bytes <= 4096, NULL);

  buf = g_malloc (n_bytes);

  /* A predictable state, nonce or verifier defeats its purpose; there is no
   * acceptable fallback, so stop here rather than limp on. */
  if (RAND_bytes (buf, (int) n_bytes) != 1)
    g_error ("The system random number generator failed");

  token = lanyard_base64url_encode (buf, n_bytes);
  OPENSSL_cleanse (buf, n_bytes);

  return token;
}

char *
lanyard_pkce_new_verifier (void)
{
  return lanyard_random_token (PKCE_VERIFIER_BYTES);
}

char *
lanyard_pkce_challenge_s256 (const char *verifier)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;

  g_return_val_if_fail (verifier != NULL, NULL);

  if (EVP_Digest (verifier, strlen (verifier), digest, &digest_len, EVP_sha256 (), NULL) != 1)
    g_error ("SHA-256 is not available");

  return lanyard_base64url_encode (digest, digest_len);
}

gboolean
lanyard_secure_str_equal (const char *a,
                          const char *b)
{
  gsize len_a, len_b;

  if (a == NULL || b == NULL)
    return FALSE;

  len_a = strlen (a);
  len_b = strlen (b);
  if (len_a != len_b)
    return FALSE;

  return CRYPTO_memcmp (a, b, len_a) == 0;
}
