/* lanyard-refresh-lock.c — one refresh per account across processes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "lanyard-error.h"
#include "lanyard-i18n-private.h"
#include "lanyard-refresh-lock.h"

/* How often a waiter looks at its cancellable: flock(2) itself cannot be
 * interrupted from another thread. */
#define POLL_MS 20

struct _LanyardRefreshLock
{
  int      fd;
  gboolean waited;
};

static char *
lock_path (const char *account_id)
{
  const char *base = g_get_user_runtime_dir ();
  g_autofree char *dir = NULL;
  g_autofree char *hash = NULL;

  /* The id is the provider's data: a hash makes it a safe file name. */
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, account_id, -1);
  dir = g_build_filename (base != NULL ? base : g_get_user_cache_dir (), "lanyard", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return NULL;

  return g_strdup_printf ("%s/%.32s.lock", dir, hash);
}

static void
acquire_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *account_id = task_data;
  g_autofree char *path = lock_path (account_id);
  LanyardRefreshLock *lock;
  int fd;

  if (path == NULL ||
      (fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
    {
      int saved = errno;

      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_FAILED,
                               _("Could not create the refresh lock file: %s"), g_strerror (saved));
      return;
    }

  lock = g_new0 (LanyardRefreshLock, 1);
  lock->fd = fd;

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          int saved = errno;

          lanyard_refresh_lock_release (lock);
          g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_FAILED,
                                   _("Could not lock the refresh lock file: %s"), g_strerror (saved));
          return;
        }

      lock->waited = TRUE;
      if (g_cancellable_is_cancelled (cancellable))
        {
          lanyard_refresh_lock_release (lock);
          g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                                   _("Waiting for another process to renew the tokens was cancelled"));
          return;
        }
      g_usleep (POLL_MS * 1000);
    }

  g_task_return_pointer (task, lock, (GDestroyNotify) lanyard_refresh_lock_release);
}

void
lanyard_refresh_lock_acquire_async (const char          *account_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (account_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_refresh_lock_acquire_async);
  /* Cancellation is reported in LANYARD_ERROR, in words, like every failure. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_strdup (account_id), g_free);
  g_task_run_in_thread (task, acquire_thread);
}

LanyardRefreshLock *
lanyard_refresh_lock_acquire_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
lanyard_refresh_lock_waited (LanyardRefreshLock *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->waited;
}

void
lanyard_refresh_lock_release (LanyardRefreshLock *self)
{
  if (self == NULL)
    return;

  /* Closing the descriptor drops the lock; the file stays for the next one. */
  if (self->fd >= 0)
    close (self->fd);
  g_free (self);
}
