/* lanyard-browser.h — how a sign-in reaches the user's browser
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_BROWSER (lanyard_browser_get_type ())
G_DECLARE_INTERFACE (LanyardBrowser, lanyard_browser, LANYARD, BROWSER, GObject)

/* The GTK app implements this with GtkUriLauncher / gtk_show_uri_full; the
 * core's LanyardSystemBrowser serves terminals. */
struct _LanyardBrowserInterface
{
  GTypeInterface parent_iface;

  void     (*open_uri_async)  (LanyardBrowser      *self,
                               const char          *uri,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
  gboolean (*open_uri_finish) (LanyardBrowser      *self,
                               GAsyncResult        *result,
                               GError             **error);
};

void     lanyard_browser_open_uri_async  (LanyardBrowser      *self,
                                          const char          *uri,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* Failures are LANYARD_ERROR_BROWSER. */
gboolean lanyard_browser_open_uri_finish (LanyardBrowser      *self,
                                          GAsyncResult        *result,
                                          GError             **error);

#define LANYARD_TYPE_SYSTEM_BROWSER (lanyard_system_browser_get_type ())
G_DECLARE_FINAL_TYPE (LanyardSystemBrowser, lanyard_system_browser, LANYARD, SYSTEM_BROWSER, GObject)

/* $BROWSER when set (a ':'-separated list of commands, "%s" replaced by the
 * URL or the URL appended, as xdg-open, gh and az read it; the first that
 * starts wins), else the desktop's default handler for the URL's scheme via
 * g_app_info_launch_default_for_uri_async(). */
LanyardBrowser *lanyard_system_browser_new (void);

G_END_DECLS
