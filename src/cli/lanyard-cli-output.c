/* lanyard-cli-output.c — exit codes and machine output
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "lanyard-cli.h"

int
lanyard_cli_exit_code_for (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return LANYARD_CLI_EXIT_CANCELLED;

  if (error->domain == G_OPTION_ERROR)
    return LANYARD_CLI_EXIT_USAGE;

  if (error->domain != LANYARD_ERROR)
    return LANYARD_CLI_EXIT_FAILED;

  switch ((LanyardError) error->code)
    {
    case LANYARD_ERROR_CANCELLED:            return LANYARD_CLI_EXIT_CANCELLED;
    case LANYARD_ERROR_TIMED_OUT:            return LANYARD_CLI_EXIT_TIMED_OUT;
    case LANYARD_ERROR_BROWSER:              return LANYARD_CLI_EXIT_BROWSER;
    case LANYARD_ERROR_PROVIDER:             return LANYARD_CLI_EXIT_PROVIDER_ERROR;
    case LANYARD_ERROR_NETWORK:              return LANYARD_CLI_EXIT_NETWORK;
    case LANYARD_ERROR_TLS:                  return LANYARD_CLI_EXIT_TLS;
    case LANYARD_ERROR_INVALID_RESPONSE:     return LANYARD_CLI_EXIT_INVALID_RESPONSE;
    case LANYARD_ERROR_INVALID_TOKEN:        return LANYARD_CLI_EXIT_INVALID_TOKEN;
    case LANYARD_ERROR_STATE_MISMATCH:       return LANYARD_CLI_EXIT_PROVIDER_ERROR;
    case LANYARD_ERROR_KEYRING_LOCKED:       return LANYARD_CLI_EXIT_KEYRING;
    case LANYARD_ERROR_KEYRING_UNAVAILABLE:  return LANYARD_CLI_EXIT_KEYRING;
    case LANYARD_ERROR_INTERACTION_REQUIRED: return LANYARD_CLI_EXIT_INTERACTION_REQUIRED;
    case LANYARD_ERROR_CONFIGURATION:        return LANYARD_CLI_EXIT_USAGE;
    case LANYARD_ERROR_NOT_FOUND:            return LANYARD_CLI_EXIT_NO_ACCOUNT;
    case LANYARD_ERROR_FAILED:
    default:                                 return LANYARD_CLI_EXIT_FAILED;
    }
}

void
lanyard_cli_run_quit (LanyardCliRun *run,
                      int            exit_code)
{
  run->exit_code = exit_code;
  g_main_loop_quit (run->loop);
}

void
lanyard_cli_run_fail (LanyardCliRun *run,
                      const GError  *error)
{
  /* Messages quote provider text: discovery values, error descriptions. */
  g_autofree char *message = lanyard_clean_text (error->message);

  g_printerr ("lanyard-cli: %s\n", message);
  lanyard_cli_run_quit (run, lanyard_cli_exit_code_for (error));
}

void
lanyard_cli_print_json (JsonNode *node)
{
  /* Not json-glib's generator: it writes 1e22 as "1e+22.0". */
  g_autofree char *text = lanyard_output_json (node, TRUE);

  g_print ("%s\n", text);
  fflush (stdout);
}

void
lanyard_cli_print_claims (LanyardAccount *account)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, lanyard_account_get_claims (account));
  lanyard_cli_print_json (node);
}

/* ------------------------------------------------------------------ --no-browser */

struct _LanyardCliLinkBrowser
{
  GObject parent_instance;
};

static void lanyard_cli_link_browser_iface_init (LanyardBrowserInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanyardCliLinkBrowser, lanyard_cli_link_browser, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LANYARD_TYPE_BROWSER,
                                                      lanyard_cli_link_browser_iface_init))

static void
lanyard_cli_link_browser_open_uri_async (LanyardBrowser      *browser,
                                         const char          *uri,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (browser, cancellable, callback, user_data);

  g_autofree char *clean_uri = lanyard_clean_text (uri);

  g_task_set_source_tag (task, lanyard_cli_link_browser_open_uri_async);
  g_printerr (_("Open this link in your browser: %s\n"), clean_uri);
  g_task_return_boolean (task, TRUE);
}

static gboolean
lanyard_cli_link_browser_open_uri_finish (LanyardBrowser  *browser,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lanyard_cli_link_browser_iface_init (LanyardBrowserInterface *iface)
{
  iface->open_uri_async = lanyard_cli_link_browser_open_uri_async;
  iface->open_uri_finish = lanyard_cli_link_browser_open_uri_finish;
}

static void
lanyard_cli_link_browser_class_init (LanyardCliLinkBrowserClass *klass)
{
}

static void
lanyard_cli_link_browser_init (LanyardCliLinkBrowser *self)
{
}

LanyardBrowser *
lanyard_cli_link_browser_new (void)
{
  return g_object_new (LANYARD_TYPE_CLI_LINK_BROWSER, NULL);
}
