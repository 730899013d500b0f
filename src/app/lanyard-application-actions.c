/* lanyard-application-actions.c — app.* actions and their accelerators
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-application-private.h"
#include "lanyard-preferences-window.h"

static void
set_enabled (LanyardApplication *self,
             const char         *name,
             gboolean            enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (G_IS_SIMPLE_ACTION (action))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* Actions follow the window: an enabled-but-ignored Escape would also steal
 * the key from every other widget. */
void
_lanyard_application_actions_update (LanyardApplication *self)
{
  LanyardWindowState state = LANYARD_WINDOW_STATE_LOADING;
  gboolean busy = FALSE;
  g_autoptr(GEnumClass) state_class = NULL;
  GAction *state_action;
  const char *page;

  g_assert (LANYARD_IS_APPLICATION (self));

  if (self->window != NULL)
    {
      state = lanyard_window_get_state (self->window);
      busy = lanyard_window_get_busy (self->window);
    }

  set_enabled (self, "sign-in",
               !busy && (state == LANYARD_WINDOW_STATE_SIGNED_OUT ||
                         state == LANYARD_WINDOW_STATE_SIGNED_IN));
  set_enabled (self, "sign-up", !busy && state == LANYARD_WINDOW_STATE_SIGNED_OUT);
  set_enabled (self, "sign-out", !busy && state == LANYARD_WINDOW_STATE_SIGNED_IN);
  set_enabled (self, "refresh", !busy && state == LANYARD_WINDOW_STATE_SIGNED_IN);
  set_enabled (self, "cancel", state == LANYARD_WINDOW_STATE_WAITING);
  /* Busy covers an unlock in progress: one prompt at a time. */
  set_enabled (self, "unlock-keyring",
               !busy && (state == LANYARD_WINDOW_STATE_SIGNED_OUT ||
                         state == LANYARD_WINDOW_STATE_SIGNED_IN));

  /* The state's nick is the page's name ("signed-out", …). */
  state_class = g_type_class_ref (LANYARD_TYPE_WINDOW_STATE);
  page = g_enum_get_value (state_class, state)->value_nick;
  state_action = g_action_map_lookup_action (G_ACTION_MAP (self), "state");
  if (G_IS_SIMPLE_ACTION (state_action))
    g_simple_action_set_state (G_SIMPLE_ACTION (state_action), g_variant_new_string (page));
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  lanyard_window_sign_in (_lanyard_application_get_window (user_data), NULL);
}

static void
sign_up_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  /* Entra External ID (and OpenID Connect Prompt Create) open the sign-up page. */
  lanyard_window_sign_in (_lanyard_application_get_window (user_data), "create");
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  lanyard_window_sign_out (_lanyard_application_get_window (user_data));
}

static void
cancel_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  lanyard_window_cancel (_lanyard_application_get_window (user_data));
}

static void
refresh_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  lanyard_window_refresh (_lanyard_application_get_window (user_data));
}

static void
unlock_keyring_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  lanyard_window_unlock_keyring (_lanyard_application_get_window (user_data));
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

/* app.state follows the window (_lanyard_application_actions_update() sets
 * it directly); requests to change it from outside are ignored. */
static void
state_change_state (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
}

static const GActionEntry actions[] = {
  { "sign-in", sign_in_action },
  { "sign-up", sign_up_action },
  { "sign-out", sign_out_action },
  { "cancel", cancel_action },
  { "refresh", refresh_action },
  /* The button of the toasts that report a locked keyring. */
  { "unlock-keyring", unlock_keyring_action },
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

void
_lanyard_application_actions_init (LanyardApplication *self)
{
  g_assert (LANYARD_IS_APPLICATION (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action,
                                           accels[i].accels);

  _lanyard_application_actions_update (self);
}
