/* lanyard-test-utils.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "lanyard-test-utils.h"

void
lanyard_test_init (int    *argc,
                   char ***argv)
{
  /* Isolated XDG dirs hide the GSettings schemas, and glib-networking's GNOME
   * proxy resolver aborts without them: nothing here goes through a proxy. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  /* Each test case gets its own empty XDG dirs, so disk caches never leak
   * from one case into the next. */
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

SoupServer *
lanyard_test_server_new (char **base_uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  SoupServer *server = soup_server_new (NULL, NULL);
  GSList *uris;

  soup_server_listen (server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  if (base_uri != NULL)
    {
      g_autofree char *full = g_uri_to_string (uris->data);
      gsize len = strlen (full);

      if (len > 0 && full[len - 1] == '/')
        full[len - 1] = '\0';
      *base_uri = g_steal_pointer (&full);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

static gboolean
give_up_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
lanyard_test_wait_for (gboolean *flag)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, give_up_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

void
lanyard_test_store_result_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GAsyncResult *
lanyard_test_wait_result (GAsyncResult **result_slot)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, give_up_cb, &timed_out);

  while (*result_slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);

  return g_steal_pointer (result_slot);
}
