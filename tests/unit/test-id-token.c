/* test-id-token.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-test-id-token"

#include "config.h"

#include <string.h>

#include "lanyard-error.h"
#include "lanyard-id-token.h"
#include "lanyard-test-jwt.h"
#include "lanyard-test-utils.h"

#define ISSUER    "https://0c5b1f3e-6f4d-4f51-9d7c-2f1f8f6c1a11.ciamlogin.com/0c5b1f3e-6f4d-4f51-9d7c-2f1f8f6c1a11/v2.0"
#define CLIENT_ID "6a1f2c0e-8d4b-4a57-b3f0-9e2d7c5a4b13"
#define NONCE     "n-0S6_WzA2Mj-very-secret-nonce"
#define NOW       G_GINT64_CONSTANT (1700000000)

/* Made once: RSA key generation is slow. */
static LanyardTestKey *rsa_key;
static LanyardTestKey *p256_key;
static LanyardTestKey *p384_key;
static LanyardJwks *jwks;

static const LanyardIdTokenExpectations expect = {
  .issuer = ISSUER,
  .client_id = CLIENT_ID,
  .nonce = NONCE,
  .now = NOW,
};

/* A valid claim set, for tests to change. */
static JsonObject *
claims_new (void)
{
  JsonObject *claims = json_object_new ();

  json_object_set_string_member (claims, "iss", ISSUER);
  json_object_set_string_member (claims, "sub", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ");
  json_object_set_string_member (claims, "aud", CLIENT_ID);
  json_object_set_int_member (claims, "exp", NOW + 3600);
  json_object_set_int_member (claims, "iat", NOW - 10);
  json_object_set_int_member (claims, "nbf", NOW - 10);
  json_object_set_string_member (claims, "nonce", NONCE);
  json_object_set_string_member (claims, "name", "Ada Lovelace");
  json_object_set_string_member (claims, "preferred_username", "ada@example.com");

  return claims;
}

static char *
claims_to_string (JsonObject *claims)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, claims);
  return json_to_string (node, FALSE);
}

static char *
sign_text (const char *alg,
           const char *payload)
{
  LanyardTestKey *key;
  const char *kid;
  g_autofree char *header = NULL;

  if (g_str_has_prefix (alg, "ES384"))
    key = p384_key, kid = "p384";
  else if (g_str_has_prefix (alg, "ES"))
    key = p256_key, kid = "p256";
  else
    key = rsa_key, kid = "rsa";

  header = g_strdup_printf ("{\"alg\":\"%s\",\"kid\":\"%s\",\"typ\":\"JWT\"}", alg, kid);
  return lanyard_test_jws_sign (key, alg, header, payload);
}

static char *
sign_claims (const char *alg,
             JsonObject *claims)
{
  g_autofree char *payload = claims_to_string (claims);

  return sign_text (alg, payload);
}

static JsonObject *
validate_ok (const char                       *token,
             const LanyardIdTokenExpectations *e)
{
  g_autoptr(GError) error = NULL;
  JsonObject *claims = lanyard_id_token_validate (token, jwks, e, &error);

  g_assert_no_error (error);
  g_assert_nonnull (claims);
  return claims;
}

static void
assert_rejected_with (const char                       *token,
                      const LanyardIdTokenExpectations *e,
                      const char                       *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = lanyard_id_token_validate (token, jwks, e, &error);

  g_assert_null (claims);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
  g_test_message ("%s", error->message);
  if (!g_str_has_prefix (error->message, "ID token rejected: ") || strstr (error->message, why) == NULL)
    g_error ("rejected with “%s”, expected “%s”", error->message, why);

  /* Neither the token, nor any of its parts, nor the nonce is ever echoed. */
  {
    g_auto(GStrv) parts = g_strsplit (token, ".", -1);
    guint i;

    g_assert_null (strstr (error->message, NONCE));
    for (i = 0; parts[i] != NULL; i++)
      {
        if (strlen (parts[i]) >= 8)
          g_assert_null (strstr (error->message, parts[i]));
      }
  }
}

static void
assert_rejected (JsonObject *claims,
                 const char *why)
{
  g_autofree char *token = sign_claims ("RS256", claims);

  assert_rejected_with (token, &expect, why);
}

static void
test_valid (gconstpointer data)
{
  const char *alg = data;
  g_autoptr(JsonObject) claims = claims_new ();
  g_autofree char *token = sign_claims (alg, claims);
  g_autoptr(JsonObject) result = validate_ok (token, &expect);
  g_autoptr(JsonObject) peeked = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (json_object_get_string_member (result, "sub"), ==,
                   "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ");
  g_assert_cmpstr (json_object_get_string_member (result, "name"), ==, "Ada Lovelace");

  peeked = lanyard_id_token_peek_claims (token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (peeked, "preferred_username"), ==, "ada@example.com");
}

static void
test_issuer (void)
{
  g_autoptr(JsonObject) wrong = claims_new ();
  g_autoptr(JsonObject) missing = claims_new ();
  g_autoptr(JsonObject) slash = claims_new ();
  g_autoptr(JsonObject) number = claims_new ();

  json_object_set_string_member (wrong, "iss", "https://login.evil.example/v2.0");
  assert_rejected (wrong, "issuer is https://login.evil.example/v2.0, expected " ISSUER);

  json_object_remove_member (missing, "iss");
  assert_rejected (missing, "issuer (iss) is missing");

  /* exact comparison: no normalisation */
  json_object_set_string_member (slash, "iss", ISSUER "/");
  assert_rejected (slash, "issuer is");

  json_object_set_int_member (number, "iss", 1);
  assert_rejected (number, "issuer (iss) is missing");
}

static void
test_audience (void)
{
  g_autoptr(JsonObject) wrong = claims_new ();
  g_autoptr(JsonObject) wrong_array = claims_new ();
  g_autoptr(JsonObject) empty_array = claims_new ();
  g_autoptr(JsonObject) missing = claims_new ();
  g_autoptr(JsonObject) number = claims_new ();
  g_autoptr(JsonObject) mixed = claims_new ();
  g_autoptr(JsonObject) single = claims_new ();
  g_autoptr(JsonObject) several = claims_new ();
  g_autoptr(JsonObject) several_azp = claims_new ();
  JsonArray *array;

  json_object_set_string_member (wrong, "aud", "00000000-0000-0000-0000-000000000000");
  assert_rejected (wrong, "audience does not include the client id");

  array = json_array_new ();
  json_array_add_string_element (array, "a");
  json_array_add_string_element (array, "b");
  json_object_set_array_member (wrong_array, "aud", array);
  assert_rejected (wrong_array, "audience does not include the client id");

  json_object_set_array_member (empty_array, "aud", json_array_new ());
  assert_rejected (empty_array, "audience does not include the client id");

  json_object_remove_member (missing, "aud");
  assert_rejected (missing, "audience (aud) is missing");

  json_object_set_int_member (number, "aud", 5);
  assert_rejected (number, "not a string or an array of strings");

  array = json_array_new ();
  json_array_add_string_element (array, CLIENT_ID);
  json_array_add_int_element (array, 1);
  json_object_set_array_member (mixed, "aud", array);
  assert_rejected (mixed, "not a string or an array of strings");

  /* an array with only us */
  array = json_array_new ();
  json_array_add_string_element (array, CLIENT_ID);
  json_object_set_array_member (single, "aud", array);
  {
    g_autofree char *token = sign_claims ("RS256", single);
    json_object_unref (validate_ok (token, &expect));
  }

  /* several audiences: azp must say it is us */
  array = json_array_new ();
  json_array_add_string_element (array, "https://graph.example");
  json_array_add_string_element (array, CLIENT_ID);
  json_object_set_array_member (several, "aud", json_array_ref (array));
  assert_rejected (several, "several audiences but no azp");

  json_object_set_array_member (several_azp, "aud", array);
  json_object_set_string_member (several_azp, "azp", CLIENT_ID);
  {
    g_autofree char *token = sign_claims ("RS256", several_azp);
    json_object_unref (validate_ok (token, &expect));
  }
}

static void
test_azp (void)
{
  g_autoptr(JsonObject) wrong = claims_new ();
  g_autoptr(JsonObject) number = claims_new ();
  g_autoptr(JsonObject) right = claims_new ();

  json_object_set_string_member (wrong, "azp", "someone-else");
  assert_rejected (wrong, "azp is not the client id");

  json_object_set_int_member (number, "azp", 1);
  assert_rejected (number, "azp is not the client id");

  json_object_set_string_member (right, "azp", CLIENT_ID);
  {
    g_autofree char *token = sign_claims ("RS256", right);
    json_object_unref (validate_ok (token, &expect));
  }
}

static void
test_expiry (void)
{
  g_autoptr(JsonObject) expired = claims_new ();
  g_autoptr(JsonObject) within_skew = claims_new ();
  g_autoptr(JsonObject) missing = claims_new ();
  g_autoptr(JsonObject) string = claims_new ();
  g_autoptr(JsonObject) fraction = claims_new ();
  g_autofree char *token = NULL;
  LanyardIdTokenExpectations strict = expect;

  /* 1700000000 - 3600 = 2023-11-14T21:13:20Z */
  json_object_set_int_member (expired, "exp", NOW - 3600);
  assert_rejected (expired, "expired at 2023-11-14T21:13:20Z");

  /* the default skew is 5 min */
  json_object_set_int_member (within_skew, "exp", NOW - 200);
  token = sign_claims ("RS256", within_skew);
  json_object_unref (validate_ok (token, &expect));
  strict.skew_seconds = 60;
  assert_rejected_with (token, &strict, "expired at");

  json_object_remove_member (missing, "exp");
  assert_rejected (missing, "exp is missing");

  json_object_set_string_member (string, "exp", "2000000000");
  assert_rejected (string, "exp is not a number");

  /* NumericDate may carry a fraction */
  json_object_set_double_member (fraction, "exp", (double) NOW + 60.5);
  {
    g_autofree char *t = sign_claims ("RS256", fraction);
    json_object_unref (validate_ok (t, &expect));
  }
}

static void
test_issued_at (void)
{
  g_autoptr(JsonObject) future = claims_new ();
  g_autoptr(JsonObject) slightly = claims_new ();
  g_autoptr(JsonObject) missing = claims_new ();
  g_autoptr(JsonObject) string = claims_new ();
  g_autoptr(JsonObject) nbf = claims_new ();

  json_object_set_int_member (future, "iat", NOW + 600);
  assert_rejected (future, "issued in the future");

  json_object_set_int_member (slightly, "iat", NOW + 100);
  {
    g_autofree char *token = sign_claims ("RS256", slightly);
    json_object_unref (validate_ok (token, &expect));
  }

  json_object_remove_member (missing, "iat");
  assert_rejected (missing, "iat is missing");

  json_object_set_string_member (string, "iat", "now");
  assert_rejected (string, "iat is not a number");

  json_object_set_int_member (nbf, "nbf", NOW + 3000);
  assert_rejected (nbf, "not valid before");
}

static void
test_nonce (void)
{
  g_autoptr(JsonObject) wrong = claims_new ();
  g_autoptr(JsonObject) missing = claims_new ();
  g_autoptr(JsonObject) prefix = claims_new ();
  LanyardIdTokenExpectations no_nonce = expect;

  json_object_set_string_member (wrong, "nonce", "attacker-chosen-nonce");
  assert_rejected (wrong, "nonce does not match");

  json_object_set_string_member (prefix, "nonce", NONCE "x");
  assert_rejected (prefix, "nonce does not match");

  json_object_remove_member (missing, "nonce");
  assert_rejected (missing, "nonce is missing");

  /* After a refresh no nonce is expected */
  no_nonce.nonce = NULL;
  {
    g_autofree char *token = sign_claims ("RS256", missing);
    json_object_unref (validate_ok (token, &no_nonce));
  }
}

static void
test_subject (void)
{
  g_autoptr(JsonObject) missing = claims_new ();
  g_autoptr(JsonObject) empty = claims_new ();

  json_object_remove_member (missing, "sub");
  assert_rejected (missing, "subject (sub) is missing");
  json_object_set_string_member (empty, "sub", "");
  assert_rejected (empty, "subject (sub) is missing");
}

/* The first failing check in the documented order is the one reported. */
static void
test_check_order (void)
{
  g_autoptr(JsonObject) claims = claims_new ();

  json_object_set_string_member (claims, "iss", "https://other.example");
  json_object_set_string_member (claims, "aud", "other");
  json_object_set_int_member (claims, "exp", 1);
  json_object_set_string_member (claims, "nonce", "other");
  assert_rejected (claims, "issuer is https://other.example");

  json_object_set_string_member (claims, "iss", ISSUER);
  assert_rejected (claims, "audience does not include the client id");

  json_object_set_string_member (claims, "aud", CLIENT_ID);
  assert_rejected (claims, "expired at 1970-01-01T00:00:01Z");

  json_object_set_int_member (claims, "exp", NOW + 60);
  assert_rejected (claims, "nonce does not match");
}

static void
test_signature (void)
{
  g_autoptr(JsonObject) claims = claims_new ();
  g_autofree char *token = sign_claims ("RS256", claims);
  g_autofree char *tampered = g_strdup (token);
  char *c = strchr (tampered, '.') + 10;
  g_autofree char *payload = claims_to_string (claims);
  g_autofree char *es_as_rs = NULL;

  *c = *c == 'A' ? 'B' : 'A';
  assert_rejected_with (tampered, &expect, "signature does not verify");

  /* signed by a key not in the set, under a kid that is */
  {
    g_autoptr(LanyardTestKey) other = lanyard_test_key_new_ec ("P-256");
    g_autofree char *forged = lanyard_test_jws_sign (other, "ES256",
                                                     "{\"alg\":\"ES256\",\"kid\":\"p256\"}", payload);

    assert_rejected_with (forged, &expect, "signature does not verify");
  }

  es_as_rs = lanyard_test_jws_sign (p256_key, "ES256", "{\"alg\":\"RS256\",\"kid\":\"p256\"}", payload);
  assert_rejected_with (es_as_rs, &expect, "does not fit alg RS256");
}

static void
test_key_lookup (void)
{
  g_autoptr(JsonObject) claims = claims_new ();
  g_autofree char *payload = claims_to_string (claims);
  g_autofree char *unknown = lanyard_test_jws_sign (rsa_key, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rotated-away\"}", payload);
  /* no kid, and the set has one RSA key: it is the one */
  g_autofree char *no_kid = lanyard_test_jws_sign (rsa_key, "RS256", "{\"alg\":\"RS256\"}", payload);

  assert_rejected_with (unknown, &expect, "no key with kid “rotated-away”");
  json_object_unref (validate_ok (no_kid, &expect));
}

static void
test_refused_algs (void)
{
  g_autoptr(JsonObject) claims = claims_new ();
  g_autofree char *payload = claims_to_string (claims);
  g_autofree char *pem = lanyard_test_key_get_public_pem (rsa_key);
  g_autofree char *none = lanyard_test_jws_assemble ("{\"alg\":\"none\"}", payload, NULL, 0);
  g_autofree char *none_sig = lanyard_test_jws_assemble ("{\"alg\":\"none\",\"kid\":\"rsa\"}", payload,
                                                         (const guint8 *) "sig", 3);
  g_autofree char *hs256 = lanyard_test_jws_sign_hmac ((const guint8 *) pem, strlen (pem),
                                                       "{\"alg\":\"HS256\",\"kid\":\"rsa\"}", payload);

  assert_rejected_with (none, &expect, "token is unsigned");
  assert_rejected_with (none_sig, &expect, "alg “none” is not allowed");
  assert_rejected_with (hs256, &expect, "alg “HS256” is not allowed");
}

static void
test_duplicate_keys (void)
{
  g_autofree char *payload =
    g_strdup_printf ("{\"iss\":\"https://evil.example\",\"sub\":\"x\",\"aud\":\"%s\",\"exp\":%" G_GINT64_FORMAT
                     ",\"iat\":%" G_GINT64_FORMAT ",\"nonce\":\"%s\",\"iss\":\"%s\"}",
                     CLIENT_ID, NOW + 600, NOW, NONCE, ISSUER);
  g_autofree char *token = sign_text ("RS256", payload);
  g_autoptr(JsonObject) claims = claims_new ();
  g_autofree char *clean = claims_to_string (claims);
  g_autofree char *dup_header = lanyard_test_jws_sign (rsa_key, "RS256",
                                                       "{\"alg\":\"RS256\",\"kid\":\"rsa\",\"kid\":\"p256\"}",
                                                       clean);

  assert_rejected_with (token, &expect, "payload is not valid JSON: duplicate member name");
  assert_rejected_with (dup_header, &expect, "header is not valid JSON: duplicate member name");
}

static void
test_bad_payload (void)
{
  g_autofree char *array = sign_text ("RS256", "[\"" ISSUER "\"]");
  g_autofree char *garbage = sign_text ("RS256", "not json at all");
  g_autofree char *empty = sign_text ("RS256", "");

  assert_rejected_with (array, &expect, "payload is not valid JSON");
  assert_rejected_with (garbage, &expect, "payload is not valid JSON");
  assert_rejected_with (empty, &expect, "payload is not valid JSON");
}

static void
test_malformed_and_huge (void)
{
  GString *big = g_string_new (NULL);

  assert_rejected_with ("abc.def", &expect, "three");
  assert_rejected_with ("a.b.c.d", &expect, "three");
  assert_rejected_with ("e30.e30.!!", &expect, "signature is not valid base64url");

  while (big->len <= 64 * 1024)
    g_string_append (big, "eyJhbGciOiJSUzI1NiJ9");
  g_string_append (big, ".e30.c2ln");
  assert_rejected_with (big->str, &expect, "larger than 64 KiB");
  g_string_free (big, TRUE);
}

/* now = 0 means the real clock. */
static void
test_current_time (void)
{
  g_autoptr(JsonObject) claims = claims_new ();
  gint64 real_now = g_get_real_time () / G_USEC_PER_SEC;
  LanyardIdTokenExpectations e = expect;
  g_autofree char *token = NULL;

  json_object_set_int_member (claims, "exp", real_now + 600);
  json_object_set_int_member (claims, "iat", real_now);
  json_object_set_int_member (claims, "nbf", real_now);
  token = sign_claims ("ES256", claims);

  e.now = 0;
  json_object_unref (validate_ok (token, &e));

  /* with the fixed clock of the other tests, iat is far in the future */
  assert_rejected_with (token, &expect, "issued in the future");
}

static void
test_peek_claims (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) claims = NULL;

  claims = lanyard_id_token_peek_claims ("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, "x");

  g_assert_null (lanyard_id_token_peek_claims ("garbage", &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *j1 = NULL;
  g_autofree char *j2 = NULL;
  g_autofree char *j3 = NULL;
  g_autofree char *text = NULL;
  int ret;

  lanyard_test_init (&argc, &argv);

  rsa_key = lanyard_test_key_new_rsa (2048);
  p256_key = lanyard_test_key_new_ec ("P-256");
  p384_key = lanyard_test_key_new_ec ("P-384");
  j1 = lanyard_test_key_to_jwk (rsa_key, "rsa", NULL, "sig");
  j2 = lanyard_test_key_to_jwk (p256_key, "p256", "ES256", "sig");
  j3 = lanyard_test_key_to_jwk (p384_key, "p384", NULL, NULL);
  text = lanyard_test_jwks_build (j1, j2, j3, NULL);
  jwks = lanyard_jwks_new_from_data (text, strlen (text), NULL);
  g_assert_nonnull (jwks);

  g_test_add_data_func ("/lanyard/id-token/valid-rs256", "RS256", test_valid);
  g_test_add_data_func ("/lanyard/id-token/valid-rs384", "RS384", test_valid);
  g_test_add_data_func ("/lanyard/id-token/valid-rs512", "RS512", test_valid);
  g_test_add_data_func ("/lanyard/id-token/valid-ps256", "PS256", test_valid);
  g_test_add_data_func ("/lanyard/id-token/valid-es256", "ES256", test_valid);
  g_test_add_data_func ("/lanyard/id-token/valid-es384", "ES384", test_valid);
  g_test_add_func ("/lanyard/id-token/issuer", test_issuer);
  g_test_add_func ("/lanyard/id-token/audience", test_audience);
  g_test_add_func ("/lanyard/id-token/azp", test_azp);
  g_test_add_func ("/lanyard/id-token/expiry", test_expiry);
  g_test_add_func ("/lanyard/id-token/issued-at", test_issued_at);
  g_test_add_func ("/lanyard/id-token/nonce", test_nonce);
  g_test_add_func ("/lanyard/id-token/subject", test_subject);
  g_test_add_func ("/lanyard/id-token/check-order", test_check_order);
  g_test_add_func ("/lanyard/id-token/signature", test_signature);
  g_test_add_func ("/lanyard/id-token/key-lookup", test_key_lookup);
  g_test_add_func ("/lanyard/id-token/refused-algs", test_refused_algs);
  g_test_add_func ("/lanyard/id-token/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/lanyard/id-token/bad-payload", test_bad_payload);
  g_test_add_func ("/lanyard/id-token/malformed-and-huge", test_malformed_and_huge);
  g_test_add_func ("/lanyard/id-token/current-time", test_current_time);
  g_test_add_func ("/lanyard/id-token/peek-claims", test_peek_claims);

  ret = g_test_run ();

  lanyard_jwks_unref (jwks);
  lanyard_test_key_free (rsa_key);
  lanyard_test_key_free (p256_key);
  lanyard_test_key_free (p384_key);

  return ret;
}
