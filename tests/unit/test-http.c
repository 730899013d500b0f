/* test-http.c — the session, body limits, cache headers and error mapping
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "test-http"

#include "config.h"

#include <glib/gstdio.h>

#include "lanyard-error.h"
#include "lanyard-http.h"
#include "lanyard-test-utils.h"

static char *cert_dir;

/* A throwaway CA and a certificate it signed for 127.0.0.1, made with the
 * openssl CLI once per run. */
static void
ensure_certificates (void)
{
  static const char *script =
    "set -e\n"
    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2"
    " -subj '/CN=Lanyard Test CA' -keyout ca.key -out ca.pem"
    " -addext basicConstraints=critical,CA:TRUE"
    " -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null\n"
    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1"
    " -keyout server.key -out server.csr 2>/dev/null\n"
    "printf '%s\\n' basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature"
    " extendedKeyUsage=serverAuth subjectAltName=IP:127.0.0.1 > server.ext\n"
    "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
    " -extfile server.ext -out server.pem 2>/dev/null\n";
  const char *argv[] = { "sh", "-c", script, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (cert_dir != NULL)
    return;

  cert_dir = g_dir_make_tmp ("lanyard-test-http-XXXXXX", &error);
  g_assert_no_error (error);

  g_spawn_sync (cert_dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

static void
remove_certificates (void)
{
  const char *names[] = { "ca.key", "ca.pem", "ca.srl", "server.key", "server.csr",
                          "server.ext", "server.pem" };

  if (cert_dir == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (cert_dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (cert_dir);
  g_clear_pointer (&cert_dir, g_free);
}

static char *
cert_path (const char *name)
{
  ensure_certificates ();
  return g_build_filename (cert_dir, name, NULL);
}

static SoupServer *
tls_server_new (char **base_uri)
{
  g_autofree char *cert_file = cert_path ("server.pem");
  g_autofree char *key_file = cert_path ("server.key");
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  SoupServer *server;
  GSList *uris;

  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);

  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  *base_uri = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

static LanyardHttpResponse *
fetch (SoupSession  *session,
       const char   *method,
       const char   *url,
       gsize         max_bytes,
       GError      **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  g_assert_nonnull (msg);
  lanyard_http_send_async (session, msg, max_bytes, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);

  return lanyard_http_send_finish (session, result, error);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (g_str_equal (path, "/hello"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                        SOUP_MEMORY_STATIC, "{\"a\":1}", 7);
    }
  else if (g_str_equal (path, "/user-agent"))
    {
      const char *ua = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "User-Agent");

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, ua, strlen (ua));
    }
  else if (g_str_equal (path, "/missing"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        "<h1>nope</h1>", 13);
    }
  else if (g_str_equal (path, "/redirect"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/hello");
    }
  else if (g_str_equal (path, "/max-age"))
    {
      soup_message_headers_replace (headers, "Cache-Control", "public, Max-Age=600");
      soup_message_headers_replace (headers, "ETag", "\"v1\"");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else if (g_str_equal (path, "/no-store"))
    {
      soup_message_headers_append (headers, "Cache-Control", "max-age=600");
      soup_message_headers_append (headers, "Cache-Control", "no-store");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else if (g_str_equal (path, "/no-cache"))
    {
      soup_message_headers_replace (headers, "Cache-Control", "no-cache, max-age=60");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else if (g_str_equal (path, "/bad-max-age"))
    {
      soup_message_headers_replace (headers, "Cache-Control", "max-age=-5");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else if (g_str_equal (path, "/none"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
    }
}

static void
test_status_passthrough (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = lanyard_test_server_new (&base);
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);
  g_autoptr(LanyardHttpResponse) ok = NULL;
  g_autoptr(LanyardHttpResponse) missing = NULL;
  g_autoptr(LanyardHttpResponse) redirect = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  soup_server_add_handler (server, NULL, handler_cb, NULL, NULL);

  url = g_strconcat (base, "/hello", NULL);
  ok = fetch (session, "GET", url, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (ok->content_type, ==, "application/json");
  g_assert_cmpmem (g_bytes_get_data (ok->body, NULL), g_bytes_get_size (ok->body), "{\"a\":1}", 7);
  g_assert_null (ok->etag);
  g_assert_cmpint (ok->max_age, ==, -1);

  g_free (url);
  url = g_strconcat (base, "/missing", NULL);
  missing = fetch (session, "GET", url, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (g_bytes_get_size (missing->body), ==, 13);

  /* Redirects are answers, not something to follow. */
  g_free (url);
  url = g_strconcat (base, "/redirect", NULL);
  redirect = fetch (session, "GET", url, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (redirect->status, ==, 302);
}

static void
test_user_agent (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = lanyard_test_server_new (&base);
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);
  g_autoptr(LanyardHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (base, "/user-agent", NULL);

  soup_server_add_handler (server, NULL, handler_cb, NULL, NULL);

  g_assert_cmpuint (soup_session_get_timeout (session), ==, LANYARD_HTTP_TIMEOUT_SECONDS);

  response = fetch (session, "GET", url, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body),
                   "Lanyard/" PACKAGE_VERSION, strlen ("Lanyard/" PACKAGE_VERSION));
}

static void
test_cache_headers (void)
{
  static const struct {
    const char *path;
    const char *etag;
    gint64      max_age;
    gboolean    no_store;
  } cases[] = {
    { "/max-age", "\"v1\"", 600, FALSE },
    { "/no-store", NULL, 0, TRUE },
    { "/no-cache", NULL, 0, FALSE },
    { "/bad-max-age", NULL, -1, FALSE },
    { "/none", NULL, -1, FALSE },
  };
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = lanyard_test_server_new (&base);
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);

  soup_server_add_handler (server, NULL, handler_cb, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LanyardHttpResponse) response = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *url = g_strconcat (base, cases[i].path, NULL);

      response = fetch (session, "GET", url, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (response->status, ==, 200);
      g_assert_nonnull (response->body);
      g_assert_cmpuint (g_bytes_get_size (response->body), ==, 0);
      g_assert_cmpstr (response->etag, ==, cases[i].etag);
      g_assert_cmpint (response->max_age, ==, cases[i].max_age);
      g_assert_cmpint (response->no_store, ==, cases[i].no_store);
    }
}

/* Streams 64 KiB chunks for as long as someone reads them. */
static void
write_next_chunk_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  static char chunk[65536];
  guint *n_chunks = user_data;

  (*n_chunks)++;
  soup_message_body_append (soup_server_message_get_response_body (msg),
                            SOUP_MEMORY_STATIC, chunk, sizeof chunk);
}

static void
size_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);

  if (g_str_equal (path, "/endless"))
    {
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                         SOUP_ENCODING_CHUNKED);
      g_signal_connect (msg, "wrote-headers", G_CALLBACK (write_next_chunk_cb), user_data);
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (write_next_chunk_cb), user_data);
    }
  else
    {
      gsize size = g_ascii_strtoull (path + 1, NULL, 10);

      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_malloc0 (size), size);
    }
}

static void
test_size_limit (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = lanyard_test_server_new (&base);
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);
  g_autoptr(LanyardHttpResponse) exact = NULL;
  g_autoptr(LanyardHttpResponse) over = NULL;
  g_autoptr(LanyardHttpResponse) default_over = NULL;
  g_autoptr(LanyardHttpResponse) endless = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint n_chunks = 0;
  gint64 start;

  soup_server_add_handler (server, NULL, size_handler_cb, &n_chunks, NULL);

  url = g_strconcat (base, "/1000", NULL);
  exact = fetch (session, "GET", url, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (exact->body), ==, 1000);

  over = fetch (session, "GET", url, 999, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than 999 bytes"));
  g_assert_null (over);
  g_clear_error (&error);

  g_free (url);
  url = g_strdup_printf ("%s/%d", base, LANYARD_HTTP_MAX_BODY + 1);
  default_over = fetch (session, "GET", url, 0, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* No Content-Length to go by: the read loop must stop by itself, and
   * must not drain the rest when it gives up. */
  g_free (url);
  url = g_strconcat (base, "/endless", NULL);
  start = g_get_monotonic_time ();
  endless = fetch (session, "GET", url, 100000, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_null (endless);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (n_chunks, >=, 2);
}

static void
pause_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  /* Never answers. */
  soup_server_message_pause (msg);
}

static void
test_timeout (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = lanyard_test_server_new (&base);
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);
  g_autoptr(LanyardHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (base, "/slow", NULL);

  soup_server_add_handler (server, NULL, pause_handler_cb, NULL, NULL);
  soup_session_set_timeout (session, 1);

  response = fetch (session, "GET", url, 0, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_null (response);
}

static void
test_cancel (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = lanyard_test_server_new (&base);
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LanyardHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (base, "/slow", NULL);
  GAsyncResult *slot = NULL;

  soup_server_add_handler (server, NULL, pause_handler_cb, NULL, NULL);

  msg = soup_message_new ("GET", url);
  lanyard_http_send_async (session, msg, 0, cancellable, lanyard_test_store_result_cb, &slot);
  g_timeout_add_once (100, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  result = lanyard_test_wait_result (&slot);

  response = lanyard_http_send_finish (session, result, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
  g_assert_null (response);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);
  g_autoptr(LanyardHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A port that was just free and is closed again: nobody listens there. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  response = fetch (session, "GET", url, 0, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_NETWORK);
  /* Once, in words: not GIO's "Could not reach 127.0.0.1: Could not connect to 127.0.0.1…". */
  g_assert_cmpstr (error->message, ==,
                   "Nothing answers at 127.0.0.1: the provider may be down, or the address may be wrong");
  g_assert_null (response);
}

static void
test_tls_untrusted (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = tls_server_new (&base);
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);
  g_autoptr(LanyardHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (base, "/hello", NULL);

  soup_server_add_handler (server, NULL, handler_cb, NULL, NULL);

  response = fetch (session, "GET", url, 0, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_TLS);
  g_assert_cmpstr (error->message, ==, "The certificate of 127.0.0.1 is not trusted");
  g_assert_null (response);
}

static void
test_tls_ca_file (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = tls_server_new (&base);
  g_autofree char *ca_file = cert_path ("ca.pem");
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(LanyardHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (base, "/hello", NULL);

  soup_server_add_handler (server, NULL, handler_cb, NULL, NULL);

  session = lanyard_http_session_new (ca_file, &error);
  g_assert_no_error (error);

  response = fetch (session, "GET", url, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
}

/* A CA file is one client's trust, not the process's: the app may hold a
 * client for a corporate provider and one for a public one. */
static void
test_tls_ca_file_is_per_session (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = tls_server_new (&base);
  g_autofree char *ca_file = cert_path ("ca.pem");
  g_autoptr(SoupSession) with_ca = NULL;
  g_autoptr(SoupSession) without = NULL;
  g_autoptr(LanyardHttpResponse) trusted = NULL;
  g_autoptr(LanyardHttpResponse) untrusted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (base, "/hello", NULL);
  GTlsDatabase *default_database = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  soup_server_add_handler (server, NULL, handler_cb, NULL, NULL);

  with_ca = lanyard_http_session_new (ca_file, &error);
  g_assert_no_error (error);
  trusted = fetch (with_ca, "GET", url, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trusted->status, ==, 200);

  /* The process's default trust is untouched… */
  {
    g_autoptr(GTlsDatabase) now = g_tls_backend_get_default_database (g_tls_backend_get_default ());

    g_assert_true (now == default_database);
  }
  g_object_unref (default_database);

  /* …so a session without the CA file does not trust its certificates. */
  without = lanyard_http_session_new (NULL, NULL);
  untrusted = fetch (without, "GET", url, 0, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_TLS);
  g_assert_null (untrusted);
}

static void
test_tls_wrong_host (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = tls_server_new (&base);
  g_autofree char *ca_file = cert_path ("ca.pem");
  g_autoptr(SoupSession) session = lanyard_http_session_new (ca_file, NULL);
  g_autoptr(LanyardHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  int port;

  soup_server_add_handler (server, NULL, handler_cb, NULL, NULL);

  /* A trusted CA, but the certificate names 127.0.0.1 only. */
  port = atoi (strrchr (base, ':') + 1);
  url = g_strdup_printf ("https://localhost:%d/hello", port);
  response = fetch (session, "GET", url, 0, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_TLS);
  g_assert_cmpstr (error->message, ==, "The certificate of localhost was issued for another host name");
  g_assert_null (response);
}

static void
test_ca_file_unreadable (void)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = lanyard_http_session_new ("/nonexistent/ca.pem", &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "/nonexistent/ca.pem"));
  g_assert_null (session);
}

static void
form_handler_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  char **received = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *content_type;

  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                        NULL);
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "POST");
  g_assert_cmpstr (content_type, ==, "application/x-www-form-urlencoded");

  *received = g_strndup (body->data, body->length);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
test_form_post (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = lanyard_test_server_new (&base);
  g_autoptr(SoupSession) session = lanyard_http_session_new (NULL, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LanyardHttpResponse) response = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *received = NULL;
  g_autofree char *url = g_strconcat (base, "/form", NULL);
  GAsyncResult *slot = NULL;

  soup_server_add_handler (server, NULL, form_handler_cb, &received, NULL);

  msg = lanyard_http_new_form_post (url,
                                    "plain", "abc",
                                    "skipped", NULL,
                                    "tricky", "a b&c=d+e/é",
                                    NULL);
  g_assert_nonnull (msg);
  lanyard_http_send_async (session, msg, 0, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  response = lanyard_http_send_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);

  g_assert_cmpstr (received, ==, "plain=abc&tricky=a%20b%26c%3Dd%2Be%2F%C3%A9");
  form = soup_form_decode (received);
  g_assert_cmpuint (g_hash_table_size (form), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (form, "tricky"), ==, "a b&c=d+e/é");

  g_assert_null (lanyard_http_new_form_post ("not a url", "a", "b", NULL));
  g_assert_null (lanyard_http_new_form_post ("ftp://example.com/", "a", "b", NULL));
}

static void
test_json_object_from_bytes (void)
{
  g_autoptr(GBytes) good = g_bytes_new_static ("{\"issuer\":\"x\"}", 14);
  g_autoptr(GBytes) duplicate = g_bytes_new_static ("{\"a\":1,\"a\":2}", 13);
  g_autoptr(GBytes) array = g_bytes_new_static ("[1]", 3);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  object = lanyard_json_object_from_bytes (good, "discovery document", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (object, "issuer"), ==, "x");

  g_assert_null (lanyard_json_object_from_bytes (duplicate, "discovery document", &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_true (g_str_has_prefix (error->message, "discovery document"));
  g_clear_error (&error);

  g_assert_null (lanyard_json_object_from_bytes (array, "discovery document", &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  g_assert_null (lanyard_json_object_from_bytes (empty, "discovery document", &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  /* glib-networking's GNOME proxy resolver aborts without GSettings schemas,
   * which the isolated XDG dirs hide; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/http/status-passthrough", test_status_passthrough);
  g_test_add_func ("/lanyard/http/user-agent", test_user_agent);
  g_test_add_func ("/lanyard/http/cache-headers", test_cache_headers);
  g_test_add_func ("/lanyard/http/size-limit", test_size_limit);
  g_test_add_func ("/lanyard/http/timeout", test_timeout);
  g_test_add_func ("/lanyard/http/cancel", test_cancel);
  g_test_add_func ("/lanyard/http/connection-refused", test_connection_refused);
  g_test_add_func ("/lanyard/http/tls-untrusted", test_tls_untrusted);
  g_test_add_func ("/lanyard/http/tls-ca-file", test_tls_ca_file);
  g_test_add_func ("/lanyard/http/tls-ca-file-is-per-session", test_tls_ca_file_is_per_session);
  g_test_add_func ("/lanyard/http/tls-wrong-host", test_tls_wrong_host);
  g_test_add_func ("/lanyard/http/ca-file-unreadable", test_ca_file_unreadable);
  g_test_add_func ("/lanyard/http/form-post", test_form_post);
  g_test_add_func ("/lanyard/http/json-object-from-bytes", test_json_object_from_bytes);

  ret = g_test_run ();
  remove_certificates ();

  return ret;
}
