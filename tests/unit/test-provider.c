/* test-provider.c — discovery validation, the memory and disk caches, the JWKS
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "test-provider"

#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>

#include "lanyard-error.h"
#include "lanyard-http.h"
#include "lanyard-json.h"
#include "lanyard-provider.h"
#include "lanyard-provider-pool.h"
#include "lanyard-provider-cache.h"
#include "lanyard-test-utils.h"

#define GUID "0a1b2c3d-4e5f-6789-abcd-ef0123456789"

/* RFC 7517 A.1's EC key, as a signature key, and a second one for rotation. */
#define JWKS_1 "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\",\"kid\":\"1\"," \
  "\"x\":\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\"," \
  "\"y\":\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM\"}]}"
#define JWKS_2 "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\",\"kid\":\"2\"," \
  "\"x\":\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\"," \
  "\"y\":\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM\"}]}"

#define ENTRA_DISCOVERY \
  "{\"token_endpoint\":\"https://" GUID ".ciamlogin.com/" GUID "/oauth2/v2.0/token\"," \
  "\"token_endpoint_auth_methods_supported\":[\"client_secret_post\",\"private_key_jwt\",\"client_secret_basic\"]," \
  "\"jwks_uri\":\"https://contoso.ciamlogin.com/" GUID "/discovery/v2.0/keys\"," \
  "\"response_modes_supported\":[\"query\",\"fragment\",\"form_post\"]," \
  "\"subject_types_supported\":[\"pairwise\"]," \
  "\"id_token_signing_alg_values_supported\":[\"RS256\"]," \
  "\"response_types_supported\":[\"code\",\"id_token\",\"code id_token\",\"id_token token\"]," \
  "\"scopes_supported\":[\"openid\",\"profile\",\"email\",\"offline_access\"]," \
  "\"issuer\":\"https://" GUID ".ciamlogin.com/" GUID "/v2.0\"," \
  "\"request_uri_parameter_supported\":false," \
  "\"userinfo_endpoint\":\"https://graph.microsoft.com/oidc/userinfo\"," \
  "\"authorization_endpoint\":\"https://contoso.ciamlogin.com/" GUID "/oauth2/v2.0/authorize\"," \
  "\"device_authorization_endpoint\":\"https://contoso.ciamlogin.com/" GUID "/oauth2/v2.0/devicecode\"," \
  "\"http_logout_supported\":true,\"frontchannel_logout_supported\":true," \
  "\"end_session_endpoint\":\"https://contoso.ciamlogin.com/" GUID "/oauth2/v2.0/logout\"," \
  "\"claims_supported\":[\"sub\",\"iss\",\"aud\",\"exp\",\"iat\",\"nonce\",\"oid\",\"tid\",\"login_hint\"]," \
  "\"kerberos_endpoint\":\"https://contoso.ciamlogin.com/" GUID "/kerberos\"," \
  "\"tenant_region_scope\":\"EU\",\"cloud_instance_name\":\"microsoftonline.com\"," \
  "\"cloud_graph_host_name\":\"graph.windows.net\",\"msgraph_host\":\"graph.microsoft.com\"," \
  "\"rbac_url\":\"https://pas.windows.net\"}"

typedef struct {
  SoupServer  *server;
  SoupSession *session;
  char        *base;
  char        *discovery;       /* served for any path ending in the well-known suffix */
  const char  *jwks;
  const char  *cache_control;   /* NULL: no Cache-Control */
  const char  *etag;            /* NULL: no ETag, no 304 */
  guint        status;          /* 0: 200 */
  guint        n_discovery;
  guint        n_jwks;
  guint        n_not_modified;
  LanyardProviderPool *pool;    /* a new one is a new process */
} Fixture;

static char *
generic_discovery (const char *issuer,
                   const char *endpoint_base)
{
  return g_strdup_printf ("{\"issuer\":\"%s\","
                          "\"authorization_endpoint\":\"%s/authorize\","
                          "\"token_endpoint\":\"%s/token\","
                          "\"jwks_uri\":\"%s/jwks\","
                          "\"revocation_endpoint\":\"%s/revoke\","
                          "\"end_session_endpoint\":\"%s/logout\","
                          "\"response_modes_supported\":[\"query\",\"fragment\",\"form_post\"],"
                          "\"code_challenge_methods_supported\":[\"S256\"],"
                          "\"authorization_response_iss_parameter_supported\":true}",
                          issuer, endpoint_base, endpoint_base, endpoint_base,
                          endpoint_base, endpoint_base);
}

static void
serve (Fixture           *fixture,
       SoupServerMessage *msg,
       const char        *body,
       guint             *counter)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *if_none_match = soup_message_headers_get_one (request, "If-None-Match");

  (*counter)++;

  if (fixture->cache_control != NULL)
    soup_message_headers_replace (response, "Cache-Control", fixture->cache_control);
  if (fixture->etag != NULL)
    soup_message_headers_replace (response, "ETag", fixture->etag);

  if (fixture->etag != NULL && g_strcmp0 (if_none_match, fixture->etag) == 0)
    {
      fixture->n_not_modified++;
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  soup_server_message_set_status (msg, fixture->status != 0 ? fixture->status : SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fixture = user_data;

  if (g_str_has_suffix (path, "/.well-known/openid-configuration"))
    serve (fixture, msg, fixture->discovery, &fixture->n_discovery);
  else if (g_str_equal (path, "/jwks"))
    serve (fixture, msg, fixture->jwks, &fixture->n_jwks);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = lanyard_test_server_new (&fixture->base);
  fixture->session = lanyard_http_session_new (NULL, NULL);
  fixture->discovery = generic_discovery (fixture->base, fixture->base);
  fixture->jwks = JWKS_1;
  soup_server_add_handler (fixture->server, NULL, handler_cb, fixture, NULL);
  fixture->pool = lanyard_provider_pool_new ();
}

/* A new process: nothing in memory. */
static void
restart (Fixture *fixture)
{
  g_clear_object (&fixture->pool);
  fixture->pool = lanyard_provider_pool_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->pool);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->base, g_free);
  g_clear_pointer (&fixture->discovery, g_free);
}

static LanyardProvider *
load (Fixture     *fixture,
      const char  *authority_url,
      GError     **error)
{
  g_autoptr(LanyardAuthority) authority = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  authority = lanyard_authority_parse (authority_url != NULL ? authority_url : fixture->base, NULL);
  g_assert_nonnull (authority);

  lanyard_provider_pool_load_async (fixture->pool, fixture->session, authority, NULL,
                                    lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);

  return lanyard_provider_pool_load_finish (fixture->pool, result, error);
}

static LanyardJwks *
get_jwks (Fixture          *fixture,
          LanyardProvider  *provider,
          gboolean          force,
          GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  lanyard_provider_get_jwks_async (provider, fixture->session, force, NULL,
                                   lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);

  return lanyard_provider_get_jwks_finish (provider, result, error);
}

static LanyardProvider *
from_data (const char  *authority_url,
           const char  *json,
           GError     **error)
{
  g_autoptr(LanyardAuthority) authority = lanyard_authority_parse (authority_url, NULL);

  g_assert_nonnull (authority);
  return lanyard_provider_new_from_data (authority, json, strlen (json), error);
}

static void
test_parse_generic (void)
{
  g_autofree char *json = generic_discovery ("https://idp.example.com/realms/demo",
                                             "https://idp.example.com/realms/demo/protocol");
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = from_data ("https://idp.example.com/realms/demo/", json, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (lanyard_provider_get_issuer (provider), ==, "https://idp.example.com/realms/demo");
  g_assert_cmpstr (lanyard_provider_get_authorization_endpoint (provider), ==,
                   "https://idp.example.com/realms/demo/protocol/authorize");
  g_assert_cmpstr (lanyard_provider_get_token_endpoint (provider), ==,
                   "https://idp.example.com/realms/demo/protocol/token");
  g_assert_cmpstr (lanyard_provider_get_jwks_uri (provider), ==,
                   "https://idp.example.com/realms/demo/protocol/jwks");
  g_assert_cmpstr (lanyard_provider_get_revocation_endpoint (provider), ==,
                   "https://idp.example.com/realms/demo/protocol/revoke");
  g_assert_cmpstr (lanyard_provider_get_end_session_endpoint (provider), ==,
                   "https://idp.example.com/realms/demo/protocol/logout");
  g_assert_true (lanyard_provider_supports_form_post (provider));
  g_assert_true (lanyard_provider_requires_iss_parameter (provider));
  g_assert_cmpstr (lanyard_authority_get_url (lanyard_provider_get_authority (provider)), ==,
                   "https://idp.example.com/realms/demo");
}

static void
test_parse_minimal (void)
{
  const char *json = "{\"issuer\":\"https://idp.example.com\","
                     "\"authorization_endpoint\":\"https://idp.example.com/a\","
                     "\"token_endpoint\":\"https://idp.example.com/t\","
                     "\"jwks_uri\":\"https://idp.example.com/k\","
                     "\"response_modes_supported\":\"form_post\","
                     "\"authorization_response_iss_parameter_supported\":\"true\"}";
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = from_data ("https://idp.example.com", json, &error);
  g_assert_no_error (error);

  /* Optional members absent or of the wrong type count as not offered. */
  g_assert_null (lanyard_provider_get_revocation_endpoint (provider));
  g_assert_null (lanyard_provider_get_end_session_endpoint (provider));
  g_assert_null (lanyard_provider_get_userinfo_endpoint (provider));
  g_assert_false (lanyard_provider_supports_form_post (provider));
  g_assert_false (lanyard_provider_requires_iss_parameter (provider));
}

static void
test_parse_entra (void)
{
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  /* The issuer's host is the tenant GUID: it must not be compared with
   * contoso.ciamlogin.com. No code_challenge_methods_supported either. */
  provider = from_data ("https://contoso.ciamlogin.com/" GUID, ENTRA_DISCOVERY, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (lanyard_provider_get_issuer (provider), ==,
                   "https://" GUID ".ciamlogin.com/" GUID "/v2.0");
  g_assert_cmpstr (lanyard_provider_get_end_session_endpoint (provider), ==,
                   "https://contoso.ciamlogin.com/" GUID "/oauth2/v2.0/logout");
  g_assert_cmpstr (lanyard_provider_get_userinfo_endpoint (provider), ==,
                   "https://graph.microsoft.com/oidc/userinfo");
  g_assert_null (lanyard_provider_get_revocation_endpoint (provider));
  g_assert_true (lanyard_provider_supports_form_post (provider));
  g_assert_false (lanyard_provider_requires_iss_parameter (provider));

  g_clear_object (&provider);
  provider = from_data ("contoso", ENTRA_DISCOVERY, &error);
  g_assert_no_error (error);
}

static void
test_wrong_issuer (void)
{
  g_autofree char *other = generic_discovery ("https://evil.example.com", "https://idp.example.com");
  g_autofree char *prefix = generic_discovery ("https://idp.example.com/realm", "https://idp.example.com");
  g_autofree char *slash = generic_discovery ("https://idp.example.com/", "https://idp.example.com");
  g_autofree char *http = generic_discovery ("http://idp.example.com", "https://idp.example.com");
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (from_data ("https://idp.example.com", other, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "https://evil.example.com"));
  g_clear_error (&error);

  g_assert_null (from_data ("https://idp.example.com", prefix, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  g_assert_null (from_data ("https://idp.example.com", http, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* Discovery drops a terminating '/' of the issuer, so that one may differ;
   * the ID token's iss is then compared with the issuer exactly as published. */
  provider = from_data ("https://idp.example.com", slash, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_provider_get_issuer (provider), ==, "https://idp.example.com/");
}

static void
test_missing_members (void)
{
  static const struct {
    const char *json;
    const char *message_part;
  } cases[] = {
    { "{\"authorization_endpoint\":\"https://i.example/a\",\"token_endpoint\":\"https://i.example/t\","
      "\"jwks_uri\":\"https://i.example/k\"}", "no issuer" },
    { "{\"issuer\":42,\"authorization_endpoint\":\"https://i.example/a\","
      "\"token_endpoint\":\"https://i.example/t\",\"jwks_uri\":\"https://i.example/k\"}", "no issuer" },
    { "{\"issuer\":\"https://i.example\",\"token_endpoint\":\"https://i.example/t\","
      "\"jwks_uri\":\"https://i.example/k\"}", "no authorization_endpoint" },
    { "{\"issuer\":\"https://i.example\",\"authorization_endpoint\":\"https://i.example/a\","
      "\"jwks_uri\":\"https://i.example/k\"}", "no token_endpoint" },
    { "{\"issuer\":\"https://i.example\",\"authorization_endpoint\":\"https://i.example/a\","
      "\"token_endpoint\":\"https://i.example/t\"}", "no jwks_uri" },
    { "{\"issuer\":\"https://i.example\",\"authorization_endpoint\":\"https://i.example/a\","
      "\"token_endpoint\":[\"https://i.example/t\"],\"jwks_uri\":\"https://i.example/k\"}",
      "token_endpoint" },
    { "{\"issuer\":\"https://i.example\",\"authorization_endpoint\":\"https://i.example/a\","
      "\"token_endpoint\":\"https://i.example/t\",\"jwks_uri\":\"https://i.example/k\","
      "\"revocation_endpoint\":7}", "revocation_endpoint" },
    { "[]", "discovery document" },
    { "<html>", "discovery document" },
    { "{\"issuer\":\"https://i.example\",\"issuer\":\"https://evil.example\"}", "discovery document" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (from_data ("https://i.example", cases[i].json, &error));
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].message_part);
    }
}

static void
test_http_endpoints (void)
{
  static const char *members[] = {
    "authorization_endpoint", "token_endpoint", "jwks_uri",
    "revocation_endpoint", "end_session_endpoint",
  };
  g_autofree char *loopback = generic_discovery ("http://127.0.0.1:8080", "http://127.0.0.1:8080");
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *json = generic_discovery ("https://idp.example.com", "https://idp.example.com");
      g_autofree char *needle = g_strdup_printf ("\"%s\":\"https://", members[i]);
      g_autofree char *replacement = g_strdup_printf ("\"%s\":\"http://", members[i]);
      g_autoptr(GString) edited = g_string_new (json);

      g_string_replace (edited, needle, replacement, 1);
      g_assert_null (from_data ("https://idp.example.com", edited->str, &error));
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, members[i]));
      g_clear_error (&error);
    }

  /* Userinfo is only ever shown to a person: a bad one is left out, and
   * the provider still signs in. */
  {
    g_autofree char *json = generic_discovery ("https://idp.example.com", "https://idp.example.com");
    g_autoptr(GString) edited = g_string_new (json);

    g_string_replace (edited, "\"issuer\":", "\"userinfo_endpoint\":\"http://idp.example.com/me\",\"issuer\":", 1);
    provider = from_data ("https://idp.example.com", edited->str, &error);
    g_assert_no_error (error);
    g_assert_null (lanyard_provider_get_userinfo_endpoint (provider));
    g_clear_object (&provider);

    g_string_replace (edited, "http://idp.example.com/me", "https://idp.example.com/me", 1);
    provider = from_data ("https://idp.example.com", edited->str, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (lanyard_provider_get_userinfo_endpoint (provider), ==, "https://idp.example.com/me");
    g_clear_object (&provider);
  }

  /* A provider on this computer may use plain http… */
  provider = from_data ("http://127.0.0.1:8080", loopback, &error);
  g_assert_no_error (error);
  g_clear_object (&provider);

  /* …but only for endpoints on this computer too. */
  {
    g_autoptr(GString) edited = g_string_new (loopback);

    g_string_replace (edited, "\"token_endpoint\":\"http://127.0.0.1:8080",
                      "\"token_endpoint\":\"http://idp.example.com", 1);
    g_assert_null (from_data ("http://127.0.0.1:8080", edited->str, &error));
    g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  }
}

static void
test_load_memory_cache (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LanyardProvider) first = NULL;
  g_autoptr(LanyardProvider) second = NULL;
  g_autoptr(GError) error = NULL;

  first = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_provider_get_issuer (first), ==, fixture->base);
  g_assert_cmpuint (fixture->n_discovery, ==, 1);

  second = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (first == second);
  g_assert_cmpuint (fixture->n_discovery, ==, 1);
}

static void
test_disk_cache (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(LanyardProvider) first = NULL;
  g_autoptr(LanyardProvider) second = NULL;
  g_autoptr(LanyardAuthority) authority = lanyard_authority_parse (fixture->base, NULL);
  g_autofree char *path = lanyard_cache_get_path (lanyard_authority_get_discovery_url (authority));
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                         lanyard_authority_get_discovery_url (authority), -1);
  g_autoptr(LanyardCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  fixture->cache_control = "max-age=300";
  fixture->etag = "\"abc\"";

  first = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_discovery, ==, 1);

  g_assert_true (g_str_has_suffix (path, name));
  g_assert_true (g_str_has_prefix (path, g_get_user_cache_dir ()));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  entry = lanyard_cache_lookup (lanyard_authority_get_discovery_url (authority));
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->etag, ==, "\"abc\"");
  g_assert_cmpint (entry->max_age, ==, 300);
  g_assert_cmpint (ABS (entry->fetched_at - g_get_real_time () / G_USEC_PER_SEC), <=, 2);
  g_assert_cmpmem (g_bytes_get_data (entry->body, NULL), g_bytes_get_size (entry->body),
                   fixture->discovery, strlen (fixture->discovery));

  /* A new process: nothing in memory, a fresh file on disk, no request. */
  restart (fixture);
  second = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (first != second);
  g_assert_cmpstr (lanyard_provider_get_token_endpoint (second), ==,
                   lanyard_provider_get_token_endpoint (first));
  g_assert_cmpuint (fixture->n_discovery, ==, 1);
}

static void
test_default_freshness (void)
{
  LanyardCacheEntry entry = { .fetched_at = 1000000, .max_age = -1 };

  /* No max-age from the server: an hour. */
  g_assert_true (lanyard_cache_entry_is_fresh (&entry, 1000000));
  g_assert_true (lanyard_cache_entry_is_fresh (&entry, 1000000 + 3599));
  g_assert_false (lanyard_cache_entry_is_fresh (&entry, 1000000 + 3600));

  entry.max_age = 0;
  g_assert_false (lanyard_cache_entry_is_fresh (&entry, 1000000));

  entry.max_age = 60;
  g_assert_true (lanyard_cache_entry_is_fresh (&entry, 1000059));
  g_assert_false (lanyard_cache_entry_is_fresh (&entry, 1000060));

  /* Never more than a day, and never from the future. */
  entry.max_age = G_MAXINT32;
  g_assert_false (lanyard_cache_entry_is_fresh (&entry, 1000000 + 86400));
  g_assert_false (lanyard_cache_entry_is_fresh (&entry, 1000000 - 3600));
}

static void
test_etag_revalidation (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LanyardProvider) first = NULL;
  g_autoptr(LanyardProvider) second = NULL;
  g_autoptr(LanyardAuthority) authority = lanyard_authority_parse (fixture->base, NULL);
  g_autoptr(LanyardCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  /* Stale at once, but with a validator. */
  fixture->cache_control = "no-cache";
  fixture->etag = "W/\"v1\"";

  first = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_discovery, ==, 1);
  g_assert_cmpuint (fixture->n_not_modified, ==, 0);

  restart (fixture);
  fixture->cache_control = "max-age=120";
  second = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_discovery, ==, 2);
  g_assert_cmpuint (fixture->n_not_modified, ==, 1);
  g_assert_cmpstr (lanyard_provider_get_issuer (second), ==, fixture->base);

  /* The 304's max-age refreshed the entry, which kept its body. */
  entry = lanyard_cache_lookup (lanyard_authority_get_discovery_url (authority));
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->max_age, ==, 120);
  g_assert_cmpstr (entry->etag, ==, "W/\"v1\"");
  g_assert_cmpuint (g_bytes_get_size (entry->body), ==, strlen (fixture->discovery));

  g_clear_object (&second);
  restart (fixture);
  second = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_discovery, ==, 2);
}

static void
test_no_store (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LanyardProvider) first = NULL;
  g_autoptr(LanyardProvider) second = NULL;
  g_autoptr(LanyardAuthority) authority = lanyard_authority_parse (fixture->base, NULL);
  g_autofree char *path = lanyard_cache_get_path (lanyard_authority_get_discovery_url (authority));
  g_autoptr(GError) error = NULL;

  fixture->cache_control = "no-store";
  fixture->etag = "\"v1\"";

  first = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  restart (fixture);
  second = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_discovery, ==, 2);
  g_assert_cmpuint (fixture->n_not_modified, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_corrupt_cache (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char *corruptions[] = {
    "{\"url\": \"truncated",
    "\x89PNG\r\n",
    ("{\"url\":\"https://other.example/.well-known/openid-configuration\",\"fetched_at\":0,"
     "\"max_age\":999999999,\"body\":\"{}\"}"),
    "{\"url\":\"@URL@\",\"fetched_at\":\"yesterday\",\"max_age\":3600,\"body\":\"{}\"}",
    /* Well-formed and fresh, but a body that fails validation. */
    "{\"url\":\"@URL@\",\"fetched_at\":@NOW@,\"max_age\":3600,\"body\":\"{\\\"issuer\\\":\\\"x\\\"}\"}",
  };
  g_autoptr(LanyardAuthority) authority = lanyard_authority_parse (fixture->base, NULL);
  const char *url = lanyard_authority_get_discovery_url (authority);
  g_autofree char *path = lanyard_cache_get_path (url);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (corruptions); i++)
    {
      g_autoptr(LanyardProvider) provider = NULL;
      g_autoptr(LanyardCacheEntry) entry = NULL;
      g_autoptr(GString) contents = g_string_new (corruptions[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);

      g_string_replace (contents, "@URL@", url, 0);
      g_string_replace (contents, "@NOW@", now, 0);
      g_file_set_contents (path, contents->str, contents->len, &error);
      g_assert_no_error (error);

      restart (fixture);
      provider = load (fixture, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (fixture->n_discovery, ==, i + 1);

      /* …and replaced by a good one. */
      entry = lanyard_cache_lookup (url);
      g_assert_nonnull (entry);
      g_assert_cmpuint (g_bytes_get_size (entry->body), ==, strlen (fixture->discovery));
    }
}

static void
test_http_error (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  fixture->status = SOUP_STATUS_NOT_FOUND;
  provider = load (fixture, NULL, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  expected = g_strdup_printf ("Discovery at %s/.well-known/openid-configuration answered HTTP 404",
                              fixture->base);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (provider);
  g_clear_error (&error);

  /* Nothing was cached: the next attempt asks again. */
  fixture->status = 0;
  provider = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_discovery, ==, 2);
}

static void
test_invalid_document (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(LanyardAuthority) authority = lanyard_authority_parse (fixture->base, NULL);
  g_autofree char *path = lanyard_cache_get_path (lanyard_authority_get_discovery_url (authority));
  g_autoptr(GError) error = NULL;

  g_free (fixture->discovery);
  fixture->discovery = generic_discovery ("https://evil.example.com", fixture->base);

  provider = load (fixture, NULL, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_entra_load (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authority = g_strconcat (fixture->base, "/" GUID "/v2.0", NULL);

  g_free (fixture->discovery);
  fixture->discovery = g_strdup (ENTRA_DISCOVERY);

  provider = load (fixture, authority, &error);
  g_assert_no_error (error);
  g_assert_true (lanyard_authority_is_entra (lanyard_provider_get_authority (provider)));
  g_assert_cmpstr (lanyard_provider_get_issuer (provider), ==,
                   "https://" GUID ".ciamlogin.com/" GUID "/v2.0");
  g_assert_cmpuint (fixture->n_discovery, ==, 1);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_strdup (fixture->base);

  /* Nobody listens any more. */
  soup_server_disconnect (fixture->server);

  provider = load (fixture, base, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_NETWORK);
  g_assert_null (provider);
}

static void
test_jwks (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(LanyardProvider) reloaded = NULL;
  g_autoptr(LanyardJwks) jwks = NULL;
  g_autoptr(LanyardJwks) again = NULL;
  g_autoptr(LanyardJwks) cached = NULL;
  g_autoptr(LanyardJwks) forced = NULL;
  g_autoptr(LanyardJwks) limited = NULL;
  g_autoptr(GError) error = NULL;

  provider = load (fixture, NULL, &error);
  g_assert_no_error (error);

  jwks = get_jwks (fixture, provider, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lanyard_jwks_get_n_keys (jwks), ==, 1);
  g_assert_true (lanyard_jwks_has_kid (jwks, "1"));
  g_assert_cmpuint (fixture->n_jwks, ==, 1);

  /* From memory. */
  again = get_jwks (fixture, provider, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (again == jwks);
  g_assert_cmpuint (fixture->n_jwks, ==, 1);

  /* A new process: from the disk cache. */
  restart (fixture);
  reloaded = load (fixture, NULL, &error);
  g_assert_no_error (error);
  cached = get_jwks (fixture, reloaded, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (lanyard_jwks_has_kid (cached, "1"));
  g_assert_cmpuint (fixture->n_jwks, ==, 1);
  g_assert_cmpuint (fixture->n_discovery, ==, 1);

  /* The keys rotated; an unknown kid forces a fetch, past the disk cache… */
  fixture->jwks = JWKS_2;
  forced = get_jwks (fixture, reloaded, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (lanyard_jwks_has_kid (forced, "2"));
  g_assert_false (lanyard_jwks_has_kid (forced, "1"));
  g_assert_cmpuint (fixture->n_jwks, ==, 2);

  /* …but a second unknown kid within the minute does not reach the network. */
  fixture->jwks = JWKS_1;
  limited = get_jwks (fixture, reloaded, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (limited == forced);
  g_assert_cmpuint (fixture->n_jwks, ==, 2);
}

static void
test_jwks_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(LanyardJwks) jwks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  provider = load (fixture, NULL, &error);
  g_assert_no_error (error);

  fixture->jwks = "{\"keys\":{}}";
  jwks = get_jwks (fixture, provider, FALSE, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  g_assert_null (jwks);
  g_clear_error (&error);

  fixture->status = SOUP_STATUS_SERVICE_UNAVAILABLE;
  jwks = get_jwks (fixture, provider, FALSE, &error);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
  expected = g_strdup_printf ("JWKS at %s/jwks answered HTTP 503", fixture->base);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* Failures are not cached; with no keys at all, the next call asks again. */
  fixture->status = 0;
  fixture->jwks = JWKS_1;
  jwks = get_jwks (fixture, provider, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (lanyard_jwks_has_kid (jwks, "1"));
  g_assert_cmpuint (fixture->n_jwks, ==, 3);
}

/* A cache directory someone else can write (or owns) could hold a planted
 * discovery document that names any token endpoint: it is not used, and
 * nothing is written there. As ssh and gpg do with theirs. */
static void
test_cache_dir_trust (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(LanyardProvider) first = NULL;
  g_autoptr(LanyardAuthority) authority = lanyard_authority_parse (fixture->base, NULL);
  const char *url = lanyard_authority_get_discovery_url (authority);
  g_autofree char *path = lanyard_cache_get_path (url);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *moved = g_strconcat (dir, ".real", NULL);
  g_autoptr(GError) error = NULL;

  fixture->cache_control = "max-age=300";
  first = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_discovery, ==, 1);

  /* Trusted as created: 0700, ours. */
  {
    g_autoptr(LanyardCacheEntry) entry = lanyard_cache_lookup (url);
    g_assert_nonnull (entry);
  }

  /* Writable by others. */
  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  {
    g_autoptr(LanyardCacheEntry) entry = lanyard_cache_lookup (url);
    g_autoptr(LanyardProvider) again = NULL;

    g_assert_null (entry);
    restart (fixture);
    again = load (fixture, NULL, &error);
    g_assert_no_error (error);
    /* Fetched again, not taken from the file. */
    g_assert_cmpuint (fixture->n_discovery, ==, 2);
  }
  g_assert_cmpint (g_chmod (dir, 0770), ==, 0);
  g_assert_null (lanyard_cache_lookup (url));
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);

  /* The file itself writable by others. */
  g_assert_cmpint (g_chmod (path, 0622), ==, 0);
  g_assert_null (lanyard_cache_lookup (url));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);

  /* Owned by another user: only root can make that (CI and this suite's
   * sessions run as root). */
  if (getuid () == 0)
    {
      g_assert_cmpint (chown (dir, 65534, 65534), ==, 0);
      g_assert_null (lanyard_cache_lookup (url));
      g_assert_cmpint (chown (dir, 0, 0), ==, 0);
      /* A file of another user in our directory. */
      g_assert_cmpint (chown (path, 65534, 65534), ==, 0);
      g_assert_null (lanyard_cache_lookup (url));
      g_assert_cmpint (chown (path, 0, 0), ==, 0);
    }

  /* A symbolic link to a directory, even one of ours. */
  g_assert_cmpint (g_rename (dir, moved), ==, 0);
  g_assert_cmpint (symlink (moved, dir), ==, 0);
  g_assert_null (lanyard_cache_lookup (url));
  {
    g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
    GStatBuf st;
    gint64 before;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    before = st.st_mtime;
    g_usleep (1100 * 1000);
    lanyard_cache_store (url, NULL, 1, 300, body);
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mtime, ==, before);
  }
  g_assert_cmpint (g_unlink (dir), ==, 0);
  g_assert_cmpint (g_rename (moved, dir), ==, 0);

  {
    g_autoptr(LanyardCacheEntry) entry = lanyard_cache_lookup (url);
    g_assert_nonnull (entry);
  }
}

/* A long-running process (the app) honours max-age in memory too, between
 * a floor of a minute and the disk cache's ceiling of a day: a key the
 * provider withdrew does not stay trusted until a restart. */
static void
test_memory_freshness (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(LanyardProvider) same = NULL;
  g_autoptr(LanyardProvider) renewed = NULL;
  g_autoptr(LanyardJwks) jwks = NULL;
  g_autoptr(LanyardJwks) still = NULL;
  g_autoptr(LanyardJwks) rotated = NULL;
  g_autoptr(GError) error = NULL;

  fixture->cache_control = "max-age=300";
  provider = load (fixture, NULL, &error);
  g_assert_no_error (error);
  jwks = get_jwks (fixture, provider, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (lanyard_jwks_has_kid (jwks, "1"));

  /* Key 1 is withdrawn. Within max-age, memory is still right to keep it. */
  fixture->jwks = JWKS_2;
  lanyard_provider_age (provider, 200);
  still = get_jwks (fixture, provider, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (still == jwks);
  same = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (same == provider);
  g_assert_cmpuint (fixture->n_jwks, ==, 1);
  g_assert_cmpuint (fixture->n_discovery, ==, 1);

  /* Past it: fetched again, past the disk copy (which is no fresher). */
  lanyard_provider_age (provider, 101);
  rotated = get_jwks (fixture, provider, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (lanyard_jwks_has_kid (rotated, "1"));
  g_assert_true (lanyard_jwks_has_kid (rotated, "2"));
  g_assert_cmpuint (fixture->n_jwks, ==, 2);

  renewed = load (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (renewed != provider);
  g_assert_cmpuint (fixture->n_discovery, ==, 2);
}

/* max-age=0 (or no-store) still holds a minute in memory; a max-age of
 * years holds a day. */
static void
test_memory_freshness_bounds (Fixture       *fixture,
                              gconstpointer  data)
{
  const struct { const char *cache_control; gint64 fresh; gint64 stale; } cases[] = {
    /* Five seconds to spare for a slow machine between the fetch and the check. */
    { "max-age=0", 55, 6 },
    { "no-store", 55, 6 },
    { "max-age=999999999", 86395, 6 },
    { NULL, 3595, 6 },   /* no max-age: the disk cache's default, an hour */
  };
  g_autoptr(LanyardAuthority) authority = lanyard_authority_parse (fixture->base, NULL);
  const char *url = lanyard_authority_get_discovery_url (authority);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LanyardProvider) provider = NULL;
      g_autoptr(LanyardProvider) same = NULL;
      g_autoptr(LanyardProvider) renewed = NULL;
      g_autoptr(GError) error = NULL;
      guint before;

      g_test_message ("Cache-Control: %s", cases[i].cache_control);
      restart (fixture);
      lanyard_cache_remove (url);
      fixture->cache_control = cases[i].cache_control;
      before = fixture->n_discovery;
      provider = load (fixture, NULL, &error);
      g_assert_no_error (error);

      lanyard_provider_age (provider, cases[i].fresh);
      same = load (fixture, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (same == provider);

      lanyard_provider_age (provider, cases[i].stale);
      renewed = load (fixture, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (renewed != provider);
      g_assert_cmpuint (fixture->n_discovery, ==, before + 2);
    }
}

/* Where the disk cache gets written: never on the main thread, which an
 * app's window shares. */
static GThread *main_thread;
static guint n_writes_on_main;
static guint n_writes_elsewhere;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "Wrote the cache file "))
      {
        if (g_thread_self () == main_thread)
          g_atomic_int_inc (&n_writes_on_main);
        else
          g_atomic_int_inc (&n_writes_elsewhere);
      }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_disk_writes_off_main (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(LanyardJwks) jwks = NULL;
  g_autoptr(LanyardAuthority) authority = lanyard_authority_parse (fixture->base, NULL);
  g_autoptr(LanyardCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  guint before = g_atomic_int_get (&n_writes_elsewhere);

  fixture->cache_control = "max-age=300";
  provider = load (fixture, NULL, &error);
  g_assert_no_error (error);
  jwks = get_jwks (fixture, provider, FALSE, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (g_atomic_int_get (&n_writes_on_main), ==, 0);
  g_assert_cmpuint (g_atomic_int_get (&n_writes_elsewhere) - before, ==, 2);

  /* And the fetch ended only once the file was there. */
  entry = lanyard_cache_lookup (lanyard_authority_get_discovery_url (authority));
  g_assert_nonnull (entry);
}

int
main (int    argc,
      char **argv)
{
  /* glib-networking's GNOME proxy resolver aborts without GSettings schemas,
   * which the isolated XDG dirs hide; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  main_thread = g_thread_self ();
  g_log_set_writer_func (log_writer, NULL, NULL);
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/provider/parse-generic", test_parse_generic);
  g_test_add_func ("/lanyard/provider/parse-minimal", test_parse_minimal);
  g_test_add_func ("/lanyard/provider/parse-entra", test_parse_entra);
  g_test_add_func ("/lanyard/provider/wrong-issuer", test_wrong_issuer);
  g_test_add_func ("/lanyard/provider/missing-members", test_missing_members);
  g_test_add_func ("/lanyard/provider/http-endpoints", test_http_endpoints);
  g_test_add_func ("/lanyard/provider/default-freshness", test_default_freshness);

#define ADD(path, func) \
  g_test_add ("/lanyard/provider/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("memory-cache", test_load_memory_cache);
  ADD ("disk-cache", test_disk_cache);
  ADD ("etag-revalidation", test_etag_revalidation);
  ADD ("no-store", test_no_store);
  ADD ("corrupt-cache", test_corrupt_cache);
  ADD ("cache-dir-trust", test_cache_dir_trust);
  ADD ("http-error", test_http_error);
  ADD ("invalid-document", test_invalid_document);
  ADD ("entra-load", test_entra_load);
  ADD ("unreachable", test_unreachable);
  ADD ("jwks", test_jwks);
  ADD ("jwks-errors", test_jwks_errors);
  ADD ("memory-freshness", test_memory_freshness);
  ADD ("disk-writes-off-main", test_disk_writes_off_main);
  ADD ("memory-freshness-bounds", test_memory_freshness_bounds);

#undef ADD

  return g_test_run ();
}
