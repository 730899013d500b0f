/* test-sign-in.c — LanyardSignIn: the phases a UI sees, its options (claims,
 * extra scopes), and sign-ins that run side by side
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs inside tests/session/lanyard-test-session (a private keyring).
 */
#define G_LOG_DOMAIN "test-sign-in"

#include "config.h"

#include <string.h>

#include "lanyard-client-private.h"
#include "lanyard-fake-provider.h"
#include "lanyard-test-utils.h"

#define ACCOUNT_ID LANYARD_FAKE_OID "." LANYARD_FAKE_TID
#define CLAIMS "{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}"
/* The same, base64 as Entra's challenges carry it (standard alphabet, padded). */
#define CLAIMS_BASE64 "eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiYzEifX19"

typedef struct {
  LanyardFakeWorld  world;
  GCancellable     *cancellable;
  GString          *phases;       /* every phase notified, by nick */
  char             *uri_when_waiting;
  gboolean          code_when_waiting;
  gboolean          cancel_when_saving;
} Fixture;

static const char *
phase_nick (LanyardSignInPhase phase)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (LANYARD_TYPE_SIGN_IN_PHASE);

  return g_enum_get_value (klass, phase)->value_nick;
}

static void
phase_cb (LanyardSignIn *sign_in,
          GParamSpec    *pspec,
          gpointer       user_data)
{
  Fixture *fixture = user_data;
  LanyardSignInPhase phase = lanyard_sign_in_get_phase (sign_in);

  if (fixture->phases->len > 0)
    g_string_append (fixture->phases, ", ");
  g_string_append (fixture->phases, phase_nick (phase));

  if (phase == LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER)
    fixture->uri_when_waiting = g_strdup (lanyard_sign_in_get_uri (sign_in));
  if (phase == LANYARD_SIGN_IN_PHASE_WAITING_FOR_OTHER_DEVICE)
    fixture->code_when_waiting = lanyard_sign_in_get_device_code (sign_in) != NULL;
  if (phase == LANYARD_SIGN_IN_PHASE_SAVING && fixture->cancel_when_saving)
    g_cancellable_cancel (fixture->cancellable);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  lanyard_fake_world_setup (&fixture->world);
  lanyard_client_set_device_clock (fixture->world.client, 10);
  fixture->cancellable = g_cancellable_new ();
  fixture->phases = g_string_new (NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  lanyard_fake_world_teardown (&fixture->world);
  g_clear_object (&fixture->cancellable);
  g_string_free (fixture->phases, TRUE);
  g_free (fixture->uri_when_waiting);
}

static LanyardSignIn *
new_sign_in (Fixture *fixture)
{
  LanyardSignIn *sign_in = lanyard_sign_in_new (fixture->world.client);

  g_signal_connect (sign_in, "notify::phase", G_CALLBACK (phase_cb), fixture);
  return sign_in;
}

static LanyardAccount *
run (Fixture        *fixture,
     LanyardSignIn  *sign_in,
     GError        **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_sign_in_run_async (sign_in, fixture->cancellable, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  return lanyard_sign_in_run_finish (sign_in, result, error);
}

static char *
query_param (const char *uri,
             const char *name)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GHashTable) query = soup_form_decode (g_uri_get_query (parsed));

  return g_strdup (g_hash_table_lookup (query, name));
}

static guint
total_requests (LanyardFakeProvider *fake)
{
  guint n = 0;

  for (guint i = 0; i < LANYARD_FAKE_N_ENDPOINTS; i++)
    n += lanyard_fake_provider_get_count (fake, i);
  return n;
}

/* ---- phases ------------------------------------------------------------------ */

static void
test_browser_phases (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (lanyard_sign_in_get_phase (sign_in), ==, LANYARD_SIGN_IN_PHASE_NOT_STARTED);
  g_assert_null (lanyard_sign_in_get_uri (sign_in));

  account = run (fixture, sign_in, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);

  g_assert_cmpstr (fixture->phases->str, ==, "preparing, waiting-for-browser, redeeming, saving, done");
  /* The page was known when the phase said so, and it is what the browser opened. */
  g_assert_cmpstr (fixture->uri_when_waiting, ==, lanyard_fake_browser_get_last_uri (fixture->world.browser));
  g_assert_cmpstr (lanyard_sign_in_get_uri (sign_in), ==, fixture->uri_when_waiting);
  g_assert_true (lanyard_sign_in_get_account (sign_in) == account);
  g_assert_cmpstr (lanyard_account_get_id (account), ==, ACCOUNT_ID);
  g_assert_null (lanyard_sign_in_get_error (sign_in));
  g_assert_null (lanyard_sign_in_get_browser_error (sign_in));
  g_assert_null (lanyard_sign_in_get_device_code (sign_in));
  lanyard_fake_browser_wait_idle (fixture->world.browser);
}

static void
test_device_phases (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  lanyard_sign_in_set_flow (sign_in, LANYARD_SIGN_IN_FLOW_DEVICE_CODE);
  lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_pending");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);

  account = run (fixture, sign_in, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);

  g_assert_cmpstr (fixture->phases->str, ==,
                   "preparing, waiting-for-other-device, redeeming, saving, done");
  g_assert_true (fixture->code_when_waiting);
  g_assert_cmpstr (lanyard_device_code_get_user_code (lanyard_sign_in_get_device_code (sign_in)), ==,
                   "WDJB-MJHT");
  g_assert_null (lanyard_sign_in_get_uri (sign_in));
  g_assert_true (lanyard_sign_in_get_account (sign_in) == account);
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 0);
}

static void
test_failed_phase (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  lanyard_fake_provider_set_authorize_error (fixture->world.fake, "access_denied", "The user said no");
  account = run (fixture, sign_in, &error);
  g_assert_null (account);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_PROVIDER);

  g_assert_cmpstr (fixture->phases->str, ==, "preparing, waiting-for-browser, failed");
  g_assert_nonnull (lanyard_sign_in_get_error (sign_in));
  g_assert_cmpstr (lanyard_sign_in_get_error (sign_in)->message, ==, error->message);
  g_assert_null (lanyard_sign_in_get_account (sign_in));
  lanyard_fake_browser_wait_idle (fixture->world.browser);
}

static void
test_browser_error (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  lanyard_fake_browser_set_mode (fixture->world.browser, LANYARD_FAKE_BROWSER_FAIL);
  lanyard_sign_in_run_async (sign_in, fixture->cancellable, lanyard_test_store_result_cb, &slot);
  while (lanyard_sign_in_get_browser_error (sign_in) == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* The browser failed; the sign-in still waits for the page to be opened by hand. */
  g_assert_error (lanyard_sign_in_get_browser_error (sign_in), LANYARD_ERROR, LANYARD_ERROR_BROWSER);
  g_assert_cmpint (lanyard_sign_in_get_phase (sign_in), ==, LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER);
  g_assert_nonnull (lanyard_sign_in_get_uri (sign_in));
  lanyard_fake_spin (50);
  g_assert_null (slot);

  g_cancellable_cancel (fixture->cancellable);
  result = lanyard_test_wait_result (&slot);
  g_assert_null (lanyard_sign_in_run_finish (sign_in, result, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
  g_assert_cmpint (lanyard_sign_in_get_phase (sign_in), ==, LANYARD_SIGN_IN_PHASE_CANCELLED);
  g_assert_error (lanyard_sign_in_get_error (sign_in), LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
}

static void
test_runs_once (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(LanyardAccount) again = NULL;
  g_autoptr(GError) error = NULL;

  account = run (fixture, sign_in, &error);
  g_assert_no_error (error);
  lanyard_fake_browser_wait_idle (fixture->world.browser);

  again = run (fixture, sign_in, &error);
  g_assert_null (again);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_FAILED);
  /* Still the first run's outcome. */
  g_assert_cmpint (lanyard_sign_in_get_phase (sign_in), ==, LANYARD_SIGN_IN_PHASE_DONE);
  g_assert_true (lanyard_sign_in_get_account (sign_in) == account);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "authorization_code"), ==, 1);
}

/* ---- claims and extra scopes ----------------------------------------------------- */

static void
test_claims (Fixture       *fixture,
             gconstpointer  data)
{
  const char *given = data;
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  lanyard_sign_in_set_claims (sign_in, given);
  g_assert_cmpstr (lanyard_sign_in_get_claims (sign_in), ==, given);
  account = run (fixture, sign_in, &error);
  g_assert_no_error (error);

  /* The authorize request carries the JSON, as MSAL sends it. */
  sent = query_param (lanyard_fake_browser_get_last_uri (fixture->world.browser), "claims");
  g_assert_cmpstr (sent, ==, CLAIMS);
  lanyard_fake_browser_wait_idle (fixture->world.browser);
}

static const char * const bad_claims[] = {
  "[1, 2]",
  "{\"id_token\":",
  "\"acrs\"",
  "not base64 !",
  "W10=",                                /* base64 of [] */
  "{\"a\":1,\"a\":2}",                   /* a duplicate member */
};

static void
test_bad_claims (Fixture       *fixture,
                 gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_claims); i++)
    {
      g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
      g_autoptr(LanyardAccount) account = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) check_error = NULL;

      g_test_message ("claims %s", bad_claims[i]);
      g_assert_false (lanyard_sign_in_check_claims (bad_claims[i], &check_error));
      g_assert_error (check_error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);

      lanyard_sign_in_set_claims (sign_in, bad_claims[i]);
      account = run (fixture, sign_in, &error);
      g_assert_null (account);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
      g_assert_nonnull (strstr (error->message, "claims"));
      g_assert_cmpint (lanyard_sign_in_get_phase (sign_in), ==, LANYARD_SIGN_IN_PHASE_FAILED);
    }

  /* Said before anything went on the network. */
  g_assert_cmpuint (total_requests (fixture->world.fake), ==, 0);
  g_assert_true (lanyard_sign_in_check_claims (CLAIMS, NULL));
  g_assert_true (lanyard_sign_in_check_claims (CLAIMS_BASE64, NULL));
}

static void
test_claims_need_browser (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  lanyard_sign_in_set_flow (sign_in, LANYARD_SIGN_IN_FLOW_DEVICE_CODE);
  lanyard_sign_in_set_claims (sign_in, CLAIMS);
  account = run (fixture, sign_in, &error);
  g_assert_null (account);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_assert_cmpuint (total_requests (fixture->world.fake), ==, 0);
}

static void
test_extra_scopes (Fixture       *fixture,
                   gconstpointer  data)
{
  const char * const extra[] = { "api://orders/read", "profile", NULL };
  const char * const bad[] = { "api://orders/réad", NULL };
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(LanyardSignIn) refused = new_sign_in (fixture);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scope = NULL;

  lanyard_sign_in_set_extra_scopes (sign_in, extra);
  account = run (fixture, sign_in, &error);
  g_assert_no_error (error);

  /* The configured scopes, then the new one; none twice. */
  scope = query_param (lanyard_fake_browser_get_last_uri (fixture->world.browser), "scope");
  g_assert_cmpstr (scope, ==, "openid profile offline_access api://orders/read");
  lanyard_fake_browser_wait_idle (fixture->world.browser);

  lanyard_sign_in_set_extra_scopes (refused, bad);
  g_clear_object (&account);
  account = run (fixture, refused, &error);
  g_assert_null (account);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
}

/* ---- side by side, and the cancellation policy ------------------------------------ */

/* A second sign-in does not cancel the first: each has its own listener. */
static void
test_two_at_once (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LanyardSignIn) first = lanyard_sign_in_new (fixture->world.client);
  g_autoptr(LanyardSignIn) second = lanyard_sign_in_new (fixture->world.client);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GCancellable) second_cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *first_slot = NULL;
  GAsyncResult *second_slot = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autofree char *first_uri = NULL;

  lanyard_fake_browser_set_mode (fixture->world.browser, LANYARD_FAKE_BROWSER_RECORD);
  lanyard_sign_in_run_async (first, fixture->cancellable, lanyard_test_store_result_cb, &first_slot);
  while (lanyard_fake_browser_get_n_opened (fixture->world.browser) == 0)
    g_main_context_iteration (NULL, TRUE);
  first_uri = g_strdup (lanyard_sign_in_get_uri (first));

  lanyard_fake_browser_set_mode (fixture->world.browser, LANYARD_FAKE_BROWSER_COMPLETE);
  lanyard_sign_in_run_async (second, second_cancellable, lanyard_test_store_result_cb, &second_slot);
  second_result = lanyard_test_wait_result (&second_slot);
  account = lanyard_sign_in_run_finish (second, second_result, &error);
  g_assert_no_error (error);
  lanyard_fake_browser_wait_idle (fixture->world.browser);

  /* The first still waits, on its own port. */
  lanyard_fake_spin (50);
  g_assert_null (first_slot);
  g_assert_cmpint (lanyard_sign_in_get_phase (first), ==, LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER);
  g_assert_cmpstr (lanyard_sign_in_get_uri (first), !=, lanyard_sign_in_get_uri (second));
  g_assert_false (g_cancellable_is_cancelled (fixture->cancellable));

  /* Cancelling the first leaves the second's account alone. */
  g_cancellable_cancel (fixture->cancellable);
  first_result = lanyard_test_wait_result (&first_slot);
  g_assert_null (lanyard_sign_in_run_finish (first, first_result, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
  g_clear_object (&account);
  account = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (account);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* With a fixed redirect port, a second sign-in cannot listen: it fails and
 * says why, and the first goes on undisturbed. */
static void
test_two_on_a_fixed_port (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(LanyardClient) client = NULL;
  g_autoptr(LanyardSignIn) first = NULL;
  g_autoptr(LanyardSignIn) second = NULL;
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(GCancellable) second_cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *first_slot = NULL;
  GAsyncResult *second_slot = NULL;
  guint16 port = free_port ();

  fixture->world.config->redirect_port = port;
  client = lanyard_fake_world_new_client (&fixture->world);
  first = lanyard_sign_in_new (client);
  second = lanyard_sign_in_new (client);

  lanyard_fake_browser_set_mode (fixture->world.browser, LANYARD_FAKE_BROWSER_RECORD);
  lanyard_sign_in_run_async (first, fixture->cancellable, lanyard_test_store_result_cb, &first_slot);
  while (lanyard_fake_browser_get_n_opened (fixture->world.browser) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (lanyard_fake_browser_get_redirect_port (fixture->world.browser), ==, port);

  lanyard_sign_in_run_async (second, second_cancellable, lanyard_test_store_result_cb, &second_slot);
  second_result = lanyard_test_wait_result (&second_slot);
  g_assert_null (lanyard_sign_in_run_finish (second, second_result, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (lanyard_sign_in_get_phase (second), ==, LANYARD_SIGN_IN_PHASE_FAILED);

  lanyard_fake_spin (50);
  g_assert_null (first_slot);
  g_assert_cmpint (lanyard_sign_in_get_phase (first), ==, LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER);
  g_assert_false (lanyard_fake_port_is_closed (port));
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 1);

  g_cancellable_cancel (fixture->cancellable);
  first_result = lanyard_test_wait_result (&first_slot);
  g_assert_null (lanyard_sign_in_run_finish (first, first_result, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
  g_assert_true (lanyard_fake_port_is_closed (port));
}

/* Cancelled while a sign-in of an account already kept is being saved: the
 * keyring and the live list hold the account as it was before — the
 * cancelled sign-in neither stays nor takes the old one with it. */
static void
test_cancel_saving_keeps_previous (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(LanyardAccount) before = NULL;
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(LanyardAccount) live = NULL;
  g_autoptr(GError) error = NULL;

  before = lanyard_fake_sign_in (fixture->world.client, NULL, &error);
  g_assert_no_error (error);
  lanyard_fake_browser_wait_idle (fixture->world.browser);

  fixture->cancel_when_saving = TRUE;
  account = run (fixture, sign_in, &error);
  g_assert_null (account);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
  g_assert_cmpstr (fixture->phases->str, ==, "preparing, waiting-for-browser, redeeming, saving, cancelled");
  lanyard_fake_browser_wait_idle (fixture->world.browser);

  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (stored);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==, lanyard_account_get_refresh_token (before));
  g_assert_cmpuint (g_list_model_get_n_items (lanyard_client_get_accounts (fixture->world.client)), ==, 1);
  live = g_list_model_get_item (lanyard_client_get_accounts (fixture->world.client), 0);
  g_assert_cmpstr (lanyard_account_get_refresh_token (live), ==, lanyard_account_get_refresh_token (before));
}

/* A first sign-in cancelled while saving leaves nothing. */
static void
test_cancel_saving_new (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LanyardSignIn) sign_in = new_sign_in (fixture);
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  fixture->cancel_when_saving = TRUE;
  account = run (fixture, sign_in, &error);
  g_assert_null (account);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
  lanyard_fake_browser_wait_idle (fixture->world.browser);
  g_assert_cmpuint (lanyard_fake_count_items (), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (lanyard_client_get_accounts (fixture->world.client)), ==, 0);
}

/* The conveniences are a LanyardSignIn too. */
static void
test_device_convenience (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);
  lanyard_client_sign_in_device_async (fixture->world.client, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  account = lanyard_client_sign_in_device_finish (fixture->world.client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_id (account), ==, ACCOUNT_ID);
  g_assert_null (lanyard_client_sign_in_get_keyring_error (result));
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

#define ADD(path, data, func) \
  g_test_add ("/lanyard/sign-in/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("phases/browser", NULL, test_browser_phases);
  ADD ("phases/device", NULL, test_device_phases);
  ADD ("phases/failed", NULL, test_failed_phase);
  ADD ("phases/browser-error-then-cancel", NULL, test_browser_error);
  ADD ("runs-once", NULL, test_runs_once);
  ADD ("claims/json", CLAIMS, test_claims);
  ADD ("claims/base64", CLAIMS_BASE64, test_claims);
  ADD ("claims/bad", NULL, test_bad_claims);
  ADD ("claims/need-browser", NULL, test_claims_need_browser);
  ADD ("extra-scopes", NULL, test_extra_scopes);
  ADD ("two-at-once", NULL, test_two_at_once);
  ADD ("two-on-a-fixed-port", NULL, test_two_on_a_fixed_port);
  ADD ("cancel/saving-keeps-previous", NULL, test_cancel_saving_keeps_previous);
  ADD ("cancel/saving-new", NULL, test_cancel_saving_new);
  ADD ("device-convenience", NULL, test_device_convenience);

#undef ADD

  return g_test_run ();
}
