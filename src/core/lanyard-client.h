/* lanyard-client.h — the one object a UI talks to
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "lanyard-account.h"
#include "lanyard-account-store.h"
#include "lanyard-browser.h"
#include "lanyard-config.h"
#include "lanyard-device-code.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_CLIENT (lanyard_client_get_type ())
G_DECLARE_FINAL_TYPE (LanyardClient, lanyard_client, LANYARD, CLIENT, GObject)

typedef struct {
  const char *prompt;        /* "create" for sign-up, "login", "consent", "select_account"… (sent
                              * as "login" where the provider is not known to take it) */
  const char *login_hint;
  const char *domain_hint;
} LanyardSignInOptions;

/* A heap copy that owns its strings (one allocation): what language bindings
 * create; C callers may equally fill a struct on the stack. */
#define LANYARD_TYPE_SIGN_IN_OPTIONS (lanyard_sign_in_options_get_type ())
GType                 lanyard_sign_in_options_get_type (void) G_GNUC_CONST;
LanyardSignInOptions *lanyard_sign_in_options_new  (const char                 *prompt,
                                                    const char                 *login_hint,
                                                    const char                 *domain_hint);
LanyardSignInOptions *lanyard_sign_in_options_copy (const LanyardSignInOptions *options);
void                  lanyard_sign_in_options_free (LanyardSignInOptions       *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardSignInOptions, lanyard_sign_in_options_free)

LanyardClient  *lanyard_client_new (const LanyardConfig  *config,
                                    LanyardAccountStore *store,
                                    LanyardBrowser      *browser,
                                    GError             **error);

const LanyardConfig *lanyard_client_get_config (LanyardClient *self);

/* Interactive sign-in in the browser: a LanyardSignIn (lanyard-sign-in.h)
 * with @options that nobody watches. When the keyring is locked or missing
 * the account is kept for this session only
 * (lanyard_account_get_session_only() is TRUE) and the sign-in still succeeds. */
void            lanyard_client_sign_in_async        (LanyardClient              *self,
                                                     const LanyardSignInOptions *options,
                                                     GCancellable               *cancellable,
                                                     GAsyncReadyCallback         callback,
                                                     gpointer                    user_data);
LanyardAccount *lanyard_client_sign_in_finish       (LanyardClient              *self,
                                                     GAsyncResult               *result,
                                                     GError                    **error);
/* After a sign-in that kept its account for this session only: why the
 * keyring did not take it (KEYRING_LOCKED or KEYRING_UNAVAILABLE), else NULL. */
const GError   *lanyard_client_sign_in_get_keyring_error (GAsyncResult *result);

/* Sign-in on another device (RFC 8628): a LanyardSignIn with
 * LANYARD_SIGN_IN_FLOW_DEVICE_CODE that nobody watches. */
void            lanyard_client_sign_in_device_async  (LanyardClient       *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
LanyardAccount *lanyard_client_sign_in_device_finish (LanyardClient       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Whether the configured provider offers sign-in on another device (its
 * discovery, from cache when fresh; Entra authorities always do). */
void            lanyard_client_supports_device_sign_in_async  (LanyardClient       *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean        lanyard_client_supports_device_sign_in_finish (LanyardClient       *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

/**
 * LanyardTokenFlags:
 * @LANYARD_TOKEN_FLAGS_NONE: a cached token does when it covers the scopes
 * @LANYARD_TOKEN_FORCE_REFRESH: renew even when a cached token would do
 *
 * How lanyard_client_acquire_token_async() gets its token.
 */
typedef enum {
  LANYARD_TOKEN_FLAGS_NONE    = 0,
  LANYARD_TOKEN_FORCE_REFRESH = 1 << 0,  /* renew even when a cached token would do */
} LanyardTokenFlags;

/* An access token for @scopes (NULL or empty = the account's default token,
 * the one its sign-in got) of @account_id (NULL = the most recent sign-in):
 * from the account's token cache without any network when a token whose
 * granted scopes cover @scopes has more than 5 minutes left, else redeemed
 * with the refresh token for exactly that scope set and added to the cache
 * (other resources' tokens stay). One refresh in flight per (account, scope
 * set) in this process, and per account across processes (a file lock; the
 * keyring is read again after waiting). Scopes the user never granted:
 * LANYARD_ERROR_INTERACTION_REQUIRED naming them, the refresh token kept. A
 * dead refresh token: INTERACTION_REQUIRED, and it is dropped — unless
 * another process stored a newer one meanwhile. @account (optional) receives
 * the account. The token is opaque: never parsed nor validated here. */
void                lanyard_client_acquire_token_async  (LanyardClient       *self,
                                                         const char          *account_id,
                                                         const char * const  *scopes,
                                                         LanyardTokenFlags    flags,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
LanyardAccessToken *lanyard_client_acquire_token_finish (LanyardClient       *self,
                                                         GAsyncResult        *result,
                                                         LanyardAccount     **account,
                                                         GError             **error);

void                lanyard_client_send_authorized_async  (LanyardClient       *self,
                                                           const char          *account_id,
                                                           const char * const  *scopes,
                                                           SoupMessage         *msg,
                                                           int                  io_priority,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
GInputStream       *lanyard_client_send_authorized_finish (LanyardClient       *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
const char         *lanyard_client_send_authorized_get_claims (GAsyncResult    *result);

void                lanyard_client_get_userinfo_endpoint_async  (LanyardClient       *self,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
char               *lanyard_client_get_userinfo_endpoint_finish (LanyardClient       *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);

/* As lanyard_client_acquire_token_async(), returning the account (whose
 * lanyard_account_get_access_token() is then the most recently added token,
 * not necessarily the one for @scopes: use the above for that). */
void            lanyard_client_acquire_token_silent_async  (LanyardClient       *self,
                                                            const char          *account_id,
                                                            const char * const  *scopes,
                                                            gboolean             force_refresh,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
LanyardAccount *lanyard_client_acquire_token_silent_finish (LanyardClient       *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* One account without touching the network (@account_id NULL = most recent). */
void            lanyard_client_get_account_async    (LanyardClient       *self,
                                                     const char          *account_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
LanyardAccount *lanyard_client_get_account_finish   (LanyardClient       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/**
 * lanyard_client_get_accounts:
 * @self: a #LanyardClient
 *
 * The accounts this client knows, stored and session-only, newest first: one
 * #LanyardAccount per account id. The list is live: it is filled by
 * lanyard_client_list_accounts_async() (call it once to load it) and kept up
 * to date by sign-in, renewal, saving and sign-out, which replace an account
 * in place (same position, the newest copy) or add and remove it; watch
 * #GListModel::items-changed instead of re-listing.
 *
 * Returns: (transfer none): a #GListModel of #LanyardAccount
 */
GListModel     *lanyard_client_get_accounts (LanyardClient *self);

/**
 * lanyard_client_dup_default_account_id:
 * @self: a #LanyardClient
 *
 * The account that "no account named" means: the newest sign-in, or the one
 * a person switched to last; remembered across runs.
 *
 * Returns: (transfer full) (nullable): its id, or %NULL when there is none
 */
char           *lanyard_client_dup_default_account_id (LanyardClient *self);
/**
 * lanyard_client_set_default_account_id:
 * @self: a #LanyardClient
 * @account_id: the id of the account to make the default
 *
 * Makes @account_id the default account, for this run and the next ones
 * (an app switching accounts calls it, so that the next start restores the
 * account the person left on screen).
 */
void            lanyard_client_set_default_account_id (LanyardClient *self,
                                                       const char    *account_id);

/**
 * lanyard_client_supports_sign_up_async:
 * @self: a #LanyardClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Whether the provider lets people create an account from its sign-in page
 * (a sign-in with prompt=create): Microsoft Entra always does, answered
 * without any network; otherwise its discovery document's
 * prompt_values_supported says (fetched, or from the discovery cache).
 */
void            lanyard_client_supports_sign_up_async  (LanyardClient       *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
/**
 * lanyard_client_supports_sign_up_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Errors are those of discovery (the provider cannot be reached, its
 * document is broken): a UI then does not offer to create an account.
 *
 * Returns: %TRUE when the provider supports creating an account
 */
gboolean        lanyard_client_supports_sign_up_finish (LanyardClient       *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Stored and session-only accounts, newest first. */
void            lanyard_client_list_accounts_async  (LanyardClient       *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray      *lanyard_client_list_accounts_finish (LanyardClient       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/**
 * lanyard_client_unlock_keyring_async:
 * @self: a #LanyardClient
 * @cancellable: (nullable): a #GCancellable; cancelling dismisses the prompt
 * @callback: called when the keyring is unlocked or not
 * @user_data: data for @callback
 *
 * Asks the desktop to unlock the keyring with its own password dialog
 * (lanyard_account_store_unlock_async()) and, once it is unlocked, reads
 * the accounts the locked keyring hid into the live list
 * (lanyard_client_get_accounts()).
 * Session-only accounts stay in memory until
 * lanyard_client_save_account_async() saves them.
 */
void            lanyard_client_unlock_keyring_async  (LanyardClient       *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/**
 * lanyard_client_unlock_keyring_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Errors as for lanyard_account_store_unlock_finish(): CANCELLED when the
 * user dismissed the dialog, KEYRING_LOCKED when it could not be shown,
 * KEYRING_UNAVAILABLE without a Secret Service.
 *
 * Returns: %TRUE when the keyring is unlocked
 */
gboolean        lanyard_client_unlock_keyring_finish (LanyardClient       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/**
 * lanyard_client_save_account_async:
 * @self: a #LanyardClient
 * @account: the account to save, typically a session-only one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the account is saved or not
 * @user_data: data for @callback
 *
 * Saves @account in the keyring: for an account kept for this session only,
 * once the keyring can take it. The copy this client holds in memory is
 * saved when there is one (it has the newest tokens); it stops being
 * session-only and becomes the default account as after a sign-in; the
 * live list (lanyard_client_get_accounts()) has the saved copy.
 */
void            lanyard_client_save_account_async    (LanyardClient       *self,
                                                      LanyardAccount      *account,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/**
 * lanyard_client_save_account_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Unlike at sign-in, a keyring that cannot take the account is an error here
 * (KEYRING_LOCKED, KEYRING_UNAVAILABLE) and the account stays session-only.
 *
 * Returns: (transfer full): the saved account
 */
LanyardAccount *lanyard_client_save_account_finish   (LanyardClient       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

typedef struct {
  gboolean  revoked;          /* the refresh token was revoked at the provider */
  GError   *revoke_error;     /* why not, when revocation was attempted and failed */
  char     *logout_uri;       /* the provider's logout page, NULL if it has none */
  gboolean  browser_opened;
  GError   *browser_error;
} LanyardSignOutResult;

#define LANYARD_TYPE_SIGN_OUT_RESULT (lanyard_sign_out_result_get_type ())
GType           lanyard_sign_out_result_get_type    (void) G_GNUC_CONST;
LanyardSignOutResult *lanyard_sign_out_result_copy  (const LanyardSignOutResult *result);
void            lanyard_sign_out_result_free        (LanyardSignOutResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardSignOutResult, lanyard_sign_out_result_free)

/* Local first (keyring item and memory), then RFC 7009 revocation of the
 * refresh token when advertised, then — when @open_browser — the logout page
 * with logout_hint (the login_hint claim) or id_token_hint, plus client_id.
 * Fails only when the local part fails; the rest is reported in the result. */
void            lanyard_client_sign_out_async       (LanyardClient       *self,
                                                     const char          *account_id,
                                                     gboolean             open_browser,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
LanyardSignOutResult *lanyard_client_sign_out_finish (LanyardClient      *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

#ifdef LANYARD_COMPILATION
/* Private to the core and its tests: not exported from liblanyard-1. */
/* The authorize URL building, exposed for tests. */
char           *lanyard_build_authorize_url (const char                 *authorization_endpoint,
                                             const char                 *client_id,
                                             const char                 *redirect_uri,
                                             const char * const         *scopes,
                                             const char                 *state,
                                             const char                 *nonce,
                                             const char                 *code_challenge,
                                             gboolean                    form_post,
                                             const LanyardSignInOptions *options,
                                             const char                 *claims);

/* The logout URL: logout_hint when @login_hint, else id_token_hint. */
char           *lanyard_build_logout_url    (const char *end_session_endpoint,
                                             const char *client_id,
                                             const char *login_hint,
                                             const char *id_token);
#endif


G_END_DECLS
