/* lanyard-session.h — what the app is doing, without any widget
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lanyard.h"

G_BEGIN_DECLS

/* The page a window shows for it; the nicks are the page names. */
typedef enum {
  LANYARD_SESSION_STATE_LOADING,
  LANYARD_SESSION_STATE_SETUP,
  LANYARD_SESSION_STATE_SIGNED_OUT,
  LANYARD_SESSION_STATE_WAITING,
  LANYARD_SESSION_STATE_SIGNED_IN,
  /* Sign-in on another device (RFC 8628): the code, then approval there. */
  LANYARD_SESSION_STATE_DEVICE,
} LanyardSessionState;

#define LANYARD_TYPE_SESSION_STATE (lanyard_session_state_get_type ())
GType lanyard_session_state_get_type (void) G_GNUC_CONST;

/* How a "message" wants to be shown. */
typedef enum {
  LANYARD_MESSAGE_NORMAL    = 0,
  /* Worth reading slowly (an error, a provider's words): shown longer. */
  LANYARD_MESSAGE_IMPORTANT = 1 << 0,
  /* About the keyring: a newer one replaces it, acting on it makes it stale. */
  LANYARD_MESSAGE_KEYRING   = 1 << 1,
  /* Shown longer still: it carries something to act on (a link). */
  LANYARD_MESSAGE_LONG      = 1 << 2,
} LanyardMessageFlags;

typedef struct _LanyardApiModel LanyardApiModel;

#define LANYARD_TYPE_SESSION (lanyard_session_get_type ())
G_DECLARE_FINAL_TYPE (LanyardSession, lanyard_session, LANYARD, SESSION, GObject)

/* @settings: NULL when the schema is not installed (values typed into the
 * setup page then last until the session goes). @store, @browser: NULL for
 * the keyring and the system browser. The configuration is read and the
 * accounts loaded (from the keyring only, no network) right away. */
LanyardSession      *lanyard_session_new               (GSettings           *settings,
                                                        LanyardAccountStore *store,
                                                        LanyardBrowser      *browser);

GSettings           *lanyard_session_get_settings      (LanyardSession *self);
LanyardSessionState  lanyard_session_get_state         (LanyardSession *self);
gboolean             lanyard_session_get_busy          (LanyardSession *self);
const LanyardConfig *lanyard_session_get_config        (LanyardSession *self);
/* GSettings keys the environment overrides: editing them changes nothing. */
const char * const  *lanyard_session_get_overridden    (LanyardSession *self);
/* The provider's host as a person reads it; NULL when not configured. */
const char          *lanyard_session_get_provider_name (LanyardSession *self);
LanyardClient       *lanyard_session_get_client        (LanyardSession *self);
/* The signed-in page's API calls (lanyard-api-model.h). */
LanyardApiModel     *lanyard_session_get_api           (LanyardSession *self);
/* Accounts of this configuration (issuer and client id), newest first. */
GListModel          *lanyard_session_get_accounts      (LanyardSession *self);
LanyardAccount      *lanyard_session_get_account       (LanyardSession *self);
/* While waiting: the authorize URL, why the browser did not open, and
 * whether it is a sign-up. */
const char          *lanyard_session_get_sign_in_uri   (LanyardSession *self);
const GError        *lanyard_session_get_browser_error (LanyardSession *self);
gboolean             lanyard_session_get_signing_up    (LanyardSession *self);
/* Where the sign-in in progress is (after the browser: redeeming, saving);
 * NOT_STARTED when none runs. */
LanyardSignInPhase   lanyard_session_get_sign_in_phase (LanyardSession *self);
/* In the device state: the code to show (NULL while it is asked for), and
 * whether it expired (then app.sign-in-device gets a new one). */
LanyardDeviceCode   *lanyard_session_get_device_code    (LanyardSession *self);
gboolean             lanyard_session_get_device_expired (LanyardSession *self);
/* The keyring was found locked and is not known to be unlocked since. */
gboolean             lanyard_session_get_keyring_locked (LanyardSession *self);

/* Each does nothing when its "can-…" property is FALSE. */
void lanyard_session_setup          (LanyardSession *self,
                                     const char     *authority,
                                     const char     *client_id);
void lanyard_session_sign_in        (LanyardSession *self);
void lanyard_session_sign_up        (LanyardSession *self);
/* Sign-in on another device; also a new code after one expired. */
void lanyard_session_sign_in_device (LanyardSession *self);
void lanyard_session_add_account    (LanyardSession *self);
/* An API's claims challenge (lanyard_client_send_authorized_get_claims()):
 * the current account signs in again in the browser, asking for @claims and
 * @scopes (the API's, or NULL). As can-sign-in. */
void lanyard_session_sign_in_with_claims (LanyardSession     *self,
                                          const char         *claims,
                                          const char * const *scopes);
void lanyard_session_switch_account (LanyardSession *self,
                                     const char     *account_id);
/* @account_id NULL: the current account. */
void lanyard_session_sign_out       (LanyardSession *self,
                                     const char     *account_id);
void lanyard_session_refresh        (LanyardSession *self);
void lanyard_session_cancel         (LanyardSession *self);
void lanyard_session_unlock         (LanyardSession *self);

G_END_DECLS
