/* test-config.c — settings precedence: environment over GSettings over defaults
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lanyard-config.h"
#include "lanyard-test-utils.h"

static void
clear_environment (void)
{
  g_unsetenv ("LANYARD_AUTHORITY");
  g_unsetenv ("LANYARD_CLIENT_ID");
  g_unsetenv ("LANYARD_SCOPES");
  g_unsetenv ("LANYARD_CA_FILE");
  g_unsetenv ("LANYARD_REDIRECT_HOST");
}

static void
test_defaults (void)
{
  g_autoptr(LanyardConfig) config = NULL;
  const char * const expected[] = { "openid", "profile", "offline_access", NULL };

  clear_environment ();
  /* No schema is installed in the test's isolated XDG dirs: this must not abort. */
  config = lanyard_config_new_from_environment ();

  g_assert_null (config->authority);
  g_assert_null (config->client_id);
  g_assert_true (g_strv_equal ((const char * const *) config->scopes, expected));
  g_assert_cmpstr (config->redirect_host, ==, "localhost");
  g_assert_cmpstr (config->redirect_path, ==, "/");
  g_assert_cmpuint (config->redirect_port, ==, 0);
  g_assert_null (config->ca_file);
}

static void
test_environment (void)
{
  g_autoptr(LanyardConfig) config = NULL;
  const char * const expected[] = { "openid", "api://orders/read", NULL };

  clear_environment ();
  g_setenv ("LANYARD_AUTHORITY", "contoso", TRUE);
  g_setenv ("LANYARD_CLIENT_ID", "client-1", TRUE);
  g_setenv ("LANYARD_SCOPES", " openid  api://orders/read openid ", TRUE);
  g_setenv ("LANYARD_CA_FILE", "/tmp/ca.pem", TRUE);
  g_setenv ("LANYARD_REDIRECT_HOST", "127.0.0.1", TRUE);

  config = lanyard_config_new_from_environment ();

  g_assert_cmpstr (config->authority, ==, "contoso");
  g_assert_cmpstr (config->client_id, ==, "client-1");
  g_assert_true (g_strv_equal ((const char * const *) config->scopes, expected));
  g_assert_cmpstr (config->ca_file, ==, "/tmp/ca.pem");
  g_assert_cmpstr (config->redirect_host, ==, "127.0.0.1");

  clear_environment ();
}

static void
test_empty_environment_is_ignored (void)
{
  g_autoptr(LanyardConfig) config = NULL;

  clear_environment ();
  g_setenv ("LANYARD_AUTHORITY", "", TRUE);
  g_setenv ("LANYARD_SCOPES", "", TRUE);

  config = lanyard_config_new_from_environment ();

  g_assert_null (config->authority);
  g_assert_cmpuint (g_strv_length (config->scopes), ==, 3);

  clear_environment ();
}

static void
test_copy (void)
{
  g_autoptr(LanyardConfig) config = lanyard_config_new ();
  g_autoptr(LanyardConfig) copy = NULL;

  config->authority = g_strdup ("https://idp.example");
  config->client_id = g_strdup ("c");
  config->redirect_port = 4242;
  config->timeout_seconds = 7;

  copy = lanyard_config_copy (config);
  g_assert_cmpstr (copy->authority, ==, config->authority);
  g_assert_true (copy->authority != config->authority);
  g_assert_cmpstr (copy->client_id, ==, "c");
  g_assert_cmpuint (copy->redirect_port, ==, 4242);
  g_assert_cmpuint (copy->timeout_seconds, ==, 7);
  g_assert_true (g_strv_equal ((const char * const *) copy->scopes, (const char * const *) config->scopes));
}

static void
test_scopes_parse (void)
{
  g_auto(GStrv) a = lanyard_scopes_parse ("openid,profile email\topenid");
  g_auto(GStrv) b = lanyard_scopes_parse ("");
  g_auto(GStrv) c = lanyard_scopes_parse (NULL);
  const char * const expected[] = { "openid", "profile", "email", NULL };

  g_assert_true (g_strv_equal ((const char * const *) a, expected));
  g_assert_cmpuint (g_strv_length (b), ==, 0);
  g_assert_cmpuint (g_strv_length (c), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/config/defaults", test_defaults);
  g_test_add_func ("/lanyard/config/environment", test_environment);
  g_test_add_func ("/lanyard/config/empty-environment", test_empty_environment_is_ignored);
  g_test_add_func ("/lanyard/config/copy", test_copy);
  g_test_add_func ("/lanyard/config/scopes-parse", test_scopes_parse);

  return g_test_run ();
}
