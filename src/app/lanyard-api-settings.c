/* lanyard-api-settings.c — which APIs the signed-in page calls
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "lanyard.h"
#include "lanyard-api-settings.h"

static const struct {
  const char *key;
  const char *variable;
} overrides[] = {
  { "graph-url", "LANYARD_GRAPH_URL" },
  { "api-url", "LANYARD_API_URL" },
  { "api-scopes", "LANYARD_API_SCOPES" },
};

const char *
lanyard_api_settings_overridden_by (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (overrides); i++)
    if (g_str_equal (key, overrides[i].key))
      {
        const char *value = g_getenv (overrides[i].variable);

        return value != NULL && *value != '\0' ? overrides[i].variable : NULL;
      }

  return NULL;
}

/* A schema from before these keys has none of them. */
static gboolean
has_key (GSettings  *settings,
         const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

static char *
dup_string (GSettings  *settings,
            const char *key,
            const char *fallback)
{
  const char *variable = lanyard_api_settings_overridden_by (key);
  g_autofree char *value = NULL;

  if (variable != NULL)
    value = g_strdup (g_getenv (variable));
  else if (has_key (settings, key))
    value = g_settings_get_string (settings, key);

  if (value != NULL)
    g_strstrip (value);
  if (value == NULL || *value == '\0')
    return g_strdup (fallback);

  return g_steal_pointer (&value);
}

char *
lanyard_api_settings_dup_graph_url (GSettings *settings)
{
  return dup_string (settings, "graph-url", LANYARD_DEFAULT_GRAPH_URL);
}

char *
lanyard_api_settings_dup_api_url (GSettings *settings)
{
  return dup_string (settings, "api-url", NULL);
}

char **
lanyard_api_settings_dup_api_scopes (GSettings *settings)
{
  const char *variable = lanyard_api_settings_overridden_by ("api-scopes");
  g_auto(GStrv) scopes = NULL;
  g_autofree char *joined = NULL;

  if (variable != NULL)
    return lanyard_scopes_parse (g_getenv (variable));

  if (!has_key (settings, "api-scopes"))
    return g_new0 (char *, 1);

  /* Typed into Preferences one by one or as one string: the same rules. */
  scopes = g_settings_get_strv (settings, "api-scopes");
  joined = g_strjoinv (" ", scopes);

  return lanyard_scopes_parse (joined);
}

static void
add_scope (GPtrArray  *scopes,
           const char *scope)
{
  for (guint i = 0; i < scopes->len; i++)
    if (g_str_equal (g_ptr_array_index (scopes, i), scope))
      return;

  g_ptr_array_add (scopes, g_strdup (scope));
}

char **
lanyard_api_settings_sign_in_scopes (GSettings          *settings,
                                     const char         *authority,
                                     const char * const *scopes)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LanyardAuthority) parsed = authority ? lanyard_authority_parse (authority, NULL) : NULL;
  g_autofree char *api_url = lanyard_api_settings_dup_api_url (settings);

  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    add_scope (all, scopes[i]);

  if (parsed != NULL && lanyard_authority_is_entra (parsed))
    add_scope (all, "User.Read");

  if (api_url != NULL)
    {
      g_auto(GStrv) api_scopes = lanyard_api_settings_dup_api_scopes (settings);

      for (guint i = 0; api_scopes[i] != NULL; i++)
        add_scope (all, api_scopes[i]);
    }

  g_ptr_array_add (all, NULL);
  return (char **) g_ptr_array_steal (all, NULL);
}

char *
lanyard_api_settings_graph_me_url (const char *graph_url)
{
  g_return_val_if_fail (graph_url != NULL, NULL);

  return g_strconcat (graph_url, g_str_has_suffix (graph_url, "/") ? "" : "/", "v1.0/me", NULL);
}

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
lanyard_check_api_url (const char  *text,
                       char       **problem)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text ? text : ""));
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  *problem = NULL;
  if (*trimmed == '\0')
    return FALSE;

  uri = g_uri_parse (trimmed, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      *problem = g_strdup_printf (_("“%s” is not a web address: enter one such as https://api.contoso.com/hello"),
                                  trimmed);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_uri_get_userinfo (uri) != NULL)
    {
      *problem = g_strdup (_("The address must not hold a user name or password: the access token is what signs you in"));
      return FALSE;
    }

  /* The access token goes there: never in the clear over a network. */
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback (host)))
    {
      *problem = g_strdup (_("The address must start with https:// (http:// only for this computer): "
                             "the access token must not travel unencrypted"));
      return FALSE;
    }

  return TRUE;
}

gboolean
lanyard_check_api_scopes (const char  *text,
                          char       **problem)
{
  static const char * const sign_in_only[] = { "openid", "profile", "offline_access", "email" };
  g_auto(GStrv) scopes = lanyard_scopes_parse (text ? text : "");

  *problem = NULL;
  for (guint i = 0; scopes[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (sign_in_only); j++)
      if (g_ascii_strcasecmp (scopes[i], sign_in_only[j]) == 0)
        {
          *problem = g_strdup_printf (_("“%s” is a sign-in scope, not an API’s: enter the scopes the API "
                                        "names, such as api://contoso-api/read"),
                                      scopes[i]);
          return FALSE;
        }

  return TRUE;
}
