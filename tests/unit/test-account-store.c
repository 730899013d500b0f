/* test-account-store.c — accounts in a real gnome-keyring on a private bus
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs inside tests/session/lanyard-test-session: its own session bus and an
 * unlocked "login" collection (password "test"), or, with
 * LANYARD_TEST_BUS=no-secret-service, a bus where nothing provides
 * org.freedesktop.secrets. The test cases share the keyring, so each one
 * starts by deleting every Lanyard item.
 */
#define G_LOG_DOMAIN "test-account-store"

#include "config.h"

#include <string.h>

#include "lanyard-account-store.h"
#include "lanyard-error.h"
#include "lanyard-json.h"
#include "lanyard-test-utils.h"

#define AUTHORITY "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/"
#define CLIENT_ID "00000000-aaaa-bbbb-cccc-000000000001"
#define TID "11111111-2222-3333-4444-555555555555"

/* ---- helpers ------------------------------------------------------------- */

static char *
run_tool (const char *stdin_text,
          int         expected_status,
          const char *first_arg,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;

  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (!g_subprocess_get_if_exited (process) ||
      g_subprocess_get_exit_status (process) != expected_status)
    g_error ("%s exited with %d, not %d: %s", first_arg,
             g_subprocess_get_exit_status (process), expected_status, err);

  return g_steal_pointer (&out);
}

static void
keyring_tool (const char *command)
{
  const char *tool = g_getenv ("LANYARD_TEST_KEYRING_TOOL");
  g_autofree char *out = NULL;

  g_assert_nonnull (tool);
  out = run_tool (NULL, 0, tool, command, NULL);
}

static void
delete_all_items (void)
{
  g_autofree char *out = NULL;

  /* Exits 1 when there was nothing to delete. */
  out = run_tool (NULL, 0, "sh", "-c",
                  "secret-tool clear xdg:schema " LANYARD_ACCOUNT_SCHEMA_NAME " || true", NULL);
}

/* Counts Lanyard items, locked ones included, the way a user would see them. */
static guint
count_items (const char *account_id,
             char      **out_listing)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint count = 0;

  if (account_id != NULL)
    out = run_tool (NULL, 0, "sh", "-c",
                    "secret-tool search --all xdg:schema \"$0\" account-id \"$1\" 2>&1 || true",
                    LANYARD_ACCOUNT_SCHEMA_NAME, account_id, NULL);
  else
    out = run_tool (NULL, 0, "sh", "-c",
                    "secret-tool search --all xdg:schema \"$0\" 2>&1 || true",
                    LANYARD_ACCOUNT_SCHEMA_NAME, NULL);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "[/"))
        count++;
    }

  if (out_listing != NULL)
    *out_listing = g_steal_pointer (&out);

  return count;
}

/* A signed-in account with tokens and a chosen sign-in time (seconds). */
static LanyardAccount *
make_account (const char *oid,
              const char *username,
              gint64      signed_in_at)
{
  g_autofree char *claims_json = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(LanyardAccount) fresh = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *access_token = g_strdup_printf ("at-%s", oid);
  g_autofree char *refresh_token = g_strdup_printf ("rt-%s", oid);
  const char *scopes[] = { "openid", "offline_access", "api://x/read", NULL };
  LanyardAccount *account;

  claims_json = g_strdup_printf ("{\"iss\":\"https://%s.ciamlogin.com/%s/v2.0\",\"sub\":\"sub-%s\","
                                 "\"oid\":\"%s\",\"tid\":\"%s\",\"preferred_username\":\"%s\"}",
                                 TID, TID, oid, oid, TID, username);
  claims = lanyard_json_parse_object (claims_json, -1, "claims", LANYARD_ERROR_INVALID_RESPONSE, &error);
  g_assert_no_error (error);
  fresh = lanyard_account_new_from_claims (claims, AUTHORITY, CLIENT_ID, &error);
  g_assert_no_error (error);
  lanyard_account_set_tokens (fresh, access_token, 1900000000, refresh_token, "it", scopes);

  /* The sign-in time is only settable through the stored form. */
  stored = lanyard_account_to_json (fresh);
  json_parser_load_from_data (parser, stored, -1, &error);
  g_assert_no_error (error);
  json_object_set_int_member (json_node_get_object (json_parser_get_root (parser)),
                              "signed_in_at", signed_in_at);
  json_generator_set_root (generator, json_parser_get_root (parser));
  json = json_generator_to_data (generator, NULL);

  account = lanyard_account_new_from_json (json, &error);
  g_assert_no_error (error);
  return account;
}

static void
save (LanyardAccountStore  *store,
      LanyardAccount       *account,
      GError              **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_account_store_save_async (store, account, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  lanyard_account_store_save_finish (store, result, error);
}

static LanyardAccount *
lookup (LanyardAccountStore  *store,
        const char           *account_id,
        GError              **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_account_store_lookup_async (store, account_id, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  return lanyard_account_store_lookup_finish (store, result, error);
}

static GPtrArray *
list (LanyardAccountStore  *store,
      GError              **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_account_store_list_async (store, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  return lanyard_account_store_list_finish (store, result, error);
}

static gboolean
remove_account (LanyardAccountStore  *store,
                const char           *account_id,
                GError              **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_account_store_remove_async (store, account_id, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  return lanyard_account_store_remove_finish (store, result, error);
}

static gboolean
remove_this_account (LanyardAccountStore  *store,
                     LanyardAccount       *account,
                     GError              **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_account_store_remove_account_async (store, account, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  return lanyard_account_store_remove_finish (store, result, error);
}

static gboolean
unlock (LanyardAccountStore  *store,
        GError              **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_account_store_unlock_async (store, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  return lanyard_account_store_unlock_finish (store, result, error);
}

static void
assert_same_account (LanyardAccount *a,
                     LanyardAccount *b)
{
  g_assert_cmpstr (lanyard_account_get_id (a), ==, lanyard_account_get_id (b));
  g_assert_cmpstr (lanyard_account_get_username (a), ==, lanyard_account_get_username (b));
  g_assert_cmpstr (lanyard_account_get_access_token (a), ==, lanyard_account_get_access_token (b));
  g_assert_cmpstr (lanyard_account_get_refresh_token (a), ==, lanyard_account_get_refresh_token (b));
  g_assert_cmpint (lanyard_account_get_access_token_expires_at (a), ==,
                   lanyard_account_get_access_token_expires_at (b));
  g_assert_cmpint (lanyard_account_get_signed_in_at (a), ==, lanyard_account_get_signed_in_at (b));
  g_assert_cmpstrv (lanyard_account_get_scopes (a), lanyard_account_get_scopes (b));
}

/* ---- with an unlocked keyring ------------------------------------------- */

static void
test_save_lookup_remove (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) account = make_account ("a0000000-0000-0000-0000-000000000001", "ada@contoso.com", 1700000000);
  g_autoptr(LanyardAccount) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  const char *id = lanyard_account_get_id (account);

  delete_all_items ();

  save (store, account, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (count_items (id, &listing), ==, 1);
  g_assert_nonnull (strstr (listing, "label = Lanyard: ada@contoso.com"));
  g_assert_nonnull (strstr (listing, "attribute.schema-version = 1"));
  g_assert_nonnull (strstr (listing, "attribute.client-id = " CLIENT_ID));
  g_assert_nonnull (strstr (listing, "attribute.authority = " AUTHORITY));

  found = lookup (store, id, &error);
  g_assert_no_error (error);
  assert_same_account (found, account);

  g_assert_true (remove_account (store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (id, NULL), ==, 0);

  g_clear_object (&found);
  found = lookup (store, id, &error);
  g_assert_null (found);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND);
}

static void
test_not_found (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  delete_all_items ();

  found = lookup (store, "nobody.nowhere", &error);
  g_assert_null (found);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An empty keyring is an empty list, not an error. */
  accounts = list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);

  /* Removing what is not there is fine. */
  g_assert_true (remove_account (store, "nobody.nowhere", &error));
  g_assert_no_error (error);
}

static void
test_save_replaces (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) account = make_account ("a0000000-0000-0000-0000-000000000002", "bob@contoso.com", 1700000000);
  g_autoptr(LanyardAccount) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = lanyard_account_get_id (account);
  const char *scopes[] = { "api://x/write", NULL };

  delete_all_items ();

  save (store, account, &error);
  g_assert_no_error (error);

  /* A refresh: new access token, rotated refresh token. */
  lanyard_account_set_tokens (account, "at-second", 1900003600, "rt-rotated", NULL, scopes);
  save (store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (id, NULL), ==, 1);

  found = lookup (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_access_token (found), ==, "at-second");
  g_assert_cmpstr (lanyard_account_get_refresh_token (found), ==, "rt-rotated");
  assert_same_account (found, account);
}

/* An item of the same user under another client id is another
 * application's account: a save must leave it (and its refresh token) alone. */
static void
test_save_keeps_other_client (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) account = make_account ("a0000000-0000-0000-0000-000000000003", "cy@contoso.com", 1700000000);
  g_autoptr(LanyardAccount) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *listing = NULL;
  const char *id = lanyard_account_get_id (account);

  delete_all_items ();

  out = run_tool ("{\"other\":true}", 0, "secret-tool", "store", "--label=Lanyard: other app",
                  "xdg:schema", LANYARD_ACCOUNT_SCHEMA_NAME, "schema-version", "1",
                  "account-id", id, "client-id", "some-other-client", "authority", AUTHORITY, NULL);
  g_assert_cmpuint (count_items (id, NULL), ==, 1);

  save (store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (id, &listing), ==, 2);
  g_assert_nonnull (strstr (listing, "some-other-client"));

  found = lookup (store, id, &error);
  g_assert_no_error (error);
  assert_same_account (found, account);

  /* Removing this application's account (a sign-out) leaves the other's. */
  remove_this_account (store, account, &error);
  g_assert_no_error (error);
  g_clear_pointer (&listing, g_free);
  g_assert_cmpuint (count_items (id, &listing), ==, 1);
  g_assert_nonnull (strstr (listing, "some-other-client"));
}

/* A second provider asserting the same oid/tid (so the same account id):
 * both accounts are kept, each saved again without touching the other. */
static void
test_issuer_collision_keeps_both (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) first = make_account ("a0000000-0000-0000-0000-000000000004", "dee@contoso.com", 1700000000);
  g_autoptr(LanyardAccount) second = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = lanyard_account_get_id (first);

  delete_all_items ();

  claims = lanyard_json_parse_object ("{\"iss\":\"https://evil.example/\",\"sub\":\"x\","
                                      "\"oid\":\"a0000000-0000-0000-0000-000000000004\","
                                      "\"tid\":\"" TID "\",\"preferred_username\":\"dee@evil.example\"}",
                                      -1, "claims", LANYARD_ERROR_INVALID_RESPONSE, &error);
  g_assert_no_error (error);
  second = lanyard_account_new_from_claims (claims, "https://evil.example/", CLIENT_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_id (second), ==, id);
  lanyard_account_set_tokens (second, "at-evil", 1900000000, "rt-evil", "it", NULL);

  save (store, first, &error);
  g_assert_no_error (error);
  save (store, second, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (id, NULL), ==, 2);
  save (store, first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (id, NULL), ==, 2);

  accounts = list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  for (guint i = 0; i < accounts->len; i++)
    {
      LanyardAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (lanyard_account_get_issuer (account), "https://evil.example/"))
        g_assert_cmpstr (lanyard_account_get_refresh_token (account), ==, "rt-evil");
      else
        g_assert_cmpstr (lanyard_account_get_refresh_token (account), ==,
                         lanyard_account_get_refresh_token (first));
    }
}

static void
test_list_order (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  LanyardAccount *saved[] = {
    make_account ("b0000000-0000-0000-0000-000000000001", "middle@contoso.com", 1700000100),
    make_account ("b0000000-0000-0000-0000-000000000002", "oldest@contoso.com", 1600000000),
    make_account ("b0000000-0000-0000-0000-000000000003", "newest@contoso.com", 1800000000),
  };

  delete_all_items ();

  for (guint i = 0; i < G_N_ELEMENTS (saved); i++)
    {
      save (store, saved[i], &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (count_items (NULL, NULL), ==, 3);

  accounts = list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 3);
  assert_same_account (g_ptr_array_index (accounts, 0), saved[2]);
  assert_same_account (g_ptr_array_index (accounts, 1), saved[0]);
  assert_same_account (g_ptr_array_index (accounts, 2), saved[1]);

  /* Removing one leaves the others. */
  g_assert_true (remove_account (store, lanyard_account_get_id (saved[0]), &error));
  g_assert_no_error (error);
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  assert_same_account (g_ptr_array_index (accounts, 0), saved[2]);
  assert_same_account (g_ptr_array_index (accounts, 1), saved[1]);

  for (guint i = 0; i < G_N_ELEMENTS (saved); i++)
    g_object_unref (saved[i]);
}

static void
store_raw_item (const char *label,
                const char *account_id,
                const char *secret)
{
  g_autofree char *full_label = g_strdup_printf ("--label=%s", label);
  g_autofree char *out = NULL;

  out = run_tool (secret, 0, "secret-tool", "store", full_label,
                  "xdg:schema", LANYARD_ACCOUNT_SCHEMA_NAME, "schema-version", "1",
                  "account-id", account_id, "client-id", CLIENT_ID, "authority", AUTHORITY, NULL);
}

static void
collect_warning (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  g_string_append_printf (user_data, "%s\n", message);
}

static gboolean
warning_is_not_fatal (const char     *log_domain,
                      GLogLevelFlags  log_level,
                      const char     *message,
                      gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "lanyard-account-store") == 0 &&
           (log_level & G_LOG_LEVEL_MASK) == G_LOG_LEVEL_WARNING);
}

/* An item written by an older Lanyard (schema-version 0, account JSON
 * version 0): listing skips it with a warning while good accounts stay, and
 * saving the same account again replaces it, so no stale copy lingers. */
static void
test_older_schema_version (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) good = make_account ("d0000000-0000-0000-0000-000000000001", "good@contoso.com", 1700000000);
  g_autoptr(LanyardAccount) old = make_account ("d0000000-0000-0000-0000-000000000002", "old@contoso.com", 1690000000);
  g_autoptr(LanyardAccount) found = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) warnings = NULL;
  g_autofree char *old_json = NULL;
  g_autofree char *out = NULL;
  const char *old_id = lanyard_account_get_id (old);
  guint handler;

  delete_all_items ();

  save (store, good, &error);
  g_assert_no_error (error);

  old_json = lanyard_account_to_json (old);
  g_assert_true (g_str_has_prefix (old_json, "{\"version\":2,"));
  old_json[11] = '0';
  out = run_tool (old_json, 0, "secret-tool", "store", "--label=Lanyard: older",
                  "xdg:schema", LANYARD_ACCOUNT_SCHEMA_NAME, "schema-version", "0",
                  "account-id", old_id, "client-id", lanyard_account_get_client_id (old),
                  "authority", AUTHORITY, NULL);
  g_assert_cmpuint (count_items (NULL, NULL), ==, 2);

  warnings = g_string_new (NULL);
  handler = g_log_set_handler ("lanyard-account-store", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL,
                               collect_warning, warnings);
  g_test_log_set_fatal_handler (warning_is_not_fatal, NULL);
  accounts = list (store, &error);
  g_log_remove_handler ("lanyard-account-store", handler);
  g_test_log_set_fatal_handler (NULL, NULL);
  g_assert_no_error (error);
  g_assert_true (g_pattern_match_simple ("*Lanyard: older*", warnings->str));
  g_assert_cmpuint (accounts->len, ==, 1);
  assert_same_account (g_ptr_array_index (accounts, 0), good);

  /* Signing in again writes the current version and drops the old item. */
  save (store, old, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (old_id, NULL), ==, 1);
  found = lookup (store, old_id, &error);
  g_assert_no_error (error);
  assert_same_account (found, old);
}

static void
test_list_skips_bad_items (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) good = make_account ("c0000000-0000-0000-0000-000000000001", "good@contoso.com", 1700000000);
  g_autoptr(LanyardAccount) found = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *future = NULL;
  g_autoptr(GString) warnings = NULL;
  guint handler;

  delete_all_items ();

  save (store, good, &error);
  g_assert_no_error (error);

  store_raw_item ("Lanyard: broken", "broken", "{\"version\":1,\"access_token\":\"at-SECRET\"");
  future = lanyard_account_to_json (good);
  g_assert_true (g_str_has_prefix (future, "{\"version\":2,"));
  future[11] = '9';
  store_raw_item ("Lanyard: from the future", "future", future);
  g_assert_cmpuint (count_items (NULL, NULL), ==, 3);

  /* Each skipped item is named by its label; its content never appears.
   * The keyring returns items in no particular order, hence no
   * g_test_expect_message (). */
  warnings = g_string_new (NULL);
  handler = g_log_set_handler ("lanyard-account-store", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL,
                               collect_warning, warnings);
  g_test_log_set_fatal_handler (warning_is_not_fatal, NULL);
  accounts = list (store, &error);
  g_log_remove_handler ("lanyard-account-store", handler);
  g_test_log_set_fatal_handler (NULL, NULL);
  g_test_message ("%s", warnings->str);
  g_assert_true (g_pattern_match_simple ("*Lanyard: broken*not valid JSON*", warnings->str));
  g_assert_true (g_pattern_match_simple ("*Lanyard: from the future*version 9, newer than this Lanyard*", warnings->str));
  g_assert_null (strstr (warnings->str, "SECRET"));
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  assert_same_account (g_ptr_array_index (accounts, 0), good);

  /* Looked up directly, a bad item is an error, not "not found". */
  found = lookup (store, "broken", &error);
  g_assert_null (found);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_null (strstr (error->message, "SECRET"));
  g_clear_error (&error);

  found = lookup (store, "future", &error);
  g_assert_null (found);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (error->message, ==, "stored account has version 9, newer than this Lanyard");
  g_clear_error (&error);

  /* They stay untouched in the keyring. */
  g_assert_cmpuint (count_items (NULL, NULL), ==, 3);

  /* And they can be removed like any account. */
  g_assert_true (remove_account (store, "broken", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (NULL, NULL), ==, 2);
}

static void
test_locked (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) first = make_account ("d0000000-0000-0000-0000-000000000001", "first@contoso.com", 1700000000);
  g_autoptr(LanyardAccount) second = make_account ("d0000000-0000-0000-0000-000000000002", "second@contoso.com", 1700000500);
  g_autoptr(LanyardAccount) third = make_account ("d0000000-0000-0000-0000-000000000003", "third@contoso.com", 1700000900);
  g_autoptr(LanyardAccount) found = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  delete_all_items ();

  save (store, first, &error);
  g_assert_no_error (error);
  save (store, second, &error);
  g_assert_no_error (error);

  keyring_tool ("lock");

  /* A locked collection answers searches with nothing: not "not found". */
  found = lookup (store, lanyard_account_get_id (first), &error);
  g_assert_null (found);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  found = lookup (store, "nobody.nowhere", &error);
  g_assert_null (found);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  accounts = list (store, &error);
  g_assert_null (accounts);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  /* Without DISPLAY the unlock prompt fails at once instead of hanging. */
  save (store, third, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  g_assert_false (remove_account (store, lanyard_account_get_id (first), &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  keyring_tool ("unlock");

  /* Everything stored before is intact, nothing half-written. */
  accounts = list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  assert_same_account (g_ptr_array_index (accounts, 0), second);
  assert_same_account (g_ptr_array_index (accounts, 1), first);

  found = lookup (store, lanyard_account_get_id (first), &error);
  g_assert_no_error (error);
  assert_same_account (found, first);

  save (store, third, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (NULL, NULL), ==, 3);
}

static void
test_unlock (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) account = make_account ("d1000000-0000-0000-0000-000000000001", "unlock@contoso.com", 1700000000);
  g_autoptr(LanyardAccount) found = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  delete_all_items ();

  save (store, account, &error);
  g_assert_no_error (error);

  keyring_tool ("lock");

  /* The session bus (and so the keyring's prompter) has no DISPLAY: the
   * prompt cannot be shown, and the unlock must say so, not hang. */
  started = g_get_monotonic_time ();
  g_assert_false (unlock (store, &error));
  g_test_message ("unlock without a prompter: %s (%" G_GINT64_FORMAT " ms)",
                  error->message, (g_get_monotonic_time () - started) / 1000);
  g_assert_true (error->domain == LANYARD_ERROR);
  g_assert_true (error->code == LANYARD_ERROR_KEYRING_LOCKED ||
                 error->code == LANYARD_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_clear_error (&error);

  found = lookup (store, lanyard_account_get_id (account), &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  /* Unlocked behind our back (as by the user in Passwords and Keys): asking
   * again succeeds at once, without a prompt. */
  keyring_tool ("unlock");
  started = g_get_monotonic_time ();
  g_assert_true (unlock (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);

  found = lookup (store, lanyard_account_get_id (account), &error);
  g_assert_no_error (error);
  assert_same_account (found, account);
}

static void
test_cancelled (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardAccount) found = NULL;
  GAsyncResult *slot = NULL;

  g_cancellable_cancel (cancellable);
  lanyard_account_store_lookup_async (store, "nobody.nowhere", cancellable, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  found = lanyard_account_store_lookup_finish (store, result, &error);
  g_assert_null (found);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
}

/* No bus at all, and no DISPLAY to autolaunch one. In a subprocess: the
 * session bus connection is per process and cached. */
static void
test_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(LanyardAccountStore) store = NULL;
      g_autoptr(LanyardAccount) account = NULL;
      g_autoptr(LanyardAccount) found = NULL;
      g_autoptr(GPtrArray) accounts = NULL;
      g_autoptr(GError) error = NULL;

      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      store = lanyard_account_store_new ();
      account = make_account ("e0000000-0000-0000-0000-000000000001", "nobus@contoso.com", 1700000000);

      found = lookup (store, "nobody.nowhere", &error);
      g_assert_null (found);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE);
      g_clear_error (&error);

      save (store, account, &error);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE);
      g_clear_error (&error);

      accounts = list (store, &error);
      g_assert_null (accounts);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* ---- with no Secret Service on the bus ----------------------------------- */

static void
test_no_secret_service (void)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  g_autoptr(LanyardAccount) account = make_account ("f0000000-0000-0000-0000-000000000001", "nokeyring@contoso.com", 1700000000);
  g_autoptr(LanyardAccount) found = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

  save (store, account, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE);
  g_test_message ("save: %s", error->message);
  g_clear_error (&error);

  found = lookup (store, lanyard_account_get_id (account), &error);
  g_assert_null (found);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  accounts = list (store, &error);
  g_assert_null (accounts);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (remove_account (store, lanyard_account_get_id (account), &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (unlock (store, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE);
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

  if (g_strcmp0 (g_getenv ("LANYARD_TEST_BUS"), "no-secret-service") == 0)
    {
      g_test_add_func ("/lanyard/account-store/no-secret-service", test_no_secret_service);
      return g_test_run ();
    }

  g_test_add_func ("/lanyard/account-store/save-lookup-remove", test_save_lookup_remove);
  g_test_add_func ("/lanyard/account-store/not-found", test_not_found);
  g_test_add_func ("/lanyard/account-store/save-replaces", test_save_replaces);
  g_test_add_func ("/lanyard/account-store/save-keeps-other-client", test_save_keeps_other_client);
  g_test_add_func ("/lanyard/account-store/issuer-collision-keeps-both", test_issuer_collision_keeps_both);
  g_test_add_func ("/lanyard/account-store/list-order", test_list_order);
  g_test_add_func ("/lanyard/account-store/list-skips-bad-items", test_list_skips_bad_items);
  g_test_add_func ("/lanyard/account-store/older-schema-version", test_older_schema_version);
  g_test_add_func ("/lanyard/account-store/locked", test_locked);
  g_test_add_func ("/lanyard/account-store/unlock", test_unlock);
  g_test_add_func ("/lanyard/account-store/cancelled", test_cancelled);
  g_test_add_func ("/lanyard/account-store/no-bus", test_no_bus);

  return g_test_run ();
}
