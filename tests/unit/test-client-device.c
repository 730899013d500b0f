/* test-client-device.c — sign-in on another device (RFC 8628) against the
 * fault-injecting provider: polling rules, every ending, cancellation, and
 * the same validation and storage as the browser flow
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs inside tests/session/lanyard-test-session (a private keyring). The
 * device clock is shortened (lanyard_client_set_device_clock) so that the
 * provider's seconds last milliseconds.
 */
#define G_LOG_DOMAIN "test-client-device"

#include "config.h"

#include <string.h>

#include "lanyard-client-private.h"
#include "lanyard-default-account.h"
#include "lanyard-device-grant.h"
#include "lanyard-fake-provider.h"
#include "lanyard-test-utils.h"

#define ACCOUNT_ID LANYARD_FAKE_OID "." LANYARD_FAKE_TID
/* One protocol second, in ms, for most tests: interval 5 → 100 ms. */
#define FAST_MS 20

typedef struct {
  LanyardFakeWorld   world;
  GCancellable      *cancellable;
  LanyardDeviceCode *code;
  guint              n_codes;
  guint              polls_at_code;   /* token polls seen when the code was shown */
  gboolean           cancel_on_code;
  guint              cancel_at_poll;  /* cancel when this poll arrives (0 = never) */
  gboolean           hold_to_cancel;  /* …while that poll is held unanswered */
  GAsyncResult      *result;
  LanyardSignIn     *sign_in;
} Fixture;

static void
device_code_cb (LanyardSignIn *sign_in,
                GParamSpec    *pspec,
                gpointer       user_data)
{
  Fixture *fixture = user_data;
  LanyardDeviceCode *code = lanyard_sign_in_get_device_code (sign_in);

  fixture->n_codes++;
  g_set_object (&fixture->code, code);
  fixture->polls_at_code = fixture->world.fake
    ? lanyard_fake_provider_get_device_polls (fixture->world.fake)->len : 0;
  if (fixture->cancel_on_code)
    g_cancellable_cancel (fixture->cancellable);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  lanyard_fake_world_setup (&fixture->world);
  fixture->cancellable = g_cancellable_new ();
  lanyard_client_set_device_clock (fixture->world.client, FAST_MS);
}

/* A device sign-in whose code the fixture sees (notify::device-code). */
static void
start_device_sign_in (Fixture        *fixture,
                      GAsyncResult  **slot)
{
  g_clear_object (&fixture->sign_in);
  fixture->sign_in = lanyard_sign_in_new (fixture->world.client);
  lanyard_sign_in_set_flow (fixture->sign_in, LANYARD_SIGN_IN_FLOW_DEVICE_CODE);
  g_signal_connect (fixture->sign_in, "notify::device-code", G_CALLBACK (device_code_cb), fixture);
  lanyard_sign_in_run_async (fixture->sign_in, fixture->cancellable, lanyard_test_store_result_cb, slot);
}

static LanyardAccount *
device_sign_in_finish (Fixture  *fixture,
                       GError  **error)
{
  return lanyard_sign_in_run_finish (fixture->sign_in, fixture->result, error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->result);   /* it holds the client */
  g_clear_object (&fixture->sign_in);
  g_clear_object (&fixture->code);
  lanyard_fake_world_teardown (&fixture->world);
  g_clear_object (&fixture->cancellable);
}

static LanyardAccount *
device_sign_in (Fixture  *fixture,
                GError  **error)
{
  GAsyncResult *slot = NULL;

  g_clear_object (&fixture->result);
  start_device_sign_in (fixture, &slot);
  fixture->result = lanyard_test_wait_result (&slot);

  return device_sign_in_finish (fixture, error);
}

static guint
n_polls (Fixture *fixture)
{
  return lanyard_fake_provider_get_grant_count (fixture->world.fake, LANYARD_DEVICE_GRANT_TYPE);
}

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
  /* Never a secret in a message: device code, tokens. */
  g_assert_null (strstr (error->message, "dc-"));
  g_assert_null (strstr (error->message, "rt-"));
  g_assert_null (strstr (error->message, "at-"));
  g_assert_null (strstr (error->message, "eyJ"));
}

static void
assert_nothing_stored (Fixture *fixture)
{
  g_autoptr(GPtrArray) accounts = lanyard_fake_list_accounts (fixture->world.client);

  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (lanyard_fake_count_items (), ==, 0);
}

/* After the flow ended: a long quiet spell sees no further request. */
static void
assert_no_more_polls (Fixture *fixture)
{
  guint before = n_polls (fixture);

  lanyard_fake_spin (6 * 5 * FAST_MS);
  g_assert_cmpuint (n_polls (fixture), ==, before);
}

/* A sign-in that must fail with @code / @needle, leaving nothing behind. */
static void
device_sign_in_fails (Fixture      *fixture,
                      LanyardError  code,
                      const char   *needle)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = device_sign_in (fixture, &error);
  g_assert_null (account);
  assert_error (error, code, needle);
  assert_no_more_polls (fixture);
  assert_nothing_stored (fixture);
}

static gboolean supports (LanyardClient *client);

/* ---- the journey ---------------------------------------------------------------- */

static void
test_approved (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_uri = g_strconcat (lanyard_fake_provider_get_issuer (fixture->world.fake),
                                               "/device", NULL);
  g_autofree char *expected_complete = g_strconcat (expected_uri, "?user_code=WDJB-MJHT", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < 3; i++)
    lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_pending");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);

  g_assert_true (supports (fixture->world.client));
  account = device_sign_in (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);

  /* The UI had its description once, before the first poll. */
  g_assert_cmpuint (fixture->n_codes, ==, 1);
  g_assert_cmpuint (fixture->polls_at_code, ==, 0);
  g_assert_cmpstr (lanyard_device_code_get_user_code (fixture->code), ==, "WDJB-MJHT");
  g_assert_cmpstr (lanyard_device_code_get_verification_uri (fixture->code), ==, expected_uri);
  g_assert_cmpstr (lanyard_device_code_get_verification_uri_complete (fixture->code), ==, expected_complete);
  g_assert_cmpstr (lanyard_device_code_get_qr_uri (fixture->code), ==, expected_complete);
  g_assert_cmpint (lanyard_device_code_get_expires_at (fixture->code), >=, now + 600);
  g_assert_cmpint (lanyard_device_code_get_expires_at (fixture->code), <=, now + 602);
  g_assert_cmpuint (lanyard_device_code_get_interval (fixture->code), ==, 5);

  /* The request asked for the configured scopes; four polls, no more. */
  g_assert_cmpstr (lanyard_fake_provider_get_device_scope (fixture->world.fake), ==,
                   "openid profile offline_access");
  g_assert_cmpuint (n_polls (fixture), ==, 4);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_AUTHORIZE), ==, 0);
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 0);

  /* Stored like a browser sign-in: keyring, tokens, default account. */
  g_assert_cmpstr (lanyard_account_get_id (account), ==, ACCOUNT_ID);
  g_assert_cmpstr (lanyard_account_get_username (account), ==, LANYARD_FAKE_USERNAME);
  g_assert_false (lanyard_account_get_session_only (account));
  g_assert_null (lanyard_account_get_storage_error (account));
  g_assert_cmpint (lanyard_sign_in_get_phase (fixture->sign_in), ==, LANYARD_SIGN_IN_PHASE_DONE);
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (stored);
  g_assert_nonnull (lanyard_account_get_refresh_token (stored));
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                              lanyard_account_get_refresh_token (stored)));
  {
    g_autofree char *default_id = lanyard_default_account_get (NULL, NULL);
    g_assert_cmpstr (default_id, ==, ACCOUNT_ID);
  }

  assert_no_more_polls (fixture);
}

/* The tokens are the account's: silent renewal works from them. */
static void
test_then_silent (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(LanyardAccount) renewed = NULL;
  g_autoptr(LanyardClient) other = NULL;
  g_autoptr(GError) error = NULL;

  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);
  account = device_sign_in (fixture, &error);
  g_assert_no_error (error);

  other = lanyard_fake_world_new_client (&fixture->world);
  renewed = lanyard_fake_silent (other, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_id (renewed), ==, ACCOUNT_ID);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);
}

/* ---- polling rules ---------------------------------------------------------------- */

/* slow_down twice: 5 → 10 → 15 s between requests, and 15 it stays. Measured
 * at the provider with one second lasting 100 ms. */
static void
test_slow_down (Fixture       *fixture,
                gconstpointer  data)
{
  const gint64 unit = 100 * 1000;   /* µs per protocol second */
  const gint64 expected[] = { 10, 15, 15 };
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  GArray *polls;

  lanyard_client_set_device_clock (fixture->world.client, 100);
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "slow_down");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "slow_down");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_pending");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);

  account = device_sign_in (fixture, &error);
  g_assert_no_error (error);

  polls = lanyard_fake_provider_get_device_polls (fixture->world.fake);
  g_assert_cmpuint (polls->len, ==, 4);
  for (guint i = 1; i < polls->len; i++)
    {
      gint64 gap = g_array_index (polls, gint64, i) - g_array_index (polls, gint64, i - 1);

      g_test_message ("gap %u: %.2f s (expected %" G_GINT64_FORMAT ")",
                      i, (double) gap / unit, expected[i - 1]);
      /* A timer never fires early… */
      g_assert_cmpint (gap, >=, expected[i - 1] * unit - 2000);
      /* …and +5 is not doubling: far below the next step either way. */
      g_assert_cmpint (gap, <, (expected[i - 1] + 5) * unit);
    }
}

static void
test_pending_many (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 12; i++)
    lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_pending");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);

  account = device_sign_in (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_polls (fixture), ==, 13);
}

/* No interval in the answer: 5 s (RFC 8628 3.2); 0 would hammer: 1 s. */
static void
test_interval_default (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  GArray *polls;
  gint64 gap;

  json_object_set_null_member (lanyard_fake_provider_get_device_extra (fixture->world.fake), "interval");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_pending");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);

  account = device_sign_in (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lanyard_device_code_get_interval (fixture->code), ==, 5);
  polls = lanyard_fake_provider_get_device_polls (fixture->world.fake);
  g_assert_cmpuint (polls->len, ==, 2);
  gap = g_array_index (polls, gint64, 1) - g_array_index (polls, gint64, 0);
  g_assert_cmpint (gap, >=, 5 * FAST_MS * 1000 - 2000);
}

/* ---- endings ------------------------------------------------------------------------ */

static void
test_access_denied (Fixture       *fixture,
                    gconstpointer  data)
{
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_pending");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "access_denied");
  device_sign_in_fails (fixture, LANYARD_ERROR_PROVIDER, "declined");
  g_assert_cmpuint (n_polls (fixture), ==, 2);
}

/* Entra says authorization_declined. */
static void
test_authorization_declined (Fixture       *fixture,
                             gconstpointer  data)
{
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_declined");
  device_sign_in_fails (fixture, LANYARD_ERROR_PROVIDER, "declined");
}

static void
test_expired_token (Fixture       *fixture,
                    gconstpointer  data)
{
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_pending");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "expired_token");
  device_sign_in_fails (fixture, LANYARD_ERROR_TIMED_OUT, "expired");
  g_assert_cmpuint (n_polls (fixture), ==, 2);
}

/* The provider never says the code expired: our clock does. expires_in 12,
 * interval 5: polls at 5 and 10 (fewer on a loaded machine), none after 12,
 * and the wait does not end before 12. */
static void
test_expiry_by_clock (Fixture       *fixture,
                      gconstpointer  data)
{
  JsonObject *extra = lanyard_fake_provider_get_device_extra (fixture->world.fake);
  const gint64 unit = 100 * 1000;
  gint64 started = g_get_monotonic_time ();
  GArray *polls;

  lanyard_client_set_device_clock (fixture->world.client, 100);
  json_object_set_int_member (extra, "expires_in", 12);
  device_sign_in_fails (fixture, LANYARD_ERROR_TIMED_OUT, "expired");
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 12 * unit);

  /* "None after 12" as a count, not a time: a third poll would be due at 15.
   * The provider's arrival times stretch on a loaded machine, the count does not. */
  polls = lanyard_fake_provider_get_device_polls (fixture->world.fake);
  g_assert_cmpuint (polls->len, >=, 1);
  g_assert_cmpuint (polls->len, <=, 2);
}

/* The code expires while every poll hangs: the HTTP timeout ends each one,
 * the interval doubles (RFC 8628 3.5), and the expiry still ends the wait. */
static void
test_expiry_provider_silent (Fixture       *fixture,
                             gconstpointer  data)
{
  JsonObject *extra = lanyard_fake_provider_get_device_extra (fixture->world.fake);

  lanyard_client_set_device_clock (fixture->world.client, 200);
  json_object_set_int_member (extra, "expires_in", 8);
  json_object_set_int_member (extra, "interval", 1);
  lanyard_fake_set_http_timeout (fixture->world.client, 1);
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HANG);
  device_sign_in_fails (fixture, LANYARD_ERROR_TIMED_OUT, "expired");
  /* 1 s wait, 1 s hang, 2 s wait, 1 s hang, then < 4 s left of 8: at most 3 polls. */
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), >=, 1);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), <=, 3);
}

/* ---- garbage ---------------------------------------------------------------------------- */

typedef struct {
  const char          *name;
  LanyardFakeEndpoint  endpoint;
  guint                status;
  const char          *content_type;
  const char          *body;
  LanyardError         code;
  const char          *needle;
} GarbageCase;

static const GarbageCase garbage_cases[] = {
  { "token-not-json", LANYARD_FAKE_TOKEN, 200, "application/json", "<html>hello</html>",
    LANYARD_ERROR_INVALID_RESPONSE, "token response" },
  { "token-html-400", LANYARD_FAKE_TOKEN, 400, "text/html", "<html>bad</html>",
    LANYARD_ERROR_PROVIDER, "HTTP 400" },
  { "token-500", LANYARD_FAKE_TOKEN, 500, "application/json", "",
    LANYARD_ERROR_PROVIDER, "HTTP 500" },
  { "token-unknown-error", LANYARD_FAKE_TOKEN, 400, "application/json", "{\"error\":\"weird\"}",
    LANYARD_ERROR_PROVIDER, "weird" },
  { "token-no-access-token", LANYARD_FAKE_TOKEN, 200, "application/json", "{\"token_type\":\"Bearer\"}",
    LANYARD_ERROR_INVALID_RESPONSE, "access_token" },
  { "code-not-json", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json", "nope",
    LANYARD_ERROR_INVALID_RESPONSE, "device authorization response" },
  { "code-error", LANYARD_FAKE_DEVICE_AUTHORIZATION, 400, "application/json",
    "{\"error\":\"invalid_scope\",\"error_description\":\"No such scope\"}",
    LANYARD_ERROR_PROVIDER, "invalid_scope: No such scope" },
  { "code-no-user-code", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json",
    "{\"device_code\":\"dc-1\",\"verification_uri\":\"https://x.example/d\",\"expires_in\":600}",
    LANYARD_ERROR_INVALID_RESPONSE, "has no user_code" },
  { "code-no-expiry", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json",
    "{\"device_code\":\"dc-1\",\"user_code\":\"AB\",\"verification_uri\":\"https://x.example/d\"}",
    LANYARD_ERROR_INVALID_RESPONSE, "has no expires_in" },
  { "code-zero-expiry", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json",
    "{\"device_code\":\"dc-1\",\"user_code\":\"AB\",\"verification_uri\":\"https://x.example/d\",\"expires_in\":0}",
    LANYARD_ERROR_INVALID_RESPONSE, "expires_in is zero" },
  { "code-negative-interval", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json",
    "{\"device_code\":\"dc-1\",\"user_code\":\"AB\",\"verification_uri\":\"https://x.example/d\",\"expires_in\":60,\"interval\":-5}",
    LANYARD_ERROR_INVALID_RESPONSE, "interval" },
  { "code-javascript-uri", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json",
    "{\"device_code\":\"dc-1\",\"user_code\":\"AB\",\"verification_uri\":\"javascript:alert(1)\",\"expires_in\":60}",
    LANYARD_ERROR_INVALID_RESPONSE, "verification_uri" },
  { "code-userinfo-uri", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json",
    "{\"device_code\":\"dc-1\",\"user_code\":\"AB\",\"verification_uri\":\"https://login.example@evil.example/\",\"expires_in\":60}",
    LANYARD_ERROR_INVALID_RESPONSE, "verification_uri" },
  { "code-http-complete-uri", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json",
    "{\"device_code\":\"dc-1\",\"user_code\":\"AB\",\"verification_uri\":\"https://x.example/d\","
    "\"verification_uri_complete\":\"http://x.example/d?c=AB\",\"expires_in\":60}",
    LANYARD_ERROR_INVALID_RESPONSE, "verification_uri_complete" },
  { "code-control-user-code", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json",
    "{\"device_code\":\"dc-1\",\"user_code\":\"AB\\u001b[2J\",\"verification_uri\":\"https://x.example/d\",\"expires_in\":60}",
    LANYARD_ERROR_INVALID_RESPONSE, "user_code" },
  { "code-numeric-user-code", LANYARD_FAKE_DEVICE_AUTHORIZATION, 200, "application/json",
    "{\"device_code\":\"dc-1\",\"user_code\":1234,\"verification_uri\":\"https://x.example/d\",\"expires_in\":60}",
    LANYARD_ERROR_INVALID_RESPONSE, "user_code is not a string" },
};

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  const GarbageCase *garbage = data;

  lanyard_fake_provider_set_reply (fixture->world.fake, garbage->endpoint, garbage->status,
                                   garbage->content_type, garbage->body, -1);
  device_sign_in_fails (fixture, garbage->code, garbage->needle);
  if (garbage->endpoint == LANYARD_FAKE_DEVICE_AUTHORIZATION)
    {
      g_assert_cmpuint (fixture->n_codes, ==, 0);
      g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), ==, 0);
    }
  else
    g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), ==, 1);
}

/* ---- cancellation ----------------------------------------------------------------------- */

static void
cancel_at_poll_cb (LanyardFakeProvider *fake,
                   LanyardFakeEndpoint  endpoint,
                   gpointer             user_data)
{
  Fixture *fixture = user_data;

  if (endpoint == LANYARD_FAKE_TOKEN &&
      lanyard_fake_provider_get_count (fake, LANYARD_FAKE_TOKEN) == fixture->cancel_at_poll &&
      !fixture->hold_to_cancel)
    g_cancellable_cancel (fixture->cancellable);
}

/* Cancelled while a poll is on the wire: that request's answer is dropped and
 * none follows. */
static void
test_cancel_during_poll (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_pending");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HOLD);

  start_device_sign_in (fixture, &slot);
  lanyard_fake_provider_wait_held (fixture->world.fake);
  g_assert_cmpuint (n_polls (fixture), ==, 1);
  g_cancellable_cancel (fixture->cancellable);
  fixture->result = lanyard_test_wait_result (&slot);

  g_assert_null (device_sign_in_finish (fixture, &error));
  assert_error (error, LANYARD_ERROR_CANCELLED, NULL);

  /* The held answer goes out now (approve); nothing may come of it. */
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);
  assert_no_more_polls (fixture);
  g_assert_cmpuint (n_polls (fixture), ==, 1);
  assert_nothing_stored (fixture);
}

/* Cancelled between polls: the wait ends at once, no request after it. */
static void
test_cancel_between_polls (Fixture       *fixture,
                           gconstpointer  data)
{
  fixture->cancel_at_poll = 3;
  lanyard_fake_provider_set_request_func (fixture->world.fake, cancel_at_poll_cb, fixture);
  device_sign_in_fails (fixture, LANYARD_ERROR_CANCELLED, "cancelled");
  g_assert_cmpuint (n_polls (fixture), ==, 3);
}

/* Cancelled from the "device-code" handler: not a single poll. */
static void
test_cancel_on_code (Fixture       *fixture,
                     gconstpointer  data)
{
  fixture->cancel_on_code = TRUE;
  device_sign_in_fails (fixture, LANYARD_ERROR_CANCELLED, "cancelled");
  g_assert_cmpuint (fixture->n_codes, ==, 1);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), ==, 0);
}

/* ---- the ID token: the browser flow's checks ------------------------------------------ */

static char *
mint_wrong_audience (LanyardFakeProvider *fake,
                     JsonObject          *claims,
                     gpointer             user_data)
{
  json_object_set_string_member (claims, "aud", "someone-else");
  return lanyard_fake_provider_sign (fake, NULL, claims);
}

static char *
mint_bad_signature (LanyardFakeProvider *fake,
                    JsonObject          *claims,
                    gpointer             user_data)
{
  char *token = lanyard_fake_provider_sign (fake, NULL, claims);
  char *last = strrchr (token, '.') + 1;

  last[4] = last[4] == 'A' ? 'B' : 'A';
  return token;
}

static char *
mint_expired (LanyardFakeProvider *fake,
              JsonObject          *claims,
              gpointer             user_data)
{
  json_object_set_int_member (claims, "exp", g_get_real_time () / G_USEC_PER_SEC - 3600);
  return lanyard_fake_provider_sign (fake, NULL, claims);
}

static void
test_bad_id_token (Fixture       *fixture,
                   gconstpointer  data)
{
  lanyard_fake_provider_set_id_token_func (fixture->world.fake, (LanyardFakeIdTokenFunc) data, NULL);
  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);
  device_sign_in_fails (fixture, LANYARD_ERROR_INVALID_TOKEN, NULL);
}

static void
test_no_id_token (Fixture       *fixture,
                  gconstpointer  data)
{
  json_object_set_null_member (lanyard_fake_provider_get_token_extra (fixture->world.fake), "id_token");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);
  device_sign_in_fails (fixture, LANYARD_ERROR_INVALID_RESPONSE, "no ID token");
}

/* ---- whether it is offered -------------------------------------------------------------- */

static gboolean
supports (LanyardClient *client)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean supported;

  lanyard_client_supports_device_sign_in_async (client, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  supported = lanyard_client_supports_device_sign_in_finish (client, result, &error);
  g_assert_no_error (error);
  return supported;
}

static void
test_not_offered (Fixture       *fixture,
                  gconstpointer  data)
{
  json_object_set_null_member (lanyard_fake_provider_get_discovery (fixture->world.fake),
                               "device_authorization_endpoint");
  g_assert_false (supports (fixture->world.client));
  device_sign_in_fails (fixture, LANYARD_ERROR_CONFIGURATION, "device_authorization_endpoint");
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_DEVICE_AUTHORIZATION), ==, 0);
}

/* Entra: discovery's endpoint when it has one, else the fixed path; no
 * guessing for other providers. */
static void
test_entra_fallback (void)
{
  static const char with[] =
    "{\"issuer\":\"https://11111111-2222-3333-4444-555555555555.ciamlogin.com/11111111-2222-3333-4444-555555555555/v2.0\","
    "\"authorization_endpoint\":\"https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize\","
    "\"token_endpoint\":\"https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/token\","
    "\"jwks_uri\":\"https://contoso.ciamlogin.com/contoso.onmicrosoft.com/discovery/v2.0/keys\","
    "\"device_authorization_endpoint\":\"https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode\"}";
  static const char without[] =
    "{\"issuer\":\"https://11111111-2222-3333-4444-555555555555.ciamlogin.com/11111111-2222-3333-4444-555555555555/v2.0\","
    "\"authorization_endpoint\":\"https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize\","
    "\"token_endpoint\":\"https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/token\","
    "\"jwks_uri\":\"https://contoso.ciamlogin.com/contoso.onmicrosoft.com/discovery/v2.0/keys\"}";
  static const char generic[] =
    "{\"issuer\":\"https://id.example.com\","
    "\"authorization_endpoint\":\"https://id.example.com/authorize\","
    "\"token_endpoint\":\"https://id.example.com/token\","
    "\"jwks_uri\":\"https://id.example.com/jwks\"}";
  static const char generic_http[] =
    "{\"issuer\":\"https://id.example.com\","
    "\"authorization_endpoint\":\"https://id.example.com/authorize\","
    "\"token_endpoint\":\"https://id.example.com/token\","
    "\"jwks_uri\":\"https://id.example.com/jwks\","
    "\"device_authorization_endpoint\":\"http://id.example.com/device\"}";
  g_autoptr(LanyardAuthority) entra = lanyard_authority_parse ("contoso", NULL);
  g_autoptr(LanyardAuthority) other = lanyard_authority_parse ("https://id.example.com", NULL);
  g_autoptr(LanyardProvider) p1 = lanyard_provider_new_from_data (entra, with, sizeof with - 1, NULL);
  g_autoptr(LanyardProvider) p2 = lanyard_provider_new_from_data (entra, without, sizeof without - 1, NULL);
  g_autoptr(LanyardProvider) p3 = lanyard_provider_new_from_data (other, generic, sizeof generic - 1, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardProvider) p4 = lanyard_provider_new_from_data (other, generic_http, sizeof generic_http - 1, &error);

  g_assert_nonnull (p1);
  g_assert_cmpstr (lanyard_provider_get_device_authorization_endpoint (p1), ==,
                   "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode");
  g_assert_nonnull (p2);
  g_assert_cmpstr (lanyard_provider_get_device_authorization_endpoint (p2), ==,
                   "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode");
  g_assert_nonnull (p3);
  g_assert_null (lanyard_provider_get_device_authorization_endpoint (p3));
  g_assert_null (p4);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "device_authorization_endpoint"));
}

/* ---- the parser on its own -------------------------------------------------------------- */

static LanyardDeviceAuthorization *
parse (const char  *json,
       GError     **error)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  return lanyard_device_authorization_parse (body, FALSE, 1000, error);
}

static void
test_parse (void)
{
  g_autoptr(LanyardDeviceAuthorization) a = NULL;
  g_autoptr(LanyardDeviceAuthorization) b = NULL;
  g_autoptr(LanyardDeviceAuthorization) c = NULL;
  g_autoptr(GError) error = NULL;

  /* Entra's shape: numbers, a message we do not need, no complete URI. */
  a = parse ("{\"user_code\":\"DZ8YFPK3A\",\"device_code\":\"DAQABAAEAAAB\","
             "\"verification_uri\":\"https://microsoft.com/devicelogin\",\"expires_in\":900,"
             "\"interval\":5,\"message\":\"To sign in, use a web browser…\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->device_code, ==, "DAQABAAEAAAB");
  g_assert_cmpuint (a->expires_in, ==, 900);
  g_assert_cmpuint (a->interval, ==, 5);
  g_assert_cmpstr (lanyard_device_code_get_user_code (a->code), ==, "DZ8YFPK3A");
  g_assert_null (lanyard_device_code_get_verification_uri_complete (a->code));
  g_assert_cmpstr (lanyard_device_code_get_qr_uri (a->code), ==, "https://microsoft.com/devicelogin");
  g_assert_cmpint (lanyard_device_code_get_expires_at (a->code), ==, 1900);

  /* Older names and string numbers; interval 0 becomes 1. */
  b = parse ("{\"user_code\":\"AB-CD\",\"device_code\":\"x\",\"verification_url\":\"https://www.google.com/device\","
             "\"expires_in\":\"1800\",\"interval\":0}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_device_code_get_verification_uri (b->code), ==, "https://www.google.com/device");
  g_assert_cmpuint (b->expires_in, ==, 1800);
  g_assert_cmpuint (b->interval, ==, 1);

  /* http only for loopback, and only when allowed. */
  c = parse ("{\"user_code\":\"AB\",\"device_code\":\"x\",\"verification_uri\":\"http://127.0.0.1:9/device\",\"expires_in\":60}", &error);
  g_assert_null (c);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* Absurd lifetimes are refused rather than waited out. */
  c = parse ("{\"user_code\":\"AB\",\"device_code\":\"x\",\"verification_uri\":\"https://x.example/\",\"expires_in\":99999999}", &error);
  g_assert_null (c);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  c = parse ("{\"user_code\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
             "\"device_code\":\"x\",\"verification_uri\":\"https://x.example/\",\"expires_in\":60}", &error);
  g_assert_null (c);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
}

int
main (int    argc,
      char **argv)
{
  lanyard_test_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add ("/lanyard/device/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("approved", test_approved, NULL);
  ADD ("then-silent", test_then_silent, NULL);
  ADD ("slow-down", test_slow_down, NULL);
  ADD ("pending-many", test_pending_many, NULL);
  ADD ("interval-default", test_interval_default, NULL);
  ADD ("access-denied", test_access_denied, NULL);
  ADD ("authorization-declined", test_authorization_declined, NULL);
  ADD ("expired-token", test_expired_token, NULL);
  ADD ("expiry-by-clock", test_expiry_by_clock, NULL);
  ADD ("expiry-provider-silent", test_expiry_provider_silent, NULL);
  ADD ("cancel-during-poll", test_cancel_during_poll, NULL);
  ADD ("cancel-between-polls", test_cancel_between_polls, NULL);
  ADD ("cancel-on-code", test_cancel_on_code, NULL);
  ADD ("id-token/wrong-audience", test_bad_id_token, mint_wrong_audience);
  ADD ("id-token/bad-signature", test_bad_id_token, mint_bad_signature);
  ADD ("id-token/expired", test_bad_id_token, mint_expired);
  ADD ("id-token/missing", test_no_id_token, NULL);
  ADD ("not-offered", test_not_offered, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (garbage_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/lanyard/device/garbage/%s", garbage_cases[i].name);

      g_test_add (path, Fixture, &garbage_cases[i], fixture_setup, test_garbage, fixture_teardown);
    }

#undef ADD

  g_test_add_func ("/lanyard/device/entra-fallback", test_entra_fallback);
  g_test_add_func ("/lanyard/device/parse", test_parse);

  return g_test_run ();
}
