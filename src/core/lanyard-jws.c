/* lanyard-jws.c — JWS compact serialisation (RFC 7515) parsing and verification
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-jws"

#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "lanyard-i18n-private.h"
#include "lanyard-base64url.h"
#include "lanyard-error.h"
#include "lanyard-json.h"
#include "lanyard-jws.h"

/* ID tokens are a few KiB; anything this large is an attack or a mistake. */
#define MAX_COMPACT_LEN (64 * 1024)
#define RSA_MIN_BITS 2048

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ECDSA_SIG, ECDSA_SIG_free)

struct _LanyardJws {
  char       *signing_input; /* header.payload exactly as received: what is signed */
  char       *alg;
  char       *kid;
  JsonObject *header;
  GBytes     *payload;
  GBytes     *signature;
};

typedef struct {
  const char *alg;
  const char *digest;
  int         padding;   /* RSA only */
  int         curve_nid; /* EC only */
  gsize       coord_len; /* EC only: R and S are each this long */
} AlgInfo;

/* The allow-list (RFC 7518 §3.1). No "none", no HS*: with a public key set an
 * HMAC "signature" can be forged by anyone who knows the public key. */
static const AlgInfo allowed_algs[] = {
  { "RS256", "SHA256", RSA_PKCS1_PADDING, NID_undef, 0 },
  { "RS384", "SHA384", RSA_PKCS1_PADDING, NID_undef, 0 },
  { "RS512", "SHA512", RSA_PKCS1_PADDING, NID_undef, 0 },
  { "PS256", "SHA256", RSA_PKCS1_PSS_PADDING, NID_undef, 0 },
  { "ES256", "SHA256", 0, NID_X9_62_prime256v1, 32 },
  { "ES384", "SHA384", 0, NID_secp384r1, 48 },
};

static const AlgInfo *
lookup_alg (const char *alg)
{
  guint i;

  if (alg == NULL)
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (allowed_algs); i++)
    {
      if (strcmp (alg, allowed_algs[i].alg) == 0)
        return &allowed_algs[i];
    }

  return NULL;
}

/* alg is attacker-controlled: escape it and keep it short in messages. */
static char *
quote_alg (const char *alg)
{
  g_autofree char *head = g_strndup (alg, 32);
  g_autofree char *escaped = g_strescape (head, NULL);

  return g_strdup_printf ("“%s%s”", escaped, strlen (alg) > 32 ? "…" : "");
}

static void
set_not_allowed (GError     **error,
                 const char  *alg)
{
  g_autofree char *quoted = quote_alg (alg);

  g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
               _("alg %s is not allowed"), quoted);
}

static GBytes *
decode_segment (const char  *text,
                gsize        len,
                const char  *what,
                GError     **error)
{
  GBytes *bytes = lanyard_base64url_decode (text, (gssize) len, NULL);

  if (bytes == NULL)
    g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                 _("%s is not valid base64url"), what);

  return bytes;
}

LanyardJws *
lanyard_jws_parse (const char  *compact,
                   GError     **error)
{
  g_autoptr(LanyardJws) self = NULL;
  g_autoptr(GBytes) header_bytes = NULL;
  const char *dot1, *dot2, *end;
  const char *alg, *kid;
  gsize len;

  g_return_val_if_fail (compact != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = strnlen (compact, MAX_COMPACT_LEN + 1);
  if (len > MAX_COMPACT_LEN)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("token is larger than %d KiB"), MAX_COMPACT_LEN / 1024);
      return NULL;
    }

  end = compact + len;
  dot1 = memchr (compact, '.', len);
  dot2 = dot1 ? memchr (dot1 + 1, '.', end - (dot1 + 1)) : NULL;
  if (dot1 == NULL || dot2 == NULL || memchr (dot2 + 1, '.', end - (dot2 + 1)) != NULL)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("token is not three dot-separated parts"));
      return NULL;
    }

  if (dot1 == compact)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("header is empty"));
      return NULL;
    }

  if (dot2 + 1 == end)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("token is unsigned"));
      return NULL;
    }

  self = g_new0 (LanyardJws, 1);
  self->signing_input = g_strndup (compact, dot2 - compact);

  if (!(header_bytes = decode_segment (compact, dot1 - compact, "header", error)) ||
      !(self->payload = decode_segment (dot1 + 1, dot2 - (dot1 + 1), "payload", error)) ||
      !(self->signature = decode_segment (dot2 + 1, end - (dot2 + 1), "signature", error)))
    return NULL;

  self->header = lanyard_json_parse_object (g_bytes_get_data (header_bytes, NULL),
                                            g_bytes_get_size (header_bytes),
                                            "header", LANYARD_ERROR_INVALID_TOKEN,
                                            error);
  if (self->header == NULL)
    return NULL;

  alg = lanyard_json_get_string (self->header, "alg");
  if (alg == NULL)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("header has no string alg"));
      return NULL;
    }

  kid = lanyard_json_get_string (self->header, "kid");
  if (kid == NULL && json_object_has_member (self->header, "kid"))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("header kid is not a string"));
      return NULL;
    }

  /* RFC 7515 §4.1.11: extensions we do not understand must not be ignored,
   * and we understand none. */
  if (json_object_has_member (self->header, "crit"))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("header has crit, which is not supported"));
      return NULL;
    }

  self->alg = g_strdup (alg);
  self->kid = g_strdup (kid);

  return g_steal_pointer (&self);
}

void
lanyard_jws_free (LanyardJws *self)
{
  if (self == NULL)
    return;

  g_free (self->signing_input);
  g_free (self->alg);
  g_free (self->kid);
  g_clear_pointer (&self->header, json_object_unref);
  g_clear_pointer (&self->payload, g_bytes_unref);
  g_clear_pointer (&self->signature, g_bytes_unref);
  g_free (self);
}

const char *
lanyard_jws_get_alg (LanyardJws *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->alg;
}

const char *
lanyard_jws_get_kid (LanyardJws *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->kid;
}

JsonObject *
lanyard_jws_get_header (LanyardJws *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->header;
}

GBytes *
lanyard_jws_get_payload (LanyardJws *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->payload;
}

gboolean
lanyard_jws_alg_is_allowed (const char *alg)
{
  return lookup_alg (alg) != NULL;
}

static int
ec_key_curve_nid (EVP_PKEY *key)
{
  char name[64];
  size_t name_len = 0;
  int nid;

  if (!EVP_PKEY_get_group_name (key, name, sizeof name, &name_len))
    return NID_undef;

  nid = OBJ_sn2nid (name);
  if (nid == NID_undef)
    nid = EC_curve_nist2nid (name);

  return nid;
}

/* RFC 7518 §3.4: ES signatures are R || S, each exactly the curve size;
 * OpenSSL wants a DER ECDSA-Sig-Value. */
static guint8 *
ecdsa_raw_to_der (const guint8 *raw,
                  gsize         coord_len,
                  gsize        *out_len)
{
  g_autoptr(ECDSA_SIG) sig = ECDSA_SIG_new ();
  BIGNUM *r = BN_bin2bn (raw, (int) coord_len, NULL);
  BIGNUM *s = BN_bin2bn (raw + coord_len, (int) coord_len, NULL);
  unsigned char *der = NULL;
  guint8 *copy;
  int der_len;

  if (sig == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0 (sig, r, s))
    {
      BN_free (r);
      BN_free (s);
      return NULL;
    }

  der_len = i2d_ECDSA_SIG (sig, &der);
  if (der_len <= 0)
    return NULL;

  copy = g_memdup2 (der, der_len);
  *out_len = der_len;
  OPENSSL_free (der);

  return copy;
}

gboolean
lanyard_jws_verify_with_key (LanyardJws  *self,
                             EVP_PKEY    *key,
                             GError     **error)
{
  const AlgInfo *info;
  g_autoptr(EVP_MD_CTX) md_ctx = NULL;
  g_autofree guint8 *der = NULL;
  EVP_PKEY_CTX *pkey_ctx = NULL;
  const guint8 *sig;
  gsize sig_len;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = lookup_alg (self->alg);
  if (info == NULL)
    {
      set_not_allowed (error, self->alg);
      return FALSE;
    }

  sig = g_bytes_get_data (self->signature, &sig_len);

  /* The key must be of the kind the alg names: an RSA key never checks an
   * ES signature and vice versa, whatever the header claims. */
  if (info->padding != 0)
    {
      if (!EVP_PKEY_is_a (key, "RSA"))
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                       _("the key does not fit alg %s"), info->alg);
          return FALSE;
        }

      if (EVP_PKEY_get_bits (key) < RSA_MIN_BITS)
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                       _("the RSA key is shorter than %d bits"), RSA_MIN_BITS);
          return FALSE;
        }

      if (sig_len != (gsize) EVP_PKEY_get_size (key))
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                       _("signature does not verify (wrong length)"));
          return FALSE;
        }
    }
  else
    {
      if (!EVP_PKEY_is_a (key, "EC") || ec_key_curve_nid (key) != info->curve_nid)
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                       _("the key does not fit alg %s"), info->alg);
          return FALSE;
        }

      if (sig_len != 2 * info->coord_len ||
          !(der = ecdsa_raw_to_der (sig, info->coord_len, &sig_len)))
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                       _("signature does not verify (wrong length)"));
          return FALSE;
        }
      sig = der;
    }

  md_ctx = EVP_MD_CTX_new ();
  if (md_ctx == NULL ||
      EVP_DigestVerifyInit_ex (md_ctx, &pkey_ctx, info->digest, NULL, NULL, key, NULL) != 1 ||
      (info->padding != 0 && EVP_PKEY_CTX_set_rsa_padding (pkey_ctx, info->padding) <= 0) ||
      (info->padding == RSA_PKCS1_PSS_PADDING &&
       (EVP_PKEY_CTX_set_rsa_pss_saltlen (pkey_ctx, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md_name (pkey_ctx, info->digest, NULL) <= 0)))
    {
      ERR_clear_error ();
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("signature cannot be checked with alg %s"), info->alg);
      return FALSE;
    }

  rc = EVP_DigestVerify (md_ctx, sig, sig_len,
                         (const guchar *) self->signing_input,
                         strlen (self->signing_input));
  ERR_clear_error ();

  if (rc != 1)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("signature does not verify"));
      return FALSE;
    }

  return TRUE;
}

gboolean
lanyard_jws_verify (LanyardJws   *self,
                    LanyardJwks  *jwks,
                    GError      **error)
{
  EVP_PKEY *key;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (jwks != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Before any key is looked at: an alg outside the list is never "almost" ok. */
  if (!lanyard_jws_alg_is_allowed (self->alg))
    {
      set_not_allowed (error, self->alg);
      return FALSE;
    }

  key = lanyard_jwks_find_key (jwks, self->kid, self->alg, error);
  if (key == NULL)
    return FALSE;

  return lanyard_jws_verify_with_key (self, key, error);
}
