/* lanyard-proxy-resolver.h — the desktop's proxy settings, never for loopback (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_PROXY_RESOLVER (lanyard_proxy_resolver_get_type ())
G_DECLARE_FINAL_TYPE (LanyardProxyResolver, lanyard_proxy_resolver, LANYARD, PROXY_RESOLVER, GObject)

/* A GProxyResolver that answers "direct://" for loopback destinations
 * (localhost and *.localhost, 127.0.0.0/8, ::1) and asks @fallback (NULL:
 * the default resolver — GNOME's settings, libproxy, the environment) for
 * every other one. A proxy is on another machine: its "localhost" is not ours (Go's
 * net/http never proxies them either), so `http_proxy` set without
 * `no_proxy` must not break a provider or API on this machine. */
GProxyResolver *lanyard_proxy_resolver_new (GProxyResolver *fallback);

/* Whether @host (a name or an address literal, IPv6 with or without
 * brackets) is one of those loopback destinations. */
gboolean        lanyard_proxy_resolver_is_loopback (const char *host);

G_END_DECLS
