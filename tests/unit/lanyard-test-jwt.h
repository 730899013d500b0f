/* lanyard-test-jwt.h — a test-side JWS signer: fresh keys, their JWKs, tokens
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>

G_BEGIN_DECLS

typedef struct _LanyardTestKey LanyardTestKey;

LanyardTestKey *lanyard_test_key_new_rsa        (guint           bits);
/* @crv: "P-256" or "P-384" */
LanyardTestKey *lanyard_test_key_new_ec         (const char     *crv);
void            lanyard_test_key_free           (LanyardTestKey *key);
EVP_PKEY       *lanyard_test_key_get_pkey       (LanyardTestKey *key);
/* The public key as PEM SubjectPublicKeyInfo text. */
char           *lanyard_test_key_get_public_pem (LanyardTestKey *key);

/* The public key as a JWK object; @kid, @alg and @use are left out when NULL. */
char           *lanyard_test_key_to_jwk         (LanyardTestKey *key,
                                                 const char     *kid,
                                                 const char     *alg,
                                                 const char     *use);

/* {"keys":[…]} from JWK texts, NULL-terminated. */
char           *lanyard_test_jwks_build         (const char     *first_jwk,
                                                 ...) G_GNUC_NULL_TERMINATED;

/* BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature), signed
 * with @key by @alg (RS256/384/512, PS256, ES256/384; ES as raw R||S). The
 * header and payload texts are used byte for byte, so they may be anything. */
char           *lanyard_test_jws_sign           (LanyardTestKey *key,
                                                 const char     *alg,
                                                 const char     *header_json,
                                                 const char     *payload_json);

/* The same with HMAC-SHA256 and @secret (for HS256 confusion attacks). */
char           *lanyard_test_jws_sign_hmac      (const guint8   *secret,
                                                 gsize           secret_len,
                                                 const char     *header_json,
                                                 const char     *payload_json);

/* Assembles a token with the given signature bytes (may be empty). */
char           *lanyard_test_jws_assemble       (const char     *header_json,
                                                 const char     *payload_json,
                                                 const guint8   *signature,
                                                 gsize           signature_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardTestKey, lanyard_test_key_free)

G_END_DECLS
