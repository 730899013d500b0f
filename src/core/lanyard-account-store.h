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
 * {schema-version, account-id, client-id, authority, issuer}, secret = the account's
 * JSON. Every call is asynchronous. Errors, told apart:
 *  - LANYARD_ERROR_KEYRING_UNAVAILABLE: no Secret Service on the bus (or no bus)
 *  - LANYARD_ERROR_KEYRING_LOCKED: the collection or item is locked (a locked
 *    collection answers lookups with nothing and no error: we check the lock)
 *  - LANYARD_ERROR_NOT_FOUND: no such account
 *  - LANYARD_ERROR_CANCELLED: @cancellable was cancelled
 * Reading (lookup, list, remove) never prompts; save may ask the desktop to
 * unlock the collection (without a display that fails at once: LOCKED), and
 * unlock is the way to ask for that on purpose.
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

/**
 * lanyard_account_store_unlock_async:
 * @self: a #LanyardAccountStore
 * @cancellable: (nullable): a #GCancellable; cancelling dismisses the prompt
 * @callback: called when the keyring is unlocked or not
 * @user_data: data for @callback
 *
 * Asks the desktop to unlock the default collection: its own password dialog
 * (the prompter of gnome-keyring or GNOME Shell), never one of ours. When the
 * collection is not locked this completes at once, without a prompt.
 */
void            lanyard_account_store_unlock_async  (LanyardAccountStore *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/**
 * lanyard_account_store_unlock_finish:
 * @self: a #LanyardAccountStore
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Errors, in #LANYARD_ERROR:
 *  - %LANYARD_ERROR_CANCELLED: the user dismissed the dialog ("The keyring
 *    was not unlocked"), or @cancellable was cancelled
 *  - %LANYARD_ERROR_KEYRING_LOCKED: the dialog could not be shown (no
 *    display, no prompter; the Secret Service reports that like a dismissal,
 *    so a dismissal within half a second counts as this)
 *  - %LANYARD_ERROR_KEYRING_UNAVAILABLE: no Secret Service, or no default
 *    collection
 *
 * Returns: %TRUE when the default collection is unlocked
 */
gboolean        lanyard_account_store_unlock_finish (LanyardAccountStore *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

#ifdef LANYARD_COMPILATION
/* Private to the core and its tests: removes @account's items only — those
 * of its id, issuer and client id; another application's account of the
 * same user, or another provider's asserting the same id, stays. Finish
 * with lanyard_account_store_remove_finish (). */
void            lanyard_account_store_remove_account_async (LanyardAccountStore *self,
                                                            LanyardAccount      *account,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
/* The stored copy of @account (same id, issuer and client id). Finish with
 * lanyard_account_store_lookup_finish (). */
void            lanyard_account_store_lookup_account_async (LanyardAccountStore *self,
                                                            LanyardAccount      *account,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
/* Every account with @account_id, one per (issuer, client id), newest first;
 * only @issuer's and @client_id's when not NULL. None: NOT_FOUND. */
void            lanyard_account_store_lookup_all_async     (LanyardAccountStore *self,
                                                            const char          *account_id,
                                                            const char          *issuer,
                                                            const char          *client_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GPtrArray      *lanyard_account_store_lookup_all_finish    (LanyardAccountStore *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
#endif

G_END_DECLS
