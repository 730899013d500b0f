/* lanyard-jwks.h — a JSON Web Key Set (RFC 7517) turned into OpenSSL keys
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>

G_BEGIN_DECLS

typedef struct _LanyardJwks LanyardJwks;

/* Parses a JWKS document. Keys that are not signature keys (use != "sig"),
 * of an unsupported kty/crv, or malformed, are skipped; a document that is not
 * a JSON object with a "keys" array is LANYARD_ERROR_INVALID_RESPONSE. */
LanyardJwks *lanyard_jwks_new_from_data (const char  *data,
                                         gsize        len,
                                         GError     **error);
LanyardJwks *lanyard_jwks_ref           (LanyardJwks *self);
void         lanyard_jwks_unref         (LanyardJwks *self);
guint        lanyard_jwks_get_n_keys    (LanyardJwks *self);
gboolean     lanyard_jwks_has_kid       (LanyardJwks *self,
                                         const char  *kid);

/* The key for a JWS header's @kid (may be NULL when the set has exactly one
 * fitting key) that fits @alg: RS* and PS* need kty RSA, ES256 kty EC crv
 * P-256, ES384 crv P-384; a key's own "alg", when present, must equal @alg.
 * Returns a borrowed key, or NULL with LANYARD_ERROR_INVALID_TOKEN. */
EVP_PKEY    *lanyard_jwks_find_key      (LanyardJwks *self,
                                         const char  *kid,
                                         const char  *alg,
                                         GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardJwks, lanyard_jwks_unref)

G_END_DECLS
