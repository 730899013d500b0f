/* lanyard-waiting-page.h — "Continue in your browser"
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_WAITING_PAGE (lanyard_waiting_page_get_type ())
G_DECLARE_FINAL_TYPE (LanyardWaitingPage, lanyard_waiting_page, LANYARD, WAITING_PAGE, AdwBin)

/* Creating an account rather than signing in: the page says so. */
void        lanyard_waiting_page_set_sign_up       (LanyardWaitingPage *self,
                                                    gboolean            sign_up);
const char *lanyard_waiting_page_get_uri           (LanyardWaitingPage *self);
/* How long the sign-in may take (LanyardConfig's timeout_seconds; 0 is the
 * core's default): said on the page. */
void        lanyard_waiting_page_set_time_limit    (LanyardWaitingPage *self,
                                                    guint               seconds);
void        lanyard_waiting_page_set_uri           (LanyardWaitingPage *self,
                                                    const char         *uri);
/* The browser could not be opened: say why and show the link to copy.
 * NULL: it opened (as at the start of a sign-in). */
void        lanyard_waiting_page_set_browser_error (LanyardWaitingPage *self,
                                                    const GError       *error);

G_END_DECLS
