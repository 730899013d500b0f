/* test-token-cache.c — one access token per API, against the fake provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs inside tests/session/lanyard-test-session (a private keyring).
 */
#define G_LOG_DOMAIN "test-token-cache"

#include "config.h"

#include <string.h>

#include "lanyard-client-private.h"
#include "lanyard-fake-provider.h"
#include "lanyard-test-utils.h"

#define ACCOUNT_ID LANYARD_FAKE_OID "." LANYARD_FAKE_TID

typedef struct {
  LanyardFakeWorld world;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  lanyard_fake_world_setup (&fixture->world);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  lanyard_fake_world_teardown (&fixture->world);
}

static void
sign_in_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardAccount) account = lanyard_fake_sign_in (fixture->world.client, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
}

static guint
n_refreshes (Fixture *fixture)
{
  return lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token");
}

static LanyardAccessToken *
acquire (LanyardClient  *client,
         const char     *scopes,
         GError        **error)
{
  g_auto(GStrv) wanted = g_strsplit (scopes, " ", -1);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  lanyard_client_acquire_token_async (client, NULL, (const char * const *) wanted,
                                      LANYARD_TOKEN_FLAGS_NONE, NULL,
                                      lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);

  return lanyard_client_acquire_token_finish (client, result, NULL, error);
}

/* The scope parameter the provider issued @token for contains @scope. */
static void
assert_issued_for (Fixture            *fixture,
                   LanyardAccessToken *token,
                   const char         *scope)
{
  const char *issued_for = lanyard_fake_provider_get_access_token_scope (fixture->world.fake,
                                                                          lanyard_access_token_get_token (token));
  g_auto(GStrv) asked = NULL;

  g_assert_nonnull (issued_for);
  asked = g_strsplit (issued_for, " ", -1);
  g_assert_true (g_strv_contains ((const char * const *) asked, scope));
}

/* Two APIs used in turn: one refresh each, then none, in this process and
 * the next. */
static void
test_two_apis_alternate (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LanyardAccessToken) a = NULL;
  g_autoptr(LanyardAccessToken) b = NULL;
  g_autoptr(LanyardClient) restarted = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;

  sign_in_ok (fixture);
  lanyard_fake_provider_set_echo_scope (fixture->world.fake, TRUE);

  a = acquire (fixture->world.client, "api://a/read", &error);
  g_assert_no_error (error);
  b = acquire (fixture->world.client, "api://b/write", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_refreshes (fixture), ==, 2);
  assert_issued_for (fixture, a, "api://a/read");
  assert_issued_for (fixture, b, "api://b/write");

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(LanyardAccessToken) again_a = acquire (fixture->world.client, "api://a/read", &error);
      g_autoptr(LanyardAccessToken) again_b = NULL;

      g_assert_no_error (error);
      again_b = acquire (fixture->world.client, "api://b/write", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (lanyard_access_token_get_token (again_a), ==, lanyard_access_token_get_token (a));
      g_assert_cmpstr (lanyard_access_token_get_token (again_b), ==, lanyard_access_token_get_token (b));
    }
  g_assert_cmpuint (n_refreshes (fixture), ==, 2);

  /* Both are in the keyring: a new process needs no refresh either. */
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_cmpuint (lanyard_account_get_access_tokens (stored)->len, ==, 3);
  restarted = lanyard_fake_world_new_client (&fixture->world);
  g_clear_pointer (&a, lanyard_access_token_unref);
  a = acquire (restarted, "api://a/read", &error);
  g_assert_no_error (error);
  g_clear_pointer (&b, lanyard_access_token_unref);
  b = acquire (restarted, "api://b/write", &error);
  g_assert_no_error (error);
  assert_issued_for (fixture, a, "api://a/read");
  assert_issued_for (fixture, b, "api://b/write");
  g_assert_cmpuint (n_refreshes (fixture), ==, 2);
}

/* RFC 6749 §5.1: an answer without "scope" granted what was asked — never
 * the scopes of the account's other tokens. */
static void
test_no_scope_in_answer (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LanyardAccessToken) b = NULL;
  g_autoptr(LanyardAccessToken) a = NULL;
  g_autoptr(LanyardAccessToken) again_b = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected_b[] = { "api://b/write", NULL };
  const char *expected_a[] = { "api://a/read", NULL };

  sign_in_ok (fixture);
  lanyard_fake_provider_set_echo_scope (fixture->world.fake, FALSE);

  b = acquire (fixture->world.client, "api://b/write", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (lanyard_access_token_get_scopes (b), expected_b);

  a = acquire (fixture->world.client, "api://a/read", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_refreshes (fixture), ==, 2);
  g_assert_cmpstr (lanyard_access_token_get_token (a), !=, lanyard_access_token_get_token (b));
  assert_issued_for (fixture, a, "api://a/read");
  g_assert_cmpstrv (lanyard_access_token_get_scopes (a), expected_a);

  again_b = acquire (fixture->world.client, "api://b/write", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_access_token_get_token (again_b), ==, lanyard_access_token_get_token (b));
  g_assert_cmpuint (n_refreshes (fixture), ==, 2);
}

/* The refresh asks for exactly the scope set (plus the OpenID ones that
 * bring a new ID token and refresh token), nothing of other sets. */
static void
test_refresh_scope_parameter (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(LanyardAccessToken) a = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *scopes;

  sign_in_ok (fixture);
  a = acquire (fixture->world.client, "api://a/read openid", &error);
  g_assert_no_error (error);

  scopes = lanyard_fake_provider_get_refresh_scopes (fixture->world.fake);
  g_assert_cmpuint (scopes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (scopes, 0), ==, "api://a/read openid profile offline_access");
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

typedef struct {
  GAsyncResult *slot;
  const char   *scope;
} Request;

/* N concurrent requests for M scope sets: M refreshes, each caller gets a
 * token issued for its own set. */
static void
test_concurrent_scope_sets (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *sets[] = { "api://a/read", "api://b/write", "api://c/read" };
  Request requests[9] = { { 0, } };
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint tick;

  sign_in_ok (fixture);

  /* Hold the first refresh until every request waits on one. */
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HOLD);
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      const char *scopes[] = { sets[i % G_N_ELEMENTS (sets)], NULL };

      requests[i].scope = scopes[0];
      lanyard_client_acquire_token_async (fixture->world.client, NULL, scopes,
                                          LANYARD_TOKEN_FLAGS_NONE, NULL,
                                          lanyard_test_store_result_cb, &requests[i].slot);
    }
  lanyard_fake_provider_wait_held (fixture->world.fake);
  tick = g_timeout_add (20, tick_cb, NULL);
  while (g_hash_table_size (fixture->world.client->refreshes) < G_N_ELEMENTS (sets) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (g_hash_table_size (fixture->world.client->refreshes), ==, G_N_ELEMENTS (sets));

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr(GAsyncResult) result = lanyard_test_wait_result (&requests[i].slot);
      g_autoptr(LanyardAccessToken) token = NULL;
      const char *expected[] = { requests[i].scope, NULL };

      token = lanyard_client_acquire_token_finish (fixture->world.client, result, NULL, &error);
      g_assert_no_error (error);
      assert_issued_for (fixture, token, requests[i].scope);
      g_assert_cmpstrv (lanyard_access_token_get_scopes (token), expected);
    }

  g_assert_cmpuint (n_refreshes (fixture), ==, G_N_ELEMENTS (sets));
  /* Serialised by the account's lock, each refresh used the token the one
   * before it rotated: the grant is alive and all three are cached. */
  {
    g_autoptr(LanyardAccount) stored = lanyard_fake_lookup_stored (ACCOUNT_ID);

    g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                                 lanyard_account_get_refresh_token (stored)));
    g_assert_cmpuint (lanyard_account_get_access_tokens (stored)->len, ==, 1 + G_N_ELEMENTS (sets));
  }
}

/* Scopes the user never granted: interaction required naming them; the
 * refresh token and the other tokens stay. */
static void
test_ungranted_scope (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(LanyardAccessToken) a = NULL;
  g_autoptr(LanyardAccessToken) denied = NULL;
  g_autoptr(LanyardAccessToken) again = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;

  sign_in_ok (fixture);
  a = acquire (fixture->world.client, "api://a/read", &error);
  g_assert_no_error (error);

  lanyard_fake_provider_set_ungranted_scope (fixture->world.fake, "api://admin/all");
  denied = acquire (fixture->world.client, "api://admin/all", &error);
  g_assert_null (denied);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED);
  g_assert_nonnull (strstr (error->message, "api://admin/all"));
  g_clear_error (&error);

  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_nonnull (lanyard_account_get_refresh_token (stored));
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (stored)));

  again = acquire (fixture->world.client, "api://a/read", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_access_token_get_token (again), ==, lanyard_access_token_get_token (a));
}

/* A waiter for the lock reads the keyring again: a client ("process") that
 * read the account before another one rotated its refresh token uses the
 * new one — it neither presents the dead one (oidc-provider would revoke the
 * grant) nor overwrites the live one. */
static void
test_waiter_rereads_keyring (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(LanyardClient) other = NULL;
  g_autoptr(LanyardAccessToken) first = NULL;
  g_autoptr(LanyardAccessToken) second = NULL;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *first_slot = NULL;
  GAsyncResult *second_slot = NULL;
  GPtrArray *waiting;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(LanyardAccount) account = lanyard_fake_sign_in (fixture->world.client, NULL, &error);
  g_autofree char *identity = lanyard_account_dup_identity_key (account);
  g_autofree char *key = g_strconcat (identity, "\n", NULL);

  g_assert_no_error (error);

  other = lanyard_fake_world_new_client (&fixture->world);

  /* The other process holds the lock while its refresh is on the wire. */
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HOLD);
  lanyard_client_acquire_token_async (other, NULL, NULL, LANYARD_TOKEN_FORCE_REFRESH, NULL,
                                      lanyard_test_store_result_cb, &first_slot);
  lanyard_fake_provider_wait_held (fixture->world.fake);

  /* This one reads the account now, then waits for the lock. */
  lanyard_client_acquire_token_async (fixture->world.client, NULL, NULL, LANYARD_TOKEN_FORCE_REFRESH, NULL,
                                      lanyard_test_store_result_cb, &second_slot);
  while ((waiting = g_hash_table_lookup (fixture->world.client->refreshes, key)) == NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (waiting);
  lanyard_fake_spin (200);

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);

  first_result = lanyard_test_wait_result (&first_slot);
  first = lanyard_client_acquire_token_finish (other, first_result, NULL, &error);
  g_assert_no_error (error);
  second_result = lanyard_test_wait_result (&second_slot);
  second = lanyard_client_acquire_token_finish (fixture->world.client, second_result, NULL, &error);
  g_assert_no_error (error);

  /* Two refreshes, none refused: the second presented the rotated token. */
  g_assert_cmpuint (n_refreshes (fixture), ==, 2);
  g_assert_cmpstr (lanyard_access_token_get_token (first), !=, lanyard_access_token_get_token (second));
  stored = lanyard_fake_lookup_stored (ACCOUNT_ID);
  g_assert_true (lanyard_fake_provider_is_live_refresh_token (fixture->world.fake,
                                                               lanyard_account_get_refresh_token (stored)));
  g_assert_cmpstr (lanyard_account_get_access_token (stored), ==, lanyard_access_token_get_token (second));
}

int
main (int    argc,
      char **argv)
{
  lanyard_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/lanyard/token-cache/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("two-apis-alternate", test_two_apis_alternate);
  ADD ("no-scope-in-answer", test_no_scope_in_answer);
  ADD ("refresh-scope-parameter", test_refresh_scope_parameter);
  ADD ("concurrent-scope-sets", test_concurrent_scope_sets);
  ADD ("ungranted-scope", test_ungranted_scope);
  ADD ("waiter-rereads-keyring", test_waiter_rereads_keyring);

  return g_test_run ();
}
