/* lanyard-session-private.h — what the session's files share
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LanyardSession is one object in four files, one job each:
 *   lanyard-session.c           state, busy, can-…, messages, properties
 *   lanyard-session-config.c    settings → configuration → client; what the provider offers
 *   lanyard-session-accounts.c  the accounts, switch, renewal, sign-out, the keyring
 *   lanyard-session-sign-in.c   sign-in, sign-up, add account, another device, cancel
 */
#pragma once

#include "lanyard-session.h"

G_BEGIN_DECLS

typedef enum {
  CAN_SIGN_IN,
  CAN_SIGN_UP,
  CAN_ADD_ACCOUNT,
  CAN_SWITCH_ACCOUNT,
  CAN_SIGN_OUT,
  CAN_REFRESH,
  CAN_CANCEL,
  CAN_UNLOCK,
  CAN_SIGN_IN_DEVICE,
  N_CAN
} Can;

struct _LanyardSession
{
  GObject              parent_instance;

  GSettings           *settings;
  LanyardAccountStore *store;
  LanyardBrowser      *browser;

  LanyardConfig       *config;
  char               **overridden;
  char                *provider_name;
  /* What the setup page collected when there is nowhere to save it. */
  char                *setup_authority;
  char                *setup_client_id;

  LanyardClient       *client;
  /* The signed-in page's API calls (lanyard-api-model.c). */
  LanyardApiModel     *api;
  GListStore          *accounts;
  LanyardAccount      *account;

  LanyardSessionState  state;
  guint                busy;

  /* The sign-in in progress; what the pages show is copied from it. */
  LanyardSignIn       *sign_in;
  char                *sign_in_uri;
  GError              *browser_error;
  gboolean             signing_up;
  /* Its phase (LanyardSignInPhase); NOT_STARTED when none runs. */
  LanyardSignInPhase   sign_in_phase;
  gboolean             keyring_locked;
  gboolean             supports_sign_up;
  /* Sign-in on another device: offered, its code, expired. */
  gboolean             supports_device;
  LanyardDeviceCode   *device_code;
  gboolean             device_expired;

  GCancellable        *cancellable;
  GCancellable        *sign_in_cancellable;
  /* What the provider offers, asked of the current client. */
  GCancellable        *client_cancellable;

  guint                reload_source_id;
  gboolean             config_dirty;
  gboolean             renewal_tried;
  gboolean             can[N_CAN];
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_STORE,
  PROP_BROWSER,
  PROP_STATE,
  PROP_BUSY,
  PROP_CONFIG,
  PROP_OVERRIDDEN,
  PROP_PROVIDER_NAME,
  PROP_CLIENT,
  PROP_ACCOUNTS,
  PROP_ACCOUNT,
  PROP_SIGN_IN_URI,
  PROP_BROWSER_ERROR,
  PROP_SIGNING_UP,
  PROP_SIGN_IN_PHASE,
  PROP_KEYRING_LOCKED,
  PROP_DEVICE_CODE,
  PROP_DEVICE_EXPIRED,
  PROP_SUPPORTS_SIGN_UP,
  PROP_CAN_SIGN_IN,
  PROP_CAN_SIGN_UP,
  PROP_CAN_ADD_ACCOUNT,
  PROP_CAN_SWITCH_ACCOUNT,
  PROP_CAN_SIGN_OUT,
  PROP_CAN_REFRESH,
  PROP_CAN_CANCEL,
  PROP_CAN_UNLOCK,
  PROP_CAN_SIGN_IN_DEVICE,
  N_PROPS
};

/* lanyard-session.c */
void     _lanyard_session_notify             (LanyardSession      *self,
                                              guint                prop_id);
/* The session went away: a callback finding this touches nothing. */
gboolean _lanyard_session_gone               (LanyardSession      *self);
void     _lanyard_session_update_can         (LanyardSession      *self);
void     _lanyard_session_set_state          (LanyardSession      *self,
                                              LanyardSessionState  state);
void     _lanyard_session_begin_busy         (LanyardSession      *self);
void     _lanyard_session_end_busy           (LanyardSession      *self);
void     _lanyard_session_message            (LanyardSession      *self,
                                              LanyardMessageFlags  flags,
                                              const char          *button,
                                              const char          *action,
                                              GVariant            *target,
                                              const char          *text);
void     _lanyard_session_say                (LanyardSession      *self,
                                              const char          *text);
void     _lanyard_session_say_error          (LanyardSession      *self,
                                              const GError        *error);
void     _lanyard_session_set_keyring_locked (LanyardSession      *self,
                                              gboolean             locked);

/* lanyard-session-config.c */
void     _lanyard_session_config_init          (LanyardSession *self);
void     _lanyard_session_reload_config        (LanyardSession *self);
void     _lanyard_session_drop_client          (LanyardSession *self);
void     _lanyard_session_check_sign_in_options (LanyardSession *self);

/* lanyard-session-accounts.c */
/* Watches the new client's accounts and loads them from the keyring. */
void            _lanyard_session_load_accounts (LanyardSession *self);
LanyardAccount *_lanyard_session_find_account  (LanyardSession *self,
                                                const char     *account_id);
void            _lanyard_session_set_account   (LanyardSession *self,
                                                LanyardAccount *account);
void            _lanyard_session_show_account  (LanyardSession *self,
                                                LanyardAccount *account);

G_END_DECLS
