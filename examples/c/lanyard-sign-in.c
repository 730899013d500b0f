/* lanyard-sign-in.c — sign in with liblanyard-1 from C: LANYARD_AUTHORITY,
 * LANYARD_CLIENT_ID and LANYARD_CA_FILE from the environment, $BROWSER, the
 * ID token's claims as JSON on stdout. Build it with
 *   cc lanyard-sign-in.c $(pkg-config --cflags --libs lanyard-1)
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <lanyard.h>

static void
signed_in_cb (GObject *client, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanyardAccount) account = lanyard_client_sign_in_finish (LANYARD_CLIENT (client), result, &error);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), account ? lanyard_account_get_claims (account) : NULL);
  g_autofree char *json = account ? json_to_string (node, TRUE) : NULL;

  if (account)
    g_print ("%s\n", json);
  else
    g_printerr ("lanyard-sign-in: %s\n", error->message);
  *(int *) user_data = account ? 0 : 1;
}

int
main (void)
{
  g_autoptr(LanyardConfig) config = lanyard_config_new_from_environment ();
  g_autoptr(LanyardClient) client = lanyard_client_new (config, NULL, NULL, NULL);
  int status = -1;

  lanyard_client_sign_in_async (client, NULL, NULL, signed_in_cb, &status);
  while (status < 0)
    g_main_context_iteration (NULL, TRUE);
  return status;
}
