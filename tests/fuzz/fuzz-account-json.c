/* fuzz-account-json.c — lanyard_account_new_from_json () on a damaged keyring item
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What loads must save and load again to the same account: a stored
 * account that Lanyard itself cannot read back would be lost.
 */
#include "config.h"

#include "lanyard-account.h"

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
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(LanyardAccount) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  const char * const scopes[] = { "User.Read", NULL };

  account = lanyard_account_new_from_json (input, &error);
  if (account == NULL)
    {
      fuzz_check_error (error);
      g_assert_cmpint (error->code, ==, LANYARD_ERROR_INVALID_RESPONSE);
      return 0;
    }

  g_assert_nonnull (lanyard_account_get_id (account));
  g_assert_nonnull (lanyard_account_get_claims (account));
  g_assert_nonnull (lanyard_account_get_scopes (account));
  (void) lanyard_account_get_username (account);
  (void) lanyard_account_get_display_name (account);
  (void) lanyard_account_get_login_hint (account);
  (void) lanyard_account_get_issuer (account);
  (void) lanyard_account_has_valid_access_token (account, NULL, FUZZ_NOW, 60);
  (void) lanyard_account_has_valid_access_token (account, scopes, FUZZ_NOW, 60);

  json = lanyard_account_to_json (account);
  again = lanyard_account_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpstr (lanyard_account_get_id (again), ==, lanyard_account_get_id (account));
  g_assert_cmpstr (lanyard_account_get_username (again), ==, lanyard_account_get_username (account));
  g_assert_cmpstr (lanyard_account_get_refresh_token (again), ==,
                   lanyard_account_get_refresh_token (account));

  json_again = lanyard_account_to_json (again);
  g_assert_cmpstr (json_again, ==, json);

  return 0;
}
