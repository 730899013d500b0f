/* lanyard-browser.c — the LanyardBrowser interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-browser"

#include "config.h"

#include "lanyard-browser.h"

G_DEFINE_INTERFACE (LanyardBrowser, lanyard_browser, G_TYPE_OBJECT)

static void
lanyard_browser_default_init (LanyardBrowserInterface *iface)
{
}

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

gboolean
lanyard_browser_open_uri_finish (LanyardBrowser  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (LANYARD_IS_BROWSER (self), FALSE);

  return LANYARD_BROWSER_GET_IFACE (self)->open_uri_finish (self, result, error);
}
