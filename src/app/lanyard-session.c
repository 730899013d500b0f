/* lanyard-session.c — what the app is doing, without any widget
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The model behind the window: the configuration (GSettings, then what the
 * setup page typed when there is nowhere to save it, then LANYARD_*), the
 * client, the accounts of this configuration and the current one, the state
 * (the page to show), whether a request is out, and what may be done now
 * (the can-… properties a window binds its actions to). It tells the person
 * things through "message"; a window shows them. This file: the object, its
 * state and what follows from it; lanyard-session-private.h lists the others.
 *
 * Cancellation, one rule: every request runs with the session's cancellable,
 * cancelled when the session goes; a sign-in also has its own, for Cancel.
 * A callback that finds the session gone does nothing; a callback whose
 * request was cancelled by Cancel only restores the page (whoever cancelled
 * knows why).
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-api-model.h"
#include "lanyard-session-private.h"
#include "lanyard-text.h"

enum {
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE (LanyardSessionState, lanyard_session_state,
                    G_DEFINE_ENUM_VALUE (LANYARD_SESSION_STATE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (LANYARD_SESSION_STATE_SETUP, "setup"),
                    G_DEFINE_ENUM_VALUE (LANYARD_SESSION_STATE_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (LANYARD_SESSION_STATE_WAITING, "waiting"),
                    G_DEFINE_ENUM_VALUE (LANYARD_SESSION_STATE_SIGNED_IN, "signed-in"),
                    G_DEFINE_ENUM_VALUE (LANYARD_SESSION_STATE_DEVICE, "device"))

G_DEFINE_FINAL_TYPE (LanyardSession, lanyard_session, G_TYPE_OBJECT)

void
_lanyard_session_notify (LanyardSession *self,
                         guint           prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

gboolean
_lanyard_session_gone (LanyardSession *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

/* What may be done follows from everything else: recomputed after every
 * change, notified only when it changes. */
void
_lanyard_session_update_can (LanyardSession *self)
{
  gboolean idle = self->client != NULL && self->busy == 0;
  gboolean out = self->state == LANYARD_SESSION_STATE_SIGNED_OUT;
  gboolean in = self->state == LANYARD_SESSION_STATE_SIGNED_IN;
  gboolean can[N_CAN];

  can[CAN_SIGN_IN] = idle && (out || in);
  can[CAN_SIGN_UP] = idle && out && self->supports_sign_up;
  can[CAN_ADD_ACCOUNT] = idle && in;
  can[CAN_SWITCH_ACCOUNT] = idle && (out || in) &&
                            g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) > 0;
  can[CAN_SIGN_OUT] = idle && in;
  can[CAN_REFRESH] = idle && in && self->account != NULL &&
                     lanyard_account_get_refresh_token (self->account) != NULL;
  can[CAN_CANCEL] = self->state == LANYARD_SESSION_STATE_WAITING ||
                    self->state == LANYARD_SESSION_STATE_DEVICE;
  /* Busy covers an unlock in progress: one prompt at a time. */
  can[CAN_UNLOCK] = idle && (out || in);
  /* From the device page only for a new code, once the old one expired. */
  can[CAN_SIGN_IN_DEVICE] = idle && self->supports_device &&
                            (out || in || (self->state == LANYARD_SESSION_STATE_DEVICE &&
                                           self->device_expired));

  for (guint i = 0; i < N_CAN; i++)
    if (self->can[i] != can[i])
      {
        self->can[i] = can[i];
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SIGN_IN + i]);
      }
}

void
_lanyard_session_set_state (LanyardSession      *self,
                            LanyardSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  if (state == LANYARD_SESSION_STATE_SIGNED_OUT)
    _lanyard_session_check_sign_in_options (self);
  /* What can be done first: a page that appears for the new state finds its
   * actions enabled (its default button can take the focus). */
  _lanyard_session_update_can (self);
  _lanyard_session_notify (self, PROP_STATE);
}

void
_lanyard_session_begin_busy (LanyardSession *self)
{
  if (self->busy++ == 0)
    {
      _lanyard_session_notify (self, PROP_BUSY);
      _lanyard_session_update_can (self);
    }
}

void
_lanyard_session_end_busy (LanyardSession *self)
{
  g_return_if_fail (self->busy > 0);

  if (--self->busy > 0)
    return;

  _lanyard_session_notify (self, PROP_BUSY);
  _lanyard_session_update_can (self);

  /* Settings changed while a request was out: apply them now. */
  if (self->config_dirty)
    _lanyard_session_reload_config (self);
}

void
_lanyard_session_message (LanyardSession      *self,
                          LanyardMessageFlags  flags,
                          const char          *button,
                          const char          *action,
                          GVariant            *target,
                          const char          *text)
{
  g_autoptr(GVariant) sunk = target ? g_variant_ref_sink (target) : NULL;

  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text, button, action, sunk, flags);
}

void
_lanyard_session_say (LanyardSession *self,
                      const char     *text)
{
  _lanyard_session_message (self, LANYARD_MESSAGE_NORMAL, NULL, NULL, NULL, text);
}

void
_lanyard_session_set_keyring_locked (LanyardSession *self,
                                     gboolean        locked)
{
  if (self->keyring_locked == locked)
    return;

  self->keyring_locked = locked;
  _lanyard_session_notify (self, PROP_KEYRING_LOCKED);
}

void
_lanyard_session_say_error (LanyardSession *self,
                            const GError   *error)
{
  g_autofree char *text = lanyard_error_to_text (error);

  g_message ("%s", text);

  if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED))
    _lanyard_session_message (self, LANYARD_MESSAGE_IMPORTANT,
                              _("_Sign In"), "app.sign-in", NULL, text);
  else if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED))
    {
      _lanyard_session_set_keyring_locked (self, TRUE);
      _lanyard_session_message (self, LANYARD_MESSAGE_IMPORTANT | LANYARD_MESSAGE_KEYRING,
                                _("_Unlock"), "app.unlock-keyring", NULL, text);
    }
  else
    _lanyard_session_message (self, LANYARD_MESSAGE_IMPORTANT, NULL, NULL, NULL, text);
}

/* GObject ------------------------------------------------------------------ */

static void
lanyard_session_constructed (GObject *object)
{
  LanyardSession *self = (LanyardSession *)object;

  G_OBJECT_CLASS (lanyard_session_parent_class)->constructed (object);

  if (self->store == NULL)
    self->store = lanyard_account_store_new ();

  _lanyard_session_config_init (self);
  self->api = lanyard_api_model_new (self);
}

static void
lanyard_session_dispose (GObject *object)
{
  LanyardSession *self = (LanyardSession *)object;

  /* Callbacks still in flight see this and touch nothing. */
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_handle_id (&self->reload_source_id, g_source_remove);

  g_clear_object (&self->api);
  _lanyard_session_drop_client (self);
  g_clear_object (&self->browser);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->sign_in);

  G_OBJECT_CLASS (lanyard_session_parent_class)->dispose (object);
}

static void
lanyard_session_finalize (GObject *object)
{
  LanyardSession *self = (LanyardSession *)object;

  g_clear_pointer (&self->config, lanyard_config_free);
  g_clear_pointer (&self->overridden, g_strfreev);
  g_clear_pointer (&self->provider_name, g_free);
  g_clear_pointer (&self->setup_authority, g_free);
  g_clear_pointer (&self->setup_client_id, g_free);
  g_clear_pointer (&self->sign_in_uri, g_free);
  g_clear_error (&self->browser_error);
  g_clear_object (&self->device_code);
  g_clear_object (&self->accounts);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lanyard_session_parent_class)->finalize (object);
}

static void
lanyard_session_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LanyardSession *self = LANYARD_SESSION (object);

  if (prop_id >= PROP_CAN_SIGN_IN && prop_id < PROP_CAN_SIGN_IN + N_CAN)
    {
      g_value_set_boolean (value, self->can[prop_id - PROP_CAN_SIGN_IN]);
      return;
    }

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;

    case PROP_CONFIG:
      g_value_set_boxed (value, self->config);
      break;

    case PROP_OVERRIDDEN:
      g_value_set_boxed (value, self->overridden);
      break;

    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;

    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_SIGN_IN_URI:
      g_value_set_string (value, self->sign_in_uri);
      break;

    case PROP_BROWSER_ERROR:
      g_value_set_boxed (value, self->browser_error);
      break;

    case PROP_SIGNING_UP:
      g_value_set_boolean (value, self->signing_up);
      break;

    case PROP_SIGN_IN_PHASE:
      g_value_set_enum (value, self->sign_in_phase);
      break;

    case PROP_KEYRING_LOCKED:
      g_value_set_boolean (value, self->keyring_locked);
      break;

    case PROP_DEVICE_CODE:
      g_value_set_object (value, self->device_code);
      break;

    case PROP_DEVICE_EXPIRED:
      g_value_set_boolean (value, self->device_expired);
      break;

    case PROP_SUPPORTS_SIGN_UP:
      g_value_set_boolean (value, self->supports_sign_up);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_session_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LanyardSession *self = LANYARD_SESSION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_BROWSER:
      self->browser = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
readable_boolean (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

static void
lanyard_session_class_init (LanyardSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags co = G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lanyard_session_constructed;
  object_class->dispose = lanyard_session_dispose;
  object_class->finalize = lanyard_session_finalize;
  object_class->get_property = lanyard_session_get_property;
  object_class->set_property = lanyard_session_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS, co | G_PARAM_READABLE);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LANYARD_TYPE_ACCOUNT_STORE, co);
  properties[PROP_BROWSER] =
    g_param_spec_object ("browser", NULL, NULL, LANYARD_TYPE_BROWSER, co);

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LANYARD_TYPE_SESSION_STATE,
                       LANYARD_SESSION_STATE_LOADING, ro);
  properties[PROP_BUSY] = readable_boolean ("busy");
  properties[PROP_CONFIG] =
    g_param_spec_boxed ("config", NULL, NULL, LANYARD_TYPE_CONFIG, ro);
  properties[PROP_OVERRIDDEN] =
    g_param_spec_boxed ("overridden", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_PROVIDER_NAME] =
    g_param_spec_string ("provider-name", NULL, NULL, NULL, ro);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, LANYARD_TYPE_CLIENT, ro);
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, LANYARD_TYPE_ACCOUNT, ro);
  properties[PROP_SIGN_IN_URI] =
    g_param_spec_string ("sign-in-uri", NULL, NULL, NULL, ro);
  properties[PROP_BROWSER_ERROR] =
    g_param_spec_boxed ("browser-error", NULL, NULL, G_TYPE_ERROR, ro);
  properties[PROP_SIGNING_UP] = readable_boolean ("signing-up");
  properties[PROP_SIGN_IN_PHASE] =
    g_param_spec_enum ("sign-in-phase", NULL, NULL, LANYARD_TYPE_SIGN_IN_PHASE,
                       LANYARD_SIGN_IN_PHASE_NOT_STARTED, ro);
  properties[PROP_KEYRING_LOCKED] = readable_boolean ("keyring-locked");
  properties[PROP_DEVICE_CODE] =
    g_param_spec_object ("device-code", NULL, NULL, LANYARD_TYPE_DEVICE_CODE, ro);
  properties[PROP_DEVICE_EXPIRED] = readable_boolean ("device-expired");
  /* The provider lets people create an account (whether or not now). */
  properties[PROP_SUPPORTS_SIGN_UP] = readable_boolean ("supports-sign-up");

  properties[PROP_CAN_SIGN_IN] = readable_boolean ("can-sign-in");
  properties[PROP_CAN_SIGN_UP] = readable_boolean ("can-sign-up");
  properties[PROP_CAN_ADD_ACCOUNT] = readable_boolean ("can-add-account");
  properties[PROP_CAN_SWITCH_ACCOUNT] = readable_boolean ("can-switch-account");
  properties[PROP_CAN_SIGN_OUT] = readable_boolean ("can-sign-out");
  properties[PROP_CAN_REFRESH] = readable_boolean ("can-refresh");
  properties[PROP_CAN_CANCEL] = readable_boolean ("can-cancel");
  properties[PROP_CAN_UNLOCK] = readable_boolean ("can-unlock");
  properties[PROP_CAN_SIGN_IN_DEVICE] = readable_boolean ("can-sign-in-device");

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LanyardSession::message:
   * @text: a sentence for the person (never a token or code)
   * @button: (nullable): a mnemonic label for a button that acts on it
   * @action: (nullable): the button's detailed action name
   * @target: (nullable): the action's parameter
   * @flags: #LanyardMessageFlags
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL,
                  G_TYPE_NONE, 5,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_VARIANT, G_TYPE_UINT);
}

static void
lanyard_session_init (LanyardSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->accounts = g_list_store_new (LANYARD_TYPE_ACCOUNT);
  self->state = LANYARD_SESSION_STATE_LOADING;
}

LanyardSession *
lanyard_session_new (GSettings           *settings,
                     LanyardAccountStore *store,
                     LanyardBrowser      *browser)
{
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (!store || LANYARD_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (!browser || LANYARD_IS_BROWSER (browser), NULL);

  return g_object_new (LANYARD_TYPE_SESSION,
                       "settings", settings,
                       "store", store,
                       "browser", browser,
                       NULL);
}

GSettings *
lanyard_session_get_settings (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return self->settings;
}

LanyardSessionState
lanyard_session_get_state (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), LANYARD_SESSION_STATE_LOADING);
  return self->state;
}

gboolean
lanyard_session_get_busy (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), FALSE);
  return self->busy > 0;
}

const LanyardConfig *
lanyard_session_get_config (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return self->config;
}

const char * const *
lanyard_session_get_overridden (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return (const char * const *) self->overridden;
}

const char *
lanyard_session_get_provider_name (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return self->provider_name;
}

LanyardClient *
lanyard_session_get_client (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return self->client;
}

LanyardApiModel *
lanyard_session_get_api (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return self->api;
}

GListModel *
lanyard_session_get_accounts (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->accounts);
}

LanyardAccount *
lanyard_session_get_account (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return self->account;
}

const char *
lanyard_session_get_sign_in_uri (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return self->sign_in_uri;
}

const GError *
lanyard_session_get_browser_error (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return self->browser_error;
}

gboolean
lanyard_session_get_signing_up (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), FALSE);
  return self->signing_up;
}

LanyardSignInPhase
lanyard_session_get_sign_in_phase (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), LANYARD_SIGN_IN_PHASE_NOT_STARTED);
  return self->sign_in_phase;
}

LanyardDeviceCode *
lanyard_session_get_device_code (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), NULL);
  return self->device_code;
}

gboolean
lanyard_session_get_device_expired (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), FALSE);
  return self->device_expired;
}

gboolean
lanyard_session_get_keyring_locked (LanyardSession *self)
{
  g_return_val_if_fail (LANYARD_IS_SESSION (self), FALSE);
  return self->keyring_locked;
}
