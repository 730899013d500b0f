/* lanyard-http.h — the one SoupSession, JSON requests with limits, error mapping
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LANYARD_HTTP_MAX_BODY (1024 * 1024)   /* no provider answer is larger */
#define LANYARD_HTTP_TIMEOUT_SECONDS 30

/* A session with keep-alive, a timeout, a User-Agent, and — when @ca_file is
 * set — a GTlsFileDatabase as its only trust anchors (libsoup ignores
 * SSL_CERT_FILE). An unreadable CA file is LANYARD_ERROR_CONFIGURATION.
 * The CA file also becomes the process's default TLS database (see the .c:
 * otherwise every connection parses the system store for nothing), so it is
 * meant for a process that talks to that one provider: the CLI, the tests. */
SoupSession *lanyard_http_session_new (const char  *ca_file,
                                       GError     **error);

typedef struct {
  guint       status;
  GBytes     *body;          /* never NULL after success; at most max_bytes */
  char       *content_type;  /* may be NULL */
  char       *etag;          /* may be NULL */
  gint64      max_age;       /* seconds from Cache-Control max-age; -1 if none; 0 for no-store/no-cache */
  gboolean    no_store;      /* Cache-Control: no-store — must not be written to disk */
} LanyardHttpResponse;

void                 lanyard_http_response_free (LanyardHttpResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardHttpResponse, lanyard_http_response_free)

/* Sends @msg and reads at most @max_bytes (0 = LANYARD_HTTP_MAX_BODY) of its
 * body; a larger body is LANYARD_ERROR_INVALID_RESPONSE. Any HTTP status is a
 * success here: the caller interprets it. Transport errors are mapped:
 * TLS → LANYARD_ERROR_TLS, timeout → LANYARD_ERROR_TIMED_OUT, cancel →
 * LANYARD_ERROR_CANCELLED, the rest → LANYARD_ERROR_NETWORK. Redirects are
 * not followed. */
void                 lanyard_http_send_async  (SoupSession         *session,
                                               SoupMessage         *msg,
                                               gsize                max_bytes,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
LanyardHttpResponse *lanyard_http_send_finish (SoupSession         *session,
                                               GAsyncResult        *result,
                                               GError             **error);

/* The same words for a transport error of @msg sent to an API (by
 * lanyard_client_send_authorized_async()): takes @error. */
GError              *lanyard_http_api_error   (SoupSession         *session,
                                               SoupMessage         *msg,
                                               GError              *error);

/* Parses a body that must be one JSON object (duplicate keys refused).
 * Errors are LANYARD_ERROR_INVALID_RESPONSE naming @what ("discovery document"). */
JsonObject          *lanyard_json_object_from_bytes (GBytes      *bytes,
                                                     const char  *what,
                                                     GError     **error);

/* A POST with an application/x-www-form-urlencoded body; NULL values skipped.
 * Arguments: name, value pairs, NULL-terminated. Returns NULL when @url is not
 * an absolute http(s) URL. */
SoupMessage         *lanyard_http_new_form_post (const char *url,
                                                 const char *first_name,
                                                 ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
