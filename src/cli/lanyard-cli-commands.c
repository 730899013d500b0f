/* lanyard-cli-commands.c — sign-in, token, claims, accounts, sign-out
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-cli.h"

/* Options every command takes: where the keyring account talks to. */
static char *opt_ca_file;
static char *opt_account;

static GOptionEntry account_entries[] = {
  { "account", 0, 0, G_OPTION_ARG_STRING, &opt_account, N_("The account: its id or username, or ID@ISSUER when several accounts have it (default: the most recent sign-in)"), N_("A") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca_file, N_("Trust only the CA certificates in this PEM file"), N_("PEM") },
  { NULL }
};

static gboolean
parse_options (int            *argc,
               char         ***argv,
               const char     *summary,
               GOptionEntry   *entries,
               gboolean        with_account)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  if (with_account)
    g_option_context_add_main_entries (context, account_entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("lanyard-cli: %s\n", error->message);
      return FALSE;
    }

  if (*argc > 1)
    {
      g_printerr (_("lanyard-cli: unexpected argument “%s”\n"), (*argv)[1]);
      return FALSE;
    }

  return TRUE;
}

void
lanyard_cli_trust_ca_file (const char *ca_file)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autofree char *path = NULL;

  if (ca_file == NULL || *ca_file == '\0')
    return;

  /* The library leaves the process default alone (a host program may rely
   * on it); lanyard-cli is its own host with one provider per run. As the
   * default, the CA file spares every TLS connection glib-networking's
   * parse of the system trust store before libsoup sets the client's own.
   * A file that cannot be read is left to the client, which says so. */
  path = g_canonicalize_filename (ca_file, NULL);
  database = g_tls_file_database_new (path, NULL);
  if (database != NULL)
    g_tls_backend_set_default_database (g_tls_backend_get_default (), database);
}

/* Settings precedence: flags, then environment, then GSettings. */
static LanyardClient *
client_for (LanyardConfig  *config,
            LanyardBrowser *browser)
{
  g_autoptr(GError) error = NULL;
  LanyardClient *client;

  if (opt_ca_file != NULL)
    {
      g_free (config->ca_file);
      config->ca_file = g_strdup (opt_ca_file);
    }

  lanyard_cli_trust_ca_file (config->ca_file);
  client = lanyard_client_new (config, NULL, browser, &error);
  g_assert (client != NULL);
  return client;
}

/* ------------------------------------------------------------------ sign-in */

static char *opt_authority;
static char *opt_tenant;
static char *opt_client_id;
static char **opt_scopes;
static char *opt_prompt;
static char *opt_login_hint;
static char *opt_domain_hint;
static char *opt_redirect_host;
static int opt_redirect_port = -1;
static char *opt_redirect_path;
static gboolean opt_no_browser;
static int opt_timeout = -1;
static gboolean opt_device_code;
static gboolean opt_no_qr;
static char *opt_claims;

static GOptionEntry sign_in_entries[] = {
  { "authority", 0, 0, G_OPTION_ARG_STRING, &opt_authority, N_("Authority or issuer URL"), N_("URL") },
  { "tenant", 0, 0, G_OPTION_ARG_STRING, &opt_tenant, N_("Entra External ID tenant subdomain (contoso)"), N_("SUB") },
  { "client-id", 0, 0, G_OPTION_ARG_STRING, &opt_client_id, N_("Application (client) ID"), N_("ID") },
  { "scope", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_scopes, N_("A scope to ask for (repeatable; default: openid profile offline_access)"), N_("S") },
  { "prompt", 0, 0, G_OPTION_ARG_STRING, &opt_prompt, N_("prompt parameter (login, consent, select_account, create)"), N_("P") },
  { "login-hint", 0, 0, G_OPTION_ARG_STRING, &opt_login_hint, N_("Username to pre-fill"), N_("H") },
  { "domain-hint", 0, 0, G_OPTION_ARG_STRING, &opt_domain_hint, N_("Federated identity provider hint"), N_("D") },
  { "claims", 0, 0, G_OPTION_ARG_STRING, &opt_claims, N_("Claims an API's challenge asks for (a JSON object, or base64 of one, as “api” prints it)"), N_("JSON") },
  { "redirect-host", 0, 0, G_OPTION_ARG_STRING, &opt_redirect_host, N_("Host in the redirect URI (default localhost)"), N_("localhost|127.0.0.1") },
  { "redirect-port", 0, 0, G_OPTION_ARG_INT, &opt_redirect_port, N_("Loopback port (default: any free port)"), N_("N") },
  { "redirect-path", 0, 0, G_OPTION_ARG_STRING, &opt_redirect_path, N_("Path in the redirect URI (default /)"), N_("/p") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca_file, N_("Trust only the CA certificates in this PEM file"), N_("PEM") },
  { "no-browser", 0, 0, G_OPTION_ARG_NONE, &opt_no_browser, N_("Print the link instead of opening a browser"), NULL },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout, N_("Give up after this many seconds (default 300)"), N_("SECONDS") },
  { "device-code", 0, 0, G_OPTION_ARG_NONE, &opt_device_code, N_("Sign in on another device (a phone, another computer) with a code"), NULL },
  { "no-qr", 0, 0, G_OPTION_ARG_NONE, &opt_no_qr, N_("With --device-code: do not draw a QR code on the terminal"), NULL },
  { NULL }
};

void
lanyard_cli_signed_in (LanyardCliRun  *run,
                       LanyardAccount *account)
{
  g_autofree char *username = NULL;
  g_autofree char *display_name = NULL;

  lanyard_cli_print_claims (account);
  username = lanyard_clean_text (lanyard_account_get_username (account));
  display_name = lanyard_clean_text (lanyard_account_get_display_name (account));
  g_printerr (/* Translators: %1$s is a username, %2$s a name */
              _("Signed in as %1$s (%2$s).\n"), username, display_name);

  if (lanyard_account_get_session_only (account))
    {
      /* A terminal session ends with this process: nothing was kept. */
      g_printerr (_("lanyard-cli: the keyring is locked or unavailable, so the account was not saved\n"));
      lanyard_cli_run_quit (run, LANYARD_CLI_EXIT_KEYRING);
      return;
    }

  lanyard_cli_run_quit (run, LANYARD_CLI_EXIT_OK);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LanyardCliRun *run = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_sign_in_run_finish (LANYARD_SIGN_IN (source), result, &error);
  if (account == NULL)
    {
      lanyard_cli_run_fail (run, error);
      return;
    }

  lanyard_cli_signed_in (run, account);
}

static void
browser_error_cb (LanyardSignIn *sign_in,
                  GParamSpec    *pspec,
                  gpointer       user_data)
{
  const GError *error = lanyard_sign_in_get_browser_error (sign_in);
  g_autofree char *message = NULL;
  g_autofree char *clean_url = NULL;

  if (error == NULL)
    return;

  message = lanyard_clean_text (error->message);
  clean_url = lanyard_clean_text (lanyard_sign_in_get_uri (sign_in));
  g_printerr (_("lanyard-cli: %s\nOpen this link in your browser: %s\n"), message, clean_url);

  /* Over SSH or in a container the link leads to this machine's loopback,
   * which no other device can reach: say what works there. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    g_printerr (_("No browser can open here. To sign in on a phone or another computer instead, "
                  "run “lanyard-cli sign-in --device-code”.\n"));
}

static void
phase_cb (LanyardSignIn *sign_in,
          GParamSpec    *pspec,
          gpointer       user_data)
{
  if (lanyard_sign_in_get_phase (sign_in) == LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER && !opt_no_browser)
    g_printerr (_("Continue in your browser…\n"));
}

int
lanyard_cli_sign_in (int            argc,
                     char         **argv,
                     LanyardCliRun *run)
{
  g_autoptr(LanyardConfig) config = NULL;
  g_autoptr(LanyardBrowser) browser = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardClient) client = NULL;
  g_autoptr(LanyardSignIn) sign_in = NULL;

  if (!parse_options (&argc, &argv, _("Sign in with the system browser, or on another device with --device-code."), sign_in_entries, FALSE))
    return LANYARD_CLI_EXIT_USAGE;

  if (opt_authority != NULL && opt_tenant != NULL)
    {
      g_printerr (_("lanyard-cli: give --authority or --tenant, not both\n"));
      return LANYARD_CLI_EXIT_USAGE;
    }

  config = lanyard_config_new_from_environment ();
  if (opt_authority != NULL || opt_tenant != NULL)
    {
      g_free (config->authority);
      config->authority = g_strdup (opt_authority ? opt_authority : opt_tenant);
    }
  if (opt_client_id != NULL)
    {
      g_free (config->client_id);
      config->client_id = g_strdup (opt_client_id);
    }
  if (opt_scopes != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", opt_scopes);

      g_strfreev (config->scopes);
      config->scopes = lanyard_scopes_parse (joined);
    }
  if (opt_redirect_host != NULL)
    {
      g_free (config->redirect_host);
      config->redirect_host = g_strdup (opt_redirect_host);
    }
  if (opt_redirect_port >= 0)
    {
      if (opt_redirect_port > G_MAXUINT16)
        {
          g_printerr (_("lanyard-cli: --redirect-port must be between 0 and 65535\n"));
          return LANYARD_CLI_EXIT_USAGE;
        }
      config->redirect_port = opt_redirect_port;
    }
  if (opt_redirect_path != NULL)
    {
      g_free (config->redirect_path);
      config->redirect_path = g_strdup (opt_redirect_path);
    }
  if (opt_timeout == 0 || opt_timeout < -1)
    {
      g_printerr (_("lanyard-cli: --timeout must be a positive number of seconds\n"));
      return LANYARD_CLI_EXIT_USAGE;
    }
  if (opt_timeout > 0)
    config->timeout_seconds = opt_timeout;

  /* The same rules as the app's forms, for flags and LANYARD_* alike, before
   * anything goes on the network. */
  if (!lanyard_config_check (config, &error) ||
      (opt_claims != NULL && !lanyard_sign_in_check_claims (opt_claims, &error)))
    {
      g_printerr ("lanyard-cli: %s\n", error->message);
      return LANYARD_CLI_EXIT_USAGE;
    }

  if (opt_device_code)
    {
      g_autoptr(LanyardClient) device_client = NULL;
      const char *loopback_only = opt_no_browser ? "--no-browser"
                                : opt_redirect_host ? "--redirect-host"
                                : opt_redirect_port >= 0 ? "--redirect-port"
                                : opt_redirect_path ? "--redirect-path"
                                : opt_prompt ? "--prompt"
                                : opt_login_hint ? "--login-hint"
                                : opt_domain_hint ? "--domain-hint"
                                : opt_claims ? "--claims"
                                : opt_timeout > 0 ? "--timeout"
                                : NULL;

      /* The provider's code has its own lifetime, and no browser starts here. */
      if (loopback_only != NULL)
        {
          /* Translators: %s is an option such as --no-browser */
          g_printerr (_("lanyard-cli: %s does not apply to --device-code\n"), loopback_only);
          return LANYARD_CLI_EXIT_USAGE;
        }

      device_client = client_for (config, NULL);
      return lanyard_cli_sign_in_device (device_client, opt_no_qr, run);
    }

  if (opt_no_qr)
    {
      g_printerr (_("lanyard-cli: --no-qr goes with --device-code\n"));
      return LANYARD_CLI_EXIT_USAGE;
    }

  if (opt_no_browser)
    browser = lanyard_cli_link_browser_new ();

  client = client_for (config, browser);
  sign_in = lanyard_sign_in_new (client);
  lanyard_sign_in_set_prompt (sign_in, opt_prompt);
  lanyard_sign_in_set_login_hint (sign_in, opt_login_hint);
  lanyard_sign_in_set_domain_hint (sign_in, opt_domain_hint);
  lanyard_sign_in_set_claims (sign_in, opt_claims);
  g_signal_connect (sign_in, "notify::phase", G_CALLBACK (phase_cb), NULL);
  g_signal_connect (sign_in, "notify::browser-error", G_CALLBACK (browser_error_cb), NULL);

  /* The running sign-in holds itself and the client. */
  lanyard_sign_in_run_async (sign_in, run->cancellable, signed_in_cb, run);

  return -1;
}

/* ------------------------------------------------------------------ token */

static gboolean opt_force_refresh;
static gboolean opt_json;
static char **opt_token_scopes;

static GOptionEntry token_entries[] = {
  { "scope", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_token_scopes, N_("A scope the token must cover (repeatable)"), N_("S") },
  { "force-refresh", 0, 0, G_OPTION_ARG_NONE, &opt_force_refresh, N_("Renew with the refresh token even if the cached one is valid"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print a JSON object with the token, its expiry and scopes"), NULL },
  { NULL }
};

static void
token_acquired_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LanyardCliRun *run = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(LanyardAccessToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = lanyard_client_acquire_token_finish (LANYARD_CLIENT (source), result, &account, &error);
  if (token == NULL)
    {
      lanyard_cli_run_fail (run, error);
      return;
    }

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      const char * const *scopes = lanyard_access_token_get_scopes (token);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "access_token");
      json_builder_add_string_value (builder, lanyard_access_token_get_token (token));
      json_builder_set_member_name (builder, "token_type");
      json_builder_add_string_value (builder, lanyard_access_token_get_token_type (token));
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_int_value (builder, lanyard_access_token_get_expires_at (token));
      json_builder_set_member_name (builder, "scopes");
      json_builder_begin_array (builder);
      for (guint i = 0; scopes[i] != NULL; i++)
        json_builder_add_string_value (builder, scopes[i]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "account");
      json_builder_add_string_value (builder, lanyard_account_get_id (account));
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      lanyard_cli_print_json (root);
    }
  else
    /* The token is this command's output, for `$(lanyard-cli token)`: stdout,
     * never a log line (the logs never carry it). */
    g_print ("%s\n", lanyard_access_token_get_token (token));

  lanyard_cli_run_quit (run, LANYARD_CLI_EXIT_OK);
}

int
lanyard_cli_token (int            argc,
                   char         **argv,
                   LanyardCliRun *run)
{
  g_autoptr(LanyardConfig) config = NULL;
  g_auto(GStrv) scopes = NULL;
  LanyardClient *client;

  if (!parse_options (&argc, &argv, _("Print an access token, renewing it silently when needed."),
                      token_entries, TRUE))
    return LANYARD_CLI_EXIT_USAGE;

  if (opt_token_scopes != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", opt_token_scopes);

      scopes = lanyard_scopes_parse (joined);
    }

  config = lanyard_config_new_from_environment ();
  client = client_for (config, NULL);
  lanyard_client_acquire_token_async (client, opt_account, (const char * const *) scopes,
                                      opt_force_refresh ? LANYARD_TOKEN_FORCE_REFRESH
                                                        : LANYARD_TOKEN_FLAGS_NONE,
                                      run->cancellable, token_acquired_cb, run);
  g_object_unref (client);

  return -1;
}

/* ------------------------------------------------------------------ claims */

static void
claims_account_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LanyardCliRun *run = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_get_account_finish (LANYARD_CLIENT (source), result, &error);
  if (account == NULL)
    {
      lanyard_cli_run_fail (run, error);
      return;
    }

  lanyard_cli_print_claims (account);
  lanyard_cli_run_quit (run, LANYARD_CLI_EXIT_OK);
}

int
lanyard_cli_claims (int            argc,
                    char         **argv,
                    LanyardCliRun *run)
{
  g_autoptr(LanyardConfig) config = NULL;
  LanyardClient *client;

  if (!parse_options (&argc, &argv, _("Print the ID token claims of a signed-in account."), NULL, TRUE))
    return LANYARD_CLI_EXIT_USAGE;

  config = lanyard_config_new_from_environment ();
  client = client_for (config, NULL);
  lanyard_client_get_account_async (client, opt_account, run->cancellable, claims_account_cb, run);
  g_object_unref (client);

  return -1;
}

/* ------------------------------------------------------------------ accounts */

static void
accounts_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  LanyardCliRun *run = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = lanyard_client_list_accounts_finish (LANYARD_CLIENT (source), result, &error);
  if (accounts == NULL)
    {
      lanyard_cli_run_fail (run, error);
      return;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      LanyardAccount *account = g_ptr_array_index (accounts, i);
      /* Tab-separated: a tab or newline in a name must not add a column or a line. */
      g_autofree char *id = lanyard_clean_text (lanyard_account_get_id (account));
      g_autofree char *username = lanyard_clean_text (lanyard_account_get_username (account));
      g_autofree char *display_name = lanyard_clean_text (lanyard_account_get_display_name (account));
      /* Last, so that the first three columns read as before: two providers
       * may assert the same id, and ID@ISSUER tells them apart. */
      g_autofree char *issuer = lanyard_clean_text (lanyard_account_get_issuer (account));

      g_print ("%s\t%s\t%s\t%s\n", id, username, display_name, issuer);
    }

  if (accounts->len == 0)
    g_printerr (_("No accounts are signed in.\n"));

  lanyard_cli_run_quit (run, LANYARD_CLI_EXIT_OK);
}

int
lanyard_cli_accounts (int            argc,
                      char         **argv,
                      LanyardCliRun *run)
{
  g_autoptr(LanyardConfig) config = NULL;
  LanyardClient *client;

  if (!parse_options (&argc, &argv, _("List signed-in accounts: id, username and name, tab-separated."),
                      NULL, FALSE))
    return LANYARD_CLI_EXIT_USAGE;

  config = lanyard_config_new_from_environment ();
  client = client_for (config, NULL);
  lanyard_client_list_accounts_async (client, run->cancellable, accounts_listed_cb, run);
  g_object_unref (client);

  return -1;
}

/* ------------------------------------------------------------------ sign-out */

static gboolean opt_sign_out_no_browser;

static GOptionEntry sign_out_entries[] = {
  { "no-browser", 0, 0, G_OPTION_ARG_NONE, &opt_sign_out_no_browser, N_("Print the provider's sign-out link instead of opening it"), NULL },
  { NULL }
};

static void
signed_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LanyardCliRun *run = user_data;
  g_autoptr(LanyardSignOutResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *logout_uri = NULL;

  outcome = lanyard_client_sign_out_finish (LANYARD_CLIENT (source), result, &error);
  if (outcome == NULL)
    {
      lanyard_cli_run_fail (run, error);
      return;
    }

  g_printerr (_("Signed out on this computer.\n"));

  /* The logout URI comes from discovery, the errors quote the provider. */
  logout_uri = lanyard_clean_text (outcome->logout_uri);
  if (outcome->revoked)
    g_printerr (_("The refresh token was revoked.\n"));
  else if (outcome->revoke_error != NULL)
    {
      g_autofree char *message = lanyard_clean_text (outcome->revoke_error->message);

      g_printerr (_("lanyard-cli: could not revoke the refresh token: %s\n"), message);
    }

  if (outcome->logout_uri != NULL && opt_sign_out_no_browser)
    g_print ("%s\n", logout_uri);
  else if (outcome->browser_opened)
    g_printerr (_("Opened the provider’s sign-out page.\n"));
  else if (outcome->browser_error != NULL)
    {
      g_autofree char *message = lanyard_clean_text (outcome->browser_error->message);

      g_printerr (_("lanyard-cli: %s\nSign out at the provider with: %s\n"), message, logout_uri);
    }

  lanyard_cli_run_quit (run, LANYARD_CLI_EXIT_OK);
}

int
lanyard_cli_sign_out (int            argc,
                      char         **argv,
                      LanyardCliRun *run)
{
  g_autoptr(LanyardConfig) config = NULL;
  LanyardClient *client;

  if (!parse_options (&argc, &argv,
                      _("Sign out here, revoke the refresh token, and open the provider’s sign-out page."),
                      sign_out_entries, TRUE))
    return LANYARD_CLI_EXIT_USAGE;

  config = lanyard_config_new_from_environment ();
  client = client_for (config, NULL);
  lanyard_client_sign_out_async (client, opt_account, !opt_sign_out_no_browser,
                                 run->cancellable, signed_out_cb, run);
  g_object_unref (client);

  return -1;
}
