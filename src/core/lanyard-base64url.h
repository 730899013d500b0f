/* lanyard-base64url.h — RFC 4648 §5 base64url without padding (as JOSE uses it)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char   *lanyard_base64url_encode (const guint8 *data,
                                  gsize         len);

/* Strict: rejects '=' padding, characters outside the url-safe alphabet and
 * impossible lengths (len % 4 == 1) with LANYARD_ERROR_INVALID_RESPONSE.
 * @len may be -1 for a NUL-terminated @text. */
GBytes *lanyard_base64url_decode (const char  *text,
                                  gssize       len,
                                  GError     **error);

G_END_DECLS
