/* lanyard-session-accounts.c — the session's accounts and the keyring
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The accounts of this configuration (a filter of the client's live list),
 * the current one, switching, renewal, sign-out, and unlocking the keyring.
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-session-private.h"
#include "lanyard-text.h"

static void refresh (LanyardSession *self,
                     gboolean        announce);

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

LanyardAccount *
_lanyard_session_find_account (LanyardSession *self,
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

void
_lanyard_session_set_account (LanyardSession *self,
                              LanyardAccount *account)
{
  if (self->account == account)
    return;

  if (self->account == NULL || account == NULL ||
      !g_str_equal (lanyard_account_get_id (self->account), lanyard_account_get_id (account)))
    self->renewal_tried = FALSE;

  g_set_object (&self->account, account);
  _lanyard_session_notify (self, PROP_ACCOUNT);
  _lanyard_session_update_can (self);
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
void
_lanyard_session_show_account (LanyardSession *self,
                               LanyardAccount *account)
{
  if (account == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) > 0)
    account = g_list_model_get_item (G_LIST_MODEL (self->accounts), 0), g_object_unref (account);

  _lanyard_session_set_account (self, account);
  _lanyard_session_set_state (self, account ? LANYARD_SESSION_STATE_SIGNED_IN
                              : LANYARD_SESSION_STATE_SIGNED_OUT);
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
      _lanyard_session_update_can (self);
      return;
    }

  current = _lanyard_session_find_account (self, lanyard_account_get_id (self->account));
  if (current != NULL)
    _lanyard_session_set_account (self, current);
  else if (self->state == LANYARD_SESSION_STATE_SIGNED_IN)
    /* Signed out, here or elsewhere: the next account, as account switchers do. */
    _lanyard_session_show_account (self, NULL);
  else
    _lanyard_session_set_account (self, NULL);
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

  if (_lanyard_session_gone (self) || LANYARD_CLIENT (object) != self->client)
    return;

  _lanyard_session_end_busy (self);

  if (listed == NULL)
    {
      if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED))
        {
          _lanyard_session_set_keyring_locked (self, TRUE);
          _lanyard_session_message (self, LANYARD_MESSAGE_IMPORTANT | LANYARD_MESSAGE_KEYRING,
                                    _("_Unlock"), "app.unlock-keyring", NULL,
                                    _("The keyring is locked. Unlock it to use your saved "
                                      "sign-in, or sign in for this session only."));
        }
      else if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE))
        _lanyard_session_say (self, _("No keyring is available. Sign-ins last for this "
                                      "session only."));
      else
        _lanyard_session_say_error (self, error);
    }
  else
    _lanyard_session_set_keyring_locked (self, FALSE);

  if (self->state == LANYARD_SESSION_STATE_WAITING)
    return;

  default_id = lanyard_client_dup_default_account_id (self->client);
  _lanyard_session_show_account (self, _lanyard_session_find_account (self, default_id));
}

/* From the keyring only: no network. */
void
_lanyard_session_load_accounts (LanyardSession *self)
{
  g_signal_connect_object (lanyard_client_get_accounts (self->client), "items-changed",
                           G_CALLBACK (client_accounts_changed_cb), self, G_CONNECT_SWAPPED);

  _lanyard_session_begin_busy (self);
  lanyard_client_list_accounts_async (self->client, self->cancellable,
                                      accounts_listed_cb, g_object_ref (self));
}

/* Switching -------------------------------------------------------------- */

void
lanyard_session_switch_account (LanyardSession *self,
                                const char     *account_id)
{
  LanyardAccount *account;

  g_return_if_fail (LANYARD_IS_SESSION (self));
  g_return_if_fail (account_id != NULL);

  if (!self->can[CAN_SWITCH_ACCOUNT])
    return;

  account = _lanyard_session_find_account (self, account_id);
  if (account == NULL)
    {
      g_debug ("No account %s to switch to", account_id);
      return;
    }

  /* Offline: the account is in memory. The next start restores it. */
  lanyard_client_set_default_account_id (self->client, account_id);
  _lanyard_session_show_account (self, account);
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

  if (_lanyard_session_gone (self))
    return;

  _lanyard_session_end_busy (self);

  if (account != NULL)
    {
      if (self->account != NULL &&
          g_str_equal (lanyard_account_get_id (self->account), lanyard_account_get_id (account)))
        {
          const char *id = lanyard_account_get_id (account);

          _lanyard_session_set_account (self, _lanyard_session_find_account (self, id) ?: account);
        }
      if (data->announce)
        _lanyard_session_say (self, _("Tokens renewed"));
    }
  else
    {
      /* The core may have dropped a dead refresh token: the page shows it. */
      if (self->account != NULL)
        _lanyard_session_notify (self, PROP_ACCOUNT);
      _lanyard_session_update_can (self);
      _lanyard_session_say_error (self, error);
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

  _lanyard_session_begin_busy (self);
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

  if (_lanyard_session_gone (self))
    return;

  _lanyard_session_end_busy (self);

  if (outcome == NULL)
    {
      _lanyard_session_say_error (self, error);
      return;
    }

  if (outcome->revoke_error != NULL)
    {
      g_autofree char *reason = lanyard_error_to_text (outcome->revoke_error);

      /* Translators: %s says why, e.g. "Could not reach the provider: …" */
      text = g_strdup_printf (_("Signed out on this computer, but the provider did not "
                                "revoke the session: %s"), reason);
      _lanyard_session_message (self, LANYARD_MESSAGE_IMPORTANT, NULL, NULL, NULL, text);
    }
  else if (outcome->browser_error != NULL && outcome->logout_uri != NULL)
    {
      g_autofree char *reason = lanyard_error_to_text (outcome->browser_error);

      /* Translators: %s says why the browser did not open */
      text = g_strdup_printf (_("Signed out on this computer. To end the session at the "
                                "provider too, open its sign-out page: %s"), reason);
      _lanyard_session_message (self, LANYARD_MESSAGE_IMPORTANT | LANYARD_MESSAGE_LONG,
                                _("Copy _Link"), "win.copy-text",
                                g_variant_new_string (outcome->logout_uri), text);
    }
  else if (outcome->browser_opened)
    _lanyard_session_say (self, _("Signed out. Confirm in your browser to sign out at the "
                                  "provider too."));
  else
    _lanyard_session_say (self, _("Signed out"));
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
  else if (_lanyard_session_find_account (self, account_id) == NULL)
    {
      g_debug ("No account %s to sign out", account_id);
      return;
    }

  _lanyard_session_begin_busy (self);
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

  if (_lanyard_session_gone (self))
    return;

  _lanyard_session_end_busy (self);

  if (account != NULL)
    _lanyard_session_say (self, _("Saved in the keyring"));
  else
    _lanyard_session_say_error (self, error);
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

  if (_lanyard_session_gone (self))
    return;

  if (self->account != NULL && lanyard_account_get_session_only (self->account))
    {
      lanyard_client_save_account_async (LANYARD_CLIENT (object), self->account, self->cancellable,
                                         save_account_cb, g_object_ref (self));
      return;
    }

  _lanyard_session_end_busy (self);
  _lanyard_session_say (self, _("The keyring is unlocked"));

  /* The same restore as at start-up, now that the keyring can answer. */
  if (self->account == NULL)
    {
      default_id = lanyard_client_dup_default_account_id (self->client);
      _lanyard_session_show_account (self, _lanyard_session_find_account (self, default_id));
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
      if (_lanyard_session_gone (self))
        return;

      _lanyard_session_end_busy (self);
      /* The person closed the dialog: theirs to decide, and to try again. */
      if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED))
        _lanyard_session_message (self, LANYARD_MESSAGE_KEYRING,
                                  _("_Try Again"), "app.unlock-keyring", NULL,
                                  _("The keyring was not unlocked"));
      else
        _lanyard_session_say_error (self, error);
      return;
    }

  if (_lanyard_session_gone (self))
    return;

  _lanyard_session_set_keyring_locked (self, FALSE);
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
  _lanyard_session_begin_busy (self);
  lanyard_client_unlock_keyring_async (self->client, self->cancellable,
                                       unlock_cb, g_object_ref (self));
}
