/* test-proxy-resolver.c — the desktop's proxy settings, never for loopback
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "lanyard-http.h"
#include "lanyard-proxy-resolver.h"
#include "lanyard-test-utils.h"

static void
test_is_loopback (void)
{
  const char *loopback[] = { "localhost", "LOCALHOST", "api.localhost", "127.0.0.1", "127.3.4.5",
                             "::1", "[::1]" };
  const char *other[] = { "", "example.test", "localhost.example.test", "notlocalhost",
                          "128.0.0.1", "10.0.0.1", "::2", "[::ffff:10.0.0.1]", "graph.microsoft.com" };

  for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
    g_assert_true (lanyard_proxy_resolver_is_loopback (loopback[i]));
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    g_assert_false (lanyard_proxy_resolver_is_loopback (other[i]));
  g_assert_false (lanyard_proxy_resolver_is_loopback (NULL));
}

static void
answer_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  GPtrArray *hosts = user_data;

  /* The proxy sees absolute URIs: note whom the request was for. */
  g_ptr_array_add (hosts, g_strdup (g_uri_get_host (soup_server_message_get_uri (msg))));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

static guint
get (SoupSession *session,
     const char  *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  /* The servers answer from this thread's main loop. */
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* Behind a proxy, a loopback server is reached directly (through the
 * proxy, it would be the proxy's own machine), and any other host still
 * through the proxy. The fallback stands for the desktop's settings. */
static void
test_loopback_is_direct (void)
{
  g_autofree char *api_base = NULL;
  g_autofree char *proxy_url = NULL;
  g_autoptr(SoupServer) api = lanyard_test_server_new (&api_base);
  g_autoptr(SoupServer) proxy = lanyard_test_server_new (&proxy_url);
  g_autoptr(GPtrArray) api_hosts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) proxy_hosts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GProxyResolver) desktop = NULL;
  g_autoptr(GProxyResolver) resolver = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GUri) api_uri = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *api_url_by_name = NULL;

  soup_server_add_handler (api, NULL, answer_cb, api_hosts, NULL);
  soup_server_add_handler (proxy, NULL, answer_cb, proxy_hosts, NULL);

  desktop = g_simple_proxy_resolver_new (proxy_url, NULL);
  resolver = lanyard_proxy_resolver_new (desktop);
  session = soup_session_new_with_options ("proxy-resolver", resolver, NULL);

  api_uri = g_uri_parse (api_base, G_URI_FLAGS_NONE, NULL);
  api_url = g_strdup_printf ("http://127.0.0.1:%d/me", g_uri_get_port (api_uri));
  api_url_by_name = g_strdup_printf ("http://localhost:%d/me", g_uri_get_port (api_uri));
  g_assert_cmpuint (get (session, api_url), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (get (session, api_url_by_name), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (api_hosts->len, ==, 2);
  g_assert_cmpuint (proxy_hosts->len, ==, 0);

  g_assert_cmpuint (get (session, "http://api.example.test/me"), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (proxy_hosts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (proxy_hosts, 0), ==, "api.example.test");
  g_assert_cmpuint (api_hosts->len, ==, 2);
}

/* The sessions Lanyard makes use it, over the default resolver. */
static void
test_sessions_use_it (void)
{
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);
  GProxyResolver *resolver = soup_session_get_proxy_resolver (session);
  g_auto(GStrv) proxies = NULL;

  g_assert_true (LANYARD_IS_PROXY_RESOLVER (resolver));
  proxies = g_proxy_resolver_lookup (resolver, "http://127.0.0.1:8080/", NULL, NULL);
  g_assert_cmpstrv (proxies, ((const char * const []) { "direct://", NULL }));
}

int
main (int    argc,
      char **argv)
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/proxy-resolver/is-loopback", test_is_loopback);
  g_test_add_func ("/lanyard/proxy-resolver/loopback-is-direct", test_loopback_is_direct);
  g_test_add_func ("/lanyard/proxy-resolver/sessions-use-it", test_sessions_use_it);

  return g_test_run ();
}
