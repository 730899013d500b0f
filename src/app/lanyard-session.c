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
 * things through "message"; a window shows them.
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

#include "lanyard-session.h"
#include "lanyard-text.h"

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
  GListStore          *accounts;
  LanyardAccount      *account;

  LanyardSessionState  state;
  guint                busy;

  char                *sign_in_uri;
  GError              *browser_error;
  gboolean             signing_up;
  gboolean             keyring_locked;
  gboolean             supports_sign_up;
  /* Sign-in on another device: offered, its code, expired. */
  gboolean             supports_device;
  LanyardDeviceCode   *device_code;
  gboolean             device_expired;

  GCancellable        *cancellable;
  GCancellable        *sign_in_cancellable;
  /* The Create Account check of the current client. */
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

static void reload_config (LanyardSession *self);
static void refresh       (LanyardSession *self,
                           gboolean        announce);

static gboolean
session_gone (LanyardSession *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static void supports_sign_up_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data);
static void supports_device_cb  (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data);

/* What the Sign In page offers besides Sign In needs discovery: asked when
 * that page is first shown, so that a start on a stored account stays
 * offline (and its first frame is not kept waiting). */
static void
check_sign_in_options (LanyardSession *self)
{
  if (self->client == NULL || self->client_cancellable != NULL)
    return;

  self->client_cancellable = g_cancellable_new ();
  lanyard_client_supports_sign_up_async (self->client, self->client_cancellable,
                                         supports_sign_up_cb, g_object_ref (self));
  lanyard_client_supports_device_sign_in_async (self->client, self->client_cancellable,
                                                supports_device_cb, g_object_ref (self));
}

/* What may be done follows from everything else: recomputed after every
 * change, notified only when it changes. */
static void
update_can (LanyardSession *self)
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

static void
set_state (LanyardSession      *self,
           LanyardSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  if (state == LANYARD_SESSION_STATE_SIGNED_OUT)
    check_sign_in_options (self);
  /* What can be done first: a page that appears for the new state finds its
   * actions enabled (its default button can take the focus). */
  update_can (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
begin_busy (LanyardSession *self)
{
  if (self->busy++ == 0)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      update_can (self);
    }
}

static void
end_busy (LanyardSession *self)
{
  g_return_if_fail (self->busy > 0);

  if (--self->busy > 0)
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  update_can (self);

  /* Settings changed while a request was out: apply them now. */
  if (self->config_dirty)
    reload_config (self);
}

static void
message (LanyardSession      *self,
         LanyardMessageFlags  flags,
         const char          *button,
         const char          *action,
         GVariant            *target,
         const char          *text)
{
  g_autoptr(GVariant) sunk = target ? g_variant_ref_sink (target) : NULL;

  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text, button, action, sunk, flags);
}

static void
say (LanyardSession *self,
     const char     *text)
{
  message (self, LANYARD_MESSAGE_NORMAL, NULL, NULL, NULL, text);
}

static void
set_keyring_locked (LanyardSession *self,
                    gboolean        locked)
{
  if (self->keyring_locked == locked)
    return;

  self->keyring_locked = locked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_LOCKED]);
}

static void
say_error (LanyardSession *self,
           const GError   *error)
{
  g_autofree char *text = lanyard_error_to_text (error);

  g_message ("%s", text);

  if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED))
    message (self, LANYARD_MESSAGE_IMPORTANT, _("_Sign In"), "app.sign-in", NULL, text);
  else if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED))
    {
      set_keyring_locked (self, TRUE);
      message (self, LANYARD_MESSAGE_IMPORTANT | LANYARD_MESSAGE_KEYRING,
               _("_Unlock"), "app.unlock-keyring", NULL, text);
    }
  else
    message (self, LANYARD_MESSAGE_IMPORTANT, NULL, NULL, NULL, text);
}

/* Accounts --------------------------------------------------------------- */

static gboolean
authority_equal (const char *a,
                 const char *b)
{
  g_autoptr(LanyardAuthority) pa = NULL;
  g_autoptr(LanyardAuthority) pb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;

  pa = lanyard_authority_parse (a, NULL);
  pb = lanyard_authority_parse (b, NULL);
  if (pa == NULL || pb == NULL)
    return g_str_equal (a, b);

  return g_str_equal (lanyard_authority_get_url (pa), lanyard_authority_get_url (pb));
}

/* An account signed in with another provider or client id is not signed in
 * here: its tokens are not for this configuration. */
static gboolean
belongs_here (LanyardSession *self,
              LanyardAccount *account)
{
  return g_strcmp0 (lanyard_account_get_client_id (account), self->config->client_id) == 0 &&
         authority_equal (lanyard_account_get_authority (account), self->config->authority);
}

static LanyardAccount *
find_account (LanyardSession *self,
              const char     *account_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n && account_id != NULL; i++)
    {
      g_autoptr(LanyardAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_str_equal (lanyard_account_get_id (account), account_id))
        return account;   /* the list holds it */
    }

  return NULL;
}

static void
set_account (LanyardSession *self,
             LanyardAccount *account)
{
  if (self->account == account)
    return;

  if (self->account == NULL || account == NULL ||
      !g_str_equal (lanyard_account_get_id (self->account), lanyard_account_get_id (account)))
    self->renewal_tried = FALSE;

  g_set_object (&self->account, account);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  update_can (self);
}

/* The page shows when the tokens expire; if that has passed, renew once
 * instead of showing a dead token. */
static void
renew_if_expired (LanyardSession *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 expires_at;

  if (self->account == NULL || self->renewal_tried || self->busy > 0)
    return;

  expires_at = lanyard_account_get_access_token_expires_at (self->account);
  if (expires_at > 0 && expires_at <= now &&
      lanyard_account_get_refresh_token (self->account) != NULL)
    {
      self->renewal_tried = TRUE;
      refresh (self, FALSE);
    }
}

/* Signed in as @account (NULL: the newest account left, else signed out). */
static void
show_account (LanyardSession *self,
              LanyardAccount *account)
{
  if (account == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) > 0)
    account = g_list_model_get_item (G_LIST_MODEL (self->accounts), 0), g_object_unref (account);

  set_account (self, account);
  set_state (self, account ? LANYARD_SESSION_STATE_SIGNED_IN : LANYARD_SESSION_STATE_SIGNED_OUT);
  renew_if_expired (self);
}

/* The client's live list, filtered to this configuration; the current
 * account follows its id to the newest copy. */
static void
client_accounts_changed_cb (LanyardSession *self,
                            guint           position,
                            guint           removed,
                            guint           added,
                            GListModel     *all)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (all);
  guint old_n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  gboolean same = TRUE;
  LanyardAccount *current;

  for (guint i = 0; i < n; i++)
    {
      LanyardAccount *account = g_list_model_get_item (all, i);

      if (belongs_here (self, account))
        g_ptr_array_add (mine, account);
      else
        g_object_unref (account);
    }

  same = mine->len == old_n;
  for (guint i = 0; i < old_n && same; i++)
    {
      g_autoptr(LanyardAccount) held = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      same = held == g_ptr_array_index (mine, i);
    }
  if (!same)
    g_list_store_splice (self->accounts, 0, old_n, mine->pdata, mine->len);

  if (self->account == NULL)
    {
      update_can (self);
      return;
    }

  current = find_account (self, lanyard_account_get_id (self->account));
  if (current != NULL)
    set_account (self, current);
  else if (self->state == LANYARD_SESSION_STATE_SIGNED_IN)
    /* Signed out, here or elsewhere: the next account, as account switchers do. */
    show_account (self, NULL);
  else
    set_account (self, NULL);
}

static void
accounts_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *default_id = NULL;

  listed = lanyard_client_list_accounts_finish (LANYARD_CLIENT (object), result, &error);

  if (session_gone (self) || LANYARD_CLIENT (object) != self->client)
    return;

  end_busy (self);

  if (listed == NULL)
    {
      if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED))
        {
          set_keyring_locked (self, TRUE);
          message (self, LANYARD_MESSAGE_IMPORTANT | LANYARD_MESSAGE_KEYRING,
                   _("_Unlock"), "app.unlock-keyring", NULL,
                   _("The keyring is locked. Unlock it to use your saved sign-in, or sign in "
                     "for this session only."));
        }
      else if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE))
        say (self, _("No keyring is available. Sign-ins last for this session only."));
      else
        say_error (self, error);
    }
  else
    set_keyring_locked (self, FALSE);

  if (self->state == LANYARD_SESSION_STATE_WAITING)
    return;

  default_id = lanyard_client_dup_default_account_id (self->client);
  show_account (self, find_account (self, default_id));
}

/* From the keyring only: no network. */
static void
load_accounts (LanyardSession *self)
{
  begin_busy (self);
  lanyard_client_list_accounts_async (self->client, self->cancellable,
                                      accounts_listed_cb, g_object_ref (self));
}

/* Configuration ---------------------------------------------------------- */

static gboolean
config_is_complete (const LanyardConfig *config)
{
  return config->authority != NULL && *config->authority != '\0' &&
         config->client_id != NULL && *config->client_id != '\0';
}

static gboolean
config_equal (const LanyardConfig *a,
              const LanyardConfig *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->authority, b->authority) == 0 &&
         g_strcmp0 (a->client_id, b->client_id) == 0 &&
         g_strv_equal ((const char * const *)a->scopes, (const char * const *)b->scopes) &&
         g_strcmp0 (a->redirect_host, b->redirect_host) == 0 &&
         a->redirect_port == b->redirect_port &&
         g_strcmp0 (a->redirect_path, b->redirect_path) == 0 &&
         g_strcmp0 (a->ca_file, b->ca_file) == 0 &&
         a->timeout_seconds == b->timeout_seconds;
}

static void
take_string (char **field,
             char  *value)
{
  if (value != NULL && *value != '\0')
    {
      g_free (*field);
      *field = value;
    }
  else
    g_free (value);
}

/* Defaults, then GSettings, then the setup page's values kept in memory,
 * then LANYARD_* (which the session remembers as overridden). */
static LanyardConfig *
build_config (LanyardSession   *self,
              char           ***overridden)
{
  LanyardConfig *config = lanyard_config_new ();

  if (self->settings != NULL)
    {
      g_auto(GStrv) scopes = g_settings_get_strv (self->settings, "scopes");

      take_string (&config->authority, g_settings_get_string (self->settings, "authority"));
      take_string (&config->client_id, g_settings_get_string (self->settings, "client-id"));
      take_string (&config->redirect_host, g_settings_get_string (self->settings, "redirect-host"));
      if (scopes != NULL && scopes[0] != NULL)
        {
          g_strfreev (config->scopes);
          config->scopes = g_steal_pointer (&scopes);
        }
    }

  if (config->authority == NULL || *config->authority == '\0')
    take_string (&config->authority, g_strdup (self->setup_authority));
  if (config->client_id == NULL || *config->client_id == '\0')
    take_string (&config->client_id, g_strdup (self->setup_client_id));

  *overridden = lanyard_config_apply_environment (config);

  return config;
}

static void
drop_client (LanyardSession *self)
{
  g_cancellable_cancel (self->client_cancellable);
  g_clear_object (&self->client_cancellable);

  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (lanyard_client_get_accounts (self->client), self);
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_clear_object (&self->client);
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) > 0)
    g_list_store_remove_all (self->accounts);
  set_account (self, NULL);

  if (self->supports_sign_up || self->supports_device)
    {
      self->supports_sign_up = FALSE;
      self->supports_device = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUPPORTS_SIGN_UP]);
      update_can (self);
    }
}

static void
authorization_started_cb (LanyardSession *self,
                          const char     *uri,
                          LanyardClient  *client)
{
  g_free (self->sign_in_uri);
  self->sign_in_uri = g_strdup (uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_IN_URI]);
}

static void
browser_failed_cb (LanyardSession *self,
                   const GError   *error,
                   LanyardClient  *client)
{
  g_clear_error (&self->browser_error);
  self->browser_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BROWSER_ERROR]);
}

static void
supports_sign_up_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean supported;

  supported = lanyard_client_supports_sign_up_finish (LANYARD_CLIENT (object), result, &error);

  if (session_gone (self) || LANYARD_CLIENT (object) != self->client)
    return;

  /* Offline or a broken discovery document: no button that would fail. */
  if (error != NULL)
    g_debug ("Create Account is not offered: %s", error->message);

  if (self->supports_sign_up != supported)
    {
      self->supports_sign_up = supported;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUPPORTS_SIGN_UP]);
      update_can (self);
    }
}

static void
supports_device_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean supported;

  supported = lanyard_client_supports_device_sign_in_finish (LANYARD_CLIENT (object), result, &error);

  if (session_gone (self) || LANYARD_CLIENT (object) != self->client)
    return;

  if (error != NULL)
    g_debug ("Sign-in on another device is not offered: %s", error->message);
  g_debug ("Sign-in on another device: %s", supported ? "offered" : "not offered");

  self->supports_device = supported;
  update_can (self);
}

static void
device_code_cb (LanyardSession    *self,
                LanyardDeviceCode *code,
                LanyardClient     *client)
{
  g_set_object (&self->device_code, code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_CODE]);
}

static void
set_provider_name (LanyardSession *self)
{
  g_autoptr(LanyardAuthority) authority = NULL;

  g_clear_pointer (&self->provider_name, g_free);
  if (config_is_complete (self->config))
    self->provider_name = lanyard_authority_display_host (self->config->authority);

  /* The host only, as the header shows it: tests see settings applied live. */
  g_debug ("Provider: %s", self->provider_name ? self->provider_name : "(none)");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER_NAME]);
}

static void
reload_config (LanyardSession *self)
{
  g_autoptr(LanyardConfig) config = NULL;
  g_auto(GStrv) overridden = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->reload_source_id, g_source_remove);

  /* Never swap the client under a request that is still running. */
  if (self->state == LANYARD_SESSION_STATE_WAITING ||
      self->state == LANYARD_SESSION_STATE_DEVICE || self->busy > 0)
    {
      self->config_dirty = TRUE;
      return;
    }

  self->config_dirty = FALSE;
  config = build_config (self, &overridden);

  if (self->overridden == NULL ||
      !g_strv_equal ((const char * const *) overridden, (const char * const *) self->overridden))
    {
      g_strfreev (self->overridden);
      self->overridden = g_steal_pointer (&overridden);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERRIDDEN]);
    }

  if (self->config != NULL && config_equal (config, self->config))
    return;

  drop_client (self);
  g_clear_pointer (&self->config, lanyard_config_free);
  self->config = g_steal_pointer (&config);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
  set_provider_name (self);

  /* The core's rules, as for lanyard-cli and the setup page: a bad value
   * (from LANYARD_*, or GSettings written by hand) is said, not used. */
  if (config_is_complete (self->config) && lanyard_config_check (self->config, &error))
    self->client = lanyard_client_new (self->config, self->store, self->browser, &error);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  if (self->client == NULL)
    {
      set_state (self, LANYARD_SESSION_STATE_SETUP);
      if (error != NULL)
        say_error (self, error);
      return;
    }

  g_signal_connect_object (self->client, "authorization-started",
                           G_CALLBACK (authorization_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "browser-failed",
                           G_CALLBACK (browser_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "device-code",
                           G_CALLBACK (device_code_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (lanyard_client_get_accounts (self->client), "items-changed",
                           G_CALLBACK (client_accounts_changed_cb), self, G_CONNECT_SWAPPED);

  set_state (self, LANYARD_SESSION_STATE_LOADING);
  load_accounts (self);
}

static gboolean
reload_config_idle_cb (gpointer user_data)
{
  LanyardSession *self = user_data;

  self->reload_source_id = 0;
  reload_config (self);

  return G_SOURCE_REMOVE;
}

static void
settings_changed_cb (LanyardSession *self,
                     const char     *key,
                     GSettings      *settings)
{
  if (g_str_has_prefix (key, "window-"))
    return;

  /* Preferences write one key at a time: apply them together. */
  if (self->reload_source_id == 0)
    self->reload_source_id = g_idle_add (reload_config_idle_cb, self);
}

void
lanyard_session_setup (LanyardSession *self,
                       const char     *authority,
                       const char     *client_id)
{
  g_autofree char *a = NULL;
  g_autofree char *c = NULL;

  g_return_if_fail (LANYARD_IS_SESSION (self));
  g_return_if_fail (authority != NULL && client_id != NULL);

  a = g_strstrip (g_strdup (authority));
  c = g_strstrip (g_strdup (client_id));

  /* Kept in memory too: the environment or a missing schema may hide the settings. */
  g_free (self->setup_authority);
  self->setup_authority = g_strdup (a);
  g_free (self->setup_client_id);
  self->setup_client_id = g_strdup (c);

  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "authority", a);
      g_settings_set_string (self->settings, "client-id", c);
    }
  else
    say (self, _("Settings cannot be saved here: they are kept until Lanyard quits."));

  reload_config (self);
}

/* Sign-in ------------------------------------------------------------------ */

static void
set_sign_in_progress (LanyardSession *self,
                      gboolean        signing_up)
{
  g_clear_pointer (&self->sign_in_uri, g_free);
  g_clear_error (&self->browser_error);
  self->signing_up = signing_up;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_IN_URI]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BROWSER_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNING_UP]);
}

static void
set_device_progress (LanyardSession    *self,
                     LanyardDeviceCode *code,
                     gboolean           expired)
{
  if (self->device_code != code)
    {
      g_set_object (&self->device_code, code);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_CODE]);
    }

  if (self->device_expired != expired)
    {
      self->device_expired = expired;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_EXPIRED]);
      update_can (self);
    }
}

/* How a sign-in ended, in the browser or on another device. */
static void
sign_in_done (LanyardSession *self,
              LanyardAccount *account,
              const GError   *error,
              GAsyncResult   *result)
{
  const GError *keyring_error;

  g_clear_object (&self->sign_in_cancellable);
  set_device_progress (self, NULL, FALSE);

  if (account == NULL)
    {
      show_account (self, self->account);
      /* Cancel was pressed here: nothing to explain. */
      if (!lanyard_error_is_cancelled (error))
        say_error (self, error);
    }
  else
    {
      self->renewal_tried = FALSE;
      /* The live list has it by now (in this configuration's list unless
       * the provider answered for another: then as is). */
      show_account (self, find_account (self, lanyard_account_get_id (account)) ?: account);

      keyring_error = lanyard_client_sign_in_get_keyring_error (result);
      if (g_error_matches (keyring_error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED))
        {
          set_keyring_locked (self, TRUE);
          message (self, LANYARD_MESSAGE_IMPORTANT | LANYARD_MESSAGE_KEYRING,
                   _("_Unlock"), "app.unlock-keyring", NULL,
                   _("Signed in for this session only: the keyring is locked"));
        }
      else if (keyring_error != NULL)
        say (self, _("Signed in for this session only: no keyring is available"));
    }

  set_sign_in_progress (self, FALSE);

  if (self->config_dirty)
    reload_config (self);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_sign_in_finish (LANYARD_CLIENT (object), result, &error);

  if (session_gone (self))
    return;

  sign_in_done (self, account, error, result);
}

static void
start_sign_in (LanyardSession *self,
               const char     *prompt,
               const char     *login_hint)
{
  LanyardSignInOptions options = { 0 };

  options.prompt = prompt;
  options.login_hint = login_hint;

  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  /* The session going away cancels the sign-in too. */
  g_signal_connect_object (self->cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->sign_in_cancellable,
                           G_CONNECT_SWAPPED);

  set_sign_in_progress (self, g_strcmp0 (prompt, "create") == 0);
  set_state (self, LANYARD_SESSION_STATE_WAITING);

  lanyard_client_sign_in_async (self->client, &options, self->sign_in_cancellable,
                                sign_in_cb, g_object_ref (self));
}

void
lanyard_session_sign_in (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  if (!self->can[CAN_SIGN_IN])
    return;

  /* Signing in again (the session ended): offer the same account. */
  start_sign_in (self, NULL, self->account ? lanyard_account_get_username (self->account) : NULL);
}

void
lanyard_session_sign_up (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  /* OpenID Connect Prompt Create; Entra External ID opens its sign-up page. */
  if (self->can[CAN_SIGN_UP])
    start_sign_in (self, "create", NULL);
}

void
lanyard_session_add_account (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  /* The provider asks which account, instead of reusing its session. */
  if (self->can[CAN_ADD_ACCOUNT])
    start_sign_in (self, "select_account", NULL);
}

void
lanyard_session_cancel (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  if (self->can[CAN_CANCEL] && self->sign_in_cancellable != NULL)
    g_cancellable_cancel (self->sign_in_cancellable);
  else if (self->state == LANYARD_SESSION_STATE_DEVICE)
    {
      /* An expired code's page: nothing runs, just leave it. */
      set_device_progress (self, NULL, FALSE);
      show_account (self, self->account);
      if (self->config_dirty)
        reload_config (self);
    }
}

/* Sign-in on another device ------------------------------------------------- */

static void
sign_in_device_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_sign_in_device_finish (LANYARD_CLIENT (object), result, &error);

  if (session_gone (self))
    return;

  /* The code ran out: stay on its page, which offers a new one (the page
   * says so; no message repeats it). */
  if (account == NULL && g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT) &&
      self->device_code != NULL)
    {
      g_clear_object (&self->sign_in_cancellable);
      set_device_progress (self, self->device_code, TRUE);
      return;
    }

  sign_in_done (self, account, error, result);
}

void
lanyard_session_sign_in_device (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  if (!self->can[CAN_SIGN_IN_DEVICE])
    return;

  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  /* The session going away cancels the sign-in too. */
  g_signal_connect_object (self->cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->sign_in_cancellable,
                           G_CONNECT_SWAPPED);

  set_device_progress (self, NULL, FALSE);
  set_state (self, LANYARD_SESSION_STATE_DEVICE);

  lanyard_client_sign_in_device_async (self->client, self->sign_in_cancellable,
                                       sign_in_device_cb, g_object_ref (self));
}

void
lanyard_session_switch_account (LanyardSession *self,
                                const char     *account_id)
{
  LanyardAccount *account;

  g_return_if_fail (LANYARD_IS_SESSION (self));
  g_return_if_fail (account_id != NULL);

  if (!self->can[CAN_SWITCH_ACCOUNT])
    return;

  account = find_account (self, account_id);
  if (account == NULL)
    {
      g_debug ("No account %s to switch to", account_id);
      return;
    }

  /* Offline: the account is in memory. The next start restores it. */
  lanyard_client_set_default_account_id (self->client, account_id);
  show_account (self, account);
}

/* Renewal ------------------------------------------------------------------ */

typedef struct {
  LanyardSession *self;
  gboolean        announce;   /* a renewal asked for says so when done */
} Refresh;

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autofree Refresh *data = user_data;
  g_autoptr(LanyardSession) self = data->self;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_acquire_token_silent_finish (LANYARD_CLIENT (object), result, &error);

  if (session_gone (self))
    return;

  end_busy (self);

  if (account != NULL)
    {
      if (self->account != NULL &&
          g_str_equal (lanyard_account_get_id (self->account), lanyard_account_get_id (account)))
        set_account (self, find_account (self, lanyard_account_get_id (account)) ?: account);
      if (data->announce)
        say (self, _("Tokens renewed"));
    }
  else
    {
      /* The core may have dropped a dead refresh token: the page shows it. */
      if (self->account != NULL)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
      update_can (self);
      say_error (self, error);
    }
}

static void
refresh (LanyardSession *self,
         gboolean        announce)
{
  Refresh *data = g_new0 (Refresh, 1);

  g_assert (self->client != NULL && self->account != NULL);

  data->self = g_object_ref (self);
  data->announce = announce;

  begin_busy (self);
  lanyard_client_acquire_token_silent_async (self->client,
                                             lanyard_account_get_id (self->account),
                                             NULL, TRUE, self->cancellable,
                                             refresh_cb, data);
}

void
lanyard_session_refresh (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  if (self->can[CAN_REFRESH])
    refresh (self, TRUE);
}

/* Sign-out ----------------------------------------------------------------- */

static void
sign_out_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(LanyardSignOutResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  outcome = lanyard_client_sign_out_finish (LANYARD_CLIENT (object), result, &error);

  if (session_gone (self))
    return;

  end_busy (self);

  if (outcome == NULL)
    {
      say_error (self, error);
      return;
    }

  if (outcome->revoke_error != NULL)
    {
      g_autofree char *reason = lanyard_error_to_text (outcome->revoke_error);

      /* Translators: %s says why, e.g. "Could not reach the provider: …" */
      text = g_strdup_printf (_("Signed out on this computer, but the provider did not "
                                "revoke the session: %s"), reason);
      message (self, LANYARD_MESSAGE_IMPORTANT, NULL, NULL, NULL, text);
    }
  else if (outcome->browser_error != NULL && outcome->logout_uri != NULL)
    {
      g_autofree char *reason = lanyard_error_to_text (outcome->browser_error);

      /* Translators: %s says why the browser did not open */
      text = g_strdup_printf (_("Signed out on this computer. To end the session at the "
                                "provider too, open its sign-out page: %s"), reason);
      message (self, LANYARD_MESSAGE_IMPORTANT | LANYARD_MESSAGE_LONG,
               _("Copy _Link"), "win.copy-text", g_variant_new_string (outcome->logout_uri), text);
    }
  else if (outcome->browser_opened)
    say (self, _("Signed out. Confirm in your browser to sign out at the provider too."));
  else
    say (self, _("Signed out"));
}

void
lanyard_session_sign_out (LanyardSession *self,
                          const char     *account_id)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  if (!self->can[CAN_SIGN_OUT])
    return;

  if (account_id == NULL)
    account_id = lanyard_account_get_id (self->account);
  else if (find_account (self, account_id) == NULL)
    {
      g_debug ("No account %s to sign out", account_id);
      return;
    }

  begin_busy (self);
  lanyard_client_sign_out_async (self->client, account_id, TRUE, self->cancellable,
                                 sign_out_cb, g_object_ref (self));
}

/* Keyring ------------------------------------------------------------------ */

static void
save_account_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_save_account_finish (LANYARD_CLIENT (object), result, &error);

  if (session_gone (self))
    return;

  end_busy (self);

  if (account != NULL)
    say (self, _("Saved in the keyring"));
  else
    say_error (self, error);
}

/* With the keyring unlocked, what is on screen may be a session-only copy
 * (a sign-in or renewal the locked keyring refused): save it. */
static void
unlocked_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *default_id = NULL;

  listed = lanyard_client_list_accounts_finish (LANYARD_CLIENT (object), result, &error);

  if (session_gone (self))
    return;

  if (self->account != NULL && lanyard_account_get_session_only (self->account))
    {
      lanyard_client_save_account_async (LANYARD_CLIENT (object), self->account, self->cancellable,
                                         save_account_cb, g_object_ref (self));
      return;
    }

  end_busy (self);
  say (self, _("The keyring is unlocked"));

  /* The same restore as at start-up, now that the keyring can answer. */
  if (self->account == NULL)
    {
      default_id = lanyard_client_dup_default_account_id (self->client);
      show_account (self, find_account (self, default_id));
    }
}

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lanyard_client_unlock_keyring_finish (LANYARD_CLIENT (object), result, &error))
    {
      if (session_gone (self))
        return;

      end_busy (self);
      /* The person closed the dialog: theirs to decide, and to try again. */
      if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED))
        message (self, LANYARD_MESSAGE_KEYRING, _("_Try Again"), "app.unlock-keyring", NULL,
                 _("The keyring was not unlocked"));
      else
        say_error (self, error);
      return;
    }

  if (session_gone (self))
    return;

  set_keyring_locked (self, FALSE);
  lanyard_client_list_accounts_async (LANYARD_CLIENT (object), self->cancellable,
                                      unlocked_listed_cb, g_object_ref (self));
}

void
lanyard_session_unlock (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  if (!self->can[CAN_UNLOCK])
    return;

  /* Busy: one unlock at a time, and no flow changing the account under it. */
  begin_busy (self);
  lanyard_client_unlock_keyring_async (self->client, self->cancellable,
                                       unlock_cb, g_object_ref (self));
}

/* GObject ------------------------------------------------------------------ */

static void
lanyard_session_constructed (GObject *object)
{
  LanyardSession *self = (LanyardSession *)object;

  G_OBJECT_CLASS (lanyard_session_parent_class)->constructed (object);

  if (self->store == NULL)
    self->store = lanyard_account_store_new ();

  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }

  /* An empty configuration to compare the first real one with. */
  reload_config (self);
}

static void
lanyard_session_dispose (GObject *object)
{
  LanyardSession *self = (LanyardSession *)object;

  /* Callbacks still in flight see this and touch nothing. */
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_handle_id (&self->reload_source_id, g_source_remove);

  drop_client (self);
  g_clear_object (&self->browser);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

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
