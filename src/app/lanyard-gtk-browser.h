/* lanyard-gtk-browser.h — LanyardBrowser for a GTK window
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lanyard.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_GTK_BROWSER (lanyard_gtk_browser_get_type ())
G_DECLARE_FINAL_TYPE (LanyardGtkBrowser, lanyard_gtk_browser, LANYARD, GTK_BROWSER, GObject)

/* @parent is held weakly: the window owns the client that owns us. */
LanyardBrowser *lanyard_gtk_browser_new        (GtkWindow         *parent);
/* The session outlives windows: the browser follows the one on screen. */
void            lanyard_gtk_browser_set_parent (LanyardGtkBrowser *self,
                                                GtkWindow         *parent);

G_END_DECLS
