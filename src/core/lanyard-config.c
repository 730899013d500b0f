/* lanyard-config.c — where to sign in: defaults, GSettings, environment
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-config"

#include "config.h"

#include <gio/gio.h>

#include "lanyard-config.h"

G_DEFINE_BOXED_TYPE (LanyardConfig, lanyard_config, lanyard_config_copy, lanyard_config_free)

LanyardConfig *
lanyard_config_new (void)
{
  LanyardConfig *self = g_new0 (LanyardConfig, 1);

  self->scopes = lanyard_scopes_parse (LANYARD_DEFAULT_SCOPES);
  self->redirect_host = g_strdup ("localhost");
  self->redirect_path = g_strdup ("/");

  return self;
}

LanyardConfig *
lanyard_config_copy (const LanyardConfig *self)
{
  LanyardConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (LanyardConfig, 1);
  copy->authority = g_strdup (self->authority);
  copy->client_id = g_strdup (self->client_id);
  copy->scopes = g_strdupv (self->scopes);
  copy->redirect_host = g_strdup (self->redirect_host);
  copy->redirect_port = self->redirect_port;
  copy->redirect_path = g_strdup (self->redirect_path);
  copy->ca_file = g_strdup (self->ca_file);
  copy->timeout_seconds = self->timeout_seconds;

  return copy;
}

void
lanyard_config_free (LanyardConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->authority);
  g_free (self->client_id);
  g_strfreev (self->scopes);
  g_free (self->redirect_host);
  g_free (self->redirect_path);
  g_free (self->ca_file);
  g_free (self);
}

char **
lanyard_scopes_parse (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return g_strv_builder_end (builder);

  parts = g_strsplit_set (text, " ,\t\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean seen = FALSE;

      for (guint j = 0; j < i && !seen; j++)
        seen = g_str_equal (parts[i], parts[j]);

      if (parts[i][0] != '\0' && !seen)
        g_strv_builder_add (builder, parts[i]);
    }

  return g_strv_builder_end (builder);
}

static void
replace_string (char       **field,
                const char  *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  g_free (*field);
  *field = g_strdup (value);
}

/* g_settings_new() aborts when the schema is not installed (an uninstalled
 * build, a test, the CLI from the build tree): look it up first. */
static void
overlay_gsettings (LanyardConfig *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *redirect_host = NULL;
  g_auto(GStrv) scopes = NULL;

  if (source == NULL)
    return;

  schema = g_settings_schema_source_lookup (source, LANYARD_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return;

  settings = g_settings_new_full (schema, NULL, NULL);

  if (g_settings_schema_has_key (schema, "authority"))
    {
      authority = g_settings_get_string (settings, "authority");
      replace_string (&self->authority, authority);
    }
  if (g_settings_schema_has_key (schema, "client-id"))
    {
      client_id = g_settings_get_string (settings, "client-id");
      replace_string (&self->client_id, client_id);
    }
  if (g_settings_schema_has_key (schema, "redirect-host"))
    {
      redirect_host = g_settings_get_string (settings, "redirect-host");
      replace_string (&self->redirect_host, redirect_host);
    }
  if (g_settings_schema_has_key (schema, "scopes"))
    {
      scopes = g_settings_get_strv (settings, "scopes");
      if (scopes != NULL && scopes[0] != NULL)
        {
          g_strfreev (self->scopes);
          self->scopes = g_steal_pointer (&scopes);
        }
    }
}

LanyardConfig *
lanyard_config_new_from_environment (void)
{
  LanyardConfig *self = lanyard_config_new ();
  const char *scopes;

  overlay_gsettings (self);

  replace_string (&self->authority, g_getenv ("LANYARD_AUTHORITY"));
  replace_string (&self->client_id, g_getenv ("LANYARD_CLIENT_ID"));
  replace_string (&self->ca_file, g_getenv ("LANYARD_CA_FILE"));
  replace_string (&self->redirect_host, g_getenv ("LANYARD_REDIRECT_HOST"));

  scopes = g_getenv ("LANYARD_SCOPES");
  if (scopes != NULL && scopes[0] != '\0')
    {
      g_strfreev (self->scopes);
      self->scopes = lanyard_scopes_parse (scopes);
    }

  return self;
}
