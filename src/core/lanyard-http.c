/* lanyard-http.c — the one SoupSession, requests with limits, error mapping
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-http"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "lanyard-error.h"
#include "lanyard-http.h"
#include "lanyard-i18n-private.h"
#include "lanyard-json.h"
#include "lanyard-proxy-resolver.h"

#define READ_CHUNK_SIZE 16384

SoupSession *
lanyard_http_session_new (const char  *ca_file,
                          GError     **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GProxyResolver) proxies = lanyard_proxy_resolver_new (NULL);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Keep-alive is libsoup's default; the timeout bounds every socket wait, so
   * a provider that stops answering cannot hang a sign-in. The desktop's
   * proxy settings apply, except to loopback (a local provider or API). */
  session = soup_session_new_with_options ("timeout", LANYARD_HTTP_TIMEOUT_SECONDS,
                                           "user-agent", "Lanyard/" PACKAGE_VERSION,
                                           "proxy-resolver", proxies,
                                           NULL);

  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autoptr(GError) local_error = NULL;
      /* GTlsFileDatabase takes absolute paths only; --ca-file corp.pem is fine. */
      g_autofree char *path = g_canonicalize_filename (ca_file, NULL);

      /* libsoup ignores SSL_CERT_FILE: the CA file replaces the system trust. */
      database = g_tls_file_database_new (path, &local_error);
      if (database == NULL)
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                       /* Translators: %1$s is a file name, %2$s why it cannot be read */
                       _("Could not use the CA file %1$s: %2$s"),
                       ca_file, local_error->message);
          return NULL;
        }

      /* This client's trust only: the process default stays the system's, as
       * another client (the app may hold several) or the host program may
       * rely on it. The price is one parse of the system trust store per
       * process, when glib-networking builds the first TLS connection with
       * the default database before libsoup sets this one on it. */
      soup_session_set_tls_database (session, database);
    }

  return g_steal_pointer (&session);
}

void
lanyard_http_response_free (LanyardHttpResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->content_type);
  g_free (response->etag);
  g_free (response);
}

typedef struct
{
  SoupMessage          *msg;
  GInputStream         *stream;
  GByteArray           *buffer;
  gsize                 max_bytes;
  GTlsCertificateFlags  tls_errors;
  gulong                accept_certificate_id;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_signal_handler (&data->accept_certificate_id, data->msg);
  /* An unfinished body makes libsoup close the connection, not drain it. */
  g_clear_object (&data->stream);
  g_clear_object (&data->msg);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data);
}

static const char *
message_host (SoupMessage *msg)
{
  const char *host = g_uri_get_host (soup_message_get_uri (msg));

  return host != NULL ? host : _("the server");
}

/* Whole sentences, so that translators see them whole. */
static const char *
describe_tls_errors (GTlsCertificateFlags flags)
{
  /* Translators: %s is a host name */
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("The certificate of %s is not trusted");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("The certificate of %s was issued for another host name");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("The certificate of %s has expired");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("The certificate of %s is not valid yet");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("The certificate of %s has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("The certificate of %s uses an insecure algorithm");
  return _("The certificate of %s could not be verified");
}

/* Rewrites a transport error into LANYARD_ERROR with words a person can act
 * on; the original message is kept where it adds something. */
static GError *
map_transport_error (SoupSession *session,
                     SendData    *data,
                     GError      *error,
                     gboolean     api)
{
  const char *host = message_host (data->msg);
  g_autoptr(GError) mapped = NULL;
  GError *result;

  if (data->tls_errors != 0)
    {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      result = g_error_new (LANYARD_ERROR, LANYARD_ERROR_TLS,
                            describe_tls_errors (data->tls_errors), host);
#pragma GCC diagnostic pop
      g_error_free (error);
      return result;
    }

  /* GIO's own words repeat the host ("Could not connect to HOST: …"): say
   * what the common failures mean instead. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    result = api
      ? g_error_new (LANYARD_ERROR, LANYARD_ERROR_NETWORK,
                     /* Translators: %s is a host name or address */
                     _("Nothing answers at %s: the API may be down, or the address may be wrong"),
                     host)
      : g_error_new (LANYARD_ERROR, LANYARD_ERROR_NETWORK,
                     /* Translators: %s is a host name or address */
                     _("Nothing answers at %s: the provider may be down, or the address may be wrong"),
                     host);
  else if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    result = g_error_new (LANYARD_ERROR, LANYARD_ERROR_NETWORK,
                          _("There is no host named %s: check the address, or your network connection"),
                          host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
           g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    result = g_error_new (LANYARD_ERROR, LANYARD_ERROR_NETWORK,
                          _("%s cannot be reached: check your network connection"),
                          host);
  else
    result = NULL;

  if (result != NULL)
    {
      g_error_free (error);
      return result;
    }

  mapped = lanyard_error_from_gerror (error);

  switch ((LanyardError) mapped->code)
    {
    case LANYARD_ERROR_CANCELLED:
      result = g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                                    _("The request was cancelled"));
      break;

    case LANYARD_ERROR_TIMED_OUT:
      {
        g_autofree char *limit = lanyard_format_duration (soup_session_get_timeout (session));

        /* Translators: %1$s is a host name, %2$s a duration such as “30 seconds” */
        result = g_error_new (LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT,
                              _("%1$s did not answer within %2$s"), host, limit);
      }
      break;

    case LANYARD_ERROR_TLS:
      result = g_error_new (LANYARD_ERROR, LANYARD_ERROR_TLS,
                            /* Translators: %1$s is a host name, %2$s the reason */
                            _("The secure connection to %1$s failed: %2$s"),
                            host, mapped->message);
      break;

    case LANYARD_ERROR_INVALID_RESPONSE:
      result = g_error_new (LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                            _("%1$s sent an invalid HTTP response: %2$s"),
                            host, mapped->message);
      break;

    case LANYARD_ERROR_FAILED:
    case LANYARD_ERROR_BROWSER:
    case LANYARD_ERROR_PROVIDER:
    case LANYARD_ERROR_NETWORK:
    case LANYARD_ERROR_INVALID_TOKEN:
    case LANYARD_ERROR_STATE_MISMATCH:
    case LANYARD_ERROR_KEYRING_LOCKED:
    case LANYARD_ERROR_KEYRING_UNAVAILABLE:
    case LANYARD_ERROR_INTERACTION_REQUIRED:
    case LANYARD_ERROR_CONFIGURATION:
    case LANYARD_ERROR_NOT_FOUND:
    default:
      result = g_error_new (LANYARD_ERROR, LANYARD_ERROR_NETWORK,
                            _("Could not reach %1$s: %2$s"), host, mapped->message);
      break;
    }

  return result;
}

GError *
lanyard_http_api_error (SoupSession *session,
                        SoupMessage *msg,
                        GError      *error)
{
  SendData data = { .msg = msg };

  return map_transport_error (session, &data, error, TRUE);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  SendData *data = user_data;

  /* Never accepted; remembered only to say why the handshake failed. */
  data->tls_errors = errors;
  return FALSE;
}

static void
parse_cache_control (SoupMessageHeaders  *headers,
                     LanyardHttpResponse *response)
{
  g_autoptr(GHashTable) params = NULL;
  const char *cache_control;
  const char *max_age;
  guint64 value;

  response->max_age = -1;
  response->no_store = FALSE;

  cache_control = soup_message_headers_get_list (headers, "Cache-Control");
  if (cache_control == NULL)
    return;

  /* Directive names are case-insensitive in this table. */
  params = soup_header_parse_param_list (cache_control);

  if (g_hash_table_contains (params, "no-store"))
    {
      response->no_store = TRUE;
      response->max_age = 0;
      return;
    }

  if (g_hash_table_contains (params, "no-cache"))
    {
      response->max_age = 0;
      return;
    }

  max_age = g_hash_table_lookup (params, "max-age");
  if (max_age != NULL &&
      g_ascii_string_to_unsigned (max_age, 10, 0, G_MAXINT32, &value, NULL))
    response->max_age = (gint64) value;
}

static LanyardHttpResponse *
build_response (SendData *data)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  LanyardHttpResponse *response = g_new0 (LanyardHttpResponse, 1);
  const char *content_type;
  const char *etag;

  response->status = soup_message_get_status (data->msg);
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer));

  content_type = soup_message_headers_get_content_type (headers, NULL);
  response->content_type = g_strdup (content_type);

  etag = soup_message_headers_get_one (headers, "ETag");
  if (etag != NULL && *etag != '\0')
    response->etag = g_strdup (etag);

  parse_cache_control (headers, response);

  return response;
}

static void read_next_chunk (GTask *task);

static void
read_chunk_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, map_transport_error (g_task_get_source_object (task),
                                                      data, error, FALSE));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_task_return_pointer (task, build_response (data),
                             (GDestroyNotify) lanyard_http_response_free);
      return;
    }

  g_byte_array_append (data->buffer,
                       g_bytes_get_data (chunk, NULL),
                       g_bytes_get_size (chunk));

  if (data->buffer->len > data->max_bytes)
    {
      /* Nothing more is read: see send_data_free(). */
      g_autofree char *limit = g_format_size (data->max_bytes);

      /* Translators: %1$s is a host name, %2$s a size such as “1.0 MB” */
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                               _("The answer from %1$s is larger than %2$s"),
                               message_host (data->msg), limit);
      return;
    }

  read_next_chunk (g_steal_pointer (&task));
}

static void
read_next_chunk (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  /* One byte past the limit is enough to know it was exceeded. */
  gsize wanted = MIN (READ_CHUNK_SIZE, data->max_bytes + 1 - data->buffer->len);

  g_input_stream_read_bytes_async (data->stream,
                                   wanted,
                                   G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   read_chunk_cb,
                                   task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      g_task_return_error (task, map_transport_error (SOUP_SESSION (object), data, error, FALSE));
      return;
    }

  headers = soup_message_get_response_headers (data->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) soup_message_headers_get_content_length (headers) > data->max_bytes)
    {
      g_autofree char *limit = g_format_size (data->max_bytes);

      /* Translators: %1$s is a host name, %2$s a size such as “1.0 MB” */
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                               _("The answer from %1$s is larger than %2$s"),
                               message_host (data->msg), limit);
      return;
    }

  data->buffer = g_byte_array_new ();
  read_next_chunk (g_steal_pointer (&task));
}

void
lanyard_http_send_async (SoupSession         *session,
                         SoupMessage         *msg,
                         gsize                max_bytes,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_http_send_async);
  /* Cancellation comes back as our own error, LANYARD_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (SendData, 1);
  data->msg = g_object_ref (msg);
  data->max_bytes = max_bytes > 0 ? max_bytes : LANYARD_HTTP_MAX_BODY;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  /* A redirect from an OAuth endpoint is an answer to report, never to follow. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  data->accept_certificate_id =
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), data);

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, cancellable,
                           send_cb, g_steal_pointer (&task));
}

LanyardHttpResponse *
lanyard_http_send_finish (SoupSession   *session,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonObject *
lanyard_json_object_from_bytes (GBytes      *bytes,
                                const char  *what,
                                GError     **error)
{
  const char *data;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len > G_MAXSSIZE)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The %s is too large"), what);
      return NULL;
    }

  /* An empty GBytes may have a NULL data pointer. */
  return lanyard_json_parse_object (data != NULL ? data : "", (gssize) len,
                                    what, LANYARD_ERROR_INVALID_RESPONSE, error);
}

SoupMessage *
lanyard_http_new_form_post (const char *url,
                            const char *first_name,
                            ...)
{
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GUri) uri = NULL;
  const char *name;
  va_list args;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0))
    return NULL;

  va_start (args, first_name);
  for (name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;

      if (form->len > 0)
        g_string_append_c (form, '&');

      /* Only unreserved characters stay as they are: always valid form encoding. */
      g_string_append_uri_escaped (form, name, NULL, FALSE);
      g_string_append_c (form, '=');
      g_string_append_uri_escaped (form, value, NULL, FALSE);
    }
  va_end (args);

  return soup_message_new_from_encoded_form (SOUP_METHOD_POST, url,
                                             g_string_free (g_steal_pointer (&form), FALSE));
}
