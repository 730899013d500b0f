/* lanyard-loopback.c — the one-shot loopback redirect listener (RFC 8252 §7.3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Any local process can connect to this listener, so it is built to be
 * attacked. SoupServer parses HTTP, but it has no connection cap, no idle
 * timeout and a header limit of its own choosing (64–100 KiB), so the
 * sockets are ours: a GSocketService listens on 127.0.0.1 and ::1, counts
 * and times connections, and hands each one to the SoupServer with
 * soup_server_accept_iostream() behind a LanyardLoopbackConn input stream
 * that counts bytes: it never reads past the header budget before the
 * blank line that ends the headers, nor past a drain budget after it.
 * Every response says "Connection: close", so each connection carries
 * exactly one request and those budgets are per request.
 */
#define G_LOG_DOMAIN "lanyard-loopback"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "lanyard-error.h"
#include "lanyard-loopback.h"
#include "lanyard-loopback-page.h"
#include "lanyard-loopback-private.h"
#include "lanyard-pkce.h"

#define LISTEN_BACKLOG        32
#define BIND_ATTEMPTS         10
#define MAX_PARAMETERS        64
#define MAX_ERROR_CHARS       100
#define MAX_DESCRIPTION_CHARS 400
#define MAX_LOGGED_PATH_CHARS 64

/* After the headers, an oversized body is read and thrown away (so that the
 * client sees the 413) up to this many times the body limit; beyond that
 * the connection is simply dropped. */
#define DRAIN_FACTOR 4

/* ------------------------------------------------------------------------ */
/* One accepted connection                                                  */
/* ------------------------------------------------------------------------ */

#define LANYARD_TYPE_LOOPBACK_CONN (lanyard_loopback_conn_get_type ())
G_DECLARE_FINAL_TYPE (LanyardLoopbackConn, lanyard_loopback_conn, LANYARD, LOOPBACK_CONN, GFilterInputStream)

struct _LanyardLoopbackConn
{
  GFilterInputStream  parent_instance;

  LanyardLoopback    *owner;        /* unowned; cleared by whichever goes first */
  GSocketConnection  *connection;
  GSocketAddress     *remote;
  guint               deadline_id;
  guint               idle_timeout_ms;

  /* Held: answered later by finish_page(), so never dropped with the rest. */
  guint               held : 1;
  guint               released : 1;
  guint               in_body : 1;
  guint               seen_line : 1;
  guint               bad_length : 1;

  gsize               header_left;
  gsize               body_left;
  gsize               line_len;
  guint8              last_byte;
  char                line_start[48];
};

struct _LanyardLoopback
{
  GObject              parent_instance;

  char                *redirect_uri;
  char                *redirect_host;
  char                *path;
  guint16              port;
  guint                timeout_seconds;

  guint                max_connections;
  guint                idle_timeout_ms;
  gsize                max_header_bytes;
  gsize                max_body_bytes;

  GSocketService      *service;
  GPtrArray           *sockets;
  SoupServer          *server;
  GList               *conns;       /* LanyardLoopbackConn, unowned */

  GTask               *task;
  char                *expected_state;
  char                *expected_issuer;
  GSource             *timeout_source;
  GSource             *cancel_source;

  SoupServerMessage   *held_msg;
  LanyardLoopbackConn *held_conn;   /* weak pointer */

  guint                iss_required : 1;
  guint                wait_started : 1;
  guint                listening : 1;
};

static void lanyard_loopback_conn_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanyardLoopbackConn, lanyard_loopback_conn, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      lanyard_loopback_conn_pollable_iface_init))

G_DEFINE_FINAL_TYPE (LanyardLoopback, lanyard_loopback, G_TYPE_OBJECT)

static GInputStream *
conn_base (LanyardLoopbackConn *conn)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (conn));
}

/* Stops the peer: libsoup, polling the socket, sees the end and lets go. */
static void
conn_drop (LanyardLoopbackConn *conn)
{
  GSocket *socket = g_socket_connection_get_socket (conn->connection);

  g_clear_handle_id (&conn->deadline_id, g_source_remove);
  g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

static gboolean
conn_deadline_cb (gpointer user_data)
{
  LanyardLoopbackConn *conn = user_data;

  conn->deadline_id = 0;
  g_debug ("Dropping a connection idle for %u ms", conn->idle_timeout_ms);
  conn_drop (conn);

  return G_SOURCE_REMOVE;
}

static void
conn_arm_deadline (LanyardLoopbackConn *conn)
{
  g_clear_handle_id (&conn->deadline_id, g_source_remove);
  conn->deadline_id = g_timeout_add (conn->idle_timeout_ms, conn_deadline_cb, conn);
}

/* libsoup has closed the stream (or dropped its last reference): close the
 * socket and leave the owner's books. */
static void
conn_release (LanyardLoopbackConn *conn)
{
  if (conn->released)
    return;
  conn->released = TRUE;

  g_clear_handle_id (&conn->deadline_id, g_source_remove);

  if (conn->owner != NULL)
    {
      conn->owner->conns = g_list_remove (conn->owner->conns, conn);
      conn->owner = NULL;
    }

  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
}

/* Limits @count so that no read crosses the current budget. */
static gboolean
conn_clamp (LanyardLoopbackConn  *conn,
            gsize                *count,
            GError              **error)
{
  gsize left = conn->in_body ? conn->body_left : conn->header_left;

  if (conn->bad_length)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Invalid Content-Length");
      return FALSE;
    }

  if (left == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                           conn->in_body ? "Request body too large" : "Request headers too large");
      return FALSE;
    }

  *count = MIN (*count, left);
  return TRUE;
}

/* libsoup 3.2 hands a Content-Length it parsed as negative to its body
 * stream, which warns (and aborts under G_DEBUG=fatal-warnings): any local
 * process could do that. Only 1 to 18 digits pass. */
static gboolean
is_bad_content_length (const char *line,
                       gsize       len)
{
  static const char name[] = "content-length";
  gsize i = strlen (name);
  guint digits = 0;

  if (len < i || g_ascii_strncasecmp (line, name, i) != 0)
    return FALSE;
  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  if (i == len || line[i] != ':')
    return FALSE;

  /* A Content-Length line longer than our copy of it is bad anyway. */
  if (len > sizeof ((LanyardLoopbackConn *) NULL)->line_start)
    return TRUE;

  for (i++; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
    ;
  for (; i < len && g_ascii_isdigit (line[i]); i++)
    digits++;
  for (; i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++)
    ;

  return i != len || digits == 0 || digits > 18;
}

/* Charges @n bytes just read. The header block ends with the first empty
 * line ("\n" or "\r\n") after a non-empty one; what follows is body. */
static void
conn_account (LanyardLoopbackConn *conn,
              const guint8        *buffer,
              gsize                n)
{
  gsize i = 0;

  while (!conn->in_body && i < n)
    {
      guint8 c = buffer[i++];

      conn->header_left--;

      if (c == '\n')
        {
          gboolean empty = conn->line_len == 0 ||
                           (conn->line_len == 1 && conn->last_byte == '\r');

          if (empty && conn->seen_line)
            conn->in_body = TRUE;
          else if (!empty)
            conn->seen_line = TRUE;

          if (is_bad_content_length (conn->line_start, conn->line_len))
            conn->bad_length = TRUE;
          conn->line_len = 0;
        }
      else
        {
          if (conn->line_len < sizeof conn->line_start)
            conn->line_start[conn->line_len] = c;
          conn->line_len++;
        }

      conn->last_byte = c;
    }

  conn->body_left -= MIN (conn->body_left, n - i);
}

/* After a read: refuses what libsoup must not see. */
static gssize
conn_check (LanyardLoopbackConn  *conn,
            gssize                n,
            GError              **error)
{
  if (n > 0 && conn->bad_length)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Invalid Content-Length");
      return -1;
    }

  return n;
}

static gssize
lanyard_loopback_conn_read (GInputStream  *stream,
                            void          *buffer,
                            gsize          count,
                            GCancellable  *cancellable,
                            GError       **error)
{
  LanyardLoopbackConn *conn = LANYARD_LOOPBACK_CONN (stream);
  gssize n;

  if (!conn_clamp (conn, &count, error))
    return -1;

  n = g_input_stream_read (conn_base (conn), buffer, count, cancellable, error);
  if (n > 0)
    conn_account (conn, buffer, n);

  return conn_check (conn, n, error);
}

static gssize
lanyard_loopback_conn_skip (GInputStream  *stream,
                            gsize          count,
                            GCancellable  *cancellable,
                            GError       **error)
{
  guint8 buffer[4096];

  /* Through read(), so that skipped bytes are charged too. */
  return lanyard_loopback_conn_read (stream, buffer, MIN (count, sizeof buffer), cancellable, error);
}

static gboolean
lanyard_loopback_conn_close (GInputStream  *stream,
                             GCancellable  *cancellable,
                             GError       **error)
{
  conn_release (LANYARD_LOOPBACK_CONN (stream));
  return TRUE;
}

static gboolean
lanyard_loopback_conn_can_poll (GPollableInputStream *stream)
{
  LanyardLoopbackConn *conn = LANYARD_LOOPBACK_CONN (stream);

  return g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (conn_base (conn)));
}

static gboolean
lanyard_loopback_conn_is_readable (GPollableInputStream *stream)
{
  LanyardLoopbackConn *conn = LANYARD_LOOPBACK_CONN (stream);

  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (conn_base (conn)));
}

static GSource *
lanyard_loopback_conn_create_source (GPollableInputStream *stream,
                                     GCancellable         *cancellable)
{
  LanyardLoopbackConn *conn = LANYARD_LOOPBACK_CONN (stream);
  g_autoptr(GSource) base_source = NULL;

  /* g_pollable_source_new_full() gives the child its dummy callback; a
   * second one would destroy it (GLib 2.74). */
  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (conn_base (conn)), NULL);

  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gssize
lanyard_loopback_conn_read_nonblocking (GPollableInputStream  *stream,
                                        void                  *buffer,
                                        gsize                  count,
                                        GError               **error)
{
  LanyardLoopbackConn *conn = LANYARD_LOOPBACK_CONN (stream);
  gssize n;

  if (!conn_clamp (conn, &count, error))
    return -1;

  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (conn_base (conn)),
                                                buffer, count, NULL, error);
  if (n > 0)
    conn_account (conn, buffer, n);

  return conn_check (conn, n, error);
}

static void
lanyard_loopback_conn_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = lanyard_loopback_conn_can_poll;
  iface->is_readable = lanyard_loopback_conn_is_readable;
  iface->create_source = lanyard_loopback_conn_create_source;
  iface->read_nonblocking = lanyard_loopback_conn_read_nonblocking;
}

static void
lanyard_loopback_conn_finalize (GObject *object)
{
  LanyardLoopbackConn *conn = LANYARD_LOOPBACK_CONN (object);

  conn_release (conn);
  g_clear_object (&conn->connection);
  g_clear_object (&conn->remote);

  G_OBJECT_CLASS (lanyard_loopback_conn_parent_class)->finalize (object);
}

static void
lanyard_loopback_conn_class_init (LanyardLoopbackConnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = lanyard_loopback_conn_finalize;

  input_class->read_fn = lanyard_loopback_conn_read;
  input_class->skip = lanyard_loopback_conn_skip;
  input_class->close_fn = lanyard_loopback_conn_close;
}

static void
lanyard_loopback_conn_init (LanyardLoopbackConn *conn)
{
}

static LanyardLoopbackConn *
lanyard_loopback_conn_new (LanyardLoopback   *owner,
                           GSocketConnection *connection,
                           GSocketAddress    *remote)
{
  LanyardLoopbackConn *conn;

  conn = g_object_new (LANYARD_TYPE_LOOPBACK_CONN,
                       "base-stream", g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                       "close-base-stream", FALSE,
                       NULL);
  conn->owner = owner;
  conn->connection = g_object_ref (connection);
  conn->remote = g_object_ref (remote);
  conn->header_left = owner->max_header_bytes;
  conn->body_left = owner->max_body_bytes * DRAIN_FACTOR;
  conn->idle_timeout_ms = owner->idle_timeout_ms;

  owner->conns = g_list_prepend (owner->conns, conn);

  /* A connection gets one deadline for its whole request: a slow one is as
   * bad as an idle one. */
  conn_arm_deadline (conn);

  return conn;
}

/* ------------------------------------------------------------------------ */
/* The listener                                                             */
/* ------------------------------------------------------------------------ */

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

static gboolean
socket_address_equal (GSocketAddress *a,
                      GSocketAddress *b)
{
  GInetSocketAddress *ia, *ib;

  if (a == b)
    return TRUE;
  if (!G_IS_INET_SOCKET_ADDRESS (a) || !G_IS_INET_SOCKET_ADDRESS (b))
    return FALSE;

  ia = G_INET_SOCKET_ADDRESS (a);
  ib = G_INET_SOCKET_ADDRESS (b);

  return g_inet_socket_address_get_port (ia) == g_inet_socket_address_get_port (ib) &&
         g_inet_address_equal (g_inet_socket_address_get_address (ia),
                               g_inet_socket_address_get_address (ib));
}

/* The remote address tells connections apart: all of them end at our port. */
static LanyardLoopbackConn *
lanyard_loopback_find_conn (LanyardLoopback   *self,
                            SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  for (GList *l = self->conns; l != NULL; l = l->next)
    {
      LanyardLoopbackConn *conn = l->data;

      if (remote != NULL && socket_address_equal (conn->remote, remote))
        return conn;
    }

  return NULL;
}

static void
lanyard_loopback_drop_connections (LanyardLoopback *self)
{
  for (GList *l = self->conns; l != NULL; l = l->next)
    {
      LanyardLoopbackConn *conn = l->data;

      if (!conn->held)
        conn_drop (conn);
    }
}

/* Closes the port (new connections are refused) and drops every connection
 * but the held one. */
static void
lanyard_loopback_stop_listening (LanyardLoopback *self)
{
  if (self->listening)
    {
      g_debug ("Closing port %u", self->port);
      self->listening = FALSE;
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_ptr_array_set_size (self->sockets, 0);
    }

  lanyard_loopback_drop_connections (self);
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

  g_debug ("No authorization response within %u s", self->timeout_seconds);
  lanyard_loopback_complete (self, NULL,
                             g_error_new (LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT,
                                          "No sign-in response arrived within %u seconds",
                                          self->timeout_seconds),
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
                                                  "Sign-in cancelled"),
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

/* application/x-www-form-urlencoded (a query or a form_post body) into
 * name → value. NULL when malformed, not UTF-8, or when a parameter comes
 * twice: RFC 6749 §3.1 forbids it, and "which state wins" must never be
 * a question. */
static GHashTable *
parse_form (const char *data,
            gsize       len)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *copy = NULL;
  g_auto(GStrv) pairs = NULL;

  if (memchr (data, '\0', len) != NULL)
    return NULL;

  copy = g_strndup (data, len);
  pairs = g_strsplit (copy, "&", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = pairs[i];
      char *eq;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (*pair == '\0')
        continue;

      for (char *p = pair; *p != '\0'; p++)
        if (*p == '+')
          *p = ' ';

      eq = strchr (pair, '=');
      if (eq != NULL)
        *eq = '\0';

      name = g_uri_unescape_string (pair, NULL);
      value = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
      if (name == NULL || value == NULL || *name == '\0' ||
          !g_utf8_validate (name, -1, NULL) || !g_utf8_validate (value, -1, NULL))
        return NULL;

      if (g_hash_table_contains (params, name) ||
          g_hash_table_size (params) >= MAX_PARAMETERS)
        return NULL;

      g_hash_table_insert (params, g_steal_pointer (&name), g_steal_pointer (&value));
    }

  return g_steal_pointer (&params);
}

/* Provider text for messages and logs: valid UTF-8, no control
 * characters, bounded. */
static char *
clean_provider_text (const char *text,
                     guint       max_chars)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  guint n = 0;

  for (const char *p = text; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (clean, ' ');
      else
        g_string_append_unichar (clean, c);
    }
  if (n == max_chars && g_utf8_strlen (text, -1) > max_chars)
    g_string_append (clean, "…");

  return g_string_free (g_steal_pointer (&clean), FALSE);
}

/* RFC 6749 §A.11: code = 1*VSCHAR. */
static gboolean
is_valid_code (const char *code)
{
  if (*code == '\0')
    return FALSE;

  for (const char *p = code; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      return FALSE;

  return TRUE;
}

/* DNS rebinding: a web page that makes the browser talk to our port sends
 * its own host name. The real redirect names one of ours. */
static gboolean
lanyard_loopback_host_is_ours (LanyardLoopback *self,
                               GUri            *uri)
{
  const char *host = g_uri_get_host (uri);
  int port = g_uri_get_port (uri);

  if (host == NULL)
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
  LanyardLoopbackConn *conn = lanyard_loopback_find_conn (self, msg);

  soup_server_message_pause (msg);
  g_set_object (&self->held_msg, msg);

  if (conn != NULL)
    {
      conn->held = TRUE;
      g_clear_handle_id (&conn->deadline_id, g_source_remove);
      g_set_weak_pointer (&self->held_conn, conn);
    }

  lanyard_loopback_complete (self, code, error, TRUE);
}

/* Handles a request for the redirect path; returns the status answered,
 * or 0 when the request is held. */
static guint
lanyard_loopback_handle_response (LanyardLoopback   *self,
                                  SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GHashTable) params = NULL;
  const char *state, *iss, *error, *code;

  if (strcmp (method, "GET") == 0)
    {
      const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

      if (query != NULL)
        params = parse_form (query, strlen (query));
    }
  else
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      const char *content_type = soup_message_headers_get_content_type (headers, NULL);
      g_autoptr(GBytes) body = NULL;
      gconstpointer data;
      gsize len;

      if (content_type == NULL ||
          g_ascii_strcasecmp (content_type, "application/x-www-form-urlencoded") != 0)
        {
          lanyard_loopback_page_respond (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                         "Unsupported request",
                                         "A sign-in response is a form (application/x-www-form-urlencoded).");
          return SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
        }

      body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      data = g_bytes_get_data (body, &len);
      params = parse_form (len > 0 ? data : "", len);
    }

  if (params == NULL)
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_BAD_REQUEST, "Bad request",
                                     "This is not a valid sign-in response.");
      return SOUP_STATUS_BAD_REQUEST;
    }

  state = g_hash_table_lookup (params, "state");
  if (state == NULL || !lanyard_secure_str_equal (state, self->expected_state))
    {
      /* A stray or forged request: answer it and keep waiting. */
      lanyard_loopback_page_respond (msg, SOUP_STATUS_BAD_REQUEST, "Wrong sign-in response",
                                     "This sign-in response is not for this request");
      return SOUP_STATUS_BAD_REQUEST;
    }

  /* From here on the request carries our state, so it came through the
   * user's browser from the provider's redirect. RFC 9207: a wrong issuer
   * means a mix-up attack is under way, and the flow ends. */
  iss = g_hash_table_lookup (params, "iss");
  if (self->expected_issuer != NULL)
    {
      if (iss != NULL && strcmp (iss, self->expected_issuer) != 0)
        {
          lanyard_loopback_take (self, msg, NULL,
                                 g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                                                      "issuer mismatch (RFC 9207): the authorization response names another issuer"));
          return 0;
        }
      if (iss == NULL && self->iss_required)
        {
          lanyard_loopback_take (self, msg, NULL,
                                 g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                                                      "issuer missing (RFC 9207): the provider promises an “iss” in its authorization responses and this one has none"));
          return 0;
        }
    }

  error = g_hash_table_lookup (params, "error");
  if (error != NULL)
    {
      const char *description = g_hash_table_lookup (params, "error_description");
      g_autofree char *clean_error = clean_provider_text (error, MAX_ERROR_CHARS);
      g_autofree char *clean_description = NULL;

      if (description != NULL && *description != '\0')
        clean_description = clean_provider_text (description, MAX_DESCRIPTION_CHARS);

      lanyard_loopback_take (self, msg, NULL,
                             g_error_new (LANYARD_ERROR, LANYARD_ERROR_PROVIDER, "%s%s%s",
                                          clean_error,
                                          clean_description ? ": " : "",
                                          clean_description ? clean_description : ""));
      return 0;
    }

  code = g_hash_table_lookup (params, "code");
  if (code == NULL || !is_valid_code (code))
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_BAD_REQUEST, "Bad request",
                                     "This sign-in response carries no authorization code.");
      return SOUP_STATUS_BAD_REQUEST;
    }

  lanyard_loopback_take (self, msg, g_strdup (code), NULL);
  return 0;
}

static guint
lanyard_loopback_handle (LanyardLoopback   *self,
                         SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  if (!lanyard_loopback_host_is_ours (self, uri))
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_BAD_REQUEST, "Bad request",
                                     "This address is not for you.");
      return SOUP_STATUS_BAD_REQUEST;
    }

  if (g_strcmp0 (g_uri_get_path (uri), self->path) != 0)
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_NOT_FOUND, "Not found",
                                     "There is nothing here.");
      return SOUP_STATUS_NOT_FOUND;
    }

  if (strcmp (method, "GET") != 0 && strcmp (method, "POST") != 0)
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed",
                                     "A sign-in response is a GET or a POST.");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, POST");
      return SOUP_STATUS_METHOD_NOT_ALLOWED;
    }

  if (self->task == NULL)
    {
      lanyard_loopback_page_respond (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Not waiting",
                                     "Lanyard is not waiting for a sign-in right now.");
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
                                   "Request too large", "This request is too large.");
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  LanyardLoopback *self = LANYARD_LOOPBACK (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_server_message_get_status (msg) != 0)
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
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

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  LanyardLoopback *self = LANYARD_LOOPBACK (user_data);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(LanyardLoopbackConn) conn = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->listening)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  if (g_list_length (self->conns) >= self->max_connections)
    {
      g_debug ("%u connections open already; closing a new one", self->max_connections);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  local = g_socket_connection_get_local_address (connection, &error);
  if (local != NULL)
    remote = g_socket_connection_get_remote_address (connection, &error);
  if (remote == NULL)
    {
      g_debug ("Closing a connection without addresses: %s", error->message);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  conn = lanyard_loopback_conn_new (self, connection, remote);
  stream = g_simple_io_stream_new (G_INPUT_STREAM (conn),
                                   g_io_stream_get_output_stream (G_IO_STREAM (connection)));

  if (!soup_server_accept_iostream (self->server, stream, local, remote, &error))
    {
      g_debug ("Could not serve a connection: %s", error->message);
      g_io_stream_close (stream, NULL, NULL);
    }

  return TRUE;
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

static GSocket *
bind_loopback (GSocketFamily   family,
               guint16         port,
               GError        **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_loopback (family);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, port);
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;

  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);

  /* allow_reuse only sets SO_REUSEADDR for TCP (a fixed port can be bound
   * again while old connections sit in TIME_WAIT); never SO_REUSEPORT, which
   * would let another process share the port. */
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error))
    return NULL;

  return g_steal_pointer (&socket);
}

static gboolean
lanyard_loopback_listen (LanyardLoopback  *self,
                         guint16           port,
                         GError          **error)
{
  g_autoptr(GSocket) socket4 = NULL;
  g_autoptr(GSocket) socket6 = NULL;

  for (guint attempt = 0; attempt < BIND_ATTEMPTS; attempt++)
    {
      g_autoptr(GSocketAddress) bound = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GError) error6 = NULL;

      g_clear_object (&socket4);
      socket4 = bind_loopback (G_SOCKET_FAMILY_IPV4, port, &local_error);
      if (socket4 == NULL)
        {
          int code = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE)
                     ? LANYARD_ERROR_CONFIGURATION : LANYARD_ERROR_FAILED;

          g_set_error (error, LANYARD_ERROR, code, "Cannot listen on 127.0.0.1 port %u: %s",
                       port, local_error->message);
          return FALSE;
        }

      bound = g_socket_get_local_address (socket4, &local_error);
      if (bound == NULL)
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_FAILED,
                       "Cannot listen on 127.0.0.1: %s", local_error->message);
          return FALSE;
        }
      self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

      socket6 = bind_loopback (G_SOCKET_FAMILY_IPV6, self->port, &error6);
      if (socket6 != NULL)
        break;

      if (!g_error_matches (error6, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          /* No IPv6 loopback here; the browser cannot reach ::1 either. */
          g_debug ("IPv4 only: cannot listen on ::1: %s", error6->message);
          break;
        }

      /* Someone else holds ::1 on this port. With "localhost" a browser
       * that resolves it to ::1 would hand them the code: take another
       * port, or refuse. */
      if (port == 0 && attempt + 1 < BIND_ATTEMPTS)
        continue;
      if (g_str_equal (self->redirect_host, "localhost"))
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                       "Port %u is taken on ::1 by another program", self->port);
          return FALSE;
        }
      break;
    }

  /* Inactive until every socket is in: adding one to an active service
   * cancels its pending accept, and a connection accepted by that cancelled
   * operation is silently dropped (GLib 2.74). */
  self->service = g_object_new (G_TYPE_SOCKET_SERVICE, "active", FALSE, NULL);
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);

  g_ptr_array_add (self->sockets, g_steal_pointer (&socket4));
  if (socket6 != NULL)
    g_ptr_array_add (self->sockets, g_steal_pointer (&socket6));

  for (guint i = 0; i < self->sockets->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!g_socket_listener_add_socket (G_SOCKET_LISTENER (self->service),
                                         g_ptr_array_index (self->sockets, i),
                                         NULL, &local_error))
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_FAILED,
                       "Cannot listen on port %u: %s", self->port, local_error->message);
          return FALSE;
        }
    }

  g_socket_service_start (self->service);
  self->listening = TRUE;

  g_debug ("Listening on port %u (%s)", self->port,
           self->sockets->len > 1 ? "127.0.0.1 and ::1" : "127.0.0.1 only");

  return TRUE;
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
                                                    "The loopback listener was disposed"),
                               FALSE);

  lanyard_loopback_close (self);

  /* Connections still in flight (the answered one being written) outlive
   * us; they must not call back. */
  for (GList *l = self->conns; l != NULL; l = l->next)
    LANYARD_LOOPBACK_CONN (l->data)->owner = NULL;
  g_clear_pointer (&self->conns, g_list_free);
  g_clear_weak_pointer (&self->held_conn);

  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
    }

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
  g_clear_pointer (&self->sockets, g_ptr_array_unref);

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
  self->max_connections = LANYARD_LOOPBACK_MAX_CONNECTIONS;
  self->idle_timeout_ms = LANYARD_LOOPBACK_IDLE_TIMEOUT_MS;
  self->max_header_bytes = LANYARD_LOOPBACK_MAX_HEADER_BYTES;
  self->max_body_bytes = LANYARD_LOOPBACK_MAX_BODY_BYTES;
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);

  self->server = soup_server_new ("raw-paths", TRUE, NULL);
  soup_server_add_handler (self->server, "/", server_callback, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
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
                   "The redirect host must be “localhost” or “127.0.0.1”, not “%s”",
                   redirect_host ? redirect_host : "");
      return NULL;
    }

  if (!is_valid_path (path))
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           "The redirect path must start with “/” and hold only plain URL "
                           "path characters (no “?”, “#”, “%” or dot segments)");
      return NULL;
    }

  self = g_object_new (LANYARD_TYPE_LOOPBACK, NULL);
  self->redirect_host = g_strdup (redirect_host);
  self->path = g_strdup (path);

  if (!lanyard_loopback_listen (self, port, error))
    return NULL;

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

  if (!self->listening)
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_FAILED,
                               "The loopback listener is closed");
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

void
lanyard_loopback_finish_page (LanyardLoopback *self,
                              gboolean         success,
                              const char      *title,
                              const char      *message)
{
  g_autoptr(SoupServerMessage) msg = NULL;

  g_return_if_fail (LANYARD_IS_LOOPBACK (self));
  g_return_if_fail (title != NULL);

  /* Nothing can arrive once we stop listening: end a wait still running. */
  if (self->task != NULL)
    lanyard_loopback_complete (self, NULL,
                               g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                                                    "The loopback listener was closed"),
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
      flush->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (flush_finished_cb), flush);
      /* The connection's own deadline cuts a client that will not read;
       * this one only makes sure the server goes in the end. */
      flush->timeout_id = g_timeout_add (self->idle_timeout_ms + 1000, flush_timeout_cb, flush);

      if (self->held_conn != NULL)
        conn_arm_deadline (self->held_conn);
      g_clear_weak_pointer (&self->held_conn);

      soup_server_message_unpause (msg);
    }

  lanyard_loopback_stop_listening (self);
}

void
lanyard_loopback_close (LanyardLoopback *self)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK (self));

  /* A browser tab still waiting gets a page rather than a broken connection;
   * finish_page() also ends a running wait and stops listening. */
  lanyard_loopback_finish_page (self, FALSE, "Sign-in ended",
                                "This sign-in has ended. You can close this tab.");
}

gboolean
lanyard_loopback_is_listening (LanyardLoopback *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK (self), FALSE);

  return self->listening;
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

  if (max_connections > 0)
    self->max_connections = max_connections;
  if (idle_timeout_ms > 0)
    self->idle_timeout_ms = idle_timeout_ms;
  if (max_header_bytes > 0)
    self->max_header_bytes = max_header_bytes;
  if (max_body_bytes > 0)
    self->max_body_bytes = max_body_bytes;
}

guint
lanyard_loopback_get_n_connections (LanyardLoopback *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK (self), 0);

  return g_list_length (self->conns);
}

GPtrArray *
lanyard_loopback_get_listen_sockets (LanyardLoopback *self)
{
  GPtrArray *sockets;

  g_return_val_if_fail (LANYARD_IS_LOOPBACK (self), NULL);

  sockets = g_ptr_array_new ();
  for (guint i = 0; i < self->sockets->len; i++)
    g_ptr_array_add (sockets, g_ptr_array_index (self->sockets, i));

  return sockets;
}
