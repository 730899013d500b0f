/* lanyard-oauth-error.h — what a provider's error code means for a person
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A translated sentence saying what an OAuth 2.0 (RFC 6749 §4.1.2.1, §5.2)
 * or OpenID Connect (Core §3.1.2.6) error code means for the person, or NULL
 * for a code Lanyard does not know. */
const char *lanyard_oauth_error_explain (const char *code);

/* The message of a provider's error: the explanation, then what the provider
 * sent, verbatim (@provider_text: "code" or "code: description …", already
 * cleaned of anything unprintable) so that it can be looked up or reported. */
char       *lanyard_oauth_error_message (const char *code,
                                        const char *provider_text);

G_END_DECLS
