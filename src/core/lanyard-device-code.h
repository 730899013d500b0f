/* lanyard-device-code.h — what the user needs to approve a device sign-in
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_DEVICE_CODE (lanyard_device_code_get_type ())
G_DECLARE_FINAL_TYPE (LanyardDeviceCode, lanyard_device_code, LANYARD, DEVICE_CODE, GObject)

/**
 * LanyardDeviceCode:
 *
 * The description of a device sign-in (RFC 8628 section 3.2) that a UI shows
 * while the client polls: the code to type, where to type it, and for how
 * long. Immutable. The device code itself, the secret the client polls with,
 * is not part of it.
 */

LanyardDeviceCode *lanyard_device_code_new                       (const char *user_code,
                                                                  const char *verification_uri,
                                                                  const char *verification_uri_complete,
                                                                  gint64      expires_at,
                                                                  guint       interval);

const char        *lanyard_device_code_get_user_code             (LanyardDeviceCode *self);
const char        *lanyard_device_code_get_verification_uri      (LanyardDeviceCode *self);
/* NULL when the provider sent none. */
const char        *lanyard_device_code_get_verification_uri_complete (LanyardDeviceCode *self);
/* The URI a QR code should carry: the complete one (the code included) when
 * the provider sent one, else the verification URI. */
const char        *lanyard_device_code_get_qr_uri                (LanyardDeviceCode *self);
/* Seconds since the epoch (g_get_real_time() / G_USEC_PER_SEC). */
gint64             lanyard_device_code_get_expires_at            (LanyardDeviceCode *self);
/* Seconds between polls the provider asked for at the start. */
guint              lanyard_device_code_get_interval              (LanyardDeviceCode *self);

G_END_DECLS
