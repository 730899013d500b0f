/* lanyard-device-grant.c — the requests of the device authorization grant (RFC 8628)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-device-grant"

#include "config.h"

#include <string.h>

#include "lanyard-authority.h"
#include "lanyard-device-grant.h"
#include "lanyard-error.h"
#include "lanyard-http.h"
#include "lanyard-i18n-private.h"
#include "lanyard-json.h"

/* The user types the code by hand: anything longer is not meant for that. */
#define MAX_USER_CODE 64
#define MAX_URI 2048
/* A code that lives longer than a day, or a poll interval above ten minutes,
 * is a provider's mistake, not a plan to wait for. */
#define MAX_EXPIRES_IN (24 * 60 * 60)
#define MAX_INTERVAL (10 * 60)

void
lanyard_device_authorization_free (LanyardDeviceAuthorization *self)
{
  if (self == NULL)
    return;

  /* Zeroed before freeing so the secret does not linger in freed heap memory. */
  if (self->device_code != NULL)
    memset (self->device_code, 0, strlen (self->device_code));
  g_free (self->device_code);
  g_clear_object (&self->code);
  g_free (self);
}

/* FALSE, with @format (naming the member with its one %s) in @error; a macro
 * so that the format is checked at each use. */
#define invalid(error, format, member) \
  (g_set_error ((error), LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE, (format), (member)), FALSE)

/* A required (or optional, @out NULL-able) non-empty string member. */
static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     required,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? invalid (error, _("The device authorization response has no %s"), member) : TRUE;

  *out = lanyard_json_get_string (object, member);
  if (*out == NULL)
    return invalid (error, _("The device authorization response’s %s is not a string"), member);
  if (**out == '\0')
    return invalid (error, _("The device authorization response’s %s is empty"), member);

  return TRUE;
}

/* RFC 8628 says a number; like expires_in of token responses, "900" is taken too. */
static gboolean
get_seconds (JsonObject  *object,
             const char  *member,
             guint        fallback,
             guint        max,
             guint       *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  guint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (fallback == 0)
        return invalid (error, _("The device authorization response has no %s"), member);
      *out = fallback;
      return TRUE;
    }

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64 && json_node_get_int (node) >= 0 &&
          (guint64) json_node_get_int (node) <= max)
        {
          *out = (guint) json_node_get_int (node);
          return TRUE;
        }

      if (type == G_TYPE_STRING &&
          g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, max, &value, NULL))
        {
          *out = (guint) value;
          return TRUE;
        }
    }

  return invalid (error, _("The device authorization response’s %s is not a sensible number of seconds"), member);
}

static gboolean
is_printable (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT ||
          g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR ||
          g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR)
        return FALSE;
    }

  return TRUE;
}

/* Shown to the user and put in a QR code: a web page the user may trust, so
 * the same rules as an endpoint from discovery. */
static gboolean
check_uri (const char  *member,
           const char  *uri,
           gboolean     allow_loopback_http,
           GError     **error)
{
  if (strlen (uri) > MAX_URI)
    return invalid (error, _("The device authorization response’s %s is too long"), member);
  if (!is_printable (uri) || strchr (uri, ' ') != NULL)
    return invalid (error, _("The device authorization response’s %s is not a URL"), member);
  if (!lanyard_url_is_acceptable_endpoint (uri, allow_loopback_http))
    return invalid (error, _("The device authorization response’s %s is not an https:// URL"), member);

  return TRUE;
}

LanyardDeviceAuthorization *
lanyard_device_authorization_parse (GBytes    *body,
                                    gboolean   allow_loopback_http,
                                    gint64     now,
                                    GError   **error)
{
  g_autoptr(LanyardDeviceAuthorization) self = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *device_code, *user_code, *uri, *uri_complete;
  guint expires_in, interval;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = lanyard_json_object_from_bytes (body, "device authorization response", error);
  if (object == NULL)
    return NULL;

  if (!get_string (object, "device_code", TRUE, &device_code, error) ||
      !get_string (object, "user_code", TRUE, &user_code, error) ||
      !get_string (object, "verification_uri_complete", FALSE, &uri_complete, error) ||
      !get_seconds (object, "expires_in", 0, MAX_EXPIRES_IN, &expires_in, error) ||
      !get_seconds (object, "interval", LANYARD_DEVICE_DEFAULT_INTERVAL, MAX_INTERVAL,
                    &interval, error))
    return NULL;

  /* Entra's v1 endpoint and Google say verification_url. */
  if (json_object_has_member (object, "verification_uri") ||
      !json_object_has_member (object, "verification_url"))
    {
      if (!get_string (object, "verification_uri", TRUE, &uri, error))
        return NULL;
    }
  else if (!get_string (object, "verification_url", TRUE, &uri, error))
    return NULL;

  if (g_utf8_strlen (user_code, -1) > MAX_USER_CODE || !is_printable (user_code))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The device authorization response’s %s is not a code a person can type"),
                   "user_code");
      return NULL;
    }

  if (!check_uri ("verification_uri", uri, allow_loopback_http, error) ||
      (uri_complete != NULL &&
       !check_uri ("verification_uri_complete", uri_complete, allow_loopback_http, error)))
    return NULL;

  if (expires_in == 0)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The device authorization response’s %s is zero"), "expires_in");
      return NULL;
    }

  self = g_new0 (LanyardDeviceAuthorization, 1);
  self->device_code = g_strdup (device_code);
  self->expires_in = expires_in;
  /* An interval of 0 would have us hammer the provider. */
  self->interval = MAX (interval, 1);
  self->code = lanyard_device_code_new (user_code, uri, uri_complete, now + expires_in,
                                        self->interval);

  return g_steal_pointer (&self);
}

static void
log_request (const char *what,
             const char *endpoint)
{
  g_autoptr(GUri) uri = g_uri_parse (endpoint, SOUP_HTTP_URI_FLAGS, NULL);

  /* Host and path only: never a query, and never the form. */
  if (uri != NULL)
    g_debug ("%s at %s://%s%s", what, g_uri_get_scheme (uri),
             g_uri_get_host (uri), g_uri_get_path (uri));
}

/* @msg from lanyard_http_new_form_post(): NULL for a URL that is not one. */
static gboolean
check_message (GTask       *task,
               SoupMessage *msg,
               const char  *what)
{
  if (msg == NULL)
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                               _("The %s URL is not valid"), what);
      return FALSE;
    }

  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Accept", "application/json");
  return TRUE;
}

/* ---- the device authorization request ---------------------------------------- */

static void
authorization_answered_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LanyardHttpResponse) response = NULL;
  LanyardDeviceAuthorization *authorization;
  GError *error = NULL;

  response = lanyard_http_send_finish (SOUP_SESSION (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (response->status != SOUP_STATUS_OK)
    {
      g_task_return_error (task, lanyard_oauth_error_from_response (response->status,
                                                                    response->body));
      return;
    }

  authorization = lanyard_device_authorization_parse (response->body,
                                                      GPOINTER_TO_INT (g_task_get_task_data (task)),
                                                      g_get_real_time () / G_USEC_PER_SEC,
                                                      &error);
  if (authorization == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, authorization, (GDestroyNotify) lanyard_device_authorization_free);
}

void
lanyard_device_authorization_request_async (SoupSession         *session,
                                            const char          *endpoint,
                                            const char          *client_id,
                                            const char          *scope,
                                            gboolean             allow_loopback_http,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (endpoint != NULL);
  g_return_if_fail (client_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_device_authorization_request_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, GINT_TO_POINTER (allow_loopback_http), NULL);

  msg = lanyard_http_new_form_post (endpoint,
                                    "client_id", client_id,
                                    "scope", scope,
                                    NULL);
  if (!check_message (task, msg, "device authorization endpoint"))
    return;

  log_request ("Asking for a device code", endpoint);
  lanyard_http_send_async (session, msg, 0, cancellable,
                           authorization_answered_cb, g_steal_pointer (&task));
}

LanyardDeviceAuthorization *
lanyard_device_authorization_request_finish (GAsyncResult  *result,
                                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        lanyard_device_authorization_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- polling the token endpoint ----------------------------------------------- */

typedef struct {
  LanyardDevicePollStatus  status;
  LanyardTokenResponse    *tokens;
} PollOutcome;

static void
poll_outcome_free (PollOutcome *outcome)
{
  g_clear_pointer (&outcome->tokens, lanyard_token_response_free);
  g_free (outcome);
}

static void
return_status (GTask                   *task,
               LanyardDevicePollStatus  status,
               LanyardTokenResponse    *tokens)
{
  PollOutcome *outcome = g_new0 (PollOutcome, 1);

  outcome->status = status;
  outcome->tokens = tokens;
  g_task_return_pointer (task, outcome, (GDestroyNotify) poll_outcome_free);
}

/* The words for the two endings the user caused or let happen; the
 * provider's own text follows in brackets. */
static GError *
poll_error (guint   status,
            GBytes *body)
{
  g_autoptr(GError) oauth_error = lanyard_oauth_error_from_response (status, body);
  g_autoptr(JsonObject) object = NULL;
  const char *code = NULL;

  if (body != NULL && g_bytes_get_size (body) > 0)
    object = lanyard_json_object_from_bytes (body, "error response", NULL);
  if (object != NULL)
    code = lanyard_json_get_string (object, "error");

  if (g_strcmp0 (code, "access_denied") == 0 || g_strcmp0 (code, "authorization_declined") == 0)
    return g_error_new (LANYARD_ERROR, LANYARD_ERROR_PROVIDER,
                        _("The sign-in was declined on the other device (%s)"), oauth_error->message);

  if (g_strcmp0 (code, "expired_token") == 0 || g_strcmp0 (code, "code_expired") == 0)
    return g_error_new (LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT,
                        _("The code expired before the sign-in was approved (%s)"), oauth_error->message);

  return g_steal_pointer (&oauth_error);
}

static const char *
error_code_of (GBytes *body)
{
  static const char *const waiting[] = { "authorization_pending", "slow_down" };
  g_autoptr(JsonObject) object = NULL;
  const char *code;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return NULL;

  object = lanyard_json_object_from_bytes (body, "error response", NULL);
  code = object ? lanyard_json_get_string (object, "error") : NULL;
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (waiting); i++)
    if (g_str_equal (code, waiting[i]))
      return waiting[i];

  return NULL;
}

static void
poll_answered_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LanyardHttpResponse) response = NULL;
  LanyardTokenResponse *tokens;
  const char *waiting;
  GError *error = NULL;

  response = lanyard_http_send_finish (SOUP_SESSION (object), result, &error);
  if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT))
    {
      g_debug ("A poll timed out: %s", error->message);
      g_clear_error (&error);
      return_status (task, LANYARD_DEVICE_POLL_TIMED_OUT, NULL);
      return;
    }
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (response->status != SOUP_STATUS_OK)
    {
      /* RFC 8628 3.5: both come as 400 with an OAuth error body. */
      waiting = response->status == SOUP_STATUS_BAD_REQUEST ? error_code_of (response->body) : NULL;
      if (g_strcmp0 (waiting, "authorization_pending") == 0)
        return_status (task, LANYARD_DEVICE_POLL_PENDING, NULL);
      else if (g_strcmp0 (waiting, "slow_down") == 0)
        return_status (task, LANYARD_DEVICE_POLL_SLOW_DOWN, NULL);
      else
        g_task_return_error (task, poll_error (response->status, response->body));
      return;
    }

  tokens = lanyard_token_response_parse (response->body,
                                         g_get_real_time () / G_USEC_PER_SEC,
                                         &error);
  if (tokens == NULL)
    g_task_return_error (task, error);
  else
    return_status (task, LANYARD_DEVICE_POLL_GRANTED, tokens);
}

void
lanyard_device_token_poll_async (SoupSession         *session,
                                 const char          *token_endpoint,
                                 const char          *client_id,
                                 const char          *device_code,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (token_endpoint != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (device_code != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_device_token_poll_async);
  g_task_set_check_cancellable (task, FALSE);

  msg = lanyard_http_new_form_post (token_endpoint,
                                    "grant_type", LANYARD_DEVICE_GRANT_TYPE,
                                    "device_code", device_code,
                                    "client_id", client_id,
                                    NULL);
  if (!check_message (task, msg, "token endpoint"))
    return;

  log_request ("Polling for the device sign-in", token_endpoint);
  lanyard_http_send_async (session, msg, 0, cancellable,
                           poll_answered_cb, g_steal_pointer (&task));
}

LanyardTokenResponse *
lanyard_device_token_poll_finish (GAsyncResult             *result,
                                  LanyardDevicePollStatus  *status,
                                  GError                  **error)
{
  PollOutcome *outcome;
  LanyardTokenResponse *tokens;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        lanyard_device_token_poll_async, NULL);
  g_return_val_if_fail (status != NULL, NULL);

  outcome = g_task_propagate_pointer (G_TASK (result), error);
  if (outcome == NULL)
    {
      *status = LANYARD_DEVICE_POLL_FAILED;
      return NULL;
    }

  *status = outcome->status;
  tokens = g_steal_pointer (&outcome->tokens);
  poll_outcome_free (outcome);
  return tokens;
}
