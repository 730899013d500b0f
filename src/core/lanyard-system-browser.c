/* lanyard-system-browser.c — $BROWSER, else the desktop's default handler
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-browser"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "lanyard-browser.h"
#include "lanyard-error.h"
#include "lanyard-i18n-private.h"

struct _LanyardSystemBrowser
{
  GObject parent_instance;
};

static void lanyard_system_browser_iface_init (LanyardBrowserInterface *iface);

/**
 * LanyardSystemBrowser:
 *
 * The [iface@Lanyard.Browser] of terminal programs: `$BROWSER`, else the
 * desktop's default browser.
 */
G_DEFINE_FINAL_TYPE_WITH_CODE (LanyardSystemBrowser, lanyard_system_browser, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LANYARD_TYPE_BROWSER,
                                                      lanyard_system_browser_iface_init))

/* One $BROWSER entry: "%s" is replaced by the URL, or the URL is appended,
 * as xdg-open and Python's webbrowser read the variable. */
static GStrv
browser_argv_for (const char *command,
                  const char *uri)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean substituted = FALSE;

  if (!g_shell_parse_argv (command, NULL, &argv, NULL))
    return NULL;

  for (guint i = 0; argv[i] != NULL; i++)
    {
      if (strstr (argv[i], "%s") != NULL)
        {
          g_autoptr(GString) arg = g_string_new (argv[i]);

          g_string_replace (arg, "%s", uri, 0);
          g_strv_builder_add (builder, arg->str);
          substituted = TRUE;
        }
      else
        g_strv_builder_add (builder, argv[i]);
    }

  if (!substituted)
    g_strv_builder_add (builder, uri);

  return g_strv_builder_end (builder);
}

/* Why a $BROWSER command did not start, in words: GLib's "Failed to execute
 * child process" says neither what the program was for nor what to do. */
static void
set_spawn_error (GError     **error,
                 const char  *program,
                 GError      *spawn_error)
{
  if (spawn_error == NULL)
    g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_BROWSER,
                         _("$BROWSER names no command that could open a link: set it to a "
                           "browser such as “firefox”, or unset it to use the desktop’s "
                           "default browser"));
  else if (g_error_matches (spawn_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
    g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_BROWSER,
                 /* Translators: %s is a program name, such as “firefox” */
                 _("The browser “%s” named in $BROWSER is not installed: set $BROWSER to "
                   "another browser, or unset it to use the desktop’s default browser"),
                 program);
  else if (g_error_matches (spawn_error, G_SPAWN_ERROR, G_SPAWN_ERROR_ACCES) ||
           g_error_matches (spawn_error, G_SPAWN_ERROR, G_SPAWN_ERROR_PERM))
    g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_BROWSER,
                 _("The browser “%s” named in $BROWSER may not be run (permission denied)"),
                 program);
  else
    g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_BROWSER,
                 /* Translators: %1$s is a program name, %2$s the system's reason */
                 _("The browser “%1$s” named in $BROWSER could not be started: %2$s"),
                 program, spawn_error->message);
}

static gboolean
spawn_from_browser_variable (const char  *browser_variable,
                             const char  *uri,
                             GError     **error)
{
  g_auto(GStrv) commands = g_strsplit (browser_variable, ":", -1);
  g_autoptr(GError) last_error = NULL;
  g_autofree char *last_program = NULL;

  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_auto(GStrv) argv = NULL;
      int stderr_copy;

      if (g_strstrip (commands[i])[0] == '\0')
        continue;

      argv = browser_argv_for (commands[i], uri);
      if (argv == NULL)
        continue;

      /* The browser's chatter goes to stderr: stdout is for machine output. */
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
      stderr_copy = dup (STDERR_FILENO);
      if (stderr_copy >= 0)
        g_subprocess_launcher_take_stdout_fd (launcher, stderr_copy);

      g_clear_error (&last_error);
      process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &last_error);
      if (process != NULL)
        {
          g_debug ("Opened the browser with $BROWSER entry %u", i);
          return TRUE;
        }
      g_free (last_program);
      last_program = g_strdup (argv[0]);
    }

  set_spawn_error (error, last_program, last_error);
  return FALSE;
}

static void
launch_default_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED, "%s", error->message);
      else
        g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_BROWSER,
                                 /* Translators: %s is the system's reason */
                                 _("The desktop’s default web browser could not be opened: %s"),
                                 error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
lanyard_system_browser_open_uri_async (LanyardBrowser      *browser,
                                       const char          *uri,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (browser, cancellable, callback, user_data);
  const char *browser_variable = g_getenv ("BROWSER");

  g_task_set_source_tag (task, lanyard_system_browser_open_uri_async);
  /* A browser that was started stays started: the answer says what
   * happened, and a cancellation is LANYARD_ERROR_CANCELLED (launch_default_cb). */
  g_task_set_check_cancellable (task, FALSE);

  /* GIO ignores $BROWSER; terminals users (and gh, az) expect it honoured. */
  if (browser_variable != NULL && browser_variable[0] != '\0')
    {
      GError *error = NULL;

      if (spawn_from_browser_variable (browser_variable, uri, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }

  g_app_info_launch_default_for_uri_async (uri, NULL, cancellable, launch_default_cb,
                                           g_steal_pointer (&task));
}

static gboolean
lanyard_system_browser_open_uri_finish (LanyardBrowser  *browser,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, browser), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lanyard_system_browser_iface_init (LanyardBrowserInterface *iface)
{
  iface->open_uri_async = lanyard_system_browser_open_uri_async;
  iface->open_uri_finish = lanyard_system_browser_open_uri_finish;
}

static void
lanyard_system_browser_class_init (LanyardSystemBrowserClass *klass)
{
}

static void
lanyard_system_browser_init (LanyardSystemBrowser *self)
{
}

/**
 * lanyard_system_browser_new:
 *
 * The browser of terminal programs: `$BROWSER` when set (a `:`-separated
 * list of commands; `%s` is replaced by the URL, else the URL is appended;
 * the first that starts wins), else the desktop's default handler for the
 * URL's scheme (inside a Flatpak sandbox, the OpenURI portal).
 *
 * Returns: (transfer full): a new #LanyardSystemBrowser
 */
LanyardBrowser *
lanyard_system_browser_new (void)
{
  return g_object_new (LANYARD_TYPE_SYSTEM_BROWSER, NULL);
}
