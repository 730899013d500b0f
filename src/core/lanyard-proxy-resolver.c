/* lanyard-proxy-resolver.c — the desktop's proxy settings, never for loopback
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-http"

#include "config.h"

#include <string.h>

#include "lanyard-proxy-resolver.h"

struct _LanyardProxyResolver
{
  GObject         parent_instance;
  GProxyResolver *fallback;   /* NULL: the default, looked up when needed */
};

static void lanyard_proxy_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanyardProxyResolver, lanyard_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      lanyard_proxy_resolver_iface_init))

gboolean
lanyard_proxy_resolver_is_loopback (const char *host)
{
  g_autofree char *bare = NULL;
  g_autoptr(GInetAddress) address = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  /* RFC 6761 §6.3: localhost and its subdomains are this machine. */
  if (g_ascii_strcasecmp (bare, "localhost") == 0 ||
      (strlen (bare) > strlen (".localhost") &&
       g_ascii_strcasecmp (bare + strlen (bare) - strlen (".localhost"), ".localhost") == 0))
    return TRUE;

  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
is_loopback_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  return parsed != NULL && lanyard_proxy_resolver_is_loopback (g_uri_get_host (parsed));
}

static char **
direct (void)
{
  char **proxies = g_new0 (char *, 2);

  proxies[0] = g_strdup ("direct://");
  return proxies;
}

static GProxyResolver *
fallback_of (GProxyResolver *resolver)
{
  LanyardProxyResolver *self = LANYARD_PROXY_RESOLVER (resolver);

  return self->fallback != NULL ? self->fallback : g_proxy_resolver_get_default ();
}

static gboolean
lanyard_proxy_resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
lanyard_proxy_resolver_lookup (GProxyResolver  *resolver,
                               const char      *uri,
                               GCancellable    *cancellable,
                               GError         **error)
{
  if (is_loopback_uri (uri))
    return direct ();

  return g_proxy_resolver_lookup (fallback_of (resolver), uri, cancellable, error);
}

static void
default_lookup_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char **proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result, &error);

  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
lanyard_proxy_resolver_lookup_async (GProxyResolver      *resolver,
                                     const char          *uri,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_set_source_tag (task, lanyard_proxy_resolver_lookup_async);

  if (is_loopback_uri (uri))
    {
      g_task_return_pointer (task, direct (), (GDestroyNotify) g_strfreev);
      return;
    }

  g_proxy_resolver_lookup_async (fallback_of (resolver), uri, cancellable,
                                 default_lookup_cb, g_steal_pointer (&task));
}

static char **
lanyard_proxy_resolver_lookup_finish (GProxyResolver  *resolver,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lanyard_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = lanyard_proxy_resolver_is_supported;
  iface->lookup = lanyard_proxy_resolver_lookup;
  iface->lookup_async = lanyard_proxy_resolver_lookup_async;
  iface->lookup_finish = lanyard_proxy_resolver_lookup_finish;
}

static void
lanyard_proxy_resolver_dispose (GObject *object)
{
  LanyardProxyResolver *self = LANYARD_PROXY_RESOLVER (object);

  g_clear_object (&self->fallback);

  G_OBJECT_CLASS (lanyard_proxy_resolver_parent_class)->dispose (object);
}

static void
lanyard_proxy_resolver_class_init (LanyardProxyResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lanyard_proxy_resolver_dispose;
}

static void
lanyard_proxy_resolver_init (LanyardProxyResolver *self)
{
}

GProxyResolver *
lanyard_proxy_resolver_new (GProxyResolver *fallback)
{
  LanyardProxyResolver *self;

  g_return_val_if_fail (fallback == NULL || G_IS_PROXY_RESOLVER (fallback), NULL);

  self = g_object_new (LANYARD_TYPE_PROXY_RESOLVER, NULL);
  if (fallback != NULL)
    self->fallback = g_object_ref (fallback);

  return G_PROXY_RESOLVER (self);
}
