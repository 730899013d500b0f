/* lanyard-cli.c — lanyard-cli: sign in from a terminal or a script
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-cli"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "lanyard-cli.h"

/* Translators: keep the command names, options and variable names */
static const char usage[] =
  N_("Usage: lanyard-cli COMMAND [OPTION…]\n"
  "\n"
  "Sign in to Microsoft Entra External ID or any OpenID Connect provider.\n"
  "\n"
  "Commands:\n"
  "  sign-in    Sign in with the system browser and print the ID token claims\n"
  "  token      Print an access token, renewing it silently when needed\n"
  "  claims     Print the ID token claims of a signed-in account\n"
  "  accounts   List signed-in accounts (id, username, name, issuer)\n"
  "  sign-out   Sign out here, revoke the refresh token, open the provider's sign-out page\n"
  "  api        Call an API with the account's access token and print the answer\n"
  "\n"
  "Run “lanyard-cli COMMAND --help” for the options of a command.\n"
  "\n"
  "Environment: LANYARD_AUTHORITY, LANYARD_CLIENT_ID, LANYARD_SCOPES, LANYARD_CA_FILE,\n"
  "LANYARD_API_SCOPES (the scopes of `api` for URLs other than Microsoft Graph),\n"
  "BROWSER (a command to open links, else the desktop's default browser).\n"
  "\n"
  "Exit status: 0 success, 1 failure, 2 usage or configuration error, 3 cancelled,\n"
  "4 timed out, 5 provider error, 6 invalid ID token, 7 keyring problem,\n"
  "8 interaction required (sign in again), 9 provider unreachable, 10 TLS failure,\n"
  "11 browser could not be opened, 12 no such account, 13 invalid provider response,\n"
  "22 the API answered with an HTTP error (api).\n");

typedef int (*CommandFunc) (int argc, char **argv, LanyardCliRun *run);

static const struct {
  const char  *name;
  CommandFunc  func;
} commands[] = {
  { "sign-in", lanyard_cli_sign_in },
  { "token", lanyard_cli_token },
  { "claims", lanyard_cli_claims },
  { "accounts", lanyard_cli_accounts },
  { "sign-out", lanyard_cli_sign_out },
  { "api", lanyard_cli_api },
};

static gboolean
interrupted_cb (gpointer user_data)
{
  LanyardCliRun *run = user_data;

  /* The flow ends through its own error path, so the listener closes and
   * the browser tab is told. */
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  LanyardCliRun run = { 0, };
  CommandFunc func = NULL;
  int status;

  setlocale (LC_ALL, "");
  /* LANYARD_LOCALEDIR: the build tree's catalogs (<builddir>/po), for
   * build-aux/run-demo.sh and the tests; installed, LOCALEDIR. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LANYARD_LOCALEDIR") ? g_getenv ("LANYARD_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* stdout is for machine output (claims, tokens): debug logs must not
   * end up in the middle of a JSON document. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      if (argc < 2)
        {
          g_printerr ("%s", _(usage));
          return LANYARD_CLI_EXIT_USAGE;
        }
      g_print ("%s", _(usage));
      return LANYARD_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("lanyard-cli %s\n", PACKAGE_VERSION);
      return LANYARD_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      func = commands[i].func;

  if (func == NULL)
    {
      g_printerr (_("lanyard-cli: unknown command “%s”\n\n%s"), argv[1], _(usage));
      return LANYARD_CLI_EXIT_USAGE;
    }

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  g_unix_signal_add (SIGINT, interrupted_cb, &run);
  g_unix_signal_add (SIGTERM, interrupted_cb, &run);

  /* The command starts its async work and returns -1, or an exit code when
   * it is done already (usage errors). */
  status = func (argc - 1, argv + 1, &run);
  if (status < 0)
    {
      g_main_loop_run (run.loop);
      status = run.exit_code;
    }

  g_clear_object (&run.cancellable);
  g_clear_pointer (&run.loop, g_main_loop_unref);

  return status;
}
