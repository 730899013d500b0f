/* test-client-urls.c — the authorize and logout URLs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lanyard-client.h"
#include "lanyard-test-utils.h"

/* The value of @name in @url's query, decoded; NULL when absent. */
static char *
query_param (const char *url,
             const char *name)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *query;

  g_assert_nonnull (uri);
  query = g_uri_get_query (uri);
  if (query == NULL)
    return NULL;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (params);
  return g_strdup (g_hash_table_lookup (params, name));
}

static void
assert_param (const char *url,
              const char *name,
              const char *expected)
{
  g_autofree char *value = query_param (url, name);

  g_assert_cmpstr (value, ==, expected);
}

static const char * const default_scopes[] = { "openid", "profile", "offline_access", NULL };

static void
test_authorize_required_parameters (void)
{
  g_autofree char *url = NULL;

  url = lanyard_build_authorize_url ("https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
                                     "11111111-2222-3333-4444-555555555555",
                                     "http://localhost:51234/",
                                     default_scopes, "the-state", "the-nonce", "the-challenge",
                                     FALSE, NULL, NULL);

  g_assert_true (g_str_has_prefix (url, "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?"));
  assert_param (url, "response_type", "code");
  assert_param (url, "client_id", "11111111-2222-3333-4444-555555555555");
  assert_param (url, "redirect_uri", "http://localhost:51234/");
  assert_param (url, "scope", "openid profile offline_access");
  assert_param (url, "state", "the-state");
  assert_param (url, "nonce", "the-nonce");
  assert_param (url, "code_challenge", "the-challenge");
  assert_param (url, "code_challenge_method", "S256");
  /* Query mode is the default: no response_mode at all. */
  assert_param (url, "response_mode", NULL);
  assert_param (url, "prompt", NULL);
  assert_param (url, "login_hint", NULL);
  assert_param (url, "claims", NULL);
}

static void
test_authorize_form_post_and_options (void)
{
  LanyardSignInOptions options = {
    .prompt = "create",
    .login_hint = "alice+test@example.com",
    .domain_hint = "contoso.com",
  };
  g_autofree char *url = NULL;

  url = lanyard_build_authorize_url ("http://127.0.0.1:4000/auth", "client", "http://127.0.0.1:5000/cb",
                                     default_scopes, "s", "n", "c", TRUE, &options,
                                     "{\"id_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}");

  assert_param (url, "response_mode", "form_post");
  assert_param (url, "prompt", "create");
  /* '+' and '@' must survive: a '+' left raw would read back as a space. */
  assert_param (url, "login_hint", "alice+test@example.com");
  g_assert_null (strstr (url, "alice+test"));
  assert_param (url, "domain_hint", "contoso.com");
  /* The claims request as MSAL sends it: the JSON, form-encoded. */
  assert_param (url, "claims", "{\"id_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}");
  g_assert_null (strstr (url, "{"));
}

static void
test_authorize_endpoint_with_query (void)
{
  g_autofree char *url = NULL;

  /* Some providers put a policy in the endpoint's own query (B2C's ?p=). */
  url = lanyard_build_authorize_url ("https://login.example.com/authorize?p=b2c_1_signin", "client",
                                     "http://localhost:1/", default_scopes, "s", "n", "c", FALSE, NULL, NULL);

  g_assert_true (g_str_has_prefix (url, "https://login.example.com/authorize?p=b2c_1_signin&client_id=client&"));
  g_assert_null (strstr (url + strlen ("https://login.example.com/authorize?"), "?"));
  assert_param (url, "p", "b2c_1_signin");
}

static void
test_authorize_escapes_reserved_characters (void)
{
  const char * const scopes[] = { "openid", "api://x/read&write", NULL };
  g_autofree char *url = NULL;

  url = lanyard_build_authorize_url ("https://idp.example/authorize", "a b&c=d", "http://localhost:1/p?x",
                                     scopes, "s", "n", "c", FALSE, NULL, NULL);

  assert_param (url, "client_id", "a b&c=d");
  assert_param (url, "redirect_uri", "http://localhost:1/p?x");
  assert_param (url, "scope", "openid api://x/read&write");
  g_assert_null (strchr (url, ' '));
}

static void
test_logout_with_logout_hint (void)
{
  g_autofree char *url = NULL;

  url = lanyard_build_logout_url ("https://contoso.ciamlogin.com/contoso.onmicrosoft.com/oauth2/v2.0/logout",
                                  "client-id", "O.aaaa:bbbb", "header.payload.signature");

  assert_param (url, "logout_hint", "O.aaaa:bbbb");
  assert_param (url, "client_id", "client-id");
  /* With a login_hint there is no need to hand the ID token around. */
  assert_param (url, "id_token_hint", NULL);
}

static void
test_logout_falls_back_to_id_token_hint (void)
{
  g_autofree char *url = NULL;

  url = lanyard_build_logout_url ("http://127.0.0.1:4000/session/end", "client-id", NULL, "h.p.s");

  assert_param (url, "logout_hint", NULL);
  assert_param (url, "id_token_hint", "h.p.s");
  assert_param (url, "client_id", "client-id");
}

int
main (int    argc,
      char **argv)
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/client-urls/authorize/required-parameters", test_authorize_required_parameters);
  g_test_add_func ("/lanyard/client-urls/authorize/form-post-and-options", test_authorize_form_post_and_options);
  g_test_add_func ("/lanyard/client-urls/authorize/endpoint-with-query", test_authorize_endpoint_with_query);
  g_test_add_func ("/lanyard/client-urls/authorize/escapes", test_authorize_escapes_reserved_characters);
  g_test_add_func ("/lanyard/client-urls/logout/logout-hint", test_logout_with_logout_hint);
  g_test_add_func ("/lanyard/client-urls/logout/id-token-hint", test_logout_falls_back_to_id_token_hint);

  return g_test_run ();
}
