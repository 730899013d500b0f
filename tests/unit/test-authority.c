/* test-authority.c — what users type, and what it becomes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "test-authority"

#include "config.h"

#include "lanyard-authority.h"
#include "lanyard-error.h"
#include "lanyard-test-utils.h"

#define GUID "0a1b2c3d-4e5f-6789-abcd-ef0123456789"

typedef struct {
  const char *input;
  const char *url;
  const char *discovery_url;
  gboolean    entra;
  gboolean    loopback;
} Accepted;

static const Accepted accepted[] = {
  /* Entra External ID */
  { "contoso",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "  Contoso\n",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "contoso.onmicrosoft.com",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "https://contoso.ciamlogin.com",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "https://contoso.ciamlogin.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "HTTPS://Contoso.CIAMLogin.com:443/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "https://contoso.ciamlogin.com/" GUID,
    "https://contoso.ciamlogin.com/" GUID "/",
    "https://contoso.ciamlogin.com/" GUID "/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "https://contoso.ciamlogin.com/0A1B2C3D-4E5F-6789-ABCD-EF0123456789/",
    "https://contoso.ciamlogin.com/" GUID "/",
    "https://contoso.ciamlogin.com/" GUID "/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "https://contoso.ciamlogin.com/contoso.onmicrosoft.com",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/",
    "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  /* The issuer pasted as the authority */
  { "https://" GUID ".ciamlogin.com/" GUID "/v2.0",
    "https://" GUID ".ciamlogin.com/" GUID "/",
    "https://" GUID ".ciamlogin.com/" GUID "/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "https://contoso.ciamlogin.com/" GUID "/v2.0/",
    "https://contoso.ciamlogin.com/" GUID "/",
    "https://contoso.ciamlogin.com/" GUID "/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  /* The discovery URL pasted as the authority */
  { "https://contoso.ciamlogin.com/" GUID "/v2.0/.well-known/openid-configuration",
    "https://contoso.ciamlogin.com/" GUID "/",
    "https://contoso.ciamlogin.com/" GUID "/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  /* Custom URL domains */
  { "https://login.contoso.com/" GUID,
    "https://login.contoso.com/" GUID "/",
    "https://login.contoso.com/" GUID "/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  { "https://login.contoso.com/contoso.onmicrosoft.com/",
    "https://login.contoso.com/contoso.onmicrosoft.com/",
    "https://login.contoso.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
    TRUE, FALSE },
  /* Generic OpenID Connect issuers */
  { "https://accounts.example.com",
    "https://accounts.example.com",
    "https://accounts.example.com/.well-known/openid-configuration",
    FALSE, FALSE },
  { "https://accounts.example.com/",
    "https://accounts.example.com",
    "https://accounts.example.com/.well-known/openid-configuration",
    FALSE, FALSE },
  { "https://idp.example.com:8443/realms/demo",
    "https://idp.example.com:8443/realms/demo",
    "https://idp.example.com:8443/realms/demo/.well-known/openid-configuration",
    FALSE, FALSE },
  { "https://idp.example.com/realms/demo/.well-known/openid-configuration",
    "https://idp.example.com/realms/demo",
    "https://idp.example.com/realms/demo/.well-known/openid-configuration",
    FALSE, FALSE },
  /* Found by fuzz-authority: a suffix pasted twice goes twice, so the result parses to itself */
  { "https://idp.example.com/realms/demo/.well-known/openid-configuration/.well-known/openid-configuration",
    "https://idp.example.com/realms/demo",
    "https://idp.example.com/realms/demo/.well-known/openid-configuration",
    FALSE, FALSE },
  /* Dot segments are resolved as RFC 3986 says */
  { "https://idp.example.com/a/../realms/./demo",
    "https://idp.example.com/realms/demo",
    "https://idp.example.com/realms/demo/.well-known/openid-configuration",
    FALSE, FALSE },
  /* /v2.0 is only stripped from Entra-shaped paths */
  { "https://idp.example.com/oidc/v2.0",
    "https://idp.example.com/oidc/v2.0",
    "https://idp.example.com/oidc/v2.0/.well-known/openid-configuration",
    FALSE, FALSE },
  /* Loopback providers may use plain http */
  { "http://127.0.0.1:8080",
    "http://127.0.0.1:8080",
    "http://127.0.0.1:8080/.well-known/openid-configuration",
    FALSE, TRUE },
  { "http://127.1.2.3:8080/issuer/",
    "http://127.1.2.3:8080/issuer",
    "http://127.1.2.3:8080/issuer/.well-known/openid-configuration",
    FALSE, TRUE },
  { "http://localhost:3000/oidc",
    "http://localhost:3000/oidc",
    "http://localhost:3000/oidc/.well-known/openid-configuration",
    FALSE, TRUE },
  { "http://[::1]:3000",
    "http://[::1]:3000",
    "http://[::1]:3000/.well-known/openid-configuration",
    FALSE, TRUE },
  { "https://localhost:3443",
    "https://localhost:3443",
    "https://localhost:3443/.well-known/openid-configuration",
    FALSE, TRUE },
  { "http://127.0.0.1:5556/" GUID,
    "http://127.0.0.1:5556/" GUID "/",
    "http://127.0.0.1:5556/" GUID "/v2.0/.well-known/openid-configuration",
    TRUE, TRUE },
};

static void
test_accepted (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(LanyardAuthority) authority = NULL;
      g_autoptr(GError) error = NULL;

      authority = lanyard_authority_parse (accepted[i].input, &error);
      g_assert_no_error (error);
      g_assert_nonnull (authority);

      g_assert_cmpstr (lanyard_authority_get_url (authority), ==, accepted[i].url);
      g_assert_cmpstr (lanyard_authority_get_discovery_url (authority), ==, accepted[i].discovery_url);
      g_assert_cmpint (lanyard_authority_is_entra (authority), ==, accepted[i].entra);
      g_assert_cmpint (lanyard_authority_is_loopback (authority), ==, accepted[i].loopback);
    }
}

static const struct {
  const char *input;
  const char *message_part;
} rejected[] = {
  { "", "No authority" },
  { "   ", "No authority" },
  { NULL, "No authority" },
  { "http://contoso.ciamlogin.com/", "http://" },
  { "http://accounts.example.com", "http://" },
  { "http://127.0.0.1.example.com/", "http://" },
  { "ftp://example.com/", "https://" },
  { "file:///etc/passwd", "https://" },
  { "https://example.com/?p=b2c_1_signin", "query" },
  { "https://example.com/issuer?", "query" },
  { "https://example.com/#frag", "fragment" },
  { "https://user:pass@example.com/", "user name" },
  { "https://user@example.com/", "user name" },
  { "https://", "" },
  { "https:///path", "" },
  { "https://exa mple.com/", "" },
  { "https://-bad-.example.com/", "host" },
  { "https://example.com:0/", "port" },
  { "https://example.com//double", "path" },
  { "contoso tenant", "tenant subdomain" },
  { "-contoso", "tenant subdomain" },
  { "contoso.com", "tenant subdomain" },
  { "https://contoso.ciamlogin.com/oauth2/v2.0/authorize", "tenant ID" },
  { "https://contoso.ciamlogin.com/" GUID "/oauth2/v2.0/token", "tenant ID" },
  { "not a url at all://", "" },
};

static void
test_rejected (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      g_autoptr(LanyardAuthority) authority = NULL;
      g_autoptr(GError) error = NULL;

      authority = lanyard_authority_parse (rejected[i].input, &error);
      if (authority != NULL)
        g_error ("“%s” was accepted as %s", rejected[i].input, lanyard_authority_get_url (authority));
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
      g_assert_nonnull (strstr (error->message, rejected[i].message_part));
    }
}

static void
test_entra_logout (void)
{
  g_autoptr(LanyardAuthority) entra = lanyard_authority_parse ("https://contoso.ciamlogin.com/" GUID, NULL);
  g_autoptr(LanyardAuthority) generic = lanyard_authority_parse ("https://accounts.example.com", NULL);

  g_assert_cmpstr (lanyard_authority_get_entra_logout_url (entra), ==,
                   "https://contoso.ciamlogin.com/" GUID "/oauth2/v2.0/logout");
  g_assert_cmpstr (lanyard_authority_get_host (entra), ==, "contoso.ciamlogin.com");
  g_assert_null (lanyard_authority_get_entra_logout_url (generic));
  g_assert_cmpstr (lanyard_authority_get_host (generic), ==, "accounts.example.com");
}

static void
test_ref_counting (void)
{
  LanyardAuthority *authority = lanyard_authority_parse ("contoso", NULL);

  g_assert_true (lanyard_authority_ref (authority) == authority);
  lanyard_authority_unref (authority);
  g_assert_cmpstr (lanyard_authority_get_url (authority), ==,
                   "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/");
  lanyard_authority_unref (authority);
}

static void
test_host_is_loopback (void)
{
  g_assert_true (lanyard_host_is_loopback ("127.0.0.1"));
  g_assert_true (lanyard_host_is_loopback ("127.255.0.9"));
  g_assert_true (lanyard_host_is_loopback ("::1"));
  g_assert_true (lanyard_host_is_loopback ("[::1]"));
  g_assert_true (lanyard_host_is_loopback ("localhost"));
  g_assert_true (lanyard_host_is_loopback ("LocalHost"));

  g_assert_false (lanyard_host_is_loopback (NULL));
  g_assert_false (lanyard_host_is_loopback (""));
  g_assert_false (lanyard_host_is_loopback ("128.0.0.1"));
  g_assert_false (lanyard_host_is_loopback ("0.0.0.0"));
  g_assert_false (lanyard_host_is_loopback ("::"));
  g_assert_false (lanyard_host_is_loopback ("127.0.0.1.example.com"));
  g_assert_false (lanyard_host_is_loopback ("localhost.example.com"));
  g_assert_false (lanyard_host_is_loopback ("example.com"));
}

static void
test_acceptable_endpoint (void)
{
  g_assert_true (lanyard_url_is_acceptable_endpoint ("https://example.com/token", FALSE));
  g_assert_true (lanyard_url_is_acceptable_endpoint ("https://example.com/token?x=1", FALSE));
  g_assert_true (lanyard_url_is_acceptable_endpoint ("http://127.0.0.1:9/token", TRUE));
  g_assert_true (lanyard_url_is_acceptable_endpoint ("http://localhost/token", TRUE));

  g_assert_false (lanyard_url_is_acceptable_endpoint (NULL, TRUE));
  g_assert_false (lanyard_url_is_acceptable_endpoint ("", TRUE));
  g_assert_false (lanyard_url_is_acceptable_endpoint ("/token", TRUE));
  g_assert_false (lanyard_url_is_acceptable_endpoint ("http://127.0.0.1:9/token", FALSE));
  g_assert_false (lanyard_url_is_acceptable_endpoint ("http://example.com/token", TRUE));
  g_assert_false (lanyard_url_is_acceptable_endpoint ("https://example.com/token#f", FALSE));
  g_assert_false (lanyard_url_is_acceptable_endpoint ("https://u:p@example.com/token", FALSE));
  g_assert_false (lanyard_url_is_acceptable_endpoint ("javascript:alert(1)", TRUE));
  g_assert_false (lanyard_url_is_acceptable_endpoint ("ftp://example.com/x", TRUE));
}

int
main (int    argc,
      char **argv)
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/authority/accepted", test_accepted);
  g_test_add_func ("/lanyard/authority/rejected", test_rejected);
  g_test_add_func ("/lanyard/authority/entra-logout", test_entra_logout);
  g_test_add_func ("/lanyard/authority/ref-counting", test_ref_counting);
  g_test_add_func ("/lanyard/authority/host-is-loopback", test_host_is_loopback);
  g_test_add_func ("/lanyard/authority/acceptable-endpoint", test_acceptable_endpoint);

  return g_test_run ();
}
