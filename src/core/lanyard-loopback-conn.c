/* lanyard-loopback-conn.c — one connection to the loopback listener
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * SoupServer reads requests with a header limit of its own choosing
 * (64–100 KiB) and no deadline. This stream sits between libsoup and the
 * socket and counts: it never reads past the header budget before the
 * blank line that ends the headers, nor past the drain budget after it.
 * Every response says "Connection: close", so each connection carries
 * exactly one request and those budgets are per request.
 */
#define G_LOG_DOMAIN "lanyard-loopback"

#include "config.h"

#include <string.h>

#include "lanyard-i18n-private.h"
#include "lanyard-loopback-conn.h"

struct _LanyardLoopbackConn
{
  GFilterInputStream           parent_instance;

  GSocketConnection           *connection;
  GSocketAddress              *remote;
  guint                        deadline_id;
  guint                        idle_timeout_ms;

  LanyardLoopbackConnReleased  released_func;
  gpointer                     released_data;

  guint                        released : 1;
  guint                        dropped : 1;
  guint                        in_body : 1;
  guint                        seen_line : 1;
  guint                        bad_length : 1;

  gsize                        header_budget;
  gsize                        header_left;
  gsize                        body_left;
  gsize                        line_len;
  guint8                       last_byte;
  char                         line_start[48];
};

static void lanyard_loopback_conn_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanyardLoopbackConn, lanyard_loopback_conn, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      lanyard_loopback_conn_pollable_iface_init))

static GPollableInputStream *
conn_base (LanyardLoopbackConn *conn)
{
  return G_POLLABLE_INPUT_STREAM (g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (conn)));
}

static gboolean
conn_deadline_cb (gpointer user_data)
{
  LanyardLoopbackConn *conn = user_data;

  conn->deadline_id = 0;
  g_debug ("Dropping a connection idle for %u ms", conn->idle_timeout_ms);
  lanyard_loopback_conn_drop (conn);

  return G_SOURCE_REMOVE;
}

/* libsoup has closed the stream (or dropped its last reference): close the
 * socket and tell the owner. */
static void
conn_release (LanyardLoopbackConn *conn)
{
  LanyardLoopbackConnReleased func = conn->released_func;

  if (conn->released)
    return;
  conn->released = TRUE;

  g_clear_handle_id (&conn->deadline_id, g_source_remove);
  conn->released_func = NULL;
  if (func != NULL)
    func (conn, conn->released_data);

  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
}

/* The next read fails without touching the socket. */
static gboolean
conn_exhausted (LanyardLoopbackConn *conn)
{
  return conn->bad_length || (conn->in_body ? conn->body_left : conn->header_left) == 0;
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
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Invalid Content-Length"));
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
                           _("Invalid Content-Length"));
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

  n = g_input_stream_read (G_INPUT_STREAM (conn_base (conn)), buffer, count, cancellable, error);
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
  return g_pollable_input_stream_can_poll (conn_base (LANYARD_LOOPBACK_CONN (stream)));
}

static gboolean
lanyard_loopback_conn_is_readable (GPollableInputStream *stream)
{
  LanyardLoopbackConn *conn = LANYARD_LOOPBACK_CONN (stream);

  /* An over-budget read fails at once: no need to wait for the peer. */
  return conn_exhausted (conn) || g_pollable_input_stream_is_readable (conn_base (conn));
}

/* libsoup (SoupFilterInputStream, SoupBodyInputStream,
 * soup_message_io_data_get_source()) gives what this returns a dummy
 * callback and adds it as a child source. In GLib 2.74 a second dummy
 * callback on the same source invalidates the first closure, which
 * destroys the source, and adding a destroyed child is a critical. So the
 * source returned is always new and carries no callback; the only one its
 * child ever gets is set here, by g_pollable_source_new_full(). */
static GSource *
lanyard_loopback_conn_create_source (GPollableInputStream *stream,
                                     GCancellable         *cancellable)
{
  LanyardLoopbackConn *conn = LANYARD_LOOPBACK_CONN (stream);
  g_autoptr(GSource) child = NULL;

  /* An over-budget read fails at once; the socket may never become
   * readable again if the peer just waits. */
  if (conn_exhausted (conn))
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (conn_base (conn), NULL);

  return g_pollable_source_new_full (stream, child, cancellable);
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

  n = g_pollable_input_stream_read_nonblocking (conn_base (conn), buffer, count, NULL, error);
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

LanyardLoopbackConn *
lanyard_loopback_conn_new (GSocketConnection           *connection,
                           GSocketAddress              *remote,
                           gsize                        max_header_bytes,
                           gsize                        max_drain_bytes,
                           guint                        idle_timeout_ms,
                           LanyardLoopbackConnReleased  released,
                           gpointer                     user_data)
{
  LanyardLoopbackConn *conn;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (remote), NULL);
  g_return_val_if_fail (max_header_bytes > 0 && idle_timeout_ms > 0, NULL);

  conn = g_object_new (LANYARD_TYPE_LOOPBACK_CONN,
                       "base-stream", g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                       "close-base-stream", FALSE,
                       NULL);
  conn->connection = g_object_ref (connection);
  conn->remote = g_object_ref (remote);
  conn->header_budget = max_header_bytes;
  conn->header_left = max_header_bytes;
  conn->body_left = max_drain_bytes;
  conn->idle_timeout_ms = idle_timeout_ms;
  conn->released_func = released;
  conn->released_data = user_data;

  lanyard_loopback_conn_arm_deadline (conn);

  return conn;
}

void
lanyard_loopback_conn_disown (LanyardLoopbackConn *conn)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK_CONN (conn));

  conn->released_func = NULL;
  conn->released_data = NULL;
}

GSocketAddress *
lanyard_loopback_conn_get_remote (LanyardLoopbackConn *conn)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK_CONN (conn), NULL);

  return conn->remote;
}

gboolean
lanyard_loopback_conn_has_input (LanyardLoopbackConn *conn)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK_CONN (conn), FALSE);

  return conn->header_left < conn->header_budget;
}

void
lanyard_loopback_conn_arm_deadline (LanyardLoopbackConn *conn)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK_CONN (conn));

  g_clear_handle_id (&conn->deadline_id, g_source_remove);
  if (!conn->released && !conn->dropped)
    conn->deadline_id = g_timeout_add (conn->idle_timeout_ms, conn_deadline_cb, conn);
}

void
lanyard_loopback_conn_disarm_deadline (LanyardLoopbackConn *conn)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK_CONN (conn));

  g_clear_handle_id (&conn->deadline_id, g_source_remove);
}

void
lanyard_loopback_conn_drop (LanyardLoopbackConn *conn)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK_CONN (conn));

  g_clear_handle_id (&conn->deadline_id, g_source_remove);
  if (conn->dropped || conn->released)
    return;
  conn->dropped = TRUE;

  g_socket_shutdown (g_socket_connection_get_socket (conn->connection), TRUE, TRUE, NULL);
}

gboolean
lanyard_loopback_conn_is_dropped (LanyardLoopbackConn *conn)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK_CONN (conn), TRUE);

  return conn->dropped || conn->released;
}
