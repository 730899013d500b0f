/* lanyard-pkce.h — PKCE (RFC 7636), state and nonce from a CSPRNG
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @n_bytes random bytes from OpenSSL RAND_bytes, base64url encoded.
 * Aborts if the CSPRNG fails: there is no safe fallback. */
char     *lanyard_random_token          (gsize       n_bytes);

/* A 32-byte verifier (43 characters), as RFC 7636 §4.1 recommends. */
char     *lanyard_pkce_new_verifier     (void);

/* BASE64URL(SHA256(ASCII(verifier))) — RFC 7636 §4.2 "S256". */
char     *lanyard_pkce_challenge_s256   (const char *verifier);

/* Constant-time equality of two strings (length leaks, content does not). */
gboolean  lanyard_secure_str_equal      (const char *a,
                                         const char *b);

G_END_DECLS
