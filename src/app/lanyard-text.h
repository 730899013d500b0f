/* lanyard-text.h — the words the app shows for errors, authorities and times
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "lanyard.h"

G_BEGIN_DECLS

char     *lanyard_error_to_text         (const GError *error);
gboolean  lanyard_error_is_cancelled    (const GError *error);

/* What an authority field would sign in to, or why it can't: returns TRUE and
 * sets @normalized to the authority URL when @text parses, else FALSE and sets
 * @problem to a sentence. Empty text is FALSE with a NULL @problem. */
gboolean  lanyard_check_authority       (const char  *text,
                                         char       **normalized,
                                         char       **problem);
gboolean  lanyard_check_client_id       (const char  *text,
                                         char       **problem);
/* Space-separated scopes as typed; empty is a problem here. */
gboolean  lanyard_check_scopes          (const char  *text,
                                         char       **problem);
char     *lanyard_authority_display_host (const char *authority);

/* "in 5 minutes", "3 hours ago"… relative to @now (unix seconds). */
char     *lanyard_format_relative_time  (gint64 when,
                                         gint64 now);
/* "5 minutes", "90 seconds": a duration as people say it. */
char     *lanyard_format_time_span      (guint seconds);
/* A local date and time for a unix timestamp. */
char     *lanyard_format_timestamp      (gint64 when);

/* What the account page says about renewing @account's tokens: without
 * signing in again only while it has a refresh token (one the provider
 * refused is dropped: the session has ended). */
const char *lanyard_format_renewal      (LanyardAccount *account);

G_END_DECLS
