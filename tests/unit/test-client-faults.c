/* test-client-faults.c — the client against a hostile provider: every fault
 * ends in a clear LANYARD_ERROR code and message, nothing stored, no hang
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs inside tests/session/lanyard-test-session (a private keyring).
 */
#define G_LOG_DOMAIN "test-client-faults"

#include "config.h"

#include <string.h>

#include "lanyard-client-private.h"
#include "lanyard-default-account.h"
#include "lanyard-fake-provider.h"
#include "lanyard-test-utils.h"

#define ACCOUNT_ID LANYARD_FAKE_OID "." LANYARD_FAKE_TID

typedef struct {
  LanyardFakeWorld  world;
  GCancellable     *cancellable;
  guint             n_callbacks;
  GAsyncResult     *result;
  gulong            cancel_handler;
  guint             dbus_filter;
  GDBusConnection  *bus;
  char             *message;    /* of the last failure */
  guint16           port;       /* the listener's, when it was seen */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  lanyard_fake_world_setup (&fixture->world);
  fixture->cancellable = g_cancellable_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->dbus_filter != 0)
    g_dbus_connection_remove_filter (fixture->bus, fixture->dbus_filter);
  g_clear_object (&fixture->bus);
  g_clear_object (&fixture->result);   /* it holds the client */
  lanyard_fake_world_teardown (&fixture->world);
  g_clear_object (&fixture->cancellable);
  g_free (fixture->message);
}

/* Counts callbacks: each operation must call back exactly once. */
static void
outcome_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->n_callbacks++;
  g_set_object (&fixture->result, result);
}

static void
wait_outcome (Fixture *fixture)
{
  gboolean timed_out = FALSE;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (fixture->n_callbacks == 0 && !timed_out)
    {
      g_main_context_iteration (NULL, FALSE);
      if (fixture->n_callbacks == 0 && !g_main_context_pending (NULL))
        g_usleep (1000);
      timed_out = g_get_monotonic_time () > deadline;
    }
  g_assert_false (timed_out);

  /* No second, late callback. */
  lanyard_fake_spin (50);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);
}

static LanyardAccount *
sign_in_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  LanyardAccount *account = lanyard_fake_sign_in (fixture->world.client, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
  lanyard_fake_browser_wait_idle (fixture->world.browser);
  return account;
}

/* The error has @code and its message contains @needle (and never a token). */
static void
assert_error (const GError *error,
              LanyardError  code,
              const char   *needle)
{
  g_assert_nonnull (error);
  if (!g_error_matches (error, LANYARD_ERROR, code) ||
      (needle != NULL && strstr (error->message, needle) == NULL))
    g_error ("Expected LANYARD_ERROR %d with “%s”, got %s %d: %s", code, needle,
             g_quark_to_string (error->domain), error->code, error->message);
  g_assert_null (strstr (error->message, "rt-"));
  g_assert_null (strstr (error->message, "at-"));
  g_assert_null (strstr (error->message, "code-"));
  g_assert_null (strstr (error->message, "eyJ"));
}

static void
assert_no_accounts (Fixture *fixture)
{
  g_autoptr(GPtrArray) accounts = lanyard_fake_list_accounts (fixture->world.client);

  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (lanyard_fake_count_items (), ==, 0);
}

/* A sign-in that must fail with @code / @needle, leaving nothing behind. */
static void
sign_in_fails (Fixture      *fixture,
               LanyardError  code,
               const char   *needle)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  lanyard_client_sign_in_async (fixture->world.client, NULL, NULL, outcome_cb, fixture);
  wait_outcome (fixture);
  account = lanyard_client_sign_in_finish (fixture->world.client, fixture->result, &error);
  g_assert_null (account);
  assert_error (error, code, needle);
  g_free (fixture->message);
  fixture->message = g_strdup (error->message);

  /* The browser tab (when there was one) hears the same failure, and the
   * loopback port is closed. */
  lanyard_fake_browser_wait_idle (fixture->world.browser);
  port = lanyard_fake_browser_get_redirect_port (fixture->world.browser);
  if (port != 0)
    {
      g_assert_true (lanyard_fake_port_is_closed (port));
      if (lanyard_fake_browser_get_page_status (fixture->world.browser) != 0)
        g_assert_cmpuint (lanyard_fake_browser_get_page_status (fixture->world.browser), ==, 400);
    }

  assert_no_accounts (fixture);
}

/* ---- ID token ------------------------------------------------------------------ */

typedef struct {
  const char             *name;
  LanyardFakeIdTokenFunc  mint;
  const char             *needle;
} IdTokenCase;

static void
replace_string (JsonObject *claims,
                const char *member,
                const char *value)
{
  json_object_set_string_member (claims, member, value);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
mint_bad_signature (LanyardFakeProvider *fake,
                    JsonObject          *claims,
                    gpointer             user_data)
{
  char *token = lanyard_fake_provider_sign (fake, NULL, claims);
  char *last = strrchr (token, '.') + 1;

  /* Flip one character of the signature. */
  last[4] = last[4] == 'A' ? 'B' : 'A';
  return token;
}

static char *
mint_alg_none (LanyardFakeProvider *fake,
               JsonObject          *claims,
               gpointer             user_data)
{
  g_autofree char *payload = lanyard_fake_claims_to_json (claims);
  g_autofree char *header = g_strdup_printf ("{\"alg\":\"none\",\"kid\":\"%s\"}",
                                             lanyard_fake_provider_get_kid (fake));

  return lanyard_test_jws_assemble (header, payload, (const guint8 *) "x", 1);
}

static char *
mint_alg_none_unsigned (LanyardFakeProvider *fake,
                        JsonObject          *claims,
                        gpointer             user_data)
{
  g_autofree char *payload = lanyard_fake_claims_to_json (claims);

  return lanyard_test_jws_assemble ("{\"alg\":\"none\"}", payload, NULL, 0);
}

static char *
mint_hs256_public_key (LanyardFakeProvider *fake,
                       JsonObject          *claims,
                       gpointer             user_data)
{
  g_autofree char *payload = lanyard_fake_claims_to_json (claims);
  g_autofree char *pem = lanyard_test_key_get_public_pem (lanyard_fake_provider_get_key (fake));
  g_autofree char *header = g_strdup_printf ("{\"alg\":\"HS256\",\"kid\":\"%s\"}",
                                             lanyard_fake_provider_get_kid (fake));

  /* The classic confusion: the RSA public key used as an HMAC secret. */
  return lanyard_test_jws_sign_hmac ((const guint8 *) pem, strlen (pem), header, payload);
}

static char *
mint_wrong_iss (LanyardFakeProvider *fake,
                JsonObject          *claims,
                gpointer             user_data)
{
  replace_string (claims, "iss", "https://evil.example");
  return NULL;
}

static char *
mint_wrong_aud (LanyardFakeProvider *fake,
                JsonObject          *claims,
                gpointer             user_data)
{
  replace_string (claims, "aud", "another-client");
  return NULL;
}

static char *
mint_wrong_azp (LanyardFakeProvider *fake,
                JsonObject          *claims,
                gpointer             user_data)
{
  JsonArray *aud = json_array_new ();

  json_array_add_string_element (aud, LANYARD_FAKE_CLIENT_ID);
  json_array_add_string_element (aud, "another-client");
  json_object_set_array_member (claims, "aud", aud);
  replace_string (claims, "azp", "another-client");
  return NULL;
}

static char *
mint_wrong_nonce (LanyardFakeProvider *fake,
                  JsonObject          *claims,
                  gpointer             user_data)
{
  replace_string (claims, "nonce", "a-nonce-from-another-request");
  return NULL;
}

static char *
mint_expired (LanyardFakeProvider *fake,
              JsonObject          *claims,
              gpointer             user_data)
{
  json_object_set_int_member (claims, "iat", now_seconds () - 7200);
  json_object_set_int_member (claims, "exp", now_seconds () - 3600);
  return NULL;
}

static char *
mint_iat_future (LanyardFakeProvider *fake,
                 JsonObject          *claims,
                 gpointer             user_data)
{
  json_object_set_int_member (claims, "iat", now_seconds () + 3600);
  json_object_set_int_member (claims, "exp", now_seconds () + 7200);
  return NULL;
}

static char *
mint_two_segments (LanyardFakeProvider *fake,
                   JsonObject          *claims,
                   gpointer             user_data)
{
  char *token = lanyard_fake_provider_sign (fake, NULL, claims);

  *strrchr (token, '.') = '\0';
  return token;
}

static char *
mint_bad_base64 (LanyardFakeProvider *fake,
                 JsonObject          *claims,
                 gpointer             user_data)
{
  char *token = lanyard_fake_provider_sign (fake, NULL, claims);

  /* '+' is not in the base64url alphabet. */
  strchr (token, '.')[2] = '+';
  return token;
}

static char *
mint_huge (LanyardFakeProvider *fake,
           JsonObject          *claims,
           gpointer             user_data)
{
  g_autofree char *filler = g_strnfill (70 * 1024, 'x');

  replace_string (claims, "filler", filler);
  return lanyard_fake_provider_sign (fake, NULL, claims);
}

static char *
mint_duplicate_keys (LanyardFakeProvider *fake,
                     JsonObject          *claims,
                     gpointer             user_data)
{
  g_autofree char *payload = lanyard_fake_claims_to_json (claims);
  g_autofree char *doubled = NULL;
  g_autofree char *header = g_strdup_printf ("{\"alg\":\"RS256\",\"kid\":\"%s\"}",
                                             lanyard_fake_provider_get_kid (fake));

  /* A second "iss" after the real one: which one would count? */
  g_assert_true (payload[0] == '{');
  doubled = g_strdup_printf ("%.*s\"iss\":\"https://evil.example\",%s",
                             (int) (strlen (payload) - 1), payload, "\"x\":1}");
  return lanyard_test_jws_sign (lanyard_fake_provider_get_key (fake), "RS256", header, doubled);
}

static char *
mint_no_sub (LanyardFakeProvider *fake,
             JsonObject          *claims,
             gpointer             user_data)
{
  json_object_remove_member (claims, "sub");
  return NULL;
}

static const IdTokenCase id_token_cases[] = {
  { "bad-signature", mint_bad_signature, "signature does not verify" },
  { "alg-none", mint_alg_none, "alg" },
  { "alg-none-unsigned", mint_alg_none_unsigned, "unsigned" },
  { "hs256-with-public-key", mint_hs256_public_key, "HS256" },
  { "wrong-iss", mint_wrong_iss, "issuer is" },
  { "wrong-aud", mint_wrong_aud, "audience does not include the client id" },
  { "wrong-azp", mint_wrong_azp, "azp is not the client id" },
  { "wrong-nonce", mint_wrong_nonce, "nonce does not match" },
  { "expired", mint_expired, "expired at" },
  { "iat-in-future", mint_iat_future, "issued in the future" },
  { "malformed-segments", mint_two_segments, "three dot-separated parts" },
  { "malformed-base64", mint_bad_base64, "base64url" },
  { "huge", mint_huge, "larger than 64 KiB" },
  { "duplicate-keys", mint_duplicate_keys, "payload" },
  { "no-sub", mint_no_sub, "subject (sub) is missing" },
};

static void
test_id_token (Fixture       *fixture,
               gconstpointer  data)
{
  const IdTokenCase *test_case = data;

  lanyard_fake_provider_set_id_token_func (fixture->world.fake, test_case->mint, NULL);
  sign_in_fails (fixture, LANYARD_ERROR_INVALID_TOKEN, test_case->needle);
  g_assert_true (g_str_has_prefix (fixture->message, "ID token rejected: "));
}

/* A kid the JWKS never lists. */
static LanyardTestKey *ghost_key;

static char *
mint_ghost_kid (LanyardFakeProvider *fake,
                JsonObject          *claims,
                gpointer             user_data)
{
  g_autofree char *payload = lanyard_fake_claims_to_json (claims);

  return lanyard_test_jws_sign (ghost_key, "RS256",
                                "{\"alg\":\"RS256\",\"kid\":\"ghost\"}", payload);
}

static void
test_unknown_kid_fresh (Fixture       *fixture,
                        gconstpointer  data)
{
  lanyard_fake_provider_set_id_token_func (fixture->world.fake, mint_ghost_kid, NULL);
  sign_in_fails (fixture, LANYARD_ERROR_INVALID_TOKEN, "no key with kid");

  /* The JWKS was fetched a moment ago for this sign-in, yet the unknown kid
   * earns its one refetch: the key may have been rotated in between. */
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 2);

  /* Another unknown kid within the minute does not make us fetch it again
   * (a forged kid cannot hammer it). */
  fixture->n_callbacks = 0;
  sign_in_fails (fixture, LANYARD_ERROR_INVALID_TOKEN, "no key with kid");
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 2);
}

/* The app: one process, a sign-in fetched the JWKS, the provider rotates
 * its key a moment later, and the next sign-in must still succeed. */
static void
test_unknown_kid_rotated_in_process (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(LanyardAccount) account G_GNUC_UNUSED = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) again = NULL;

  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 1);
  lanyard_fake_provider_rotate_keys (fixture->world.fake, "key-rotated-now");

  again = sign_in_ok (fixture);
  /* Exactly one refetch. */
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 2);
}

static void
test_unknown_kid_never_appears (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardClient) restarted = NULL;
  g_autoptr(LanyardAccount) failed = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* A new process: the JWKS comes from the disk cache. */
  restarted = lanyard_fake_world_new_client (&fixture->world);
  lanyard_fake_provider_set_id_token_func (fixture->world.fake, mint_ghost_kid, NULL);

  failed = lanyard_fake_sign_in (restarted, NULL, &error);
  g_assert_null (failed);
  assert_error (error, LANYARD_ERROR_INVALID_TOKEN, "no key with kid");

  /* Exactly one refetch. */
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 2);

  /* The account signed in before is untouched. */
  accounts = lanyard_fake_list_accounts (restarted);
  g_assert_cmpuint (accounts->len, ==, 1);
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==,
                   lanyard_account_get_refresh_token (account));
  lanyard_fake_browser_wait_idle (fixture->world.browser);
}

static void
test_unknown_kid_rotated (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(LanyardAccount) account G_GNUC_UNUSED = sign_in_ok (fixture);
  g_autoptr(LanyardClient) restarted = NULL;
  g_autoptr(LanyardAccount) again = NULL;
  g_autoptr(GError) error = NULL;

  restarted = lanyard_fake_world_new_client (&fixture->world);
  lanyard_fake_provider_rotate_keys (fixture->world.fake, "key-rotated");

  again = lanyard_fake_sign_in (restarted, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 2);
  lanyard_fake_browser_wait_idle (fixture->world.browser);
}

/* ---- token endpoint ------------------------------------------------------------ */

typedef struct {
  const char   *name;
  guint         status;
  const char   *content_type;
  const char   *body;
  gssize        repeat;     /* > 0: @body repeated this many times */
  LanyardError  code;
  const char   *needle;
} TokenCase;

static const TokenCase token_cases[] = {
  { "oauth-error", 400, "application/json",
    "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS900144: The request body must contain client_id\","
    "\"error_codes\":[900144],\"correlation_id\":\"c0ffee00-0000-0000-0000-000000000000\"}",
    0, LANYARD_ERROR_PROVIDER, "invalid_request: AADSTS900144: The request body must contain client_id" },
  { "401", 401, NULL, NULL, 0, LANYARD_ERROR_PROVIDER, "HTTP 401" },
  { "500", 500, "text/plain", "boom", 0, LANYARD_ERROR_PROVIDER, "HTTP 500" },
  { "html", 200, "text/html", "<html><body>Sorry</body></html>", 0,
    LANYARD_ERROR_INVALID_RESPONSE, "token response" },
  { "html-error", 502, "text/html", "<html><body>Bad gateway</body></html>", 0,
    LANYARD_ERROR_PROVIDER, "HTTP 502" },
  { "empty", 200, "application/json", "", 0, LANYARD_ERROR_INVALID_RESPONSE, "token response" },
  { "invalid-json", 200, "application/json", "{\"access_token\": \"at-1\", ", 0,
    LANYARD_ERROR_INVALID_RESPONSE, "token response" },
  { "not-an-object", 200, "application/json", "[1,2,3]", 0,
    LANYARD_ERROR_INVALID_RESPONSE, "token response" },
  { "several-mb", 200, "application/json", "                ", 256 * 1024,
    LANYARD_ERROR_INVALID_RESPONSE, NULL },
};

static void
test_token_reply (Fixture       *fixture,
                  gconstpointer  data)
{
  const TokenCase *test_case = data;
  g_autofree char *body = NULL;
  gssize len = -1;

  if (test_case->repeat > 0)
    {
      GString *big = g_string_sized_new (strlen (test_case->body) * test_case->repeat + 2);

      g_string_append_c (big, '{');
      for (gssize i = 0; i < test_case->repeat; i++)
        g_string_append (big, test_case->body);
      g_string_append_c (big, '}');
      len = (gssize) big->len;
      body = g_string_free (big, FALSE);
      g_assert_cmpint (len, >, 3 * 1024 * 1024);
    }
  else
    {
      body = g_strdup (test_case->body);
    }

  lanyard_fake_provider_set_reply (fixture->world.fake, LANYARD_FAKE_TOKEN, test_case->status,
                                   test_case->content_type, body, len);
  sign_in_fails (fixture, test_case->code, test_case->needle);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), ==, 1);
}

typedef struct {
  const char   *name;
  const char   *member;
  const char   *value;      /* NULL: removed */
  LanyardError  code;
  const char   *needle;
} TokenMemberCase;

static const TokenMemberCase token_member_cases[] = {
  { "no-access-token", "access_token", NULL, LANYARD_ERROR_INVALID_RESPONSE, "no access_token" },
  { "no-token-type", "token_type", NULL, LANYARD_ERROR_INVALID_RESPONSE, "no token_type" },
  { "token-type-dpop", "token_type", "DPoP", LANYARD_ERROR_INVALID_RESPONSE, "not Bearer" },
  { "token-type-mac", "token_type", "mac", LANYARD_ERROR_INVALID_RESPONSE, "not Bearer" },
  { "no-id-token", "id_token", NULL, LANYARD_ERROR_INVALID_RESPONSE, "no ID token" },
  { "expires-in-garbage", "expires_in", "soon", LANYARD_ERROR_INVALID_RESPONSE, "expires_in" },
};

static void
test_token_member (Fixture       *fixture,
                   gconstpointer  data)
{
  const TokenMemberCase *test_case = data;
  JsonObject *extra = lanyard_fake_provider_get_token_extra (fixture->world.fake);

  if (test_case->value == NULL)
    json_object_set_null_member (extra, test_case->member);
  else
    json_object_set_string_member (extra, test_case->member, test_case->value);

  sign_in_fails (fixture, test_case->code, test_case->needle);
}

static void
test_token_timeout (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 started = g_get_monotonic_time ();

  /* The test hook: a 1 s timeout instead of LANYARD_HTTP_TIMEOUT_SECONDS. */
  lanyard_fake_set_http_timeout (fixture->world.client, 1);
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HANG);

  sign_in_fails (fixture, LANYARD_ERROR_TIMED_OUT, "did not answer within 1 second");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
}

static void
test_token_reset (Fixture       *fixture,
                  gconstpointer  data)
{
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_RESET);
  sign_in_fails (fixture, LANYARD_ERROR_NETWORK, "127.0.0.1");
}

static void
test_token_redirect (Fixture       *fixture,
                     gconstpointer  data)
{
  /* A POST redirected: not followed, the code is not sent anywhere else. */
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_REDIRECT_SELF);
  sign_in_fails (fixture, LANYARD_ERROR_PROVIDER, "HTTP 302");
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), ==, 1);
}

static void
test_authorize_error (Fixture       *fixture,
                      gconstpointer  data)
{
  lanyard_fake_provider_set_authorize_error (fixture->world.fake, "access_denied",
                                             "The user said no");
  sign_in_fails (fixture, LANYARD_ERROR_PROVIDER, "access_denied: The user said no");
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), ==, 0);
}

/* ---- discovery and JWKS ------------------------------------------------------------- */

static void
test_discovery_404 (Fixture       *fixture,
                    gconstpointer  data)
{
  lanyard_fake_provider_set_reply (fixture->world.fake, LANYARD_FAKE_DISCOVERY, 404,
                                   "text/plain", "not here", -1);
  sign_in_fails (fixture, LANYARD_ERROR_INVALID_RESPONSE, "answered HTTP 404");
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 0);
}

static void
test_discovery_not_json (Fixture       *fixture,
                         gconstpointer  data)
{
  lanyard_fake_provider_set_reply (fixture->world.fake, LANYARD_FAKE_DISCOVERY, 200,
                                   "text/html", "<html>login</html>", -1);
  sign_in_fails (fixture, LANYARD_ERROR_INVALID_RESPONSE, "discovery document");
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 0);
}

static void
test_discovery_wrong_issuer (Fixture       *fixture,
                             gconstpointer  data)
{
  json_object_set_string_member (lanyard_fake_provider_get_discovery (fixture->world.fake),
                                 "issuer", "http://127.0.0.1:1/someone-else");
  sign_in_fails (fixture, LANYARD_ERROR_INVALID_RESPONSE, "names the issuer http://127.0.0.1:1/someone-else");
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 0);
}

static void
test_discovery_missing_endpoint (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *member = data;

  json_object_set_null_member (lanyard_fake_provider_get_discovery (fixture->world.fake), member);
  sign_in_fails (fixture, LANYARD_ERROR_INVALID_RESPONSE, member);
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 0);
}

static void
test_discovery_redirect_loop (Fixture       *fixture,
                              gconstpointer  data)
{
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_DISCOVERY,
                                       LANYARD_FAKE_REDIRECT_SELF);
  sign_in_fails (fixture, LANYARD_ERROR_INVALID_RESPONSE, "answered HTTP 302");
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_DISCOVERY), ==, 1);
}

static void
test_discovery_timeout (Fixture       *fixture,
                        gconstpointer  data)
{
  lanyard_fake_set_http_timeout (fixture->world.client, 1);
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_DISCOVERY, LANYARD_FAKE_HANG);
  sign_in_fails (fixture, LANYARD_ERROR_TIMED_OUT, "did not answer");
}

static void
test_discovery_reset (Fixture       *fixture,
                      gconstpointer  data)
{
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_DISCOVERY, LANYARD_FAKE_RESET);
  sign_in_fails (fixture, LANYARD_ERROR_NETWORK, "127.0.0.1");
}

/* No loopback authority can have https-only rules broken end to end: the
 * provider is built from a document for an https authority instead. */
static void
test_discovery_http_endpoints (void)
{
  static const char *const members[] = {
    "authorization_endpoint", "token_endpoint", "jwks_uri",
    "end_session_endpoint", "revocation_endpoint",
  };
  g_autoptr(LanyardAuthority) authority = NULL;
  g_autoptr(GError) error = NULL;

  authority = lanyard_authority_parse ("https://login.example.com/tenant", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autoptr(LanyardProvider) provider = NULL;
      g_autofree char *json = NULL;
      g_autofree char *needle = NULL;

      json_object_set_string_member (doc, "issuer", "https://login.example.com/tenant");
      json_object_set_string_member (doc, "authorization_endpoint", "https://login.example.com/tenant/authorize");
      json_object_set_string_member (doc, "token_endpoint", "https://login.example.com/tenant/token");
      json_object_set_string_member (doc, "jwks_uri", "https://login.example.com/tenant/keys");
      json_object_set_string_member (doc, members[i], "http://login.example.com/tenant/plain");
      json = lanyard_fake_claims_to_json (doc);

      provider = lanyard_provider_new_from_data (authority, json, strlen (json), &error);
      g_assert_null (provider);
      needle = g_strdup_printf ("The %s http://login.example.com/tenant/plain", members[i]);
      assert_error (error, LANYARD_ERROR_INVALID_RESPONSE, needle);
      g_assert_nonnull (strstr (error->message, "https://"));
      g_clear_error (&error);
    }

  /* The issuer too. */
  {
    const char *doc = "{\"issuer\":\"http://login.example.com/tenant\"}";
    g_autoptr(LanyardAuthority) plain = NULL;
    g_autoptr(LanyardProvider) provider = NULL;

    provider = lanyard_provider_new_from_data (authority, doc, strlen (doc), &error);
    g_assert_null (provider);
    assert_error (error, LANYARD_ERROR_INVALID_RESPONSE, "issuer");
    g_clear_error (&error);

    /* And an http authority that is not loopback is refused outright. */
    plain = lanyard_authority_parse ("http://login.example.com/tenant", &error);
    g_assert_null (plain);
    assert_error (error, LANYARD_ERROR_CONFIGURATION, NULL);
  }
}

static void
test_jwks_fault (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *kind = data;

  if (g_str_equal (kind, "404"))
    {
      lanyard_fake_provider_set_reply (fixture->world.fake, LANYARD_FAKE_JWKS, 404,
                                       "text/plain", "gone", -1);
      sign_in_fails (fixture, LANYARD_ERROR_INVALID_RESPONSE, "JWKS");
    }
  else if (g_str_equal (kind, "garbage"))
    {
      lanyard_fake_provider_set_reply (fixture->world.fake, LANYARD_FAKE_JWKS, 200,
                                       "application/json", "{\"keys\":{}}", -1);
      sign_in_fails (fixture, LANYARD_ERROR_INVALID_RESPONSE, "keys");
    }
  else if (g_str_equal (kind, "redirect-loop"))
    {
      lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_JWKS,
                                           LANYARD_FAKE_REDIRECT_SELF);
      sign_in_fails (fixture, LANYARD_ERROR_INVALID_RESPONSE, "answered HTTP 302");
      g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 1);
    }
  else if (g_str_equal (kind, "empty-keys"))
    {
      lanyard_fake_provider_set_reply (fixture->world.fake, LANYARD_FAKE_JWKS, 200,
                                       "application/json", "{\"keys\":[]}", -1);
      sign_in_fails (fixture, LANYARD_ERROR_INVALID_TOKEN, "ID token rejected");
    }
  else
    {
      g_assert_not_reached ();
    }
}

/* ---- refresh -------------------------------------------------------------------------- */

static void
test_refresh_invalid_grant (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) failed = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  lanyard_fake_provider_revoke_grants (fixture->world.fake);

  lanyard_client_acquire_token_silent_async (fixture->world.client, NULL, NULL, TRUE, NULL,
                                             outcome_cb, fixture);
  wait_outcome (fixture);
  failed = lanyard_client_acquire_token_silent_finish (fixture->world.client, fixture->result, &error);
  g_assert_null (failed);
  assert_error (error, LANYARD_ERROR_INTERACTION_REQUIRED, "invalid_grant");

  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (stored);
  g_assert_null (lanyard_account_get_refresh_token (stored));
  g_assert_cmpstr (lanyard_account_get_access_token (stored), ==, lanyard_account_get_access_token (account));

  accounts = lanyard_fake_list_accounts (fixture->world.client);
  g_assert_cmpuint (accounts->len, ==, 1);
}

static void
test_refresh_server_error (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) failed = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;

  lanyard_fake_provider_set_reply (fixture->world.fake, LANYARD_FAKE_TOKEN, 503, "text/html",
                                   "<h1>down</h1>", -1);
  failed = lanyard_fake_silent (fixture->world.client, NULL, TRUE, &error);
  g_assert_null (failed);
  assert_error (error, LANYARD_ERROR_PROVIDER, "HTTP 503");

  /* A passing outage changes nothing stored. */
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==, lanyard_account_get_refresh_token (account));
  g_assert_cmpstr (lanyard_account_get_access_token (stored), ==, lanyard_account_get_access_token (account));
}

static char *
mint_refresh_wrong_iss (LanyardFakeProvider *fake,
                        JsonObject          *claims,
                        gpointer             user_data)
{
  if (!json_object_has_member (claims, "nonce"))
    replace_string (claims, "iss", "https://evil.example");
  return NULL;
}

static void
test_refresh_bad_id_token (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) failed = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;

  lanyard_fake_provider_set_id_token_func (fixture->world.fake, mint_refresh_wrong_iss, NULL);

  lanyard_client_acquire_token_silent_async (fixture->world.client, NULL, NULL, TRUE, NULL,
                                             outcome_cb, fixture);
  wait_outcome (fixture);
  failed = lanyard_client_acquire_token_silent_finish (fixture->world.client, fixture->result, &error);
  g_assert_null (failed);
  assert_error (error, LANYARD_ERROR_INVALID_TOKEN, "issuer is");

  /* The rotated refresh token (the old one is dead now) is kept, the tokens
   * that came with the untrusted ID token are not. */
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (stored)));
  g_assert_cmpstr (lanyard_account_get_id_token (stored), ==, lanyard_account_get_id_token (account));
  g_assert_false (lanyard_account_has_valid_access_token (stored, NULL, now_seconds (), 300));
}

static void
test_refresh_keyring_locked (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) failed = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(LanyardAccount) again = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  LanyardAccount *listed;

  /* The keyring is locked while the refresh is on the wire: the provider
   * rotates the refresh token, and the keyring cannot take the new one. */
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HOLD);
  lanyard_client_acquire_token_silent_async (fixture->world.client, NULL, NULL, TRUE, NULL,
                                             outcome_cb, fixture);
  lanyard_fake_provider_wait_held (fixture->world.fake);
  lanyard_fake_keyring_tool ("lock");
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);

  wait_outcome (fixture);
  failed = lanyard_client_acquire_token_silent_finish (fixture->world.client, fixture->result, &error);

  /* Not a silent success: the caller hears that the keyring failed. */
  g_assert_null (failed);
  assert_error (error, LANYARD_ERROR_KEYRING_LOCKED, "locked");
  g_assert_nonnull (strstr (error->message, "session only"));
  g_clear_error (&error);

  /* The renewed tokens live on in memory for this session. */
  accounts = lanyard_fake_list_accounts (fixture->world.client);
  g_assert_cmpuint (accounts->len, ==, 1);
  listed = g_ptr_array_index (accounts, 0);
  g_assert_true (lanyard_account_get_session_only (listed));
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (listed)));

  lanyard_fake_keyring_tool ("unlock");

  /* What the code does: the keyring still holds the item as it was before
   * the refresh, whose refresh token the provider has rotated away. The
   * caller was told (above); this client keeps using the in-memory tokens
   * (a silent call answers from them without any network) … */
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (stored);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==,
                   lanyard_account_get_refresh_token (account));
  g_assert_false (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                                lanyard_account_get_refresh_token (stored)));

  again = lanyard_fake_silent (fixture->world.client, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_refresh_token (again), ==,
                   lanyard_account_get_refresh_token (listed));
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);
  g_clear_object (&again);

  /* … and the next refresh, with the keyring back, saves them for good. */
  again = lanyard_fake_silent (fixture->world.client, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (lanyard_account_get_session_only (again));
  g_clear_object (&stored);
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==,
                   lanyard_account_get_refresh_token (again));
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (stored)));
}

static void
test_refresh_keyring_locked_before (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) failed = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* Locked before anything starts: the account cannot even be read, so
   * nothing is refreshed (and no refresh token is burnt). */
  lanyard_fake_keyring_tool ("lock");
  failed = lanyard_fake_silent (fixture->world.client, NULL, TRUE, &error);
  lanyard_fake_keyring_tool ("unlock");
  g_assert_null (failed);
  assert_error (error, LANYARD_ERROR_KEYRING_LOCKED, "locked");
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 0);

  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==, lanyard_account_get_refresh_token (account));
}

/* Whether the live list holds @account_id as kept for this session only. */
static gboolean
live_session_only (LanyardClient *client,
                   const char    *account_id)
{
  GListModel *live = lanyard_client_get_accounts (client);
  g_autoptr(LanyardAccount) item = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (live), ==, 1);
  item = g_list_model_get_item (live, 0);
  g_assert_cmpstr (lanyard_account_get_id (item), ==, account_id);
  return lanyard_account_get_session_only (item);
}

static void
test_sign_in_keyring_locked_then_unlock (Fixture       *fixture,
                                         gconstpointer  data)
{
  LanyardClient *client = fixture->world.client;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(LanyardAccount) saved = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *default_id = NULL;
  GAsyncResult *slot = NULL;

  /* Locked: the sign-in succeeds for this session only, and says why. */
  lanyard_fake_keyring_tool ("lock");
  lanyard_client_sign_in_async (client, NULL, NULL, outcome_cb, fixture);
  wait_outcome (fixture);
  account = lanyard_client_sign_in_finish (client, fixture->result, &error);
  g_assert_no_error (error);
  g_assert_true (lanyard_account_get_session_only (account));
  assert_error (lanyard_client_sign_in_get_keyring_error (fixture->result),
                LANYARD_ERROR_KEYRING_LOCKED, "locked");
  lanyard_fake_browser_wait_idle (fixture->world.browser);

  g_assert_true (live_session_only (client, ACCOUNT_ID));

  /* The session's keyring has no display for its prompt: a clear failure,
   * nothing changed. Saving cannot get past the lock either. */
  lanyard_client_unlock_keyring_async (client, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  g_assert_false (lanyard_client_unlock_keyring_finish (client, result, &error));
  g_assert_true (error->domain == LANYARD_ERROR);
  g_assert_true (error->code == LANYARD_ERROR_KEYRING_LOCKED || error->code == LANYARD_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_true (live_session_only (client, ACCOUNT_ID));

  lanyard_client_save_account_async (client, account, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  saved = lanyard_client_save_account_finish (client, result, &error);
  g_assert_null (saved);
  assert_error (error, LANYARD_ERROR_KEYRING_LOCKED, "locked");
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_true (lanyard_account_get_session_only (account));
  g_assert_true (live_session_only (client, ACCOUNT_ID));

  /* Unlocked (as by the user elsewhere): unlocking is immediate, and the
   * session-only account goes into the keyring and becomes the default. */
  lanyard_fake_keyring_tool ("unlock");
  lanyard_client_unlock_keyring_async (client, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  g_assert_true (lanyard_client_unlock_keyring_finish (client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (live_session_only (client, ACCOUNT_ID));

  lanyard_client_save_account_async (client, account, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  saved = lanyard_client_save_account_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_false (lanyard_account_get_session_only (saved));
  g_assert_false (live_session_only (client, ACCOUNT_ID));

  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (stored);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==,
                   lanyard_account_get_refresh_token (account));
  default_id = lanyard_default_account_get (NULL, NULL);
  g_assert_cmpstr (default_id, ==, ACCOUNT_ID);

  accounts = lanyard_fake_list_accounts (client);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_false (lanyard_account_get_session_only (g_ptr_array_index (accounts, 0)));
}

/* ---- cancellation --------------------------------------------------------------------- */

static void
assert_cancelled_sign_in (Fixture *fixture)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  wait_outcome (fixture);
  account = lanyard_client_sign_in_finish (fixture->world.client, fixture->result, &error);
  g_assert_null (account);
  assert_error (error, LANYARD_ERROR_CANCELLED, NULL);

  port = lanyard_fake_browser_get_redirect_port (fixture->world.browser);
  if (port != 0)
    g_assert_true (lanyard_fake_port_is_closed (port));

  lanyard_fake_provider_release (fixture->world.fake);
  lanyard_fake_browser_wait_idle (fixture->world.browser);
  assert_no_accounts (fixture);
}

static void
test_cancel_before_start (Fixture       *fixture,
                          gconstpointer  data)
{
  g_cancellable_cancel (fixture->cancellable);
  lanyard_client_sign_in_async (fixture->world.client, NULL, fixture->cancellable,
                                outcome_cb, fixture);
  assert_cancelled_sign_in (fixture);
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 0);
}

static void
cancel_on_waiting_cb (LanyardSignIn *sign_in,
                      GParamSpec    *pspec,
                      gpointer       user_data)
{
  Fixture *fixture = user_data;
  const char *uri = lanyard_sign_in_get_uri (sign_in);
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GUri) redirect = NULL;

  if (lanyard_sign_in_get_phase (sign_in) != LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER)
    return;

  parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  query = soup_form_decode (g_uri_get_query (parsed));
  redirect = g_uri_parse (g_hash_table_lookup (query, "redirect_uri"), SOUP_HTTP_URI_FLAGS, NULL);

  /* The listener is up; the browser is about to open. */
  fixture->port = (guint16) g_uri_get_port (redirect);
  g_assert_false (lanyard_fake_port_is_closed (fixture->port));
  g_cancellable_cancel (fixture->cancellable);
}

static void
test_cancel_before_browser (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(LanyardSignIn) sign_in = lanyard_sign_in_new (fixture->world.client);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (sign_in, "notify::phase", G_CALLBACK (cancel_on_waiting_cb), fixture);
  lanyard_sign_in_run_async (sign_in, fixture->cancellable, outcome_cb, fixture);
  wait_outcome (fixture);
  account = lanyard_sign_in_run_finish (sign_in, fixture->result, &error);
  g_assert_null (account);
  assert_error (error, LANYARD_ERROR_CANCELLED, NULL);
  g_assert_cmpint (lanyard_sign_in_get_phase (sign_in), ==, LANYARD_SIGN_IN_PHASE_CANCELLED);
  g_assert_true (lanyard_fake_port_is_closed (fixture->port));
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 0);
  assert_no_accounts (fixture);
}

static void
test_cancel_while_waiting (Fixture       *fixture,
                           gconstpointer  data)
{
  lanyard_fake_browser_set_mode (fixture->world.browser, LANYARD_FAKE_BROWSER_RECORD);
  lanyard_client_sign_in_async (fixture->world.client, NULL, fixture->cancellable,
                                outcome_cb, fixture);
  while (lanyard_fake_browser_get_n_opened (fixture->world.browser) == 0)
    g_main_context_iteration (NULL, TRUE);
  lanyard_fake_spin (50);
  g_assert_cmpuint (fixture->n_callbacks, ==, 0);
  g_assert_false (lanyard_fake_port_is_closed (lanyard_fake_browser_get_redirect_port (fixture->world.browser)));

  g_cancellable_cancel (fixture->cancellable);
  assert_cancelled_sign_in (fixture);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), ==, 0);
}

static void
test_cancel_during_redemption (Fixture       *fixture,
                               gconstpointer  data)
{
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HOLD);
  lanyard_client_sign_in_async (fixture->world.client, NULL, fixture->cancellable,
                                outcome_cb, fixture);
  lanyard_fake_provider_wait_held (fixture->world.fake);
  g_assert_cmpuint (fixture->n_callbacks, ==, 0);

  g_cancellable_cancel (fixture->cancellable);
  assert_cancelled_sign_in (fixture);

  /* The tab was told the sign-in did not complete. */
  g_assert_cmpuint (lanyard_fake_browser_get_page_status (fixture->world.browser), ==, 400);
}

static void
test_cancel_during_jwks (Fixture       *fixture,
                         gconstpointer  data)
{
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_JWKS, LANYARD_FAKE_HOLD);
  lanyard_client_sign_in_async (fixture->world.client, NULL, fixture->cancellable,
                                outcome_cb, fixture);
  lanyard_fake_provider_wait_held (fixture->world.fake);

  g_cancellable_cancel (fixture->cancellable);
  assert_cancelled_sign_in (fixture);
}

static void
test_cancel_during_refresh (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) failed = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HOLD);
  lanyard_client_acquire_token_silent_async (fixture->world.client, NULL, NULL, TRUE,
                                             fixture->cancellable, outcome_cb, fixture);
  lanyard_fake_provider_wait_held (fixture->world.fake);

  /* The caller gives up at once, while the provider is still thinking. */
  g_cancellable_cancel (fixture->cancellable);
  wait_outcome (fixture);
  g_assert_cmpuint (lanyard_fake_provider_get_n_held (fixture->world.fake), ==, 1);
  failed = lanyard_client_acquire_token_silent_finish (fixture->world.client, fixture->result, &error);
  g_assert_null (failed);
  assert_error (error, LANYARD_ERROR_CANCELLED, NULL);

  /* The refresh itself runs to its end: the rotated token reaches the
   * keyring, since the provider already considers the old one dead. */
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_hash_table_size (fixture->world.client->refreshes) > 0 && g_get_monotonic_time () < deadline)
    lanyard_fake_spin (10);
  g_assert_cmpuint (g_hash_table_size (fixture->world.client->refreshes), ==, 0);
  lanyard_fake_spin (100);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);

  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), !=, lanyard_account_get_refresh_token (account));
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (stored)));
}

static void
test_cancel_one_of_two_waiters (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) failed = NULL;
  g_autoptr(LanyardAccount) other = NULL;
  g_autoptr(GAsyncResult) other_result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *other_slot = NULL;

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HOLD);
  lanyard_client_acquire_token_silent_async (fixture->world.client, NULL, NULL, TRUE,
                                             fixture->cancellable, outcome_cb, fixture);
  lanyard_fake_provider_wait_held (fixture->world.fake);
  lanyard_client_acquire_token_silent_async (fixture->world.client, NULL, NULL, TRUE, NULL,
                                             lanyard_test_store_result_cb, &other_slot);
  {
    g_autofree char *identity = lanyard_account_dup_identity_key (account);
    g_autofree char *key = g_strconcat (identity, "\n", NULL);

    while (((GPtrArray *) g_hash_table_lookup (fixture->world.client->refreshes, key))->len < 2)
      lanyard_fake_spin (5);
  }

  /* The first caller leaves; the second still gets the shared refresh. */
  g_cancellable_cancel (fixture->cancellable);
  wait_outcome (fixture);
  failed = lanyard_client_acquire_token_silent_finish (fixture->world.client, fixture->result, &error);
  g_assert_null (failed);
  assert_error (error, LANYARD_ERROR_CANCELLED, NULL);
  g_assert_null (other_slot);

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);
  other_result = lanyard_test_wait_result (&other_slot);
  g_clear_error (&error);
  other = lanyard_client_acquire_token_silent_finish (fixture->world.client, other_result, &error);
  g_assert_no_error (error);
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (other)));
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);
}

static void
cancel_on_accounts_changed_cb (GListModel *accounts,
                               guint       position,
                               guint       removed,
                               guint       added,
                               gpointer    user_data)
{
  Fixture *fixture = user_data;

  g_cancellable_cancel (fixture->cancellable);
}

static void
test_cancel_after_keyring_write (Fixture       *fixture,
                                 gconstpointer  data)
{
  /* The item is written; the cancellation arrives before the caller hears. */
  g_signal_connect (lanyard_client_get_accounts (fixture->world.client), "items-changed",
                    G_CALLBACK (cancel_on_accounts_changed_cb), fixture);
  lanyard_client_sign_in_async (fixture->world.client, NULL, fixture->cancellable,
                                outcome_cb, fixture);
  assert_cancelled_sign_in (fixture);
}

static gboolean
cancel_idle_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static GDBusMessage *
cancel_on_create_item_filter (GDBusConnection *connection,
                              GDBusMessage    *message,
                              gboolean         incoming,
                              gpointer         user_data)
{
  Fixture *fixture = user_data;

  /* Runs in GDBus's worker thread: the cancellation goes to the main context. */
  if (!incoming &&
      g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
      g_strcmp0 (g_dbus_message_get_member (message), "CreateItem") == 0)
    g_main_context_invoke_full (NULL, G_PRIORITY_HIGH, cancel_idle_cb,
                                g_object_ref (fixture->cancellable), g_object_unref);

  return message;
}

static void
test_cancel_during_keyring_write (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  fixture->dbus_filter = g_dbus_connection_add_filter (fixture->bus, cancel_on_create_item_filter,
                                                       fixture, NULL);

  lanyard_client_sign_in_async (fixture->world.client, NULL, fixture->cancellable,
                                outcome_cb, fixture);
  assert_cancelled_sign_in (fixture);
  g_assert_true (g_cancellable_is_cancelled (fixture->cancellable));
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);
  ghost_key = lanyard_test_key_new_rsa (2048);

#define ADD(path, func) \
  g_test_add ("/lanyard/client-faults/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_DATA(path, data, func) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

  for (guint i = 0; i < G_N_ELEMENTS (id_token_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lanyard/client-faults/id-token/%s", id_token_cases[i].name);
      ADD_DATA (path, &id_token_cases[i], test_id_token);
    }
  ADD ("id-token/unknown-kid-fresh-jwks", test_unknown_kid_fresh);
  ADD ("id-token/unknown-kid-never-appears", test_unknown_kid_never_appears);
  ADD ("id-token/unknown-kid-rotated", test_unknown_kid_rotated);
  ADD ("id-token/unknown-kid-rotated-in-process", test_unknown_kid_rotated_in_process);

  for (guint i = 0; i < G_N_ELEMENTS (token_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lanyard/client-faults/token/%s", token_cases[i].name);
      ADD_DATA (path, &token_cases[i], test_token_reply);
    }
  for (guint i = 0; i < G_N_ELEMENTS (token_member_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lanyard/client-faults/token/%s", token_member_cases[i].name);
      ADD_DATA (path, &token_member_cases[i], test_token_member);
    }
  ADD ("token/timeout", test_token_timeout);
  ADD ("token/connection-reset", test_token_reset);
  ADD ("token/redirect", test_token_redirect);
  ADD ("authorize/error", test_authorize_error);

  ADD ("discovery/404", test_discovery_404);
  ADD ("discovery/not-json", test_discovery_not_json);
  ADD ("discovery/wrong-issuer", test_discovery_wrong_issuer);
  ADD_DATA ("/lanyard/client-faults/discovery/missing-token-endpoint", "token_endpoint",
            test_discovery_missing_endpoint);
  ADD_DATA ("/lanyard/client-faults/discovery/missing-authorization-endpoint", "authorization_endpoint",
            test_discovery_missing_endpoint);
  ADD_DATA ("/lanyard/client-faults/discovery/missing-jwks-uri", "jwks_uri",
            test_discovery_missing_endpoint);
  ADD ("discovery/redirect-loop", test_discovery_redirect_loop);
  ADD ("discovery/timeout", test_discovery_timeout);
  ADD ("discovery/connection-reset", test_discovery_reset);
  g_test_add_func ("/lanyard/client-faults/discovery/http-endpoints", test_discovery_http_endpoints);
  ADD_DATA ("/lanyard/client-faults/jwks/404", "404", test_jwks_fault);
  ADD_DATA ("/lanyard/client-faults/jwks/garbage", "garbage", test_jwks_fault);
  ADD_DATA ("/lanyard/client-faults/jwks/redirect-loop", "redirect-loop", test_jwks_fault);
  ADD_DATA ("/lanyard/client-faults/jwks/empty-keys", "empty-keys", test_jwks_fault);

  ADD ("refresh/invalid-grant", test_refresh_invalid_grant);
  ADD ("refresh/server-error", test_refresh_server_error);
  ADD ("refresh/bad-id-token", test_refresh_bad_id_token);
  ADD ("refresh/keyring-locked-during-write", test_refresh_keyring_locked);
  ADD ("refresh/keyring-locked-before", test_refresh_keyring_locked_before);
  ADD ("keyring/sign-in-locked-then-unlock", test_sign_in_keyring_locked_then_unlock);

  ADD ("cancel/before-start", test_cancel_before_start);
  ADD ("cancel/before-browser", test_cancel_before_browser);
  ADD ("cancel/while-waiting", test_cancel_while_waiting);
  ADD ("cancel/during-redemption", test_cancel_during_redemption);
  ADD ("cancel/during-jwks", test_cancel_during_jwks);
  ADD ("cancel/during-refresh", test_cancel_during_refresh);
  ADD ("cancel/one-of-two-refresh-waiters", test_cancel_one_of_two_waiters);
  ADD ("cancel/after-keyring-write", test_cancel_after_keyring_write);
  ADD ("cancel/during-keyring-write", test_cancel_during_keyring_write);

#undef ADD
#undef ADD_DATA

  return g_test_run ();
}
