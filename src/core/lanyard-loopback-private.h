/* lanyard-loopback-private.h — knobs and views for the tests only
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lanyard-loopback.h"

G_BEGIN_DECLS

#define LANYARD_LOOPBACK_MAX_CONNECTIONS   16
#define LANYARD_LOOPBACK_IDLE_TIMEOUT_MS   (10 * 1000)
#define LANYARD_LOOPBACK_MAX_HEADER_BYTES  (8 * 1024)
#define LANYARD_LOOPBACK_MAX_BODY_BYTES    (64 * 1024)

/* Overrides the limits for connections accepted from now on; 0 keeps a value. */
void       lanyard_loopback_set_limits          (LanyardLoopback *self,
                                                 guint            max_connections,
                                                 guint            idle_timeout_ms,
                                                 gsize            max_header_bytes,
                                                 gsize            max_body_bytes);

/* Connections that count against the cap: accepted, neither closed nor
 * dropped. */
guint      lanyard_loopback_get_n_connections   (LanyardLoopback *self);

/* The listening sockets (transfer container); empty once stopped. */
GPtrArray *lanyard_loopback_get_listen_sockets  (LanyardLoopback *self);

G_END_DECLS
