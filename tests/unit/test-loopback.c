/* test-loopback.c — the loopback redirect listener, attacked from the same process
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "test-loopback"

#include "config.h"

#include <string.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include "lanyard-error.h"
#include "lanyard-loopback.h"
#include "lanyard-loopback-conn.h"
#include "lanyard-loopback-page.h"
#include "lanyard-loopback-private.h"
#include "lanyard-test-utils.h"

#define STATE  "c3RhdGUtZm9yLXRoaXMtcmVxdWVzdA"
#define CODE   "c0de-123.abc~XYZ_secret"
#define ISSUER "https://issuer.example.com/tenant/v2.0"
#define CSP    "default-src 'none'; style-src 'unsafe-inline'"

/* Everything the listener logs, to prove secrets never get there. */
static GString *loopback_log;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if (g_strcmp0 (domain, "lanyard-loopback") == 0 && message != NULL)
    g_string_append_printf (loopback_log, "%s\n", message);

  if (log_level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* ------------------------------------------------------------------------ */

typedef struct {
  LanyardLoopback *loopback;
  SoupSession     *session;
  GAsyncResult    *wait_result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->loopback = lanyard_loopback_new ("localhost", 0, "/callback", &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->loopback);

  f->session = soup_session_new_with_options ("proxy-resolver", NULL,
                                              "timeout", 20,
                                              NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->wait_result);

  if (f->loopback != NULL)
    {
      LanyardLoopback *weak = f->loopback;

      g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
      g_clear_object (&f->loopback);
      g_assert_null (weak);
    }

  /* Let flushes and idles run out before the next case. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
start_wait (Fixture      *f,
            const char   *issuer,
            gboolean      iss_required,
            GCancellable *cancellable)
{
  lanyard_loopback_wait_async (f->loopback, STATE, issuer, iss_required, cancellable,
                               lanyard_test_store_result_cb, &f->wait_result);
}

static char *
finish_wait (Fixture  *f,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = lanyard_test_wait_result (&f->wait_result);

  return lanyard_loopback_wait_finish (f->loopback, result, error);
}

/* Runs the main loop for @ms milliseconds. */
static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* Straight to the address: no proxy lookup (and no GSettings) on the way. */
static GSocketClient *
socket_client_new (void)
{
  GSocketClient *client = g_socket_client_new ();

  g_socket_client_set_enable_proxy (client, FALSE);
  return client;
}

static char *
url_for (guint16     port,
         const char *path_and_query)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", port, path_and_query);
}

static SoupMessage *
message_new (Fixture    *f,
             const char *method,
             const char *path_and_query,
             const char *content_type,
             const char *body,
             gssize      body_len)
{
  g_autofree char *url = url_for (lanyard_loopback_get_port (f->loopback), path_and_query);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (content_type != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize) body_len);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  return msg;
}

static void
send_start (Fixture       *f,
            SoupMessage   *msg,
            GAsyncResult **slot)
{
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    lanyard_test_store_result_cb, slot);
}

static GBytes *
send_finish (Fixture       *f,
             GAsyncResult **slot)
{
  g_autoptr(GAsyncResult) result = lanyard_test_wait_result (slot);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  body = soup_session_send_and_read_finish (f->session, result, &error);
  g_assert_no_error (error);

  return body;
}

/* Sends and waits; the message (with its response headers) is returned in
 * @out_msg when asked. */
static guint
http (Fixture      *f,
      const char   *method,
      const char   *path_and_query,
      const char   *content_type,
      const char   *body,
      GBytes      **out_body,
      SoupMessage **out_msg)
{
  g_autoptr(SoupMessage) msg = message_new (f, method, path_and_query, content_type, body, -1);
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) response = NULL;
  guint status;

  send_start (f, msg, &slot);
  response = send_finish (f, &slot);
  status = soup_message_get_status (msg);

  if (out_body != NULL)
    *out_body = g_steal_pointer (&response);
  if (out_msg != NULL)
    *out_msg = g_steal_pointer (&msg);

  return status;
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return len > 0 && g_strstr_len (data, len, needle) != NULL;
}

static gboolean
bytes_start_with (GBytes     *bytes,
                  const char *prefix)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return len >= strlen (prefix) && memcmp (data, prefix, strlen (prefix)) == 0;
}

static void
assert_security_headers (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  g_assert_cmpstr (soup_message_headers_get_one (headers, "Cache-Control"), ==, "no-store");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Pragma"), ==, "no-cache");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Referrer-Policy"), ==, "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Security-Policy"), ==, CSP);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Connection"), ==, "close");
}

/* The real authorization response, through the front door. */
static void
assert_real_response_succeeds (Fixture *f)
{
  g_autoptr(SoupMessage) msg = message_new (f, "GET", "/callback?code=" CODE "&state=" STATE,
                                            NULL, NULL, 0);
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  send_start (f, msg, &slot);
  code = finish_wait (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, CODE);

  lanyard_loopback_finish_page (f->loopback, TRUE, "Signed in", "Done.");
  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
}

static void
assert_still_waiting (Fixture *f)
{
  spin (20);
  g_assert_null (f->wait_result);
  g_assert_true (lanyard_loopback_is_listening (f->loopback));
}

static void
assert_port_refuses (guint16 port)
{
  g_autoptr(GSocketClient) client = socket_client_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_null (connection);
}

/* Raw bytes: connect, write @data, read until the server closes. */
typedef struct {
  gboolean written;
  gboolean read;
} RawState;

static void
raw_written_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RawState *state = user_data;

  /* The server may well hang up before it has read everything. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  state->written = TRUE;
}

static void
raw_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawState *state = user_data;

  g_autoptr(GError) error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    g_test_message ("read: %s", error->message);
  state->read = TRUE;
}

static GBytes *
raw_exchange (guint16     port,
              const char *address_string,
              const void *data,
              gsize       len)
{
  g_autoptr(GSocketClient) client = socket_client_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string (address_string, port);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  RawState state = { FALSE, FALSE };

  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                   data, len, G_PRIORITY_DEFAULT, NULL, raw_written_cb, &state);
  g_output_stream_splice_async (memory, g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                raw_read_cb, &state);
  lanyard_test_wait_for (&state.read);
  lanyard_test_wait_for (&state.written);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static GBytes *
raw_request (Fixture    *f,
             const char *request)
{
  return raw_exchange (lanyard_loopback_get_port (f->loopback), "127.0.0.1", request, strlen (request));
}

/* A GET sent as is (no client-side URI checks); returns the status, 0 when
 * the connection closed without an answer. */
static guint
raw_get (Fixture    *f,
         const char *path_and_query)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: localhost:%u\r\n\r\n",
                                              path_and_query, lanyard_loopback_get_port (f->loopback));
  g_autoptr(GBytes) reply = raw_request (f, request);
  g_autofree char *text = g_strndup (g_bytes_get_data (reply, NULL), MIN (g_bytes_get_size (reply), 64));

  if (!g_str_has_prefix (text, "HTTP/1.1 "))
    return 0;

  return (guint) g_ascii_strtoull (text + strlen ("HTTP/1.1 "), NULL, 10);
}

/* ------------------------------------------------------------------------ */

static void
test_get_success (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *expected_uri = NULL;
  SoupMessageHeaders *headers;
  guint16 port = lanyard_loopback_get_port (f->loopback);

  g_string_truncate (loopback_log, 0);

  expected_uri = g_strdup_printf ("http://localhost:%u/callback", port);
  g_assert_cmpstr (lanyard_loopback_get_redirect_uri (f->loopback), ==, expected_uri);
  g_assert_true (lanyard_loopback_is_listening (f->loopback));

  start_wait (f, NULL, FALSE, NULL);
  msg = message_new (f, "GET", "/callback?code=" CODE "&state=" STATE "&session_state=x", NULL, NULL, 0);
  send_start (f, msg, &slot);

  code = finish_wait (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, CODE);

  /* The browser waits for the verdict; nothing else gets in meanwhile. */
  spin (50);
  g_assert_null (slot);
  g_assert_false (lanyard_loopback_is_listening (f->loopback));
  assert_port_refuses (port);

  /* As the client does: answer, close, drop. The answer still goes out. */
  lanyard_loopback_finish_page (f->loopback, TRUE, "Signed <in>",
                                "Hello \"Bob\" & <script>alert('x')</script>\nBye");
  lanyard_loopback_close (f->loopback);
  g_clear_object (&f->loopback);

  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  assert_security_headers (msg);
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "text/html");

  g_assert_true (bytes_start_with (body, "<!DOCTYPE html>"));
  g_assert_true (bytes_contain (body, "<meta charset=\"utf-8\">"));
  g_assert_true (bytes_contain (body, "<title>Signed &lt;in&gt;</title>"));
  g_assert_true (bytes_contain (body, "Hello &quot;Bob&quot; &amp; &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"));
  g_assert_false (bytes_contain (body, "<script"));
  g_assert_false (bytes_contain (body, "http"));

  assert_port_refuses (port);

  /* Method, path and status were logged; nothing secret was. */
  g_assert_nonnull (strstr (loopback_log->str, "GET /callback"));
  g_assert_null (strstr (loopback_log->str, STATE));
  g_assert_null (strstr (loopback_log->str, CODE));
  g_assert_null (strstr (loopback_log->str, "session_state"));
}

static void
test_form_post_success (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  start_wait (f, NULL, FALSE, NULL);
  msg = message_new (f, "POST", "/callback",
                     "application/x-www-form-urlencoded",
                     "code=" CODE "&state=" STATE, -1);
  send_start (f, msg, &slot);

  code = finish_wait (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, CODE);

  lanyard_loopback_finish_page (f->loopback, TRUE, "Signed in", NULL);
  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  assert_security_headers (msg);
}

static void
test_form_post_charset (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  start_wait (f, NULL, FALSE, NULL);
  msg = message_new (f, "POST", "/callback",
                     "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
                     "state=" STATE "&code=" CODE, -1);
  send_start (f, msg, &slot);

  code = finish_wait (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, CODE);

  lanyard_loopback_finish_page (f->loopback, TRUE, "Signed in", NULL);
  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
}

static void
test_wrong_state (Fixture       *f,
                  gconstpointer  data)
{
  start_wait (f, NULL, FALSE, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(SoupMessage) msg = NULL;

      /* Same length as the real one too: a prefix, a near miss, garbage. */
      if (i % 3 == 0)
        path = g_strdup_printf ("/callback?code=evil%u&state=%.*sX", i, (int) strlen (STATE) - 1, STATE);
      else if (i % 3 == 1)
        path = g_strdup_printf ("/callback?code=evil%u&state=%.*s", i, (int) strlen (STATE) - 1, STATE);
      else
        path = g_strdup_printf ("/callback?code=evil%u&state=guess%u", i, i);

      g_assert_cmpuint (http (f, "GET", path, NULL, NULL, &body, &msg), ==, SOUP_STATUS_BAD_REQUEST);
      if (i == 0)
        {
          g_assert_true (bytes_contain (body, "This sign-in response is not for this request"));
          assert_security_headers (msg);
        }
    }

  /* No state at all is the same story. */
  g_assert_cmpuint (http (f, "GET", "/callback?code=evil", NULL, NULL, NULL, NULL), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http (f, "POST", "/callback", "application/x-www-form-urlencoded",
                          "code=evil&state=nope", NULL, NULL), ==, SOUP_STATUS_BAD_REQUEST);

  assert_still_waiting (f);
  assert_real_response_succeeds (f);
}

static void
test_wrong_path (Fixture       *f,
                 gconstpointer  data)
{
  const char *paths[] = {
    "/",
    "/callback/",
    "/callbackX?code=" CODE "&state=" STATE,
    "/Callback?code=" CODE "&state=" STATE,
    "/favicon.ico",
  };

  start_wait (f, NULL, FALSE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SoupMessage) msg = NULL;

      g_assert_cmpuint (http (f, "GET", paths[i], NULL, NULL, NULL, &msg), ==, SOUP_STATUS_NOT_FOUND);
      assert_security_headers (msg);
    }

  /* Raw, as an HTTP client would normalise it: an encoded slash makes
   * another path (an encoded "b" would not: RFC 3986 §6.2.2.2). */
  {
    g_autofree char *request = g_strdup_printf ("GET /call%%2Fback?code=%s&state=%s HTTP/1.1\r\n"
                                                "Host: localhost:%u\r\n\r\n",
                                                CODE, STATE, lanyard_loopback_get_port (f->loopback));
    g_autoptr(GBytes) reply = raw_request (f, request);

    g_assert_true (bytes_start_with (reply, "HTTP/1.1 404"));
  }

  assert_still_waiting (f);
  assert_real_response_succeeds (f);
}

static void
test_wrong_method (Fixture       *f,
                   gconstpointer  data)
{
  const char *methods[] = { "PUT", "DELETE", "PATCH", "OPTIONS" };

  start_wait (f, NULL, FALSE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(SoupMessage) msg = NULL;

      g_assert_cmpuint (http (f, methods[i], "/callback?code=" CODE "&state=" STATE, NULL, NULL, NULL, &msg),
                        ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Allow"),
                       ==, "GET, POST");
      assert_security_headers (msg);
    }

  /* A POST that is not a form. */
  g_assert_cmpuint (http (f, "POST", "/callback", "application/json",
                          "{\"code\":\"" CODE "\",\"state\":\"" STATE "\"}", NULL, NULL),
                    ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpuint (http (f, "POST", "/callback", "text/plain",
                          "code=" CODE "&state=" STATE, NULL, NULL),
                    ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);

  assert_still_waiting (f);
  assert_real_response_succeeds (f);
}

static void
test_provider_error (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  start_wait (f, NULL, FALSE, NULL);
  msg = message_new (f, "GET",
                     "/callback?error=access_denied&error_description=The+user+said+%3Cno%3E&state=" STATE,
                     NULL, NULL, 0);
  send_start (f, msg, &slot);

  code = finish_wait (f, &error);
  g_assert_null (code);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_PROVIDER);
  /* Explained, then the provider's words verbatim: Cancel at the provider is
   * access_denied too, so "refused" would be wrong. */
  g_assert_cmpstr (error->message, ==,
                   "The sign-in was stopped at the provider: it was cancelled there, or the "
                   "provider does not let this account use this application (the provider "
                   "says “access_denied: The user said <no>”)");

  /* The caller shows the failure in the tab; it is escaped there. */
  lanyard_loopback_finish_page (f->loopback, FALSE, "Sign-in failed", error->message);
  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_true (bytes_contain (body, "access_denied: The user said &lt;no&gt;"));
  assert_security_headers (msg);
}

static void
test_provider_error_long (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GString) path = g_string_new ("/callback?state=" STATE "&error=server_error&error_description=");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  for (guint i = 0; i < 3000; i++)
    g_string_append_c (path, 'a' + i % 26);
  /* A control character in provider text does not reach the message. */
  g_string_append (path, "%1B%5B31m");

  start_wait (f, NULL, FALSE, NULL);
  msg = message_new (f, "GET", path->str, NULL, NULL, 0);
  send_start (f, msg, &slot);

  code = finish_wait (f, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_PROVIDER);
  g_assert_true (g_str_has_prefix (error->message, "The provider had an internal error: try again "
                                   "later (the provider says “server_error: abcdef"));
  /* The bound is on the provider's words; the explanation comes on top. */
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 700);
  g_assert_null (strchr (error->message, '\033'));

  lanyard_loopback_finish_page (f->loopback, FALSE, "Sign-in failed", error->message);
  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_BAD_REQUEST);
}

static void
test_no_code (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) body = NULL;

  start_wait (f, NULL, FALSE, NULL);

  g_assert_cmpuint (http (f, "GET", "/callback?state=" STATE, NULL, NULL, &body, NULL), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http (f, "GET", "/callback?state=" STATE "&code=", NULL, NULL, NULL, NULL), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (raw_get (f, "/callback?state=" STATE "&code=a%0Ab"), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (raw_get (f, "/callback?state=" STATE "&code=%2"), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (raw_get (f, "/callback?state=" STATE "&code=\xff"), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http (f, "GET", "/callback", NULL, NULL, NULL, NULL), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (raw_get (f, "/callback?state=" STATE "&code=%zz"), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (raw_get (f, "/callback?state=" STATE "&code=%FF"), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (raw_get (f, "/callback?state=" STATE "&code=a%00b"), ==, SOUP_STATUS_BAD_REQUEST);

  assert_still_waiting (f);
  assert_real_response_succeeds (f);
}

static void
test_duplicate_params (Fixture       *f,
                       gconstpointer  data)
{
  start_wait (f, NULL, FALSE, NULL);

  g_assert_cmpuint (http (f, "GET", "/callback?state=" STATE "&state=" STATE "&code=" CODE, NULL, NULL, NULL, NULL),
                    ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http (f, "GET", "/callback?state=" STATE "&code=evil&code=" CODE, NULL, NULL, NULL, NULL),
                    ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http (f, "GET", "/callback?state=nope&state=" STATE "&code=" CODE, NULL, NULL, NULL, NULL),
                    ==, SOUP_STATUS_BAD_REQUEST);
  /* Encoded names are the same names. */
  g_assert_cmpuint (http (f, "GET", "/callback?state=" STATE "&%73tate=" STATE "&code=" CODE, NULL, NULL, NULL, NULL),
                    ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpuint (http (f, "POST", "/callback", "application/x-www-form-urlencoded",
                          "state=" STATE "&code=a&code=b", NULL, NULL),
                    ==, SOUP_STATUS_BAD_REQUEST);

  assert_still_waiting (f);
  assert_real_response_succeeds (f);
}

static void
test_iss (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *escaped_issuer = g_uri_escape_string (ISSUER, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/callback?code=%s&state=%s&iss=%s", CODE, STATE, escaped_issuer);

  /* A stray request with a wrong iss but a wrong state only gets a 400. */
  start_wait (f, ISSUER, TRUE, NULL);
  g_assert_cmpuint (http (f, "GET", "/callback?code=x&state=guess&iss=https%3A%2F%2Fevil", NULL, NULL, NULL, NULL),
                    ==, SOUP_STATUS_BAD_REQUEST);
  assert_still_waiting (f);

  msg = message_new (f, "GET", path, NULL, NULL, 0);
  send_start (f, msg, &slot);
  code = finish_wait (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, CODE);

  lanyard_loopback_finish_page (f->loopback, TRUE, "Signed in", NULL);
  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
}

static void
test_iss_mismatch (Fixture       *f,
                   gconstpointer  data)
{
  const char *bad[] = {
    "https%3A%2F%2Fattacker.example.com%2Ftenant%2Fv2.0",
    "https%3A%2F%2Fissuer.example.com%2Ftenant%2Fv2.0%2F",   /* a trailing slash is another issuer */
    "https%3A%2F%2FISSUER.example.com%2Ftenant%2Fv2.0",
    "",
    /* One extra encoding is tolerated only when it decodes to the issuer itself. */
    "https%253A%252F%252Fattacker.example.com%252Ftenant%252Fv2.0",
    "https%253A%252F%252Fissuer.example.com%252Ftenant%252Fv2.0%252F",
    "https%253A%252F%252FISSUER.example.com%252Ftenant%252Fv2.0",
    "https%25253A%25252F%25252Fissuer.example.com%25252Ftenant%25252Fv2.0",  /* twice too many */
    "https%253A%252F%252Fissuer.example.com%252Ftenant%252Fv2.0%2500",
    "https%253A%252F%252Fissuer.example.com%252Ftenant%252Fv2.0+",
    "https%3A%2F%2Fissuer.example.com%2Ftenant%2Fv2.0%2520",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GAsyncResult) slot = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) setup_error = NULL;
      g_autofree char *code = NULL;
      g_autofree char *path = g_strdup_printf ("/callback?code=%s&state=%s&iss=%s", CODE, STATE, bad[i]);

      if (f->loopback == NULL)
        f->loopback = lanyard_loopback_new ("localhost", 0, "/callback", &setup_error);
      g_assert_no_error (setup_error);

      /* Not required, but present and wrong: the flow ends. */
      start_wait (f, ISSUER, FALSE, NULL);
      msg = message_new (f, "GET", path, NULL, NULL, 0);
      send_start (f, msg, &slot);

      code = finish_wait (f, &error);
      g_assert_null (code);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, "issuer mismatch (RFC 9207)"));

      lanyard_loopback_finish_page (f->loopback, FALSE, "Sign-in failed", error->message);
      body = send_finish (f, &slot);
      g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_BAD_REQUEST);
      g_clear_object (&f->loopback);
    }
}

/* The form_post page of a provider that percent-encodes iss once too often:
 * the form field decodes to "https%3A%2F%2F…". */
static void
test_iss_double_encoded (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *once = g_uri_escape_string (ISSUER, NULL, FALSE);
  g_autofree char *twice = g_uri_escape_string (once, NULL, FALSE);
  g_autofree char *form = g_strdup_printf ("code=%s&state=%s&iss=%s", CODE, STATE, twice);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_nonnull (strstr (twice, "https%253A%252F%252F"));

  g_string_truncate (loopback_log, 0);
  start_wait (f, ISSUER, TRUE, NULL);
  msg = message_new (f, "POST", "/callback", "application/x-www-form-urlencoded", form, -1);
  send_start (f, msg, &slot);
  code = finish_wait (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, CODE);
  g_assert_nonnull (strstr (loopback_log->str, "percent-encoded twice"));

  lanyard_loopback_finish_page (f->loopback, TRUE, "Signed in", NULL);
  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
}

static void
test_iss_missing (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  start_wait (f, ISSUER, TRUE, NULL);
  msg = message_new (f, "GET", "/callback?code=" CODE "&state=" STATE, NULL, NULL, 0);
  send_start (f, msg, &slot);

  code = finish_wait (f, &error);
  g_assert_null (code);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "RFC 9207"));

  lanyard_loopback_finish_page (f->loopback, FALSE, "Sign-in failed", error->message);
  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_BAD_REQUEST);
}

static void
test_iss_missing_optional (Fixture       *f,
                           gconstpointer  data)
{
  /* Entra sends no iss and does not promise one. */
  start_wait (f, ISSUER, FALSE, NULL);
  assert_real_response_succeeds (f);
}

static void
test_headers_too_large (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GString) fits = g_string_new (NULL);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GBytes) reply2 = NULL;
  g_autoptr(GBytes) reply3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  guint16 port = lanyard_loopback_get_port (f->loopback);

  start_wait (f, NULL, FALSE, NULL);

  g_string_printf (request, "GET /callback?code=%s&state=%s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-Pad: ",
                   CODE, STATE, port);
  for (guint i = 0; i < 9000; i++)
    g_string_append_c (request, 'a');
  g_string_append (request, "\r\n\r\n");

  reply = raw_request (f, request->str);
  g_assert_false (bytes_contain (reply, " 200 "));
  g_assert_true (g_bytes_get_size (reply) == 0 || bytes_start_with (reply, "HTTP/1.1 4"));

  /* Many small header lines add up the same way. */
  g_string_printf (request, "GET /callback?code=%s&state=%s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n",
                   CODE, STATE, port);
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (request, "X-%u: y\r\n", i);
  g_string_append (request, "\r\n");
  reply2 = raw_request (f, request->str);
  g_assert_false (bytes_contain (reply2, " 200 "));

  assert_still_waiting (f);

  /* Just under the limit is fine. */
  g_string_printf (fits, "GET /callback?code=%s&state=%s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-Pad: ",
                   CODE, STATE, port);
  while (fits->len < LANYARD_LOOPBACK_MAX_HEADER_BYTES - 100)
    g_string_append_c (fits, 'b');
  g_string_append (fits, "\r\n\r\n");

  {
    RawState state = { FALSE, FALSE };
    g_autoptr(GSocketClient) client = socket_client_new ();
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
    g_autoptr(GSocketConnection) connection = NULL;
    g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();

    connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
    g_assert_no_error (error);
    g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                     fits->str, fits->len, G_PRIORITY_DEFAULT, NULL, raw_written_cb, &state);
    g_output_stream_splice_async (memory, g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                  G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                  raw_read_cb, &state);

    code = finish_wait (f, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (code, ==, CODE);

    lanyard_loopback_finish_page (f->loopback, TRUE, "Signed in", NULL);
    lanyard_test_wait_for (&state.read);
    lanyard_test_wait_for (&state.written);
    reply3 = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
    g_assert_true (bytes_start_with (reply3, "HTTP/1.1 200"));
  }
}

static void
test_body_too_large (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GString) form = g_string_new ("state=" STATE "&code=" CODE "&pad=");
  g_autoptr(GString) chunked = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GBytes) reply2 = NULL;
  guint16 port = lanyard_loopback_get_port (f->loopback);

  start_wait (f, NULL, FALSE, NULL);

  while (form->len < 100 * 1024)
    g_string_append_c (form, 'p');
  g_assert_cmpuint (http (f, "POST", "/callback", "application/x-www-form-urlencoded", form->str, NULL, &msg),
                    ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  assert_security_headers (msg);

  /* Chunked announces no length; it is counted as it comes. */
  g_string_printf (chunked, "POST /callback HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                   "Content-Type: application/x-www-form-urlencoded\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n", port);
  g_string_append_printf (chunked, "%zx\r\nstate=%s&code=%s&pad=\r\n",
                          strlen ("state=" STATE "&code=" CODE "&pad="), STATE, CODE);
  for (guint i = 0; i < 12; i++)
    {
      g_string_append_printf (chunked, "%x\r\n", 8192);
      for (guint j = 0; j < 8192; j++)
        g_string_append_c (chunked, 'q');
      g_string_append (chunked, "\r\n");
    }
  g_string_append (chunked, "0\r\n\r\n");
  reply = raw_request (f, chunked->str);
  g_assert_true (bytes_start_with (reply, "HTTP/1.1 413"));

  /* An absurd body is not even drained: the connection goes. */
  g_string_printf (huge, "POST /callback HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                   "Content-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: 100000000\r\n\r\n", port);
  while (huge->len < 2 * 1024 * 1024)
    g_string_append_c (huge, 'z');
  reply2 = raw_request (f, huge->str);
  g_assert_false (bytes_contain (reply2, " 200 "));

  assert_still_waiting (f);
  assert_real_response_succeeds (f);
}

typedef struct {
  GPtrArray *connections;
  guint      pending;
} ConnectState;

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ConnectState *state = user_data;
  GSocketConnection *connection;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, NULL);
  if (connection != NULL)
    g_ptr_array_add (state->connections, connection);
  state->pending--;
}

/* Opens @n connections to @port and waits until all are connected. */
static GPtrArray *
connect_many (guint16 port,
              guint   n)
{
  g_autoptr(GSocketClient) client = socket_client_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  ConnectState state = { g_ptr_array_new_with_free_func (g_object_unref), n };
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  for (guint i = 0; i < n; i++)
    g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), NULL, connected_cb, &state);

  while (state.pending > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (state.pending, ==, 0);

  return state.connections;
}

static void
test_connection_cap (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) connections = NULL;
  gint64 begin;

  start_wait (f, NULL, FALSE, NULL);

  /* A local process holds 100 silent connections open; the idle deadline
   * (10 s) is far away. */
  connections = connect_many (lanyard_loopback_get_port (f->loopback), 100);
  g_assert_cmpuint (connections->len, ==, 100);
  for (guint i = 0; i < 20; i++)
    {
      spin (5);
      g_assert_cmpuint (lanyard_loopback_get_n_connections (f->loopback), <=, LANYARD_LOOPBACK_MAX_CONNECTIONS);
    }
  g_assert_cmpuint (lanyard_loopback_get_n_connections (f->loopback), ==, LANYARD_LOOPBACK_MAX_CONNECTIONS);

  /* The browser still gets in at once: the oldest silent one makes room. */
  begin = g_get_monotonic_time ();
  assert_still_waiting (f);
  assert_real_response_succeeds (f);
  g_assert_cmpint (g_get_monotonic_time () - begin, <, 2 * G_TIME_SPAN_SECOND);
}

static void
test_connection_flood (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GSocketClient) client = socket_client_new ();
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketConnection) browser = NULL;
  g_autoptr(GPtrArray) flood = NULL;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *code = NULL;
  guint16 port = lanyard_loopback_get_port (f->loopback);
  RawState state = { TRUE, FALSE };
  GOutputStream *out;
  gsize half;

  start_wait (f, NULL, FALSE, NULL);

  request = g_strdup_printf ("POST /callback HTTP/1.1\r\nHost: localhost:%u\r\n"
                             "Content-Type: application/x-www-form-urlencoded\r\n"
                             "Content-Length: %zu\r\n\r\ncode=%s&state=%s",
                             port, strlen ("code=" CODE "&state=" STATE), CODE, STATE);
  half = strlen (request) / 2;

  /* The browser has sent half of its request... */
  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  browser = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (browser));
  g_output_stream_write_all (out, request, half, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_splice_async (memory, g_io_stream_get_input_stream (G_IO_STREAM (browser)),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                raw_read_cb, &state);
  spin (50);

  /* ...when 100 connections arrive; then it sends the rest. */
  flood = connect_many (port, 100);
  spin (50);
  g_assert_cmpuint (lanyard_loopback_get_n_connections (f->loopback), <=, LANYARD_LOOPBACK_MAX_CONNECTIONS);
  g_output_stream_write_all (out, request + half, strlen (request) - half, NULL, NULL, &error);
  g_assert_no_error (error);

  code = finish_wait (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, CODE);

  lanyard_loopback_finish_page (f->loopback, TRUE, "Signed in", NULL);
  lanyard_test_wait_for (&state.read);
  reply = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  g_assert_true (bytes_start_with (reply, "HTTP/1.1 200"));
}

static void
test_slow_request (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSocketClient) client = socket_client_new ();
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  RawState state = { TRUE, FALSE };
  const char *start = "GET /callback?code=" CODE "&state=" STATE " HTTP/1.1\r\nHost: 127";
  gint64 begin;

  lanyard_loopback_set_limits (f->loopback, 0, 500, 0, 0);
  start_wait (f, NULL, FALSE, NULL);

  /* Half a request, then silence: dropped at the deadline. */
  address = g_inet_socket_address_new_from_string ("127.0.0.1", lanyard_loopback_get_port (f->loopback));
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             start, strlen (start), NULL, NULL, &error);
  g_assert_no_error (error);

  begin = g_get_monotonic_time ();
  g_output_stream_splice_async (memory, g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                raw_read_cb, &state);
  lanyard_test_wait_for (&state.read);
  g_assert_cmpint (g_get_monotonic_time () - begin, <, 5 * G_TIME_SPAN_SECOND);
  reply = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  g_assert_false (bytes_contain (reply, " 200 "));

  assert_still_waiting (f);
  assert_real_response_succeeds (f);
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  static const char tls_hello[] = "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\xff\xfe\r\n\r\n";
  static const char nuls[] = "\0\0\0\0\r\n\r\n";
  const char *requests[] = {
    "GET\r\n\r\n",
    "\r\n\r\n\r\n\r\n",
    "GET /callback?code=" CODE "&state=" STATE " HTTP/9.9\r\n\r\n",
    "GET /callback?code=" CODE "&state=" STATE " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    "GET /callback?code=" CODE "&state=" STATE " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
    "GET /callback?code=" CODE "&state=" STATE " HTTP/1.1\r\nHost: a/b\r\n\r\n",
    "GET http://evil.example/callback?code=" CODE "&state=" STATE " HTTP/1.1\r\n\r\n",
    "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
  };
  g_autoptr(GBytes) reply1 = NULL;
  g_autoptr(GBytes) reply2 = NULL;
  guint16 port = lanyard_loopback_get_port (f->loopback);

  start_wait (f, NULL, FALSE, NULL);

  reply1 = raw_exchange (port, "127.0.0.1", tls_hello, sizeof tls_hello - 1);
  g_assert_false (bytes_contain (reply1, " 200 "));
  reply2 = raw_exchange (port, "127.0.0.1", nuls, sizeof nuls - 1);
  g_assert_false (bytes_contain (reply2, " 200 "));

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr(GBytes) reply = raw_request (f, requests[i]);

      g_assert_false (bytes_contain (reply, " 200 "));
      g_assert_true (g_bytes_get_size (reply) == 0 || bytes_start_with (reply, "HTTP/1."));
    }

  assert_still_waiting (f);
  assert_real_response_succeeds (f);
}

static void
test_wrong_host (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *request = NULL;
  g_autofree char *request2 = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GBytes) reply2 = NULL;
  guint16 port = lanyard_loopback_get_port (f->loopback);

  start_wait (f, NULL, FALSE, NULL);

  /* DNS rebinding: a page on evil.example resolving to 127.0.0.1. */
  request = g_strdup_printf ("GET /callback?code=%s&state=%s HTTP/1.1\r\nHost: evil.example:%u\r\n\r\n",
                             CODE, STATE, port);
  reply = raw_request (f, request);
  g_assert_true (bytes_start_with (reply, "HTTP/1.1 400"));

  request2 = g_strdup_printf ("GET /callback?code=%s&state=%s HTTP/1.1\r\nHost: localhost:%u\r\n\r\n",
                              CODE, STATE, port + 1);
  reply2 = raw_request (f, request2);
  g_assert_true (bytes_start_with (reply2, "HTTP/1.1 400"));

  assert_still_waiting (f);
  assert_real_response_succeeds (f);
}

/* Request smuggling: where a proxy in front and this server could read the
 * host or the end of the body differently, the answer is 400 (RFC 9112
 * §6.3), even with the right state and code. */
static void
test_smuggling (Fixture       *f,
                gconstpointer  data)
{
  guint16 port = lanyard_loopback_get_port (f->loopback);
  static const char form[] = "code=" CODE "&state=" STATE;
  char *requests[] = {
    g_strdup_printf ("GET /callback?code=%s&state=%s HTTP/1.1\r\nHost: evil.example:%u\r\n"
                     "Host: localhost:%u\r\n\r\n", CODE, STATE, port, port),
    g_strdup_printf ("GET /callback?code=%s&state=%s HTTP/1.1\r\nHost: localhost:%u\r\n"
                     "Host: localhost:%u\r\n\r\n", CODE, STATE, port, port),
    g_strdup_printf ("GET /callback?code=%s&state=%s HTTP/1.1\r\nHost: evil@localhost:%u\r\n\r\n",
                     CODE, STATE, port),
    g_strdup_printf ("POST /callback HTTP/1.1\r\nHost: localhost:%u\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: 3\r\nContent-Length: %zu\r\n\r\n%s",
                     port, strlen (form), form),
    g_strdup_printf ("POST /callback HTTP/1.1\r\nHost: localhost:%u\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: %zu\r\nContent-Length: %zu\r\n\r\n%s",
                     port, strlen (form), strlen (form), form),
    g_strdup_printf ("POST /callback HTTP/1.1\r\nHost: localhost:%u\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Transfer-Encoding: chunked\r\nContent-Length: %zu\r\n\r\n"
                     "%zx\r\n%s\r\n0\r\n\r\n",
                     port, strlen (form), strlen (form), form),
    g_strdup_printf ("POST /callback HTTP/1.1\r\nHost: localhost:%u\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: %zu\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "%zx\r\n%s\r\n0\r\n\r\n",
                     port, strlen (form), strlen (form), form),
  };

  start_wait (f, NULL, FALSE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr(GBytes) reply = raw_request (f, requests[i]);

      g_test_message ("request %u", i);
      g_assert_true (bytes_start_with (reply, "HTTP/1.1 400"));
      assert_still_waiting (f);
    }

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    g_free (requests[i]);

  assert_real_response_succeeds (f);
}

static void
test_not_waiting (Fixture       *f,
                  gconstpointer  data)
{
  /* Before wait_async() nobody can tell the right state from a wrong one. */
  g_assert_cmpuint (http (f, "GET", "/callback?code=" CODE "&state=" STATE, NULL, NULL, NULL, NULL),
                    ==, SOUP_STATUS_SERVICE_UNAVAILABLE);

  start_wait (f, NULL, FALSE, NULL);
  assert_real_response_succeeds (f);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  guint16 port = lanyard_loopback_get_port (f->loopback);
  gint64 begin = g_get_monotonic_time ();

  lanyard_loopback_set_timeout (f->loopback, 1);
  start_wait (f, NULL, FALSE, NULL);

  code = finish_wait (f, &error);
  g_assert_null (code);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - begin, <, 5 * G_TIME_SPAN_SECOND);

  g_assert_false (lanyard_loopback_is_listening (f->loopback));
  assert_port_refuses (port);

  /* Nothing is held: this only stops what is already stopped. */
  lanyard_loopback_finish_page (f->loopback, FALSE, "Timed out", NULL);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  guint16 port = lanyard_loopback_get_port (f->loopback);

  start_wait (f, NULL, FALSE, cancellable);
  g_timeout_add (100, cancel_cb, cancellable);

  code = finish_wait (f, &error);
  g_assert_null (code);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
  assert_port_refuses (port);
}

static void
test_cancel_before (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_cancellable_cancel (cancellable);
  start_wait (f, NULL, FALSE, cancellable);

  code = finish_wait (f, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
}

static void
test_close_states (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) wait_error = NULL;
  g_autofree char *code = NULL;
  LanyardLoopback *loopback;

  /* Never waited. */
  loopback = lanyard_loopback_new ("127.0.0.1", 0, "/", &error);
  g_assert_no_error (error);
  g_object_unref (loopback);

  /* Closed twice, then a wait: refused, not hung. */
  loopback = lanyard_loopback_new ("127.0.0.1", 0, "/", &error);
  g_assert_no_error (error);
  lanyard_loopback_close (loopback);
  lanyard_loopback_close (loopback);
  g_assert_false (lanyard_loopback_is_listening (loopback));
  lanyard_loopback_wait_async (loopback, STATE, NULL, FALSE, NULL, lanyard_test_store_result_cb, &f->wait_result);
  {
    g_autoptr(GAsyncResult) result = lanyard_test_wait_result (&f->wait_result);
    g_assert_null (lanyard_loopback_wait_finish (loopback, result, &wait_error));
    g_assert_error (wait_error, LANYARD_ERROR, LANYARD_ERROR_FAILED);
    g_clear_error (&wait_error);
  }
  g_object_unref (loopback);

  /* Closed while waiting: the wait ends. */
  start_wait (f, NULL, FALSE, NULL);
  lanyard_loopback_close (f->loopback);
  code = finish_wait (f, &wait_error);
  g_assert_null (code);
  g_assert_error (wait_error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
  lanyard_loopback_finish_page (f->loopback, TRUE, "Too late", NULL);
}

static void
test_close_held (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  /* Dropped with a request held and no page given: the tab still gets one. */
  start_wait (f, NULL, FALSE, NULL);
  msg = message_new (f, "GET", "/callback?code=" CODE "&state=" STATE, NULL, NULL, 0);
  send_start (f, msg, &slot);
  code = finish_wait (f, &error);
  g_assert_no_error (error);

  g_clear_object (&f->loopback);

  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_true (bytes_contain (body, "Sign-in ended"));
  assert_security_headers (msg);
}

static void
test_wait_twice (Fixture       *f,
                 gconstpointer  data)
{
  start_wait (f, NULL, FALSE, NULL);

  g_test_expect_message ("lanyard-loopback", G_LOG_LEVEL_CRITICAL, "*wait_started*");
  lanyard_loopback_wait_async (f->loopback, STATE, NULL, FALSE, NULL, NULL, NULL);
  g_test_assert_expected_messages ();

  assert_real_response_succeeds (f);
}

static void
test_bound_to_loopback (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) sockets = lanyard_loopback_get_listen_sockets (f->loopback);
  gboolean have_ipv4 = FALSE;

  g_assert_cmpuint (sockets->len, >=, 1);
  g_assert_cmpuint (sockets->len, <=, 2);

  for (guint i = 0; i < sockets->len; i++)
    {
      g_autoptr(GSocketAddress) address = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      GInetAddress *inet;

      address = g_socket_get_local_address (g_ptr_array_index (sockets, i), &error);
      g_assert_no_error (error);
      inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
      text = g_inet_address_to_string (inet);

      g_assert_true (g_inet_address_get_is_loopback (inet));
      g_assert_false (g_inet_address_get_is_any (inet));
      g_assert_true (g_str_equal (text, "127.0.0.1") || g_str_equal (text, "::1"));
      g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)),
                        ==, lanyard_loopback_get_port (f->loopback));
      if (g_str_equal (text, "127.0.0.1"))
        have_ipv4 = TRUE;
    }
  g_assert_true (have_ipv4);

  lanyard_loopback_close (f->loopback);
  g_ptr_array_unref (g_steal_pointer (&sockets));
  sockets = lanyard_loopback_get_listen_sockets (f->loopback);
  g_assert_cmpuint (sockets->len, ==, 0);
}

/* Some address of this machine that is not loopback, or NULL. */
static GInetAddress *
find_external_address (void)
{
  struct ifaddrs *addrs, *ifa;
  GInetAddress *found = NULL;

  if (getifaddrs (&addrs) != 0)
    return NULL;

  for (ifa = addrs; ifa != NULL && found == NULL; ifa = ifa->ifa_next)
    {
      g_autoptr(GInetAddress) inet = NULL;

      if (ifa->ifa_addr == NULL)
        continue;

      if (ifa->ifa_addr->sa_family == AF_INET)
        inet = g_inet_address_new_from_bytes ((guint8 *) &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr,
                                              G_SOCKET_FAMILY_IPV4);
      else if (ifa->ifa_addr->sa_family == AF_INET6)
        inet = g_inet_address_new_from_bytes ((guint8 *) &((struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr,
                                              G_SOCKET_FAMILY_IPV6);
      else
        continue;

      /* Link-local IPv6 needs a scope id; skip it. */
      if (!g_inet_address_get_is_loopback (inet) && !g_inet_address_get_is_link_local (inet) &&
          !g_inet_address_get_is_any (inet))
        found = g_steal_pointer (&inet);
    }

  freeifaddrs (addrs);
  return found;
}

static void
test_external_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GInetAddress) external = find_external_address ();
  g_autoptr(GSocketClient) client = socket_client_new ();
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (external == NULL)
    {
      g_test_skip ("This machine has no address but loopback");
      return;
    }

  text = g_inet_address_to_string (external);
  g_test_message ("Connecting to %s", text);

  address = g_inet_socket_address_new (external, lanyard_loopback_get_port (f->loopback));
  g_socket_client_set_timeout (client, 5);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_null (connection);
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE));
}

static void
test_ipv6 (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) sockets = lanyard_loopback_get_listen_sockets (f->loopback);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) slot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *code = NULL;

  if (sockets->len < 2)
    {
      g_test_skip ("No IPv6 loopback on this machine");
      return;
    }

  start_wait (f, NULL, FALSE, NULL);
  url = g_strdup_printf ("http://[::1]:%u/callback?code=%s&state=%s",
                         lanyard_loopback_get_port (f->loopback), CODE, STATE);
  msg = soup_message_new ("GET", url);
  send_start (f, msg, &slot);

  code = finish_wait (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, CODE);

  lanyard_loopback_finish_page (f->loopback, TRUE, "Signed in", NULL);
  body = send_finish (f, &slot);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
}

static void
test_redirect_uri (void)
{
  g_autoptr(LanyardLoopback) a = NULL;
  g_autoptr(LanyardLoopback) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_a = NULL;
  g_autofree char *expected_b = NULL;
  guint16 port;

  a = lanyard_loopback_new ("localhost", 0, "/", &error);
  g_assert_no_error (error);
  port = lanyard_loopback_get_port (a);
  g_assert_cmpuint (port, >, 0);
  expected_a = g_strdup_printf ("http://localhost:%u/", port);
  g_assert_cmpstr (lanyard_loopback_get_redirect_uri (a), ==, expected_a);

  /* A fixed port: take the one just freed. */
  g_clear_object (&a);
  b = lanyard_loopback_new ("127.0.0.1", port, "/oauth2/callback", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lanyard_loopback_get_port (b), ==, port);
  expected_b = g_strdup_printf ("http://127.0.0.1:%u/oauth2/callback", port);
  g_assert_cmpstr (lanyard_loopback_get_redirect_uri (b), ==, expected_b);

  /* The port is ours: a second listener cannot have it. */
  a = lanyard_loopback_new ("localhost", port, "/", &error);
  g_assert_null (a);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
}

static void
test_bad_config (void)
{
  const char *hosts[] = { "0.0.0.0", "::", "::1", "[::1]", "example.com", "LOCALHOST", "",
                          "localhost:80", "127.0.0.2", "localhost.", NULL };
  const char *paths[] = { "callback", "", "/a?b", "/a#b", "/a b", "/%2F", "/a/../b", "/a/.",
                          "/\xc3\xa9", "/a\r\nb", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanyardLoopback) loopback = lanyard_loopback_new (hosts[i], 0, "/", &error);

      g_assert_null (loopback);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
    }

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanyardLoopback) loopback = lanyard_loopback_new ("localhost", 0, paths[i], &error);

      g_assert_null (loopback);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
    }
}

static void
test_page (void)
{
  g_autofree char *page = NULL;
  g_autofree char *invalid = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *long_page = NULL;

  page = lanyard_loopback_page_build ("<T&'\">", "a\nb\x01</p><img src=x onerror=alert(1)>");
  g_assert_true (g_str_has_prefix (page, "<!DOCTYPE html>\n"));
  g_assert_nonnull (strstr (page, "<title>&lt;T&amp;&apos;&quot;&gt;</title>"));
  g_assert_nonnull (strstr (page, "<p>a\nb &lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;</p>"));
  g_assert_null (strstr (page, "<img"));
  g_assert_null (strstr (page, "<script"));
  g_assert_null (strstr (page, "src=\"http"));
  g_assert_null (strstr (page, "\x01"));

  invalid = lanyard_loopback_page_build ("ok", "bad \xff\xfe utf-8");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (long_text, 'x');
  long_page = lanyard_loopback_page_build (long_text->str, long_text->str);
  g_assert_cmpuint (strlen (long_page), <, 4000);
}

/* ------------------------------------------------------------------------ */
/* The connection stream's sources, used the way libsoup uses them          */
/* ------------------------------------------------------------------------ */

static gboolean
flag_source_cb (GObject  *stream,
                gpointer  user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* What SoupFilterInputStream and soup_message_io_data_get_source() do with
 * a stream's source: a dummy callback, then a child of their own source.
 * A source that already had a callback would be destroyed by the dummy
 * one (GLib 2.74), and adding it would be a critical. */
static void
wait_like_libsoup (GPollableInputStream *stream,
                   GCancellable         *cancellable)
{
  g_autoptr(GSource) child = g_pollable_input_stream_create_source (stream, cancellable);
  g_autoptr(GSource) parent = g_pollable_source_new (G_OBJECT (stream));
  gboolean ready = FALSE;

  g_source_set_dummy_callback (child);
  g_assert_false (g_source_is_destroyed (child));
  g_source_add_child_source (parent, child);
  g_source_set_callback (parent, G_SOURCE_FUNC (flag_source_cb), &ready, NULL);
  g_source_attach (parent, NULL);
  lanyard_test_wait_for (&ready);
  g_source_destroy (parent);
}

static void
test_conn_sources (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketClient) client = socket_client_new ();
  g_autoptr(GSocketConnection) peer = NULL;
  g_autoptr(GSocketConnection) accepted = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(LanyardLoopbackConn) conn = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GPollableInputStream *stream;
  GOutputStream *out;
  char buffer[64];
  gssize n;

  g_socket_listener_add_address (listener, any_port, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  peer = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (bound), NULL, &error);
  g_assert_no_error (error);
  accepted = g_socket_listener_accept (listener, NULL, NULL, &error);
  g_assert_no_error (error);
  remote = g_socket_connection_get_remote_address (accepted, &error);
  g_assert_no_error (error);

  /* A 32-byte header budget. */
  conn = lanyard_loopback_conn_new (accepted, remote, 32, 64, 10000, NULL, NULL);
  stream = G_POLLABLE_INPUT_STREAM (conn);
  out = g_io_stream_get_output_stream (G_IO_STREAM (peer));
  g_assert_false (lanyard_loopback_conn_has_input (conn));

  /* Waiting for data, with and without a cancellable, again and again. */
  g_output_stream_write_all (out, "GET / HTTP/1.1\r\n", 16, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    wait_like_libsoup (stream, i % 2 ? cancellable : NULL);
  n = g_pollable_input_stream_read_nonblocking (stream, buffer, 8, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 8);
  g_assert_true (lanyard_loopback_conn_has_input (conn));
  wait_like_libsoup (stream, NULL);
  n = g_pollable_input_stream_read_nonblocking (stream, buffer, sizeof buffer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 8);

  /* Over the budget: the next read fails, and waiting for it ends at once
   * though the peer sends nothing more. */
  g_output_stream_write_all (out, "X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 36, NULL, NULL, &error);
  g_assert_no_error (error);
  wait_like_libsoup (stream, NULL);
  n = g_pollable_input_stream_read_nonblocking (stream, buffer, sizeof buffer, NULL, &error);
  g_assert_cmpint (n, ==, 16);
  g_assert_no_error (error);
  g_assert_true (g_pollable_input_stream_is_readable (stream));
  wait_like_libsoup (stream, cancellable);
  n = g_pollable_input_stream_read_nonblocking (stream, buffer, sizeof buffer, NULL, &error);
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
}

/* ------------------------------------------------------------------------ */
/* Stress: the real response, delivered many ways                           */
/* ------------------------------------------------------------------------ */

/* A raw client that writes its request in pieces, with pauses between. */
typedef struct {
  GSocketConnection *connection;
  GOutputStream     *memory;
  GPtrArray         *chunks;       /* GBytes */
  guint              next;
  guint              max_delay_ms;
  gboolean           written;
  gboolean           read;
} Dribble;

static void dribble_next (Dribble *d);

static void
dribble_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Dribble *d = user_data;

  /* The server may hang up first; then the rest is not sent. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      d->written = TRUE;
      return;
    }

  dribble_next (d);
}

static gboolean
dribble_write_cb (gpointer user_data)
{
  Dribble *d = user_data;
  GBytes *chunk = g_ptr_array_index (d->chunks, d->next++);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (d->connection)),
                                   g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk),
                                   G_PRIORITY_DEFAULT, NULL, dribble_written_cb, d);

  return G_SOURCE_REMOVE;
}

static void
dribble_next (Dribble *d)
{
  guint delay;

  if (d->next == d->chunks->len)
    {
      d->written = TRUE;
      return;
    }

  delay = d->max_delay_ms > 0 ? (guint) g_test_rand_int_range (0, d->max_delay_ms + 1) : 0;
  if (delay == 0 && d->next == 0)
    dribble_write_cb (d);
  else
    g_timeout_add (delay, dribble_write_cb, d);
}

static void
dribble_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Dribble *d = user_data;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, NULL);
  d->read = TRUE;
}

/* Cuts @request into up to four pieces; one cut often falls right where the
 * headers end, as browsers do. */
static Dribble *
dribble_start (guint16     port,
               const char *request,
               guint       max_delay_ms)
{
  g_autoptr(GSocketClient) client = socket_client_new ();
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  g_autoptr(GError) error = NULL;
  Dribble *d = g_new0 (Dribble, 1);
  gsize len = strlen (request);
  const char *blank = strstr (request, "\r\n\r\n");
  gsize cuts[4];
  guint n_cuts = 0;
  gsize at = 0;

  d->connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);
  d->memory = g_memory_output_stream_new_resizable ();
  d->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  d->max_delay_ms = max_delay_ms;

  if (blank != NULL && g_test_rand_bit ())
    cuts[n_cuts++] = blank - request + 4;
  for (guint i = g_test_rand_int_range (0, 3); i > 0; i--)
    cuts[n_cuts++] = g_test_rand_int_range (1, len);

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize end = len;

      /* The smallest cut still ahead. */
      for (guint j = 0; j < n_cuts; j++)
        if (cuts[j] > at && cuts[j] < end)
          end = cuts[j];
      if (end > at)
        g_ptr_array_add (d->chunks, g_bytes_new (request + at, end - at));
      at = end;
    }

  g_output_stream_splice_async (d->memory, g_io_stream_get_input_stream (G_IO_STREAM (d->connection)),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                dribble_read_cb, d);
  dribble_next (d);

  return d;
}

static GBytes *
dribble_finish (Dribble *d)
{
  GBytes *reply;

  lanyard_test_wait_for (&d->read);
  lanyard_test_wait_for (&d->written);
  reply = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (d->memory));

  g_object_unref (d->connection);
  g_object_unref (d->memory);
  g_ptr_array_unref (d->chunks);
  g_free (d);

  return reply;
}

typedef enum {
  DELIVER_SOUP_POST,
  DELIVER_SOUP_GET,
  DELIVER_RAW_POST,
  DELIVER_RAW_GET,
  N_DELIVER
} Deliver;

typedef enum {
  ANSWER_AT_ONCE,        /* finish_page() straight from the wait's result */
  ANSWER_LATER,          /* after the code is redeemed, as the client does */
  ANSWER_CLOSE_DROP,     /* finish_page(), close(), unref at once */
  ANSWER_DROP,           /* no page: dropping the listener answers */
  N_ANSWER
} Answer;

static void
test_stress (void)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                                  "timeout", 20, NULL);
  const char *env = g_getenv ("LANYARD_LOOPBACK_STRESS");
  guint loops = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 300;
  guint counts[N_DELIVER] = { 0, };

  for (guint i = 0; i < loops; i++)
    {
      g_autoptr(LanyardLoopback) loopback = NULL;
      g_autoptr(GAsyncResult) wait_result = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GAsyncResult) send_result = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *code = NULL;
      g_autofree char *url = NULL;
      g_autofree char *request = NULL;
      Deliver deliver = i % N_DELIVER;
      Answer answer = (i / N_DELIVER) % N_ANSWER;
      Dribble *dribble = NULL;
      g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func (g_object_unref);
      guint16 port;
      guint expected = answer == ANSWER_DROP ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_OK;

      loopback = lanyard_loopback_new (i % 2 ? "localhost" : "127.0.0.1", 0, "/callback", &error);
      g_assert_no_error (error);
      port = lanyard_loopback_get_port (loopback);
      lanyard_loopback_wait_async (loopback, STATE, NULL, FALSE, NULL,
                                   lanyard_test_store_result_cb, &wait_result);

      /* Browsers open spare connections (preconnect, both address
       * families); they are dropped when the response is taken. */
      for (guint j = g_test_rand_int_range (0, 3); j > 0; j--)
        {
          g_autoptr(GSocketClient) client = socket_client_new ();
          g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
          GSocketConnection *spare = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);

          g_assert_no_error (error);
          if (g_test_rand_bit ())
            g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (spare)),
                                       "GET / HTTP/1.1\r\n", 16, NULL, NULL, NULL);
          g_ptr_array_add (idle, spare);
        }

      switch (deliver)
        {
        case DELIVER_SOUP_POST:
        case DELIVER_SOUP_GET:
          {
            g_autoptr(GBytes) form = g_bytes_new_static ("code=" CODE "&state=" STATE,
                                                         strlen ("code=" CODE "&state=" STATE));

            if (deliver == DELIVER_SOUP_POST)
              {
                url = url_for (port, "/callback");
                msg = soup_message_new ("POST", url);
                soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
              }
            else
              {
                url = url_for (port, "/callback?code=" CODE "&state=" STATE);
                msg = soup_message_new ("GET", url);
              }
            soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                              lanyard_test_store_result_cb, &send_result);
          }
          break;

        case DELIVER_RAW_POST:
          request = g_strdup_printf ("POST /callback HTTP/1.1\r\nHost: localhost:%u\r\n"
                                     "Content-Type: application/x-www-form-urlencoded\r\n"
                                     "Content-Length: %zu\r\n\r\ncode=%s&state=%s",
                                     port, strlen ("code=" CODE "&state=" STATE), CODE, STATE);
          dribble = dribble_start (port, request, 3);
          break;

        case DELIVER_RAW_GET:
          request = g_strdup_printf ("GET /callback?code=%s&state=%s HTTP/1.1\r\n"
                                     "Host: localhost:%u\r\n\r\n", CODE, STATE, port);
          dribble = dribble_start (port, request, 3);
          break;

        default:
          g_assert_not_reached ();
        }
      counts[deliver]++;

      result = lanyard_test_wait_result (&wait_result);
      code = lanyard_loopback_wait_finish (loopback, result, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (code, ==, CODE);
      /* The result holds the listener: only the test's reference is left. */
      g_clear_object (&result);

      switch (answer)
        {
        case ANSWER_AT_ONCE:
          lanyard_loopback_finish_page (loopback, TRUE, "Signed in", NULL);
          break;
        case ANSWER_LATER:
          spin (g_test_rand_int_range (0, 15));
          lanyard_loopback_finish_page (loopback, TRUE, "Signed in", NULL);
          break;
        case ANSWER_CLOSE_DROP:
          lanyard_loopback_finish_page (loopback, TRUE, "Signed in", NULL);
          lanyard_loopback_close (loopback);
          g_clear_object (&loopback);
          break;
        case ANSWER_DROP:
          g_clear_object (&loopback);
          break;
        default:
          g_assert_not_reached ();
        }

      if (msg != NULL)
        {
          g_autoptr(GAsyncResult) sent = lanyard_test_wait_result (&send_result);

          reply = soup_session_send_and_read_finish (session, sent, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (soup_message_get_status (msg), ==, expected);
        }
      else
        {
          g_autofree char *status_line = g_strdup_printf ("HTTP/1.1 %u ", expected);

          reply = dribble_finish (dribble);
          g_assert_true (bytes_start_with (reply, status_line));
        }

      g_clear_object (&loopback);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  g_test_message ("%u deliveries: %u soup POST, %u soup GET, %u raw POST, %u raw GET", loops,
                  counts[DELIVER_SOUP_POST], counts[DELIVER_SOUP_GET],
                  counts[DELIVER_RAW_POST], counts[DELIVER_RAW_GET]);
}

int
main (int   argc,
      char *argv[])
{
  loopback_log = g_string_new (NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_log_set_debug_enabled (TRUE);

  lanyard_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/lanyard/loopback/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("get-success", test_get_success);
  ADD ("form-post-success", test_form_post_success);
  ADD ("form-post-charset", test_form_post_charset);
  ADD ("wrong-state", test_wrong_state);
  ADD ("wrong-path", test_wrong_path);
  ADD ("wrong-method", test_wrong_method);
  ADD ("provider-error", test_provider_error);
  ADD ("provider-error-long", test_provider_error_long);
  ADD ("no-code", test_no_code);
  ADD ("duplicate-params", test_duplicate_params);
  ADD ("iss-match", test_iss);
  ADD ("iss-mismatch", test_iss_mismatch);
  ADD ("iss-double-encoded", test_iss_double_encoded);
  ADD ("iss-missing-required", test_iss_missing);
  ADD ("iss-missing-optional", test_iss_missing_optional);
  ADD ("headers-too-large", test_headers_too_large);
  ADD ("body-too-large", test_body_too_large);
  ADD ("connection-cap", test_connection_cap);
  ADD ("connection-flood", test_connection_flood);
  ADD ("slow-request", test_slow_request);
  ADD ("garbage", test_garbage);
  ADD ("wrong-host", test_wrong_host);
  ADD ("smuggling", test_smuggling);
  ADD ("not-waiting", test_not_waiting);
  ADD ("timeout", test_timeout);
  ADD ("cancel", test_cancel);
  ADD ("cancel-before", test_cancel_before);
  ADD ("close-states", test_close_states);
  ADD ("close-held", test_close_held);
  ADD ("wait-twice", test_wait_twice);
  ADD ("bound-to-loopback", test_bound_to_loopback);
  ADD ("external-refused", test_external_refused);
  ADD ("ipv6", test_ipv6);

#undef ADD

  g_test_add_func ("/lanyard/loopback/redirect-uri", test_redirect_uri);
  g_test_add_func ("/lanyard/loopback/bad-config", test_bad_config);
  g_test_add_func ("/lanyard/loopback/page", test_page);
  g_test_add_func ("/lanyard/loopback/conn-sources", test_conn_sources);
  g_test_add_func ("/lanyard/loopback/stress", test_stress);

  return g_test_run ();
}
