/* lanyard-id-token.h — ID token validation (OpenID Connect Core 1.0 §3.1.3.7)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "lanyard-jwks.h"

G_BEGIN_DECLS

#define LANYARD_ID_TOKEN_DEFAULT_SKEW_SECONDS (5 * 60)

typedef struct {
  const char *issuer;        /* exactly the discovery document's issuer */
  const char *client_id;     /* must be in aud; must equal azp when present */
  const char *nonce;         /* NULL when no nonce was sent (refresh) */
  gint64      now;           /* seconds since the epoch; 0 = the current time */
  gint64      skew_seconds;  /* 0 = LANYARD_ID_TOKEN_DEFAULT_SKEW_SECONDS */
} LanyardIdTokenExpectations;

/* Checks, in order: JWS form, alg allow-list, signature against @jwks, payload
 * a JSON object without duplicate keys, iss, aud, azp (required when aud has
 * several values), exp, iat (and nbf when present), nonce, sub present.
 * Returns the claims (a new JsonObject) or NULL with LANYARD_ERROR_INVALID_TOKEN
 * whose message names the failed check, e.g. "ID token rejected: issuer is …".
 * Messages never contain the token or the nonce. */
JsonObject *lanyard_id_token_validate (const char                       *id_token,
                                       LanyardJwks                      *jwks,
                                       const LanyardIdTokenExpectations *expect,
                                       GError                          **error);

/* Decodes the payload without verifying anything — only for display of a
 * token that was validated before it was stored. */
JsonObject *lanyard_id_token_peek_claims (const char  *id_token,
                                          GError     **error);

G_END_DECLS
