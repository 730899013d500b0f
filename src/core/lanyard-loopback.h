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
 * start with '/' and hold plain URL path characters only (no '?', '#', '%'
 * or dot segments). Errors: LANYARD_ERROR_CONFIGURATION for a bad host or
 * path, or a port already taken (with "localhost", also when another
 * program holds it on ::1: a browser resolving to ::1 would reach it);
 * LANYARD_ERROR_FAILED for other socket errors.
 * The listener serves the thread-default main context it was created in. */
LanyardLoopback *lanyard_loopback_new               (const char       *redirect_host,
                                                     guint16           port,
                                                     const char       *path,
                                                     GError          **error);

/* e.g. "http://localhost:49152/" */
const char      *lanyard_loopback_get_redirect_uri  (LanyardLoopback  *self);
guint16          lanyard_loopback_get_port          (LanyardLoopback  *self);

/* The overall wait limit (default LANYARD_LOOPBACK_DEFAULT_TIMEOUT_SECONDS,
 * must be > 0); a running wait starts over with it. Connection limits (16
 * connections, 10 s per connection, 8 KiB of headers, 64 KiB of body) are
 * fixed; tests lower them through lanyard-loopback-private.h. */
void             lanyard_loopback_set_timeout       (LanyardLoopback  *self,
                                                     guint             seconds);

/* Waits for the one authorization response: the right path, GET with a query
 * or POST with an urlencoded body, whose "state" equals @expected_state
 * (constant-time). Everything else is answered 404/405/415/400/413 with a
 * short page and the wait goes on; so is a request whose Host is not ours
 * (DNS rebinding) or whose parameters repeat. Over-long headers and idle
 * connections are closed instead; a new connection beyond the cap makes
 * room by closing the oldest one whose request has not arrived (silent ones
 * first; never the held one). Call it before opening the
 * browser: earlier requests get 503.
 * When @expected_issuer is set, an "iss" parameter must equal it (and must be
 * present when @iss_required), else the wait fails with
 * LANYARD_ERROR_INVALID_RESPONSE ("issuer mismatch (RFC 9207)…"). A valid
 * response with "error" completes with LANYARD_ERROR_PROVIDER ("error:
 * description", provider text cleaned and capped); one with neither code
 * nor error is answered 400 and the wait goes on.
 * Once the wait completes the port is closed. The browser's request that
 * completed it (with a code or an error) is held open until
 * lanyard_loopback_finish_page().
 * Timeout → LANYARD_ERROR_TIMED_OUT; @cancellable → LANYARD_ERROR_CANCELLED
 * (a code already taken is still returned). Only one wait per listener; a
 * closed listener fails it with LANYARD_ERROR_FAILED. */
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
 * no request is held (then it only stops listening, and ends a running wait
 * with LANYARD_ERROR_CANCELLED). The answer is written out even if the
 * listener is closed or dropped right after. */
void             lanyard_loopback_finish_page       (LanyardLoopback  *self,
                                                     gboolean          success,
                                                     const char       *title,
                                                     const char       *message);

/* The same, completing once the page has been written out (or the browser
 * went away, or the connection deadline passed), so that a process about to
 * exit does not cut the browser's answer. Never fails; no cancellable: the
 * page is owed to the browser. */
void             lanyard_loopback_finish_page_async  (LanyardLoopback     *self,
                                                      gboolean             success,
                                                      const char          *title,
                                                      const char          *message,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean         lanyard_loopback_finish_page_finish (LanyardLoopback     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Stops listening and drops every connection; a request still held gets a
 * neutral "sign-in ended" page, a running wait ends with
 * LANYARD_ERROR_CANCELLED. Idempotent; dispose calls it. */
void             lanyard_loopback_close             (LanyardLoopback  *self);
gboolean         lanyard_loopback_is_listening      (LanyardLoopback  *self);

G_END_DECLS
