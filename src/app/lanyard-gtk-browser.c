/* lanyard-gtk-browser.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-browser"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-gtk-browser.h"

struct _LanyardGtkBrowser
{
  GObject    parent_instance;

  GWeakRef   parent;
};

static void lanyard_browser_iface_init (LanyardBrowserInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanyardGtkBrowser, lanyard_gtk_browser, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LANYARD_TYPE_BROWSER,
                                                      lanyard_browser_iface_init))

static void
return_error (GTask  *task,
              GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED, "%s", error->message);
  else
    g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_BROWSER, "%s", error->message);
}

static void
launch_default_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
launch_default (GTask *task)
{
  LanyardGtkBrowser *self = g_task_get_source_object (task);
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&self->parent);
  g_autoptr(GAppLaunchContext) context = NULL;
  GdkDisplay *display;

  display = parent ? gtk_widget_get_display (GTK_WIDGET (parent)) : gdk_display_get_default ();
  if (display != NULL)
    context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (display));

  g_app_info_launch_default_for_uri_async (g_task_get_task_data (task),
                                           context,
                                           g_task_get_cancellable (task),
                                           launch_default_cb,
                                           task);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
uri_launcher_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (object), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return_error (task, error);
      return;
    }

  g_debug ("GtkUriLauncher failed, trying the default handler: %s", error->message);
  launch_default (g_steal_pointer (&task));
}
#else
static void
show_uri_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return_error (task, error);
      return;
    }

  g_debug ("gtk_show_uri_full() failed, trying the default handler: %s", error->message);
  launch_default (g_steal_pointer (&task));
}
#endif

static void
system_browser_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (lanyard_browser_open_uri_finish (LANYARD_BROWSER (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
lanyard_gtk_browser_open_uri_async (LanyardBrowser      *browser,
                                    const char          *uri,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  LanyardGtkBrowser *self = LANYARD_GTK_BROWSER (browser);
  g_autoptr(GtkWindow) parent = NULL;
  g_autoptr(GTask) task = NULL;
  const char *browser_env;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_gtk_browser_open_uri_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);

  /* $BROWSER wins, as it does for the CLI, gh and az: GIO ignores it. */
  browser_env = g_getenv ("BROWSER");
  if (browser_env != NULL && *browser_env != '\0')
    {
      g_autoptr(LanyardBrowser) system_browser = lanyard_system_browser_new ();

      lanyard_browser_open_uri_async (system_browser, uri, cancellable,
                                      system_browser_cb, g_steal_pointer (&task));
      return;
    }

  parent = g_weak_ref_get (&self->parent);

  /* GTK 4.8 crashes in gdk_x11_surface_get_xid() when the parent has no
   * surface yet, so only an on-screen window is passed as the parent. */
  if (parent != NULL && !gtk_widget_get_realized (GTK_WIDGET (parent)))
    g_clear_object (&parent);

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

    gtk_uri_launcher_launch (launcher, parent, cancellable,
                             uri_launcher_cb, g_steal_pointer (&task));
  }
#else
  if (parent != NULL)
    gtk_show_uri_full (parent, uri, GDK_CURRENT_TIME, cancellable,
                       show_uri_cb, g_steal_pointer (&task));
  else
    launch_default (g_steal_pointer (&task));
#endif
}

static gboolean
lanyard_gtk_browser_open_uri_finish (LanyardBrowser  *browser,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, browser), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lanyard_browser_iface_init (LanyardBrowserInterface *iface)
{
  iface->open_uri_async = lanyard_gtk_browser_open_uri_async;
  iface->open_uri_finish = lanyard_gtk_browser_open_uri_finish;
}

static void
lanyard_gtk_browser_finalize (GObject *object)
{
  LanyardGtkBrowser *self = (LanyardGtkBrowser *)object;

  g_weak_ref_clear (&self->parent);

  G_OBJECT_CLASS (lanyard_gtk_browser_parent_class)->finalize (object);
}

static void
lanyard_gtk_browser_class_init (LanyardGtkBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lanyard_gtk_browser_finalize;
}

static void
lanyard_gtk_browser_init (LanyardGtkBrowser *self)
{
  g_weak_ref_init (&self->parent, NULL);
}

LanyardBrowser *
lanyard_gtk_browser_new (GtkWindow *parent)
{
  LanyardGtkBrowser *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (LANYARD_TYPE_GTK_BROWSER, NULL);
  g_weak_ref_set (&self->parent, parent);

  return LANYARD_BROWSER (self);
}

void
lanyard_gtk_browser_set_parent (LanyardGtkBrowser *self,
                                GtkWindow         *parent)
{
  g_return_if_fail (LANYARD_IS_GTK_BROWSER (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  g_weak_ref_set (&self->parent, parent);
}
