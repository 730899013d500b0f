/* test-default-account.c — the remembered default account
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>

#include "lanyard-default-account.h"
#include "lanyard-test-utils.h"

static char *
state_file (void)
{
  return g_build_filename (g_get_user_state_dir (), "lanyard", "default-account", NULL);
}

static void
test_unset (void)
{
  g_autofree char *id = lanyard_default_account_get ();

  g_assert_null (id);
}

static void
test_set_get_clear (void)
{
  g_autofree char *path = state_file ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *after_other = NULL;
  g_autofree char *after_clear = NULL;
  GStatBuf st;

  lanyard_default_account_set ("sha256:0123456789abcdef0123456789abcdef");
  first = lanyard_default_account_get ();
  g_assert_cmpstr (first, ==, "sha256:0123456789abcdef0123456789abcdef");

  /* Private to the user, like everything else of ours on disk. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  lanyard_default_account_set ("00000000-0000-0000-0000-000000000001.00000000-0000-0000-0000-000000000002");
  second = lanyard_default_account_get ();
  g_assert_cmpstr (second, ==, "00000000-0000-0000-0000-000000000001.00000000-0000-0000-0000-000000000002");

  /* Signing out another account leaves the default alone. */
  lanyard_default_account_clear_if ("sha256:0123456789abcdef0123456789abcdef");
  after_other = lanyard_default_account_get ();
  g_assert_cmpstr (after_other, ==, second);

  lanyard_default_account_clear_if (second);
  after_clear = lanyard_default_account_get ();
  g_assert_null (after_clear);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_damaged_file (void)
{
  g_autofree char *path = state_file ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *id = NULL;
  g_autofree char *long_id = g_strnfill (300, 'a');

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* Control characters, invalid UTF-8, empty, too long: all mean "unknown". */
  g_assert_true (g_file_set_contents (path, "abc\001def", -1, NULL));
  id = lanyard_default_account_get ();
  g_assert_null (id);

  g_assert_true (g_file_set_contents (path, "\xff\xfe", -1, NULL));
  id = lanyard_default_account_get ();
  g_assert_null (id);

  g_assert_true (g_file_set_contents (path, "\n", -1, NULL));
  id = lanyard_default_account_get ();
  g_assert_null (id);

  g_assert_true (g_file_set_contents (path, long_id, -1, NULL));
  id = lanyard_default_account_get ();
  g_assert_null (id);

  /* Nor will it write such a thing. */
  lanyard_default_account_set ("line\nbreak");
  id = lanyard_default_account_get ();
  g_assert_null (id);
}

/* A state directory or file someone else can write is not believed. */
static void
test_untrusted_dir (void)
{
  g_autofree char *path = state_file ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *id = NULL;

  lanyard_default_account_set ("account-a");
  id = lanyard_default_account_get ();
  g_assert_cmpstr (id, ==, "account-a");
  g_clear_pointer (&id, g_free);

  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  g_assert_null (lanyard_default_account_get ());
  /* Nor written. */
  lanyard_default_account_set ("account-b");
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  id = lanyard_default_account_get ();
  g_assert_cmpstr (id, ==, "account-a");
  g_clear_pointer (&id, g_free);

  g_assert_cmpint (g_chmod (path, 0666), ==, 0);
  g_assert_null (lanyard_default_account_get ());
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);

  if (getuid () == 0)
    {
      g_assert_cmpint (chown (dir, 65534, 65534), ==, 0);
      g_assert_null (lanyard_default_account_get ());
      g_assert_cmpint (chown (dir, 0, 0), ==, 0);
    }

  id = lanyard_default_account_get ();
  g_assert_cmpstr (id, ==, "account-a");
}

int
main (int    argc,
      char **argv)
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/default-account/unset", test_unset);
  g_test_add_func ("/lanyard/default-account/set-get-clear", test_set_get_clear);
  g_test_add_func ("/lanyard/default-account/damaged-file", test_damaged_file);
  g_test_add_func ("/lanyard/default-account/untrusted-dir", test_untrusted_dir);

  return g_test_run ();
}
