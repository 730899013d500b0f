/* lanyard-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-error"

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "lanyard-error.h"

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
