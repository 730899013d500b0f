/* test-refresh-lock.c — the cross-process refresh lock, and its words
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <locale.h>
#include <libintl.h>

#include <glib/gstdio.h>

#include "lanyard-error.h"
#include "lanyard-refresh-lock.h"
#include "lanyard-test-utils.h"

static void
in_german (void)
{
  g_autofree char *localedir = g_build_filename (g_getenv ("LANYARD_TEST_BUILDDIR"), "..", "po", NULL);

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  g_setenv ("LANGUAGE", "de", TRUE);
  /* gettext ignores LANGUAGE in the plain C locale, not in C.UTF-8. */
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
}

static void
back_to_english (void)
{
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C");
}

static LanyardRefreshLock *
acquire (const char    *key,
         GCancellable  *cancellable,
         GError       **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_refresh_lock_acquire_async (key, cancellable, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  return lanyard_refresh_lock_acquire_finish (result, error);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* A second holder waits; given up, it says so in the person's language. */
static void
test_cancelled_wait (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardRefreshLock) held = acquire ("account\nissuer\nclient", NULL, &error);
  g_autoptr(LanyardRefreshLock) other = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (held);
  g_assert_false (lanyard_refresh_lock_waited (held));

  in_german ();
  g_timeout_add (100, cancel_cb, cancellable);
  other = acquire ("account\nissuer\nclient", cancellable, &error);
  g_assert_null (other);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==,
                   "Das Warten darauf, dass ein anderer Prozess die Token erneuert, wurde abgebrochen");
  back_to_english ();
}

/* No place for the lock file: a failure the caller may go on without, in words. */
static void
test_no_lock_file (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "lanyard", NULL);
  g_autoptr(LanyardRefreshLock) lock = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_runtime_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (dir, "not a directory", -1, NULL));

  in_german ();
  lock = acquire ("account\nissuer\nclient", NULL, &error);
  g_assert_null (lock);
  g_assert_error (error, LANYARD_ERROR, LANYARD_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "Die Sperrdatei für die Erneuerung konnte nicht angelegt werden: "));
  back_to_english ();
}

int
main (int    argc,
      char **argv)
{
  lanyard_test_init (&argc, &argv);

  g_test_add_func ("/lanyard/refresh-lock/cancelled-wait", test_cancelled_wait);
  g_test_add_func ("/lanyard/refresh-lock/no-lock-file", test_no_lock_file);

  return g_test_run ();
}
