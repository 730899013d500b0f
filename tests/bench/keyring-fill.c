/* keyring-fill.c — stores Lanyard account items in the Secret Service quickly (one process, one
 * session), for the silent-token benchmark with many accounts. Reads one account per line on
 * stdin: the JSON that lanyard_account_to_json () writes. Each item gets exactly the schema,
 * attributes, label and content type that src/core/lanyard-account-store.c gives it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Built by run-bench.sh: cc keyring-fill.c $(pkg-config --cflags --libs libsecret-1 json-glib-1.0)
 */
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

/* Same as account_schema in src/core/lanyard-account-store.c (schema version 1): lookups search
 * by account-id and then filter by issuer, so an item without it would be measured on a path
 * the real ones never take. */
static const SecretSchema account_schema = {
  "dev.lanyard.Lanyard.Account", SECRET_SCHEMA_NONE,
  {
    { "schema-version", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "authority", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "issuer", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  unsigned n = 0;

  if (service == NULL)
    {
      fprintf (stderr, "keyring-fill: %s\n", error->message);
      return 1;
    }

  while ((len = getline (&line, &cap, stdin)) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GHashTable) attributes = NULL;
      g_autoptr(SecretValue) value = NULL;
      g_autofree char *label = NULL;
      JsonObject *root, *claims;

      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
      if (len == 0)
        continue;
      if (!json_parser_load_from_data (parser, line, len, &error))
        {
          fprintf (stderr, "keyring-fill: line %u: %s\n", n + 1, error->message);
          return 1;
        }
      root = json_node_get_object (json_parser_get_root (parser));
      claims = json_object_get_object_member (root, "claims");
      attributes = secret_attributes_build (&account_schema,
                                            "schema-version", 1,
                                            "account-id", json_object_get_string_member (root, "id"),
                                            "client-id", json_object_get_string_member (root, "client_id"),
                                            "authority", json_object_get_string_member (root, "authority"),
                                            "issuer", json_object_get_string_member (claims, "iss"),
                                            NULL);
      label = g_strdup_printf ("Lanyard: %s", json_object_get_string_member (claims, "preferred_username"));
      value = secret_value_new (line, len, "application/json");
      if (!secret_service_store_sync (service, &account_schema, attributes, SECRET_COLLECTION_DEFAULT,
                                      label, value, NULL, &error))
        {
          fprintf (stderr, "keyring-fill: line %u: %s\n", n + 1, error->message);
          return 1;
        }
      n++;
    }
  free (line);
  fprintf (stderr, "keyring-fill: stored %u accounts\n", n);
  return 0;
}
