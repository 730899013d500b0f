/* lanyard-window.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-account-page.h"
#include "lanyard-application.h"
#include "lanyard-gtk-browser.h"
#include "lanyard-setup-page.h"
#include "lanyard-signed-out-page.h"
#include "lanyard-text.h"
#include "lanyard-waiting-page.h"
#include "lanyard-window.h"

struct _LanyardWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkSpinner           *busy_spinner;
  GtkStack             *stack;
  LanyardSetupPage     *setup_page;
  LanyardSignedOutPage *signed_out_page;
  LanyardWaitingPage   *waiting_page;
  LanyardAccountPage   *account_page;

  /* NULL when the schema is not installed (an uninstalled build). */
  GSettings            *settings;
  LanyardConfig        *config;
  LanyardAccountStore  *store;
  LanyardBrowser       *browser;
  LanyardClient        *client;
  LanyardAccount       *account;
  /* The toast that says the keyring is locked, until it is dismissed. */
  AdwToast             *keyring_toast;

  /* What the setup page collected when there is nowhere to save it. */
  char                 *session_authority;
  char                 *session_client_id;

  /* Cancelled when the window goes away: every callback checks it first. */
  GCancellable         *cancellable;
  /* The sign-in in flight, for the Cancel button. */
  GCancellable         *flow_cancellable;
  /* Account reloads, dropped when something newer happens. */
  GCancellable         *reload_cancellable;

  LanyardWindowState    state;
  guint                 busy;
  guint                 reload_source_id;
  guint                 config_dirty : 1;
  guint                 renewal_tried : 1;
  guint                 announce_refresh : 1;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_BUSY,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ENUM_TYPE (LanyardWindowState, lanyard_window_state,
                    G_DEFINE_ENUM_VALUE (LANYARD_WINDOW_STATE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (LANYARD_WINDOW_STATE_SETUP, "setup"),
                    G_DEFINE_ENUM_VALUE (LANYARD_WINDOW_STATE_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (LANYARD_WINDOW_STATE_WAITING, "waiting"),
                    G_DEFINE_ENUM_VALUE (LANYARD_WINDOW_STATE_SIGNED_IN, "signed-in"))

G_DEFINE_FINAL_TYPE (LanyardWindow, lanyard_window, ADW_TYPE_APPLICATION_WINDOW)

static void reload_config (LanyardWindow *self);

static gboolean
window_gone (LanyardWindow *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static void
set_state (LanyardWindow      *self,
           LanyardWindowState  state)
{
  static const char * const pages[] = {
    [LANYARD_WINDOW_STATE_LOADING] = "loading",
    [LANYARD_WINDOW_STATE_SETUP] = "setup",
    [LANYARD_WINDOW_STATE_SIGNED_OUT] = "signed-out",
    [LANYARD_WINDOW_STATE_WAITING] = "waiting",
    [LANYARD_WINDOW_STATE_SIGNED_IN] = "signed-in",
  };

  gtk_stack_set_visible_child_name (self->stack, pages[state]);

  if (self->state == state)
    return;

  self->state = state;
  /* Page names only, never account data: tests and bug reports follow the
   * window with G_MESSAGES_DEBUG=lanyard-app. */
  g_debug ("Page: %s", pages[state]);

  if (state == LANYARD_WINDOW_STATE_SETUP)
    lanyard_setup_page_focus (self->setup_page);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
busy_changed (LanyardWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), self->busy > 0);
  if (self->busy > 0)
    gtk_spinner_start (self->busy_spinner);
  else
    gtk_spinner_stop (self->busy_spinner);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
begin_busy (LanyardWindow *self)
{
  if (self->busy++ == 0)
    busy_changed (self);
}

static void
end_busy (LanyardWindow *self)
{
  g_return_if_fail (self->busy > 0);

  if (--self->busy == 0)
    {
      busy_changed (self);

      /* Settings changed while a request was out: apply them now. */
      if (self->config_dirty)
        reload_config (self);
    }
}

static void
drop_reload (LanyardWindow *self)
{
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();
}

AdwToast *
lanyard_toast_new (const char *text)
{
  AdwToast *toast = adw_toast_new ("");
  GtkWidget *label;

  /* A plain label instead of the title: libadwaita 1.2 ellipsizes titles
   * (an error's words would be cut) and parses them as markup. */
  label = g_object_new (GTK_TYPE_LABEL,
                        "label", text,
                        "wrap", TRUE,
                        "wrap-mode", PANGO_WRAP_WORD_CHAR,
                        "max-width-chars", 50,
                        "xalign", 0.0f,
                        NULL);
  gtk_widget_add_css_class (label, "heading");
  adw_toast_set_custom_title (toast, label);

  /* What the user is told, for the same readers as the page changes. Toasts
   * carry sentences for people, never tokens or codes (see lanyard-text.c). */
  g_debug ("Toast: %s", text);

  return toast;
}

/* The button is part of what the user is told: logged for the same readers. */
static void
toast_set_button (AdwToast   *toast,
                  const char *label,
                  const char *action_name)
{
  adw_toast_set_button_label (toast, label);
  adw_toast_set_action_name (toast, action_name);
  g_debug ("Toast button: %s (%s)", label, action_name);
}

static void
keyring_toast_dismissed_cb (LanyardWindow *self,
                            AdwToast      *toast)
{
  if (self->keyring_toast == toast)
    g_clear_object (&self->keyring_toast);
}

/* What such a toast says is out of date once the user acts on it. */
static void
dismiss_keyring_toast (LanyardWindow *self)
{
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->keyring_toast);

  if (toast != NULL)
    adw_toast_dismiss (toast);
}

/* Whatever failed on a locked keyring works once it is unlocked. One such
 * toast at a time: a newer one replaces the older. */
static void
offer_unlock (LanyardWindow *self,
              AdwToast      *toast)
{
  toast_set_button (toast, _("_Unlock"), "app.unlock-keyring");

  dismiss_keyring_toast (self);
  self->keyring_toast = g_object_ref (toast);
  g_signal_connect_object (toast, "dismissed",
                           G_CALLBACK (keyring_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
}

void
lanyard_window_add_toast (LanyardWindow *self,
                          const char    *text)
{
  g_return_if_fail (LANYARD_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, lanyard_toast_new (text));
}

void
lanyard_window_show_error (LanyardWindow *self,
                           const GError  *error)
{
  g_autofree char *text = NULL;
  AdwToast *toast;

  g_return_if_fail (LANYARD_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  text = lanyard_error_to_text (error);
  g_message ("%s", text);

  toast = lanyard_toast_new (text);
  /* Long enough to read a provider's error description. */
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);

  if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED))
    toast_set_button (toast, _("_Sign In"), "app.sign-in");
  else if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED))
    offer_unlock (self, toast);

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Configuration -------------------------------------------------------- */

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

static LanyardConfig *
build_config (LanyardWindow *self)
{
  LanyardConfig *config = lanyard_config_new_from_environment ();

  if ((config->authority == NULL || *config->authority == '\0') && self->session_authority)
    {
      g_free (config->authority);
      config->authority = g_strdup (self->session_authority);
    }

  if ((config->client_id == NULL || *config->client_id == '\0') && self->session_client_id)
    {
      g_free (config->client_id);
      config->client_id = g_strdup (self->session_client_id);
    }

  return config;
}

static void
drop_client (LanyardWindow *self)
{
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_clear_object (&self->client);
    }
}

static void
authorization_started_cb (LanyardWindow *self,
                          const char    *uri,
                          LanyardClient *client)
{
  lanyard_waiting_page_set_uri (self->waiting_page, uri);
}

static void
browser_failed_cb (LanyardWindow *self,
                   const GError  *error,
                   LanyardClient *client)
{
  lanyard_waiting_page_set_browser_error (self->waiting_page, error);
  /* The user has to act in this window now. */
  gtk_window_present (GTK_WINDOW (self));
}

static void show_account (LanyardWindow  *self,
                          LanyardAccount *account,
                          gboolean        renew_if_expired);

static void
reload_account_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LanyardWindow) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_get_account_finish (LANYARD_CLIENT (object), result, &error);

  if (window_gone (self) || lanyard_error_is_cancelled (error))
    return;

  if (account != NULL)
    show_account (self, account, FALSE);
  else if (error == NULL || g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND))
    {
      g_clear_object (&self->account);
      lanyard_account_page_set_account (self->account_page, NULL);
      set_state (self, LANYARD_WINDOW_STATE_SIGNED_OUT);
    }
}

static void
accounts_changed_cb (LanyardWindow *self,
                     LanyardClient *client)
{
  /* Only a quiet refresh of what is on screen; flows update the page themselves. */
  if (self->state != LANYARD_WINDOW_STATE_SIGNED_IN || self->busy > 0 || self->account == NULL)
    return;

  drop_reload (self);
  lanyard_client_get_account_async (client,
                                    lanyard_account_get_id (self->account),
                                    self->reload_cancellable,
                                    reload_account_cb,
                                    g_object_ref (self));
}

static void
load_account_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LanyardWindow) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_get_account_finish (LANYARD_CLIENT (object), result, &error);

  if (window_gone (self) || lanyard_error_is_cancelled (error))
    return;

  if (account != NULL)
    {
      show_account (self, account, TRUE);
      return;
    }

  set_state (self, LANYARD_WINDOW_STATE_SIGNED_OUT);

  if (error == NULL || g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND))
    return;

  if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED))
    {
      AdwToast *toast = lanyard_toast_new (_("The keyring is locked. Unlock it to use your "
                                             "saved sign-in, or sign in for this session only."));

      adw_toast_set_timeout (toast, 10);
      offer_unlock (self, toast);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE))
    lanyard_window_add_toast (self, _("No keyring is available. Sign-ins last for this "
                                      "session only."));
  else
    lanyard_window_show_error (self, error);
}

static void
load_account (LanyardWindow *self)
{
  g_assert (self->client != NULL);

  g_clear_object (&self->account);
  self->renewal_tried = FALSE;
  set_state (self, LANYARD_WINDOW_STATE_LOADING);

  /* From the keyring only: no network at start. */
  drop_reload (self);
  lanyard_client_get_account_async (self->client,
                                    NULL,
                                    self->reload_cancellable,
                                    load_account_cb,
                                    g_object_ref (self));
}

static void
update_provider_labels (LanyardWindow *self)
{
  g_autofree char *host = NULL;

  if (self->config != NULL && config_is_complete (self->config))
    host = lanyard_authority_display_host (self->config->authority);

  /* The host only, as the header shows it: tests see settings applied live. */
  g_debug ("Provider: %s", host ? host : "(none)");
  adw_window_title_set_subtitle (self->window_title, host ? host : "");
  lanyard_signed_out_page_set_provider (self->signed_out_page, host);
}

static void
show_setup (LanyardWindow *self)
{
  lanyard_setup_page_set_values (self->setup_page,
                                 self->config ? self->config->authority : NULL,
                                 self->config ? self->config->client_id : NULL);
  set_state (self, LANYARD_WINDOW_STATE_SETUP);
}

static void
reload_config (LanyardWindow *self)
{
  g_autoptr(LanyardConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->reload_source_id, g_source_remove);

  /* Never swap the client under a flow that is still running. */
  if (self->state == LANYARD_WINDOW_STATE_WAITING || self->busy > 0)
    {
      self->config_dirty = TRUE;
      return;
    }

  self->config_dirty = FALSE;
  config = build_config (self);

  if (self->client != NULL && config_equal (config, self->config))
    return;

  drop_client (self);
  g_clear_pointer (&self->config, lanyard_config_free);
  self->config = g_steal_pointer (&config);
  update_provider_labels (self);

  if (!config_is_complete (self->config))
    {
      show_setup (self);
      return;
    }

  self->client = lanyard_client_new (self->config, self->store, self->browser, &error);
  if (self->client == NULL)
    {
      show_setup (self);
      lanyard_window_show_error (self, error);
      return;
    }

  g_signal_connect_object (self->client, "authorization-started",
                           G_CALLBACK (authorization_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "browser-failed",
                           G_CALLBACK (browser_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "accounts-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);

  load_account (self);
}

static gboolean
reload_config_idle_cb (gpointer user_data)
{
  LanyardWindow *self = user_data;

  self->reload_source_id = 0;
  reload_config (self);

  return G_SOURCE_REMOVE;
}

static void
settings_changed_cb (LanyardWindow *self,
                     const char    *key,
                     GSettings     *settings)
{
  if (g_str_has_prefix (key, "window-"))
    return;

  /* Preferences write one key at a time: apply them together. */
  if (self->reload_source_id == 0)
    self->reload_source_id = g_idle_add (reload_config_idle_cb, self);
}

static void
setup_submitted_cb (LanyardWindow    *self,
                    LanyardSetupPage *page)
{
  g_autofree char *authority = g_strstrip (g_strdup (lanyard_setup_page_get_authority (page)));
  g_autofree char *client_id = g_strstrip (g_strdup (lanyard_setup_page_get_client_id (page)));

  /* Kept in memory too: the environment or a missing schema may hide the settings. */
  g_free (self->session_authority);
  self->session_authority = g_strdup (authority);
  g_free (self->session_client_id);
  self->session_client_id = g_strdup (client_id);

  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "authority", authority);
      g_settings_set_string (self->settings, "client-id", client_id);
    }
  else
    lanyard_window_add_toast (self, _("Settings cannot be saved here: they are kept until "
                                      "Lanyard quits."));

  reload_config (self);
}

/* Flows ----------------------------------------------------------------- */

static void refresh (LanyardWindow *self,
                     gboolean       force,
                     gboolean       announce);

static void
show_account (LanyardWindow  *self,
              LanyardAccount *account,
              gboolean        renew_if_expired)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 expires_at;

  if (self->account == NULL || account == NULL ||
      g_strcmp0 (lanyard_account_get_id (self->account), lanyard_account_get_id (account)) != 0)
    self->renewal_tried = FALSE;

  g_set_object (&self->account, account);
  lanyard_account_page_set_account (self->account_page, account);
  set_state (self, LANYARD_WINDOW_STATE_SIGNED_IN);

  /* The page says when the tokens expire; if that has passed, renew once
   * instead of showing a dead token. */
  expires_at = lanyard_account_get_access_token_expires_at (account);
  if (renew_if_expired && !self->renewal_tried && expires_at > 0 && expires_at <= now &&
      lanyard_account_get_refresh_token (account) != NULL)
    {
      self->renewal_tried = TRUE;
      refresh (self, FALSE, FALSE);
    }
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LanyardWindow) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_sign_in_finish (LANYARD_CLIENT (object), result, &error);

  if (window_gone (self))
    return;

  g_clear_object (&self->flow_cancellable);

  if (account == NULL)
    {
      set_state (self, self->account ? LANYARD_WINDOW_STATE_SIGNED_IN
                                     : LANYARD_WINDOW_STATE_SIGNED_OUT);

      /* Cancel was pressed here: nothing to explain. */
      if (!lanyard_error_is_cancelled (error))
        lanyard_window_show_error (self, error);
    }
  else
    {
      self->renewal_tried = FALSE;
      show_account (self, account, FALSE);

      if (lanyard_account_get_session_only (account))
        {
          const GError *keyring_error = lanyard_client_sign_in_get_keyring_error (result);
          AdwToast *toast;

          if (g_error_matches (keyring_error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED))
            {
              toast = lanyard_toast_new (_("Signed in for this session only: the keyring is "
                                           "locked"));
              adw_toast_set_timeout (toast, 10);
              offer_unlock (self, toast);
            }
          else
            toast = lanyard_toast_new (_("Signed in for this session only: no keyring is "
                                         "available"));
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
        }

      /* The user was in the browser; bring them back. */
      gtk_window_present (GTK_WINDOW (self));
    }

  if (self->config_dirty)
    reload_config (self);
}

void
lanyard_window_sign_in (LanyardWindow *self,
                        const char    *prompt)
{
  LanyardSignInOptions options = { 0 };

  g_return_if_fail (LANYARD_IS_WINDOW (self));

  if (self->client == NULL || self->busy > 0 ||
      (self->state != LANYARD_WINDOW_STATE_SIGNED_OUT &&
       self->state != LANYARD_WINDOW_STATE_SIGNED_IN))
    return;

  dismiss_keyring_toast (self);

  options.prompt = prompt;
  /* Signing in again (the session ended): offer the same account. */
  if (self->account != NULL && prompt == NULL)
    options.login_hint = lanyard_account_get_username (self->account);

  drop_reload (self);
  g_cancellable_cancel (self->flow_cancellable);
  g_clear_object (&self->flow_cancellable);
  self->flow_cancellable = g_cancellable_new ();

  lanyard_waiting_page_reset (self->waiting_page, g_strcmp0 (prompt, "create") == 0);
  set_state (self, LANYARD_WINDOW_STATE_WAITING);

  lanyard_client_sign_in_async (self->client,
                                &options,
                                self->flow_cancellable,
                                sign_in_cb,
                                g_object_ref (self));
}

void
lanyard_window_cancel (LanyardWindow *self)
{
  g_return_if_fail (LANYARD_IS_WINDOW (self));

  if (self->state == LANYARD_WINDOW_STATE_WAITING && self->flow_cancellable != NULL)
    g_cancellable_cancel (self->flow_cancellable);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LanyardWindow) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_acquire_token_silent_finish (LANYARD_CLIENT (object), result, &error);

  if (window_gone (self))
    return;

  if (account != NULL)
    {
      show_account (self, account, FALSE);
      if (self->announce_refresh)
        lanyard_window_add_toast (self, _("Tokens renewed"));
    }
  else
    {
      /* The core may have dropped a dead refresh token: show that. */
      if (self->account != NULL)
        lanyard_account_page_set_account (self->account_page, self->account);
      lanyard_window_show_error (self, error);
    }

  end_busy (self);
}

static void
refresh (LanyardWindow *self,
         gboolean       force,
         gboolean       announce)
{
  g_assert (self->client != NULL);
  g_assert (self->account != NULL);

  drop_reload (self);
  self->announce_refresh = !!announce;
  begin_busy (self);

  lanyard_client_acquire_token_silent_async (self->client,
                                             lanyard_account_get_id (self->account),
                                             NULL,
                                             force,
                                             self->cancellable,
                                             refresh_cb,
                                             g_object_ref (self));
}

void
lanyard_window_refresh (LanyardWindow *self)
{
  g_return_if_fail (LANYARD_IS_WINDOW (self));

  if (self->state != LANYARD_WINDOW_STATE_SIGNED_IN || self->busy > 0 ||
      self->client == NULL || self->account == NULL)
    return;

  refresh (self, TRUE, TRUE);
}

static void
sign_out_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LanyardWindow) self = user_data;
  g_autoptr(LanyardSignOutResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AdwToast *toast;

  outcome = lanyard_client_sign_out_finish (LANYARD_CLIENT (object), result, &error);

  if (window_gone (self))
    return;

  if (outcome == NULL)
    {
      lanyard_window_show_error (self, error);
      end_busy (self);
      return;
    }

  g_clear_object (&self->account);
  lanyard_account_page_set_account (self->account_page, NULL);
  set_state (self, LANYARD_WINDOW_STATE_SIGNED_OUT);

  if (outcome->revoke_error != NULL)
    {
      g_autofree char *reason = lanyard_error_to_text (outcome->revoke_error);

      /* Translators: %s says why, e.g. "Could not reach the provider: …" */
      text = g_strdup_printf (_("Signed out on this computer, but the provider did not "
                                "revoke the session: %s"), reason);
    }
  else if (outcome->browser_error != NULL && outcome->logout_uri != NULL)
    {
      g_autofree char *reason = lanyard_error_to_text (outcome->browser_error);

      /* Translators: %s says why the browser did not open */
      text = g_strdup_printf (_("Signed out on this computer. To end the session at the "
                                "provider too, open its sign-out page: %s"), reason);
    }
  else if (outcome->browser_opened)
    text = g_strdup (_("Signed out. Confirm in your browser to sign out at the provider too."));
  else
    text = g_strdup (_("Signed out"));

  toast = lanyard_toast_new (text);
  if (outcome->browser_error != NULL && outcome->logout_uri != NULL)
    {
      adw_toast_set_timeout (toast, 0);
      toast_set_button (toast, _("Copy _Link"), "win.copy-text");
      adw_toast_set_action_target_value (toast, g_variant_new_string (outcome->logout_uri));
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  end_busy (self);
}

void
lanyard_window_sign_out (LanyardWindow *self)
{
  g_return_if_fail (LANYARD_IS_WINDOW (self));

  if (self->state != LANYARD_WINDOW_STATE_SIGNED_IN || self->busy > 0 ||
      self->client == NULL || self->account == NULL)
    return;

  drop_reload (self);
  begin_busy (self);

  lanyard_client_sign_out_async (self->client,
                                 lanyard_account_get_id (self->account),
                                 TRUE,
                                 self->cancellable,
                                 sign_out_cb,
                                 g_object_ref (self));
}

static void
save_account_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LanyardWindow) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_save_account_finish (LANYARD_CLIENT (object), result, &error);

  if (window_gone (self))
    return;

  if (account != NULL)
    {
      show_account (self, account, FALSE);
      lanyard_window_add_toast (self, _("Saved in the keyring"));
    }
  else
    lanyard_window_show_error (self, error);

  end_busy (self);
}

/* With the keyring unlocked, what is on screen may be a session-only copy
 * (a sign-in or renewal the locked keyring refused): the client's list says. */
static void
unlocked_account_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LanyardWindow) self = user_data;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = lanyard_client_get_account_finish (LANYARD_CLIENT (object), result, &error);

  if (window_gone (self))
    return;

  if (account != NULL && lanyard_account_get_session_only (account))
    {
      lanyard_client_save_account_async (LANYARD_CLIENT (object), account, self->cancellable,
                                         save_account_cb, g_object_ref (self));
      return;
    }

  if (account != NULL)
    show_account (self, account, FALSE);
  lanyard_window_add_toast (self, _("The keyring is unlocked"));

  end_busy (self);
}

static void
unlock_keyring_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LanyardWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean unlocked;

  unlocked = lanyard_client_unlock_keyring_finish (LANYARD_CLIENT (object), result, &error);

  if (window_gone (self))
    return;

  if (!unlocked)
    {
      /* The user closed the dialog: theirs to decide, said in plain words. */
      if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED))
        lanyard_window_add_toast (self, _("The keyring was not unlocked"));
      else
        lanyard_window_show_error (self, error);
      end_busy (self);
      return;
    }

  if (self->account == NULL)
    {
      lanyard_window_add_toast (self, _("The keyring is unlocked"));
      end_busy (self);
      /* The same restore as at start-up, now that the keyring can answer. */
      if (self->state == LANYARD_WINDOW_STATE_SIGNED_OUT && self->client != NULL)
        load_account (self);
      return;
    }

  lanyard_client_get_account_async (LANYARD_CLIENT (object),
                                    lanyard_account_get_id (self->account),
                                    self->cancellable,
                                    unlocked_account_cb,
                                    g_object_ref (self));
}

void
lanyard_window_unlock_keyring (LanyardWindow *self)
{
  g_return_if_fail (LANYARD_IS_WINDOW (self));

  if (self->client == NULL || self->busy > 0 ||
      (self->state != LANYARD_WINDOW_STATE_SIGNED_OUT &&
       self->state != LANYARD_WINDOW_STATE_SIGNED_IN))
    return;

  dismiss_keyring_toast (self);
  drop_reload (self);
  /* Busy: one unlock at a time, and no flow changing the account under it. */
  begin_busy (self);

  lanyard_client_unlock_keyring_async (self->client,
                                       self->cancellable,
                                       unlock_keyring_cb,
                                       g_object_ref (self));
}

/* Window actions -------------------------------------------------------- */

static void
copy_text (LanyardWindow *self,
           const char    *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  lanyard_window_add_toast (self, _("Copied to clipboard"));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  LanyardWindow *self = LANYARD_WINDOW (widget);
  const char *uri = lanyard_waiting_page_get_uri (self->waiting_page);

  if (uri != NULL)
    copy_text (self, uri);
}

static void
copy_text_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  copy_text (LANYARD_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
waiting_uri_changed_cb (LanyardWindow      *self,
                        GParamSpec         *pspec,
                        LanyardWaitingPage *page)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-link",
                                 lanyard_waiting_page_get_uri (page) != NULL);
}

/* GObject --------------------------------------------------------------- */

static gboolean
lanyard_window_close_request (GtkWindow *window)
{
  LanyardWindow *self = LANYARD_WINDOW (window);
  int width;
  int height;

  if (self->settings != NULL && !gtk_window_is_maximized (window))
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  if (GTK_WINDOW_CLASS (lanyard_window_parent_class)->close_request)
    return GTK_WINDOW_CLASS (lanyard_window_parent_class)->close_request (window);

  return FALSE;
}

static void
lanyard_window_constructed (GObject *object)
{
  LanyardWindow *self = (LanyardWindow *)object;

  G_OBJECT_CLASS (lanyard_window_parent_class)->constructed (object);

  /* From the construct-only property: GtkWindow:application is not set yet
   * here (it is not a construct property). */
  if (self->settings != NULL)
    {

      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));

      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);

      /* GSettings only promises "changed" for keys read since connecting. */
      g_free (g_settings_get_string (self->settings, "authority"));
      g_free (g_settings_get_string (self->settings, "client-id"));
      g_strfreev (g_settings_get_strv (self->settings, "scopes"));
      g_free (g_settings_get_string (self->settings, "redirect-host"));
    }

  reload_config (self);
}

static void
lanyard_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LanyardWindow *self = LANYARD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LanyardWindow *self = LANYARD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_window_dispose (GObject *object)
{
  LanyardWindow *self = (LanyardWindow *)object;

  /* Callbacks still in flight see this and touch nothing. */
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->flow_cancellable);
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_handle_id (&self->reload_source_id, g_source_remove);

  drop_client (self);
  g_clear_object (&self->account);
  g_clear_object (&self->keyring_toast);
  g_clear_object (&self->browser);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), LANYARD_TYPE_WINDOW);

  G_OBJECT_CLASS (lanyard_window_parent_class)->dispose (object);
}

static void
lanyard_window_finalize (GObject *object)
{
  LanyardWindow *self = (LanyardWindow *)object;

  g_clear_pointer (&self->config, lanyard_config_free);
  g_clear_pointer (&self->session_authority, g_free);
  g_clear_pointer (&self->session_client_id, g_free);
  g_clear_object (&self->flow_cancellable);
  g_clear_object (&self->reload_cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lanyard_window_parent_class)->finalize (object);
}

static void
lanyard_window_class_init (LanyardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lanyard_window_constructed;
  object_class->dispose = lanyard_window_dispose;
  object_class->finalize = lanyard_window_finalize;
  object_class->get_property = lanyard_window_get_property;
  object_class->set_property = lanyard_window_set_property;

  window_class->close_request = lanyard_window_close_request;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       LANYARD_TYPE_WINDOW_STATE,
                       LANYARD_WINDOW_STATE_LOADING,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* NULL when the schema is not installed (an uninstalled build). */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LANYARD_TYPE_ACCOUNT_PAGE);
  g_type_ensure (LANYARD_TYPE_SETUP_PAGE);
  g_type_ensure (LANYARD_TYPE_SIGNED_OUT_PAGE);
  g_type_ensure (LANYARD_TYPE_WAITING_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/lanyard/Lanyard/lanyard-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, signed_out_page);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, LanyardWindow, account_page);
  gtk_widget_class_bind_template_callback (widget_class, setup_submitted_cb);
  gtk_widget_class_bind_template_callback (widget_class, waiting_uri_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "win.copy-text", "s", copy_text_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
lanyard_window_init (LanyardWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->reload_cancellable = g_cancellable_new ();
  self->state = LANYARD_WINDOW_STATE_LOADING;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = lanyard_account_store_new ();
  self->browser = lanyard_gtk_browser_new (GTK_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-link", FALSE);
}

LanyardWindow *
lanyard_window_new (LanyardApplication *application)
{
  g_return_val_if_fail (LANYARD_IS_APPLICATION (application), NULL);

  return g_object_new (LANYARD_TYPE_WINDOW,
                       "application", application,
                       "settings", lanyard_application_get_settings (application),
                       NULL);
}

LanyardWindowState
lanyard_window_get_state (LanyardWindow *self)
{
  g_return_val_if_fail (LANYARD_IS_WINDOW (self), LANYARD_WINDOW_STATE_LOADING);

  return self->state;
}

gboolean
lanyard_window_get_busy (LanyardWindow *self)
{
  g_return_val_if_fail (LANYARD_IS_WINDOW (self), FALSE);

  return self->busy > 0;
}
