/* lanyard-application-actions.c — app.* actions and their accelerators
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-api-model.h"
#include "lanyard-application-private.h"
#include "lanyard-preferences-window.h"

static LanyardSession *
session_of (gpointer user_data)
{
  return LANYARD_APPLICATION (user_data)->session;
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  lanyard_session_sign_in (session_of (user_data));
}

static void
sign_up_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  lanyard_session_sign_up (session_of (user_data));
}

static void
sign_in_device_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  lanyard_session_sign_in_device (session_of (user_data));
}

static void
add_account_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  lanyard_session_add_account (session_of (user_data));
}

/* Its state is the current account's id ('' when none): a menu shows it as
 * a radio item, and scripts read it with org.gtk.Actions.Describe. */
static void
switch_account_change_state (GSimpleAction *action,
                             GVariant      *value,
                             gpointer       user_data)
{
  lanyard_session_switch_account (session_of (user_data), g_variant_get_string (value, NULL));
}

static void
account_changed_cb (LanyardApplication *self,
                    GParamSpec         *pspec,
                    LanyardSession     *session)
{
  LanyardAccount *account = lanyard_session_get_account (session);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "switch-account");

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_string (account ? lanyard_account_get_id (account) : ""));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  /* No parameter: the current account; an account id: that one. */
  lanyard_session_sign_out (session_of (user_data),
                            param != NULL && *g_variant_get_string (param, NULL) != '\0'
                              ? g_variant_get_string (param, NULL) : NULL);
}

static void
cancel_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  lanyard_session_cancel (session_of (user_data));
}

static void
refresh_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  lanyard_session_refresh (session_of (user_data));
}

static void
unlock_keyring_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  lanyard_session_unlock (session_of (user_data));
}

/* The signed-in page's API section (lanyard-api-model.c): a script, and a
 * test, calls the APIs as the buttons do. */
static void
see_profile_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  lanyard_api_model_see_profile (lanyard_session_get_api (session_of (user_data)));
}

static void
call_api_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  lanyard_api_model_call_api (lanyard_session_get_api (session_of (user_data)));
}

static void
sign_in_for_api_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  lanyard_api_model_sign_in_again (lanyard_session_get_api (session_of (user_data)));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  LanyardApplication *self = user_data;
  LanyardWindow *window = _lanyard_application_get_window (self);
  LanyardPreferencesWindow *preferences;

  preferences = lanyard_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  static const char *developers[] = {
    "The Lanyard developers",
    NULL
  };
  LanyardApplication *self = user_data;
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", _lanyard_application_get_window (self),
                        "modal", TRUE,
                        "application-name", _("Lanyard"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Lanyard developers"),
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_URL,
                        "issue-url", PACKAGE_BUGREPORT,
                        "comments", _("Sign in with Microsoft Entra External ID or any "
                                      "OpenID Connect provider, the way a native app should: "
                                      "in your browser, with a checked ID token, and tokens "
                                      "kept in your keyring."),
                        "developers", developers,
                        /* Translators: your names, one per line, to be credited */
                        "translator-credits", _("translator-credits"),
                        "copyright", "© 2026 The Lanyard developers",
                        "license-type", GTK_LICENSE_LGPL_2_1,
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  LanyardApplication *self = user_data;

  /* Through close-request, so the window size is saved. */
  if (self->window != NULL)
    gtk_window_close (GTK_WINDOW (self->window));

  g_application_quit (G_APPLICATION (self));
}

/* app.state follows the session (state_changed_cb() sets it directly);
 * requests to change it from outside are ignored. */
static void
state_change_state (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
}

static const GActionEntry actions[] = {
  { "sign-in", sign_in_action },
  { "sign-up", sign_up_action },
  /* "Sign In on Another Device", and "Get a New Code" once a code expired. */
  { "sign-in-device", sign_in_device_action },
  { "sign-out", sign_out_action },
  /* "Sign Out" of one account of the menu, by id. */
  { "sign-out-account", sign_out_action, "s" },
  { "add-account", add_account_action },
  { "switch-account", NULL, "s", "''", switch_account_change_state },
  { "cancel", cancel_action },
  { "refresh", refresh_action },
  /* The button of the toasts that report a locked keyring. */
  { "unlock-keyring", unlock_keyring_action },
  { "see-profile", see_profile_action },
  { "call-api", call_api_action },
  { "sign-in-for-api", sign_in_for_api_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
  /* Which page is on screen ("setup", "signed-out", "waiting", "signed-in",
   * or "loading"), readable over D-Bus with org.gtk.Actions.Describe: the
   * display tests (tests/display) and accessibility-less automation watch
   * the window through it instead of through screen coordinates. */
  { "state", NULL, NULL, "'loading'", state_change_state },
};

static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.cancel", { "Escape", NULL } },
  { "app.refresh", { "<Control>r", "F5", NULL } },
  { "app.sign-in", { "<Control>i", NULL } },
};

static void
state_changed_cb (LanyardApplication *self,
                  GParamSpec         *pspec,
                  LanyardSession     *session)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (LANYARD_TYPE_SESSION_STATE);
  const char *page = g_enum_get_value (states, lanyard_session_get_state (session))->value_nick;
  GAction *state = g_action_map_lookup_action (G_ACTION_MAP (self), "state");

  /* The state's nick is the page's name ("signed-out", …). */
  g_simple_action_set_state (G_SIMPLE_ACTION (state), g_variant_new_string (page));
}

void
_lanyard_application_actions_init (LanyardApplication *self)
{
  /* Action → the session property that says whether it can be done now:
   * an enabled-but-ignored Escape would also steal the key from every
   * other widget. */
  static const struct {
    const char *action;
    const char *property;
  } enabled[] = {
    { "sign-in", "can-sign-in" },
    { "sign-in-for-api", "can-sign-in" },
    { "sign-up", "can-sign-up" },
    { "sign-in-device", "can-sign-in-device" },
    { "add-account", "can-add-account" },
    { "switch-account", "can-switch-account" },
    { "sign-out", "can-sign-out" },
    { "sign-out-account", "can-sign-out" },
    { "refresh", "can-refresh" },
    { "cancel", "can-cancel" },
    { "unlock-keyring", "can-unlock" },
  };

  g_assert (LANYARD_IS_APPLICATION (self));
  g_assert (LANYARD_IS_SESSION (self->session));

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);

  for (guint i = 0; i < G_N_ELEMENTS (enabled); i++)
    g_object_bind_property (self->session, enabled[i].property,
                            g_action_map_lookup_action (G_ACTION_MAP (self), enabled[i].action),
                            "enabled", G_BINDING_SYNC_CREATE);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action,
                                           accels[i].accels);

  g_signal_connect_object (self->session, "notify::state",
                           G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  state_changed_cb (self, NULL, self->session);
  g_signal_connect_object (self->session, "notify::account",
                           G_CALLBACK (account_changed_cb), self, G_CONNECT_SWAPPED);
  account_changed_cb (self, NULL, self->session);
}
