/* lanyard-a11y.h — what GTK 4.8's accessibility gets wrong, put right
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Every button under @widget whose label has a mnemonic: GTK 4.8 names it
 * with its label property *and* its label child ("_Sign In Sign In"); the
 * child alone is the name. Labels set later are handled too. */
void lanyard_a11y_fix_mnemonics  (GtkWidget  *widget);

/* The accessible description of @widget, or none for NULL or "" (an empty
 * description is read as a pause, and a described-by relation to an empty
 * label as nothing at all). */
void lanyard_a11y_set_description (GtkWidget  *widget,
                                   const char *text);

/* Moves the keyboard focus to @target whenever @page is shown, or as soon as
 * @target can take it (a button whose action is enabled a moment after the
 * page appears) — unless the person already is somewhere in @page. Without
 * it the focus stays on the page's scrolled window, which has no name. */
void lanyard_a11y_focus_on_map (GtkWidget  *page,
                                GtkWidget  *target);

/* Says @text to a screen reader: GTK 4.8 has no announce call (4.14 does),
 * so it becomes the description of whatever has the keyboard focus in
 * @widget's window, which a screen reader presents, until the focus moves
 * on. Nothing when no widget has the focus. */
void lanyard_a11y_announce       (GtkWidget  *widget,
                                  const char *text);

/* A toast's words, said when it appears: GTK 4.8 sends no AT-SPI event for
 * a new toast (and has no announce call; 4.14 does), so while @label is shown
 * its text becomes the description of whatever has the keyboard focus, which
 * a screen reader presents. The toast's close button, named "GtkImage" by
 * libadwaita 1.2, is named "Close". @label is the toast's custom title. */
void lanyard_a11y_announce_toast (GtkWidget  *label);

/* Keeps the accessible description of @widget (an AdwActionRow, an
 * AdwStatusPage…) equal to its @property ("subtitle", "description"):
 * libadwaita 1.2 links that text as described-by and leaves the description
 * empty, and screen readers read the description. */
void lanyard_a11y_describe_from (GtkWidget  *widget,
                                 const char *property);

/* Hides the icons under @widget from screen readers: libadwaita 1.2 leaves
 * decorative ones (a combo row's arrow) named "GtkImage". */
void lanyard_a11y_hide_icons (GtkWidget *widget);

G_END_DECLS
