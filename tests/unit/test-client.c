/* test-client.c — the client against the fake provider: the paths that work
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs inside tests/session/lanyard-test-session (a private keyring).
 */
#define G_LOG_DOMAIN "test-client"

#include "config.h"

#include <string.h>

#include "lanyard-client-private.h"
#include "lanyard-fake-provider.h"
#include "lanyard-test-utils.h"

#define ACCOUNT_ID LANYARD_FAKE_OID "." LANYARD_FAKE_TID

typedef struct {
  LanyardFakeWorld  world;
  char             *refresh_token_before;
  guint             n_callbacks;
  gboolean          checked_in_callback;
} Fixture;

static void
accounts_changed_cb (GListModel *accounts,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  Fixture *fixture = user_data;

  lanyard_fake_provider_log (fixture->world.fake, "accounts-changed");
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  lanyard_fake_world_setup (&fixture->world);
  g_signal_connect (lanyard_client_get_accounts (fixture->world.client), "items-changed",
                    G_CALLBACK (accounts_changed_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  lanyard_fake_world_teardown (&fixture->world);
  g_free (fixture->refresh_token_before);
}

static LanyardAccount *
sign_in_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  LanyardAccount *account = lanyard_fake_sign_in (fixture->world.client, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

/* ---- sign-in ------------------------------------------------------------------ */

static void
check_signed_in (Fixture        *fixture,
                 LanyardAccount *account)
{
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  g_assert_cmpstr (lanyard_account_get_id (account), ==, ACCOUNT_ID);
  g_assert_cmpstr (lanyard_account_get_username (account), ==, LANYARD_FAKE_USERNAME);
  g_assert_cmpstr (lanyard_account_get_display_name (account), ==, "Ada Lovelace");
  g_assert_cmpstr (lanyard_account_get_login_hint (account), ==, LANYARD_FAKE_LOGIN_HINT);
  g_assert_cmpstr (lanyard_account_get_issuer (account), ==,
                   lanyard_fake_provider_get_issuer (fixture->world.fake));
  g_assert_false (lanyard_account_get_session_only (account));
  g_assert_nonnull (lanyard_account_get_access_token (account));
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (account)));
  g_assert_true (lanyard_account_has_valid_access_token (account, NULL,
                                                         g_get_real_time () / G_USEC_PER_SEC, 300));

  /* In the keyring, with the same tokens. */
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (stored);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==,
                   lanyard_account_get_refresh_token (account));
  g_assert_cmpstr (lanyard_account_get_access_token (stored), ==,
                   lanyard_account_get_access_token (account));

  accounts = lanyard_fake_list_accounts (fixture->world.client);
  g_assert_cmpuint (accounts->len, ==, 1);

  /* The tab was told only after redemption and validation. */
  lanyard_fake_browser_wait_idle (fixture->world.browser);
  g_assert_cmpuint (lanyard_fake_browser_get_page_status (fixture->world.browser), ==, 200);
  g_assert_nonnull (strstr (lanyard_fake_browser_get_page_body (fixture->world.browser),
                            LANYARD_FAKE_USERNAME));
  g_assert_true (lanyard_fake_port_is_closed (lanyard_fake_browser_get_redirect_port (fixture->world.browser)));

  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_DISCOVERY), ==, 1);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 1);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "authorization_code"), ==, 1);
}

static void
test_sign_in_form_post (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  const char *uri = lanyard_fake_browser_get_last_uri (fixture->world.browser);

  g_assert_nonnull (strstr (uri, "response_mode=form_post"));
  check_signed_in (fixture, account);
}

static void
test_sign_in_query (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = NULL;
  JsonObject *discovery = lanyard_fake_provider_get_discovery (fixture->world.fake);
  JsonArray *modes = json_array_new ();

  /* No form_post, and no RFC 9207 iss either. */
  json_array_add_string_element (modes, "query");
  json_object_set_array_member (discovery, "response_modes_supported", modes);
  lanyard_fake_provider_set_send_iss (fixture->world.fake, FALSE);

  account = sign_in_ok (fixture);
  g_assert_null (strstr (lanyard_fake_browser_get_last_uri (fixture->world.browser), "response_mode"));
  check_signed_in (fixture, account);
}

/* ---- silent ------------------------------------------------------------------- */

static guint
total_requests (LanyardFakeProvider *fake)
{
  guint n = 0;

  for (guint i = 0; i < LANYARD_FAKE_N_ENDPOINTS; i++)
    n += lanyard_fake_provider_get_count (fake, i);
  return n;
}

static void
test_silent_from_cache (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) cached = NULL;
  g_autoptr(LanyardClient) restarted = NULL;
  g_autoptr(GError) error = NULL;
  guint before = total_requests (fixture->world.fake);

  /* A restart: a new client (with nothing in memory). */
  restarted = lanyard_fake_world_new_client (&fixture->world);

  cached = lanyard_fake_silent (restarted, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_id (cached), ==, ACCOUNT_ID);
  g_assert_cmpstr (lanyard_account_get_access_token (cached), ==,
                   lanyard_account_get_access_token (account));

  g_clear_object (&cached);
  cached = lanyard_fake_silent (restarted, LANYARD_FAKE_USERNAME, FALSE, &error);
  g_assert_no_error (error);

  /* Not one request. */
  g_assert_cmpuint (total_requests (fixture->world.fake), ==, before);
}

static void
forced_refresh_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *refresh_token;

  fixture->n_callbacks++;
  account = lanyard_client_acquire_token_silent_finish (LANYARD_CLIENT (source), result, &error);
  g_assert_no_error (error);

  refresh_token = lanyard_account_get_refresh_token (account);
  g_assert_cmpstr (refresh_token, !=, fixture->refresh_token_before);
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake, refresh_token));
  g_assert_false (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                                fixture->refresh_token_before));

  /* Before the caller hears of it, the keyring has the rotated token. */
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (stored);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==, refresh_token);
  g_assert_cmpstr (lanyard_account_get_access_token (stored), ==,
                   lanyard_account_get_access_token (account));
  fixture->checked_in_callback = TRUE;
}

static void
test_forced_refresh_rotation (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(GPtrArray) accounts = NULL;

  fixture->refresh_token_before = g_strdup (lanyard_account_get_refresh_token (account));

  lanyard_client_acquire_token_silent_async (fixture->world.client, NULL, NULL, TRUE, NULL,
                                             forced_refresh_done_cb, fixture);
  lanyard_test_wait_for (&fixture->checked_in_callback);
  g_assert_cmpuint (fixture->n_callbacks, ==, 1);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);

  accounts = lanyard_fake_list_accounts (fixture->world.client);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_false (lanyard_account_get_session_only (g_ptr_array_index (accounts, 0)));
}

static guint
n_refresh_waiters (LanyardClient *client)
{
  GHashTableIter iter;
  gpointer key, value;

  /* The key is (issuer, client id, id, scope set): this account's, any set. */
  g_hash_table_iter_init (&iter, client->refreshes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, ACCOUNT_ID "\n") && g_str_has_suffix (key, "\n"))
      return ((GPtrArray *) value)->len;

  return 0;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_concurrent_silent (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) first = NULL;
  g_autoptr(LanyardAccount) second = NULL;
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *first_slot = NULL;
  GAsyncResult *second_slot = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint tick;

  /* The access token is about to expire: both callers need a refresh. */
  lanyard_fake_provider_set_access_token_lifetime (fixture->world.fake, 60);
  g_clear_object (&account);
  account = lanyard_fake_silent (fixture->world.client, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);
  lanyard_fake_provider_set_access_token_lifetime (fixture->world.fake, 3600);

  /* Hold the refresh until both callers wait on it. */
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HOLD);
  lanyard_client_acquire_token_silent_async (fixture->world.client, NULL, NULL, FALSE, NULL,
                                             lanyard_test_store_result_cb, &first_slot);
  lanyard_client_acquire_token_silent_async (fixture->world.client, NULL, NULL, FALSE, NULL,
                                             lanyard_test_store_result_cb, &second_slot);
  lanyard_fake_provider_wait_held (fixture->world.fake);
  tick = g_timeout_add (20, tick_cb, NULL);
  while (n_refresh_waiters (fixture->world.client) < 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (n_refresh_waiters (fixture->world.client), ==, 2);

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);

  first_result = lanyard_test_wait_result (&first_slot);
  second_result = lanyard_test_wait_result (&second_slot);
  first = lanyard_client_acquire_token_silent_finish (fixture->world.client, first_result, &error);
  g_assert_no_error (error);
  second = lanyard_client_acquire_token_silent_finish (fixture->world.client, second_result, &error);
  g_assert_no_error (error);

  /* Exactly one more refresh, shared. */
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 2);
  g_assert_cmpstr (lanyard_account_get_access_token (first), ==, lanyard_account_get_access_token (second));
  g_assert_cmpstr (lanyard_account_get_refresh_token (first), ==, lanyard_account_get_refresh_token (second));
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (first)));
}

static void
test_invalid_grant (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LanyardAccount) account G_GNUC_UNUSED = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) failed = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  /* The provider ended the session (password reset, admin revoke…). */
  lanyard_fake_provider_revoke_grants (fixture->world.fake);

  failed = lanyard_fake_silent (fixture->world.client, NULL, TRUE, &error);
  g_assert_null (failed);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED);
  g_assert_nonnull (strstr (error->message, "invalid_grant"));
  g_clear_error (&error);

  /* The dead refresh token is gone from the keyring already. */
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (stored);
  g_assert_null (lanyard_account_get_refresh_token (stored));

  /* The next forced call asks for a sign-in without bothering the provider. */
  failed = lanyard_fake_silent (fixture->world.client, NULL, TRUE, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED);
  g_assert_nonnull (strstr (error->message, "sign in again"));
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);

  accounts = lanyard_fake_list_accounts (fixture->world.client);
  g_assert_cmpuint (accounts->len, ==, 1);
}

/* ---- sign-out ------------------------------------------------------------------ */

static void
sign_out_request_cb (LanyardFakeProvider *fake,
                     LanyardFakeEndpoint  endpoint,
                     gpointer             user_data)
{
  /* The keyring is checked from outside, while the request is being made. */
  if (endpoint == LANYARD_FAKE_REVOCATION)
    lanyard_fake_provider_log (fake, "keyring-items:%u", lanyard_fake_count_items ());
}

static void
test_sign_out_order (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = sign_in_ok (fixture);
  g_autoptr(LanyardSignOutResult) result = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *expected_hint = NULL;
  const char *logout_uri;

  lanyard_fake_browser_wait_idle (fixture->world.browser);
  lanyard_fake_provider_clear_log (fixture->world.fake);
  lanyard_fake_provider_set_request_func (fixture->world.fake, sign_out_request_cb, NULL);

  result = lanyard_fake_sign_out (fixture->world.client, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (result->revoked);
  g_assert_no_error (result->revoke_error);
  g_assert_true (result->browser_opened);
  g_assert_no_error (result->browser_error);

  /* Item removed, then revocation, then the logout page. */
  lanyard_fake_browser_wait_idle (fixture->world.browser);
  log = lanyard_fake_provider_get_log (fixture->world.fake);
  g_assert_cmpstr (log, ==,
                   "accounts-changed, revocation, keyring-items:0, browser:/logout, end_session");
  g_assert_true (lanyard_fake_provider_was_revoked (fixture->world.fake,
                                                    lanyard_account_get_refresh_token (account)));

  logout_uri = lanyard_fake_browser_get_last_uri (fixture->world.browser);
  g_assert_cmpstr (logout_uri, ==, result->logout_uri);
  g_assert_true (g_str_has_prefix (logout_uri, lanyard_fake_provider_get_issuer (fixture->world.fake)));
  expected_hint = g_strdup_printf ("logout_hint=%s", LANYARD_FAKE_LOGIN_HINT);
  g_assert_nonnull (strstr (logout_uri, expected_hint));
  g_assert_nonnull (strstr (logout_uri, "client_id=" LANYARD_FAKE_CLIENT_ID));
  g_assert_null (strstr (logout_uri, "id_token_hint"));

  accounts = lanyard_fake_list_accounts (fixture->world.client);
  g_assert_cmpuint (accounts->len, ==, 0);
  g_assert_cmpuint (lanyard_fake_count_items (), ==, 0);
}

/* ---- key rotation ----------------------------------------------------------------- */

static void
test_key_rotation_sign_in (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LanyardAccount) account G_GNUC_UNUSED = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) again = NULL;
  g_autoptr(LanyardClient) restarted = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 1);
  lanyard_fake_browser_wait_idle (fixture->world.browser);

  /* Later, in a new process (JWKS from the disk cache), the keys rotated. */
  restarted = lanyard_fake_world_new_client (&fixture->world);
  lanyard_fake_provider_rotate_keys (fixture->world.fake, "key-2");

  again = lanyard_fake_sign_in (restarted, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_id (again), ==, ACCOUNT_ID);

  /* The unknown kid cost exactly one refetch. */
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 2);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_DISCOVERY), ==, 1);
  lanyard_fake_browser_wait_idle (fixture->world.browser);
}

static void
test_key_rotation_refresh (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LanyardAccount) account G_GNUC_UNUSED = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) renewed = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(LanyardClient) restarted = NULL;
  g_autoptr(GError) error = NULL;

  lanyard_fake_browser_wait_idle (fixture->world.browser);
  restarted = lanyard_fake_world_new_client (&fixture->world);
  lanyard_fake_provider_rotate_keys (fixture->world.fake, "key-2");

  renewed = lanyard_fake_silent (restarted, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 2);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);

  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==,
                   lanyard_account_get_refresh_token (renewed));
  g_assert_cmpstr (lanyard_account_get_id_token (stored), ==,
                   lanyard_account_get_id_token (renewed));
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/lanyard/client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("sign-in/form-post", test_sign_in_form_post);
  ADD ("sign-in/query", test_sign_in_query);
  ADD ("silent/from-cache", test_silent_from_cache);
  ADD ("silent/forced-refresh-rotation", test_forced_refresh_rotation);
  ADD ("silent/concurrent-one-refresh", test_concurrent_silent);
  ADD ("silent/invalid-grant", test_invalid_grant);
  ADD ("sign-out/order", test_sign_out_order);
  ADD ("key-rotation/sign-in", test_key_rotation_sign_in);
  ADD ("key-rotation/refresh", test_key_rotation_refresh);

#undef ADD

  return g_test_run ();
}
