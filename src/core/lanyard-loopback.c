/* lanyard-loopback.c — the one-shot loopback redirect listener (RFC 8252 §7.3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * It reads as wait → take → respond: lanyard_loopback_wait_async () waits
 * for the browser's request on the redirect path, the HTTP gate answers
 * everything else (wrong host, path, method, size, smuggling headers), the
 * redirect-response module judges the request (lanyard-redirect-response.c:
 * state, RFC 9207 iss, code), a verdict that ends the wait takes the request
 * and holds it, and lanyard_loopback_finish_page () answers it and keeps
 * the server alive until the page is out. The sockets, the connection cap
 * and eviction are the listener's (lanyard-loopback-listener.c), the size
 * limits the connection stream's (lanyard-loopback-conn.c).
 */
#define G_LOG_DOMAIN "lanyard-loopback"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "lanyard-error.h"
#include "lanyard-i18n-private.h"
#include "lanyard-loopback.h"
#include "lanyard-loopback-conn.h"
#include "lanyard-loopback-listener.h"
#include "lanyard-loopback-page.h"
#include "lanyard-loopback-private.h"
#include "lanyard-redirect-response.h"

#define MAX_LOGGED_PATH_CHARS 64

/* After the headers, an oversized body is read and thrown away (so that the
 * client sees the 413) up to this many times the body limit; beyond that
 * the connection is simply dropped. */
#define DRAIN_FACTOR 4

struct _LanyardLoopback
{
  GObject              parent_instance;

  char                *redirect_uri;
  char                *redirect_host;
  char                *path;
  guint16              port;
  guint                timeout_seconds;

  /* The body is ours to judge; the connection limits are the listener's. */
  gsize                max_body_bytes;

  SoupServer          *server;      /* HTTP on the listener's connections */
  LanyardLoopbackListener *listener;

  GTask               *task;
  char                *expected_state;
  char                *expected_issuer;
  GSource             *timeout_source;
  GSource             *cancel_source;

  SoupServerMessage   *held_msg;
  LanyardLoopbackConn *held_conn;   /* weak pointer */

  guint                iss_required : 1;
  guint                wait_started : 1;
};

G_DEFINE_FINAL_TYPE (LanyardLoopback, lanyard_loopback, G_TYPE_OBJECT)

typedef struct {
  char   *code;
  GError *error;
} WaitResult;

static void
wait_result_free (WaitResult *result)
{
  g_free (result->code);
  g_clear_error (&result->error);
  g_free (result);
}

/* Keeps the SoupServer alive until the held response is written: disposing
 * the server would cut the connection mid-answer. */
typedef struct {
  SoupServer        *server;
  SoupServerMessage *msg;
  GTask             *task;         /* of lanyard_loopback_finish_page_async(), or NULL */
  gulong             finished_id;
  guint              timeout_id;
} Flush;

static gboolean
flush_unref_server_cb (gpointer user_data)
{
  g_object_unref (user_data);
  return G_SOURCE_REMOVE;
}

static void
flush_release (Flush *flush)
{
  g_clear_signal_handler (&flush->finished_id, flush->msg);
  g_clear_handle_id (&flush->timeout_id, g_source_remove);
  /* Not from within libsoup's own "finished" emission: it still uses the
   * server after the signal returns. */
  g_idle_add (flush_unref_server_cb, g_steal_pointer (&flush->server));
  g_clear_object (&flush->msg);
  if (flush->task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&flush->task);

      g_task_return_boolean (task, TRUE);
    }
  g_free (flush);
}

static void
flush_finished_cb (SoupServerMessage *msg,
                   gpointer           user_data)
{
  flush_release (user_data);
}

static gboolean
flush_timeout_cb (gpointer user_data)
{
  Flush *flush = user_data;

  flush->timeout_id = 0;
  flush_release (flush);

  return G_SOURCE_REMOVE;
}

static void
lanyard_loopback_stop_listening (LanyardLoopback *self)
{
  if (self->listener != NULL)
    lanyard_loopback_listener_stop (self->listener);
}

static gboolean
return_result_cb (gpointer user_data)
{
  GTask *task = user_data;
  WaitResult *result = g_task_get_task_data (task);

  if (result->error != NULL)
    g_task_return_error (task, g_steal_pointer (&result->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&result->code), g_free);

  return G_SOURCE_REMOVE;
}

/* Ends the wait (takes @code or @error). With @defer, the caller's callback
 * runs from an idle, never from inside a libsoup handler or our own API. */
static void
lanyard_loopback_complete (LanyardLoopback *self,
                           char            *code,
                           GError          *error,
                           gboolean         defer)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_assert (task != NULL);
  g_assert ((code == NULL) != (error == NULL));

  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  g_clear_pointer (&self->expected_state, g_free);
  g_clear_pointer (&self->expected_issuer, g_free);

  /* Exactly one response is taken; nothing else gets in afterwards. */
  lanyard_loopback_stop_listening (self);

  if (defer)
    {
      g_autoptr(GSource) idle = g_idle_source_new ();
      WaitResult *result = g_new0 (WaitResult, 1);

      result->code = code;
      result->error = error;
      g_task_set_task_data (task, result, (GDestroyNotify) wait_result_free);
      g_task_attach_source (task, idle, return_result_cb);
    }
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, code, g_free);
}

static gboolean
timeout_cb (gpointer user_data)
{
  LanyardLoopback *self = g_task_get_source_object (G_TASK (user_data));
  g_autofree char *limit = lanyard_format_duration (self->timeout_seconds);

  g_debug ("No authorization response within %u s", self->timeout_seconds);
  lanyard_loopback_complete (self, NULL,
                             /* Translators: %s is a duration, such as “5 minutes” */
                             g_error_new (LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT,
                                          _("The sign-in was not finished in the browser within %s"),
                                          limit),
                             FALSE);

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  LanyardLoopback *self = g_task_get_source_object (G_TASK (user_data));

  lanyard_loopback_complete (self, NULL,
                             g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                                                  _("Sign-in cancelled")),
                             FALSE);

  return G_SOURCE_REMOVE;
}

static void
lanyard_loopback_arm_timeout (LanyardLoopback *self)
{
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }

  self->timeout_source = g_timeout_source_new_seconds (self->timeout_seconds);
  g_task_attach_source (self->task, self->timeout_source, timeout_cb);
}

/* ------------------------------------------------------------------------ */
/* Requests                                                                 */
/* ------------------------------------------------------------------------ */

/* DNS rebinding: a web page that makes the browser talk to our port sends
 * its own host name. The real redirect names one of ours. */
static gboolean
lanyard_loopback_host_is_ours (LanyardLoopback *self,
                               GUri            *uri)
{
  const char *host = g_uri_get_host (uri);
  int port = g_uri_get_port (uri);

  /* "evil@localhost:port" names localhost, but no browser sends it. */
  if (host == NULL || g_uri_get_userinfo (uri) != NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") != 0 &&
      strcmp (host, "127.0.0.1") != 0 &&
      strcmp (host, "::1") != 0 &&
      strcmp (host, "[::1]") != 0)
    return FALSE;

  if (port == -1)
    return self->port == 80;

  return port == self->port;
}

/* Pauses @msg for finish_page() and ends the wait. */
static void
lanyard_loopback_take (LanyardLoopback   *self,
                       SoupServerMessage *msg,
                       char              *code,
                       GError            *error)
{
  LanyardLoopbackConn *conn = lanyard_loopback_listener_hold (self->listener, msg);

  soup_server_message_pause (msg);
  g_set_object (&self->held_msg, msg);

  if (conn != NULL)
    g_set_weak_pointer (&self->held_conn, conn);

  lanyard_loopback_complete (self, code, error, TRUE);
}

/* Handles a request for the redirect path; returns the status answered,
 * or 0 when the request is held. */
static guint
lanyard_loopback_handle_response (LanyardLoopback   *self,
                                  SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  LanyardRedirectExpect expect = {
    .state = self->expected_state,
    .issuer = self->expected_issuer,
    .iss_required = self->iss_required,
  };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  const char *form = NULL;
  gsize len = 0;

  if (strcmp (method, "GET") == 0)
    {
      form = g_uri_get_query (soup_server_message_get_uri (msg));
      len = form != NULL ? strlen (form) : 0;
    }
  else
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      const char *content_type = soup_message_headers_get_content_type (headers, NULL);

      if (content_type == NULL ||
          g_ascii_strcasecmp (content_type, "application/x-www-form-urlencoded") != 0)
        {
          lanyard_loopback_page_respond (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                         _("Unsupported request"),
                                         _("A sign-in response is a form (application/x-www-form-urlencoded)."));
          return SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
        }

      body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      form = g_bytes_get_data (body, &len);
      if (form == NULL)
        form = "";
    }

  switch (lanyard_redirect_response_judge (form, len, &expect, &code, &error))
    {
    case LANYARD_REDIRECT_CODE:
      lanyard_loopback_take (self, msg, g_steal_pointer (&code), NULL);
      return 0;

    case LANYARD_REDIRECT_FAILED:
      lanyard_loopback_take (self, msg, NULL, g_steal_pointer (&error));
      return 0;

    case LANYARD_REDIRECT_REFUSED:
    default:
      /* A stray or forged request: answer it and keep waiting. */
      lanyard_loopback_page_respond (msg, SOUP_STATUS_BAD_REQUEST,
                                     g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_STATE_MISMATCH)
                                     ? _("Wrong sign-in response") : _("Bad request"),
                                     error->message);
      return SOUP_STATUS_BAD_REQUEST;
    }
}

static guint
lanyard_loopback_handle (LanyardLoopback   *self,
                         SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  if (!lanyard_loopback_host_is_ours (self, uri))
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_BAD_REQUEST, _("Bad request"),
                                     _("This address is not for you."));
      return SOUP_STATUS_BAD_REQUEST;
    }

  if (g_strcmp0 (g_uri_get_path (uri), self->path) != 0)
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_NOT_FOUND, _("Not found"),
                                     _("There is nothing here."));
      return SOUP_STATUS_NOT_FOUND;
    }

  if (strcmp (method, "GET") != 0 && strcmp (method, "POST") != 0)
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Method not allowed"),
                                     _("A sign-in response is a GET or a POST."));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, POST");
      return SOUP_STATUS_METHOD_NOT_ALLOWED;
    }

  if (self->task == NULL)
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, _("Not waiting"),
                                     _("Lanyard is not waiting for a sign-in right now."));
      return SOUP_STATUS_SERVICE_UNAVAILABLE;
    }

  return lanyard_loopback_handle_response (self, msg);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  LanyardLoopback *self = LANYARD_LOOPBACK (user_data);
  g_autofree char *escaped = NULL;
  guint status;

  status = lanyard_loopback_handle (self, msg);

  /* Method, path and status only: never the query, the code or the state. */
  escaped = g_strescape (path != NULL ? path : "", NULL);
  if (strlen (escaped) > MAX_LOGGED_PATH_CHARS)
    strcpy (escaped + MAX_LOGGED_PATH_CHARS - 3, "...");
  if (status == 0)
    g_debug ("%s %s: held for the final page", soup_server_message_get_method (msg), escaped);
  else
    g_debug ("%s %s: %u", soup_server_message_get_method (msg), escaped, status);
}

static void
reject_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  /* The rest is read (for the client to see the answer) but not kept. */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);

  if (soup_server_message_get_status (msg) == 0)
    lanyard_loopback_page_respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                   _("Request too large"), _("This request is too large."));
}

typedef struct {
  guint host;
  guint content_length;
  guint transfer_encoding;
} HeaderCounts;

static void
count_header_cb (const char *name,
                 const char *value,
                 gpointer    user_data)
{
  HeaderCounts *counts = user_data;

  if (g_ascii_strcasecmp (name, "Host") == 0)
    counts->host++;
  else if (g_ascii_strcasecmp (name, "Content-Length") == 0)
    counts->content_length++;
  else if (g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
    counts->transfer_encoding++;
}

/* Request smuggling (RFC 9112 §3.2, §6.3): where a proxy and this server
 * could disagree on the host or on where the body ends, neither wins.
 * libsoup would take the last Host and the last Content-Length. */
static const char *
framing_problem (SoupMessageHeaders *headers)
{
  HeaderCounts counts = { 0, };

  soup_message_headers_foreach (headers, count_header_cb, &counts);

  if (counts.host > 1)
    return "more than one Host";
  if (counts.content_length > 1)
    return "more than one Content-Length";
  if (counts.transfer_encoding > 0 && counts.content_length > 0)
    return "Transfer-Encoding with Content-Length";

  return NULL;
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  LanyardLoopback *self = LANYARD_LOOPBACK (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *problem;

  if (soup_server_message_get_status (msg) != 0)
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      return;
    }

  problem = framing_problem (headers);
  if (problem != NULL)
    {
      g_debug ("Refusing a request with %s", problem);
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      lanyard_loopback_page_respond (msg, SOUP_STATUS_BAD_REQUEST, _("Bad request"),
                                     _("This request is ambiguous."));
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) self->max_body_bytes)
    reject_body (msg);
}

/* Chunked bodies announce no length: count as they come. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  LanyardLoopback *self = LANYARD_LOOPBACK (user_data);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length > (goffset) self->max_body_bytes)
    reject_body (msg);
}

/* The whole request is in: its connection is no longer one to evict. */
static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  LanyardLoopback *self = LANYARD_LOOPBACK (user_data);

  if (self->listener != NULL)
    lanyard_loopback_listener_mark_read (self->listener, msg);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  /* Even libsoup's own answers (400 for garbage…) close the connection and
   * carry the same headers. */
  lanyard_loopback_page_add_headers (msg);

  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers_cb), user_data, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (got_chunk_cb), user_data, 0);
}

/* ------------------------------------------------------------------------ */
/* Setup                                                                    */
/* ------------------------------------------------------------------------ */

static gboolean
is_valid_path (const char *path)
{
  /* What a browser sends back unchanged: RFC 3986 pchar without
   * percent-encoding, and no dot segments it would normalise away. */
  static const char allowed[] = "-._~!$&'()*+,;=:@/";

  if (path == NULL || path[0] != '/')
    return FALSE;

  for (const char *p = path; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (allowed, *p) == NULL)
      return FALSE;

  return strstr (path, "/./") == NULL && strstr (path, "/../") == NULL &&
         !g_str_has_suffix (path, "/.") && !g_str_has_suffix (path, "/..");
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */
/* ------------------------------------------------------------------------ */

static void
lanyard_loopback_dispose (GObject *object)
{
  LanyardLoopback *self = LANYARD_LOOPBACK (object);

  /* Only reachable through g_object_run_dispose(): a pending wait holds a
   * reference. */
  if (self->task != NULL)
    lanyard_loopback_complete (self, NULL,
                               g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                                                    _("The loopback listener was disposed")),
                               FALSE);

  lanyard_loopback_close (self);

  /* Connections still in flight (the answered one being written) outlive
   * us and it: the listener disowns them. */
  g_clear_weak_pointer (&self->held_conn);
  g_clear_object (&self->listener);

  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_remove_handler (self->server, "/");
      g_clear_object (&self->server);
    }

  G_OBJECT_CLASS (lanyard_loopback_parent_class)->dispose (object);
}

static void
lanyard_loopback_finalize (GObject *object)
{
  LanyardLoopback *self = LANYARD_LOOPBACK (object);

  g_free (self->redirect_uri);
  g_free (self->redirect_host);
  g_free (self->path);

  G_OBJECT_CLASS (lanyard_loopback_parent_class)->finalize (object);
}

static void
lanyard_loopback_class_init (LanyardLoopbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lanyard_loopback_dispose;
  object_class->finalize = lanyard_loopback_finalize;
}

static void
lanyard_loopback_init (LanyardLoopback *self)
{
  self->timeout_seconds = LANYARD_LOOPBACK_DEFAULT_TIMEOUT_SECONDS;
  self->max_body_bytes = LANYARD_LOOPBACK_MAX_BODY_BYTES;

  self->server = soup_server_new ("raw-paths", TRUE, NULL);
  soup_server_add_handler (self->server, "/", server_callback, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->server, "request-read", G_CALLBACK (request_read_cb), self);
}

/* ------------------------------------------------------------------------ */
/* API                                                                      */
/* ------------------------------------------------------------------------ */

LanyardLoopback *
lanyard_loopback_new (const char  *redirect_host,
                      guint16      port,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(LanyardLoopback) self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_strcmp0 (redirect_host, "localhost") != 0 &&
      g_strcmp0 (redirect_host, "127.0.0.1") != 0)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                   _("The redirect host must be “localhost” or “127.0.0.1”, not “%s”"),
                   redirect_host ? redirect_host : "");
      return NULL;
    }

  if (!is_valid_path (path))
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("The redirect path must start with “/” and hold only plain URL "
                           "path characters (no “?”, “#”, “%” or dot segments)"));
      return NULL;
    }

  self = g_object_new (LANYARD_TYPE_LOOPBACK, NULL);
  self->redirect_host = g_strdup (redirect_host);
  self->path = g_strdup (path);

  /* A browser may resolve "localhost" to ::1: nobody else may hold it. */
  self->listener = lanyard_loopback_listener_new (self->server, port,
                                                  g_str_equal (redirect_host, "localhost"),
                                                  self->max_body_bytes * DRAIN_FACTOR, error);
  if (self->listener == NULL)
    return NULL;
  self->port = lanyard_loopback_listener_get_port (self->listener);

  self->redirect_uri = g_strdup_printf ("http://%s:%u%s", redirect_host, self->port, path);

  return g_steal_pointer (&self);
}

const char *
lanyard_loopback_get_redirect_uri (LanyardLoopback *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK (self), NULL);

  return self->redirect_uri;
}

guint16
lanyard_loopback_get_port (LanyardLoopback *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK (self), 0);

  return self->port;
}

void
lanyard_loopback_set_timeout (LanyardLoopback *self,
                              guint            seconds)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK (self));
  g_return_if_fail (seconds > 0);

  self->timeout_seconds = seconds;

  /* A running wait starts over with the new limit. */
  if (self->task != NULL)
    lanyard_loopback_arm_timeout (self);
}

void
lanyard_loopback_wait_async (LanyardLoopback     *self,
                             const char          *expected_state,
                             const char          *expected_issuer,
                             gboolean             iss_required,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LANYARD_IS_LOOPBACK (self));
  g_return_if_fail (expected_state != NULL && *expected_state != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->wait_started);

  self->wait_started = TRUE;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_loopback_wait_async);
  /* Our own LANYARD_ERROR_CANCELLED, and a code taken just before a late
   * cancellation is still returned: the caller decides. */
  g_task_set_check_cancellable (task, FALSE);

  if (!lanyard_loopback_is_listening (self))
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_FAILED,
                               _("The loopback listener is closed"));
      return;
    }

  self->task = g_object_ref (task);
  self->expected_state = g_strdup (expected_state);
  self->expected_issuer = g_strdup (expected_issuer);
  self->iss_required = !!iss_required;

  lanyard_loopback_arm_timeout (self);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_task_attach_source (task, self->cancel_source, G_SOURCE_FUNC (cancelled_cb));
    }
}

char *
lanyard_loopback_wait_finish (LanyardLoopback  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_loopback_wait_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
finish_page_with_task (LanyardLoopback *self,
                       gboolean         success,
                       const char      *title,
                       const char      *message,
                       GTask           *task)
{
  g_autoptr(SoupServerMessage) msg = NULL;

  /* Nothing can arrive once we stop listening: end a wait still running. */
  if (self->task != NULL)
    lanyard_loopback_complete (self, NULL,
                               g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                                                    _("The loopback listener was closed")),
                               TRUE);

  msg = g_steal_pointer (&self->held_msg);
  if (msg != NULL)
    {
      Flush *flush = g_new0 (Flush, 1);
      guint status = success ? SOUP_STATUS_OK : SOUP_STATUS_BAD_REQUEST;

      g_debug ("Answering the held request: %u", status);
      lanyard_loopback_page_respond (msg, status, title, message);

      flush->server = g_object_ref (self->server);
      flush->msg = g_object_ref (msg);
      flush->task = task;   /* owned; released once the answer is out */
      flush->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (flush_finished_cb), flush);
      /* The connection's own deadline cuts a client that will not read;
       * this one only makes sure the server goes in the end. */
      flush->timeout_id = g_timeout_add (lanyard_loopback_listener_get_idle_timeout_ms (self->listener) + 1000,
                                         flush_timeout_cb, flush);

      if (self->held_conn != NULL)
        lanyard_loopback_conn_arm_deadline (self->held_conn);
      g_clear_weak_pointer (&self->held_conn);

      soup_server_message_unpause (msg);
    }
  else if (task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }

  lanyard_loopback_stop_listening (self);
}

void
lanyard_loopback_finish_page (LanyardLoopback *self,
                              gboolean         success,
                              const char      *title,
                              const char      *message)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK (self));
  g_return_if_fail (title != NULL);

  finish_page_with_task (self, success, title, message, NULL);
}

void
lanyard_loopback_finish_page_async (LanyardLoopback     *self,
                                    gboolean             success,
                                    const char          *title,
                                    const char          *message,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LANYARD_IS_LOOPBACK (self));
  g_return_if_fail (title != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, lanyard_loopback_finish_page_async);

  finish_page_with_task (self, success, title, message, task);
}

gboolean
lanyard_loopback_finish_page_finish (LanyardLoopback  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lanyard_loopback_close (LanyardLoopback *self)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK (self));

  /* A browser tab still waiting gets a page rather than a broken connection;
   * finish_page() also ends a running wait and stops listening. */
  lanyard_loopback_finish_page (self, FALSE, _("Sign-in ended"),
                                _("This sign-in has ended. You can close this tab."));
}

gboolean
lanyard_loopback_is_listening (LanyardLoopback *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK (self), FALSE);

  return self->listener != NULL && lanyard_loopback_listener_is_listening (self->listener);
}

/* ------------------------------------------------------------------------ */
/* Test-only (lanyard-loopback-private.h)                                   */
/* ------------------------------------------------------------------------ */

void
lanyard_loopback_set_limits (LanyardLoopback *self,
                             guint            max_connections,
                             guint            idle_timeout_ms,
                             gsize            max_header_bytes,
                             gsize            max_body_bytes)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK (self));

  if (max_body_bytes > 0)
    self->max_body_bytes = max_body_bytes;

  lanyard_loopback_listener_set_limits (self->listener, max_connections, idle_timeout_ms,
                                        max_header_bytes, max_body_bytes * DRAIN_FACTOR);
}

guint
lanyard_loopback_get_n_connections (LanyardLoopback *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK (self), 0);

  return lanyard_loopback_listener_get_n_connections (self->listener);
}

GPtrArray *
lanyard_loopback_get_listen_sockets (LanyardLoopback *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK (self), NULL);

  return lanyard_loopback_listener_get_sockets (self->listener);
}
