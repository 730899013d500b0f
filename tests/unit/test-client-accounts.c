/* test-client-accounts.c — the client's live list of accounts against the fake provider
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs inside tests/session/lanyard-test-session (a private keyring).
 */
#define G_LOG_DOMAIN "test-client-accounts"

#include "config.h"

#include "lanyard-client-private.h"
#include "lanyard-fake-provider.h"
#include "lanyard-test-utils.h"

#include <string.h>

#define ADA_ID LANYARD_FAKE_OID "." LANYARD_FAKE_TID
#define GRACE_OID "0b0e0c0d-9999-4222-8333-444455556666"
#define GRACE_ID GRACE_OID "." LANYARD_FAKE_TID

typedef struct {
  LanyardFakeWorld  world;
  GString          *changes;    /* "position,removed,added;" per items-changed */
} Fixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Fixture *fixture = user_data;

  g_string_append_printf (fixture->changes, "%u,%u,%u;", position, removed, added);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  lanyard_fake_world_setup (&fixture->world);
  fixture->changes = g_string_new ("");
  g_signal_connect (lanyard_client_get_accounts (fixture->world.client), "items-changed",
                    G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (lanyard_client_get_accounts (fixture->world.client), fixture);
  lanyard_fake_world_teardown (&fixture->world);
  g_string_free (fixture->changes, TRUE);
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

static void
become_grace (Fixture *fixture)
{
  JsonObject *claims = lanyard_fake_provider_get_user_claims (fixture->world.fake);

  json_object_set_string_member (claims, "oid", GRACE_OID);
  json_object_set_string_member (claims, "sub", "pairwise-subject-of-grace");
  json_object_set_string_member (claims, "name", "Grace Hopper");
  json_object_set_string_member (claims, "preferred_username", "grace@contoso.example");
}

static LanyardAccount *
item (LanyardClient *client,
      guint          position)
{
  /* The list holds a reference: borrowed for the assertions. */
  LanyardAccount *account = g_list_model_get_item (lanyard_client_get_accounts (client), position);

  g_object_unref (account);
  return account;
}

static guint
n_items (LanyardClient *client)
{
  return g_list_model_get_n_items (lanyard_client_get_accounts (client));
}

/* Sign-in adds, renewal replaces in place, sign-out removes: no re-listing. */
static void
test_live_list (Fixture       *fixture,
                gconstpointer  data)
{
  LanyardClient *client = fixture->world.client;
  g_autoptr(LanyardAccount) ada = NULL;
  g_autoptr(LanyardAccount) renewed = NULL;
  g_autoptr(LanyardAccount) grace = NULL;
  g_autoptr(LanyardSignOutResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (n_items (client), ==, 0);
  g_assert_true (g_list_model_get_item_type (lanyard_client_get_accounts (client)) == LANYARD_TYPE_ACCOUNT);

  ada = sign_in_ok (fixture);
  g_assert_cmpuint (n_items (client), ==, 1);
  g_assert_true (item (client, 0) == ada);
  g_assert_cmpstr (fixture->changes->str, ==, "0,0,1;");

  g_string_truncate (fixture->changes, 0);
  renewed = lanyard_fake_silent (client, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (client), ==, 1);
  g_assert_true (item (client, 0) == renewed);
  g_assert_cmpstr (fixture->changes->str, ==, "0,1,1;");

  g_string_truncate (fixture->changes, 0);
  become_grace (fixture);
  grace = sign_in_ok (fixture);
  g_assert_cmpstr (lanyard_account_get_id (grace), ==, GRACE_ID);
  g_assert_cmpuint (n_items (client), ==, 2);
  g_assert_true (item (client, 0) == grace);
  g_assert_cmpstr (lanyard_account_get_id (item (client, 1)), ==, ADA_ID);
  g_assert_cmpstr (fixture->changes->str, ==, "0,0,1;");

  g_string_truncate (fixture->changes, 0);
  result = lanyard_fake_sign_out (client, ADA_ID, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (n_items (client), ==, 1);
  g_assert_true (item (client, 0) == grace);
  g_assert_cmpstr (fixture->changes->str, ==, "1,1,0;");
}

/* A new client's list is empty until listed; listing again keeps the rows. */
static void
test_listed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LanyardAccount) ada G_GNUC_UNUSED = sign_in_ok (fixture);
  g_autoptr(LanyardAccount) grace = NULL;
  g_autoptr(LanyardClient) other = lanyard_fake_world_new_client (&fixture->world);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) again = NULL;

  lanyard_fake_spin (1100);   /* signed-in-at has seconds: keep the order certain */
  become_grace (fixture);
  grace = sign_in_ok (fixture);

  g_assert_cmpuint (n_items (other), ==, 0);
  listed = lanyard_fake_list_accounts (other);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpuint (n_items (other), ==, 2);
  g_assert_cmpstr (lanyard_account_get_id (item (other, 0)), ==, GRACE_ID);
  g_assert_cmpstr (lanyard_account_get_id (item (other, 1)), ==, ADA_ID);

  g_signal_connect (lanyard_client_get_accounts (other), "items-changed",
                    G_CALLBACK (items_changed_cb), fixture);
  g_string_truncate (fixture->changes, 0);
  again = lanyard_fake_list_accounts (other);
  g_assert_cmpuint (again->len, ==, 2);
  /* Fresh copies from the keyring, one row at a time, in place. */
  g_assert_cmpstr (fixture->changes->str, ==, "0,1,1;1,1,1;");
  g_assert_true (item (other, 0) == g_ptr_array_index (again, 0));
  g_signal_handlers_disconnect_by_data (lanyard_client_get_accounts (other), fixture);
}

/* A locked keyring: the account is session-only and says why. */
static void
test_storage_error (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(LanyardAccount) saved = NULL;
  const GError *why;
  GError *property = NULL;

  lanyard_fake_keyring_tool ("lock");
  account = sign_in_ok (fixture);
  lanyard_fake_keyring_tool ("unlock");

  g_assert_true (lanyard_account_get_session_only (account));
  why = lanyard_account_get_storage_error (account);
  g_assert_error (why, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED);
  g_object_get (account, "storage-error", &property, NULL);
  g_assert_error (property, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED);
  g_clear_error (&property);
  g_assert_true (item (fixture->world.client, 0) == account);

  /* Saved once the keyring takes it: kept there, no reason left. */
  {
    GAsyncResult *slot = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    lanyard_client_save_account_async (fixture->world.client, account, NULL,
                                       lanyard_test_store_result_cb, &slot);
    result = lanyard_test_wait_result (&slot);
    saved = lanyard_client_save_account_finish (fixture->world.client, result, &error);
    g_assert_no_error (error);
  }
  g_assert_false (lanyard_account_get_session_only (saved));
  g_assert_null (lanyard_account_get_storage_error (saved));
  g_assert_cmpuint (n_items (fixture->world.client), ==, 1);
}

/* ------------------------------------------------------------ one id, two providers */

#define ONE "https://one.example.test"
#define TWO "https://two.example.test"

/* Ada as two providers assert her: the same oid and tid, so the same id. */
static LanyardAccount *
ada_at (Fixture    *fixture,
        const char *issuer)
{
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autoptr(GError) error = NULL;
  LanyardAccount *account;

  json_object_set_string_member (claims, "iss", issuer);
  json_object_set_string_member (claims, "sub", "pairwise-subject-of-ada");
  json_object_set_string_member (claims, "oid", LANYARD_FAKE_OID);
  json_object_set_string_member (claims, "tid", LANYARD_FAKE_TID);
  json_object_set_string_member (claims, "preferred_username", "ada@contoso.example");
  account = lanyard_account_new_from_claims (claims, issuer, fixture->world.config->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_id (account), ==, ADA_ID);
  return account;
}

static LanyardAccount *
save (LanyardClient  *client,
      LanyardAccount *account)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LanyardAccount *saved;

  lanyard_client_save_account_async (client, account, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  saved = lanyard_client_save_account_finish (client, result, &error);
  g_assert_no_error (error);
  return saved;
}

static LanyardAccount *
get_account (LanyardClient  *client,
             const char     *name,
             GError        **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_client_get_account_async (client, name, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  return lanyard_client_get_account_finish (client, result, error);
}

static void
assert_names (LanyardClient *client,
              const char    *name,
              const char    *issuer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardAccount) account = get_account (client, name, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_issuer (account), ==, issuer);
}

static void
assert_ambiguous (LanyardClient *client,
                  const char    *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardAccount) account = get_account (client, name, &error);

  g_assert_null (account);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  /* It says which there are, so that the person can name one. */
  g_assert_nonnull (strstr (error->message, ADA_ID "@" ONE));
  g_assert_nonnull (strstr (error->message, ADA_ID "@" TWO));
}

/* Two providers assert the same oid/tid: two accounts, in the live list, in
 * the keyring and by name; a bare id or username that fits both is refused
 * with the candidates; "<id>@<issuer>" names one; the configured provider
 * decides when it is one of them. */
static void
test_same_id_two_issuers (Fixture       *fixture,
                          gconstpointer  data)
{
  LanyardClient *client = fixture->world.client;
  g_autoptr(LanyardAccount) one = ada_at (fixture, ONE);
  g_autoptr(LanyardAccount) two = ada_at (fixture, TWO);
  g_autoptr(LanyardAccount) saved_one = NULL;
  g_autoptr(LanyardAccount) saved_two = NULL;
  g_autoptr(LanyardClient) fresh = NULL;
  g_autoptr(LanyardClient) at_two = NULL;
  g_autoptr(LanyardConfig) config_two = NULL;
  g_autoptr(LanyardAccount) picked = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *default_id = NULL;

  saved_one = save (client, one);
  saved_two = save (client, two);

  g_assert_cmpuint (n_items (client), ==, 2);
  g_assert_true (item (client, 0) == saved_two);
  g_assert_true (item (client, 1) == saved_one);

  assert_ambiguous (client, ADA_ID);
  assert_ambiguous (client, "ada@contoso.example");
  assert_names (client, ADA_ID "@" ONE, ONE);
  assert_names (client, ADA_ID "@" TWO, TWO);
  assert_names (client, "ada@contoso.example@" ONE, ONE);
  assert_names (client, NULL, TWO);

  /* What a new process finds: both items, the same answers from the
   * keyring's lookup of the id. */
  fresh = lanyard_fake_world_new_client (&fixture->world);
  assert_ambiguous (fresh, ADA_ID);
  assert_names (fresh, ADA_ID "@" ONE, ONE);
  assert_names (fresh, ADA_ID "@" TWO, TWO);
  listed = lanyard_fake_list_accounts (fresh);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpuint (n_items (fresh), ==, 2);

  /* The default is the account, not its id: the older one made default
   * stays the one no name means. */
  lanyard_client_set_default_account_id (fresh, ADA_ID "@" ONE);
  default_id = lanyard_client_dup_default_account_id (fresh);
  g_assert_cmpstr (default_id, ==, ADA_ID);
  g_clear_object (&fresh);
  fresh = lanyard_fake_world_new_client (&fixture->world);
  assert_names (fresh, NULL, ONE);

  /* Configured for the second provider: its account is the one meant. */
  config_two = lanyard_config_copy (fixture->world.config);
  g_free (config_two->authority);
  config_two->authority = g_strdup (TWO);
  at_two = lanyard_client_new (config_two, fixture->world.store,
                               LANYARD_BROWSER (fixture->world.browser), &error);
  g_assert_no_error (error);
  assert_names (at_two, ADA_ID, TWO);
  assert_names (at_two, "ada@contoso.example", TWO);
  picked = get_account (at_two, "nobody", &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND);
  g_assert_null (picked);
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/lanyard/client-accounts/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("live-list", test_live_list);
  ADD ("listed", test_listed);
  ADD ("storage-error", test_storage_error);
  ADD ("same-id-two-issuers", test_same_id_two_issuers);

#undef ADD

  return g_test_run ();
}
