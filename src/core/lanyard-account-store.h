/* lanyard-account-store.h — accounts in the desktop keyring (libsecret)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lanyard-account.h"

G_BEGIN_DECLS

#define LANYARD_ACCOUNT_SCHEMA_NAME "dev.lanyard.Lanyard.Account"
#define LANYARD_ACCOUNT_SCHEMA_VERSION 1

#define LANYARD_TYPE_ACCOUNT_STORE (lanyard_account_store_get_type ())
G_DECLARE_FINAL_TYPE (LanyardAccountStore, lanyard_account_store, LANYARD, ACCOUNT_STORE, GObject)

/* One item per account in the default collection, attributes
 * {schema-version, account-id, client-id, authority}, secret = the account's
 * JSON. Every call is asynchronous. Errors, told apart:
 *  - LANYARD_ERROR_KEYRING_UNAVAILABLE: no Secret Service on the bus (or no bus)
 *  - LANYARD_ERROR_KEYRING_LOCKED: the collection or item is locked (a locked
 *    collection answers lookups with nothing and no error: we check the lock)
 *  - LANYARD_ERROR_NOT_FOUND: no such account
 *  - LANYARD_ERROR_CANCELLED: @cancellable was cancelled
 * Reading (lookup, list, remove) never prompts; save may ask the desktop to
 * unlock the collection (without a display that fails at once: LOCKED).
 * Nothing is ever written anywhere else. */
LanyardAccountStore *lanyard_account_store_new (void);

/* Stores @account under the label "Lanyard: <username>", replacing its
 * previous item (also one left under another client id or authority). */
void            lanyard_account_store_save_async    (LanyardAccountStore *self,
                                                     LanyardAccount      *account,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        lanyard_account_store_save_finish   (LanyardAccountStore *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

void            lanyard_account_store_lookup_async  (LanyardAccountStore *self,
                                                     const char          *account_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
LanyardAccount *lanyard_account_store_lookup_finish (LanyardAccountStore *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* All accounts, newest sign-in first (an empty array when there are none).
 * Items that fail to parse (corrupt JSON, an unknown newer version) are
 * skipped with a g_warning naming the item, not its content; they stay in the
 * keyring untouched. A lookup of such an item fails with its parse error. */
void            lanyard_account_store_list_async    (LanyardAccountStore *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray      *lanyard_account_store_list_finish   (LanyardAccountStore *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Removing an account that is not there is not an error; with the default
 * collection locked it is KEYRING_LOCKED (we cannot tell). */
void            lanyard_account_store_remove_async  (LanyardAccountStore *self,
                                                     const char          *account_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        lanyard_account_store_remove_finish (LanyardAccountStore *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
