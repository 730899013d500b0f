/* test-config.c — settings precedence: environment over GSettings over defaults
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "lanyard-config.h"
#include "lanyard-error.h"
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

/* One set of rules for the app's forms, lanyard-cli and LANYARD_*. */
static void
test_check_authority (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (lanyard_config_check_authority (" contoso ", &url, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/");
  g_clear_pointer (&url, g_free);

  g_assert_true (lanyard_config_check_authority ("http://127.0.0.1:3000", NULL, &error));
  g_assert_no_error (error);

  g_assert_false (lanyard_config_check_authority ("", &url, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_assert_null (url);
  g_assert_nonnull (strstr (error->message, "No tenant or authority is set"));
  g_clear_error (&error);

  g_assert_false (lanyard_config_check_authority (NULL, NULL, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_clear_error (&error);

  g_assert_false (lanyard_config_check_authority ("http://example.com", &url, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_assert_null (url);
}

static void
test_check_client_id (void)
{
  const char *bad[] = { "", "   ", "two words", "tab\there", "line\nbreak", "nul\x01", "\xff\xfe" };
  g_autoptr(GError) error = NULL;

  g_assert_true (lanyard_config_check_client_id ("2a7f1c4e-0b1d-4c3e-9f00-1234567890ab", &error));
  g_assert_no_error (error);
  g_assert_true (lanyard_config_check_client_id (" dev.lanyard.Lanyard.Test\n", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (lanyard_config_check_client_id (bad[i], &error));
      g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
    }
}

static void
test_check_scopes (void)
{
  const char * const good[] = { "openid", "profile", "api://orders/read", "offline_access", NULL };
  const char * const no_openid[] = { "profile", "email", NULL };
  const char * const quoted[] = { "openid", "a\"b", NULL };
  const char * const accented[] = { "openid", "r\303\251ad", NULL };
  const char * const empty[] = { NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (lanyard_config_check_scopes (good, &error));
  g_assert_no_error (error);

  g_assert_false (lanyard_config_check_scopes (no_openid, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "“openid”"));
  g_clear_error (&error);

  g_assert_false (lanyard_config_check_scopes (quoted, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "“a\"b”"));
  g_clear_error (&error);

  g_assert_false (lanyard_config_check_scopes (accented, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_clear_error (&error);

  g_assert_false (lanyard_config_check_scopes (empty, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_clear_error (&error);

  g_assert_false (lanyard_config_check_scopes (NULL, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
}

static void
test_check_environment (void)
{
  g_autoptr(LanyardConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  clear_environment ();
  g_setenv ("LANYARD_AUTHORITY", "contoso", TRUE);
  g_setenv ("LANYARD_CLIENT_ID", "client-1", TRUE);
  config = lanyard_config_new_from_environment ();
  g_assert_true (lanyard_config_check (config, &error));
  g_assert_no_error (error);
  g_clear_pointer (&config, lanyard_config_free);

  g_setenv ("LANYARD_SCOPES", "profile email", TRUE);
  config = lanyard_config_new_from_environment ();
  g_assert_false (lanyard_config_check (config, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "openid"));
  g_clear_error (&error);
  g_clear_pointer (&config, lanyard_config_free);

  g_unsetenv ("LANYARD_SCOPES");
  g_unsetenv ("LANYARD_CLIENT_ID");
  config = lanyard_config_new_from_environment ();
  g_assert_false (lanyard_config_check (config, &error));
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "client"));

  clear_environment ();
}

/* The core's sentences come in the person's language: the library binds its
 * gettext domain itself (the build tree's catalogs here, bound first as the
 * app and lanyard-cli do with theirs). */
static void
test_messages_translated (void)
{
  g_autofree char *localedir = g_build_filename (g_getenv ("LANYARD_TEST_BUILDDIR"), "..", "po", NULL);
  g_autofree char *mo = g_build_filename (localedir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  g_setenv ("LANGUAGE", "de", TRUE);
  /* gettext ignores LANGUAGE in the plain C locale, not in C.UTF-8 (always there). */
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));

  g_assert_false (lanyard_config_check_client_id ("two words", &error));
  g_assert_cmpstr (error->message, ==,
                   "Eine Anwendungs-ID (Client-ID) enthält keine Leerzeichen oder Zeilenumbrüche");

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C");
}

/* The setters language bindings use: each stores its own copy. */
static void
test_setters (void)
{
  g_autoptr(LanyardConfig) config = lanyard_config_new ();
  g_autofree char *authority = g_strdup ("contoso");
  const char *scopes[] = { "openid", "api://x/read", NULL };

  lanyard_config_set_authority (config, authority);
  lanyard_config_set_client_id (config, "client");
  lanyard_config_set_scopes (config, scopes);
  lanyard_config_set_ca_file (config, "/tmp/ca.pem");
  lanyard_config_set_redirect_host (config, "127.0.0.1");
  lanyard_config_set_redirect_path (config, "/cb");
  g_clear_pointer (&authority, g_free);
  scopes[1] = "changed";

  g_assert_cmpstr (config->authority, ==, "contoso");
  g_assert_cmpstr (config->client_id, ==, "client");
  g_assert_cmpuint (g_strv_length (config->scopes), ==, 2);
  g_assert_cmpstr (config->scopes[1], ==, "api://x/read");
  g_assert_cmpstr (config->ca_file, ==, "/tmp/ca.pem");
  g_assert_cmpstr (config->redirect_host, ==, "127.0.0.1");
  g_assert_cmpstr (config->redirect_path, ==, "/cb");

  /* NULL unsets the optional ones; setting a field to its own value keeps it */
  lanyard_config_set_ca_file (config, NULL);
  g_assert_null (config->ca_file);
  lanyard_config_set_client_id (config, config->client_id);
  g_assert_cmpstr (config->client_id, ==, "client");
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
  g_test_add_func ("/lanyard/config/setters", test_setters);
  g_test_add_func ("/lanyard/config/scopes-parse", test_scopes_parse);
  g_test_add_func ("/lanyard/config/check-authority", test_check_authority);
  g_test_add_func ("/lanyard/config/check-client-id", test_check_client_id);
  g_test_add_func ("/lanyard/config/check-scopes", test_check_scopes);
  g_test_add_func ("/lanyard/config/check-environment", test_check_environment);
  g_test_add_func ("/lanyard/config/messages-translated", test_messages_translated);

  return g_test_run ();
}
