/* lanyard-api-call.h — one call of an API with the account's token, and its
 * answer as a person reads it (no widget)
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lanyard.h"

G_BEGIN_DECLS

typedef enum {
  LANYARD_API_CALL_IDLE,
  LANYARD_API_CALL_RUNNING,
  /* The API answered, whatever the status (see "status", "failed"). */
  LANYARD_API_CALL_ANSWERED,
  /* No answer: no network, no token, no userinfo endpoint… ("error-text"). */
  LANYARD_API_CALL_FAILED,
} LanyardApiCallState;

/* What the answer is, for its rows. */
typedef enum {
  LANYARD_API_CALL_KIND_RAW,        /* any API: status, time and the body */
  LANYARD_API_CALL_KIND_GRAPH_ME,   /* Microsoft Graph's /v1.0/me: a user's fields */
  LANYARD_API_CALL_KIND_USERINFO,   /* OpenID Connect userinfo: claims */
} LanyardApiCallKind;

#define LANYARD_TYPE_API_CALL_STATE (lanyard_api_call_state_get_type ())
GType lanyard_api_call_state_get_type (void) G_GNUC_CONST;

/* One row of an answer: the member's name, a title for people (NULL when
 * the member is not one Lanyard knows) and its value as text, cleaned. */
#define LANYARD_TYPE_API_FIELD (lanyard_api_field_get_type ())
G_DECLARE_FINAL_TYPE (LanyardApiField, lanyard_api_field, LANYARD, API_FIELD, GObject)

const char *lanyard_api_field_get_name  (LanyardApiField *self);
const char *lanyard_api_field_get_title (LanyardApiField *self);
const char *lanyard_api_field_get_value (LanyardApiField *self);

#define LANYARD_TYPE_API_CALL (lanyard_api_call_get_type ())
G_DECLARE_FINAL_TYPE (LanyardApiCall, lanyard_api_call, LANYARD, API_CALL, GObject)

LanyardApiCall      *lanyard_api_call_new              (LanyardApiCallKind   kind);

/* GET @url with a token for @scopes of @account_id (NULL: the default
 * account) through lanyard_client_send_authorized_async(); @url NULL for
 * the userinfo kind: the provider's, from discovery. A call in progress is
 * cancelled first. */
void                 lanyard_api_call_start            (LanyardApiCall      *self,
                                                        LanyardClient       *client,
                                                        const char          *account_id,
                                                        const char          *url,
                                                        const char * const  *scopes);
void                 lanyard_api_call_cancel           (LanyardApiCall      *self);
/* Back to idle, forgetting the answer (another account, other settings). */
void                 lanyard_api_call_reset            (LanyardApiCall      *self);

LanyardApiCallKind   lanyard_api_call_get_kind         (LanyardApiCall      *self);
LanyardApiCallState  lanyard_api_call_get_state        (LanyardApiCall      *self);
const char          *lanyard_api_call_get_url          (LanyardApiCall      *self);
/* The HTTP status and its reason phrase once answered (0 / NULL before). */
guint                lanyard_api_call_get_status       (LanyardApiCall      *self);
const char          *lanyard_api_call_get_reason       (LanyardApiCall      *self);
/* From the request to the last byte of the answer, in milliseconds. */
guint                lanyard_api_call_get_elapsed_ms   (LanyardApiCall      *self);
/* The answer for a person: JSON pretty-printed, else the text, controls
 * escaped or replaced; NULL before an answer. */
const char          *lanyard_api_call_get_body         (LanyardApiCall      *self);
/* The answer's members as rows (LanyardApiField): for the Graph and
 * userinfo kinds, when the answer is a JSON object with a 2xx status. */
GListModel          *lanyard_api_call_get_fields       (LanyardApiCall      *self);
/* What went wrong, in words (a failure, or an answer with an error
 * status); NULL otherwise. */
const char          *lanyard_api_call_get_error_text   (LanyardApiCall      *self);
/* The provider's own words behind the error text, when it is a sentence of
 * Lanyard's (scopes never granted: the code and description); NULL otherwise. */
const char          *lanyard_api_call_get_error_details (LanyardApiCall     *self);
/* Only a sign-in can help: scopes never consented, the session ended, or a
 * claims challenge (then "claims" is the challenge's claims). */
gboolean             lanyard_api_call_get_needs_sign_in (LanyardApiCall     *self);
const char          *lanyard_api_call_get_claims       (LanyardApiCall      *self);
/* The text of "elapsed", as people say it: "120 ms", "2.4 s". */
char                *lanyard_api_call_format_elapsed   (guint                elapsed_ms);

G_END_DECLS
