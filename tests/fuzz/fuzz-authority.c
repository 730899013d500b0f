/* fuzz-authority.c — lanyard_authority_parse () on what a user might type
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Besides not crashing: the normalised URL is a fixed point (parsing it
 * again gives the same authority), and every URL it yields is one the
 * client would accept as an endpoint.
 */
#include "config.h"

#include "lanyard-authority.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autoptr(LanyardAuthority) authority = NULL;
  g_autoptr(LanyardAuthority) again = NULL;
  g_autoptr(GError) error = NULL;
  const char *url;
  const char *logout_url;

  (void) lanyard_host_is_loopback (input);
  (void) lanyard_url_is_acceptable_endpoint (input, TRUE);
  (void) lanyard_url_is_acceptable_endpoint (input, FALSE);

  authority = lanyard_authority_parse (input, &error);
  if (authority == NULL)
    {
      fuzz_check_error (error);
      g_assert_cmpint (error->code, ==, LANYARD_ERROR_CONFIGURATION);
      return 0;
    }

  url = lanyard_authority_get_url (authority);
  logout_url = lanyard_authority_get_entra_logout_url (authority);
  g_assert_nonnull (url);
  g_assert_nonnull (lanyard_authority_get_host (authority));
  g_assert_true (lanyard_authority_is_loopback (authority) ==
                 lanyard_host_is_loopback (lanyard_authority_get_host (authority)));
  g_assert_true (lanyard_url_is_acceptable_endpoint (lanyard_authority_get_discovery_url (authority), TRUE));
  g_assert_true (lanyard_authority_is_entra (authority) == (logout_url != NULL));
  if (logout_url != NULL)
    g_assert_true (lanyard_url_is_acceptable_endpoint (logout_url, TRUE));

  again = lanyard_authority_parse (url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lanyard_authority_get_url (again), ==, url);
  g_assert_cmpstr (lanyard_authority_get_discovery_url (again), ==,
                   lanyard_authority_get_discovery_url (authority));
  g_assert_true (lanyard_authority_is_entra (again) == lanyard_authority_is_entra (authority));

  return 0;
}
