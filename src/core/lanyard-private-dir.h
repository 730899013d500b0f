/* lanyard-private-dir.h — directories only the user can change (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whether @path (a directory of ours under $XDG_CACHE_HOME or
 * $XDG_STATE_HOME) can be trusted, as ssh and gpg judge theirs: a real
 * directory (not a symbolic link), owned by the user, writable by nobody
 * else. With @create, a missing one is made (mode 0700, with parents).
 * Errors: G_IO_ERROR_NOT_FOUND (missing, without @create), or
 * G_IO_ERROR_PERMISSION_DENIED with a message that says how to fix it.
 * A refused directory is logged (a message, once per process and path):
 * what it holds could have been planted. */
gboolean lanyard_private_dir_check (const char  *path,
                                    gboolean     create,
                                    GError     **error);

/* Whether @path, in a checked directory, is a regular file of the user's
 * that nobody else can write. */
gboolean lanyard_private_file_check (const char  *path,
                                     GError     **error);

G_END_DECLS
