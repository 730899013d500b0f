/* lanyard-session-sign-in.c — the session's sign-ins
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * In the browser (Sign In, Create Account, Add Another Account, a claims
 * challenge) or on another device (RFC 8628), with Cancel; what the waiting
 * and device pages show meanwhile, from the core's LanyardSignIn.
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-session-private.h"
#include "lanyard-text.h"

static void
set_sign_in_phase (LanyardSession     *self,
                   LanyardSignInPhase  phase)
{
  if (self->sign_in_phase == phase)
    return;

  self->sign_in_phase = phase;
  _lanyard_session_notify (self, PROP_SIGN_IN_PHASE);
}

static void
set_sign_in_progress (LanyardSession *self,
                      gboolean        signing_up)
{
  g_clear_pointer (&self->sign_in_uri, g_free);
  g_clear_error (&self->browser_error);
  self->signing_up = signing_up;
  _lanyard_session_notify (self, PROP_SIGN_IN_URI);
  _lanyard_session_notify (self, PROP_BROWSER_ERROR);
  _lanyard_session_notify (self, PROP_SIGNING_UP);
  set_sign_in_phase (self, LANYARD_SIGN_IN_PHASE_NOT_STARTED);
}

static void
set_device_progress (LanyardSession    *self,
                     LanyardDeviceCode *code,
                     gboolean           expired)
{
  if (self->device_code != code)
    {
      g_set_object (&self->device_code, code);
      _lanyard_session_notify (self, PROP_DEVICE_CODE);
    }

  if (self->device_expired != expired)
    {
      self->device_expired = expired;
      _lanyard_session_notify (self, PROP_DEVICE_EXPIRED);
      _lanyard_session_update_can (self);
    }
}

/* The pages show what the current sign-in says (its page, the browser's
 * failure, the device code, its phase); a sign-in that was replaced says
 * nothing. */
static void
sign_in_notify_cb (LanyardSession *self,
                   GParamSpec     *pspec,
                   LanyardSignIn  *sign_in)
{
  const char *name = g_param_spec_get_name (pspec);

  if (sign_in != self->sign_in)
    return;

  if (g_str_equal (name, "uri"))
    {
      g_free (self->sign_in_uri);
      self->sign_in_uri = g_strdup (lanyard_sign_in_get_uri (sign_in));
      _lanyard_session_notify (self, PROP_SIGN_IN_URI);
    }
  else if (g_str_equal (name, "browser-error"))
    {
      const GError *error = lanyard_sign_in_get_browser_error (sign_in);

      g_clear_error (&self->browser_error);
      self->browser_error = error ? g_error_copy (error) : NULL;
      _lanyard_session_notify (self, PROP_BROWSER_ERROR);
    }
  else if (g_str_equal (name, "device-code"))
    set_device_progress (self, lanyard_sign_in_get_device_code (sign_in), FALSE);
  else if (g_str_equal (name, "phase"))
    set_sign_in_phase (self, lanyard_sign_in_get_phase (sign_in));
}

/* How a sign-in ended, in the browser or on another device. */
static void
sign_in_done (LanyardSession *self,
              LanyardAccount *account,
              const GError   *error)
{
  const GError *keyring_error;

  g_clear_object (&self->sign_in_cancellable);
  g_clear_object (&self->sign_in);
  set_device_progress (self, NULL, FALSE);

  if (account == NULL)
    {
      _lanyard_session_show_account (self, self->account);
      /* Cancel was pressed here: nothing to explain. */
      if (!lanyard_error_is_cancelled (error))
        _lanyard_session_say_error (self, error);
    }
  else
    {
      const char *id = lanyard_account_get_id (account);

      self->renewal_tried = FALSE;
      /* The live list has it by now (in this configuration's list unless
       * the provider answered for another: then as is). */
      _lanyard_session_show_account (self, _lanyard_session_find_account (self, id) ?: account);

      keyring_error = lanyard_account_get_session_only (account)
                      ? lanyard_account_get_storage_error (account) : NULL;
      if (g_error_matches (keyring_error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED))
        {
          _lanyard_session_set_keyring_locked (self, TRUE);
          _lanyard_session_message (self, LANYARD_MESSAGE_IMPORTANT | LANYARD_MESSAGE_KEYRING,
                                    _("_Unlock"), "app.unlock-keyring", NULL,
                                    _("Signed in for this session only: the keyring is locked"));
        }
      else if (keyring_error != NULL)
        _lanyard_session_say (self, _("Signed in for this session only: no keyring is available"));
    }

  set_sign_in_progress (self, FALSE);

  if (self->config_dirty)
    _lanyard_session_reload_config (self);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LanyardSession) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_sign_in_run_finish (LANYARD_SIGN_IN (object), result, &error);

  if (_lanyard_session_gone (self))
    return;

  sign_in_done (self, account, error);
}

/* The session's one sign-in, with its own cancellable for Cancel: a new
 * one cancels the one before (the session shows one at a time; the core
 * would let both run). */
static LanyardSignIn *
new_sign_in (LanyardSession    *self,
             LanyardSignInFlow  flow)
{
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  /* The session going away cancels the sign-in too. */
  g_signal_connect_object (self->cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->sign_in_cancellable,
                           G_CONNECT_SWAPPED);

  g_clear_object (&self->sign_in);
  set_sign_in_phase (self, LANYARD_SIGN_IN_PHASE_NOT_STARTED);
  self->sign_in = lanyard_sign_in_new (self->client);
  lanyard_sign_in_set_flow (self->sign_in, flow);
  g_signal_connect_object (self->sign_in, "notify", G_CALLBACK (sign_in_notify_cb), self,
                           G_CONNECT_SWAPPED);

  return self->sign_in;
}

static void
start_sign_in (LanyardSession     *self,
               const char         *prompt,
               const char         *login_hint,
               const char         *claims,
               const char * const *scopes)
{
  LanyardSignIn *sign_in = new_sign_in (self, LANYARD_SIGN_IN_FLOW_BROWSER);

  lanyard_sign_in_set_prompt (sign_in, prompt);
  lanyard_sign_in_set_login_hint (sign_in, login_hint);
  lanyard_sign_in_set_claims (sign_in, claims);
  lanyard_sign_in_set_extra_scopes (sign_in, scopes);

  set_sign_in_progress (self, g_strcmp0 (prompt, "create") == 0);
  _lanyard_session_set_state (self, LANYARD_SESSION_STATE_WAITING);

  lanyard_sign_in_run_async (sign_in, self->sign_in_cancellable, sign_in_cb, g_object_ref (self));
}

void
lanyard_session_sign_in (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  if (!self->can[CAN_SIGN_IN])
    return;

  /* Signing in again (the session ended): offer the same account. */
  start_sign_in (self, NULL, self->account ? lanyard_account_get_username (self->account) : NULL,
                 NULL, NULL);
}

void
lanyard_session_sign_in_with_claims (LanyardSession     *self,
                                     const char         *claims,
                                     const char * const *scopes)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  if (!self->can[CAN_SIGN_IN])
    return;

  /* As MSAL answers a claims challenge: the same account, asked again for
   * what the API wants (a bad challenge fails the sign-in, said in words). */
  start_sign_in (self, NULL, self->account ? lanyard_account_get_username (self->account) : NULL,
                 claims, scopes);
}

void
lanyard_session_sign_up (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  /* OpenID Connect Prompt Create; Entra External ID opens its sign-up page. */
  if (self->can[CAN_SIGN_UP])
    start_sign_in (self, "create", NULL, NULL, NULL);
}

void
lanyard_session_add_account (LanyardSession *self)
{
  g_return_if_fail (LANYARD_IS_SESSION (self));

  /* The provider asks which account, instead of reusing its session. */
  if (self->can[CAN_ADD_ACCOUNT])
    start_sign_in (self, "select_account", NULL, NULL, NULL);
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
      _lanyard_session_show_account (self, self->account);
      if (self->config_dirty)
        _lanyard_session_reload_config (self);
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

  account = lanyard_sign_in_run_finish (LANYARD_SIGN_IN (object), result, &error);

  if (_lanyard_session_gone (self))
    return;

  /* The code ran out: stay on its page, which offers a new one (the page
   * says so; no message repeats it). */
  if (account == NULL && g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT) &&
      self->device_code != NULL)
    {
      g_clear_object (&self->sign_in_cancellable);
      g_clear_object (&self->sign_in);
      set_sign_in_phase (self, LANYARD_SIGN_IN_PHASE_NOT_STARTED);
      set_device_progress (self, self->device_code, TRUE);
      return;
    }

  sign_in_done (self, account, error);
}

void
lanyard_session_sign_in_device (LanyardSession *self)
{
  LanyardSignIn *sign_in;

  g_return_if_fail (LANYARD_IS_SESSION (self));

  if (!self->can[CAN_SIGN_IN_DEVICE])
    return;

  sign_in = new_sign_in (self, LANYARD_SIGN_IN_FLOW_DEVICE_CODE);

  set_device_progress (self, NULL, FALSE);
  _lanyard_session_set_state (self, LANYARD_SESSION_STATE_DEVICE);

  lanyard_sign_in_run_async (sign_in, self->sign_in_cancellable, sign_in_device_cb, g_object_ref (self));
}
