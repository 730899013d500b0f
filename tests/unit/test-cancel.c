/* test-cancel.c — the one cancellation policy (HACKING.md), operation by
 * operation: LANYARD_ERROR_CANCELLED at once, no request after it, nothing
 * half-done, and no operation cancelling another
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs inside tests/session/lanyard-test-session (a private keyring).
 */
#define G_LOG_DOMAIN "test-cancel"

#include "config.h"

#include <string.h>

#include "lanyard-client-private.h"
#include "lanyard-fake-provider.h"
#include "lanyard-refresh-lock.h"
#include "lanyard-test-utils.h"

#define ACCOUNT_ID LANYARD_FAKE_OID "." LANYARD_FAKE_TID

typedef struct {
  LanyardFakeWorld  world;
  GCancellable     *cancellable;
  LanyardAccount   *account;      /* signed in by the setup */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  lanyard_fake_world_setup (&fixture->world);
  lanyard_client_set_device_clock (fixture->world.client, 10);
  fixture->cancellable = g_cancellable_new ();
  fixture->account = lanyard_fake_sign_in (fixture->world.client, NULL, &error);
  g_assert_no_error (error);
  lanyard_fake_browser_wait_idle (fixture->world.browser);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->account);
  lanyard_fake_world_teardown (&fixture->world);
  g_clear_object (&fixture->cancellable);
}

static guint
total_requests (LanyardFakeProvider *fake)
{
  guint n = 0;

  for (guint i = 0; i < LANYARD_FAKE_N_ENDPOINTS; i++)
    n += lanyard_fake_provider_get_count (fake, i);
  return n;
}

static void
assert_cancelled (const GError *error,
                  const char   *what)
{
  if (!g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED))
    g_error ("%s: expected LANYARD_ERROR_CANCELLED, got %s %d: %s", what,
             error ? g_quark_to_string (error->domain) : "no error", error ? error->code : 0,
             error ? error->message : "");
}

/* ---- every operation, cancelled before it starts ------------------------------------- */

typedef enum {
  OP_LIST_ACCOUNTS,
  OP_GET_ACCOUNT,
  OP_SUPPORTS_SIGN_UP,
  OP_SUPPORTS_DEVICE,
  OP_ACQUIRE_TOKEN,
  OP_ACQUIRE_TOKEN_SILENT,
  OP_SEND_AUTHORIZED,
  OP_SIGN_OUT,
  OP_SAVE_ACCOUNT,
  OP_UNLOCK_KEYRING,
  OP_SIGN_IN,
  OP_SIGN_IN_DEVICE,
  OP_SIGN_IN_RUN,
  OP_USERINFO_ENDPOINT,
  N_OPS
} Op;

static const char * const op_names[N_OPS] = {
  "list-accounts", "get-account", "supports-sign-up", "supports-device", "acquire-token",
  "acquire-token-silent", "send-authorized", "sign-out", "save-account", "unlock-keyring",
  "sign-in", "sign-in-device", "sign-in-run", "userinfo-endpoint",
};

static void
test_cancelled_before_start (Fixture       *fixture,
                             gconstpointer  data)
{
  LanyardClient *client = fixture->world.client;

  g_cancellable_cancel (fixture->cancellable);

  for (Op op = 0; op < N_OPS; op++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(LanyardSignIn) sign_in = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(LanyardAccount) stored = NULL;
      GAsyncResult *slot = NULL;
      guint before = total_requests (fixture->world.fake);
      gpointer value = NULL;
      gboolean ok = FALSE;

      g_test_message ("%s", op_names[op]);
      switch (op)
        {
        case OP_LIST_ACCOUNTS:
          lanyard_client_list_accounts_async (client, fixture->cancellable, lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_list_accounts_finish (client, result, &error);
          g_clear_pointer ((GPtrArray **) &value, g_ptr_array_unref);
          break;
        case OP_GET_ACCOUNT:
          lanyard_client_get_account_async (client, NULL, fixture->cancellable, lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_get_account_finish (client, result, &error);
          break;
        case OP_SUPPORTS_SIGN_UP:
          lanyard_client_supports_sign_up_async (client, fixture->cancellable, lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          ok = lanyard_client_supports_sign_up_finish (client, result, &error);
          break;
        case OP_SUPPORTS_DEVICE:
          lanyard_client_supports_device_sign_in_async (client, fixture->cancellable, lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          ok = lanyard_client_supports_device_sign_in_finish (client, result, &error);
          break;
        case OP_ACQUIRE_TOKEN:
          lanyard_client_acquire_token_async (client, NULL, NULL, LANYARD_TOKEN_FORCE_REFRESH, fixture->cancellable,
                                              lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_acquire_token_finish (client, result, NULL, &error);
          break;
        case OP_ACQUIRE_TOKEN_SILENT:
          lanyard_client_acquire_token_silent_async (client, NULL, NULL, TRUE, fixture->cancellable,
                                                     lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_acquire_token_silent_finish (client, result, &error);
          break;
        case OP_SEND_AUTHORIZED:
          msg = soup_message_new ("GET", lanyard_fake_provider_get_issuer (fixture->world.fake));
          lanyard_client_send_authorized_async (client, NULL, NULL, msg, G_PRIORITY_DEFAULT, fixture->cancellable,
                                                lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_send_authorized_finish (client, result, &error);
          break;
        case OP_SIGN_OUT:
          lanyard_client_sign_out_async (client, NULL, TRUE, fixture->cancellable, lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_sign_out_finish (client, result, &error);
          break;
        case OP_SAVE_ACCOUNT:
          lanyard_client_save_account_async (client, fixture->account, fixture->cancellable,
                                             lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_save_account_finish (client, result, &error);
          break;
        case OP_UNLOCK_KEYRING:
          lanyard_client_unlock_keyring_async (client, fixture->cancellable, lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          ok = lanyard_client_unlock_keyring_finish (client, result, &error);
          break;
        case OP_SIGN_IN:
          lanyard_client_sign_in_async (client, NULL, fixture->cancellable, lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_sign_in_finish (client, result, &error);
          break;
        case OP_SIGN_IN_DEVICE:
          lanyard_client_sign_in_device_async (client, fixture->cancellable, lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_sign_in_device_finish (client, result, &error);
          break;
        case OP_SIGN_IN_RUN:
          sign_in = lanyard_sign_in_new (client);
          lanyard_sign_in_run_async (sign_in, fixture->cancellable, lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_sign_in_run_finish (sign_in, result, &error);
          g_assert_cmpint (lanyard_sign_in_get_phase (sign_in), ==, LANYARD_SIGN_IN_PHASE_CANCELLED);
          break;
        case OP_USERINFO_ENDPOINT:
          lanyard_client_get_userinfo_endpoint_async (client, fixture->cancellable,
                                                      lanyard_test_store_result_cb, &slot);
          result = lanyard_test_wait_result (&slot);
          value = lanyard_client_get_userinfo_endpoint_finish (client, result, &error);
          break;
        case N_OPS:
        default:
          g_assert_not_reached ();
        }

      g_assert_null (value);
      g_assert_false (ok);
      assert_cancelled (error, op_names[op]);
      g_assert_cmpuint (total_requests (fixture->world.fake), ==, before);

      /* Nothing changed: the account is still there, with its tokens. */
      stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
      g_assert_nonnull (stored);
      g_assert_cmpstr (lanyard_account_get_refresh_token (stored), ==,
                       lanyard_account_get_refresh_token (fixture->account));
    }

  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 1);
}

/* ---- sign-out ----------------------------------------------------------------------- */

/* Cancelled while the provider is asked to revoke: the account is signed out
 * here already, so the sign-out succeeds, says the revocation was
 * cancelled, and asks nothing more of the provider. */
static void
test_sign_out_after_local (Fixture       *fixture,
                           gconstpointer  data)
{
  LanyardClient *client = fixture->world.client;
  g_autoptr(LanyardSignOutResult) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_REVOCATION, LANYARD_FAKE_HOLD);
  lanyard_client_sign_out_async (client, NULL, TRUE, fixture->cancellable, lanyard_test_store_result_cb, &slot);
  lanyard_fake_provider_wait_held (fixture->world.fake);
  g_assert_null (lanyard_fake_lookup_stored (ACCOUNT_ID));

  g_cancellable_cancel (fixture->cancellable);
  async_result = lanyard_test_wait_result (&slot);
  result = lanyard_client_sign_out_finish (client, async_result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_false (result->revoked);
  assert_cancelled (result->revoke_error, "revocation");
  g_assert_false (result->browser_opened);

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_REVOCATION, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);
  lanyard_fake_spin (100);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_END_SESSION), ==, 0);
  g_assert_cmpuint (lanyard_fake_browser_get_n_opened (fixture->world.browser), ==, 1);
  g_assert_null (lanyard_fake_lookup_stored (ACCOUNT_ID));
  g_assert_cmpuint (g_list_model_get_n_items (lanyard_client_get_accounts (client)), ==, 0);
}

/* ---- a renewal nobody waits for --------------------------------------------------------- */

static void
lock_taken_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LanyardRefreshLock **lock = user_data;
  g_autoptr(GError) error = NULL;

  *lock = lanyard_refresh_lock_acquire_finish (result, &error);
  g_assert_no_error (error);
}

static void
wait_no_refresh (LanyardClient *client)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_hash_table_size (client->refreshes) > 0 && g_get_monotonic_time () < deadline)
    lanyard_fake_spin (10);
  g_assert_cmpuint (g_hash_table_size (client->refreshes), ==, 0);
}

/* The caller leaves while its renewal waits for another process's lock:
 * once the lock is free, no refresh request goes out for nobody; and the
 * next caller gets a renewal of its own, not the abandoned one's error. */
static void
test_refresh_abandoned_before_sent (Fixture       *fixture,
                                    gconstpointer  data)
{
  LanyardClient *client = fixture->world.client;
  LanyardRefreshLock *lock = NULL;
  g_autofree char *identity = lanyard_account_dup_identity_key (fixture->account);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  /* Another process renews this account. */
  lanyard_refresh_lock_acquire_async (identity, NULL, lock_taken_cb, &lock);
  while (lock == NULL)
    g_main_context_iteration (NULL, TRUE);

  lanyard_client_acquire_token_silent_async (client, NULL, NULL, TRUE, fixture->cancellable,
                                             lanyard_test_store_result_cb, &slot);
  lanyard_fake_spin (100);
  g_assert_null (slot);
  g_cancellable_cancel (fixture->cancellable);
  result = lanyard_test_wait_result (&slot);
  g_assert_null (lanyard_client_acquire_token_silent_finish (client, result, &error));
  assert_cancelled (error, "silent");
  g_clear_error (&error);
  g_clear_object (&result);

  lanyard_refresh_lock_release (lock);
  wait_no_refresh (client);
  lanyard_fake_spin (300);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 0);

  /* The next caller renews, with the refresh token it always had. */
  account = lanyard_fake_silent (client, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (account)));
}

/* One of two callers leaves before the request: the other still gets it. */
static void
test_refresh_one_leaves_before_sent (Fixture       *fixture,
                                     gconstpointer  data)
{
  LanyardClient *client = fixture->world.client;
  LanyardRefreshLock *lock = NULL;
  g_autofree char *identity = lanyard_account_dup_identity_key (fixture->account);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) other_result = NULL;
  g_autoptr(LanyardAccount) other = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  GAsyncResult *other_slot = NULL;

  lanyard_refresh_lock_acquire_async (identity, NULL, lock_taken_cb, &lock);
  while (lock == NULL)
    g_main_context_iteration (NULL, TRUE);

  lanyard_client_acquire_token_silent_async (client, NULL, NULL, TRUE, fixture->cancellable,
                                             lanyard_test_store_result_cb, &slot);
  lanyard_client_acquire_token_silent_async (client, NULL, NULL, TRUE, NULL,
                                             lanyard_test_store_result_cb, &other_slot);
  lanyard_fake_spin (100);
  g_cancellable_cancel (fixture->cancellable);
  result = lanyard_test_wait_result (&slot);
  g_assert_null (lanyard_client_acquire_token_silent_finish (client, result, &error));
  assert_cancelled (error, "silent");
  g_clear_error (&error);

  lanyard_refresh_lock_release (lock);
  other_result = lanyard_test_wait_result (&other_slot);
  other = lanyard_client_acquire_token_silent_finish (client, other_result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);
}

/* ---- a cancelled refetch is not another caller's loss ------------------------------- */

/* The provider rotated its keys; a sign-in that meets the new key is
 * cancelled while the JWKS is fetched again. That refetch never happened:
 * the next sign-in may still refetch (one a minute is the limit). */
static void
test_cancelled_jwks_refetch (Fixture       *fixture,
                             gconstpointer  data)
{
  LanyardClient *client = fixture->world.client;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  lanyard_fake_provider_rotate_keys (fixture->world.fake, "key-rotated");
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_JWKS, LANYARD_FAKE_HOLD);
  lanyard_client_sign_in_async (client, NULL, fixture->cancellable, lanyard_test_store_result_cb, &slot);
  lanyard_fake_provider_wait_held (fixture->world.fake);
  g_cancellable_cancel (fixture->cancellable);
  result = lanyard_test_wait_result (&slot);
  g_assert_null (lanyard_client_sign_in_finish (client, result, &error));
  assert_cancelled (error, "sign-in");
  g_clear_error (&error);
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_JWKS, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);
  lanyard_fake_browser_wait_idle (fixture->world.browser);

  account = lanyard_fake_sign_in (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_JWKS), ==, 3);
  lanyard_fake_browser_wait_idle (fixture->world.browser);
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/lanyard/cancel/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("every-operation-before-start", test_cancelled_before_start);
  ADD ("sign-out-after-local-removal", test_sign_out_after_local);
  ADD ("refresh-abandoned-before-sent", test_refresh_abandoned_before_sent);
  ADD ("refresh-one-caller-leaves-before-sent", test_refresh_one_leaves_before_sent);
  ADD ("jwks-refetch-cancelled", test_cancelled_jwks_refetch);

#undef ADD

  return g_test_run ();
}
