/* lanyard-redirect-response.h — judging an OAuth authorization response (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the browser brings back to the loopback listener, as a query or a
 * form_post body, without sockets or HTTP: the form, the state (compared
 * in constant time), RFC 9207's iss, the provider's error, the code.
 * Fuzzed directly (tests/fuzz/fuzz-redirect-response.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *state;         /* what the request sent; never empty */
  const char *issuer;        /* NULL: no RFC 9207 check (the provider's issuer is unknown) */
  gboolean    iss_required;  /* discovery promised an "iss" in every response */
} LanyardRedirectExpect;

typedef enum {
  LANYARD_REDIRECT_CODE,     /* *code: the authorization code; the wait ends with it */
  LANYARD_REDIRECT_FAILED,   /* *error: the wait ends with it (a provider error, an RFC 9207
                                mismatch: the response is ours, the flow is over) */
  LANYARD_REDIRECT_REFUSED,  /* *error: a sentence for a 400 page; the wait goes on.
                                LANYARD_ERROR_STATE_MISMATCH when the state is not ours,
                                LANYARD_ERROR_INVALID_RESPONSE otherwise */
} LanyardRedirectVerdict;

/* Judges @form (@len bytes, need not be NUL-terminated; NULL = no query
 * at all). Exactly one of *@code and *@error is set. Provider text in an
 * error is cleaned (no control characters nor bidi overrides) and capped. */
LanyardRedirectVerdict lanyard_redirect_response_judge (const char                  *form,
                                                        gsize                        len,
                                                        const LanyardRedirectExpect *expect,
                                                        char                       **code,
                                                        GError                     **error);

/* application/x-www-form-urlencoded into name → value (transfer full), or
 * NULL when malformed, not UTF-8, holding a NUL, more than 64 parameters,
 * or when a parameter comes twice. */
GHashTable            *lanyard_redirect_parse_form     (const char                  *data,
                                                        gsize                        len);

G_END_DECLS
