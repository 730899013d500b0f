/* test-api-call.c — the signed-in page's API call (src/app/lanyard-api-call.c)
 * without a display: the fake provider issues the tokens, and an API here
 * takes only the tokens it issued, for the scopes each route wants
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-test"

#include "config.h"

#include <string.h>

#include "lanyard-api-call.h"
#include "lanyard-api-settings.h"
#include "lanyard-fake-provider.h"
#include "lanyard-test-utils.h"

typedef struct {
  LanyardFakeWorld  world;
  SoupServer       *api;
  char             *api_base;
  guint             n_api_requests;
  char             *last_authorization_scope;
} Fixture;

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *type,
        const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

/* The scope a bearer token of the fake provider was issued for; NULL (and a
 * 401 already set) for any other token, as an API answers. */
static const char *
check_token (Fixture           *fixture,
             SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  const char *scope = NULL;

  if (header != NULL && g_str_has_prefix (header, "Bearer "))
    scope = lanyard_fake_provider_get_access_token_scope (fixture->world.fake, header + 7);

  if (scope == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer error=\"invalid_token\"");
      answer (msg, 401, "application/json", "{\"error\":\"invalid_token\"}");
      return NULL;
    }

  g_free (fixture->last_authorization_scope);
  fixture->last_authorization_scope = g_strdup (scope);
  return scope;
}

static void
api_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Fixture *fixture = user_data;
  const char *scope;

  fixture->n_api_requests++;
  if ((scope = check_token (fixture, msg)) == NULL)
    return;

  if (g_str_equal (path, "/v1.0/me"))
    {
      if (strstr (scope, "User.Read") == NULL)
        {
          answer (msg, 403, "application/json",
                  "{\"error\":{\"code\":\"Authorization_RequestDenied\","
                  "\"message\":\"Insufficient privileges to complete the operation.\"}}");
          return;
        }
      /* A name with a terminal escape and a right-to-left override. */
      answer (msg, 200, "application/json",
              "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users/$entity\","
              "\"businessPhones\":[\"+1 425 555 0109\",\"+1 425 555 0110\"],"
              "\"displayName\":\"Ada \\u001b[2JLovelace\\u202e\",\"givenName\":\"Ada\","
              "\"jobTitle\":null,\"mail\":\"ada@contoso.example\",\"mobilePhone\":null,"
              "\"surname\":\"Lovelace\",\"userPrincipalName\":\"ada@contoso.example\","
              "\"id\":\"" LANYARD_FAKE_OID "\",\"employeeId\":\"E-1\"}");
    }
  else if (g_str_equal (path, "/userinfo"))
    answer (msg, 200, "application/json",
            "{\"sub\":\"ada\",\"name\":\"Ada Lovelace\",\"email_verified\":true,\"groups\":[\"a\",\"b\"]}");
  else if (g_str_equal (path, "/status/500"))
    answer (msg, 500, "application/json", "{\"error\":{\"code\":\"boom\",\"message\":\"The database is down\"}}");
  else if (g_str_equal (path, "/text"))
    answer (msg, 200, "text/plain", "line one\nline\033[31m two\r\n");
  else if (g_str_equal (path, "/teapot"))
    answer (msg, 418, "application/json", "{\"reason\": \"short and stout\",\n \"n\": 1}");
  else if (g_str_equal (path, "/html-error"))
    answer (msg, 502, "text/html", "<html><body>Bad gateway</body></html>");
  else if (g_str_equal (path, "/claims"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                    "Bearer error=\"insufficient_claims\", claims=\"eyJhY2Nlc3NfdG9rZW4iOnt9fQ==\"");
      answer (msg, 401, "application/json", "{}");
    }
  else if (g_str_equal (path, "/big"))
    {
      gsize size = 2 * 1024 * 1024 + 5;
      char *body = g_malloc (size);

      memset (body, 'x', size);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_TAKE, body, size);
    }
  else
    answer (msg, 404, "application/json", "{\"error\":\"not found\"}");
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  lanyard_fake_world_setup (&fixture->world);
  fixture->api = lanyard_test_server_new (&fixture->api_base);
  soup_server_add_handler (fixture->api, NULL, api_cb, fixture, NULL);

  /* @data: the provider's discovery names this userinfo endpoint (before the
   * sign-in reads it: clients share the discovery cache). */
  if (data != NULL)
    {
      g_autofree char *endpoint = g_strconcat (fixture->api_base, data, NULL);

      json_object_set_string_member (lanyard_fake_provider_get_discovery (fixture->world.fake),
                                     "userinfo_endpoint", endpoint);
    }

  account = lanyard_fake_sign_in (fixture->world.client, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->api);
  g_free (fixture->api_base);
  g_free (fixture->last_authorization_scope);
  lanyard_fake_world_teardown (&fixture->world);
}

static char *
api_url (Fixture    *fixture,
         const char *path)
{
  return g_strconcat (fixture->api_base, path, NULL);
}

/* Runs @call to its end. */
static void
run (LanyardApiCall     *call,
     Fixture            *fixture,
     const char         *path,
     const char * const *scopes)
{
  g_autofree char *url = path ? api_url (fixture, path) : NULL;

  lanyard_api_call_start (call, fixture->world.client, NULL, url, scopes);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_RUNNING);
  while (lanyard_api_call_get_state (call) == LANYARD_API_CALL_RUNNING)
    g_main_context_iteration (NULL, TRUE);
}

static const char *
field (LanyardApiCall *call,
       const char     *name,
       const char    **title)
{
  GListModel *fields = lanyard_api_call_get_fields (call);

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(LanyardApiField) item = g_list_model_get_item (fields, i);

      if (g_str_equal (lanyard_api_field_get_name (item), name))
        {
          if (title != NULL)
            *title = lanyard_api_field_get_title (item);
          return lanyard_api_field_get_value (item);
        }
    }

  return NULL;
}

static void
test_graph_me (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_GRAPH_ME);
  const char * const scopes[] = { "User.Read", NULL };
  g_autoptr(LanyardApiField) first = NULL;
  const char *title = NULL;

  run (call, fixture, "/v1.0/me", scopes);

  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_ANSWERED);
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 200);
  g_assert_null (lanyard_api_call_get_error_text (call));
  g_assert_false (lanyard_api_call_get_needs_sign_in (call));
  /* A token redeemed for User.Read (the core adds the sign-in's own scopes). */
  g_assert_true (g_str_has_prefix (fixture->last_authorization_scope, "User.Read"));

  /* The known fields first, in the address book's order, titled. */
  first = g_list_model_get_item (lanyard_api_call_get_fields (call), 0);
  g_assert_cmpstr (lanyard_api_field_get_name (first), ==, "displayName");
  g_assert_cmpstr (lanyard_api_field_get_title (first), ==, "Name");
  /* Hostile text cleaned, as everywhere in the app. */
  g_assert_cmpstr (lanyard_api_field_get_value (first), ==, "Ada \xef\xbf\xbd[2JLovelace\xef\xbf\xbd");
  g_assert_cmpstr (field (call, "mail", &title), ==, "ada@contoso.example");
  g_assert_cmpstr (title, ==, "Email");
  g_assert_cmpstr (field (call, "businessPhones", NULL), ==, "+1 425 555 0109, +1 425 555 0110");
  g_assert_cmpstr (field (call, "id", &title), ==, LANYARD_FAKE_OID);
  g_assert_cmpstr (title, ==, "Object ID");
  /* Unknown members are shown under their own name; nulls and OData's
   * bookkeeping are not shown at all. */
  g_assert_cmpstr (field (call, "employeeId", &title), ==, "E-1");
  g_assert_null (title);
  g_assert_null (field (call, "jobTitle", NULL));
  g_assert_null (field (call, "mobilePhone", NULL));
  g_assert_null (field (call, "@odata.context", NULL));

  /* The body: pretty-printed JSON with the controls escaped. */
  g_assert_nonnull (strstr (lanyard_api_call_get_body (call), "\n  \"displayName\": \"Ada \\u001b[2JLovelace\\u202e\""));
  g_assert_null (strchr (lanyard_api_call_get_body (call), '\033'));
}

static void
test_graph_forbidden (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_GRAPH_ME);
  const char * const scopes[] = { "Mail.Read", NULL };
  const char *text;

  /* A token for other scopes: Graph's 403, in its own words. */
  run (call, fixture, "/v1.0/me", scopes);

  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_ANSWERED);
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 403);
  text = lanyard_api_call_get_error_text (call);
  g_assert_nonnull (strstr (text, "127.0.0.1 refused access (HTTP 403 Forbidden)"));
  g_assert_nonnull (strstr (text, "“Insufficient privileges to complete the operation.”"));
  g_assert_cmpuint (g_list_model_get_n_items (lanyard_api_call_get_fields (call)), ==, 0);
  g_assert_false (lanyard_api_call_get_needs_sign_in (call));
}

static void
test_no_userinfo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_USERINFO);
  const char * const scopes[] = { "openid", NULL };

  /* No userinfo_endpoint in discovery: said, not guessed. */
  run (call, fixture, NULL, scopes);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_FAILED);
  g_assert_nonnull (strstr (lanyard_api_call_get_error_text (call), "no userinfo endpoint"));
  g_assert_false (lanyard_api_call_get_needs_sign_in (call));
  g_assert_cmpuint (fixture->n_api_requests, ==, 0);
}

static void
test_userinfo (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_USERINFO);
  g_autofree char *endpoint = api_url (fixture, data);
  const char * const scopes[] = { "openid", NULL };

  run (call, fixture, NULL, scopes);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_ANSWERED);
  g_assert_cmpstr (lanyard_api_call_get_url (call), ==, endpoint);
  g_assert_cmpuint (fixture->n_api_requests, ==, 1);
  g_assert_cmpstr (field (call, "name", NULL), ==, "Ada Lovelace");
  g_assert_cmpstr (field (call, "email_verified", NULL), ==, "true");
  g_assert_cmpstr (field (call, "groups", NULL), ==, "a, b");
}

static void
test_error_statuses (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_RAW);
  const char * const scopes[] = { "api://lanyard-test/read", NULL };
  const char *text;

  run (call, fixture, "/status/500", scopes);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_ANSWERED);
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 500);
  g_assert_cmpstr (lanyard_api_call_get_reason (call), ==, "Internal Server Error");
  text = lanyard_api_call_get_error_text (call);
  g_assert_nonnull (strstr (text, "could not answer (HTTP 500 Internal Server Error)"));
  g_assert_nonnull (strstr (text, "“The database is down”"));
  /* The console still shows what came back. */
  g_assert_nonnull (strstr (lanyard_api_call_get_body (call), "\"message\": \"The database is down\""));

  /* Not JSON: an excerpt of the text. */
  run (call, fixture, "/html-error", scopes);
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 502);
  g_assert_nonnull (strstr (lanyard_api_call_get_error_text (call), "“<html><body>Bad gateway</body></html>”"));

  /* JSON of another shape: the excerpt is the JSON on one line. */
  run (call, fixture, "/teapot", scopes);
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 418);
  g_assert_nonnull (strstr (lanyard_api_call_get_error_text (call), "It says: “{\"reason\":\"short and stout\",\"n\":1}”"));

  run (call, fixture, "/nowhere", scopes);
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 404);
  g_assert_nonnull (strstr (lanyard_api_call_get_error_text (call), "has nothing at this address"));
}

static void
test_text_and_size (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_RAW);
  const char * const scopes[] = { "api://lanyard-test/read", NULL };
  const char *body;

  run (call, fixture, "/text", scopes);
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 200);
  g_assert_null (lanyard_api_call_get_error_text (call));
  /* Lines kept, controls replaced. */
  g_assert_cmpstr (lanyard_api_call_get_body (call), ==, "line one\nline\xef\xbf\xbd[31m two\n");

  run (call, fixture, "/big", scopes);
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 200);
  body = lanyard_api_call_get_body (call);
  g_assert_cmpuint (strspn (body, "x"), ==, 1024 * 1024);
  g_assert_nonnull (strstr (body, "The answer is longer: only its first 1.0\xc2\xa0MB is shown."));
}

static void
test_interaction_required (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_RAW);
  const char * const scopes[] = { "api://lanyard-test/write", NULL };

  /* Never consented: only a sign-in asking for the scope helps, and the
   * words name it. The API is never called. */
  lanyard_fake_provider_set_ungranted_scope (fixture->world.fake, "api://lanyard-test/write");
  run (call, fixture, "/text", scopes);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_FAILED);
  g_assert_true (lanyard_api_call_get_needs_sign_in (call));
  g_assert_null (lanyard_api_call_get_claims (call));
  /* A short sentence naming the scope, next to Sign In Again; the
   * provider's words (its code) apart, not in the sentence. */
  g_assert_cmpstr (lanyard_api_call_get_error_text (call), ==,
                   "This account has not granted api://lanyard-test/write yet: sign in again to grant it");
  g_assert_nonnull (lanyard_api_call_get_error_details (call));
  g_assert_cmpstr (lanyard_api_call_get_error_details (call), ==,
                   "The provider says “invalid_scope: The user has not consented to this scope”");
  g_assert_cmpuint (fixture->n_api_requests, ==, 0);
}

/* One of two scopes never granted: the provider does not say which, so
 * both are named, "all of" them; the call's next answer forgets the
 * provider's words. */
static void
test_interaction_required_scopes (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_RAW);
  const char * const scopes[] = { "api://lanyard-test/write", "api://lanyard-test/read", NULL };
  const char * const granted[] = { "api://lanyard-test/read", NULL };

  lanyard_fake_provider_set_ungranted_scope (fixture->world.fake, "api://lanyard-test/write");
  run (call, fixture, "/text", scopes);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_FAILED);
  g_assert_cmpstr (lanyard_api_call_get_error_text (call), ==,
                   "This account has not granted all of api://lanyard-test/write, api://lanyard-test/read yet: "
                   "sign in again to grant them");
  g_assert_nonnull (strstr (lanyard_api_call_get_error_details (call), "invalid_scope"));

  run (call, fixture, "/text", granted);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_ANSWERED);
  g_assert_null (lanyard_api_call_get_error_text (call));
  g_assert_null (lanyard_api_call_get_error_details (call));
}

static void
test_claims_challenge (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_RAW);
  const char * const scopes[] = { "api://lanyard-test/read", NULL };

  run (call, fixture, "/claims", scopes);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_FAILED);
  g_assert_true (lanyard_api_call_get_needs_sign_in (call));
  g_assert_cmpstr (lanyard_api_call_get_claims (call), ==, "eyJhY2Nlc3NfdG9rZW4iOnt9fQ==");
  g_assert_nonnull (strstr (lanyard_api_call_get_error_text (call), "sign in again"));
  g_assert_cmpuint (fixture->n_api_requests, ==, 1);
}

static void
test_no_network (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_RAW);
  const char * const scopes[] = { "api://lanyard-test/read", NULL };
  g_autofree char *url = api_url (fixture, "/text");

  /* The API goes away: nothing listens on its port any more. */
  soup_server_disconnect (fixture->api);
  g_clear_object (&fixture->api);

  lanyard_api_call_start (call, fixture->world.client, NULL, url, scopes);
  while (lanyard_api_call_get_state (call) == LANYARD_API_CALL_RUNNING)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_FAILED);
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 0);
  g_assert_nonnull (strstr (lanyard_api_call_get_error_text (call), "Nothing answers at 127.0.0.1: the API may be down"));
  g_assert_false (lanyard_api_call_get_needs_sign_in (call));
}

static void
test_cancel_and_reset (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LanyardApiCall) call = lanyard_api_call_new (LANYARD_API_CALL_KIND_RAW);
  const char * const scopes[] = { "api://lanyard-test/read", NULL };
  g_autofree char *url = api_url (fixture, "/text");

  lanyard_api_call_start (call, fixture->world.client, NULL, url, scopes);
  lanyard_api_call_cancel (call);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_IDLE);
  /* What was under way ends quietly: no answer arrives later. */
  lanyard_fake_spin (300);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_IDLE);
  g_assert_null (lanyard_api_call_get_body (call));

  run (call, fixture, "/text", scopes);
  g_assert_nonnull (lanyard_api_call_get_body (call));
  lanyard_api_call_reset (call);
  g_assert_cmpint (lanyard_api_call_get_state (call), ==, LANYARD_API_CALL_IDLE);
  g_assert_null (lanyard_api_call_get_body (call));
  g_assert_cmpuint (lanyard_api_call_get_status (call), ==, 0);
}

static void
test_settings (void)
{
  g_autofree char *problem = NULL;
  g_autofree char *me = NULL;
  g_autofree char *graph = NULL;
  g_auto(GStrv) scopes = NULL;

  g_assert_true (lanyard_check_api_url ("https://api.contoso.com/hello", &problem));
  g_assert_true (lanyard_check_api_url ("  http://127.0.0.1:8080/me ", &problem));
  g_assert_true (lanyard_check_api_url ("http://localhost/me", &problem));
  g_assert_false (lanyard_check_api_url ("", &problem));
  g_assert_null (problem);
  g_assert_false (lanyard_check_api_url ("http://api.contoso.com/", &problem));
  g_assert_nonnull (strstr (problem, "https://"));
  g_clear_pointer (&problem, g_free);
  g_assert_false (lanyard_check_api_url ("https://user:pw@api.contoso.com/", &problem));
  g_assert_nonnull (strstr (problem, "user name or password"));
  g_clear_pointer (&problem, g_free);
  g_assert_false (lanyard_check_api_url ("api.contoso.com", &problem));
  g_assert_nonnull (strstr (problem, "not a web address"));
  g_clear_pointer (&problem, g_free);

  g_assert_true (lanyard_check_api_scopes ("", &problem));
  g_assert_true (lanyard_check_api_scopes ("api://a/read https://b.example/write", &problem));
  g_assert_false (lanyard_check_api_scopes ("api://a/read openid", &problem));
  g_assert_nonnull (strstr (problem, "“openid” is a sign-in scope"));
  g_clear_pointer (&problem, g_free);

  me = lanyard_api_settings_graph_me_url ("https://graph.microsoft.us/");
  g_assert_cmpstr (me, ==, "https://graph.microsoft.us/v1.0/me");
  g_clear_pointer (&me, g_free);
  me = lanyard_api_settings_graph_me_url ("http://127.0.0.1:9");
  g_assert_cmpstr (me, ==, "http://127.0.0.1:9/v1.0/me");

  /* No settings: the environment, else the defaults. */
  g_unsetenv ("LANYARD_GRAPH_URL");
  g_unsetenv ("LANYARD_API_URL");
  g_unsetenv ("LANYARD_API_SCOPES");
  graph = lanyard_api_settings_dup_graph_url (NULL);
  g_assert_cmpstr (graph, ==, "https://graph.microsoft.com");
  g_clear_pointer (&graph, g_free);
  g_assert_null (lanyard_api_settings_dup_api_url (NULL));
  scopes = lanyard_api_settings_dup_api_scopes (NULL);
  g_assert_cmpuint (g_strv_length (scopes), ==, 0);
  g_clear_pointer (&scopes, g_strfreev);
  g_assert_null (lanyard_api_settings_overridden_by ("graph-url"));

  g_setenv ("LANYARD_GRAPH_URL", "https://graph.microsoft.de", TRUE);
  g_setenv ("LANYARD_API_SCOPES", "api://a/read,api://a/write", TRUE);
  graph = lanyard_api_settings_dup_graph_url (NULL);
  g_assert_cmpstr (graph, ==, "https://graph.microsoft.de");
  scopes = lanyard_api_settings_dup_api_scopes (NULL);
  g_assert_cmpstr (scopes[0], ==, "api://a/read");
  g_assert_cmpstr (scopes[1], ==, "api://a/write");
  g_assert_cmpstr (lanyard_api_settings_overridden_by ("graph-url"), ==, "LANYARD_GRAPH_URL");
  g_assert_null (lanyard_api_settings_overridden_by ("api-url"));
  g_unsetenv ("LANYARD_GRAPH_URL");
  g_unsetenv ("LANYARD_API_SCOPES");
}

static void
test_sign_in_scopes (void)
{
  const char * const configured[] = { "openid", "profile", "offline_access", NULL };
  g_auto(GStrv) generic = NULL;
  g_auto(GStrv) entra = NULL;
  g_auto(GStrv) scopes_only = NULL;
  g_auto(GStrv) with_api = NULL;
  g_autofree char *joined = NULL;

  g_unsetenv ("LANYARD_API_URL");
  g_unsetenv ("LANYARD_API_SCOPES");

  /* A generic provider: the configured scopes as they are. */
  generic = lanyard_api_settings_sign_in_scopes (NULL, "https://idp.example.com", configured);
  joined = g_strjoinv (" ", generic);
  g_assert_cmpstr (joined, ==, "openid profile offline_access");
  g_clear_pointer (&joined, g_free);

  /* Entra: Graph's User.Read too, for the profile (as MSAL's sample asks). */
  entra = lanyard_api_settings_sign_in_scopes (NULL, "contoso", configured);
  joined = g_strjoinv (" ", entra);
  g_assert_cmpstr (joined, ==, "openid profile offline_access User.Read");
  g_clear_pointer (&joined, g_free);

  /* API scopes without an API to call are not asked for. */
  g_setenv ("LANYARD_API_SCOPES", "api://a/read", TRUE);
  scopes_only = lanyard_api_settings_sign_in_scopes (NULL, "https://idp.example.com", configured);
  g_assert_cmpuint (g_strv_length (scopes_only), ==, 3);

  /* With one, they are, once each. */
  g_setenv ("LANYARD_API_URL", "https://api.contoso.com/hello", TRUE);
  g_setenv ("LANYARD_API_SCOPES", "api://a/read profile api://a/read", TRUE);
  with_api = lanyard_api_settings_sign_in_scopes (NULL, "contoso", configured);
  joined = g_strjoinv (" ", with_api);
  g_assert_cmpstr (joined, ==, "openid profile offline_access User.Read api://a/read");

  g_unsetenv ("LANYARD_API_URL");
  g_unsetenv ("LANYARD_API_SCOPES");
}

static void
test_format_elapsed (void)
{
  g_autofree char *ms = lanyard_api_call_format_elapsed (120);
  g_autofree char *s = lanyard_api_call_format_elapsed (2449);

  g_assert_cmpstr (ms, ==, "120 ms");
  g_assert_cmpstr (s, ==, "2.4 s");
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/lanyard/api-call/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("graph-me", test_graph_me);
  ADD ("graph-forbidden", test_graph_forbidden);
  ADD ("no-userinfo", test_no_userinfo);
  g_test_add ("/lanyard/api-call/userinfo", Fixture, "/userinfo", fixture_setup, test_userinfo, fixture_teardown);
  ADD ("error-statuses", test_error_statuses);
  ADD ("text-and-size", test_text_and_size);
  ADD ("interaction-required", test_interaction_required);
  ADD ("interaction-required/scopes", test_interaction_required_scopes);
  ADD ("claims-challenge", test_claims_challenge);
  ADD ("no-network", test_no_network);
  ADD ("cancel-and-reset", test_cancel_and_reset);

#undef ADD

  g_test_add_func ("/lanyard/api-call/settings", test_settings);
  g_test_add_func ("/lanyard/api-call/format-elapsed", test_format_elapsed);
  g_test_add_func ("/lanyard/api-call/sign-in-scopes", test_sign_in_scopes);

  return g_test_run ();
}
