/* lanyard-api-model.h — the signed-in page's API calls: which APIs, with
 * which scopes, for which account (no widget)
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lanyard-api-call.h"
#include "lanyard-session.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_API_MODEL (lanyard_api_model_get_type ())
G_DECLARE_FINAL_TYPE (LanyardApiModel, lanyard_api_model, LANYARD, API_MODEL, GObject)

/* @session owns the model (lanyard_session_get_api()): not referenced. */
LanyardApiModel *lanyard_api_model_new              (LanyardSession  *session);

/* The profile: Microsoft Graph's /v1.0/me for an Entra authority, else the
 * provider's userinfo ("profile" changes with the authority). */
LanyardApiCall  *lanyard_api_model_get_profile      (LanyardApiModel *self);
gboolean         lanyard_api_model_get_entra        (LanyardApiModel *self);
/* The configured API ("api-url" NULL when none is set) and its call. */
LanyardApiCall  *lanyard_api_model_get_api          (LanyardApiModel *self);
const char      *lanyard_api_model_get_api_url      (LanyardApiModel *self);
const char * const *lanyard_api_model_get_api_scopes (LanyardApiModel *self);

/* Each does nothing without a signed-in account. */
void             lanyard_api_model_see_profile      (LanyardApiModel *self);
void             lanyard_api_model_call_api         (LanyardApiModel *self);
/* After a call said only a sign-in helps: the sign-in that answers it (a
 * claims challenge's, else one that asks for the APIs' scopes too). */
void             lanyard_api_model_sign_in_again    (LanyardApiModel *self);

G_END_DECLS
