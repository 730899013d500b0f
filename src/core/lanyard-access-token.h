/* lanyard-access-token.h — one cached access token and the scope sets it covers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* An access token is opaque to Lanyard (Graph's are not meant to be parsed):
 * it is kept with what the token response said about it. Immutable. */
typedef struct _LanyardAccessToken LanyardAccessToken;

#define LANYARD_TYPE_ACCESS_TOKEN (lanyard_access_token_get_type ())
GType               lanyard_access_token_get_type (void) G_GNUC_CONST;

#ifdef LANYARD_COMPILATION
/* @granted: the response's "scope", else the requested scopes (RFC 6749
 * §5.1); openid, profile and offline_access are left out (they ask for ID
 * token content, never for an API). @requested: the scopes asked for. */
LanyardAccessToken *lanyard_access_token_new     (const char         *token,
                                                  const char         *token_type,
                                                  gint64              expires_at,
                                                  const char * const *granted,
                                                  const char * const *requested);
#endif
LanyardAccessToken *lanyard_access_token_ref     (LanyardAccessToken *self);
void                lanyard_access_token_unref   (LanyardAccessToken *self);

const char         *lanyard_access_token_get_token      (LanyardAccessToken *self);
const char         *lanyard_access_token_get_token_type (LanyardAccessToken *self);
gint64              lanyard_access_token_get_expires_at (LanyardAccessToken *self);
/* Granted scopes, sorted, never NULL. */
const char * const *lanyard_access_token_get_scopes     (LanyardAccessToken *self);
/* The scope set it was asked for (lanyard_scope_set_key()). */
const char         *lanyard_access_token_get_request_key (LanyardAccessToken *self);

/* TRUE when the token has more than @min_seconds left at @now (an unknown
 * expiry, 0, counts as expired) and its granted scopes cover @scopes. */
gboolean            lanyard_access_token_is_valid_for   (LanyardAccessToken *self,
                                                         const char * const *scopes,
                                                         gboolean            entra,
                                                         gint64              now,
                                                         gint64              min_seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardAccessToken, lanyard_access_token_unref)

#ifdef LANYARD_COMPILATION
/* Private to the core and its tests: not exported from liblanyard-1. */
/* Scope sets ----------------------------------------------------------------
 * The rules of Entra (harmless elsewhere): "openid", "profile",
 * "offline_access" (and "email") ask for ID token content and are never part
 * of an access token's scope; "api://<id>/<name>" and "https://…/<name>" name
 * their resource ("api://<id>", "https://…"); "<resource>/.default" asks for
 * whatever the resource's scopes the app was granted; with @entra a bare name
 * such as "User.Read" is a Microsoft Graph scope. */

/* TRUE for openid, profile, offline_access and email. */
gboolean            lanyard_scope_is_oidc         (const char         *scope);
/* The resource a scope names, NULL for a bare name. */
char               *lanyard_scope_get_resource    (const char         *scope,
                                                   gboolean            entra);
/* The API scopes of @scopes (no OIDC ones), Graph names spelled out with
 * @entra, sorted, without duplicates: equal sets have equal keys. */
char               *lanyard_scope_set_key         (const char * const *scopes,
                                                   gboolean            entra);
/* TRUE when every API scope of @requested is in @granted, a
 * "<resource>/.default" being covered by any scope of that resource. */
gboolean            lanyard_scope_set_covers      (const char * const *granted,
                                                   const char * const *requested,
                                                   gboolean            entra);
/* The requested API scopes that @granted does not cover (NULL-terminated, maybe empty). */
char              **lanyard_scope_set_missing     (const char * const *granted,
                                                   const char * const *requested,
                                                   gboolean            entra);
#endif

G_END_DECLS
