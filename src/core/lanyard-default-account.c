/* lanyard-default-account.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "lanyard-default-account.h"
#include "lanyard-private-dir.h"

#define MAX_LINE_LENGTH 2048

/* One writer at a time, and only the newest wish matters: a burst of sign-ins
 * and switches costs at most one write after the one in progress. */
static GMutex lock;
static GCond  idle;
static gboolean writing;     /* a writer task runs (or is queued) */
static gboolean wanted_set;  /* wanted is not on disk yet */
static char    *wanted;      /* the file's next contents; NULL = no file */
static char    *latest;      /* what this process asked for last, while writing */
static gboolean held;

static char *
default_account_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "lanyard", "default-account", NULL);
}

static gboolean
is_plausible_line (const char *line)
{
  gsize len = strlen (line);

  if (len == 0 || len > MAX_LINE_LENGTH || !g_utf8_validate (line, len, NULL))
    return FALSE;

  for (const char *p = line; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return FALSE;

  return TRUE;
}

/* "id\nissuer\nclient\n" or "id\n" into its parts; FALSE when damaged. */
static gboolean
parse (const char  *contents,
       char       **id,
       char       **issuer,
       char       **client_id)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *copy = g_strdup (contents);
  guint n;

  g_strchomp (copy);
  lines = g_strsplit (copy, "\n", 4);
  n = g_strv_length (lines);
  if (n != 1 && n != 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!is_plausible_line (lines[i]))
      return FALSE;

  *id = g_strdup (lines[0]);
  if (issuer != NULL)
    *issuer = n == 3 ? g_strdup (lines[1]) : NULL;
  if (client_id != NULL)
    *client_id = n == 3 ? g_strdup (lines[2]) : NULL;
  return TRUE;
}

static void
write_contents (const char *contents)
{
  g_autofree char *path = default_account_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (contents == NULL)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_debug ("Could not forget the default account: %s", g_strerror (errno));
      return;
    }

  /* Consistent: a crash leaves the old file or the new one, never half. */
  if (!lanyard_private_dir_check (dir, TRUE, &error) ||
      !g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not remember the default account: %s", error->message);
}

static void
writer_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_mutex_lock (&lock);
  for (;;)
    {
      g_autofree char *contents = NULL;

      while (held)
        g_cond_wait (&idle, &lock);
      if (!wanted_set)
        break;
      contents = g_steal_pointer (&wanted);
      wanted_set = FALSE;

      g_mutex_unlock (&lock);
      write_contents (contents);
      g_mutex_lock (&lock);
    }
  writing = FALSE;
  g_clear_pointer (&latest, g_free);
  g_cond_broadcast (&idle);
  g_mutex_unlock (&lock);

  g_task_return_boolean (task, TRUE);
}

static void
flush_at_exit (void)
{
  lanyard_default_account_flush ();
}

static void
ask_for (const char *contents)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      atexit (flush_at_exit);
      g_once_init_leave (&registered, 1);
    }

  g_mutex_lock (&lock);
  g_free (wanted);
  wanted = g_strdup (contents);
  wanted_set = TRUE;
  g_free (latest);
  latest = g_strdup (contents != NULL ? contents : "");
  if (!writing)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      writing = TRUE;
      g_task_set_source_tag (task, ask_for);
      g_task_run_in_thread (task, writer_thread);
    }
  g_mutex_unlock (&lock);
}

char *
lanyard_default_account_get (char **issuer,
                             char **client_id)
{
  g_autofree char *path = default_account_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;
  char *id = NULL;

  if (issuer != NULL)
    *issuer = NULL;
  if (client_id != NULL)
    *client_id = NULL;

  /* What this process asked for and has not finished writing. */
  g_mutex_lock (&lock);
  contents = g_strdup (latest);
  g_mutex_unlock (&lock);

  /* A missing or damaged file only costs the slower path: list everything.
   * So does one that someone else could have written. */
  if (contents == NULL &&
      (!lanyard_private_dir_check (dir, FALSE, NULL) ||
       !lanyard_private_file_check (path, NULL) ||
       !g_file_get_contents (path, &contents, NULL, NULL)))
    return NULL;

  if (!parse (contents, &id, issuer, client_id))
    return NULL;

  return id;
}

void
lanyard_default_account_set_identity (const char *account_id,
                                      const char *issuer,
                                      const char *client_id)
{
  g_autofree char *contents = NULL;
  g_autofree char *check = NULL;

  g_return_if_fail (account_id != NULL);

  if (issuer != NULL && client_id != NULL)
    contents = g_strconcat (account_id, "\n", issuer, "\n", client_id, "\n", NULL);
  else
    contents = g_strconcat (account_id, "\n", NULL);

  /* Never write what would not read back. */
  if (!parse (contents, &check, NULL, NULL))
    return;

  ask_for (contents);
}

void
lanyard_default_account_set (LanyardAccount *account)
{
  g_return_if_fail (LANYARD_IS_ACCOUNT (account));

  lanyard_default_account_set_identity (lanyard_account_get_id (account),
                                        lanyard_account_get_issuer (account),
                                        lanyard_account_get_client_id (account));
}

void
lanyard_default_account_clear_if (LanyardAccount *account)
{
  g_autofree char *issuer = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *current = lanyard_default_account_get (&issuer, &client_id);

  g_return_if_fail (LANYARD_IS_ACCOUNT (account));

  if (current != NULL && g_str_equal (current, lanyard_account_get_id (account)) &&
      (issuer == NULL || g_strcmp0 (issuer, lanyard_account_get_issuer (account)) == 0) &&
      (client_id == NULL || g_strcmp0 (client_id, lanyard_account_get_client_id (account)) == 0))
    ask_for (NULL);
}

void
lanyard_default_account_flush (void)
{
  g_mutex_lock (&lock);
  while (writing)
    g_cond_wait (&idle, &lock);
  g_mutex_unlock (&lock);
}

void
lanyard_default_account_hold_writes (gboolean hold)
{
  g_mutex_lock (&lock);
  held = hold;
  g_cond_broadcast (&idle);
  g_mutex_unlock (&lock);
}
