/* lanyard-token-endpoint.h — code redemption, refresh and revocation (RFC 6749, 7636, 7009)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  char   *access_token;
  char   *token_type;      /* checked to be "Bearer" (case-insensitive) */
  char   *refresh_token;   /* NULL when none was issued */
  char   *id_token;        /* NULL when none was issued */
  char   *scope;           /* NULL when the provider did not say */
  gint64  expires_at;      /* absolute, seconds since the epoch; 0 if unknown */
} LanyardTokenResponse;

void                  lanyard_token_response_free (LanyardTokenResponse *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardTokenResponse, lanyard_token_response_free)

/* Parses a 200 body. Missing access_token, a token_type other than Bearer,
 * a non-numeric expires_in, non-JSON… are LANYARD_ERROR_INVALID_RESPONSE. */
LanyardTokenResponse *lanyard_token_response_parse (GBytes  *body,
                                                    gint64   now,
                                                    GError **error);

/* Turns an error answer into a GError: a JSON body with "error" becomes
 * LANYARD_ERROR_PROVIDER (or LANYARD_ERROR_INTERACTION_REQUIRED for
 * invalid_grant / interaction_required / login_required / consent_required)
 * with "error: description" plus Entra's error_codes, suberror and
 * correlation_id when present; an empty or non-JSON body becomes
 * LANYARD_ERROR_PROVIDER "HTTP <status> <reason>" (never the body itself). */
GError               *lanyard_oauth_error_from_response (guint    status,
                                                         GBytes  *body);

/* grant_type=authorization_code with code, redirect_uri, client_id, code_verifier. */
void                  lanyard_token_redeem_code_async  (SoupSession         *session,
                                                        const char          *token_endpoint,
                                                        const char          *client_id,
                                                        const char          *code,
                                                        const char          *redirect_uri,
                                                        const char          *code_verifier,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);

/* grant_type=refresh_token with client_id and scope (may be NULL). */
void                  lanyard_token_refresh_async      (SoupSession         *session,
                                                        const char          *token_endpoint,
                                                        const char          *client_id,
                                                        const char          *refresh_token,
                                                        const char          *scope,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);

/* Finish for both of the above. */
LanyardTokenResponse *lanyard_token_request_finish     (GAsyncResult        *result,
                                                        GError             **error);

/* RFC 7009: token + token_type_hint + client_id. 200 is success; errors as above. */
void                  lanyard_token_revoke_async       (SoupSession         *session,
                                                        const char          *revocation_endpoint,
                                                        const char          *client_id,
                                                        const char          *token,
                                                        const char          *token_type_hint,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean              lanyard_token_revoke_finish      (GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
