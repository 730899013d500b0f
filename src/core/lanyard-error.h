/* lanyard-error.h — the one error domain of liblanyard
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LANYARD_ERROR (lanyard_error_quark ())

/* Codes a UI or a script can act on. Keep in sync with the CLI exit codes. */
typedef enum {
  LANYARD_ERROR_FAILED,               /* anything not listed below */
  LANYARD_ERROR_CANCELLED,            /* the user or caller cancelled */
  LANYARD_ERROR_TIMED_OUT,            /* no authorization response in time, or a request timed out */
  LANYARD_ERROR_BROWSER,              /* the browser could not be opened */
  LANYARD_ERROR_PROVIDER,             /* the provider answered with an OAuth error */
  LANYARD_ERROR_NETWORK,              /* provider unreachable */
  LANYARD_ERROR_TLS,                  /* certificate not trusted, wrong host, expired… */
  LANYARD_ERROR_INVALID_RESPONSE,     /* the provider answered garbage */
  LANYARD_ERROR_INVALID_TOKEN,        /* an ID token failed validation; message names the check */
  LANYARD_ERROR_STATE_MISMATCH,       /* authorization response for another request */
  LANYARD_ERROR_KEYRING_LOCKED,       /* the collection is locked */
  LANYARD_ERROR_KEYRING_UNAVAILABLE,  /* no Secret Service */
  LANYARD_ERROR_INTERACTION_REQUIRED, /* silent renewal impossible: sign in again */
  LANYARD_ERROR_CONFIGURATION,        /* bad authority, client id, redirect… */
  LANYARD_ERROR_NOT_FOUND,            /* no such account */
} LanyardError;

GQuark lanyard_error_quark (void);

#ifdef LANYARD_COMPILATION
/* Private to the core and its tests: not exported from liblanyard-1. */
/* Maps GIO, libsoup, TLS and libsecret errors to the domain above (NULL stays NULL).
 * Takes ownership of @error and returns a new one with a message that keeps the original. */
GError *lanyard_error_from_gerror (GError *error);
#endif


G_END_DECLS
