/* lanyard-session-config.c — the session's configuration and client
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Defaults, then GSettings, then what the setup page typed when there is
 * nowhere to save it, then LANYARD_*: the configuration the client is made
 * from, remade when the settings change (never under a running request).
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-api-settings.h"
#include "lanyard-session-private.h"
#include "lanyard-text.h"

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

  /* Consent to the APIs the signed-in page calls is asked at sign-in. */
  {
    g_auto(GStrv) scopes = g_steal_pointer (&config->scopes);

    config->scopes = lanyard_api_settings_sign_in_scopes (self->settings, config->authority,
                                                          (const char * const *) scopes);
  }

  return config;
}

/* Whether the provider offers something (Create Account, another device):
 * one discovery question, answered into one field. */
typedef struct {
  LanyardSession *self;
  const char     *what;   /* for the debug line */
  gboolean      (*finish) (LanyardClient *, GAsyncResult *, GError **);
  gboolean       *field;
  guint           prop_id;   /* 0: not a property */
} Supports;

static void
supports_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree Supports *data = user_data;
  g_autoptr(LanyardSession) self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean supported;

  supported = data->finish (LANYARD_CLIENT (object), result, &error);

  if (_lanyard_session_gone (self) || LANYARD_CLIENT (object) != self->client)
    return;

  /* Offline or a broken discovery document: no button that would fail. */
  if (error != NULL)
    g_debug ("%s is not offered: %s", data->what, error->message);
  g_debug ("%s: %s", data->what, supported ? "offered" : "not offered");

  if (*data->field != supported)
    {
      *data->field = supported;
      if (data->prop_id != 0)
        _lanyard_session_notify (self, data->prop_id);
      _lanyard_session_update_can (self);
    }
}

static void
ask_supports (LanyardSession *self,
              const char     *what,
              void          (*async) (LanyardClient *, GCancellable *,
                                      GAsyncReadyCallback, gpointer),
              gboolean      (*finish) (LanyardClient *, GAsyncResult *, GError **),
              gboolean       *field,
              guint           prop_id)
{
  Supports *data = g_new0 (Supports, 1);

  data->self = g_object_ref (self);
  data->what = what;
  data->finish = finish;
  data->field = field;
  data->prop_id = prop_id;
  async (self->client, self->client_cancellable, supports_cb, data);
}

/* What the Sign In page offers besides Sign In needs discovery: asked when
 * that page is first shown, so that a start on a stored account stays
 * offline (and its first frame is not kept waiting). */
void
_lanyard_session_check_sign_in_options (LanyardSession *self)
{
  if (self->client == NULL || self->client_cancellable != NULL)
    return;

  self->client_cancellable = g_cancellable_new ();
  ask_supports (self, "Create Account",
                lanyard_client_supports_sign_up_async, lanyard_client_supports_sign_up_finish,
                &self->supports_sign_up, PROP_SUPPORTS_SIGN_UP);
  ask_supports (self, "Sign-in on another device",
                lanyard_client_supports_device_sign_in_async,
                lanyard_client_supports_device_sign_in_finish,
                &self->supports_device, 0);
}

void
_lanyard_session_drop_client (LanyardSession *self)
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
  _lanyard_session_set_account (self, NULL);

  if (self->supports_sign_up || self->supports_device)
    {
      self->supports_sign_up = FALSE;
      self->supports_device = FALSE;
      _lanyard_session_notify (self, PROP_SUPPORTS_SIGN_UP);
      _lanyard_session_update_can (self);
    }
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
  _lanyard_session_notify (self, PROP_PROVIDER_NAME);
}

void
_lanyard_session_reload_config (LanyardSession *self)
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
      _lanyard_session_notify (self, PROP_OVERRIDDEN);
    }

  if (self->config != NULL && config_equal (config, self->config))
    return;

  _lanyard_session_drop_client (self);
  g_clear_pointer (&self->config, lanyard_config_free);
  self->config = g_steal_pointer (&config);
  _lanyard_session_notify (self, PROP_CONFIG);
  set_provider_name (self);

  /* The core's rules, as for lanyard-cli and the setup page: a bad value
   * (from LANYARD_*, or GSettings written by hand) is said, not used. */
  if (config_is_complete (self->config) && lanyard_config_check (self->config, &error))
    self->client = lanyard_client_new (self->config, self->store, self->browser, &error);

  _lanyard_session_notify (self, PROP_CLIENT);

  if (self->client == NULL)
    {
      _lanyard_session_set_state (self, LANYARD_SESSION_STATE_SETUP);
      if (error != NULL)
        _lanyard_session_say_error (self, error);
      return;
    }

  _lanyard_session_set_state (self, LANYARD_SESSION_STATE_LOADING);
  _lanyard_session_load_accounts (self);
}

static gboolean
reload_config_idle_cb (gpointer user_data)
{
  LanyardSession *self = user_data;

  self->reload_source_id = 0;
  _lanyard_session_reload_config (self);

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
_lanyard_session_config_init (LanyardSession *self)
{
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed",
                             G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);

  /* An empty configuration to compare the first real one with. */
  _lanyard_session_reload_config (self);
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
    _lanyard_session_say (self, _("Settings cannot be saved here: they are kept until "
                                  "Lanyard quits."));

  _lanyard_session_reload_config (self);
}
