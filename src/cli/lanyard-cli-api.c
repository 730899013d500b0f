/* lanyard-cli-api.c — `lanyard-cli api`: call an API with the account's token
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "lanyard-cli.h"

#define GRAPH_HOST "graph.microsoft.com"
/* How much of an error answer goes to stderr. */
#define EXCERPT_BYTES 200
/* A pretty-printed answer is read whole: a terminal shows it to a person. */
#define PRETTY_MAX_BYTES (16 * 1024 * 1024)

static char *opt_method;
static char **opt_headers;
static char *opt_data;
static char **opt_scopes;
static gboolean opt_include;
static char *opt_account;
static char *opt_ca_file;

static GOptionEntry api_entries[] = {
  { "method", 'X', 0, G_OPTION_ARG_STRING, &opt_method, N_("HTTP method (default GET, or POST with --data)"), "M" },
  { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &opt_headers, N_("A request header (repeatable)"), N_("'NAME: VALUE'") },
  { "data", 'd', 0, G_OPTION_ARG_STRING, &opt_data, N_("Request body: @FILE, - for stdin, or the text itself"), "DATA" },
  { "scope", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_scopes, N_("A scope the token must cover (repeatable; default: User.Read for Microsoft Graph, else LANYARD_API_SCOPES)"), "S" },
  { "include", 'i', 0, G_OPTION_ARG_NONE, &opt_include, N_("Print the status line and headers before the body"), NULL },
  { "account", 0, 0, G_OPTION_ARG_STRING, &opt_account, N_("The account: its id or username, or ID@ISSUER when several accounts have it (default: the most recent sign-in)"), "A" },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca_file, N_("Trust only the CA certificates in this PEM file"), "PEM" },
  { NULL }
};

typedef struct {
  LanyardCliRun  *run;
  LanyardClient  *client;
  SoupMessage    *msg;
  GOutputStream  *out;
  gboolean        pretty;
} ApiCall;

static void
api_call_free (ApiCall *call)
{
  g_clear_object (&call->client);
  g_clear_object (&call->msg);
  g_clear_object (&call->out);
  g_free (call);
}

static void
finish (ApiCall *call,
        int      exit_code)
{
  lanyard_cli_run_quit (call->run, exit_code);
  api_call_free (call);
}

/* The app's settings, when its schema is installed and has @key (an older
 * schema may not): NULL otherwise. */
static GSettings *
settings_with_key (const char *key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL ||
      (schema = g_settings_schema_source_lookup (source, LANYARD_SETTINGS_SCHEMA_ID, TRUE)) == NULL ||
      !g_settings_schema_has_key (schema, key))
    return NULL;

  return g_settings_new (LANYARD_SETTINGS_SCHEMA_ID);
}

/* Microsoft Graph: graph.microsoft.com, or where LANYARD_GRAPH_URL or the
 * graph-url setting put it (a national cloud; a test's fake Graph). */
static gboolean
is_graph (GUri *uri)
{
  const char *env = g_getenv ("LANYARD_GRAPH_URL");
  g_autofree char *configured = NULL;
  g_autoptr(GUri) graph = NULL;

  if (g_ascii_strcasecmp (g_uri_get_host (uri), GRAPH_HOST) == 0)
    return TRUE;

  if (env != NULL && *env != '\0')
    configured = g_strdup (env);
  else
    {
      g_autoptr(GSettings) settings = settings_with_key ("graph-url");

      if (settings != NULL)
        configured = g_settings_get_string (settings, "graph-url");
    }

  if (configured == NULL || *configured == '\0' ||
      (graph = g_uri_parse (configured, SOUP_HTTP_URI_FLAGS, NULL)) == NULL ||
      g_uri_get_host (graph) == NULL)
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (graph)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (graph)) == 0 &&
         g_uri_get_port (uri) == g_uri_get_port (graph);
}

/* The default scopes: Graph's User.Read for Graph URLs, else the configured
 * API scopes (LANYARD_API_SCOPES, then the api-scopes setting). */
static char **
scopes_for (GUri *uri)
{
  const char *env = g_getenv ("LANYARD_API_SCOPES");
  g_autoptr(GSettings) settings = NULL;

  if (opt_scopes != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", opt_scopes);

      return lanyard_scopes_parse (joined);
    }

  if (is_graph (uri))
    return g_strsplit ("User.Read", " ", -1);

  if (env != NULL && *env != '\0')
    return lanyard_scopes_parse (env);

  if ((settings = settings_with_key ("api-scopes")) != NULL)
    {
      g_auto(GStrv) configured = g_settings_get_strv (settings, "api-scopes");

      if (configured[0] != NULL)
        return g_steal_pointer (&configured);
    }

  return NULL;
}

static gboolean
is_json (SoupMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

  return type != NULL && (g_str_equal (type, "application/json") || g_str_has_suffix (type, "+json"));
}

static void
write_head (ApiCall *call)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(GString) head = g_string_new (NULL);

  g_string_append_printf (head, "HTTP/%s %u %s\r\n",
                          soup_message_get_http_version (call->msg) == SOUP_HTTP_2_0 ? "2" :
                          soup_message_get_http_version (call->msg) == SOUP_HTTP_1_0 ? "1.0" : "1.1",
                          soup_message_get_status (call->msg),
                          soup_message_get_reason_phrase (call->msg) ?: "");
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (head, "%s: %s\r\n", name, value);
  g_string_append (head, "\r\n");

  g_output_stream_write_all (call->out, head->str, head->len, NULL, NULL, NULL);
}

static void
spliced_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ApiCall *call = user_data;
  g_autoptr(GError) error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      g_printerr (_("lanyard-cli: reading the answer failed: %s\n"), error->message);
      finish (call, lanyard_cli_exit_code_for (error) == LANYARD_CLI_EXIT_CANCELLED
                    ? LANYARD_CLI_EXIT_CANCELLED : LANYARD_CLI_EXIT_NETWORK);
      return;
    }

  finish (call, LANYARD_CLI_EXIT_OK);
}

/* A terminal gets JSON indented; anything else the bytes as they came. */
static void
write_pretty (ApiCall      *call,
              GInputStream *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes (body, PRETTY_MAX_BYTES, call->run->cancellable, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data;

  if (bytes == NULL)
    {
      g_printerr (_("lanyard-cli: reading the answer failed: %s\n"), error->message);
      finish (call, LANYARD_CLI_EXIT_NETWORK);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  if (len > 0 && json_parser_load_from_data (parser, data, (gssize) len, NULL))
    {
      g_autofree char *pretty = lanyard_output_json (json_parser_get_root (parser), TRUE);

      g_print ("%s\n", pretty);
    }
  else if (len > 0)
    g_output_stream_write_all (call->out, data, len, NULL, NULL, NULL);

  finish (call, LANYARD_CLI_EXIT_OK);
}

static void
report_http_error (ApiCall      *call,
                   GInputStream *body)
{
  g_autoptr(GBytes) excerpt = g_input_stream_read_bytes (body, EXCERPT_BYTES, NULL, NULL);
  g_autofree char *text = NULL;
  g_autofree char *reason = lanyard_clean_text (soup_message_get_reason_phrase (call->msg) ?: "");

  if (excerpt != NULL && g_bytes_get_size (excerpt) > 0)
    {
      g_autofree char *raw = g_strndup (g_bytes_get_data (excerpt, NULL), g_bytes_get_size (excerpt));

      text = lanyard_clean_text (raw);
    }

  /* Like curl --fail: nothing on stdout, the status and a hint on stderr. */
  g_printerr ("lanyard-cli: HTTP %u %s%s%s\n", soup_message_get_status (call->msg), reason,
              text != NULL ? ": " : "", text != NULL ? text : "");
  finish (call, LANYARD_CLI_EXIT_HTTP_ERROR);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ApiCall *call = user_data;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  body = lanyard_client_send_authorized_finish (LANYARD_CLIENT (source), result, &error);
  if (body == NULL)
    {
      const char *claims = lanyard_client_send_authorized_get_claims (result);

      if (claims != NULL)
        {
          g_autofree char *clean = lanyard_clean_text (claims);

          /* Translators: %s are the message and the challenge's claims */
          g_printerr (_("lanyard-cli: %s (claims: %s)\n"), error->message, clean);

          /* The exact command, quoted for a shell, as MSAL takes the
           * challenge: only for claims a sign-in will accept. */
          if (g_str_equal (clean, claims) && lanyard_sign_in_check_claims (claims, NULL))
            {
              g_autofree char *quoted = g_shell_quote (claims);
              g_autofree char *command = g_strdup_printf ("lanyard-cli sign-in --claims %s", quoted);

              /* Translators: %s is a command to copy, such as
               * lanyard-cli sign-in --claims 'eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6…' */
              g_printerr (_("To sign in with what the API asks for, run:\n  %s\n"), command);
            }
          finish (call, LANYARD_CLI_EXIT_INTERACTION_REQUIRED);
          return;
        }
      lanyard_cli_run_fail (call->run, error);
      api_call_free (call);
      return;
    }

  status = soup_message_get_status (call->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (opt_include)
        write_head (call);
      if (SOUP_STATUS_IS_REDIRECTION (status))
        g_printerr (_("lanyard-cli: not following a redirect to another origin with the token\n"));
      report_http_error (call, body);
      return;
    }

  if (opt_include)
    write_head (call);

  if (call->pretty && is_json (call->msg))
    {
      write_pretty (call, body);
      return;
    }

  g_output_stream_splice_async (call->out, body, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                G_PRIORITY_DEFAULT, call->run->cancellable, spliced_cb, call);
}

static GBytes *
read_data (const char  *spec,
           GError     **error)
{
  if (g_str_equal (spec, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (mem, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
        return NULL;
      return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
    }

  if (spec[0] == '@')
    {
      char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (spec + 1, &contents, &len, error))
        return NULL;
      return g_bytes_new_take (contents, len);
    }

  return g_bytes_new (spec, strlen (spec));
}

int
lanyard_cli_api (int            argc,
                 char         **argv,
                 LanyardCliRun *run)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("URL"));
  g_autoptr(LanyardConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *method;
  gboolean has_content_type = FALSE;
  ApiCall *call;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Call an API with the account's access token and print the answer."));
  g_option_context_add_main_entries (context, api_entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lanyard-cli: %s\n", error->message);
      return LANYARD_CLI_EXIT_USAGE;
    }
  if (argc != 2)
    {
      g_printerr (_("lanyard-cli: api takes one URL\n"));
      return LANYARD_CLI_EXIT_USAGE;
    }

  uri = g_uri_parse (argv[1], SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0))
    {
      g_printerr (_("lanyard-cli: “%s” is not an http or https URL\n"), argv[1]);
      return LANYARD_CLI_EXIT_USAGE;
    }

  scopes = scopes_for (uri);
  if (scopes == NULL || scopes[0] == NULL)
    {
      g_printerr (_("lanyard-cli: which scopes does this API need? Give --scope, or set "
                    "LANYARD_API_SCOPES or the api-scopes setting\n"));
      return LANYARD_CLI_EXIT_USAGE;
    }

  method = opt_method != NULL ? opt_method : (opt_data != NULL ? "POST" : "GET");
  msg = soup_message_new_from_uri (method, uri);
  if (msg == NULL)
    {
      g_printerr (_("lanyard-cli: “%s” is not an HTTP method\n"), method);
      return LANYARD_CLI_EXIT_USAGE;
    }

  for (guint i = 0; opt_headers != NULL && opt_headers[i] != NULL; i++)
    {
      const char *colon = strchr (opt_headers[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL || colon == opt_headers[i])
        {
          g_printerr (_("lanyard-cli: a header is “Name: value”, not “%s”\n"), opt_headers[i]);
          return LANYARD_CLI_EXIT_USAGE;
        }
      name = g_strstrip (g_strndup (opt_headers[i], colon - opt_headers[i]));
      if (g_ascii_strcasecmp (name, "Authorization") == 0)
        {
          g_printerr (_("lanyard-cli: api sets the Authorization header itself\n"));
          return LANYARD_CLI_EXIT_USAGE;
        }
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        has_content_type = TRUE;
      value = g_strstrip (g_strdup (colon + 1));
      soup_message_headers_append (soup_message_get_request_headers (msg), name, value);
    }

  if (opt_data != NULL)
    {
      g_autoptr(GBytes) body = read_data (opt_data, &error);

      if (body == NULL)
        {
          g_printerr (_("lanyard-cli: could not read the request body: %s\n"), error->message);
          return LANYARD_CLI_EXIT_USAGE;
        }
      /* Bytes, not a stream: a retry after invalid_token sends them again. */
      soup_message_set_request_body_from_bytes (msg, has_content_type ? NULL : "application/json", body);
    }

  config = lanyard_config_new_from_environment ();
  if (opt_ca_file != NULL)
    {
      g_free (config->ca_file);
      config->ca_file = g_strdup (opt_ca_file);
    }

  call = g_new0 (ApiCall, 1);
  call->run = run;
  lanyard_cli_trust_ca_file (config->ca_file);
  call->client = lanyard_client_new (config, NULL, NULL, NULL);
  call->msg = g_steal_pointer (&msg);
  call->out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  call->pretty = isatty (STDOUT_FILENO);

  lanyard_client_send_authorized_async (call->client, opt_account, (const char * const *) scopes,
                                        call->msg, G_PRIORITY_DEFAULT, run->cancellable,
                                        sent_cb, call);
  return -1;
}
