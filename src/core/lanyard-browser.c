/* lanyard-browser.c — the LanyardBrowser interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-browser"

#include "config.h"

#include "lanyard-browser.h"

/**
 * LanyardBrowser:
 *
 * How a sign-in reaches the user's browser.
 *
 * A graphical application implements it with `GtkUriLauncher` (so the
 * browser opens on the right window, through the OpenURI portal in a
 * sandbox); [class@Lanyard.SystemBrowser] serves terminal programs.
 */
/**
 * LanyardBrowserInterface:
 * @parent_iface: the parent interface
 * @open_uri_async: opens a URL; see lanyard_browser_open_uri_async()
 * @open_uri_finish: its result; see lanyard_browser_open_uri_finish()
 *
 * The virtual functions of [iface@Lanyard.Browser].
 */
G_DEFINE_INTERFACE (LanyardBrowser, lanyard_browser, G_TYPE_OBJECT)

static void
lanyard_browser_default_init (LanyardBrowserInterface *iface)
{
}

/**
 * lanyard_browser_open_uri_async:
 * @self: a #LanyardBrowser
 * @uri: the URL to open
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the browser was started or not
 * @user_data: data for @callback
 *
 * Opens @uri in the user's browser. Completes when the browser was handed
 * the URL, not when the user is done with the page.
 */
void
lanyard_browser_open_uri_async (LanyardBrowser      *self,
                                const char          *uri,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (LANYARD_IS_BROWSER (self));
  g_return_if_fail (uri != NULL);

  LANYARD_BROWSER_GET_IFACE (self)->open_uri_async (self, uri, cancellable, callback, user_data);
}

/**
 * lanyard_browser_open_uri_finish:
 * @self: a #LanyardBrowser
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The result of lanyard_browser_open_uri_async().
 *
 * Returns: %TRUE when the browser was started; else %FALSE with
 *   %LANYARD_ERROR_BROWSER
 */
gboolean
lanyard_browser_open_uri_finish (LanyardBrowser  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (LANYARD_IS_BROWSER (self), FALSE);

  return LANYARD_BROWSER_GET_IFACE (self)->open_uri_finish (self, result, error);
}
