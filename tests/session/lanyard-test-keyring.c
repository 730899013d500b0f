/* lanyard-test-keyring.c — lock, unlock or inspect the test session's keyring
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   lanyard-test-keyring lock   [COLLECTION]
 *   lanyard-test-keyring unlock [COLLECTION]   (password: $LANYARD_TEST_KEYRING_PW or "test")
 *   lanyard-test-keyring status [COLLECTION]   (prints "locked" or "unlocked")
 *
 * COLLECTION is an object path, /org/freedesktop/secrets/collection/login by
 * default. Unlocking goes through gnome-keyring's private
 * UnlockWithMasterPassword call, so no prompt is ever shown: the standard
 * Unlock method would ask the user. Only for tests on a private bus.
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#define SECRETS_NAME "org.freedesktop.secrets"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define DEFAULT_COLLECTION SECRETS_PATH "/collection/login"
#define TIMEOUT_MS 10000

static gboolean
do_lock (GDBusConnection  *connection,
         const char       *collection,
         GError          **error)
{
  const char *paths[] = { collection, NULL };
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) locked = NULL;
  const char *prompt;

  reply = g_dbus_connection_call_sync (connection, SECRETS_NAME, SECRETS_PATH,
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new ("(^ao)", paths),
                                       G_VARIANT_TYPE ("(aoo)"),
                                       G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, error);
  if (reply == NULL)
    return FALSE;

  g_variant_get (reply, "(@ao&o)", &locked, &prompt);
  if (g_strcmp0 (prompt, "/") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Locking wants a prompt (%s)", prompt);
      return FALSE;
    }

  return TRUE;
}

static gboolean
do_unlock (GDBusConnection  *connection,
           const char       *collection,
           const char       *password,
           GError          **error)
{
  g_autoptr(GVariant) session_reply = NULL;
  g_autoptr(GVariant) unlock_reply = NULL;
  g_autoptr(GVariant) output = NULL;
  const char *session;
  GVariant *secret;

  /* A "plain" session: the password travels unencrypted, but only over
   * the private test bus. It must be opened on this same connection. */
  session_reply = g_dbus_connection_call_sync (connection, SECRETS_NAME, SECRETS_PATH,
                                               "org.freedesktop.Secret.Service", "OpenSession",
                                               g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                               G_VARIANT_TYPE ("(vo)"),
                                               G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, error);
  if (session_reply == NULL)
    return FALSE;

  g_variant_get (session_reply, "(v&o)", &output, &session);
  secret = g_variant_new ("(o@ay@ays)", session,
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password, strlen (password), 1),
                          "text/plain");

  unlock_reply = g_dbus_connection_call_sync (connection, SECRETS_NAME, SECRETS_PATH,
                                              "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                              "UnlockWithMasterPassword",
                                              g_variant_new ("(o@(oayays))", collection, secret),
                                              NULL, G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, error);
  return unlock_reply != NULL;
}

static gboolean
do_status (GDBusConnection  *connection,
           const char       *collection,
           GError          **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (connection, SECRETS_NAME, collection,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                                       G_VARIANT_TYPE ("(v)"),
                                       G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, error);
  if (reply == NULL)
    return FALSE;

  g_variant_get (reply, "(v)", &value);
  g_print ("%s\n", g_variant_get_boolean (value) ? "locked" : "unlocked");
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  const char *collection = argc > 2 ? argv[2] : DEFAULT_COLLECTION;
  const char *password = g_getenv ("LANYARD_TEST_KEYRING_PW");
  gboolean ok;

  if (argc < 2 || argc > 3)
    {
      g_printerr ("usage: %s lock|unlock|status [COLLECTION-PATH]\n", argv[0]);
      return 64;
    }

  if (!g_variant_is_object_path (collection))
    {
      g_printerr ("%s: not an object path: %s\n", argv[0], collection);
      return 64;
    }

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (connection == NULL)
    {
      g_printerr ("%s: no session bus: %s\n", argv[0], error->message);
      return 1;
    }

  if (g_str_equal (argv[1], "lock"))
    ok = do_lock (connection, collection, &error);
  else if (g_str_equal (argv[1], "unlock"))
    ok = do_unlock (connection, collection, password != NULL ? password : "test", &error);
  else if (g_str_equal (argv[1], "status"))
    ok = do_status (connection, collection, &error);
  else
    {
      g_printerr ("%s: unknown command “%s”\n", argv[0], argv[1]);
      return 64;
    }

  if (!ok)
    {
      g_printerr ("%s %s: %s\n", argv[0], argv[1], error->message);
      return 1;
    }

  return 0;
}
