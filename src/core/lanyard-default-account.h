/* lanyard-default-account.h — which account "no --account" means, without reading every secret
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The id of the most recent sign-in, remembered in
 * $XDG_STATE_HOME/lanyard/default-account. Only the account id is kept there
 * (a hash or oid.tid, no token, no name): it spares a lookup from loading and
 * parsing every stored account just to find the newest one. NULL when unset. */
char *lanyard_default_account_get      (void);
void  lanyard_default_account_set      (const char *account_id);
/* Forgets the default when it is @account_id (after sign-out). */
void  lanyard_default_account_clear_if (const char *account_id);

G_END_DECLS
