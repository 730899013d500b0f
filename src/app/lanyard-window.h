/* lanyard-window.h — the main window: the view of a LanyardSession
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

#include "lanyard.h"
#include "lanyard-application.h"
#include "lanyard-session.h"
#include "lanyard-toast.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_WINDOW (lanyard_window_get_type ())
G_DECLARE_FINAL_TYPE (LanyardWindow, lanyard_window, LANYARD, WINDOW, AdwApplicationWindow)

LanyardWindow *lanyard_window_new (LanyardApplication *application,
                                   LanyardSession     *session);

G_END_DECLS
