/* lanyard-access-token.c — one cached access token and the scope sets it covers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-account"

#include "config.h"

#include <string.h>

#include "lanyard-access-token.h"

#define GRAPH_RESOURCE "https://graph.microsoft.com"
#define DEFAULT_SUFFIX "/.default"

struct _LanyardAccessToken
{
  gatomicrefcount   ref_count;
  char             *token;
  char             *token_type;
  gint64            expires_at;
  char            **scopes;
  char             *request_key;
};

/**
 * LanyardAccessToken:
 *
 * One access token of an account's token cache, with what the token response
 * said about it: the scopes it was granted, its expiry and type. Lanyard
 * treats it as opaque (it is never parsed or validated as a JWT: Microsoft
 * Graph's are not meant to be). Immutable; get one with
 * lanyard_client_acquire_token_async().
 */
G_DEFINE_BOXED_TYPE (LanyardAccessToken, lanyard_access_token,
                     lanyard_access_token_ref, lanyard_access_token_unref)

static const char * const oidc_scopes[] = { "openid", "profile", "offline_access", "email", NULL };

gboolean
lanyard_scope_is_oidc (const char *scope)
{
  return scope != NULL && g_strv_contains (oidc_scopes, scope);
}

/* "User.Read" is Graph's on Entra; anything with a resource stays as it is. */
static char *
normalize_scope (const char *scope,
                 gboolean    entra)
{
  if (entra && strchr (scope, '/') == NULL)
    return g_strconcat (GRAPH_RESOURCE "/", scope, NULL);

  return g_strdup (scope);
}

char *
lanyard_scope_get_resource (const char *scope,
                            gboolean    entra)
{
  g_autofree char *full = NULL;
  const char *slash;
  const char *authority_start;

  g_return_val_if_fail (scope != NULL, NULL);

  full = normalize_scope (scope, entra);
  authority_start = strstr (full, "://");
  authority_start = authority_start != NULL ? authority_start + 3 : full;
  slash = strrchr (authority_start, '/');
  if (slash == NULL || slash == authority_start)
    return NULL;

  return g_strndup (full, slash - full);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* API scopes only, normalised, sorted, unique. The scope parameter is
 * space-delimited (RFC 6749 3.3): an element with spaces is several scopes,
 * and must be, or a key joined by spaces would read back as other scopes. */
static GPtrArray *
api_scopes (const char * const *scopes,
            gboolean            entra)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (scopes[i], " ", -1);

      for (guint j = 0; words[j] != NULL; j++)
        {
          g_autofree char *scope = NULL;

          if (words[j][0] == '\0' || lanyard_scope_is_oidc (words[j]))
            continue;

          scope = normalize_scope (words[j], entra);
          if (!g_ptr_array_find_with_equal_func (out, scope, g_str_equal, NULL))
            g_ptr_array_add (out, g_steal_pointer (&scope));
        }
    }

  g_ptr_array_sort (out, compare_strings);
  return out;
}

char *
lanyard_scope_set_key (const char * const *scopes,
                       gboolean            entra)
{
  g_autoptr(GPtrArray) set = api_scopes (scopes, entra);

  g_ptr_array_add (set, NULL);
  return g_strjoinv (" ", (char **) set->pdata);
}

static gboolean
covers_one (GPtrArray  *granted,
            const char *scope,
            gboolean    entra)
{
  g_autofree char *resource = NULL;

  if (g_ptr_array_find_with_equal_func (granted, scope, g_str_equal, NULL))
    return TRUE;

  if (!g_str_has_suffix (scope, DEFAULT_SUFFIX))
    return FALSE;

  /* The answer to "<resource>/.default" lists the resource's scopes. */
  resource = g_strndup (scope, strlen (scope) - strlen (DEFAULT_SUFFIX));
  for (guint i = 0; i < granted->len; i++)
    {
      g_autofree char *granted_resource = lanyard_scope_get_resource (g_ptr_array_index (granted, i), entra);

      if (g_strcmp0 (granted_resource, resource) == 0)
        return TRUE;
    }

  return FALSE;
}

char **
lanyard_scope_set_missing (const char * const *granted,
                           const char * const *requested,
                           gboolean            entra)
{
  g_autoptr(GPtrArray) have = api_scopes (granted, entra);
  g_autoptr(GPtrArray) want = api_scopes (requested, entra);
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();

  for (guint i = 0; i < want->len; i++)
    {
      if (!covers_one (have, g_ptr_array_index (want, i), entra))
        g_strv_builder_add (missing, g_ptr_array_index (want, i));
    }

  return g_strv_builder_end (missing);
}

gboolean
lanyard_scope_set_covers (const char * const *granted,
                          const char * const *requested,
                          gboolean            entra)
{
  g_auto(GStrv) missing = lanyard_scope_set_missing (granted, requested, entra);

  return missing[0] == NULL;
}

/* Tokens are wiped before their memory goes back to the allocator. */
static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

LanyardAccessToken *
lanyard_access_token_new (const char         *token,
                          const char         *token_type,
                          gint64              expires_at,
                          const char * const *granted,
                          const char * const *requested)
{
  LanyardAccessToken *self;
  g_autoptr(GStrvBuilder) scopes = g_strv_builder_new ();
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (expires_at >= 0, NULL);

  /* Kept as the provider spelt them (what `token --json` shows), sorted. */
  for (guint i = 0; granted != NULL && granted[i] != NULL; i++)
    {
      if (granted[i][0] != '\0' &&
          !g_str_equal (granted[i], "openid") && !g_str_equal (granted[i], "profile") &&
          !g_str_equal (granted[i], "offline_access") &&
          !g_ptr_array_find_with_equal_func (sorted, granted[i], g_str_equal, NULL))
        g_ptr_array_add (sorted, (gpointer) granted[i]);
    }
  g_ptr_array_sort (sorted, compare_strings);
  for (guint i = 0; i < sorted->len; i++)
    g_strv_builder_add (scopes, g_ptr_array_index (sorted, i));

  self = g_new0 (LanyardAccessToken, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->token = g_strdup (token);
  self->token_type = g_strdup (token_type != NULL ? token_type : "Bearer");
  self->expires_at = expires_at;
  self->scopes = g_strv_builder_end (scopes);
  /* Keys are compared with the account's own Entra flag later; spelling
   * Graph names out here would make them depend on it. */
  self->request_key = lanyard_scope_set_key (requested, FALSE);

  return self;
}

/**
 * lanyard_access_token_ref:
 * @self: a #LanyardAccessToken
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @self
 */
LanyardAccessToken *
lanyard_access_token_ref (LanyardAccessToken *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * lanyard_access_token_unref:
 * @self: (transfer full): a #LanyardAccessToken
 *
 * Drops a reference; the last one wipes the token from memory.
 */
void
lanyard_access_token_unref (LanyardAccessToken *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  clear_secret (&self->token);
  g_free (self->token_type);
  g_strfreev (self->scopes);
  g_free (self->request_key);
  g_free (self);
}

/**
 * lanyard_access_token_get_token:
 * @self: a #LanyardAccessToken
 *
 * The token to send as `Authorization: Bearer`. Never log it.
 *
 * Returns: (transfer none): the access token
 */
const char *
lanyard_access_token_get_token (LanyardAccessToken *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->token;
}

/**
 * lanyard_access_token_get_token_type:
 * @self: a #LanyardAccessToken
 *
 * The `token_type` of the token response.
 *
 * Returns: (transfer none): "Bearer" (any case the provider used)
 */
const char *
lanyard_access_token_get_token_type (LanyardAccessToken *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->token_type;
}

/**
 * lanyard_access_token_get_expires_at:
 * @self: a #LanyardAccessToken
 *
 * When the token expires.
 *
 * Returns: seconds since the Unix epoch (0 = unknown, treated as expired)
 */
gint64
lanyard_access_token_get_expires_at (LanyardAccessToken *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->expires_at;
}

/**
 * lanyard_access_token_get_scopes:
 * @self: a #LanyardAccessToken
 *
 * The scopes the token was granted: the token response's `scope`, else the
 * scopes asked for (RFC 6749 §5.1), without `openid`, `profile` and
 * `offline_access`.
 *
 * Returns: (transfer none) (array zero-terminated=1): the granted scopes,
 *   sorted
 */
const char * const *
lanyard_access_token_get_scopes (LanyardAccessToken *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->scopes;
}

/**
 * lanyard_access_token_get_request_key:
 * @self: a #LanyardAccessToken
 *
 * The API scopes the token was asked for, sorted and joined by spaces: the
 * cache's key for it.
 *
 * Returns: (transfer none): the scope set key ("" for none)
 */
const char *
lanyard_access_token_get_request_key (LanyardAccessToken *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->request_key;
}

/**
 * lanyard_access_token_is_valid_for:
 * @self: a #LanyardAccessToken
 * @scopes: (nullable) (array zero-terminated=1): the scopes a request needs
 * @entra: whether the account is Entra's (bare names are Microsoft Graph's)
 * @now: the time, seconds since the Unix epoch
 * @min_seconds: how long the token must still be valid
 *
 * Whether the token can serve a request for @scopes.
 *
 * Returns: %TRUE when it has more than @min_seconds left at @now and its
 *   granted scopes cover @scopes
 */
gboolean
lanyard_access_token_is_valid_for (LanyardAccessToken *self,
                                   const char * const *scopes,
                                   gboolean            entra,
                                   gint64              now,
                                   gint64              min_seconds)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->token[0] == '\0')
    return FALSE;

  /* An unknown expiry (0) is treated as expired: asking again is cheap,
   * sending a dead token is not. */
  if (self->expires_at <= 0 || self->expires_at - now <= min_seconds)
    return FALSE;

  return lanyard_scope_set_covers ((const char * const *) self->scopes, scopes, entra);
}
