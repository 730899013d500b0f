/* lanyard-preferences-window.h — where to sign in, edited after the first run
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_PREFERENCES_WINDOW (lanyard_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (LanyardPreferencesWindow, lanyard_preferences_window, LANYARD, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @settings: NULL when the schema is not installed; the rows are then read-only. */
LanyardPreferencesWindow *lanyard_preferences_window_new (GSettings *settings);

G_END_DECLS
