/* fuzz-json.c — lanyard_json_parse_object () on arbitrary bytes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Whatever the strict parser accepts, lanyard_json_to_string () (how stored
 * accounts are written) must turn into text that parses back to the same
 * tree. (json-glib 1.6's own generator fails this: 1e22 → "1e+22.0".)
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "lanyard-json.h"

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
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gint64 value;

  object = lanyard_json_parse_object ((const char *) data, (gssize) size, "Fuzz input",
                                      LANYARD_ERROR_INVALID_RESPONSE, &error);
  if (object == NULL)
    {
      fuzz_check_error (error);
      g_assert_cmpint (error->code, ==, LANYARD_ERROR_INVALID_RESPONSE);
      return 0;
    }

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      g_assert_true (g_utf8_validate (name, -1, NULL));
      (void) lanyard_json_get_string (object, name);
      (void) lanyard_json_get_int (object, name, &value);
    }
  g_assert_null (lanyard_json_get_string (object, "\x01 not there"));

  root = json_node_init_object (json_node_alloc (), object);
  text = lanyard_json_to_string (root);

  again = lanyard_json_parse_object (text, -1, "Written JSON",
                                     LANYARD_ERROR_INVALID_RESPONSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  root_again = json_node_init_object (json_node_alloc (), again);
  g_assert_true (json_node_equal (root, root_again));

  return 0;
}
