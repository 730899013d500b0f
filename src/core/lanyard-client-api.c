/* lanyard-client-api.c — calling an API with an account's access token
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include <string.h>

#include "lanyard-client-private.h"
#include "lanyard-error.h"
#include "lanyard-http.h"
#include "lanyard-i18n-private.h"

/* Same-origin redirects followed (with the token) before giving up. */
#define MAX_REDIRECTS 5

typedef struct {
  char         *account_id;
  char        **scopes;
  SoupMessage  *msg;
  GUri         *origin;          /* where the token may go */
  int           io_priority;
  gboolean      refreshed;       /* the one retry after invalid_token is spent */
  guint         redirects;
  LanyardAccessToken *token;
  LanyardAccount     *account;
} ApiData;

static void
api_data_free (ApiData *data)
{
  g_free (data->account_id);
  g_strfreev (data->scopes);
  g_clear_object (&data->msg);
  g_clear_pointer (&data->origin, g_uri_unref);
  g_clear_pointer (&data->token, lanyard_access_token_unref);
  g_clear_object (&data->account);
  g_free (data);
}

static int
port_of (GUri *uri)
{
  if (g_uri_get_port (uri) > 0)
    return g_uri_get_port (uri);

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         port_of (a) == port_of (b);
}

/* The value of @param in a Bearer challenge (RFC 6750 §3), NULL if absent. */
static char *
bearer_param (const char *challenge,
              const char *param)
{
  g_autoptr(GHashTable) params = NULL;

  if (challenge == NULL || g_ascii_strncasecmp (challenge, "Bearer", 6) != 0)
    return NULL;

  challenge += 6;
  while (*challenge == ' ')
    challenge++;
  params = soup_header_parse_param_list (challenge);

  return g_strdup (g_hash_table_lookup (params, param));
}

static void send_with_token (GTask *task);

static void
token_for_retry_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApiData *data = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&data->token, lanyard_access_token_unref);
  g_clear_object (&data->account);
  data->token = lanyard_client_acquire_token_finish (LANYARD_CLIENT (source), result, &data->account, &error);
  if (data->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  send_with_token (g_steal_pointer (&task));
}

static void
closed_then_refresh_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  ApiData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  lanyard_client_acquire_token_async (self, data->account_id,
                                      (const char * const *) data->scopes,
                                      LANYARD_TOKEN_FORCE_REFRESH, cancellable,
                                      token_for_retry_cb, task);
}

static void
closed_then_resend_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  send_with_token (user_data);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApiData *data = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;
  guint status;
  const char *challenge;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      /* "Nothing answers at HOST", as for the provider, not GIO's words. */
      g_task_return_error (task, lanyard_http_api_error (SOUP_SESSION (source), data->msg, error));
      return;
    }

  status = soup_message_get_status (data->msg);
  challenge = soup_message_headers_get_one (soup_message_get_response_headers (data->msg),
                                            "WWW-Authenticate");

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_autofree char *bearer_error = bearer_param (challenge, "error");

      /* RFC 6750 §3.1: the token expired or was revoked early — renew it
       * once and try once more; a second refusal is the caller's. */
      if (g_strcmp0 (bearer_error, "invalid_token") == 0 && !data->refreshed)
        {
          data->refreshed = TRUE;
          g_debug ("The API refused the access token (invalid_token): renewing it once");
          /* libsoup lets the message go only once its body is closed. */
          g_input_stream_close_async (stream, data->io_priority, NULL,
                                      closed_then_refresh_cb, g_steal_pointer (&task));
          return;
        }

      /* A claims challenge (conditional access, step-up): only a sign-in
       * that asks for these claims can satisfy it. */
      if (g_strcmp0 (bearer_error, "insufficient_claims") == 0)
        {
          g_autofree char *claims = bearer_param (challenge, "claims");
          GError *claims_error;

          g_input_stream_close (stream, NULL, NULL);
          claims_error = g_error_new (LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED,
                                      _("The API asks for a sign-in that satisfies a claims challenge"));
          g_object_set_data_full (G_OBJECT (task), "lanyard-claims",
                                  g_steal_pointer (&claims), g_free);
          g_task_return_error (task, claims_error);
          return;
        }
    }

  if (SOUP_STATUS_IS_REDIRECTION (status) &&
      soup_message_headers_get_one (soup_message_get_response_headers (data->msg), "Location") != NULL)
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (data->msg),
                                                           "Location");
      g_autoptr(GUri) target = g_uri_parse_relative (soup_message_get_uri (data->msg), location,
                                                     SOUP_HTTP_URI_FLAGS, NULL);

      /* The token goes to the API's origin only: a redirect elsewhere is
       * handed back unfollowed. */
      if (target != NULL && same_origin (target, data->origin) && data->redirects < MAX_REDIRECTS &&
          (status == SOUP_STATUS_TEMPORARY_REDIRECT || status == SOUP_STATUS_PERMANENT_REDIRECT ||
           g_str_equal (soup_message_get_method (data->msg), "GET") ||
           g_str_equal (soup_message_get_method (data->msg), "HEAD")))
        {
          data->redirects++;
          soup_message_set_uri (data->msg, target);
          g_input_stream_close_async (stream, data->io_priority, NULL,
                                      closed_then_resend_cb, g_steal_pointer (&task));
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
}

static void
send_with_token (GTask *task)
{
  LanyardClient *self = g_task_get_source_object (task);
  ApiData *data = g_task_get_task_data (task);
  g_autofree char *authorization = NULL;
  SoupSession *session;
  GError *error = NULL;

  /* A retry or a redirect after a cancellation: nothing more is sent. */
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      g_task_return_error (task, lanyard_error_from_gerror (error));
      return;
    }

  /* The account's CA file and proxy settings, as for its provider. */
  session = lanyard_client_get_account_session (self, data->account, &error);
  if (session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  authorization = g_strdup_printf ("Bearer %s", lanyard_access_token_get_token (data->token));
  soup_message_headers_replace (soup_message_get_request_headers (data->msg),
                                "Authorization", authorization);
  explicit_bzero (authorization, strlen (authorization));

  soup_session_send_async (session, data->msg, data->io_priority, g_task_get_cancellable (task),
                           sent_cb, task);
}

static void
first_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApiData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->token = lanyard_client_acquire_token_finish (LANYARD_CLIENT (source), result, &data->account, &error);
  if (data->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Retries ask for the same account even when none was named. */
  if (data->account_id == NULL)
    data->account_id = g_strdup (lanyard_account_get_id (data->account));

  send_with_token (g_steal_pointer (&task));
}

static void
preconnected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure here is the request's to report, with its own words. */
  if (!soup_session_preconnect_finish (SOUP_SESSION (source), result, &error))
    g_debug ("Could not open a connection to the API ahead of its request: %s", error->message);
}

/* The keyring takes a few D-Bus round trips to hand out the token: open the
 * connection to the API meanwhile (proxy lookup, TCP, TLS; no request, no
 * token), so that the request goes out as soon as the token is there. On
 * the configured session, the one an account without a CA file of its own
 * uses; for one with, the connection stays unused. */
static void
preconnect (LanyardClient *self,
            SoupMessage   *msg,
            int            io_priority,
            GCancellable  *cancellable)
{
  g_autoptr(SoupMessage) probe = NULL;
  SoupSession *session = lanyard_client_get_session (self, NULL);

  if (session == NULL)
    return;

  /* Its own message: @msg is sent later, and a message is queued once. */
  probe = soup_message_new_from_uri (SOUP_METHOD_HEAD, soup_message_get_uri (msg));
  soup_session_preconnect_async (session, probe, io_priority, cancellable, preconnected_cb, NULL);
}

/**
 * lanyard_client_send_authorized_async:
 * @self: a #LanyardClient
 * @account_id: (nullable): the account's id or username, or %NULL for the
 *   most recent sign-in
 * @scopes: (nullable) (array zero-terminated=1): the scopes the API needs
 * @msg: the request; its body, if any, must be replayable (set from bytes)
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the response
 * @user_data: data for @callback
 *
 * Sends @msg with `Authorization: Bearer` and an access token for @scopes
 * (lanyard_client_acquire_token_async()). A 401 with `WWW-Authenticate:
 * Bearer error="invalid_token"` renews the token once and sends once more;
 * a second one is the answer. Redirects are followed, with the token, only
 * within the request's origin (scheme, host, port); one to another origin
 * is handed back unfollowed. The token is opaque: never parsed here.
 */
void
lanyard_client_send_authorized_async (LanyardClient       *self,
                                      const char          *account_id,
                                      const char * const  *scopes,
                                      SoupMessage         *msg,
                                      int                  io_priority,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  ApiData *data;

  g_return_if_fail (LANYARD_IS_CLIENT (self));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_send_authorized_async);

  data = g_new0 (ApiData, 1);
  data->account_id = g_strdup (account_id);
  data->scopes = scopes != NULL ? g_strdupv ((char **) scopes) : g_new0 (char *, 1);
  data->msg = g_object_ref (msg);
  data->origin = g_uri_ref (soup_message_get_uri (msg));
  data->io_priority = io_priority;
  g_task_set_task_data (task, data, (GDestroyNotify) api_data_free);

  /* Redirects are ours to judge: libsoup would follow them anywhere. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  lanyard_client_acquire_token_async (self, account_id, scopes, LANYARD_TOKEN_FLAGS_NONE,
                                      cancellable, first_token_cb, task);
  preconnect (self, msg, io_priority, cancellable);
}

/**
 * lanyard_client_send_authorized_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The response body as a stream (read it as it comes: no size limit, no
 * buffering); the status and headers are on the message. A claims challenge
 * (`error="insufficient_claims"`) is %LANYARD_ERROR_INTERACTION_REQUIRED,
 * with the challenge's claims from
 * lanyard_client_send_authorized_get_claims().
 *
 * Returns: (transfer full): the response body, %NULL on error
 */
GInputStream *
lanyard_client_send_authorized_finish (LanyardClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_send_authorized_async, NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lanyard_client_send_authorized_get_claims:
 * @result: the #GAsyncResult of lanyard_client_send_authorized_async()
 *
 * After a claims challenge: the `claims` parameter of the challenge (a JSON
 * object, as the API sent it; Entra sends it base64-encoded), to pass to a
 * sign-in.
 *
 * Returns: (transfer none) (nullable): the claims, or %NULL
 */
const char *
lanyard_client_send_authorized_get_claims (GAsyncResult *result)
{
  return g_object_get_data (G_OBJECT (result), "lanyard-claims");
}

static void
userinfo_provider_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LanyardProvider) provider = NULL;
  GError *error = NULL;
  const char *endpoint;

  provider = lanyard_client_load_provider_finish (LANYARD_CLIENT (source), result, &error);
  if (provider == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  endpoint = lanyard_provider_get_userinfo_endpoint (provider);
  if (endpoint == NULL)
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                               _("The provider has no userinfo endpoint"));
      return;
    }

  g_task_return_pointer (task, g_strdup (endpoint), g_free);
}

/**
 * lanyard_client_get_userinfo_endpoint_async:
 * @self: a #LanyardClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the endpoint
 * @user_data: data for @callback
 *
 * The provider's userinfo endpoint (OpenID Connect Core 1.0 §5.3), from its
 * discovery document (fetched, or from the discovery cache when fresh):
 * where lanyard_client_send_authorized_async() can ask what the provider
 * knows about the account.
 */
void
lanyard_client_get_userinfo_endpoint_async (LanyardClient       *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LANYARD_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_get_userinfo_endpoint_async);

  lanyard_client_load_provider_async (self, lanyard_client_get_config (self)->authority,
                                      cancellable, userinfo_provider_cb, task);
}

/**
 * lanyard_client_get_userinfo_endpoint_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Errors are those of discovery, and %LANYARD_ERROR_CONFIGURATION when the
 * provider advertises no (acceptable) userinfo endpoint.
 *
 * Returns: (transfer full): the endpoint's URL, %NULL on error
 */
char *
lanyard_client_get_userinfo_endpoint_finish (LanyardClient  *self,
                                             GAsyncResult   *result,
                                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_get_userinfo_endpoint_async, NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}
