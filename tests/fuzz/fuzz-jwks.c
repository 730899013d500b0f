/* fuzz-jwks.c — a JWKS document from a provider's jwks_uri
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Loads the set, then asks it for a key for every alg, without a kid and
 * with each kid the document names, and uses what it hands out on fixed
 * tokens: a key must only ever come back for an alg it fits.
 */
#include "config.h"

#include <string.h>

#include "lanyard-json.h"
#include "lanyard-jwks.h"
#include "lanyard-jws.h"

#include "fuzz-common.h"
#include "fuzz-keys.h"

#define MAX_KIDS 8

static const char * const algs[] = {
  "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "ES512", "HS256", "none",
};

/* A token per alg family, to verify with whatever key comes back. */
static LanyardJws *rs256_jws;
static LanyardJws *es256_jws;
static LanyardJws *es384_jws;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();

  rs256_jws = lanyard_jws_parse (FUZZ_RS256_JWS, NULL);
  es256_jws = lanyard_jws_parse (FUZZ_ES256_JWS, NULL);
  es384_jws = lanyard_jws_parse (FUZZ_ES384_JWS, NULL);
  g_assert_nonnull (rs256_jws);
  g_assert_nonnull (es256_jws);
  g_assert_nonnull (es384_jws);

  return 0;
}

/* The (key, alg) pairs this input has verified with: the set hands out the
 * same key for several kids or none, and verifying it again for the same
 * alg would only repeat the same answer. */
#define MAX_VERIFIED 64
static struct {
  EVP_PKEY   *key;
  const char *alg;
} verified[MAX_VERIFIED];
static guint n_verified;

static gboolean
verified_before (EVP_PKEY   *key,
                 const char *alg)
{
  for (guint i = 0; i < n_verified; i++)
    if (verified[i].key == key && verified[i].alg == alg)
      return TRUE;

  if (n_verified < MAX_VERIFIED)
    {
      verified[n_verified].key = key;
      verified[n_verified].alg = alg;
      n_verified++;
    }
  return FALSE;
}

static void
try_key (LanyardJwks *jwks,
         const char  *kid,
         const char  *alg)
{
  g_autoptr(GError) error = NULL;
  LanyardJws *jws = NULL;
  EVP_PKEY *key;

  key = lanyard_jwks_find_key (jwks, kid, alg, &error);
  if (key == NULL)
    {
      fuzz_check_error (error);
      g_assert_cmpint (error->code, ==, LANYARD_ERROR_INVALID_TOKEN);
      return;
    }

  g_assert_true (lanyard_jws_alg_is_allowed (alg));
  if (kid != NULL)
    g_assert_true (lanyard_jwks_has_kid (jwks, kid));

  if (g_str_equal (alg, "RS256"))
    jws = rs256_jws;
  else if (g_str_equal (alg, "ES256"))
    jws = es256_jws;
  else if (g_str_equal (alg, "ES384"))
    jws = es384_jws;

  if (jws != NULL && !verified_before (key, alg) && !lanyard_jws_verify_with_key (jws, key, &error))
    fuzz_check_error (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(LanyardJwks) jwks = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *kids[MAX_KIDS];
  guint n_kids = 0;
  JsonNode *keys;

  jwks = lanyard_jwks_new_from_data ((const char *) data, size, &error);
  if (jwks == NULL)
    {
      fuzz_check_error (error);
      g_assert_cmpint (error->code, ==, LANYARD_ERROR_INVALID_RESPONSE);
      return 0;
    }

  /* The set took it, so it is one strict JSON object with a "keys" array. */
  root = lanyard_json_parse_object ((const char *) data, (gssize) size, "JWKS",
                                    LANYARD_ERROR_INVALID_RESPONSE, &error);
  g_assert_no_error (error);
  keys = json_object_get_member (root, "keys");
  g_assert_true (keys != NULL && JSON_NODE_HOLDS_ARRAY (keys));
  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), <=,
                    json_array_get_length (json_node_get_array (keys)));

  for (guint i = 0; i < json_array_get_length (json_node_get_array (keys)) && n_kids < MAX_KIDS; i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (keys), i);
      const char *kid;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      kid = lanyard_json_get_string (json_node_get_object (node), "kid");
      if (kid != NULL)
        kids[n_kids++] = kid;
    }

  n_verified = 0;
  for (guint a = 0; a < G_N_ELEMENTS (algs); a++)
    {
      try_key (jwks, NULL, algs[a]);
      for (guint k = 0; k < n_kids; k++)
        try_key (jwks, kids[k], algs[a]);
    }

  for (guint k = 0; k < n_kids; k++)
    (void) lanyard_jwks_has_kid (jwks, kids[k]);

  g_assert_true (lanyard_jwks_ref (jwks) == jwks);
  lanyard_jwks_unref (jwks);

  return 0;
}
