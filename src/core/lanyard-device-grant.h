/* lanyard-device-grant.h — the requests of the device authorization grant (RFC 8628)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "lanyard-device-code.h"
#include "lanyard-token-endpoint.h"

G_BEGIN_DECLS

#define LANYARD_DEVICE_GRANT_TYPE "urn:ietf:params:oauth:grant-type:device_code"
/* RFC 8628 3.2: the interval when the provider names none, and what slow_down adds. */
#define LANYARD_DEVICE_DEFAULT_INTERVAL 5
#define LANYARD_DEVICE_SLOW_DOWN_STEP 5

typedef struct {
  char              *device_code;   /* the secret the client polls with */
  LanyardDeviceCode *code;          /* what the user sees */
  guint              expires_in;    /* seconds, > 0 */
  guint              interval;      /* seconds, >= 1 */
} LanyardDeviceAuthorization;

void  lanyard_device_authorization_free (LanyardDeviceAuthorization *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardDeviceAuthorization, lanyard_device_authorization_free)

/* Parses a 200 answer of the device authorization endpoint (RFC 8628 3.2).
 * device_code, user_code, verification_uri (Entra's older verification_url
 * too) and expires_in are required; the URIs must be https (http only when
 * @allow_loopback_http and the host is loopback), with no userinfo; the user
 * code must be printable and short. Anything else is
 * LANYARD_ERROR_INVALID_RESPONSE naming the member. */
LanyardDeviceAuthorization *lanyard_device_authorization_parse (GBytes    *body,
                                                                gboolean   allow_loopback_http,
                                                                gint64     now,
                                                                GError   **error);

/* POSTs client_id and scope to the device authorization endpoint. */
void                        lanyard_device_authorization_request_async  (SoupSession         *session,
                                                                         const char          *endpoint,
                                                                         const char          *client_id,
                                                                         const char          *scope,
                                                                         gboolean             allow_loopback_http,
                                                                         GCancellable        *cancellable,
                                                                         GAsyncReadyCallback  callback,
                                                                         gpointer             user_data);
LanyardDeviceAuthorization *lanyard_device_authorization_request_finish (GAsyncResult        *result,
                                                                         GError             **error);

typedef enum {
  LANYARD_DEVICE_POLL_GRANTED,    /* tokens returned */
  LANYARD_DEVICE_POLL_PENDING,    /* authorization_pending: ask again after the interval */
  LANYARD_DEVICE_POLL_SLOW_DOWN,  /* slow_down: ask again, 5 s more apart from now on */
  LANYARD_DEVICE_POLL_TIMED_OUT,  /* the request timed out: ask again, less often (3.5) */
  LANYARD_DEVICE_POLL_FAILED,     /* the error says why */
} LanyardDevicePollStatus;

/* One token request with grant_type=urn:ietf:params:oauth:grant-type:device_code. */
void                  lanyard_device_token_poll_async  (SoupSession              *session,
                                                        const char               *token_endpoint,
                                                        const char               *client_id,
                                                        const char               *device_code,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
/* Errors: access_denied (and Entra's authorization_declined) are
 * LANYARD_ERROR_PROVIDER, expired_token (and code_expired)
 * LANYARD_ERROR_TIMED_OUT, others as lanyard_oauth_error_from_response(). */
LanyardTokenResponse *lanyard_device_token_poll_finish (GAsyncResult             *result,
                                                        LanyardDevicePollStatus  *status,
                                                        GError                  **error);

G_END_DECLS
