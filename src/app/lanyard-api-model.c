/* lanyard-api-model.c — the signed-in page's API calls
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include "lanyard-api-model.h"
#include "lanyard-api-settings.h"

struct _LanyardApiModel
{
  GObject          parent_instance;

  LanyardSession  *session;     /* owns us */
  gboolean         entra;
  LanyardApiCall  *profile;
  LanyardApiCall  *api;
  char            *graph_url;
  char            *api_url;
  char           **api_scopes;
  /* Whose answers are shown: another account's are forgotten. */
  char            *account_id;
  LanyardClient   *client;      /* not referenced: only compared */
};

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_ENTRA,
  PROP_API,
  PROP_API_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardApiModel, lanyard_api_model, G_TYPE_OBJECT)

static gboolean
authority_is_entra (LanyardSession *session)
{
  const LanyardConfig *config = lanyard_session_get_config (session);
  g_autoptr(LanyardAuthority) authority = NULL;

  if (config == NULL || config->authority == NULL)
    return FALSE;

  authority = lanyard_authority_parse (config->authority, NULL);
  return authority != NULL && lanyard_authority_is_entra (authority);
}

/* The settings and the authority decide which APIs; an answer is only shown
 * for the account, client and address it came from. */
static void
update (LanyardApiModel *self)
{
  GSettings *settings = lanyard_session_get_settings (self->session);
  LanyardAccount *account = lanyard_session_get_account (self->session);
  LanyardClient *client = lanyard_session_get_client (self->session);
  const char *account_id = account ? lanyard_account_get_id (account) : NULL;
  gboolean entra = authority_is_entra (self->session);
  g_autofree char *graph_url = lanyard_api_settings_dup_graph_url (settings);
  g_autofree char *api_url = lanyard_api_settings_dup_api_url (settings);
  g_auto(GStrv) api_scopes = lanyard_api_settings_dup_api_scopes (settings);
  gboolean someone_else = g_strcmp0 (account_id, self->account_id) != 0 || client != self->client;

  if (entra != self->entra || self->profile == NULL)
    {
      self->entra = entra;
      /* Its kind is Graph's or userinfo's: a new one. */
      if (self->profile != NULL)
        lanyard_api_call_cancel (self->profile);
      g_clear_object (&self->profile);
      self->profile = lanyard_api_call_new (entra ? LANYARD_API_CALL_KIND_GRAPH_ME
                                                  : LANYARD_API_CALL_KIND_USERINFO);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRA]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
    }
  else if (someone_else || g_strcmp0 (graph_url, self->graph_url) != 0)
    lanyard_api_call_reset (self->profile);

  if (someone_else || g_strcmp0 (api_url, self->api_url) != 0 ||
      self->api_scopes == NULL ||
      !g_strv_equal ((const char * const *) api_scopes, (const char * const *) self->api_scopes))
    lanyard_api_call_reset (self->api);

  g_free (self->account_id);
  self->account_id = g_strdup (account_id);
  self->client = client;
  g_free (self->graph_url);
  self->graph_url = g_steal_pointer (&graph_url);
  g_strfreev (self->api_scopes);
  self->api_scopes = g_steal_pointer (&api_scopes);
  if (g_strcmp0 (api_url, self->api_url) != 0)
    {
      g_free (self->api_url);
      self->api_url = g_steal_pointer (&api_url);
      g_debug ("API URL: %s", self->api_url ? self->api_url : "(none)");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_URL]);
    }
}

static void
session_changed_cb (LanyardApiModel *self)
{
  update (self);
}

static void
settings_changed_cb (LanyardApiModel *self,
                     const char      *key)
{
  if (g_str_equal (key, "graph-url") || g_str_equal (key, "api-url") || g_str_equal (key, "api-scopes"))
    update (self);
}

static gboolean
ready (LanyardApiModel *self)
{
  return lanyard_session_get_client (self->session) != NULL &&
         lanyard_session_get_account (self->session) != NULL;
}

void
lanyard_api_model_see_profile (LanyardApiModel *self)
{
  static const char * const graph_scopes[] = { "User.Read", NULL };
  /* The provider's own token (the userinfo endpoint's), not an API's. */
  static const char * const userinfo_scopes[] = { "openid", NULL };
  g_autofree char *url = NULL;

  g_return_if_fail (LANYARD_IS_API_MODEL (self));

  if (!ready (self))
    return;

  if (self->entra)
    url = lanyard_api_settings_graph_me_url (self->graph_url);

  lanyard_api_call_start (self->profile, lanyard_session_get_client (self->session),
                          self->account_id, url,
                          self->entra ? graph_scopes : userinfo_scopes);
}

void
lanyard_api_model_call_api (LanyardApiModel *self)
{
  g_return_if_fail (LANYARD_IS_API_MODEL (self));

  if (!ready (self) || self->api_url == NULL)
    return;

  lanyard_api_call_start (self->api, lanyard_session_get_client (self->session),
                          self->account_id, self->api_url,
                          (const char * const *) self->api_scopes);
}

void
lanyard_api_model_sign_in_again (LanyardApiModel *self)
{
  static const char * const graph_scopes[] = { "User.Read", NULL };

  g_return_if_fail (LANYARD_IS_API_MODEL (self));

  /* A claims challenge: the sign-in asks for its claims, and for the
   * challenged API's scopes, as MSAL does. */
  if (lanyard_api_call_get_claims (self->api) != NULL)
    lanyard_session_sign_in_with_claims (self->session, lanyard_api_call_get_claims (self->api),
                                         (const char * const *) self->api_scopes);
  else if (lanyard_api_call_get_claims (self->profile) != NULL)
    lanyard_session_sign_in_with_claims (self->session, lanyard_api_call_get_claims (self->profile),
                                         self->entra ? graph_scopes : NULL);
  else
    /* Consent: the session's sign-in asks for the APIs' scopes too
     * (lanyard_api_settings_sign_in_scopes()). */
    lanyard_session_sign_in (self->session);
}

LanyardApiCall *
lanyard_api_model_get_profile (LanyardApiModel *self)
{
  g_return_val_if_fail (LANYARD_IS_API_MODEL (self), NULL);
  return self->profile;
}

gboolean
lanyard_api_model_get_entra (LanyardApiModel *self)
{
  g_return_val_if_fail (LANYARD_IS_API_MODEL (self), FALSE);
  return self->entra;
}

LanyardApiCall *
lanyard_api_model_get_api (LanyardApiModel *self)
{
  g_return_val_if_fail (LANYARD_IS_API_MODEL (self), NULL);
  return self->api;
}

const char *
lanyard_api_model_get_api_url (LanyardApiModel *self)
{
  g_return_val_if_fail (LANYARD_IS_API_MODEL (self), NULL);
  return self->api_url;
}

const char * const *
lanyard_api_model_get_api_scopes (LanyardApiModel *self)
{
  g_return_val_if_fail (LANYARD_IS_API_MODEL (self), NULL);
  return (const char * const *) self->api_scopes;
}

static void
lanyard_api_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LanyardApiModel *self = LANYARD_API_MODEL (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_ENTRA:
      g_value_set_boolean (value, self->entra);
      break;
    case PROP_API:
      g_value_set_object (value, self->api);
      break;
    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_api_model_dispose (GObject *object)
{
  LanyardApiModel *self = LANYARD_API_MODEL (object);

  if (self->profile != NULL)
    lanyard_api_call_cancel (self->profile);
  if (self->api != NULL)
    lanyard_api_call_cancel (self->api);
  g_clear_object (&self->profile);
  g_clear_object (&self->api);

  G_OBJECT_CLASS (lanyard_api_model_parent_class)->dispose (object);
}

static void
lanyard_api_model_finalize (GObject *object)
{
  LanyardApiModel *self = LANYARD_API_MODEL (object);

  g_free (self->graph_url);
  g_free (self->api_url);
  g_strfreev (self->api_scopes);
  g_free (self->account_id);

  G_OBJECT_CLASS (lanyard_api_model_parent_class)->finalize (object);
}

static void
lanyard_api_model_class_init (LanyardApiModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = lanyard_api_model_get_property;
  object_class->dispose = lanyard_api_model_dispose;
  object_class->finalize = lanyard_api_model_finalize;

  properties[PROP_PROFILE] = g_param_spec_object ("profile", NULL, NULL, LANYARD_TYPE_API_CALL, ro);
  properties[PROP_ENTRA] = g_param_spec_boolean ("entra", NULL, NULL, FALSE, ro);
  properties[PROP_API] = g_param_spec_object ("api", NULL, NULL, LANYARD_TYPE_API_CALL, ro);
  properties[PROP_API_URL] = g_param_spec_string ("api-url", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lanyard_api_model_init (LanyardApiModel *self)
{
  self->api = lanyard_api_call_new (LANYARD_API_CALL_KIND_RAW);
}

LanyardApiModel *
lanyard_api_model_new (LanyardSession *session)
{
  LanyardApiModel *self;
  GSettings *settings;

  g_return_val_if_fail (LANYARD_IS_SESSION (session), NULL);

  self = g_object_new (LANYARD_TYPE_API_MODEL, NULL);
  self->session = session;

  g_signal_connect_object (session, "notify::account", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::client", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::config", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  settings = lanyard_session_get_settings (session);
  if (settings != NULL)
    g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);

  update (self);

  return self;
}
