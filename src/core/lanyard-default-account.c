/* lanyard-default-account.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "lanyard-default-account.h"
#include "lanyard-private-dir.h"

#define MAX_ID_LENGTH 256

static char *
default_account_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "lanyard", "default-account", NULL);
}

static gboolean
is_plausible_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH || !g_utf8_validate (id, len, NULL))
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return FALSE;

  return TRUE;
}

char *
lanyard_default_account_get (void)
{
  g_autofree char *path = default_account_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;

  /* A missing or damaged file only costs the slower path: list everything.
   * So does one that someone else could have written. */
  if (!lanyard_private_dir_check (dir, FALSE, NULL) ||
      !lanyard_private_file_check (path, NULL) ||
      !g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  g_strstrip (contents);
  if (!is_plausible_id (contents))
    return NULL;

  return g_steal_pointer (&contents);
}

void
lanyard_default_account_set (const char *account_id)
{
  g_autofree char *path = default_account_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (account_id != NULL);

  if (!is_plausible_id (account_id))
    return;

  line = g_strconcat (account_id, "\n", NULL);
  if (!lanyard_private_dir_check (dir, TRUE, &error) ||
      !g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not remember the default account: %s", error->message);
}

void
lanyard_default_account_clear_if (const char *account_id)
{
  g_autofree char *current = lanyard_default_account_get ();

  if (current != NULL && g_strcmp0 (current, account_id) == 0)
    {
      g_autofree char *path = default_account_path ();

      g_unlink (path);
    }
}
