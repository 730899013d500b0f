/* test-default-account.c — the remembered default account
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>

#include "lanyard-default-account.h"
#include "lanyard-test-utils.h"

#define OID_A "00000000-0000-0000-0000-00000000000a"
#define OID_B "00000000-0000-0000-0000-00000000000b"
#define TID   "00000000-0000-0000-0000-000000000002"
#define ISSUER_1 "https://one.example.test"
#define ISSUER_2 "https://two.example.test"

static char *
state_file (void)
{
  return g_build_filename (g_get_user_state_dir (), "lanyard", "default-account", NULL);
}

static char *
get_id (void)
{
  return lanyard_default_account_get (NULL, NULL);
}

/* Writes are asynchronous: a test looks at the file once they are done. */
static void
set_id (const char *id)
{
  lanyard_default_account_set_identity (id, NULL, NULL);
  lanyard_default_account_flush ();
}

/* An account "<oid>.<tid>" of @issuer. */
static LanyardAccount *
make_account (const char *oid,
              const char *issuer)
{
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autoptr(GError) error = NULL;
  LanyardAccount *account;

  json_object_set_string_member (claims, "iss", issuer);
  json_object_set_string_member (claims, "sub", "subject");
  json_object_set_string_member (claims, "oid", oid);
  json_object_set_string_member (claims, "tid", TID);
  account = lanyard_account_new_from_claims (claims, issuer, "client", &error);
  g_assert_no_error (error);
  return account;
}

static char *
file_contents (void)
{
  g_autofree char *path = state_file ();
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static void
test_unset (void)
{
  g_autofree char *id = get_id ();

  g_assert_null (id);
}

static void
test_set_get_clear (void)
{
  g_autofree char *path = state_file ();
  g_autoptr(LanyardAccount) a1 = make_account (OID_A, ISSUER_1);
  g_autoptr(LanyardAccount) a2 = make_account (OID_A, ISSUER_2);
  g_autoptr(LanyardAccount) b1 = make_account (OID_B, ISSUER_1);
  g_autofree char *first = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *after_other = NULL;
  g_autofree char *after_clear = NULL;
  GStatBuf st;

  lanyard_default_account_set (a2);
  lanyard_default_account_flush ();
  first = lanyard_default_account_get (&issuer, &client_id);
  g_assert_cmpstr (first, ==, OID_A "." TID);
  g_assert_cmpstr (issuer, ==, ISSUER_2);
  g_assert_cmpstr (client_id, ==, "client");
  contents = file_contents ();
  g_assert_cmpstr (contents, ==, OID_A "." TID "\n" ISSUER_2 "\nclient\n");

  /* Private to the user, like everything else of ours on disk. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Signing out another account leaves the default alone: another id, or
   * the same id under another issuer. */
  lanyard_default_account_clear_if (b1);
  lanyard_default_account_clear_if (a1);
  lanyard_default_account_flush ();
  after_other = get_id ();
  g_assert_cmpstr (after_other, ==, OID_A "." TID);

  lanyard_default_account_clear_if (a2);
  lanyard_default_account_flush ();
  after_clear = get_id ();
  g_assert_null (after_clear);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A file from before the issuer was kept names an id alone. */
static void
test_id_only (void)
{
  g_autofree char *path = state_file ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *id = NULL;
  char *issuer = (char *) "unchanged";   /* not owned: must come back NULL */
  g_autoptr(LanyardAccount) a1 = make_account (OID_A, ISSUER_1);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents_full (path, OID_A "." TID "\n", -1, 0, 0600, NULL));
  id = lanyard_default_account_get (&issuer, NULL);
  g_assert_cmpstr (id, ==, OID_A "." TID);
  g_assert_null (issuer);

  lanyard_default_account_clear_if (a1);
  lanyard_default_account_flush ();
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_damaged_file (void)
{
  g_autofree char *path = state_file ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *id = NULL;
  g_autofree char *long_id = g_strnfill (3000, 'a');

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* Control characters, invalid UTF-8, empty, too long, two lines: all mean "unknown". */
  g_assert_true (g_file_set_contents (path, "abc\001def", -1, NULL));
  id = get_id ();
  g_assert_null (id);

  g_assert_true (g_file_set_contents (path, "\xff\xfe", -1, NULL));
  id = get_id ();
  g_assert_null (id);

  g_assert_true (g_file_set_contents (path, "\n", -1, NULL));
  id = get_id ();
  g_assert_null (id);

  g_assert_true (g_file_set_contents (path, long_id, -1, NULL));
  id = get_id ();
  g_assert_null (id);

  g_assert_true (g_file_set_contents (path, "a\nb\n", -1, NULL));
  id = get_id ();
  g_assert_null (id);

  /* Nor will it write such a thing. */
  set_id ("line\nbreak");
  id = get_id ();
  g_assert_null (id);
}

/* A state directory or file someone else can write is not believed. */
static void
test_untrusted_dir (void)
{
  g_autofree char *path = state_file ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *id = NULL;

  set_id ("account-a");
  id = get_id ();
  g_assert_cmpstr (id, ==, "account-a");
  g_clear_pointer (&id, g_free);

  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  g_assert_null (get_id ());
  /* Nor written. */
  set_id ("account-b");
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  id = get_id ();
  g_assert_cmpstr (id, ==, "account-a");
  g_clear_pointer (&id, g_free);

  g_assert_cmpint (g_chmod (path, 0666), ==, 0);
  g_assert_null (get_id ());
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);

  if (getuid () == 0)
    {
      g_assert_cmpint (chown (dir, 65534, 65534), ==, 0);
      g_assert_null (get_id ());
      g_assert_cmpint (chown (dir, 0, 0), ==, 0);
    }

  id = get_id ();
  g_assert_cmpstr (id, ==, "account-a");
}

/* The caller does not wait for the disk; its own reads see the new default
 * at once, and the file follows. */
static void
test_asynchronous (void)
{
  g_autofree char *before = NULL;
  g_autofree char *id = NULL;
  g_autofree char *contents = NULL;

  set_id ("account-a");
  lanyard_default_account_hold_writes (TRUE);
  lanyard_default_account_set_identity ("account-b", NULL, NULL);
  before = file_contents ();
  g_assert_cmpstr (before, ==, "account-a\n");
  id = get_id ();
  g_assert_cmpstr (id, ==, "account-b");

  lanyard_default_account_hold_writes (FALSE);
  lanyard_default_account_flush ();
  contents = file_contents ();
  g_assert_cmpstr (contents, ==, "account-b\n");
}

/* A process that asks for a default and exits at once still leaves it on
 * disk: the last one asked for, whole, and no temporary file. */
static void
test_exit_keeps_last (void)
{
  g_autofree char *path = state_file ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  if (g_test_subprocess ())
    {
      char id[32];

      /* Writes held: without the exit handler nothing would be written. */
      lanyard_default_account_hold_writes (TRUE);
      for (int i = 0; i < 50; i++)
        {
          g_snprintf (id, sizeof id, "account-%d", i);
          lanyard_default_account_set_identity (id, NULL, NULL);
        }
      lanyard_default_account_hold_writes (FALSE);
      exit (0);
    }

  set_id ("account-a");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  contents = file_contents ();
  g_assert_cmpstr (contents, ==, "account-49\n");
  listing = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_true (!g_str_has_prefix (name, "default-account") || g_str_equal (name, "default-account"));
}

int
main (int    argc,
      char **argv)
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/default-account/unset", test_unset);
  g_test_add_func ("/lanyard/default-account/set-get-clear", test_set_get_clear);
  g_test_add_func ("/lanyard/default-account/id-only", test_id_only);
  g_test_add_func ("/lanyard/default-account/damaged-file", test_damaged_file);
  g_test_add_func ("/lanyard/default-account/untrusted-dir", test_untrusted_dir);
  g_test_add_func ("/lanyard/default-account/asynchronous", test_asynchronous);
  g_test_add_func ("/lanyard/default-account/exit-keeps-last", test_exit_keeps_last);

  return g_test_run ();
}
