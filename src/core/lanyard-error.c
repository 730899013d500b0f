/* lanyard-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-error"

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "lanyard-error.h"

/**
 * LANYARD_ERROR:
 *
 * The error domain of liblanyard: every #GError it returns is in it, with a
 * [error@Lanyard.Error] code a program can act on and a message a person can
 * read. Messages never contain a token, code, verifier or secret.
 */
/**
 * LanyardError:
 * @LANYARD_ERROR_FAILED: anything not listed below
 * @LANYARD_ERROR_CANCELLED: the user or the caller cancelled
 * @LANYARD_ERROR_TIMED_OUT: no authorization response in time, or a request
 *   timed out
 * @LANYARD_ERROR_BROWSER: the browser could not be opened
 * @LANYARD_ERROR_PROVIDER: the provider answered with an OAuth error (for
 *   example `access_denied`); the message quotes its description
 * @LANYARD_ERROR_NETWORK: the provider is unreachable
 * @LANYARD_ERROR_TLS: the provider's certificate is not trusted, names
 *   another host or has expired
 * @LANYARD_ERROR_INVALID_RESPONSE: the provider answered something that is
 *   not a valid response
 * @LANYARD_ERROR_INVALID_TOKEN: an ID token failed validation; the message
 *   names the check
 * @LANYARD_ERROR_STATE_MISMATCH: an authorization response for another
 *   request
 * @LANYARD_ERROR_KEYRING_LOCKED: the keyring is locked
 * @LANYARD_ERROR_KEYRING_UNAVAILABLE: there is no Secret Service
 * @LANYARD_ERROR_INTERACTION_REQUIRED: silent renewal is impossible: sign in
 *   again
 * @LANYARD_ERROR_CONFIGURATION: a bad authority, client id, scope or
 *   redirect setting
 * @LANYARD_ERROR_NOT_FOUND: no such account
 *
 * The codes of %LANYARD_ERROR. `lanyard-cli` maps each to its own exit
 * status.
 */
/**
 * lanyard_error_quark:
 *
 * The quark of the error domain.
 *
 * Returns: the quark of %LANYARD_ERROR
 */
G_DEFINE_QUARK (lanyard-error-quark, lanyard_error)

static LanyardError
code_for (const GError *error)
{
  if (error->domain == LANYARD_ERROR)
    return error->code;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return LANYARD_ERROR_CANCELLED;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return LANYARD_ERROR_TIMED_OUT;

  if (error->domain == G_TLS_ERROR)
    return LANYARD_ERROR_TLS;

  if (error->domain == G_DBUS_ERROR)
    return LANYARD_ERROR_KEYRING_UNAVAILABLE;

  if (error->domain == SOUP_SESSION_ERROR)
    return LANYARD_ERROR_INVALID_RESPONSE;

  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR)
    return LANYARD_ERROR_NETWORK;

  return LANYARD_ERROR_FAILED;
}

GError *
lanyard_error_from_gerror (GError *error)
{
  GError *mapped;

  if (error == NULL || error->domain == LANYARD_ERROR)
    return error;

  mapped = g_error_new_literal (LANYARD_ERROR, code_for (error), error->message);
  g_error_free (error);
  return mapped;
}
