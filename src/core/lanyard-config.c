/* lanyard-config.c — where to sign in: defaults, GSettings, environment
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-config"

#include "config.h"

#include <gio/gio.h>

#include "lanyard-authority.h"
#include "lanyard-config.h"
#include "lanyard-error.h"
#include "lanyard-i18n-private.h"

/**
 * LanyardConfig:
 * @authority: (nullable): the authority as typed (a tenant subdomain or a
 *   URL, see lanyard_authority_parse()); %NULL when not configured
 * @client_id: (nullable): the application (client) id
 * @scopes: (array zero-terminated=1): the scopes to ask for
 * @redirect_host: `localhost` (the default; what Entra expects) or `127.0.0.1`
 * @redirect_port: the loopback listener's port; 0 for any free one
 * @redirect_path: the redirect URI's path, `/` by default
 * @ca_file: (nullable): a PEM file whose CA certificates are the only ones
 *   trusted; %NULL for the system's
 * @timeout_seconds: how long a sign-in waits for the browser; 0 for the
 *   default
 *
 * Where and how to sign in. Build one with lanyard_config_new() or
 * lanyard_config_new_from_environment() and set its fields; a
 * #LanyardClient keeps its own copy.
 */
/**
 * LANYARD_DEFAULT_SCOPES:
 *
 * The scopes asked for when none are configured: an ID token, the profile
 * claims, and a refresh token.
 */
/**
 * LANYARD_SETTINGS_SCHEMA_ID:
 *
 * The GSettings schema lanyard_config_new_from_environment() reads when it
 * is installed.
 */
G_DEFINE_BOXED_TYPE (LanyardConfig, lanyard_config, lanyard_config_copy, lanyard_config_free)

/**
 * lanyard_config_new:
 *
 * A configuration with the defaults: no authority or client id, the scopes
 * %LANYARD_DEFAULT_SCOPES, redirect to `http://localhost:<any port>/`.
 *
 * Returns: (transfer full): a new #LanyardConfig
 */
LanyardConfig *
lanyard_config_new (void)
{
  LanyardConfig *self = g_new0 (LanyardConfig, 1);

  self->scopes = lanyard_scopes_parse (LANYARD_DEFAULT_SCOPES);
  self->redirect_host = g_strdup ("localhost");
  self->redirect_path = g_strdup ("/");

  return self;
}

/**
 * lanyard_config_copy:
 * @self: a #LanyardConfig
 *
 * Copies a configuration.
 *
 * Returns: (transfer full): a deep copy of @self
 */
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

/**
 * lanyard_config_free:
 * @self: (nullable) (transfer full): a #LanyardConfig
 *
 * Frees @self and its strings.
 */
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

static void
set_string (char       **field,
            const char  *value)
{
  if (*field != value)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

/**
 * lanyard_config_set_authority:
 * @self: a #LanyardConfig
 * @authority: (nullable): a tenant subdomain or an authority URL; %NULL
 *   for none
 *
 * Sets the `authority` field to a copy of @authority. Language bindings use
 * the setters: a string stored into a field from Python or JavaScript would
 * not belong to the struct.
 */
void
lanyard_config_set_authority (LanyardConfig *self,
                              const char    *authority)
{
  g_return_if_fail (self != NULL);
  set_string (&self->authority, authority);
}

/**
 * lanyard_config_set_client_id:
 * @self: a #LanyardConfig
 * @client_id: (nullable): the application (client) id
 *
 * Sets the `client_id` field to a copy of @client_id.
 */
void
lanyard_config_set_client_id (LanyardConfig *self,
                              const char    *client_id)
{
  g_return_if_fail (self != NULL);
  set_string (&self->client_id, client_id);
}

/**
 * lanyard_config_set_scopes:
 * @self: a #LanyardConfig
 * @scopes: (array zero-terminated=1): the scopes to ask for
 *
 * Sets the `scopes` field to a copy of @scopes.
 */
void
lanyard_config_set_scopes (LanyardConfig      *self,
                           const char * const *scopes)
{
  char **copy;

  g_return_if_fail (self != NULL);
  g_return_if_fail (scopes != NULL);

  copy = g_strdupv ((char **) scopes);
  g_strfreev (self->scopes);
  self->scopes = copy;
}

/**
 * lanyard_config_set_ca_file:
 * @self: a #LanyardConfig
 * @ca_file: (nullable) (type filename): a PEM file of the only CA
 *   certificates to trust, or %NULL for the system's
 *
 * Sets the `ca_file` field to a copy of @ca_file.
 */
void
lanyard_config_set_ca_file (LanyardConfig *self,
                            const char    *ca_file)
{
  g_return_if_fail (self != NULL);
  set_string (&self->ca_file, ca_file);
}

/**
 * lanyard_config_set_redirect_host:
 * @self: a #LanyardConfig
 * @redirect_host: `localhost` or `127.0.0.1`
 *
 * Sets the `redirect_host` field to a copy of @redirect_host.
 */
void
lanyard_config_set_redirect_host (LanyardConfig *self,
                                  const char    *redirect_host)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (redirect_host != NULL);
  set_string (&self->redirect_host, redirect_host);
}

/**
 * lanyard_config_set_redirect_path:
 * @self: a #LanyardConfig
 * @redirect_path: the redirect URI's path, starting with `/`
 *
 * Sets the `redirect_path` field to a copy of @redirect_path.
 */
void
lanyard_config_set_redirect_path (LanyardConfig *self,
                                  const char    *redirect_path)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (redirect_path != NULL);
  set_string (&self->redirect_path, redirect_path);
}

/**
 * lanyard_scopes_parse:
 * @text: (nullable): scopes separated by spaces or commas
 *
 * Splits `"openid profile"` or `"openid,profile"` into a list without empty
 * entries.
 *
 * Returns: (transfer full) (array zero-terminated=1): the scopes
 */
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

static gboolean
env_set (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0';
}

/**
 * lanyard_config_apply_environment:
 * @self: a #LanyardConfig
 *
 * The `LANYARD_*` part of lanyard_config_new_from_environment(), on @self.
 *
 * Returns: (transfer full): the GSettings keys the environment overrides
 *   ("authority", "client-id", "scopes", "redirect-host", "ca-file"), so a
 *   program can say that editing them changes nothing
 */
char **
lanyard_config_apply_environment (LanyardConfig *self)
{
  /* Variable → the GSettings key it hides ("ca-file" has no key). */
  static const struct { const char *variable, *key; } overrides[] = {
    { "LANYARD_AUTHORITY", "authority" },
    { "LANYARD_CLIENT_ID", "client-id" },
    { "LANYARD_SCOPES", "scopes" },
    { "LANYARD_REDIRECT_HOST", "redirect-host" },
    { "LANYARD_CA_FILE", "ca-file" },
  };
  g_autoptr(GStrvBuilder) overridden = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  replace_string (&self->authority, g_getenv ("LANYARD_AUTHORITY"));
  replace_string (&self->client_id, g_getenv ("LANYARD_CLIENT_ID"));
  replace_string (&self->ca_file, g_getenv ("LANYARD_CA_FILE"));
  replace_string (&self->redirect_host, g_getenv ("LANYARD_REDIRECT_HOST"));

  if (env_set ("LANYARD_SCOPES"))
    {
      g_strfreev (self->scopes);
      self->scopes = lanyard_scopes_parse (g_getenv ("LANYARD_SCOPES"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (overrides); i++)
    if (env_set (overrides[i].variable))
      g_strv_builder_add (overridden, overrides[i].key);

  return g_strv_builder_end (overridden);
}

/**
 * lanyard_config_new_from_environment:
 *
 * The defaults, overlaid by the `dev.lanyard.Lanyard` GSettings schema when
 * it is installed, then by the environment: `LANYARD_AUTHORITY`,
 * `LANYARD_CLIENT_ID`, `LANYARD_SCOPES` (space separated),
 * `LANYARD_CA_FILE` and `LANYARD_REDIRECT_HOST`. A program overlays its own
 * options on the result.
 *
 * Returns: (transfer full): a new #LanyardConfig
 */
LanyardConfig *
lanyard_config_new_from_environment (void)
{
  LanyardConfig *self = lanyard_config_new ();

  overlay_gsettings (self);
  g_strfreev (lanyard_config_apply_environment (self));

  return self;
}

/**
 * lanyard_config_check_authority:
 * @text: an authority as typed: a tenant subdomain or a URL
 * @url: (out) (optional) (transfer full): the normalised authority URL
 * @error: return location for a #GError
 *
 * Whether @text can be used as the authority; the same rules serve a
 * first-run page, preferences, command-line options and `LANYARD_*`
 * variables. Surrounding white space is ignored; an empty value is an error.
 *
 * Returns: %TRUE when it can be used; else %FALSE with
 *   %LANYARD_ERROR_CONFIGURATION and a sentence a person can act on
 */
gboolean
lanyard_config_check_authority (const char  *text,
                                char       **url,
                                GError     **error)
{
  g_autoptr(LanyardAuthority) authority = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  if (url != NULL)
    *url = NULL;

  if (*stripped == '\0')
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("No tenant or authority is set: enter your Microsoft Entra "
                             "External ID tenant’s subdomain or your provider’s issuer URL"));
      return FALSE;
    }

  authority = lanyard_authority_parse (stripped, error);
  if (authority == NULL)
    return FALSE;

  if (url != NULL)
    *url = g_strdup (lanyard_authority_get_url (authority));

  return TRUE;
}

/**
 * lanyard_config_check_client_id:
 * @text: an application (client) id
 * @error: return location for a #GError
 *
 * Whether @text can be used as the client id (see
 * lanyard_config_check_authority()).
 *
 * Returns: %TRUE when it can be used; else %FALSE with
 *   %LANYARD_ERROR_CONFIGURATION
 */
gboolean
lanyard_config_check_client_id (const char  *text,
                                GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  if (*stripped == '\0')
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("No application (client) ID is set: it is shown where the "
                             "application was registered with the provider"));
      return FALSE;
    }

  /* It goes into URLs and the keyring's attributes: a space or a control
   * character is a copy-and-paste accident, never part of an ID. */
  for (const char *p = stripped; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        {
          g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                               _("An application (client) ID has no spaces or line breaks"));
          return FALSE;
        }
    }

  if (!g_utf8_validate (stripped, -1, NULL))
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("The application (client) ID is not valid text"));
      return FALSE;
    }

  return TRUE;
}

/* RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) */
static gboolean
is_scope_token (const char *scope)
{
  if (*scope == '\0')
    return FALSE;

  for (const guchar *p = (const guchar *) scope; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == '\\')
      return FALSE;

  return TRUE;
}

/**
 * lanyard_config_check_scopes:
 * @scopes: (array zero-terminated=1): the scopes
 * @error: return location for a #GError
 *
 * Whether every scope is an RFC 6749 scope token and `openid` is there.
 *
 * Returns: %TRUE when they can be used; else %FALSE with
 *   %LANYARD_ERROR_CONFIGURATION
 */
gboolean
lanyard_config_check_scopes (const char * const  *scopes,
                             GError             **error)
{
  if (scopes == NULL || scopes[0] == NULL)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("No scopes are set: “openid” at least is needed to sign in"));
      return FALSE;
    }

  for (guint i = 0; scopes[i] != NULL; i++)
    {
      if (!is_scope_token (scopes[i]))
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                       /* Translators: %s is what was typed as a scope, such as “api://orders/réad” */
                       _("“%s” is not a scope: a scope is one word of plain letters, digits "
                         "and punctuation, without quotes or backslashes"),
                       scopes[i]);
          return FALSE;
        }
    }

  if (!g_strv_contains (scopes, "openid"))
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("The scopes must include “openid”: without it the provider "
                             "does not say who signed in"));
      return FALSE;
    }

  return TRUE;
}

/**
 * lanyard_config_check:
 * @self: a #LanyardConfig
 * @error: return location for a #GError
 *
 * All of the checks above, for a configuration about to sign in.
 *
 * Returns: %TRUE when @self can sign in; else %FALSE with
 *   %LANYARD_ERROR_CONFIGURATION
 */
gboolean
lanyard_config_check (const LanyardConfig  *self,
                      GError              **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return lanyard_config_check_authority (self->authority, NULL, error) &&
         lanyard_config_check_client_id (self->client_id, error) &&
         lanyard_config_check_scopes ((const char * const *) self->scopes, error);
}
