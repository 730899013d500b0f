/* lanyard-loopback-listener.c — the loopback sockets and the connections on them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Any local process can connect, so the sockets are ours rather than
 * SoupServer's (which has no connection cap and no idle timeout): a
 * GSocketService on 127.0.0.1 and ::1 counts and times connections, makes
 * room at the cap by evicting the oldest one that has not delivered a
 * request, and hands each to the SoupServer behind a LanyardLoopbackConn
 * input stream that enforces the size limits (lanyard-loopback-conn.c).
 */
#define G_LOG_DOMAIN "lanyard-loopback"

#include "config.h"

#include "lanyard-error.h"
#include "lanyard-i18n-private.h"
#include "lanyard-loopback-conn.h"
#include "lanyard-loopback-listener.h"
#include "lanyard-loopback-private.h"

#define LISTEN_BACKLOG 32
#define BIND_ATTEMPTS  10

/* Our books on one accepted connection. */
typedef struct {
  LanyardLoopbackConn *conn;        /* unowned: libsoup owns it */
  guint                held : 1;    /* answered later by finish_page() */
  guint                complete : 1; /* its request has been read */
} Peer;

struct _LanyardLoopbackListener
{
  GObject         parent_instance;

  SoupServer     *server;       /* serves the connections */
  guint16         port;

  guint           max_connections;
  guint           idle_timeout_ms;
  gsize           max_header_bytes;
  gsize           max_drain_bytes;

  GSocketService *service;
  GPtrArray      *sockets;
  GQueue          peers;        /* Peer, oldest first */

  guint           listening : 1;
};

G_DEFINE_FINAL_TYPE (LanyardLoopbackListener, lanyard_loopback_listener, G_TYPE_OBJECT)

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
static Peer *
find_peer (LanyardLoopbackListener *self,
                            SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  if (remote == NULL)
    return NULL;

  for (GList *l = self->peers.head; l != NULL; l = l->next)
    {
      Peer *peer = l->data;

      if (!lanyard_loopback_conn_is_dropped (peer->conn) &&
          socket_address_equal (lanyard_loopback_conn_get_remote (peer->conn), remote))
        return peer;
    }

  return NULL;
}

static void
peer_released_cb (LanyardLoopbackConn *conn,
                  gpointer             user_data)
{
  LanyardLoopbackListener *self = LANYARD_LOOPBACK_LISTENER (user_data);

  for (GList *l = self->peers.head; l != NULL; l = l->next)
    {
      Peer *peer = l->data;

      if (peer->conn == conn)
        {
          g_queue_delete_link (&self->peers, l);
          g_free (peer);
          return;
        }
    }
}

/* Connections that count against the cap: dropped ones are on their way out. */
static guint
count_live (LanyardLoopbackListener *self)
{
  guint n = 0;

  for (GList *l = self->peers.head; l != NULL; l = l->next)
    if (!lanyard_loopback_conn_is_dropped (((Peer *) l->data)->conn))
      n++;

  return n;
}

/* Who makes room for a new connection: never the held one, nor one whose
 * request was read (it is being answered). The oldest that has sent
 * nothing goes first, so that a real browser in the middle of its request
 * outlives a flood of silent sockets; then the oldest of the rest. */
static Peer *
pick_victim (LanyardLoopbackListener *self)
{
  Peer *fallback = NULL;

  for (GList *l = self->peers.head; l != NULL; l = l->next)
    {
      Peer *peer = l->data;

      if (peer->held || peer->complete || lanyard_loopback_conn_is_dropped (peer->conn))
        continue;
      if (!lanyard_loopback_conn_has_input (peer->conn))
        return peer;
      if (fallback == NULL)
        fallback = peer;
    }

  return fallback;
}

static void
drop_connections (LanyardLoopbackListener *self)
{
  for (GList *l = self->peers.head; l != NULL; l = l->next)
    {
      Peer *peer = l->data;

      if (!peer->held)
        lanyard_loopback_conn_drop (peer->conn);
    }
}

void
lanyard_loopback_listener_stop (LanyardLoopbackListener *self)
{
  if (self->listening)
    {
      g_debug ("Closing port %u", self->port);
      self->listening = FALSE;
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_ptr_array_set_size (self->sockets, 0);
    }

  drop_connections (self);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  LanyardLoopbackListener *self = LANYARD_LOOPBACK_LISTENER (user_data);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(LanyardLoopbackConn) conn = NULL;
  g_autoptr(GIOStream) stream = NULL;
  Peer *peer;
  g_autoptr(GError) error = NULL;

  if (!self->listening)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  /* Refusing the newcomer would let a local process that holds the
   * connections open keep the browser out until the idle deadline. */
  if (count_live (self) >= self->max_connections)
    {
      Peer *victim = pick_victim (self);

      if (victim == NULL)
        {
          g_debug ("%u connections busy; closing a new one", self->max_connections);
          g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
          return TRUE;
        }

      g_debug ("%u connections open; dropping the oldest unfinished one", self->max_connections);
      lanyard_loopback_conn_drop (victim->conn);
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

  conn = lanyard_loopback_conn_new (connection, remote, self->max_header_bytes,
                                    self->max_drain_bytes, self->idle_timeout_ms,
                                    peer_released_cb, self);
  peer = g_new0 (Peer, 1);
  peer->conn = conn;
  g_queue_push_tail (&self->peers, peer);

  stream = g_simple_io_stream_new (G_INPUT_STREAM (conn),
                                   g_io_stream_get_output_stream (G_IO_STREAM (connection)));

  if (!soup_server_accept_iostream (self->server, stream, local, remote, &error))
    {
      g_debug ("Could not serve a connection: %s", error->message);
      g_io_stream_close (stream, NULL, NULL);
    }

  return TRUE;
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
listen_on (LanyardLoopbackListener  *self,
           guint16                   port,
           gboolean                  need_ipv6,
           GError                  **error)
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

          g_set_error (error, LANYARD_ERROR, code, _("Cannot listen on 127.0.0.1 port %u: %s"),
                       port, local_error->message);
          return FALSE;
        }

      bound = g_socket_get_local_address (socket4, &local_error);
      if (bound == NULL)
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_FAILED,
                       _("Cannot listen on 127.0.0.1: %s"), local_error->message);
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
      if (need_ipv6)
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                       _("Port %u is taken on ::1 by another program"), self->port);
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
                       _("Cannot listen on port %u: %s"), self->port, local_error->message);
          return FALSE;
        }
    }

  g_socket_service_start (self->service);
  self->listening = TRUE;

  g_debug ("Listening on port %u (%s)", self->port,
           self->sockets->len > 1 ? "127.0.0.1 and ::1" : "127.0.0.1 only");

  return TRUE;
}

static void
lanyard_loopback_listener_dispose (GObject *object)
{
  LanyardLoopbackListener *self = LANYARD_LOOPBACK_LISTENER (object);

  lanyard_loopback_listener_stop (self);

  /* Connections still in flight (the answered one being written) outlive
   * us; they must not call back. */
  while (!g_queue_is_empty (&self->peers))
    {
      Peer *peer = g_queue_pop_head (&self->peers);

      lanyard_loopback_conn_disown (peer->conn);
      g_free (peer);
    }

  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
    }
  g_clear_object (&self->server);

  G_OBJECT_CLASS (lanyard_loopback_listener_parent_class)->dispose (object);
}

static void
lanyard_loopback_listener_finalize (GObject *object)
{
  LanyardLoopbackListener *self = LANYARD_LOOPBACK_LISTENER (object);

  g_clear_pointer (&self->sockets, g_ptr_array_unref);

  G_OBJECT_CLASS (lanyard_loopback_listener_parent_class)->finalize (object);
}

static void
lanyard_loopback_listener_class_init (LanyardLoopbackListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lanyard_loopback_listener_dispose;
  object_class->finalize = lanyard_loopback_listener_finalize;
}

static void
lanyard_loopback_listener_init (LanyardLoopbackListener *self)
{
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
}

LanyardLoopbackListener *
lanyard_loopback_listener_new (SoupServer  *server,
                               guint16      port,
                               gboolean     need_ipv6,
                               gsize        max_drain_bytes,
                               GError     **error)
{
  g_autoptr(LanyardLoopbackListener) self = NULL;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LANYARD_TYPE_LOOPBACK_LISTENER, NULL);
  self->server = g_object_ref (server);
  self->max_connections = LANYARD_LOOPBACK_MAX_CONNECTIONS;
  self->idle_timeout_ms = LANYARD_LOOPBACK_IDLE_TIMEOUT_MS;
  self->max_header_bytes = LANYARD_LOOPBACK_MAX_HEADER_BYTES;
  self->max_drain_bytes = max_drain_bytes;

  if (!listen_on (self, port, need_ipv6, error))
    return NULL;

  return g_steal_pointer (&self);
}

guint16
lanyard_loopback_listener_get_port (LanyardLoopbackListener *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK_LISTENER (self), 0);

  return self->port;
}

gboolean
lanyard_loopback_listener_is_listening (LanyardLoopbackListener *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK_LISTENER (self), FALSE);

  return self->listening;
}

guint
lanyard_loopback_listener_get_idle_timeout_ms (LanyardLoopbackListener *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK_LISTENER (self), 0);

  return self->idle_timeout_ms;
}

void
lanyard_loopback_listener_set_limits (LanyardLoopbackListener *self,
                                      guint                    max_connections,
                                      guint                    idle_timeout_ms,
                                      gsize                    max_header_bytes,
                                      gsize                    max_drain_bytes)
{
  g_return_if_fail (LANYARD_IS_LOOPBACK_LISTENER (self));

  if (max_connections > 0)
    self->max_connections = max_connections;
  if (idle_timeout_ms > 0)
    self->idle_timeout_ms = idle_timeout_ms;
  if (max_header_bytes > 0)
    self->max_header_bytes = max_header_bytes;
  if (max_drain_bytes > 0)
    self->max_drain_bytes = max_drain_bytes;
}

LanyardLoopbackConn *
lanyard_loopback_listener_hold (LanyardLoopbackListener *self,
                                SoupServerMessage       *msg)
{
  Peer *peer;

  g_return_val_if_fail (LANYARD_IS_LOOPBACK_LISTENER (self), NULL);

  peer = find_peer (self, msg);
  if (peer == NULL)
    return NULL;

  peer->held = TRUE;
  lanyard_loopback_conn_disarm_deadline (peer->conn);
  return peer->conn;
}

void
lanyard_loopback_listener_mark_read (LanyardLoopbackListener *self,
                                     SoupServerMessage       *msg)
{
  Peer *peer;

  g_return_if_fail (LANYARD_IS_LOOPBACK_LISTENER (self));

  peer = find_peer (self, msg);
  if (peer != NULL)
    peer->complete = TRUE;
}

guint
lanyard_loopback_listener_get_n_connections (LanyardLoopbackListener *self)
{
  g_return_val_if_fail (LANYARD_IS_LOOPBACK_LISTENER (self), 0);

  return count_live (self);
}

GPtrArray *
lanyard_loopback_listener_get_sockets (LanyardLoopbackListener *self)
{
  GPtrArray *sockets;

  g_return_val_if_fail (LANYARD_IS_LOOPBACK_LISTENER (self), NULL);

  sockets = g_ptr_array_new ();
  for (guint i = 0; i < self->sockets->len; i++)
    g_ptr_array_add (sockets, g_ptr_array_index (self->sockets, i));

  return sockets;
}
