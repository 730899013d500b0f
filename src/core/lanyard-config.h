/* lanyard-config.h — where to sign in: flags, then environment, then GSettings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LANYARD_DEFAULT_SCOPES "openid profile offline_access"
#define LANYARD_SETTINGS_SCHEMA_ID "dev.lanyard.Lanyard"

typedef struct {
  char    *authority;        /* as typed: subdomain or URL; NULL = not configured */
  char    *client_id;
  char   **scopes;           /* never NULL after lanyard_config_new_from_environment() */
  char    *redirect_host;    /* "localhost" (default, what Entra wants) or "127.0.0.1" */
  guint16  redirect_port;    /* 0 = ephemeral */
  char    *redirect_path;    /* "/" by default */
  char    *ca_file;          /* NULL = system trust */
  guint    timeout_seconds;  /* 0 = LANYARD_LOOPBACK_DEFAULT_TIMEOUT_SECONDS */
} LanyardConfig;

#define LANYARD_TYPE_CONFIG (lanyard_config_get_type ())
GType          lanyard_config_get_type (void) G_GNUC_CONST;

LanyardConfig *lanyard_config_new      (void);
LanyardConfig *lanyard_config_copy     (const LanyardConfig *self);
void           lanyard_config_free     (LanyardConfig       *self);

/* Setters that copy: what language bindings use (a string field set from
 * Python or JavaScript would not be owned by the struct). */
void           lanyard_config_set_authority     (LanyardConfig       *self,
                                                 const char          *authority);
void           lanyard_config_set_client_id     (LanyardConfig       *self,
                                                 const char          *client_id);
void           lanyard_config_set_scopes        (LanyardConfig       *self,
                                                 const char * const  *scopes);
void           lanyard_config_set_ca_file       (LanyardConfig       *self,
                                                 const char          *ca_file);
void           lanyard_config_set_redirect_host (LanyardConfig       *self,
                                                 const char          *redirect_host);
void           lanyard_config_set_redirect_path (LanyardConfig       *self,
                                                 const char          *redirect_path);

/* Defaults, overlaid by GSettings (only when the schema is installed — a
 * missing schema must not abort) and then by LANYARD_AUTHORITY,
 * LANYARD_CLIENT_ID, LANYARD_SCOPES (space separated), LANYARD_CA_FILE,
 * LANYARD_REDIRECT_HOST. Callers overlay their flags on the result. */
LanyardConfig *lanyard_config_new_from_environment (void);

char         **lanyard_config_apply_environment (LanyardConfig *self);

/* Splits "openid profile" or "openid,profile" into a strv without empties. */
char         **lanyard_scopes_parse    (const char *text);

/* Whether a value can be used, else LANYARD_ERROR_CONFIGURATION with a sentence
 * a person can act on — one set of rules for the first-run page, Preferences,
 * lanyard-cli flags and LANYARD_* variables. Surrounding white space is
 * ignored; an empty value is an error too (say so yourself where "empty" is
 * not yet a mistake, as on a form being filled in). */
gboolean       lanyard_config_check_authority (const char          *text,
                                               char               **url,
                                               GError             **error);
gboolean       lanyard_config_check_client_id (const char          *text,
                                               GError             **error);
gboolean       lanyard_config_check_scopes    (const char * const  *scopes,
                                               GError             **error);
/* All of the above, for a configuration about to sign in. */
gboolean       lanyard_config_check           (const LanyardConfig *self,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardConfig, lanyard_config_free)

G_END_DECLS
