/* lanyard-loopback-page.h — the small page the loopback listener answers with
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A self-contained HTML document (inline CSS, no scripts, no external
 * resources) with @title and @message HTML-escaped. @message may be NULL.
 * Invalid UTF-8 is repaired and overlong text is cut. */
char *lanyard_loopback_page_build            (const char        *title,
                                              const char        *message);

/* Sets the headers every loopback response carries: no caching, no
 * referrer, a CSP that forbids everything but inline style, nosniff, no
 * framing, and Connection: close. */
void  lanyard_loopback_page_add_headers      (SoupServerMessage *msg);

/* Answers @msg with @status and the page above (plus the headers above). */
void  lanyard_loopback_page_respond          (SoupServerMessage *msg,
                                              guint              status,
                                              const char        *title,
                                              const char        *message);

G_END_DECLS
