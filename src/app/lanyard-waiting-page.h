/* lanyard-waiting-page.h — "Continue in your browser"
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

#include "lanyard-session.h"

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
/* Where the sign-in is: from redeeming on, the page says it is finishing
 * (and tells a screen reader); a sign-in that is over changes nothing. */
void        lanyard_waiting_page_set_phase         (LanyardWaitingPage *self,
                                                    LanyardSignInPhase  phase);
/* Follows @session's sign-in: its link, browser error, sign-up, phase and
 * time limit. */
void        lanyard_waiting_page_set_session       (LanyardWaitingPage *self,
                                                    LanyardSession     *session);

G_END_DECLS
