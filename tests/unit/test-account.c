/* test-account.c — LanyardAccount: identity, stored form, token validity
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "test-account"

#include "config.h"

#include <string.h>

#include "lanyard-account.h"
#include "lanyard-error.h"
#include "lanyard-json.h"
#include "lanyard-test-utils.h"

#define ISSUER "https://11111111-2222-3333-4444-555555555555.ciamlogin.com/11111111-2222-3333-4444-555555555555/v2.0"
#define AUTHORITY "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/"
#define CLIENT_ID "00000000-aaaa-bbbb-cccc-000000000001"
#define OID "9f8e7d6c-0000-4000-8000-000000000abc"
#define TID "11111111-2222-3333-4444-555555555555"

#define ACCESS_TOKEN "at-SECRET-eyJhbGciOiJSUzI1NiJ9.access"
#define REFRESH_TOKEN "rt-SECRET-0.AXEA-refresh"
#define ID_TOKEN "it-SECRET-eyJhbGciOiJSUzI1NiJ9.id"

static JsonObject *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = lanyard_json_parse_object (json, -1, "test claims",
                                                  LANYARD_ERROR_INVALID_RESPONSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

static LanyardAccount *
account_for (const char *claims_json)
{
  g_autoptr(JsonObject) claims = parse (claims_json);
  g_autoptr(GError) error = NULL;
  LanyardAccount *account = lanyard_account_new_from_claims (claims, AUTHORITY, CLIENT_ID, &error);

  g_assert_no_error (error);
  g_assert_true (LANYARD_IS_ACCOUNT (account));
  return account;
}

static LanyardAccount *
entra_account (void)
{
  return account_for ("{\"iss\":\"" ISSUER "\",\"sub\":\"pairwise-sub\","
                      "\"oid\":\"" OID "\",\"tid\":\"" TID "\","
                      "\"preferred_username\":\"ada@contoso.com\",\"name\":\"Ada Lovelace\","
                      "\"login_hint\":\"O.CiQ5ZjhlN2Q2Yy0wMDAw\",\"aud\":\"" CLIENT_ID "\"}");
}

static char *
expected_hashed_id (const char *iss,
                    const char *sub)
{
  g_autofree char *input = g_strconcat (iss, "\n", sub, NULL);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);

  hex[32] = '\0';
  return g_strconcat ("sha256:", hex, NULL);
}

static void
test_id_oid_tid (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();

  /* sub is pairwise per application in Entra: oid + tid name the user. */
  g_assert_cmpstr (lanyard_account_get_id (account), ==, OID "." TID);
  g_assert_cmpstr (lanyard_account_get_issuer (account), ==, ISSUER);
  g_assert_cmpstr (lanyard_account_get_authority (account), ==, AUTHORITY);
  g_assert_cmpstr (lanyard_account_get_client_id (account), ==, CLIENT_ID);
  g_assert_cmpint (ABS (lanyard_account_get_signed_in_at (account) - g_get_real_time () / G_USEC_PER_SEC), <=, 2);
  g_assert_false (lanyard_account_get_session_only (account));
}

static void
test_id_iss_sub (void)
{
  g_autoptr(LanyardAccount) a = account_for ("{\"iss\":\"https://idp.example\",\"sub\":\"alice\"}");
  g_autoptr(LanyardAccount) b = account_for ("{\"iss\":\"https://idp.example\",\"sub\":\"alice\",\"email\":\"a@example.com\"}");
  g_autoptr(LanyardAccount) other_iss = account_for ("{\"iss\":\"https://other.example\",\"sub\":\"alice\"}");
  /* Only oid, or a tid that could make "<oid>.<tid>" ambiguous: hash. */
  g_autoptr(LanyardAccount) only_oid = account_for ("{\"iss\":\"https://idp.example\",\"sub\":\"alice\",\"oid\":\"" OID "\"}");
  g_autoptr(LanyardAccount) dotted = account_for ("{\"iss\":\"https://idp.example\",\"sub\":\"alice\",\"oid\":\"a.b\",\"tid\":\"c\"}");
  g_autofree char *expected = expected_hashed_id ("https://idp.example", "alice");

  g_assert_cmpstr (lanyard_account_get_id (a), ==, expected);
  g_assert_cmpuint (strlen (lanyard_account_get_id (a)), ==, strlen ("sha256:") + 32);
  g_assert_cmpstr (lanyard_account_get_id (b), ==, expected);
  g_assert_cmpstr (lanyard_account_get_id (other_iss), !=, expected);
  g_assert_cmpstr (lanyard_account_get_id (only_oid), ==, expected);
  g_assert_cmpstr (lanyard_account_get_id (dotted), ==, expected);
}

static void
test_id_missing_claims (void)
{
  const char *cases[] = {
    "{\"iss\":\"https://idp.example\"}",
    "{\"sub\":\"alice\"}",
    "{\"iss\":\"https://idp.example\",\"sub\":\"\"}",
    "{\"iss\":\"https://idp.example\",\"sub\":42}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) claims = parse (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(LanyardAccount) account = lanyard_account_new_from_claims (claims, AUTHORITY, CLIENT_ID, &error);

      g_assert_null (account);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN);
    }
}

static void
test_username_fallbacks (void)
{
  static const struct {
    const char *claims;
    const char *username;
    const char *display_name;
  } cases[] = {
    { "\"preferred_username\":\"pu\",\"email\":\"e@x\",\"upn\":\"u@x\",\"name\":\"N\"", "pu", "N" },
    { "\"email\":\"e@x\",\"upn\":\"u@x\"", "e@x", "e@x" },
    { "\"upn\":\"u@x\",\"name\":\"N\"", "u@x", "N" },
    { "\"name\":\"N\"", "s", "N" },
    { "\"preferred_username\":\"\",\"email\":\"e@x\",\"name\":\"\"", "e@x", "e@x" },
    { "\"preferred_username\":7,\"upn\":\"u@x\"", "u@x", "u@x" },
    { "\"x\":1", "s", "s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"iss\":\"https://idp.example\",\"sub\":\"s\",%s}", cases[i].claims);
      g_autoptr(LanyardAccount) account = account_for (json);

      g_test_message ("case %u: %s", i, json);
      g_assert_cmpstr (lanyard_account_get_username (account), ==, cases[i].username);
      g_assert_cmpstr (lanyard_account_get_display_name (account), ==, cases[i].display_name);
      g_assert_null (lanyard_account_get_login_hint (account));
    }
}

static void
test_login_hint (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  g_autofree char *display_name = NULL;

  g_assert_cmpstr (lanyard_account_get_login_hint (account), ==, "O.CiQ5ZjhlN2Q2Yy0wMDAw");
  g_assert_cmpstr (lanyard_account_get_username (account), ==, "ada@contoso.com");

  g_object_get (account, "display-name", &display_name, NULL);
  g_assert_cmpstr (display_name, ==, "Ada Lovelace");
}

static void
test_claims_are_copied (void)
{
  g_autoptr(JsonObject) claims = parse ("{\"iss\":\"https://idp.example\",\"sub\":\"s\",\"roles\":[\"a\"],\"nested\":{\"k\":\"v\"}}");
  g_autoptr(LanyardAccount) account = lanyard_account_new_from_claims (claims, AUTHORITY, CLIENT_ID, NULL);
  JsonObject *kept;

  json_object_set_string_member (claims, "sub", "mallory");
  json_array_add_string_element (json_object_get_array_member (claims, "roles"), "admin");
  json_object_set_string_member (json_object_get_object_member (claims, "nested"), "k", "changed");

  kept = lanyard_account_get_claims (account);
  g_assert_cmpstr (json_object_get_string_member (kept, "sub"), ==, "s");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (kept, "roles")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (kept, "nested"), "k"), ==, "v");
}

static void
test_json_round_trip (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  g_autoptr(LanyardAccount) copy = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  const char *scopes[] = { "openid", "profile", "offline_access", "api://x/read", NULL };
  const char *api_scopes[] = { "api://x/read", NULL };
  gint64 version = 0;

  lanyard_account_set_tokens (account, ACCESS_TOKEN, 1900000000, REFRESH_TOKEN, ID_TOKEN, scopes);
  lanyard_account_set_session_only (account, TRUE);

  json = lanyard_account_to_json (account);
  stored = parse (json);
  g_assert_true (lanyard_json_get_int (stored, "version", &version));
  g_assert_cmpint (version, ==, 2);
  g_assert_cmpint (version, ==, LANYARD_ACCOUNT_JSON_VERSION);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (stored, "access_tokens")));
  g_assert_false (json_object_has_member (stored, "access_token"));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (stored, "claims")));
  g_assert_false (json_object_has_member (stored, "session_only"));

  copy = lanyard_account_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_id (copy), ==, OID "." TID);
  g_assert_cmpstr (lanyard_account_get_username (copy), ==, "ada@contoso.com");
  g_assert_cmpstr (lanyard_account_get_display_name (copy), ==, "Ada Lovelace");
  g_assert_cmpstr (lanyard_account_get_login_hint (copy), ==, "O.CiQ5ZjhlN2Q2Yy0wMDAw");
  g_assert_cmpstr (lanyard_account_get_issuer (copy), ==, ISSUER);
  g_assert_cmpstr (lanyard_account_get_authority (copy), ==, AUTHORITY);
  g_assert_cmpstr (lanyard_account_get_client_id (copy), ==, CLIENT_ID);
  g_assert_cmpint (lanyard_account_get_signed_in_at (copy), ==, lanyard_account_get_signed_in_at (account));
  g_assert_cmpstr (lanyard_account_get_access_token (copy), ==, ACCESS_TOKEN);
  g_assert_cmpstr (lanyard_account_get_refresh_token (copy), ==, REFRESH_TOKEN);
  g_assert_cmpstr (lanyard_account_get_id_token (copy), ==, ID_TOKEN);
  g_assert_cmpint (lanyard_account_get_access_token_expires_at (copy), ==, 1900000000);
  /* Granted scopes never list the ones that only shape the ID token. */
  g_assert_cmpstrv (lanyard_account_get_scopes (copy), api_scopes);
  g_assert_true (json_object_equal (lanyard_account_get_claims (copy), lanyard_account_get_claims (account)));
  /* Session-only is about where an account lives now, not part of it. */
  g_assert_false (lanyard_account_get_session_only (copy));

  json_again = lanyard_account_to_json (copy);
  g_assert_cmpstr (json_again, ==, json);
}

static void
test_json_round_trip_minimal (void)
{
  g_autoptr(LanyardAccount) account = account_for ("{\"iss\":\"https://idp.example\",\"sub\":\"s\"}");
  g_autoptr(LanyardAccount) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = lanyard_account_to_json (account);

  copy = lanyard_account_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_null (lanyard_account_get_access_token (copy));
  g_assert_null (lanyard_account_get_refresh_token (copy));
  g_assert_null (lanyard_account_get_id_token (copy));
  g_assert_null (lanyard_account_get_login_hint (copy));
  g_assert_cmpint (lanyard_account_get_access_token_expires_at (copy), ==, 0);
  g_assert_nonnull (lanyard_account_get_scopes (copy));
  g_assert_null (lanyard_account_get_scopes (copy)[0]);
}

#define GOOD_CLAIMS_FOR_CACHE "{\"iss\":\"https://idp.example\",\"sub\":\"s\"}"
#define GOOD_CLAIMS "{\"iss\":\"https://idp.example\",\"sub\":\"s\"}"

static void
test_json_corrupt (void)
{
  g_autofree char *id = expected_hashed_id ("https://idp.example", "s");
  g_autofree char *base = g_strdup_printf ("\"id\":\"%s\",\"authority\":\"a\",\"client_id\":\"c\",\"claims\":" GOOD_CLAIMS ",\"signed_in_at\":5", id);
  g_autofree char *good = g_strdup_printf ("{\"version\":1,%s}", base);
  const char *bodies[] = {
    "",
    "not json",
    "[]",
    "\"string\"",
    "{\"version\":1",
    "{}",
    "{\"version\":\"1\"}",
    "{\"version\":1}",
    "{\"version\":1.5,%s}",
    "{\"version\":1,%s} trailing",
    "{\"version\":1,%s,\"access_token\":42}",
    "{\"version\":1,%s,\"refresh_token\":null}",
    "{\"version\":1,%s,\"access_token_expires_at\":\"soon\"}",
    "{\"version\":1,%s,\"access_token_expires_at\":-1}",
    "{\"version\":1,%s,\"scopes\":\"openid\"}",
    "{\"version\":1,%s,\"scopes\":[\"openid\",3]}",
    "{\"version\":1,\"authority\":\"a\",\"client_id\":\"c\",\"claims\":" GOOD_CLAIMS ",\"signed_in_at\":5}",
    "{\"version\":1,\"id\":\"x\",\"authority\":\"a\",\"client_id\":\"c\",\"claims\":" GOOD_CLAIMS ",\"signed_in_at\":5}",
    "{\"version\":1,\"id\":\"x\",\"authority\":\"a\",\"client_id\":\"c\",\"claims\":\"no\",\"signed_in_at\":5}",
    "{\"version\":1,\"id\":\"x\",\"authority\":\"a\",\"client_id\":\"c\",\"claims\":{},\"signed_in_at\":5}",
    "{\"version\":1,\"id\":\"x\",\"claims\":" GOOD_CLAIMS ",\"signed_in_at\":5}",
  };
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) good_error = NULL;

  /* The base itself is fine: every failure below comes from its change. */
  account = lanyard_account_new_from_json (good, &good_error);
  g_assert_no_error (good_error);
  g_assert_nonnull (account);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GString) json = g_string_new (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(LanyardAccount) broken = NULL;

      g_string_replace (json, "%s", base, 1);
      g_test_message ("case %u: %s", i, json->str);
      broken = lanyard_account_new_from_json (json->str, &error);
      g_assert_null (broken);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
    }
}

static void
test_json_duplicate_keys (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  g_autofree char *json = NULL;
  const char *duplicates[] = {
    "\"version\":1,",
    "\"refresh_token\":\"other\",",
    "\"access_tokens\":[],",
    "\"id\":\"someone-else\",",
    "\"claims\":{\"iss\":\"x\",\"sub\":\"y\"},",
  };

  lanyard_account_set_tokens (account, ACCESS_TOKEN, 1900000000, REFRESH_TOKEN, NULL, NULL);
  json = lanyard_account_to_json (account);

  /* Top level: a second member of a name that is already there. */
  for (guint i = 0; i <= G_N_ELEMENTS (duplicates); i++)
    {
      g_autoptr(GString) doubled = g_string_new (json);
      g_autoptr(GError) error = NULL;
      g_autoptr(LanyardAccount) parsed = NULL;

      if (i < G_N_ELEMENTS (duplicates))
        g_string_insert (doubled, 1, duplicates[i]);
      else /* and inside the claims */
        g_assert_cmpuint (g_string_replace (doubled, "\"sub\":\"pairwise-sub\"",
                                            "\"sub\":\"pairwise-sub\",\"sub\":\"other\"", 1), ==, 1);

      g_test_message ("case %u", i);
      parsed = lanyard_account_new_from_json (doubled->str, &error);
      g_assert_null (parsed);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
      /* The message names the problem, never the stored tokens. */
      g_assert_null (strstr (error->message, "SECRET"));
    }
}

static void
test_json_versions (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  g_autofree char *json = lanyard_account_to_json (account);
  static const struct {
    const char *version;
    const char *message;
  } cases[] = {
    { "3", "stored account has version 3, newer than this Lanyard" },
    { "1000", "stored account has version 1000, newer than this Lanyard" },
    { "0", NULL },
    { "-1", NULL },
  };

  g_assert_true (g_str_has_prefix (json, "{\"version\":2,"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) changed = g_string_new (json);
      g_autoptr(GError) error = NULL;
      g_autoptr(LanyardAccount) parsed = NULL;

      g_string_replace (changed, "{\"version\":2,", "", 1);
      g_string_prepend (changed, ",");
      g_string_prepend (changed, cases[i].version);
      g_string_prepend (changed, "{\"version\":");

      parsed = lanyard_account_new_from_json (changed->str, &error);
      g_assert_null (parsed);
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      else
        g_assert_nonnull (strstr (error->message, "version"));
    }
}

static void
test_token_validity (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  const gint64 now = 1800000000;

  /* No token at all. */
  g_assert_false (lanyard_account_has_valid_access_token (account, NULL, now, 0));

  lanyard_account_set_tokens (account, ACCESS_TOKEN, now + 3600, REFRESH_TOKEN, ID_TOKEN, NULL);
  g_assert_true (lanyard_account_has_valid_access_token (account, NULL, now, 0));
  g_assert_true (lanyard_account_has_valid_access_token (account, NULL, now, 300));
  g_assert_true (lanyard_account_has_valid_access_token (account, NULL, now, 3599));
  /* "more than min_seconds left": exactly min_seconds is not enough. */
  g_assert_false (lanyard_account_has_valid_access_token (account, NULL, now, 3600));
  g_assert_false (lanyard_account_has_valid_access_token (account, NULL, now + 3301, 300));
  g_assert_true (lanyard_account_has_valid_access_token (account, NULL, now + 3299, 300));
  g_assert_false (lanyard_account_has_valid_access_token (account, NULL, now + 3600, 0));
  g_assert_false (lanyard_account_has_valid_access_token (account, NULL, now + 7200, 0));

  /* An unknown expiry counts as expired. */
  lanyard_account_set_tokens (account, ACCESS_TOKEN, 0, NULL, NULL, NULL);
  g_assert_false (lanyard_account_has_valid_access_token (account, NULL, now, 0));

  /* An empty token is no token. */
  lanyard_account_set_tokens (account, "", now + 3600, NULL, NULL, NULL);
  g_assert_false (lanyard_account_has_valid_access_token (account, NULL, now, 0));

  /* A NULL refresh or ID token keeps the old one; a NULL access token clears it. */
  lanyard_account_set_tokens (account, NULL, now + 3600, NULL, NULL, NULL);
  g_assert_null (lanyard_account_get_access_token (account));
  g_assert_cmpstr (lanyard_account_get_refresh_token (account), ==, REFRESH_TOKEN);
  g_assert_cmpstr (lanyard_account_get_id_token (account), ==, ID_TOKEN);
  g_assert_false (lanyard_account_has_valid_access_token (account, NULL, now, 0));

  lanyard_account_set_tokens (account, ACCESS_TOKEN, now + 60, "rt-rotated", "it-new", NULL);
  g_assert_cmpstr (lanyard_account_get_refresh_token (account), ==, "rt-rotated");
  g_assert_cmpstr (lanyard_account_get_id_token (account), ==, "it-new");

  lanyard_account_forget_refresh_token (account);
  g_assert_null (lanyard_account_get_refresh_token (account));
  g_assert_cmpstr (lanyard_account_get_access_token (account), ==, ACCESS_TOKEN);
}

static void
test_scope_coverage (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  const gint64 now = 1800000000;
  const char *granted[] = { "api://x/read", "api://x/write", NULL };
  const char *oidc_only[] = { "openid", "profile", "offline_access", "email", NULL };
  const char *read[] = { "openid", "api://x/read", NULL };
  const char *both[] = { "api://x/write", "api://x/read", "offline_access", NULL };
  const char *other[] = { "api://x/read", "api://y/read", NULL };
  const char *empty[] = { NULL };

  lanyard_account_set_tokens (account, ACCESS_TOKEN, now + 3600, NULL, NULL, granted);
  g_assert_true (lanyard_account_has_valid_access_token (account, NULL, now, 300));
  g_assert_true (lanyard_account_has_valid_access_token (account, empty, now, 300));
  g_assert_true (lanyard_account_has_valid_access_token (account, oidc_only, now, 300));
  g_assert_true (lanyard_account_has_valid_access_token (account, read, now, 300));
  g_assert_true (lanyard_account_has_valid_access_token (account, both, now, 300));
  g_assert_false (lanyard_account_has_valid_access_token (account, other, now, 300));
  /* Scope coverage does not rescue an expired token. */
  g_assert_false (lanyard_account_has_valid_access_token (account, read, now + 3600, 0));

  /* Providers may leave the OpenID scopes out of the granted list. */
  lanyard_account_set_tokens (account, ACCESS_TOKEN, now + 3600, NULL, NULL, NULL);
  g_assert_true (lanyard_account_has_valid_access_token (account, oidc_only, now, 300));
  g_assert_false (lanyard_account_has_valid_access_token (account, read, now, 300));
}

static LanyardAccessToken *
token_for (const char *token,
           gint64      expires_at,
           const char *granted,
           const char *requested)
{
  g_auto(GStrv) granted_v = g_strsplit (granted, " ", -1);
  g_auto(GStrv) requested_v = g_strsplit (requested, " ", -1);

  return lanyard_access_token_new (token, "Bearer", expires_at,
                                   (const char * const *) granted_v,
                                   (const char * const *) requested_v);
}

static const char *
lookup_token (LanyardAccount *account,
              const char     *scopes,
              gint64          now)
{
  g_auto(GStrv) wanted = g_strsplit (scopes, " ", -1);
  LanyardAccessToken *token = lanyard_account_lookup_access_token (account, (const char * const *) wanted,
                                                                   now, 300);

  return token != NULL ? lanyard_access_token_get_token (token) : NULL;
}

/* One token per resource: adding one for another API keeps the first. */
static void
test_cache_per_resource (void)
{
  g_autoptr(LanyardAccount) account = account_for (GOOD_CLAIMS_FOR_CACHE);
  g_autoptr(LanyardAccessToken) a = token_for ("at-A", 1900000000, "api://a/read", "api://a/read");
  g_autoptr(LanyardAccessToken) b = token_for ("at-B", 1900000000, "api://b/write", "openid api://b/write");
  g_autoptr(LanyardAccessToken) a2 = token_for ("at-A2", 1900000000, "api://a/read api://a/write",
                                                "api://a/read api://a/write");
  g_autoptr(LanyardAccessToken) expired = token_for ("at-C", 1000, "api://c/x", "api://c/x");
  const gint64 now = 1800000000;

  lanyard_account_add_access_token (account, a);
  lanyard_account_add_access_token (account, b);
  g_assert_cmpuint (lanyard_account_get_access_tokens (account)->len, ==, 2);
  g_assert_cmpstr (lookup_token (account, "api://a/read", now), ==, "at-A");
  g_assert_cmpstr (lookup_token (account, "api://b/write offline_access", now), ==, "at-B");
  /* No single token covers both APIs; none covers a scope never granted. */
  g_assert_null (lookup_token (account, "api://a/read api://b/write", now));
  g_assert_null (lookup_token (account, "api://a/write", now));
  /* Nothing with less than the minimum lifetime left. */
  g_assert_null (lookup_token (account, "api://a/read", 1900000000 - 300));

  /* A token with more scopes of the same resource supersedes the old one. */
  lanyard_account_add_access_token (account, a2);
  g_assert_cmpuint (lanyard_account_get_access_tokens (account)->len, ==, 2);
  g_assert_cmpstr (lookup_token (account, "api://a/read", now), ==, "at-A2");
  g_assert_cmpstr (lookup_token (account, "api://a/write", now), ==, "at-A2");
  g_assert_cmpstr (lookup_token (account, "api://b/write", now), ==, "at-B");

  /* Expired tokens leave the cache when another is added. */
  lanyard_account_add_access_token (account, expired);
  lanyard_account_add_access_token (account, a);
  g_assert_cmpuint (lanyard_account_get_access_tokens (account)->len, ==, 2);
}

/* No scopes asked: the token asked for with no API scope (the sign-in's). */
static void
test_cache_default_token (void)
{
  g_autoptr(LanyardAccount) account = account_for (GOOD_CLAIMS_FOR_CACHE);
  g_autoptr(LanyardAccessToken) signed_in = token_for ("at-sign-in", 1900000000, "openid profile offline_access",
                                                       "openid profile offline_access");
  g_autoptr(LanyardAccessToken) api = token_for ("at-api", 1900000000, "api://a/read", "api://a/read");

  lanyard_account_add_access_token (account, signed_in);
  lanyard_account_add_access_token (account, api);
  g_assert_cmpstr (lookup_token (account, "", 1800000000), ==, "at-sign-in");
  g_assert_cmpstr (lookup_token (account, "openid profile", 1800000000), ==, "at-sign-in");
  g_assert_cmpstr (lookup_token (account, "api://a/read", 1800000000), ==, "at-api");
  g_assert_cmpstrv (lanyard_access_token_get_scopes (signed_in), (const char *[]) { NULL });
}

static void
test_cache_entra_rules (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  g_autoptr(LanyardAccessToken) graph = token_for ("at-graph", 1900000000, "User.Read profile openid email",
                                                   "User.Read");
  g_autoptr(LanyardAccessToken) api = token_for ("at-api", 1900000000, "api://x/read api://x/write",
                                                 "api://x/.default");
  const char *graph_scopes[] = { "User.Read", "email", NULL };
  const gint64 now = 1800000000;
  g_autofree char *resource = NULL;
  g_autofree char *key = NULL;

  g_assert_true (lanyard_account_is_entra (account));
  lanyard_account_add_access_token (account, graph);
  lanyard_account_add_access_token (account, api);

  /* openid, profile, offline_access are never an access token's scopes. */
  g_assert_cmpstrv (lanyard_access_token_get_scopes (graph), graph_scopes);
  /* User.Read is Microsoft Graph's, however it is spelt. */
  g_assert_cmpstr (lookup_token (account, "User.Read", now), ==, "at-graph");
  g_assert_cmpstr (lookup_token (account, "https://graph.microsoft.com/User.Read openid", now), ==, "at-graph");
  g_assert_null (lookup_token (account, "Mail.Read", now));
  /* <resource>/.default is covered by a token of that resource. */
  g_assert_cmpstr (lookup_token (account, "api://x/.default", now), ==, "at-api");
  g_assert_cmpstr (lookup_token (account, "api://x/write", now), ==, "at-api");
  g_assert_null (lookup_token (account, "api://y/.default", now));
  g_assert_cmpstr (lookup_token (account, "https://graph.microsoft.com/.default", now), ==, "at-graph");

  resource = lanyard_scope_get_resource ("api://1234/access_as_user", TRUE);
  g_assert_cmpstr (resource, ==, "api://1234");
  g_clear_pointer (&resource, g_free);
  resource = lanyard_scope_get_resource ("https://contoso.example/orders/read", FALSE);
  g_assert_cmpstr (resource, ==, "https://contoso.example/orders");
  g_clear_pointer (&resource, g_free);
  resource = lanyard_scope_get_resource ("User.Read", TRUE);
  g_assert_cmpstr (resource, ==, "https://graph.microsoft.com");
  g_clear_pointer (&resource, g_free);
  g_assert_null (lanyard_scope_get_resource ("User.Read", FALSE));
  g_assert_null (lanyard_scope_get_resource ("api://x", FALSE));

  key = lanyard_scope_set_key ((const char *[]) { "openid", "b", "a", "b", "offline_access", NULL }, FALSE);
  g_assert_cmpstr (key, ==, "a b");
  g_clear_pointer (&key, g_free);

  /* Found by fuzz-account-json: an element with spaces is several scopes, so
   * the key reads back as the same set. */
  key = lanyard_scope_set_key ((const char *[]) { "c ", "b a", " openid", NULL }, FALSE);
  g_assert_cmpstr (key, ==, "a b c");
}

/* Version 1 held one access token: it is migrated, not dropped. */
static void
test_json_migrate_version_1 (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  g_autoptr(LanyardAccount) migrated = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonArray) scopes = json_array_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  const char *expected_scopes[] = { "api://x/read", NULL };
  GPtrArray *tokens;

  lanyard_account_set_refresh_token (account, REFRESH_TOKEN, ID_TOKEN);
  v2 = lanyard_account_to_json (account);
  object = parse (v2);
  json_object_set_int_member (object, "version", 1);
  json_object_remove_member (object, "access_tokens");
  json_object_set_string_member (object, "access_token", ACCESS_TOKEN);
  json_object_set_int_member (object, "access_token_expires_at", 1900000000);
  json_array_add_string_element (scopes, "openid");
  json_array_add_string_element (scopes, "api://x/read");
  json_object_set_array_member (object, "scopes", json_array_ref (scopes));
  root = json_node_init_object (json_node_alloc (), object);
  v1 = json_to_string (root, FALSE);

  migrated = lanyard_account_new_from_json (v1, &error);
  g_assert_no_error (error);
  tokens = lanyard_account_get_access_tokens (migrated);
  g_assert_cmpuint (tokens->len, ==, 1);
  g_assert_cmpstr (lanyard_access_token_get_token (g_ptr_array_index (tokens, 0)), ==, ACCESS_TOKEN);
  g_assert_cmpint (lanyard_access_token_get_expires_at (g_ptr_array_index (tokens, 0)), ==, 1900000000);
  g_assert_cmpstrv (lanyard_access_token_get_scopes (g_ptr_array_index (tokens, 0)), expected_scopes);
  g_assert_cmpstr (lanyard_account_get_refresh_token (migrated), ==, REFRESH_TOKEN);
  g_assert_cmpstr (lookup_token (migrated, "api://x/read", 1800000000), ==, ACCESS_TOKEN);

  g_free (v2);
  v2 = lanyard_account_to_json (migrated);
  g_assert_true (g_str_has_prefix (v2, "{\"version\":2,"));
  g_assert_null (strstr (v2, "\"access_token\""));
}

/* Found by fuzz-account-json: a version-1 item with an empty access token
 * migrates to no token, so what it saves reads back. */
static void
test_json_migrate_version_1_empty_token (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  g_autoptr(LanyardAccount) migrated = NULL;
  g_autoptr(LanyardAccount) again = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *saved = NULL;

  lanyard_account_set_refresh_token (account, REFRESH_TOKEN, ID_TOKEN);
  v2 = lanyard_account_to_json (account);
  object = parse (v2);
  json_object_set_int_member (object, "version", 1);
  json_object_remove_member (object, "access_tokens");
  json_object_set_string_member (object, "access_token", "");
  root = json_node_init_object (json_node_alloc (), object);
  v1 = json_to_string (root, FALSE);

  migrated = lanyard_account_new_from_json (v1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lanyard_account_get_access_tokens (migrated)->len, ==, 0);
  g_assert_cmpstr (lanyard_account_get_refresh_token (migrated), ==, REFRESH_TOKEN);

  saved = lanyard_account_to_json (migrated);
  again = lanyard_account_new_from_json (saved, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_account_get_refresh_token (again), ==, REFRESH_TOKEN);
}

static void
test_json_cache_round_trip (void)
{
  g_autoptr(LanyardAccount) account = account_for (GOOD_CLAIMS_FOR_CACHE);
  g_autoptr(LanyardAccount) copy = NULL;
  g_autoptr(LanyardAccessToken) a = token_for ("at-A", 1900000000, "a:read", "a:read");
  g_autoptr(LanyardAccessToken) b = token_for ("at-B", 1900000001, "b:write b:read", "b:read b:write");
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  lanyard_account_add_access_token (account, a);
  lanyard_account_add_access_token (account, b);
  lanyard_account_set_connection (account, "/etc/corp/ca.pem", "127.0.0.1", 8400, "/cb");
  json = lanyard_account_to_json (account);
  copy = lanyard_account_new_from_json (json, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (lanyard_account_get_access_tokens (copy)->len, ==, 2);
  g_assert_cmpstr (lookup_token (copy, "a:read", 1800000000), ==, "at-A");
  g_assert_cmpstr (lookup_token (copy, "b:read", 1800000000), ==, "at-B");
  g_assert_cmpstr (lanyard_account_get_ca_file (copy), ==, "/etc/corp/ca.pem");
  g_assert_cmpstr (lanyard_account_get_redirect_host (copy), ==, "127.0.0.1");
  g_assert_cmpuint (lanyard_account_get_redirect_port (copy), ==, 8400);
  g_assert_cmpstr (lanyard_account_get_redirect_path (copy), ==, "/cb");
  json_again = lanyard_account_to_json (copy);
  g_assert_cmpstr (json_again, ==, json);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GHashTable *counts = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
}

static guint
count_of (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_notify (void)
{
  g_autoptr(LanyardAccount) account = entra_account ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) renamed = parse ("{\"iss\":\"" ISSUER "\",\"sub\":\"pairwise-sub\","
                                         "\"oid\":\"" OID "\",\"tid\":\"" TID "\","
                                         "\"preferred_username\":\"ada.king@contoso.com\",\"name\":\"Ada Lovelace\"}");
  gboolean session_only = FALSE;

  g_signal_connect (account, "notify", G_CALLBACK (count_notify_cb), counts);

  lanyard_account_set_session_only (account, TRUE);
  lanyard_account_set_session_only (account, TRUE);
  g_assert_cmpuint (count_of (counts, "session-only"), ==, 1);
  g_object_set (account, "session-only", FALSE, NULL);
  g_assert_cmpuint (count_of (counts, "session-only"), ==, 2);
  g_object_get (account, "session-only", &session_only, NULL);
  g_assert_false (session_only);

  lanyard_account_set_claims (account, renamed);
  g_assert_cmpstr (lanyard_account_get_username (account), ==, "ada.king@contoso.com");
  g_assert_null (lanyard_account_get_login_hint (account));
  g_assert_cmpuint (count_of (counts, "username"), ==, 1);
  g_assert_cmpuint (count_of (counts, "login-hint"), ==, 1);
  g_assert_cmpuint (count_of (counts, "display-name"), ==, 0);
  g_assert_cmpuint (count_of (counts, "id"), ==, 0);
  g_assert_cmpstr (lanyard_account_get_id (account), ==, OID "." TID);

  lanyard_account_set_tokens (account, ACCESS_TOKEN, 1900000000, NULL, NULL, NULL);
  lanyard_account_set_tokens (account, ACCESS_TOKEN, 1900000000, NULL, NULL, NULL);
  g_assert_cmpuint (count_of (counts, "access-token-expires-at"), ==, 1);
}

static void
test_set_claims_other_user (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(LanyardAccount) account = entra_account ();
      g_autoptr(JsonObject) other = parse ("{\"iss\":\"" ISSUER "\",\"sub\":\"x\",\"oid\":\"another\",\"tid\":\"" TID "\"}");

      lanyard_account_set_claims (account, other);
      return;
    }

  /* Claims of another user are a caller bug, refused loudly. */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*");
}

static GLogWriterOutput
collect_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  GString *collected = user_data;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE"))
        {
          g_string_append_len (collected, fields[i].value, fields[i].length);
          g_string_append_c (collected, '\n');
        }
    }

  return G_LOG_WRITER_HANDLED;
}

static void
test_no_tokens_in_logs (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(LanyardAccount) account = entra_account ();
      g_autoptr(LanyardAccount) copy = NULL;
      g_autoptr(GString) collected = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;
      g_autofree char *broken = NULL;
      const char *scopes[] = { "api://x/read", NULL };

      /* Our writer sees debug messages too, whatever G_MESSAGES_DEBUG says. */
      g_log_set_writer_func (collect_writer, collected, NULL);

      lanyard_account_set_tokens (account, ACCESS_TOKEN, 1900000000, REFRESH_TOKEN, ID_TOKEN, scopes);
      json = lanyard_account_to_json (account);
      copy = lanyard_account_new_from_json (json, &error);
      g_assert_no_error (error);
      lanyard_account_forget_refresh_token (copy);

      /* A stored account that breaks after its tokens. */
      broken = g_strconcat (json, "x", NULL);
      g_clear_object (&copy);
      copy = lanyard_account_new_from_json (broken, &error);
      g_assert_null (copy);
      g_assert_nonnull (error);
      g_string_append (collected, error->message);

      g_assert_cmpuint (collected->len, >, 0);
      g_assert_null (strstr (collected->str, "SECRET"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/account/id/oid-tid", test_id_oid_tid);
  g_test_add_func ("/lanyard/account/id/iss-sub", test_id_iss_sub);
  g_test_add_func ("/lanyard/account/id/missing-claims", test_id_missing_claims);
  g_test_add_func ("/lanyard/account/username-fallbacks", test_username_fallbacks);
  g_test_add_func ("/lanyard/account/login-hint", test_login_hint);
  g_test_add_func ("/lanyard/account/claims-are-copied", test_claims_are_copied);
  g_test_add_func ("/lanyard/account/json/round-trip", test_json_round_trip);
  g_test_add_func ("/lanyard/account/json/round-trip-minimal", test_json_round_trip_minimal);
  g_test_add_func ("/lanyard/account/json/corrupt", test_json_corrupt);
  g_test_add_func ("/lanyard/account/json/duplicate-keys", test_json_duplicate_keys);
  g_test_add_func ("/lanyard/account/json/versions", test_json_versions);
  g_test_add_func ("/lanyard/account/tokens/validity", test_token_validity);
  g_test_add_func ("/lanyard/account/tokens/scope-coverage", test_scope_coverage);
  g_test_add_func ("/lanyard/account/cache/per-resource", test_cache_per_resource);
  g_test_add_func ("/lanyard/account/cache/default-token", test_cache_default_token);
  g_test_add_func ("/lanyard/account/cache/entra-rules", test_cache_entra_rules);
  g_test_add_func ("/lanyard/account/json/migrate-version-1", test_json_migrate_version_1);
  g_test_add_func ("/lanyard/account/json/migrate-version-1/empty-token",
                   test_json_migrate_version_1_empty_token);
  g_test_add_func ("/lanyard/account/json/cache-round-trip", test_json_cache_round_trip);
  g_test_add_func ("/lanyard/account/notify", test_notify);
  g_test_add_func ("/lanyard/account/set-claims-other-user", test_set_claims_other_user);
  g_test_add_func ("/lanyard/account/no-tokens-in-logs", test_no_tokens_in_logs);

  return g_test_run ();
}
