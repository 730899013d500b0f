/* test-session.c — the app's session model against the fake provider, no display
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs inside tests/session/lanyard-test-session (a private keyring). The
 * settings are the app's real schema (compiled into the build tree) on a
 * memory backend; the browser is the fake one, which goes through the
 * fake provider's authorize endpoint as a person would.
 */
#define G_LOG_DOMAIN "test-session"

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "lanyard-client-private.h"
#include "lanyard-fake-provider.h"
#include "lanyard-session.h"
#include "lanyard-test-utils.h"
#include "lanyard-text.h"

#include <glib/gstdio.h>

#define ADA_ID LANYARD_FAKE_OID "." LANYARD_FAKE_TID
#define GRACE_OID "0b0e0c0d-9999-4222-8333-444455556666"
#define GRACE_ID GRACE_OID "." LANYARD_FAKE_TID

typedef struct {
  LanyardFakeWorld  world;
  GSettings        *settings;
  LanyardSession   *session;
  GPtrArray        *messages;   /* "flags|text|action" */
} Fixture;

static GSettings *
settings_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();

  source = g_settings_schema_source_new_from_directory (LANYARD_TEST_SCHEMA_DIR, NULL, TRUE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, "dev.lanyard.Lanyard", FALSE);
  g_assert_nonnull (schema);

  return g_settings_new_full (schema, backend, NULL);
}

static void
message_cb (LanyardSession *session,
            const char     *text,
            const char     *button,
            const char     *action,
            GVariant       *target,
            guint           flags,
            Fixture        *fixture)
{
  g_ptr_array_add (fixture->messages, g_strdup_printf ("%u|%s|%s", flags, text, action ? action : ""));
}

static LanyardSession *
session_new (Fixture *fixture)
{
  LanyardSession *session = lanyard_session_new (fixture->settings, fixture->world.store,
                                                 LANYARD_BROWSER (fixture->world.browser));

  g_signal_connect (session, "message", G_CALLBACK (message_cb), fixture);
  return session;
}

static void
configure (Fixture *fixture)
{
  g_settings_set_string (fixture->settings, "authority", lanyard_fake_provider_get_issuer (fixture->world.fake));
  g_settings_set_string (fixture->settings, "client-id", LANYARD_FAKE_CLIENT_ID);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  /* The environment overrides settings: none of it here. */
  g_unsetenv ("LANYARD_AUTHORITY");
  g_unsetenv ("LANYARD_CLIENT_ID");
  g_unsetenv ("LANYARD_SCOPES");
  g_unsetenv ("LANYARD_REDIRECT_HOST");
  g_unsetenv ("LANYARD_CA_FILE");

  lanyard_fake_world_setup (&fixture->world);
  fixture->settings = settings_new ();
  /* The fake provider registers 127.0.0.1 redirects. */
  g_settings_set_string (fixture->settings, "redirect-host", "127.0.0.1");
  fixture->messages = g_ptr_array_new_with_free_func (g_free);
}

static void
drop_session (Fixture *fixture)
{
  if (fixture->session == NULL)
    return;

  g_object_run_dispose (G_OBJECT (fixture->session));
  g_object_add_weak_pointer (G_OBJECT (fixture->session), (gpointer *) &fixture->session);
  g_object_unref (fixture->session);
  /* Callbacks still in flight hold it until they have run. */
  while (fixture->session != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  drop_session (fixture);
  g_clear_object (&fixture->settings);
  lanyard_fake_world_teardown (&fixture->world);
  g_ptr_array_unref (fixture->messages);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the session is in @state and not busy. */
static void
wait_state (LanyardSession      *session,
            LanyardSessionState  state)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, timeout_cb, &timed_out);

  while (!timed_out &&
         (lanyard_session_get_state (session) != state || lanyard_session_get_busy (session)))
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("state %d (busy %d), expected %d", lanyard_session_get_state (session),
             lanyard_session_get_busy (session), state);
  g_source_remove (id);
}

static gboolean
can (LanyardSession *session,
     const char     *what)
{
  gboolean value;
  g_autofree char *name = g_strconcat ("can-", what, NULL);

  g_object_get (session, name, &value, NULL);
  return value;
}

static const char *
current_id (LanyardSession *session)
{
  LanyardAccount *account = lanyard_session_get_account (session);

  return account ? lanyard_account_get_id (account) : NULL;
}

static guint
n_accounts (LanyardSession *session)
{
  return g_list_model_get_n_items (lanyard_session_get_accounts (session));
}

static void
forget_disk_cache (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "lanyard", NULL);
  g_autoptr(GDir) entries = g_dir_open (dir, 0, NULL);
  const char *name;

  while (entries != NULL && (name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
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

static void
become_ada (Fixture *fixture)
{
  JsonObject *claims = lanyard_fake_provider_get_user_claims (fixture->world.fake);

  json_object_set_string_member (claims, "oid", LANYARD_FAKE_OID);
  json_object_set_string_member (claims, "sub", "pairwise-subject-of-ada");
  json_object_set_string_member (claims, "name", "Ada Lovelace");
  json_object_set_string_member (claims, "preferred_username", LANYARD_FAKE_USERNAME);
}

static void
sign_in (Fixture *fixture)
{
  lanyard_session_sign_in (fixture->session);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_WAITING);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
}

/* First run: nothing configured, the setup page's values saved, signed out. */
static void
test_setup (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *authority = NULL;

  fixture->session = session_new (fixture);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_SETUP);
  g_assert_null (lanyard_session_get_client (fixture->session));
  g_assert_false (can (fixture->session, "sign-in"));

  lanyard_session_setup (fixture->session, lanyard_fake_provider_get_issuer (fixture->world.fake),
                         "  " LANYARD_FAKE_CLIENT_ID " ");
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);

  authority = g_settings_get_string (fixture->settings, "authority");
  g_assert_cmpstr (authority, ==, lanyard_fake_provider_get_issuer (fixture->world.fake));
  g_assert_cmpstr (lanyard_session_get_config (fixture->session)->client_id, ==, LANYARD_FAKE_CLIENT_ID);
  g_assert_cmpstr (lanyard_session_get_provider_name (fixture->session), ==, "127.0.0.1");
  g_assert_true (can (fixture->session, "sign-in"));
  g_assert_false (can (fixture->session, "sign-out"));
  g_assert_false (can (fixture->session, "cancel"));
  g_assert_cmpuint (fixture->messages->len, ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) lanyard_session_get_overridden (fixture->session)), ==, 0);
}

/* Without a schema the values last for the session, and the person is told. */
static void
test_setup_without_settings (Fixture       *fixture,
                             gconstpointer  data)
{
  g_clear_object (&fixture->settings);
  fixture->session = session_new (fixture);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_SETUP);

  g_setenv ("LANYARD_REDIRECT_HOST", "127.0.0.1", TRUE);
  lanyard_session_setup (fixture->session, lanyard_fake_provider_get_issuer (fixture->world.fake),
                         LANYARD_FAKE_CLIENT_ID);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->messages, 0), "cannot be saved"));
  g_assert_true (g_strv_contains (lanyard_session_get_overridden (fixture->session), "redirect-host"));
  g_unsetenv ("LANYARD_REDIRECT_HOST");
}

/* A bad value from the environment follows the core's rules
 * (lanyard_config_check), as in lanyard-cli: it is not used. */
static void
test_setup_bad_environment (Fixture       *fixture,
                            gconstpointer  data)
{
  configure (fixture);
  g_setenv ("LANYARD_CLIENT_ID", "two words", TRUE);
  fixture->session = session_new (fixture);
  /* The setup page gets the value and says what is wrong with it (the
   * display test app-a11y checks that part). */
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_SETUP);
  g_assert_null (lanyard_session_get_client (fixture->session));
  g_assert_false (can (fixture->session, "sign-in"));
  g_assert_cmpstr (lanyard_session_get_config (fixture->session)->client_id, ==, "two words");
  g_unsetenv ("LANYARD_CLIENT_ID");
}

/* Sign in, add another account, switch offline, sign out one, restart. */
static void
test_accounts (Fixture       *fixture,
               gconstpointer  data)
{
  guint tokens_before;
  guint requests_before;
  g_autofree char *default_id = NULL;

  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_false (can (fixture->session, "add-account"));

  sign_in (fixture);
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
  g_assert_cmpuint (n_accounts (fixture->session), ==, 1);
  g_assert_null (lanyard_session_get_sign_in_uri (fixture->session));
  g_assert_true (can (fixture->session, "sign-out"));
  g_assert_true (can (fixture->session, "add-account"));
  g_assert_true (can (fixture->session, "refresh"));
  g_assert_false (can (fixture->session, "sign-up"));
  g_assert_cmpuint (fixture->messages->len, ==, 0);

  /* Another account: the provider is asked to let the person choose. */
  lanyard_fake_spin (1100);   /* signed-in-at has seconds: the newest is certain */
  become_grace (fixture);
  lanyard_session_add_account (fixture->session);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_WAITING);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  /* The fake provider lists no select_account: a fresh sign-in instead. */
  g_assert_nonnull (strstr (lanyard_fake_browser_get_last_uri (fixture->world.browser), "prompt=login"));
  g_assert_null (strstr (lanyard_fake_browser_get_last_uri (fixture->world.browser), "login_hint"));
  g_assert_cmpstr (current_id (fixture->session), ==, GRACE_ID);
  g_assert_cmpuint (n_accounts (fixture->session), ==, 2);

  /* Switching is instant and offline. */
  tokens_before = lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN);
  lanyard_session_switch_account (fixture->session, ADA_ID);
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_false (lanyard_session_get_busy (fixture->session));
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_TOKEN), ==, tokens_before);
  default_id = lanyard_client_dup_default_account_id (lanyard_session_get_client (fixture->session));
  g_assert_cmpstr (default_id, ==, ADA_ID);

  /* Unknown ids change nothing. */
  lanyard_session_switch_account (fixture->session, "no-such-account");
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);

  /* Sign out of the other one: the current stays. */
  lanyard_session_sign_out (fixture->session, GRACE_ID);
  g_assert_true (lanyard_session_get_busy (fixture->session));
  g_assert_false (can (fixture->session, "sign-in"));
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
  g_assert_cmpuint (n_accounts (fixture->session), ==, 1);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->messages, 0), "0|Signed out"));

  /* A restart restores the account that was current. */
  lanyard_fake_spin (1100);
  become_grace (fixture);
  lanyard_session_add_account (fixture->session);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  lanyard_session_switch_account (fixture->session, ADA_ID);
  drop_session (fixture);
  /* No discovery on disk (the new client has none in memory): a start
   * that asked the provider would show. */
  forget_disk_cache ();
  requests_before = lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_DISCOVERY);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
  g_assert_cmpuint (n_accounts (fixture->session), ==, 2);
  /* Restored offline: nothing asked of the provider. */
  lanyard_fake_spin (200);
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_DISCOVERY), ==,
                    requests_before);

  /* Signing out of the current one moves to the other, as switchers do. */
  lanyard_session_sign_out (fixture->session, NULL);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (current_id (fixture->session), ==, GRACE_ID);
  lanyard_session_sign_out (fixture->session, NULL);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_null (lanyard_session_get_account (fixture->session));
  g_assert_cmpuint (n_accounts (fixture->session), ==, 0);
  g_assert_false (can (fixture->session, "switch-account"));
}

/* Accounts of another (issuer, client id) are not signed in here; settings
 * changed while running apply at once. */
static void
test_other_configuration (Fixture       *fixture,
                          gconstpointer  data)
{
  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  sign_in (fixture);

  g_settings_set_string (fixture->settings, "client-id", "another-client");
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_null (lanyard_session_get_account (fixture->session));
  g_assert_cmpuint (n_accounts (fixture->session), ==, 0);
  g_assert_cmpstr (lanyard_session_get_config (fixture->session)->client_id, ==, "another-client");

  g_settings_set_string (fixture->settings, "client-id", LANYARD_FAKE_CLIENT_ID);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);

  /* Emptied: back to the setup page. */
  g_settings_set_string (fixture->settings, "authority", "");
  wait_state (fixture->session, LANYARD_SESSION_STATE_SETUP);
  g_assert_null (lanyard_session_get_client (fixture->session));
}

/* Cancel while waiting: back where it was, nothing said, nothing kept. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);

  lanyard_fake_browser_set_mode (fixture->world.browser, LANYARD_FAKE_BROWSER_RECORD);
  lanyard_session_sign_in (fixture->session);
  g_assert_true (can (fixture->session, "cancel"));
  g_assert_false (can (fixture->session, "sign-in"));
  while (lanyard_session_get_sign_in_uri (fixture->session) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (lanyard_session_get_sign_in_uri (fixture->session),
                                   lanyard_fake_provider_get_issuer (fixture->world.fake)));

  lanyard_session_cancel (fixture->session);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_cmpuint (fixture->messages->len, ==, 0);
  g_assert_null (lanyard_session_get_sign_in_uri (fixture->session));
  g_assert_cmpuint (lanyard_fake_count_items (), ==, 0);
}

/* What a page would show, in order: each phase of the sign-in and each state. */
static void
progress_cb (LanyardSession *session,
             GParamSpec     *pspec,
             GPtrArray      *log)
{
  GValue value = G_VALUE_INIT;
  g_autoptr(GEnumClass) enum_class = NULL;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (G_OBJECT (session), pspec->name, &value);
  enum_class = g_type_class_ref (pspec->value_type);
  g_ptr_array_add (log, g_strdup (g_enum_get_value (enum_class, g_value_get_enum (&value))->value_nick));
  g_value_unset (&value);
}

static char *
join_log (GPtrArray *log)
{
  char *text;

  g_ptr_array_add (log, NULL);
  text = g_strjoinv (" ", (char **) log->pdata);
  g_ptr_array_remove_index (log, log->len - 1);
  return text;
}

/* After the browser the session says it is finishing (redeeming, then
 * saving) before it is signed in, and then that no sign-in runs. */
static void
test_phases (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;

  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_cmpint (lanyard_session_get_sign_in_phase (fixture->session), ==, LANYARD_SIGN_IN_PHASE_NOT_STARTED);
  g_signal_connect (fixture->session, "notify::sign-in-phase", G_CALLBACK (progress_cb), log);
  g_signal_connect (fixture->session, "notify::state", G_CALLBACK (progress_cb), log);

  /* The provider takes its time to answer the code. */
  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HOLD);
  lanyard_session_sign_in (fixture->session);
  lanyard_fake_provider_wait_held (fixture->world.fake);
  g_assert_cmpint (lanyard_session_get_sign_in_phase (fixture->session), ==, LANYARD_SIGN_IN_PHASE_REDEEMING);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_WAITING);
  g_assert_true (can (fixture->session, "cancel"));

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_SERVE);
  lanyard_fake_provider_release (fixture->world.fake);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);

  text = join_log (log);
  g_assert_cmpstr (text, ==, "waiting preparing waiting-for-browser redeeming saving done signed-in not-started");
  g_assert_cmpint (lanyard_session_get_sign_in_phase (fixture->session), ==, LANYARD_SIGN_IN_PHASE_NOT_STARTED);
}

/* Cancel while the provider's answer is redeemed: nothing kept, nothing said. */
static void
test_cancel_redeeming (Fixture       *fixture,
                       gconstpointer  data)
{
  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);

  lanyard_fake_provider_set_behaviour (fixture->world.fake, LANYARD_FAKE_TOKEN, LANYARD_FAKE_HANG);
  lanyard_session_sign_in (fixture->session);
  while (lanyard_session_get_sign_in_phase (fixture->session) != LANYARD_SIGN_IN_PHASE_REDEEMING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (can (fixture->session, "cancel"));

  lanyard_session_cancel (fixture->session);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_cmpint (lanyard_session_get_sign_in_phase (fixture->session), ==, LANYARD_SIGN_IN_PHASE_NOT_STARTED);
  g_assert_cmpuint (fixture->messages->len, ==, 0);
  g_assert_null (lanyard_session_get_account (fixture->session));
  g_assert_cmpuint (lanyard_fake_count_items (), ==, 0);
}

/* The browser does not open: the session says why and keeps waiting. */
static void
test_browser_fails (Fixture       *fixture,
                    gconstpointer  data)
{
  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);

  lanyard_fake_browser_set_mode (fixture->world.browser, LANYARD_FAKE_BROWSER_FAIL);
  lanyard_session_sign_in (fixture->session);
  while (lanyard_session_get_browser_error (fixture->session) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (lanyard_session_get_browser_error (fixture->session), LANYARD_ERROR, LANYARD_ERROR_BROWSER);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_WAITING);
  lanyard_session_cancel (fixture->session);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
}

/* The provider refuses: signed out, its words shown as important. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);

  lanyard_fake_provider_set_authorize_error (fixture->world.fake, "access_denied", "No entry");
  lanyard_session_sign_in (fixture->session);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->messages, 0), "1|"));
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->messages, 0), "access_denied"));
}

/* Renew on request: the page's account is the renewed one, and it says so. */
static void
test_refresh (Fixture       *fixture,
              gconstpointer  data)
{
  LanyardAccount *before;

  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  sign_in (fixture);
  before = lanyard_session_get_account (fixture->session);

  lanyard_session_refresh (fixture->session);
  g_assert_true (lanyard_session_get_busy (fixture->session));
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_true (lanyard_session_get_account (fixture->session) != before);
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
  g_assert_cmpuint (lanyard_fake_provider_get_grant_count (fixture->world.fake, "refresh_token"), ==, 1);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 0), ==, "0|Tokens renewed|");
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
silent_ended_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_acquire_token_silent_finish (LANYARD_CLIENT (object), result, &error);
  g_assert_null (account);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED);
  *(gboolean *) user_data = TRUE;
}

/* The refresh token died ("Your session has ended"): the page, which
 * follows the session's "account", no longer says the tokens are renewed
 * without signing in, and Renew is off. @elsewhere: the renewal was not the
 * session's own (an API call's, through the client). */
static void
session_ended (Fixture  *fixture,
               gboolean  elsewhere)
{
  const char *renewed = "Tokens are renewed without signing in again";
  LanyardAccount *account;
  guint notified = 0;
  gboolean done = FALSE;

  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  sign_in (fixture);
  g_assert_cmpstr (lanyard_format_renewal (lanyard_session_get_account (fixture->session)), ==, renewed);
  g_assert_true (can (fixture->session, "refresh"));
  g_signal_connect (fixture->session, "notify::account", G_CALLBACK (count_notify_cb), &notified);

  lanyard_fake_provider_revoke_grants (fixture->world.fake);
  if (elsewhere)
    {
      account = lanyard_session_get_account (fixture->session);
      lanyard_client_acquire_token_silent_async (lanyard_session_get_client (fixture->session),
                                                 lanyard_account_get_id (account), NULL, TRUE, NULL,
                                                 silent_ended_cb, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (fixture->messages->len, ==, 0);
    }
  else
    {
      lanyard_session_refresh (fixture->session);
      wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
      g_assert_cmpuint (fixture->messages->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (fixture->messages, 0), ==,
                       "1|Your session has ended. Sign in again to continue.|app.sign-in");
    }

  /* Still signed in (the access token may serve a while), as the same
   * person, told to the page again. */
  account = lanyard_session_get_account (fixture->session);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
  g_assert_cmpuint (notified, >, 0);
  g_assert_null (lanyard_account_get_refresh_token (account));
  g_assert_cmpstr (lanyard_format_renewal (account), !=, renewed);
  g_assert_cmpstr (lanyard_format_renewal (account), ==,
                   "None: sign in again when the access token expires");
  g_assert_false (can (fixture->session, "refresh"));
  g_assert_true (can (fixture->session, "sign-in"));
  g_signal_handlers_disconnect_by_data (fixture->session, &notified);
}

static void
test_session_ended (Fixture       *fixture,
                    gconstpointer  data)
{
  session_ended (fixture, FALSE);
}

static void
test_session_ended_elsewhere (Fixture       *fixture,
                              gconstpointer  data)
{
  session_ended (fixture, TRUE);
}

/* A locked keyring at start: said in the page (keyring-locked) and in a
 * message with Unlock; once unlocked, Unlock restores the account. */
static void
test_keyring_locked (Fixture       *fixture,
                     gconstpointer  data)
{
  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  sign_in (fixture);
  drop_session (fixture);

  lanyard_fake_keyring_tool ("lock");
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_true (lanyard_session_get_keyring_locked (fixture->session));
  g_assert_null (lanyard_session_get_account (fixture->session));
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->messages, 0), "3|The keyring is locked"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (fixture->messages, 0), "|app.unlock-keyring"));
  g_assert_true (can (fixture->session, "unlock"));

  lanyard_fake_keyring_tool ("unlock");
  lanyard_session_unlock (fixture->session);
  g_assert_true (lanyard_session_get_busy (fixture->session));
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_false (lanyard_session_get_keyring_locked (fixture->session));
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
}

/* A provider that says it can offer a choice of accounts is asked to. */
static void
test_add_account_select (Fixture       *fixture,
                         gconstpointer  data)
{
  JsonObject *discovery = lanyard_fake_provider_get_discovery (fixture->world.fake);
  JsonArray *prompts = json_array_new ();

  json_array_add_string_element (prompts, "login");
  json_array_add_string_element (prompts, "select_account");
  json_object_set_array_member (discovery, "prompt_values_supported", prompts);

  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  sign_in (fixture);

  lanyard_fake_spin (1100);
  become_grace (fixture);
  lanyard_session_add_account (fixture->session);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_nonnull (strstr (lanyard_fake_browser_get_last_uri (fixture->world.browser), "prompt=select_account"));
  g_assert_cmpstr (current_id (fixture->session), ==, GRACE_ID);
  g_assert_cmpuint (n_accounts (fixture->session), ==, 2);
}

static char *
uri_param (const char *uri,
           const char *name)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GHashTable) query = soup_form_decode (g_uri_get_query (parsed));

  return g_strdup (g_hash_table_lookup (query, name));
}

/* An API's claims challenge: the current account signs in again, in the
 * browser, with the claims and the API's scopes; a challenge that is no
 * JSON object is said, and the account stays. */
static void
test_sign_in_with_claims (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *claims = "{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}";
  const char * const scopes[] = { "api://orders/read", NULL };
  g_autofree char *sent_claims = NULL;
  g_autofree char *sent_hint = NULL;
  g_autofree char *sent_scope = NULL;
  const char *uri;

  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  sign_in (fixture);

  lanyard_session_sign_in_with_claims (fixture->session, claims, scopes);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_WAITING);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);

  uri = lanyard_fake_browser_get_last_uri (fixture->world.browser);
  sent_claims = uri_param (uri, "claims");
  sent_hint = uri_param (uri, "login_hint");
  sent_scope = uri_param (uri, "scope");
  g_assert_cmpstr (sent_claims, ==, claims);
  g_assert_cmpstr (sent_hint, ==, LANYARD_FAKE_USERNAME);
  g_assert_cmpstr (sent_scope, ==, "openid profile offline_access api://orders/read");
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
  g_assert_cmpuint (fixture->messages->len, ==, 0);

  lanyard_session_sign_in_with_claims (fixture->session, "[\"not\", \"an object\"]", NULL);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->messages, 0), "claims request"));
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
  lanyard_fake_browser_wait_idle (fixture->world.browser);
}

/* Create Account only where the provider supports it: not here. */
static void
test_sign_up_unsupported (Fixture       *fixture,
                          gconstpointer  data)
{
  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  /* The answer comes with discovery, which the sign-in page waits for. */
  while (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_DISCOVERY) == 0)
    g_main_context_iteration (NULL, TRUE);
  lanyard_fake_spin (200);
  g_assert_false (can (fixture->session, "sign-up"));
  g_assert_true (can (fixture->session, "sign-in"));
  lanyard_session_sign_up (fixture->session);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_SIGNED_OUT);
}

/* prompt_values_supported lists "create": offered, and it asks for it. */
static void
test_sign_up (Fixture       *fixture,
              gconstpointer  data)
{
  JsonObject *discovery = lanyard_fake_provider_get_discovery (fixture->world.fake);
  JsonArray *prompts = json_array_new ();

  json_array_add_string_element (prompts, "login");
  json_array_add_string_element (prompts, "create");
  json_object_set_array_member (discovery, "prompt_values_supported", prompts);

  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  while (!can (fixture->session, "sign-up"))
    g_main_context_iteration (NULL, TRUE);

  lanyard_fake_browser_set_mode (fixture->world.browser, LANYARD_FAKE_BROWSER_RECORD);
  lanyard_session_sign_up (fixture->session);
  g_assert_true (lanyard_session_get_signing_up (fixture->session));
  while (lanyard_fake_browser_get_n_opened (fixture->world.browser) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (lanyard_fake_browser_get_last_uri (fixture->world.browser), "prompt=create"));
  lanyard_session_cancel (fixture->session);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_false (lanyard_session_get_signing_up (fixture->session));
}

/* Runs the main loop until the session's boolean @property is TRUE. */
static void
wait_true (LanyardSession *session,
           const char     *property)
{
  gboolean timed_out = FALSE;
  gboolean value = FALSE;
  guint id = g_timeout_add_seconds (30, timeout_cb, &timed_out);

  while (!timed_out && (g_object_get (session, property, &value, NULL), !value))
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("%s stayed FALSE", property);
  g_source_remove (id);
}

/* Sign-in on another device: offered, a code, it expires and the page stays
 * (no message), Cancel leaves; a new sign-in is approved: signed in. */
static void
test_device (Fixture       *fixture,
             gconstpointer  data)
{
  JsonObject *extra = lanyard_fake_provider_get_device_extra (fixture->world.fake);

  configure (fixture);
  fixture->session = session_new (fixture);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_OUT);
  /* A protocol second lasts 20 ms: interval 5 → 100 ms, expires_in 12 → 240 ms. */
  lanyard_client_set_device_clock (lanyard_session_get_client (fixture->session), 20);
  json_object_set_int_member (extra, "expires_in", 12);
  wait_true (fixture->session, "can-sign-in-device");

  lanyard_session_sign_in_device (fixture->session);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_DEVICE);
  g_assert_null (lanyard_session_get_device_code (fixture->session));
  g_assert_true (can (fixture->session, "cancel"));
  g_assert_false (can (fixture->session, "sign-in-device"));
  g_assert_false (can (fixture->session, "sign-in"));

  wait_true (fixture->session, "device-expired");
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_DEVICE);
  g_assert_nonnull (lanyard_session_get_device_code (fixture->session));
  g_assert_cmpstr (lanyard_device_code_get_user_code (lanyard_session_get_device_code (fixture->session)),
                   ==, "WDJB-MJHT");
  /* "Get a New Code" and Cancel; the page says it expired, no message does. */
  g_assert_true (can (fixture->session, "sign-in-device"));
  g_assert_true (can (fixture->session, "cancel"));
  g_assert_cmpuint (fixture->messages->len, ==, 0);

  lanyard_session_cancel (fixture->session);
  g_assert_cmpint (lanyard_session_get_state (fixture->session), ==, LANYARD_SESSION_STATE_SIGNED_OUT);
  g_assert_null (lanyard_session_get_device_code (fixture->session));
  g_assert_false (lanyard_session_get_device_expired (fixture->session));

  lanyard_fake_provider_push_device_answer (fixture->world.fake, "authorization_pending");
  lanyard_fake_provider_push_device_answer (fixture->world.fake, NULL);
  lanyard_session_sign_in_device (fixture->session);
  wait_state (fixture->session, LANYARD_SESSION_STATE_SIGNED_IN);
  g_assert_cmpstr (current_id (fixture->session), ==, ADA_ID);
  g_assert_null (lanyard_session_get_device_code (fixture->session));
  g_assert_cmpuint (lanyard_fake_provider_get_count (fixture->world.fake, LANYARD_FAKE_DEVICE_AUTHORIZATION), ==, 2);
  g_assert_cmpuint (lanyard_fake_count_items (), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/lanyard/session/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("setup", test_setup);
  ADD ("setup-without-settings", test_setup_without_settings);
  ADD ("setup-bad-environment", test_setup_bad_environment);
  ADD ("accounts", test_accounts);
  ADD ("add-account/select-account", test_add_account_select);
  ADD ("sign-in-with-claims", test_sign_in_with_claims);
  ADD ("keyring-locked", test_keyring_locked);
  ADD ("other-configuration", test_other_configuration);
  ADD ("cancel", test_cancel);
  ADD ("phases", test_phases);
  ADD ("cancel-redeeming", test_cancel_redeeming);
  ADD ("browser-fails", test_browser_fails);
  ADD ("refused", test_refused);
  ADD ("refresh", test_refresh);
  ADD ("refresh/session-ended", test_session_ended);
  ADD ("refresh/session-ended-elsewhere", test_session_ended_elsewhere);
  ADD ("sign-up/unsupported", test_sign_up_unsupported);
  ADD ("sign-up/supported", test_sign_up);
  ADD ("device", test_device);

#undef ADD

  (void) become_ada;
  return g_test_run ();
}
