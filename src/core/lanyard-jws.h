/* lanyard-jws.h — JWS compact serialisation (RFC 7515) parsing and verification
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "lanyard-jwks.h"

G_BEGIN_DECLS

typedef struct _LanyardJws LanyardJws;

/* Splits and decodes header.payload.signature. The header must be a JSON
 * object without duplicate member names and with a string "alg"; the payload
 * is kept as bytes. Anything else is LANYARD_ERROR_INVALID_TOKEN naming what
 * is wrong. Tokens over 64 KiB are refused. */
LanyardJws  *lanyard_jws_parse              (const char  *compact,
                                             GError     **error);
void         lanyard_jws_free               (LanyardJws  *self);
const char  *lanyard_jws_get_alg            (LanyardJws  *self);
const char  *lanyard_jws_get_kid            (LanyardJws  *self); /* NULL if absent */
JsonObject  *lanyard_jws_get_header         (LanyardJws  *self);
GBytes      *lanyard_jws_get_payload        (LanyardJws  *self);

/* Only RS256, RS384, RS512, PS256, ES256 and ES384 are accepted; "none" and
 * HS* are refused before any key is looked at. */
gboolean     lanyard_jws_alg_is_allowed     (const char  *alg);

/* Verifies the signature with @key (ES* signatures are the raw R||S form of
 * RFC 7518 §3.4 and are converted to DER for OpenSSL). */
gboolean     lanyard_jws_verify_with_key    (LanyardJws  *self,
                                             EVP_PKEY    *key,
                                             GError     **error);

/* lanyard_jwks_find_key() by the header's kid and alg, then verify. */
gboolean     lanyard_jws_verify             (LanyardJws  *self,
                                             LanyardJwks *jwks,
                                             GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardJws, lanyard_jws_free)

G_END_DECLS
