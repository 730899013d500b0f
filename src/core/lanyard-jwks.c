/* lanyard-jwks.c — a JSON Web Key Set (RFC 7517) turned into OpenSSL keys
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-jwks"

#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "lanyard-i18n-private.h"
#include "lanyard-base64url.h"
#include "lanyard-error.h"
#include "lanyard-json.h"
#include "lanyard-jwks.h"

#define RSA_MIN_BITS 2048
#define RSA_MAX_BITS 16384

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OSSL_PARAM_BLD, OSSL_PARAM_BLD_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OSSL_PARAM, OSSL_PARAM_free)

typedef struct {
  char     *kid;   /* NULL when the JWK has none */
  char     *kty;   /* "RSA" or "EC" */
  char     *crv;   /* "P-256" or "P-384" for EC, else NULL */
  char     *alg;   /* the JWK's own "alg", NULL when absent */
  EVP_PKEY *pkey;
} Key;

struct _LanyardJwks {
  grefcount  ref_count;
  GPtrArray *keys;
};

/* What a JWS alg needs from a key (RFC 7518 §3.1). */
static const struct {
  const char *alg;
  const char *kty;
  const char *crv;
} alg_needs[] = {
  { "RS256", "RSA", NULL },
  { "RS384", "RSA", NULL },
  { "RS512", "RSA", NULL },
  { "PS256", "RSA", NULL },
  { "ES256", "EC", "P-256" },
  { "ES384", "EC", "P-384" },
};

/* The supported curves and the OpenSSL group names for them. */
static const struct {
  const char *crv;
  const char *group;
  gsize       coord_len;
} curves[] = {
  { "P-256", "prime256v1", 32 },
  { "P-384", "secp384r1", 48 },
};

static void
key_free (Key *key)
{
  g_free (key->kid);
  g_free (key->kty);
  g_free (key->crv);
  g_free (key->alg);
  EVP_PKEY_free (key->pkey);
  g_free (key);
}

/* Quotes a value taken from a token or a key set for an error message:
 * escaped and cut short, since it is attacker-controlled. */
static char *
quote_value (const char *value)
{
  g_autofree char *head = NULL;
  g_autofree char *escaped = NULL;
  gboolean cut = FALSE;

  if (g_utf8_validate (value, -1, NULL) && g_utf8_strlen (value, -1) > 64)
    {
      head = g_utf8_substring (value, 0, 64);
      cut = TRUE;
    }
  else
    head = g_strndup (value, 256);

  escaped = g_strescape (head, NULL);
  return g_strdup_printf ("“%s%s”", escaped, cut ? "…" : "");
}

static BIGNUM *
decode_bignum (JsonObject *jwk,
               const char *member,
               gsize      *out_len)
{
  const char *text = lanyard_json_get_string (jwk, member);
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  const guint8 *data;

  if (text == NULL)
    return NULL;

  bytes = lanyard_base64url_decode (text, -1, NULL);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &len);
  if (len == 0 || len > RSA_MAX_BITS / 8)
    return NULL;

  if (out_len != NULL)
    *out_len = len;

  return BN_bin2bn (data, (int) len, NULL);
}

static EVP_PKEY *
pkey_from_builder (const char     *type,
                   OSSL_PARAM_BLD *bld)
{
  g_autoptr(OSSL_PARAM) params = OSSL_PARAM_BLD_to_param (bld);
  g_autoptr(EVP_PKEY_CTX) ctx = EVP_PKEY_CTX_new_from_name (NULL, type, NULL);
  EVP_PKEY *pkey = NULL;

  if (params == NULL || ctx == NULL ||
      EVP_PKEY_fromdata_init (ctx) != 1 ||
      EVP_PKEY_fromdata (ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
    {
      ERR_clear_error ();
      return NULL;
    }

  return pkey;
}

static EVP_PKEY *
rsa_from_jwk (JsonObject  *jwk,
              const char **why)
{
  g_autoptr(BIGNUM) n = decode_bignum (jwk, "n", NULL);
  g_autoptr(BIGNUM) e = decode_bignum (jwk, "e", NULL);
  g_autoptr(OSSL_PARAM_BLD) bld = NULL;
  int bits;

  if (n == NULL || e == NULL)
    {
      *why = "missing or malformed n or e";
      return NULL;
    }

  bits = BN_num_bits (n);
  if (bits < RSA_MIN_BITS)
    {
      *why = "RSA modulus shorter than 2048 bits";
      return NULL;
    }

  /* A public exponent must be odd and above 1 (and small enough to be sane). */
  if (!BN_is_odd (n) || !BN_is_odd (e) || BN_is_one (e) || BN_num_bits (e) > 256)
    {
      *why = "implausible RSA key";
      return NULL;
    }

  bld = OSSL_PARAM_BLD_new ();
  if (bld == NULL ||
      !OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_N, n) ||
      !OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_E, e))
    {
      *why = "out of memory";
      return NULL;
    }

  *why = "OpenSSL refused the RSA key";
  return pkey_from_builder ("RSA", bld);
}

static gboolean
decode_coordinate (JsonObject *jwk,
                   const char *member,
                   gsize       coord_len,
                   guint8     *out)
{
  const char *text = lanyard_json_get_string (jwk, member);
  g_autoptr(GBytes) bytes = NULL;

  if (text == NULL)
    return FALSE;

  bytes = lanyard_base64url_decode (text, -1, NULL);

  /* RFC 7518 §6.2.1.2: always the full coordinate size, no trimming. */
  if (bytes == NULL || g_bytes_get_size (bytes) != coord_len)
    return FALSE;

  memcpy (out, g_bytes_get_data (bytes, NULL), coord_len);
  return TRUE;
}

static EVP_PKEY *
ec_from_jwk (JsonObject  *jwk,
             const char  *crv,
             const char **why)
{
  g_autoptr(OSSL_PARAM_BLD) bld = NULL;
  g_autoptr(EVP_PKEY) pkey = NULL;
  g_autoptr(EVP_PKEY_CTX) check = NULL;
  guint8 point[1 + 2 * 48];
  const char *group = NULL;
  gsize coord_len = 0;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (curves); i++)
    {
      if (g_strcmp0 (crv, curves[i].crv) == 0)
        {
          group = curves[i].group;
          coord_len = curves[i].coord_len;
        }
    }

  if (group == NULL)
    {
      *why = "unsupported or missing crv";
      return NULL;
    }

  /* Uncompressed SEC 1 point: 0x04 || X || Y */
  point[0] = 0x04;
  if (!decode_coordinate (jwk, "x", coord_len, point + 1) ||
      !decode_coordinate (jwk, "y", coord_len, point + 1 + coord_len))
    {
      *why = "missing or malformed x or y";
      return NULL;
    }

  bld = OSSL_PARAM_BLD_new ();
  if (bld == NULL ||
      !OSSL_PARAM_BLD_push_utf8_string (bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
      !OSSL_PARAM_BLD_push_octet_string (bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * coord_len))
    {
      *why = "out of memory";
      return NULL;
    }

  pkey = pkey_from_builder ("EC", bld);
  if (pkey == NULL)
    {
      *why = "OpenSSL refused the EC key";
      return NULL;
    }

  /* Refuse points that are not on the curve (invalid-curve attacks). */
  check = EVP_PKEY_CTX_new_from_pkey (NULL, pkey, NULL);
  if (check == NULL || EVP_PKEY_public_check (check) != 1)
    {
      ERR_clear_error ();
      *why = "EC point is not on the curve";
      return NULL;
    }

  return g_steal_pointer (&pkey);
}

static gboolean
key_ops_allow_verify (JsonObject *jwk)
{
  JsonNode *node = json_object_get_member (jwk, "key_ops");
  JsonArray *ops;
  guint i;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  ops = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (ops); i++)
    {
      JsonNode *op = json_array_get_element (ops, i);

      if (JSON_NODE_HOLDS_VALUE (op) &&
          json_node_get_value_type (op) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (op), "verify") == 0)
        return TRUE;
    }

  return FALSE;
}

/* Returns NULL, with @why set, for keys that cannot verify JWS signatures. */
static Key *
key_from_jwk (JsonObject  *jwk,
              const char **why)
{
  const char *kty = lanyard_json_get_string (jwk, "kty");
  const char *use = lanyard_json_get_string (jwk, "use");
  const char *crv = lanyard_json_get_string (jwk, "crv");
  const char *kid = lanyard_json_get_string (jwk, "kid");
  const char *alg = lanyard_json_get_string (jwk, "alg");
  g_autoptr(EVP_PKEY) pkey = NULL;
  Key *key;

  if (json_object_has_member (jwk, "use") && g_strcmp0 (use, "sig") != 0)
    {
      *why = "not a signature key (use)";
      return NULL;
    }

  if (!key_ops_allow_verify (jwk))
    {
      *why = "not a verification key (key_ops)";
      return NULL;
    }

  /* Present but of the wrong type is malformed, not absent. */
  if ((json_object_has_member (jwk, "kid") && kid == NULL) ||
      (json_object_has_member (jwk, "alg") && alg == NULL))
    {
      *why = "kid or alg is not a string";
      return NULL;
    }

  if (g_strcmp0 (kty, "RSA") == 0)
    {
      pkey = rsa_from_jwk (jwk, why);
      crv = NULL;
    }
  else if (g_strcmp0 (kty, "EC") == 0)
    pkey = ec_from_jwk (jwk, crv, why);
  else
    *why = "unsupported kty";

  if (pkey == NULL)
    return NULL;

  key = g_new0 (Key, 1);
  key->kid = g_strdup (kid);
  key->kty = g_strdup (kty);
  key->crv = g_strdup (crv);
  key->alg = g_strdup (alg);
  key->pkey = g_steal_pointer (&pkey);

  return key;
}

LanyardJwks *
lanyard_jwks_new_from_data (const char  *data,
                            gsize        len,
                            GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(LanyardJwks) self = NULL;
  JsonNode *keys_node;
  JsonArray *keys;
  guint i;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len <= G_MAXSSIZE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = lanyard_json_parse_object (data, (gssize) len, "JWKS",
                                    LANYARD_ERROR_INVALID_RESPONSE, error);
  if (root == NULL)
    return NULL;

  keys_node = json_object_get_member (root, "keys");
  if (keys_node == NULL || !JSON_NODE_HOLDS_ARRAY (keys_node))
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                           _("JWKS has no “keys” array"));
      return NULL;
    }

  self = g_new0 (LanyardJwks, 1);
  g_ref_count_init (&self->ref_count);
  self->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);

  keys = json_node_get_array (keys_node);
  for (i = 0; i < json_array_get_length (keys); i++)
    {
      JsonNode *node = json_array_get_element (keys, i);
      const char *why = "not an object";
      Key *key = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        key = key_from_jwk (json_node_get_object (node), &why);

      if (key == NULL)
        {
          g_debug ("Skipping JWK %u: %s", i, why);
          continue;
        }

      g_ptr_array_add (self->keys, key);
    }

  g_debug ("JWKS has %u usable keys of %u", self->keys->len, json_array_get_length (keys));

  return g_steal_pointer (&self);
}

LanyardJwks *
lanyard_jwks_ref (LanyardJwks *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref_count);
  return self;
}

void
lanyard_jwks_unref (LanyardJwks *self)
{
  g_return_if_fail (self != NULL);

  if (g_ref_count_dec (&self->ref_count))
    {
      g_ptr_array_unref (self->keys);
      g_free (self);
    }
}

guint
lanyard_jwks_get_n_keys (LanyardJwks *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->keys->len;
}

gboolean
lanyard_jwks_has_kid (LanyardJwks *self,
                      const char  *kid)
{
  guint i;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (kid != NULL, FALSE);

  for (i = 0; i < self->keys->len; i++)
    {
      const Key *key = g_ptr_array_index (self->keys, i);

      if (g_strcmp0 (key->kid, kid) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
key_fits (const Key  *key,
          const char *alg,
          const char *kty,
          const char *crv)
{
  if (g_strcmp0 (key->kty, kty) != 0)
    return FALSE;

  if (crv != NULL && g_strcmp0 (key->crv, crv) != 0)
    return FALSE;

  /* A key pinned to one algorithm must not be used with another. */
  if (key->alg != NULL && g_strcmp0 (key->alg, alg) != 0)
    return FALSE;

  return TRUE;
}

EVP_PKEY *
lanyard_jwks_find_key (LanyardJwks *self,
                       const char  *kid,
                       const char  *alg,
                       GError     **error)
{
  const char *kty = NULL;
  const char *crv = NULL;
  const Key *found = NULL;
  gboolean kid_seen = FALSE;
  guint n_fit = 0;
  guint i;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (alg != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (i = 0; i < G_N_ELEMENTS (alg_needs); i++)
    {
      if (strcmp (alg, alg_needs[i].alg) == 0)
        {
          kty = alg_needs[i].kty;
          crv = alg_needs[i].crv;
        }
    }

  if (kty == NULL)
    {
      g_autofree char *quoted = quote_value (alg);

      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("alg %s is not allowed"), quoted);
      return NULL;
    }

  for (i = 0; i < self->keys->len; i++)
    {
      const Key *key = g_ptr_array_index (self->keys, i);

      if (kid != NULL && g_strcmp0 (key->kid, kid) != 0)
        continue;

      kid_seen = TRUE;

      if (!key_fits (key, alg, kty, crv))
        continue;

      if (found == NULL)
        found = key;
      n_fit++;
    }

  if (kid != NULL && !kid_seen)
    {
      g_autofree char *quoted = quote_value (kid);

      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("no key with kid %s"), quoted);
      return NULL;
    }

  if (found == NULL)
    {
      if (kid != NULL)
        {
          g_autofree char *quoted = quote_value (kid);

          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                       _("the key with kid %s does not fit alg %s"), quoted, alg);
        }
      else
        g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                     _("no key fits alg %s"), alg);
      return NULL;
    }

  /* Without a kid the choice must be unambiguous; trying every key in turn
   * would also hide a provider that mislabels its keys. */
  if (kid == NULL && n_fit > 1)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("the token has no kid and %u keys fit alg %s"), n_fit, alg);
      return NULL;
    }

  return found->pkey;
}
