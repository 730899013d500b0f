/* lanyard-loopback.h — the one-shot loopback redirect listener (RFC 8252 §7.3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_LOOPBACK (lanyard_loopback_get_type ())
G_DECLARE_FINAL_TYPE (LanyardLoopback, lanyard_loopback, LANYARD, LOOPBACK, GObject)

#define LANYARD_LOOPBACK_DEFAULT_TIMEOUT_SECONDS (5 * 60)

/* Binds 127.0.0.1 (and ::1 on the same port when the host has IPv6 loopback)
 * on @port (0 = ephemeral); never a wildcard address. @redirect_host is the
 * host written in the redirect URI: "localhost" or "127.0.0.1". @path must
 * start with '/'. Errors: LANYARD_ERROR_CONFIGURATION. */
LanyardLoopback *lanyard_loopback_new               (const char       *redirect_host,
                                                     guint16           port,
                                                     const char       *path,
                                                     GError          **error);

/* e.g. "http://localhost:49152/" */
const char      *lanyard_loopback_get_redirect_uri  (LanyardLoopback  *self);
guint16          lanyard_loopback_get_port          (LanyardLoopback  *self);

/* Limits; the defaults are sane, tests lower them. */
void             lanyard_loopback_set_timeout       (LanyardLoopback  *self,
                                                     guint             seconds);

/* Waits for the one authorization response: the right path, GET with a query
 * or POST with an urlencoded body, whose "state" equals @expected_state
 * (constant-time). Everything else is answered 404/405/400/413 with a short
 * page and the wait goes on. When @expected_issuer is set, an "iss" parameter
 * must equal it (and must be present when @iss_required). A valid response
 * with "error" completes with LANYARD_ERROR_PROVIDER ("error: description");
 * one with neither code nor error is answered 400 and the wait goes on.
 * The browser's request is held open until lanyard_loopback_finish_page().
 * Timeout → LANYARD_ERROR_TIMED_OUT; @cancellable → LANYARD_ERROR_CANCELLED. */
void             lanyard_loopback_wait_async        (LanyardLoopback     *self,
                                                     const char          *expected_state,
                                                     const char          *expected_issuer,
                                                     gboolean             iss_required,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* Returns the authorization code. */
char            *lanyard_loopback_wait_finish       (LanyardLoopback     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Answers the held browser request (200 on success, 400 otherwise) with a
 * self-contained, HTML-escaped page (no-store, no-referrer, no external
 * resources), then stops listening. @message may be NULL. Safe to call when
 * no request is held (then it only stops listening). */
void             lanyard_loopback_finish_page       (LanyardLoopback  *self,
                                                     gboolean          success,
                                                     const char       *title,
                                                     const char       *message);

/* Stops listening and drops every connection. Idempotent; dispose calls it. */
void             lanyard_loopback_close             (LanyardLoopback  *self);
gboolean         lanyard_loopback_is_listening      (LanyardLoopback  *self);

G_END_DECLS
