/* test-token-endpoint.c — what we send to the token endpoint, and how we read its answers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "test-token-endpoint"

#include "config.h"

#include "lanyard-error.h"
#include "lanyard-http.h"
#include "lanyard-test-utils.h"
#include "lanyard-token-endpoint.h"

#define CODE "SplxlOBeZQQYbYS6WxSbIA-the-code"
#define VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define REFRESH_TOKEN "tGzv3JOkF0XG5Qx2TlKWIA-refresh"
#define NOW 1700000000

/* Everything logged in this process, to prove no secret ever is. */
static GString *log_text;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
assert_no_secrets (const char *text)
{
  g_assert_null (strstr (text, CODE));
  g_assert_null (strstr (text, VERIFIER));
  g_assert_null (strstr (text, REFRESH_TOKEN));
  g_assert_null (strstr (text, "secret-access-token"));
}

typedef struct {
  SoupServer  *server;
  SoupSession *session;
  char        *base;
  char        *endpoint;
  GHashTable  *form;         /* what the server received */
  char        *method;
  char        *content_type;
  guint        status;       /* what it answers */
  const char  *content_type_out;
  char        *body;
} Fixture;

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autofree char *form = g_strndup (request->data, request->length);

  g_clear_pointer (&fixture->form, g_hash_table_unref);
  g_clear_pointer (&fixture->method, g_free);
  g_clear_pointer (&fixture->content_type, g_free);

  fixture->form = soup_form_decode (form);
  fixture->method = g_strdup (soup_server_message_get_method (msg));
  fixture->content_type = g_strdup (soup_message_headers_get_content_type (
                                      soup_server_message_get_request_headers (msg), NULL));

  if (g_str_equal (path, "/redirect"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/token");
      return;
    }

  soup_server_message_set_status (msg, fixture->status, NULL);
  if (fixture->body != NULL)
    soup_server_message_set_response (msg, fixture->content_type_out, SOUP_MEMORY_COPY,
                                      fixture->body, strlen (fixture->body));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = lanyard_test_server_new (&fixture->base);
  fixture->session = lanyard_http_session_new (NULL, NULL);
  fixture->endpoint = g_strconcat (fixture->base, "/token", NULL);
  fixture->status = SOUP_STATUS_OK;
  fixture->content_type_out = "application/json";
  fixture->body = g_strdup ("{\"access_token\":\"secret-access-token\",\"token_type\":\"Bearer\","
                            "\"expires_in\":3599,\"scope\":\"openid profile offline_access\","
                            "\"refresh_token\":\"new-refresh\",\"id_token\":\"a.b.c\"}");
  soup_server_add_handler (fixture->server, NULL, handler_cb, fixture, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  assert_no_secrets (log_text->str);

  g_clear_object (&fixture->session);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->base, g_free);
  g_clear_pointer (&fixture->endpoint, g_free);
  g_clear_pointer (&fixture->form, g_hash_table_unref);
  g_clear_pointer (&fixture->method, g_free);
  g_clear_pointer (&fixture->content_type, g_free);
  g_clear_pointer (&fixture->body, g_free);
}

static LanyardTokenResponse *
redeem (Fixture     *fixture,
        const char  *endpoint,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  lanyard_token_redeem_code_async (fixture->session, endpoint, "client-123", CODE,
                                   "http://localhost:41234", VERIFIER, NULL,
                                   lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);

  return lanyard_token_request_finish (result, error);
}

static void
assert_form (Fixture    *fixture,
             const char *const *expected)
{
  guint n = 0;

  g_assert_cmpstr (fixture->method, ==, "POST");
  g_assert_cmpstr (fixture->content_type, ==, "application/x-www-form-urlencoded");

  for (; expected[n] != NULL; n += 2)
    g_assert_cmpstr (g_hash_table_lookup (fixture->form, expected[n]), ==, expected[n + 1]);

  /* Exactly these: in particular, a public client sends no client_secret. */
  g_assert_cmpuint (g_hash_table_size (fixture->form), ==, n / 2);
  g_assert_false (g_hash_table_contains (fixture->form, "client_secret"));
}

static void
test_redeem (Fixture       *fixture,
             gconstpointer  data)
{
  static const char *const expected[] = {
    "grant_type", "authorization_code",
    "code", CODE,
    "redirect_uri", "http://localhost:41234",
    "client_id", "client-123",
    "code_verifier", VERIFIER,
    NULL,
  };
  g_autoptr(LanyardTokenResponse) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  tokens = redeem (fixture, fixture->endpoint, &error);
  g_assert_no_error (error);
  assert_form (fixture, expected);

  g_assert_cmpstr (tokens->access_token, ==, "secret-access-token");
  g_assert_cmpstr (tokens->token_type, ==, "Bearer");
  g_assert_cmpstr (tokens->refresh_token, ==, "new-refresh");
  g_assert_cmpstr (tokens->id_token, ==, "a.b.c");
  g_assert_cmpstr (tokens->scope, ==, "openid profile offline_access");
  g_assert_cmpint (tokens->expires_at, >=, before + 3599);
  g_assert_cmpint (tokens->expires_at, <=, g_get_real_time () / G_USEC_PER_SEC + 3599);
}

static void
test_refresh (Fixture       *fixture,
              gconstpointer  data)
{
  static const char *const with_scope[] = {
    "grant_type", "refresh_token",
    "refresh_token", REFRESH_TOKEN,
    "client_id", "client-123",
    "scope", "openid offline_access api://x/read",
    NULL,
  };
  static const char *const without_scope[] = {
    "grant_type", "refresh_token",
    "refresh_token", REFRESH_TOKEN,
    "client_id", "client-123",
    NULL,
  };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(LanyardTokenResponse) tokens = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      GAsyncResult *slot = NULL;

      lanyard_token_refresh_async (fixture->session, fixture->endpoint, "client-123", REFRESH_TOKEN,
                                   i == 0 ? "openid offline_access api://x/read" : NULL, NULL,
                                   lanyard_test_store_result_cb, &slot);
      result = lanyard_test_wait_result (&slot);
      tokens = lanyard_token_request_finish (result, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (tokens->refresh_token, ==, "new-refresh");
      assert_form (fixture, i == 0 ? with_scope : without_scope);
    }
}

static gboolean
do_revoke (Fixture     *fixture,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *endpoint = g_strconcat (fixture->base, "/revoke", NULL);
  GAsyncResult *slot = NULL;

  lanyard_token_revoke_async (fixture->session, endpoint, "client-123", REFRESH_TOKEN,
                              "refresh_token", NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);

  return lanyard_token_revoke_finish (result, error);
}

static void
test_revoke (Fixture       *fixture,
             gconstpointer  data)
{
  static const char *const expected[] = {
    "token", REFRESH_TOKEN,
    "token_type_hint", "refresh_token",
    "client_id", "client-123",
    NULL,
  };
  g_autoptr(GError) error = NULL;

  /* RFC 7009: an empty 200 is success. */
  g_clear_pointer (&fixture->body, g_free);
  g_assert_true (do_revoke (fixture, &error));
  g_assert_no_error (error);
  assert_form (fixture, expected);

  fixture->status = SOUP_STATUS_BAD_REQUEST;
  fixture->body = g_strdup ("{\"error\":\"unsupported_token_type\"}");
  g_assert_false (do_revoke (fixture, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_PROVIDER);
  g_assert_cmpstr (error->message, ==, "The provider reported an error (the provider says “unsupported_token_type”)");
  g_clear_error (&error);

  fixture->status = SOUP_STATUS_SERVICE_UNAVAILABLE;
  g_clear_pointer (&fixture->body, g_free);
  g_assert_false (do_revoke (fixture, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_PROVIDER);
  g_assert_cmpstr (error->message, ==, "The provider answered with an error (HTTP 503 Service Unavailable)");
}

static void
test_server_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LanyardTokenResponse) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = g_strconcat (fixture->base, "/redirect", NULL);

  fixture->status = SOUP_STATUS_BAD_REQUEST;
  g_free (fixture->body);
  fixture->body = g_strdup ("{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70008: The provided "
                            "authorization code or refresh token has expired.\"}");
  tokens = redeem (fixture, fixture->endpoint, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED);
  g_assert_true (g_str_has_prefix (error->message, "The provider no longer accepts this sign-in: it "
                                   "has expired or was revoked (the provider says “invalid_grant: AADSTS70008"));
  g_assert_null (tokens);
  g_clear_error (&error);

  /* An HTML error page that echoes the request: status only. */
  fixture->status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  fixture->content_type_out = "text/html";
  g_free (fixture->body);
  fixture->body = g_strdup ("<html><body>Oops: code=" CODE "&code_verifier=" VERIFIER "</body></html>");
  tokens = redeem (fixture, fixture->endpoint, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_PROVIDER);
  g_assert_cmpstr (error->message, ==, "The provider answered with an error (HTTP 500 Internal Server Error)");
  g_clear_error (&error);

  /* A 200 that is no token response. */
  fixture->status = SOUP_STATUS_OK;
  tokens = redeem (fixture, fixture->endpoint, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  assert_no_secrets (error->message);
  g_clear_error (&error);

  /* Redirects are not followed: the code must go to the endpoint and nowhere else. */
  tokens = redeem (fixture, redirect, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_PROVIDER);
  g_assert_cmpstr (error->message, ==, "The provider answered with an error (HTTP 302 Found)");
  g_clear_error (&error);

  tokens = redeem (fixture, "not a url", &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
}

static void
test_huge_body (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(LanyardTokenResponse) tokens = NULL;
  g_autoptr(GError) error = NULL;
  GString *huge = g_string_new ("{\"access_token\":\"");

  while (huge->len < LANYARD_HTTP_MAX_BODY + 10)
    g_string_append (huge, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  g_string_append (huge, "\",\"token_type\":\"Bearer\"}");

  g_free (fixture->body);
  fixture->body = g_string_free (huge, FALSE);

  tokens = redeem (fixture, fixture->endpoint, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
  g_assert_null (tokens);
}

static LanyardTokenResponse *
parse (const char  *json,
       GError     **error)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  return lanyard_token_response_parse (body, NOW, error);
}

static void
test_parse (void)
{
  static const struct {
    const char *json;
    gint64      expires_at;
  } cases[] = {
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"expires_in\":3600}", NOW + 3600 },
    { "{\"access_token\":\"x\",\"token_type\":\"bearer\",\"expires_in\":\"3600\"}", NOW + 3600 },
    { "{\"access_token\":\"x\",\"token_type\":\"BEARER\",\"expires_in\":3600.0}", NOW + 3600 },
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"expires_in\":0}", NOW },
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer\"}", 0 },
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"expires_in\":null}", 0 },
  };
  g_autoptr(LanyardTokenResponse) full = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LanyardTokenResponse) tokens = parse (cases[i].json, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (tokens->access_token, ==, "x");
      g_assert_cmpint (tokens->expires_at, ==, cases[i].expires_at);
      g_assert_null (tokens->refresh_token);
      g_assert_null (tokens->id_token);
      g_assert_null (tokens->scope);
    }

  /* Entra's shape, with ext_expires_in and an empty refresh token meaning none. */
  full = parse ("{\"token_type\":\"Bearer\",\"scope\":\"openid profile\",\"expires_in\":4742,"
                "\"ext_expires_in\":4742,\"access_token\":\"eyJ0\",\"refresh_token\":\"\","
                "\"id_token\":\"eyJ1\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (full->scope, ==, "openid profile");
  g_assert_cmpstr (full->id_token, ==, "eyJ1");
  g_assert_null (full->refresh_token);
  g_assert_cmpint (full->expires_at, ==, NOW + 4742);
}

static void
test_parse_invalid (void)
{
  static const struct {
    const char *json;
    const char *message_part;
  } cases[] = {
    { "{\"token_type\":\"Bearer\",\"expires_in\":3600}", "no access_token" },
    { "{\"access_token\":\"\",\"token_type\":\"Bearer\"}", "no access_token" },
    { "{\"access_token\":42,\"token_type\":\"Bearer\"}", "access_token" },
    { "{\"access_token\":\"x\"}", "no token_type" },
    { "{\"access_token\":\"x\",\"token_type\":\"DPoP\"}", "not Bearer" },
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer \"}", "not Bearer" },
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"expires_in\":\"soon\"}", "expires_in" },
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"expires_in\":-5}", "expires_in" },
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"expires_in\":1.5}", "expires_in" },
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"expires_in\":{}}", "expires_in" },
    { "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"id_token\":[\"a\"]}", "id_token" },
    { "{\"access_token\":\"x\",\"access_token\":\"y\",\"token_type\":\"Bearer\"}", "token response" },
    { "access_token=x&token_type=Bearer", "token response" },
    { "", "token response" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LanyardTokenResponse) tokens = NULL;
      g_autoptr(GError) error = NULL;

      tokens = parse (cases[i].json, &error);
      g_assert_null (tokens);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].message_part);
    }
}

static void
test_oauth_errors (void)
{
  static const struct {
    guint       status;
    const char *body;
    int         code;
    const char *message;
  } cases[] = {
    { 400,
      "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50126: Error validating credentials.\\r\\n"
      "Trace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\\r\\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd\","
      "\"error_codes\":[50126,7000218],\"timestamp\":\"2024-05-01 10:00:00Z\","
      "\"trace_id\":\"0000aaaa-11bb-cccc-dd22-eeeeee333333\","
      "\"correlation_id\":\"aaaa0000-bb11-2222-33cc-444444dddddd\",\"suberror\":\"bad_token\"}",
      LANYARD_ERROR_INTERACTION_REQUIRED,
      "invalid_grant: AADSTS50126: Error validating credentials. "
      "Trace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333 Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd "
      "(error codes 50126, 7000218; suberror bad_token; correlation ID aaaa0000-bb11-2222-33cc-444444dddddd)" },
    { 400, "{\"error\":\"interaction_required\"}", LANYARD_ERROR_INTERACTION_REQUIRED, "interaction_required" },
    { 400, "{\"error\":\"login_required\"}", LANYARD_ERROR_INTERACTION_REQUIRED, "login_required" },
    { 400, "{\"error\":\"consent_required\",\"error_description\":\"AADSTS65001: consent\"}",
      LANYARD_ERROR_INTERACTION_REQUIRED, "consent_required: AADSTS65001: consent" },
    { 401, "{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}",
      LANYARD_ERROR_PROVIDER, "invalid_client: client authentication failed" },
    { 400, "{\"error\":\"invalid_request\",\"error_codes\":[\"x\",900144]}",
      LANYARD_ERROR_PROVIDER, "invalid_request (error codes 900144)" },
    { 400, "{\"error\":\"invalid_request\",\"suberror\":\"\"}", LANYARD_ERROR_PROVIDER, "invalid_request" },
    { 500, "", LANYARD_ERROR_PROVIDER, "HTTP 500 Internal Server Error" },
    { 500, NULL, LANYARD_ERROR_PROVIDER, "HTTP 500 Internal Server Error" },
    { 502, "<html><h1>Bad gateway</h1>" CODE "</html>", LANYARD_ERROR_PROVIDER, "HTTP 502 Bad Gateway" },
    { 400, "{}", LANYARD_ERROR_PROVIDER, "HTTP 400 Bad Request" },
    { 400, "{\"error\":17}", LANYARD_ERROR_PROVIDER, "HTTP 400 Bad Request" },
    { 400, "{\"error\":\"\"}", LANYARD_ERROR_PROVIDER, "HTTP 400 Bad Request" },
    { 400, "{\"error\":\"invalid_grant\",\"error\":\"other\"}", LANYARD_ERROR_PROVIDER, "HTTP 400 Bad Request" },
    { 599, "oops", LANYARD_ERROR_PROVIDER, "HTTP 599" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = cases[i].body != NULL ? g_bytes_new_static (cases[i].body, strlen (cases[i].body)) : NULL;
      g_autoptr(GError) error = lanyard_oauth_error_from_response (cases[i].status, body);

      g_assert_error (error, LANYARD_ERROR, cases[i].code);
      if (g_str_has_prefix (cases[i].message, "HTTP "))
        {
          g_autofree char *expected = g_strdup_printf ("The provider answered with an error (%s)",
                                                       cases[i].message);
          g_assert_cmpstr (error->message, ==, expected);
        }
      else
        {
          /* What it means first, then the provider's words verbatim. */
          g_autofree char *said = g_strdup_printf (" (the provider says “%s”)", cases[i].message);
          g_assert_true (g_str_has_suffix (error->message, said));
          g_assert_cmpuint (strlen (error->message), >, strlen (said) + 10);
        }
    }
}

static void
test_oauth_error_bounded (void)
{
  g_autoptr(GString) description = g_string_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append (description, "blah ");
  json = g_strdup_printf ("{\"error\":\"server_error\",\"error_description\":\"%s\\u0007\\u001b[31m\"}",
                          description->str);
  body = g_bytes_new (json, strlen (json));

  error = lanyard_oauth_error_from_response (400, body);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_PROVIDER);
  /* The bound is on the provider's words; the explanation comes on top. */
  g_assert_cmpuint (strlen (error->message), <, 1200);
  g_assert_true (g_str_has_suffix (error->message, "…”)"));
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false (g_ascii_iscntrl (*p));
}

int
main (int    argc,
      char **argv)
{
  log_text = g_string_new (NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);

  /* glib-networking's GNOME proxy resolver aborts without GSettings schemas,
   * which the isolated XDG dirs hide; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/token-endpoint/parse", test_parse);
  g_test_add_func ("/lanyard/token-endpoint/parse-invalid", test_parse_invalid);
  g_test_add_func ("/lanyard/token-endpoint/oauth-errors", test_oauth_errors);
  g_test_add_func ("/lanyard/token-endpoint/oauth-error-bounded", test_oauth_error_bounded);

#define ADD(path, func) \
  g_test_add ("/lanyard/token-endpoint/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("redeem", test_redeem);
  ADD ("refresh", test_refresh);
  ADD ("revoke", test_revoke);
  ADD ("server-errors", test_server_errors);
  ADD ("huge-body", test_huge_body);

#undef ADD

  return g_test_run ();
}
