/* lanyard-refresh-lock.h — one refresh per account across processes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An exclusive flock(2) on $XDG_RUNTIME_DIR/lanyard/<account>.lock (the
 * user's cache directory when there is no runtime directory), held while a
 * process reads, refreshes and writes back an account: providers rotate
 * refresh tokens and revoke the grant when a used one comes back, so two
 * processes must never present the same one. The lock goes with the process
 * if it dies. Waiting happens in a worker thread; cancelling stops waiting. */
typedef struct _LanyardRefreshLock LanyardRefreshLock;

void                lanyard_refresh_lock_acquire_async  (const char          *account_id,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
/* Errors: LANYARD_ERROR_FAILED when the lock file cannot be made (the
 * caller may go on without it), LANYARD_ERROR_CANCELLED. */
LanyardRefreshLock *lanyard_refresh_lock_acquire_finish (GAsyncResult        *result,
                                                         GError             **error);
/* Whether another process held the lock when we asked for it. */
gboolean            lanyard_refresh_lock_waited         (LanyardRefreshLock  *self);
void                lanyard_refresh_lock_release        (LanyardRefreshLock  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardRefreshLock, lanyard_refresh_lock_release)

G_END_DECLS
