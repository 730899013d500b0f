/* lanyard-loopback-listener.h — the loopback sockets and the connections on them (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "lanyard-loopback-conn.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_LOOPBACK_LISTENER (lanyard_loopback_listener_get_type ())
G_DECLARE_FINAL_TYPE (LanyardLoopbackListener, lanyard_loopback_listener, LANYARD, LOOPBACK_LISTENER, GObject)

/* Binds 127.0.0.1 on @port (0 = ephemeral) and ::1 on the same port (never
 * a wildcard address), and serves every connection with @server. With
 * @need_ipv6 (the redirect URI says "localhost", which a browser may
 * resolve to ::1), another program holding ::1 on the port makes it take
 * another port, or fail with LANYARD_ERROR_CONFIGURATION. The limits are
 * the listener's alone (lanyard-loopback-private.h's defaults until
 * lanyard_loopback_listener_set_limits ()): at most LANYARD_LOOPBACK_MAX_CONNECTIONS
 * at once (a new one beyond evicts the oldest that has sent nothing, then
 * the oldest unfinished one; never a held one), LANYARD_LOOPBACK_IDLE_TIMEOUT_MS
 * for a whole request, LANYARD_LOOPBACK_MAX_HEADER_BYTES of headers, and
 * @max_drain_bytes read after them. */
LanyardLoopbackListener *lanyard_loopback_listener_new        (SoupServer               *server,
                                                               guint16                   port,
                                                               gboolean                  need_ipv6,
                                                               gsize                     max_drain_bytes,
                                                               GError                  **error);

guint16                  lanyard_loopback_listener_get_port   (LanyardLoopbackListener  *self);
gboolean                 lanyard_loopback_listener_is_listening (LanyardLoopbackListener *self);

/* How long a connection may take for its request. */
guint                    lanyard_loopback_listener_get_idle_timeout_ms (LanyardLoopbackListener *self);

/* For connections accepted from now on; 0 keeps a value. */
void                     lanyard_loopback_listener_set_limits (LanyardLoopbackListener  *self,
                                                               guint                     max_connections,
                                                               guint                     idle_timeout_ms,
                                                               gsize                     max_header_bytes,
                                                               gsize                     max_drain_bytes);

/* @msg's connection is answered later: never evicted nor dropped by
 * _stop (), its deadline disarmed. Returns it (unowned), or NULL. */
LanyardLoopbackConn     *lanyard_loopback_listener_hold       (LanyardLoopbackListener  *self,
                                                               SoupServerMessage        *msg);
/* @msg's request has been read: its connection is no longer one to evict. */
void                     lanyard_loopback_listener_mark_read  (LanyardLoopbackListener  *self,
                                                               SoupServerMessage        *msg);

/* Closes the port (new connections are refused) and drops every
 * connection but the held one. Idempotent. */
void                     lanyard_loopback_listener_stop       (LanyardLoopbackListener  *self);

/* Connections that count against the cap; the listening sockets
 * (transfer container, empty once stopped). For the tests. */
guint                    lanyard_loopback_listener_get_n_connections (LanyardLoopbackListener *self);
GPtrArray               *lanyard_loopback_listener_get_sockets       (LanyardLoopbackListener *self);

G_END_DECLS
