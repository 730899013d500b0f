/* fuzz-redirect-params.c — the loopback's query / form_post body parser
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is what a browser (or any local program) sends to the redirect
 * URI: "code=…&state=…" as a query or an application/x-www-form-urlencoded
 * body.
 */
#include "config.h"

#include <string.h>

#include "lanyard-redirect-response.h"

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
  g_autoptr(GHashTable) params = NULL;
  GHashTableIter iter;
  gpointer key, value;

  params = lanyard_redirect_parse_form ((const char *) data, size);
  if (params == NULL)
    return 0;

  /* A NUL anywhere is refused, so every parameter came from the input. */
  g_assert_null (memchr (data, '\0', size));

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_cmpstr (key, !=, "");
      g_assert_true (g_utf8_validate (key, -1, NULL));
      g_assert_true (g_utf8_validate (value, -1, NULL));
    }

  return 0;
}
