/* fuzz-device-authorization.c — what a device authorization endpoint answers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Whatever lanyard_device_authorization_parse () accepts goes on screen and
 * into a QR code: a printable user code, https URIs (http only on loopback),
 * a positive lifetime, an interval of at least a second.
 */
#include "config.h"

#include <string.h>

#include "lanyard-authority.h"
#include "lanyard-device-grant.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check (GBytes   *body,
       gboolean  allow_loopback_http)
{
  g_autoptr(LanyardDeviceAuthorization) authorization = NULL;
  g_autoptr(GError) error = NULL;
  const char *complete;

  authorization = lanyard_device_authorization_parse (body, allow_loopback_http, FUZZ_NOW, &error);
  if (authorization == NULL)
    {
      fuzz_check_error (error);
      g_assert_cmpint (error->code, ==, LANYARD_ERROR_INVALID_RESPONSE);
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (authorization->device_code);
  g_assert_cmpstr (authorization->device_code, !=, "");
  g_assert_cmpuint (authorization->expires_in, >, 0);
  g_assert_cmpuint (authorization->interval, >=, 1);
  g_assert_true (g_utf8_validate (lanyard_device_code_get_user_code (authorization->code), -1, NULL));
  g_assert_null (strpbrk (lanyard_device_code_get_user_code (authorization->code), "\r\n\t\033"));
  g_assert_true (lanyard_url_is_acceptable_endpoint (lanyard_device_code_get_verification_uri (authorization->code),
                                                     allow_loopback_http));
  complete = lanyard_device_code_get_verification_uri_complete (authorization->code);
  g_assert_true (complete == NULL || lanyard_url_is_acceptable_endpoint (complete, allow_loopback_http));
  g_assert_cmpint (lanyard_device_code_get_expires_at (authorization->code), ==,
                   FUZZ_NOW + authorization->expires_in);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);

  check (body, FALSE);
  check (body, TRUE);

  return 0;
}
