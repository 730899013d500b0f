/* lanyard-loopback-conn.h — one connection to the loopback listener (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The input side of one accepted connection, as libsoup reads it: a
 * pollable filter stream that never reads past @max_header_bytes before
 * the blank line that ends the headers, nor past @max_drain_bytes after
 * it, and refuses a malformed Content-Length. It also carries the
 * connection's deadline. Closing it closes the whole connection. */
#define LANYARD_TYPE_LOOPBACK_CONN (lanyard_loopback_conn_get_type ())
G_DECLARE_FINAL_TYPE (LanyardLoopbackConn, lanyard_loopback_conn, LANYARD, LOOPBACK_CONN, GFilterInputStream)

/* Called once, when the connection is closed (by libsoup, a drop or the
 * last reference going). */
typedef void (*LanyardLoopbackConnReleased) (LanyardLoopbackConn *conn,
                                             gpointer             user_data);

LanyardLoopbackConn *lanyard_loopback_conn_new            (GSocketConnection           *connection,
                                                           GSocketAddress              *remote,
                                                           gsize                        max_header_bytes,
                                                           gsize                        max_drain_bytes,
                                                           guint                        idle_timeout_ms,
                                                           LanyardLoopbackConnReleased  released,
                                                           gpointer                     user_data);

/* Stops the released callback (its owner is going away). */
void                 lanyard_loopback_conn_disown         (LanyardLoopbackConn         *conn);

GSocketAddress      *lanyard_loopback_conn_get_remote     (LanyardLoopbackConn         *conn);

/* Whether any byte of a request has arrived yet. */
gboolean             lanyard_loopback_conn_has_input      (LanyardLoopbackConn         *conn);

/* One deadline for the whole request (a slow request is as bad as an idle
 * one), armed at creation; arming again starts it over. */
void                 lanyard_loopback_conn_arm_deadline   (LanyardLoopbackConn         *conn);
void                 lanyard_loopback_conn_disarm_deadline (LanyardLoopbackConn        *conn);

/* Shuts the socket down: libsoup, polling it, sees the end and lets go.
 * Idempotent. */
void                 lanyard_loopback_conn_drop           (LanyardLoopbackConn         *conn);
gboolean             lanyard_loopback_conn_is_dropped     (LanyardLoopbackConn         *conn);

G_END_DECLS
