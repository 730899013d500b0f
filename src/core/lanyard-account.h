/* lanyard-account.h — a signed-in account: who, and its tokens
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LANYARD_ACCOUNT_JSON_VERSION 1

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

/* Stored form: one JSON object {"version":1, "id":…, "authority":…,
 * "client_id":…, "claims":{…}, "id_token":…, "access_token":…,
 * "access_token_expires_at":…, "refresh_token":…, "scopes":[…],
 * "signed_in_at":…} (times in Unix seconds). Unknown newer versions ("stored
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
const char     *lanyard_account_get_access_token  (LanyardAccount *self);
gint64          lanyard_account_get_access_token_expires_at (LanyardAccount *self);
const char     *lanyard_account_get_refresh_token (LanyardAccount *self);
const char * const *lanyard_account_get_scopes    (LanyardAccount *self);

#ifdef LANYARD_COMPILATION
/* Private to the core and its tests: not exported from liblanyard-1. */
/* Replaces the tokens; a NULL @refresh_token or @id_token keeps the old one
 * (providers may not send them again on refresh). @expires_at is absolute
 * (Unix seconds, 0 = unknown, treated as expired). @scopes are the scopes
 * granted to @access_token (the response's "scope", else the requested
 * ones); NULL = none known. */
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

/* TRUE when the access token covers @scopes (NULL = any; openid, profile,
 * offline_access and email need not be in the granted list) and has more
 * than @min_seconds left at @now (Unix seconds). */
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
/* Why it is session-only ("storage-error" property): LANYARD_ERROR_KEYRING_LOCKED
 * or LANYARD_ERROR_KEYRING_UNAVAILABLE; NULL when kept in the keyring (making
 * the account not session-only clears it). */
const GError   *lanyard_account_get_storage_error (LanyardAccount *self);
#ifdef LANYARD_COMPILATION
void            lanyard_account_set_storage_error (LanyardAccount *self,
                                                   const GError   *error);
#endif

G_END_DECLS
