/* lanyard-default-account.h — which account "no --account" means, without reading every secret
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lanyard-account.h"

G_BEGIN_DECLS

/* The most recent sign-in, remembered in $XDG_STATE_HOME/lanyard/default-account
 * as three lines: its id, issuer and client id (no token, no name). It spares
 * a lookup from loading and parsing every stored account just to find the
 * newest one. A file of one line (from before the issuer was kept) names an
 * id alone; @issuer and @client_id are then NULL. NULL when unset. */
char *lanyard_default_account_get          (char          **issuer,
                                            char          **client_id);
/* Writes happen off the calling thread, in order, atomically (mode 0600); a
 * read in this process sees the last one asked for at once. What is asked
 * for before the process exits is on disk when it has (an atexit handler
 * waits for the writer). Failures are only logged: the file is a hint. */
void  lanyard_default_account_set          (LanyardAccount *account);
void  lanyard_default_account_set_identity (const char     *account_id,
                                            const char     *issuer,
                                            const char     *client_id);
/* Forgets the default when it is @account (after sign-out). */
void  lanyard_default_account_clear_if     (LanyardAccount *account);
/* Waits until every write asked for so far is done. */
void  lanyard_default_account_flush        (void);
/* Test hook: while held, writes wait (so a test can see they are not done
 * by the caller). */
void  lanyard_default_account_hold_writes  (gboolean        hold);

G_END_DECLS
