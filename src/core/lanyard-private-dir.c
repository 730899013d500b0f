/* lanyard-private-dir.c — directories only the user can change
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The disk cache holds discovery documents: whoever can write there can
 * send the token request anywhere. So its directory, and the state
 * directory, are trusted only when the user alone can change them.
 */
#define G_LOG_DOMAIN "lanyard-private-dir"

#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lanyard-private-dir.h"

G_LOCK_DEFINE_STATIC (refused);
static GHashTable *refused;   /* paths already reported */

static void
report_refusal (const char *path,
                const char *message)
{
  gboolean first;

  G_LOCK (refused);
  if (refused == NULL)
    refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  first = g_hash_table_add (refused, g_strdup (path));
  G_UNLOCK (refused);

  if (first)
    g_message ("%s", message);
}

static gboolean
check_stat (const char   *path,
            GStatBuf     *st,
            gboolean      want_dir,
            GError      **error)
{
  const char *what = want_dir ? "directory" : "file";
  g_autofree char *message = NULL;

  if (want_dir ? !S_ISDIR (st->st_mode) : !S_ISREG (st->st_mode))
    message = g_strdup_printf ("Not using %s: it is not a %s%s", path, what,
                               S_ISLNK (st->st_mode) ? " but a symbolic link" : "");
  else if (st->st_uid != getuid ())
    message = g_strdup_printf ("Not using %s: it belongs to user %u, not to you; remove it",
                               path, (guint) st->st_uid);
  else if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
    message = g_strdup_printf ("Not using %s: others can write to it; run chmod go-w %s",
                               path, path);

  if (message == NULL)
    return TRUE;

  report_refusal (path, message);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, message);
  return FALSE;
}

gboolean
lanyard_private_dir_check (const char  *path,
                           gboolean     create,
                           GError     **error)
{
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_lstat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != ENOENT || !create)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Cannot use %s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }

      if (g_mkdir_with_parents (path, 0700) != 0 || g_lstat (path, &st) != 0)
        {
          saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Cannot create %s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
    }

  return check_stat (path, &st, TRUE, error);
}

gboolean
lanyard_private_file_check (const char  *path,
                            GError     **error)
{
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_lstat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot use %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return check_stat (path, &st, FALSE, error);
}
