/* lanyard-toast.h — the toasts the window shows
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

#include "lanyard-session.h"

G_BEGIN_DECLS

/* A toast whose text wraps instead of being cut, and is not markup. */
AdwToast *lanyard_toast_new         (const char          *text);
/* The toast for a LanyardSession::message: it always times out. */
AdwToast *lanyard_message_toast_new (const char          *text,
                                     const char          *button,
                                     const char          *action,
                                     GVariant            *target,
                                     LanyardMessageFlags  flags);
/* Wraps the text in what @window leaves beside the toast's buttons. */
void      lanyard_toast_fit         (AdwToast            *toast,
                                     GtkWidget           *window);

G_END_DECLS
