/* lanyard-account.h — a signed-in account: who, and its tokens
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "lanyard-access-token.h"

G_BEGIN_DECLS

#define LANYARD_ACCOUNT_JSON_VERSION 2

#define LANYARD_TYPE_ACCOUNT (lanyard_account_get_type ())
G_DECLARE_FINAL_TYPE (LanyardAccount, lanyard_account, LANYARD, ACCOUNT, GObject)

#ifdef LANYARD_COMPILATION
/* Private to the core and its tests: not exported from liblanyard-1. */
/* From validated ID token claims plus where they came from. The id is
 * "<oid>.<tid>" when both claims exist (Entra: sub is pairwise per app; both
 * must be GUID-like: letters, digits, '-'), else "sha256:" + the first 32 hex
 * digits of SHA-256(iss "\n" sub). Username: preferred_username, then email,
 * then upn, then sub. Display name: name, else the username. The claims are
 * copied. No iss or sub: LANYARD_ERROR_INVALID_TOKEN. signed-in-at = now. */
LanyardAccount *lanyard_account_new_from_claims (JsonObject  *claims,
                                                 const char  *authority,
                                                 const char  *client_id,
                                                 GError     **error);

/* Stored form: one JSON object {"version":2, "id":…, "authority":…,
 * "client_id":…, "claims":{…}, "id_token":…, "refresh_token":…,
 * "access_tokens":[{"token":…, "token_type":…, "expires_at":…, "scopes":[…],
 * "requested":"<scope set key>"}…], "signed_in_at":…, "ca_file":…,
 * "redirect":{"host":…, "port":…, "path":…}} (times in Unix seconds).
 * Version 1 (one "access_token" with "access_token_expires_at" and "scopes")
 * is read and migrated: its token becomes the first of the cache. Unknown
 * newer versions ("stored
 * account has version N, newer than this Lanyard"), duplicate member names,
 * wrong types and an id that does not match the claims are all
 * LANYARD_ERROR_INVALID_RESPONSE; messages never quote the data. The
 * session-only flag is not part of it. */
char           *lanyard_account_to_json         (LanyardAccount *self);
LanyardAccount *lanyard_account_new_from_json   (const char     *json,
                                                 GError        **error);
#endif

const char     *lanyard_account_get_id            (LanyardAccount *self);
const char     *lanyard_account_get_username      (LanyardAccount *self);
const char     *lanyard_account_get_display_name  (LanyardAccount *self);
const char     *lanyard_account_get_login_hint    (LanyardAccount *self); /* NULL if no claim */
const char     *lanyard_account_get_issuer        (LanyardAccount *self);
const char     *lanyard_account_get_authority     (LanyardAccount *self);
const char     *lanyard_account_get_client_id     (LanyardAccount *self);
JsonObject     *lanyard_account_get_claims        (LanyardAccount *self);
gint64          lanyard_account_get_signed_in_at  (LanyardAccount *self);

const char     *lanyard_account_get_id_token      (LanyardAccount *self);
const char     *lanyard_account_get_refresh_token (LanyardAccount *self);
/* The token cache: one access token per resource / scope set, oldest first
 * (element type LanyardAccessToken; transfer none). */
GPtrArray      *lanyard_account_get_access_tokens (LanyardAccount *self);
/* The most recently added access token, its expiry and granted scopes
 * (NULL, 0, empty when there is none). */
const char     *lanyard_account_get_access_token  (LanyardAccount *self);
gint64          lanyard_account_get_access_token_expires_at (LanyardAccount *self);
const char * const *lanyard_account_get_scopes    (LanyardAccount *self);
/* Whether the authority is Entra's (bare scope names are Graph's). */
gboolean        lanyard_account_is_entra          (LanyardAccount *self);

/* A valid token (more than @min_seconds left at @now) whose granted scopes
 * cover @scopes: the one asked for exactly this set if any, else any that
 * covers it. NULL when none (transfer none). */
LanyardAccessToken *lanyard_account_lookup_access_token (LanyardAccount     *self,
                                                         const char * const *scopes,
                                                         gint64              now,
                                                         gint64              min_seconds);
/* How its provider was reached, so that later commands need no flags: CA
 * file (NULL = system trust) and the redirect settings it signed in with. */
const char     *lanyard_account_get_ca_file       (LanyardAccount *self);
const char     *lanyard_account_get_redirect_host (LanyardAccount *self);
guint16         lanyard_account_get_redirect_port (LanyardAccount *self);
const char     *lanyard_account_get_redirect_path (LanyardAccount *self);

#ifdef LANYARD_COMPILATION
/* Private to the core and its tests: not exported from liblanyard-1. */
/* Adds @token to the cache: it replaces the token asked for the same scope
 * set, tokens sharing a granted scope with it, and expired ones; tokens for
 * other resources stay. */
void            lanyard_account_add_access_token  (LanyardAccount     *self,
                                                   LanyardAccessToken *token);
void            lanyard_account_clear_access_tokens (LanyardAccount   *self);
/* A NULL @refresh_token or @id_token keeps the old one (providers may not
 * send them again on refresh). */
void            lanyard_account_set_refresh_token (LanyardAccount     *self,
                                                   const char         *refresh_token,
                                                   const char         *id_token);

void            lanyard_account_set_connection    (LanyardAccount *self,
                                                   const char     *ca_file,
                                                   const char     *redirect_host,
                                                   guint16         redirect_port,
                                                   const char     *redirect_path);

/* lanyard_account_set_refresh_token(), then the cache is emptied and, when
 * @access_token is not NULL, holds only it, with @scopes as both granted and
 * requested scopes. @expires_at is
 * absolute (Unix seconds, 0 = unknown, treated as expired). */
void            lanyard_account_set_tokens        (LanyardAccount     *self,
                                                   const char         *access_token,
                                                   gint64              expires_at,
                                                   const char         *refresh_token,
                                                   const char         *id_token,
                                                   const char * const *scopes);
/* Claims from a newer validated ID token (after refresh). They must name the
 * same user (same id; OIDC Core 12.2): anything else is a programmer error,
 * refused with a critical. Notifies username/display-name/login-hint. */
void            lanyard_account_set_claims        (LanyardAccount *self,
                                                   JsonObject     *claims);
void            lanyard_account_forget_refresh_token (LanyardAccount *self);

/* Who an account is: (issuer, client id, id). Two providers may assert the
 * same id (an Entra-style oid/tid is just a claim), and one person may use
 * two applications: those are other accounts. */
gboolean        lanyard_account_same_identity     (LanyardAccount *self,
                                                   LanyardAccount *other);
/* The identity as one string, for hash tables and file names. */
char           *lanyard_account_dup_identity_key  (LanyardAccount *self);
/* "<id>@<issuer>": how a person names one of several accounts with the same
 * id (an id never holds '@'). */
char           *lanyard_account_dup_qualified_id  (LanyardAccount *self);

/* TRUE when lanyard_account_lookup_access_token() finds one. */
gboolean        lanyard_account_has_valid_access_token (LanyardAccount     *self,
                                                        const char * const *scopes,
                                                        gint64              now,
                                                        gint64              min_seconds);
#endif

/* Whether the account lives only in memory (keyring unavailable or locked). */
gboolean        lanyard_account_get_session_only  (LanyardAccount *self);
#ifdef LANYARD_COMPILATION
void            lanyard_account_set_session_only  (LanyardAccount *self,
                                                   gboolean        session_only);
#endif
/* Why it is session-only: see the .c file. */
const GError   *lanyard_account_get_storage_error (LanyardAccount *self);
#ifdef LANYARD_COMPILATION
void            lanyard_account_set_storage_error (LanyardAccount *self,
                                                   const GError   *error);
#endif

G_END_DECLS
