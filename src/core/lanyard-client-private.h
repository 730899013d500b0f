/* lanyard-client-private.h — what the lanyard-client-*.c files share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lanyard-client.h"
#include "lanyard-provider-pool.h"
#include "lanyard-sign-in.h"
#include "lanyard-token-endpoint.h"

G_BEGIN_DECLS

/* A cached access token must have at least this long left to be handed out. */
#define LANYARD_CLIENT_MIN_TOKEN_LIFETIME_SECONDS (5 * 60)

struct _LanyardClient
{
  GObject              parent_instance;

  LanyardConfig       *config;
  LanyardAccountStore *store;
  LanyardBrowser      *browser;
  SoupSession         *session;           /* created on first network use */
  char                *session_ca_file;   /* an account's CA file it was made with */
  /* Sessions for accounts that remember another CA file: path → session. */
  GHashTable          *account_sessions;
  /* Discovery documents and JWKS this client has loaded, while fresh. */
  LanyardProviderPool *providers;

  /* Accounts the keyring could not take (locked or missing): id → account. */
  GHashTable          *session_accounts;
  /* One refresh in flight per (account, scope set): "<id>\n<scope set key>"
   * → GPtrArray of waiters. */
  GHashTable          *refreshes;
  /* The live list (lanyard_client_get_accounts()): one item per account id. */
  GListStore          *accounts;
  /* The device flow's clock: how many ms one protocol second lasts (0 = 1000).
   * Tests shorten it with lanyard_client_set_device_clock(). */
  guint                device_ms_per_second;
};

SoupSession *lanyard_client_get_session       (LanyardClient        *self,
                                               GError              **error);

/* g_task_propagate_*() in LANYARD_ERROR: GTask reports a cancellation it saw
 * itself as G_IO_ERROR_CANCELLED, which a _finish of ours never returns. */
gpointer     lanyard_task_propagate_pointer   (GTask                *task,
                                               GError              **error);
gboolean     lanyard_task_propagate_boolean   (GTask                *task,
                                               GError              **error);

/* The live list's copy of @account (same identity; transfer full), NULL if
 * it has none. */
LanyardAccount *lanyard_client_lookup_tracked_account (LanyardClient  *self,
                                                       LanyardAccount *account);

/* Which of @accounts (newest first) @name means, NULL = the default: see
 * lanyard_client_get_account_async(). Errors: NOT_FOUND, CONFIGURATION
 * (several accounts answer to @name; the message lists them). */
LanyardAccount *lanyard_client_resolve_account (LanyardClient  *self,
                                                GPtrArray      *accounts,
                                                const char     *name,
                                                GError        **error);

/* The session to reach @account's provider: with the CA file it remembers,
 * unless one is configured now (that wins). */
SoupSession *lanyard_client_get_account_session (LanyardClient   *self,
                                                 LanyardAccount  *account,
                                                 GError         **error);
/* Discovery for @account's authority, over lanyard_client_get_account_session(). */
void         lanyard_client_load_account_provider_async (LanyardClient       *self,
                                                         LanyardAccount      *account,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);

/* Discovery for @authority (as stored in an account or typed by the user). */
void         lanyard_client_load_provider_async  (LanyardClient        *self,
                                                  const char           *authority,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
LanyardProvider *lanyard_client_load_provider_finish (LanyardClient   *self,
                                                      GAsyncResult    *result,
                                                      GError         **error);

/* Where a sign-in of either flow starts: with no client id configured,
 * @task (transfer full) returns that error; else the configured provider is
 * loaded and @provider_ready gets @task as its user data. */
void         lanyard_client_load_sign_in_provider (LanyardClient       *self,
                                                   GTask               *task,
                                                   GAsyncReadyCallback  provider_ready);

/* Signature and claims of @id_token; an unknown kid refetches the JWKS once. */
void         lanyard_client_validate_id_token_async  (LanyardClient       *self,
                                                      LanyardProvider     *provider,
                                                      const char          *id_token,
                                                      const char          *client_id,
                                                      const char          *nonce,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
JsonObject  *lanyard_client_validate_id_token_finish (LanyardClient       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Saves @account in the keyring; when the keyring is locked or missing the
 * account is kept for this session only and that is not an error. */
void         lanyard_client_keep_account_async  (LanyardClient       *self,
                                                 LanyardAccount      *account,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean     lanyard_client_keep_account_finish (LanyardClient       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* After a successful keep: why the account was kept for this session only
 * (KEYRING_LOCKED or KEYRING_UNAVAILABLE), NULL when it is in the keyring. */
const GError *lanyard_client_keep_account_get_keyring_error (GAsyncResult *result);

/* The two flows of a LanyardSignIn (lanyard-client-sign-in.c,
 * lanyard-client-device.c): they read its options and report its phase,
 * page and device code; the sign-in sets the final phase. */
void            lanyard_client_browser_sign_in_async  (LanyardClient        *self,
                                                       LanyardSignIn        *sign_in,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
LanyardAccount *lanyard_client_browser_sign_in_finish (LanyardClient        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void            lanyard_client_device_sign_in_async   (LanyardClient        *self,
                                                       LanyardSignIn        *sign_in,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
LanyardAccount *lanyard_client_device_sign_in_finish  (LanyardClient        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* What an interactive grant returned (@tokens, taken) becomes the signed-in
 * account, the same way for every flow: an ID token is required and
 * validated (@nonce: the one sent, NULL for flows that send none), the
 * account is built from its claims with the granted scopes, kept (keyring or
 * this session), and made the default; @sign_in (optional) is told when
 * the keyring write starts. Cancelled while the keyring wrote: what was
 * there before is restored (the item removed, or the previous account
 * saved again) and the result is LANYARD_ERROR_CANCELLED. */
void            lanyard_client_complete_sign_in_async  (LanyardClient        *self,
                                                        LanyardSignIn        *sign_in,
                                                        LanyardProvider      *provider,
                                                        LanyardTokenResponse *tokens,
                                                        const char           *nonce,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
LanyardAccount *lanyard_client_complete_sign_in_finish (LanyardClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* As lanyard_client_keep_account_get_keyring_error(). */
const GError   *lanyard_client_complete_sign_in_get_keyring_error (GAsyncResult *result);

/* Test hook: the device flow's intervals and expiry run @ms_per_second
 * milliseconds per second (1000 = real time). */
void         lanyard_client_set_device_clock (LanyardClient *self,
                                              guint          ms_per_second);

void         lanyard_client_forget_session_account (LanyardClient  *self,
                                                    LanyardAccount *account);

/* The live list: @account is the newest copy of its identity (replaced in
 * place, or added first as the newest sign-in); an account that is gone is
 * removed. */
void         lanyard_client_track_account   (LanyardClient  *self,
                                             LanyardAccount *account);
void         lanyard_client_account_removed (LanyardClient  *self,
                                             LanyardAccount *account);
/* @account, session-only, is held in memory and the live list again. */
void         lanyard_client_restore_session_account (LanyardClient  *self,
                                                     LanyardAccount *account);

G_END_DECLS
