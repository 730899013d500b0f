/* lanyard-token-endpoint.c — code redemption, refresh and revocation (RFC 6749, 7636, 7009)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-token-endpoint"

#include "config.h"

#include <string.h>

#include "lanyard-error.h"
#include "lanyard-http.h"
#include "lanyard-i18n-private.h"
#include "lanyard-json.h"
#include "lanyard-oauth-error.h"
#include "lanyard-token-endpoint.h"

/* What of a provider's error text we repeat to the user. */
#define MAX_ERROR_TEXT 1024
#define MAX_ERROR_CODES 8

void
lanyard_token_response_free (LanyardTokenResponse *self)
{
  if (self == NULL)
    return;

  /* Zeroed before freeing so secrets do not linger in freed heap memory. */
  if (self->access_token != NULL)
    memset (self->access_token, 0, strlen (self->access_token));
  if (self->refresh_token != NULL)
    memset (self->refresh_token, 0, strlen (self->refresh_token));
  if (self->id_token != NULL)
    memset (self->id_token, 0, strlen (self->id_token));

  g_free (self->access_token);
  g_free (self->token_type);
  g_free (self->refresh_token);
  g_free (self->id_token);
  g_free (self->scope);
  g_free (self);
}

/* @member as a string: NULL when absent or empty; an error when of another type. */
static gboolean
get_optional_string (JsonObject  *object,
                     const char  *member,
                     char       **out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  value = lanyard_json_get_string (object, member);
  if (value == NULL)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The token response’s %s is not a string"), member);
      return FALSE;
    }

  if (*value != '\0')
    *out = g_strdup (value);

  return TRUE;
}

/* RFC 6749 says a number; some providers send "3600". */
static gboolean
get_expires_in (JsonObject  *object,
                gint64      *out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, "expires_in");
  guint64 value;

  *out = -1;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64 && json_node_get_int (node) >= 0 &&
          json_node_get_int (node) <= G_MAXINT32)
        {
          *out = json_node_get_int (node);
          return TRUE;
        }

      if (type == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);

          /* NaN fails every comparison; 3600.0 is still a whole number. */
          if (d >= 0 && d <= G_MAXINT32 && d == (double) (gint64) d)
            {
              *out = (gint64) d;
              return TRUE;
            }
        }

      if (type == G_TYPE_STRING &&
          g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT32, &value, NULL))
        {
          *out = (gint64) value;
          return TRUE;
        }
    }

  g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                       _("The token response’s expires_in is not a number of seconds"));
  return FALSE;
}

LanyardTokenResponse *
lanyard_token_response_parse (GBytes  *body,
                              gint64   now,
                              GError **error)
{
  g_autoptr(LanyardTokenResponse) response = NULL;
  g_autoptr(JsonObject) object = NULL;
  gint64 expires_in;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = lanyard_json_object_from_bytes (body, "token response", error);
  if (object == NULL)
    return NULL;

  response = g_new0 (LanyardTokenResponse, 1);

  if (!get_optional_string (object, "access_token", &response->access_token, error) ||
      !get_optional_string (object, "token_type", &response->token_type, error) ||
      !get_optional_string (object, "refresh_token", &response->refresh_token, error) ||
      !get_optional_string (object, "id_token", &response->id_token, error) ||
      !get_optional_string (object, "scope", &response->scope, error) ||
      !get_expires_in (object, &expires_in, error))
    return NULL;

  if (response->access_token == NULL)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                           _("The token response has no access_token"));
      return NULL;
    }

  /* RFC 6749 5.1 makes token_type required and case-insensitive; anything
   * but Bearer (DPoP, MAC…) would need proofs we do not make. */
  if (response->token_type == NULL)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                           _("The token response has no token_type"));
      return NULL;
    }

  if (g_ascii_strcasecmp (response->token_type, "Bearer") != 0)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                           _("The token response’s token_type is not Bearer"));
      return NULL;
    }

  response->expires_at = expires_in >= 0 ? now + expires_in : 0;

  return g_steal_pointer (&response);
}

/* Provider text goes into error messages and logs: printable, one line, bounded. */
static void
append_sanitized (GString    *out,
                  const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  gboolean space = FALSE;
  gsize start = out->len;

  g_strstrip (valid);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        {
          space = TRUE;
          continue;
        }

      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;

      if (out->len - start >= MAX_ERROR_TEXT)
        {
          g_string_append (out, "…");
          return;
        }

      g_string_append_unichar (out, c);
    }
}

static const char *const interaction_errors[] = {
  "invalid_grant",
  "interaction_required",
  "login_required",
  "consent_required",
};

static gboolean
needs_interaction (const char *error_code)
{
  for (guint i = 0; i < G_N_ELEMENTS (interaction_errors); i++)
    if (g_str_equal (error_code, interaction_errors[i]))
      return TRUE;

  return FALSE;
}

static void
append_error_codes (GString    *details,
                    JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "error_codes");
  JsonArray *array;
  guint n_written = 0;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array) && n_written < MAX_ERROR_CODES; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_INT64)
        continue;

      g_string_append_printf (details, "%s%" G_GINT64_FORMAT,
                              n_written == 0 ? (details->len > 0 ? "; error codes " : "error codes ") : ", ",
                              json_node_get_int (element));
      n_written++;
    }
}

static void
append_detail (GString    *details,
               const char *label,
               const char *value)
{
  if (value == NULL || *value == '\0')
    return;

  if (details->len > 0)
    g_string_append (details, "; ");
  g_string_append_printf (details, "%s ", label);
  append_sanitized (details, value);
}

GError *
lanyard_oauth_error_from_response (guint   status,
                                   GBytes *body)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GString) message = NULL;
  g_autoptr(GString) details = NULL;
  g_autofree char *explained = NULL;
  const char *error_code = NULL;
  const char *description;
  const char *phrase;
  const char *data = NULL;
  gsize len = 0;

  if (body != NULL)
    data = g_bytes_get_data (body, &len);

  if (data != NULL && len > 0 && len <= G_MAXSSIZE)
    object = lanyard_json_parse_object (data, (gssize) len, "error response",
                                        LANYARD_ERROR_INVALID_RESPONSE, NULL);
  if (object != NULL)
    error_code = lanyard_json_get_string (object, "error");

  /* Never the body itself: an HTML error page is noise, and could echo
   * what we sent, including the code or the refresh token. */
  if (error_code == NULL || *error_code == '\0')
    {
      /* libsoup's phrase for a status it does not know adds nothing. */
      phrase = soup_status_get_phrase (status);
      if (phrase != NULL && !g_str_equal (phrase, "Unknown Error"))
        /* Translators: the HTTP status stays in English, such as “HTTP 500 Internal Server Error” */
        return g_error_new (LANYARD_ERROR, LANYARD_ERROR_PROVIDER,
                            _("The provider answered with an error (HTTP %u %s)"), status, phrase);
      return g_error_new (LANYARD_ERROR, LANYARD_ERROR_PROVIDER,
                          _("The provider answered with an error (HTTP %u)"), status);
    }

  message = g_string_new (NULL);
  append_sanitized (message, error_code);

  description = lanyard_json_get_string (object, "error_description");
  if (description != NULL && *description != '\0')
    {
      g_string_append (message, ": ");
      append_sanitized (message, description);
    }

  /* Entra's extras are what its support and its docs (AADSTS codes) ask for. */
  details = g_string_new (NULL);
  append_error_codes (details, object);
  append_detail (details, "suberror", lanyard_json_get_string (object, "suberror"));
  append_detail (details, "correlation ID", lanyard_json_get_string (object, "correlation_id"));
  if (details->len > 0)
    g_string_append_printf (message, " (%s)", details->str);

  explained = lanyard_oauth_error_message (error_code, message->str);

  return g_error_new_literal (LANYARD_ERROR,
                              needs_interaction (error_code)
                                ? LANYARD_ERROR_INTERACTION_REQUIRED
                                : LANYARD_ERROR_PROVIDER,
                              explained);
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

static void
token_request_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LanyardHttpResponse) response = NULL;
  LanyardTokenResponse *tokens;
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

  tokens = lanyard_token_response_parse (response->body,
                                         g_get_real_time () / G_USEC_PER_SEC,
                                         &error);
  if (tokens == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, tokens, (GDestroyNotify) lanyard_token_response_free);
}

static gboolean
check_endpoint (GTask       *task,
                SoupMessage *msg,
                const char  *what)
{
  if (msg != NULL)
    {
      SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

      soup_message_headers_replace (headers, "Accept", "application/json");
      return TRUE;
    }

  g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("The %s URL is not valid"), what);
  return FALSE;
}

void
lanyard_token_redeem_code_async (SoupSession         *session,
                                 const char          *token_endpoint,
                                 const char          *client_id,
                                 const char          *code,
                                 const char          *redirect_uri,
                                 const char          *code_verifier,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (token_endpoint != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (code != NULL);
  g_return_if_fail (redirect_uri != NULL);
  g_return_if_fail (code_verifier != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_token_redeem_code_async);
  g_task_set_check_cancellable (task, FALSE);

  /* A public client: no client_secret, PKCE proves who we are. */
  msg = lanyard_http_new_form_post (token_endpoint,
                                    "grant_type", "authorization_code",
                                    "code", code,
                                    "redirect_uri", redirect_uri,
                                    "client_id", client_id,
                                    "code_verifier", code_verifier,
                                    NULL);
  if (!check_endpoint (task, msg, "token endpoint"))
    return;

  log_request ("Redeeming an authorization code", token_endpoint);
  lanyard_http_send_async (session, msg, 0, cancellable,
                           token_request_cb, g_steal_pointer (&task));
}

void
lanyard_token_refresh_async (SoupSession         *session,
                             const char          *token_endpoint,
                             const char          *client_id,
                             const char          *refresh_token,
                             const char          *scope,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (token_endpoint != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (refresh_token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  /* Same finish as redeem: both tags are accepted there. */
  g_task_set_source_tag (task, lanyard_token_refresh_async);
  g_task_set_check_cancellable (task, FALSE);

  msg = lanyard_http_new_form_post (token_endpoint,
                                    "grant_type", "refresh_token",
                                    "refresh_token", refresh_token,
                                    "client_id", client_id,
                                    "scope", scope,
                                    NULL);
  if (!check_endpoint (task, msg, "token endpoint"))
    return;

  log_request ("Refreshing tokens", token_endpoint);
  lanyard_http_send_async (session, msg, 0, cancellable,
                           token_request_cb, g_steal_pointer (&task));
}

LanyardTokenResponse *
lanyard_token_request_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_token_redeem_code_async ||
                        g_task_get_source_tag (G_TASK (result)) == lanyard_token_refresh_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
revoke_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LanyardHttpResponse) response = NULL;
  GError *error = NULL;

  response = lanyard_http_send_finish (SOUP_SESSION (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* RFC 7009 2.2: 200 whether or not the token was still valid. */
  if (response->status != SOUP_STATUS_OK)
    {
      g_task_return_error (task, lanyard_oauth_error_from_response (response->status,
                                                                    response->body));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
lanyard_token_revoke_async (SoupSession         *session,
                            const char          *revocation_endpoint,
                            const char          *client_id,
                            const char          *token,
                            const char          *token_type_hint,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (revocation_endpoint != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_token_revoke_async);
  g_task_set_check_cancellable (task, FALSE);

  msg = lanyard_http_new_form_post (revocation_endpoint,
                                    "token", token,
                                    "token_type_hint", token_type_hint,
                                    "client_id", client_id,
                                    NULL);
  if (!check_endpoint (task, msg, "revocation endpoint"))
    return;

  log_request ("Revoking a token", revocation_endpoint);
  lanyard_http_send_async (session, msg, 0, cancellable,
                           revoke_cb, g_steal_pointer (&task));
}

gboolean
lanyard_token_revoke_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_token_revoke_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
