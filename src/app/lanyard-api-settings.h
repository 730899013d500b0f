/* lanyard-api-settings.h — which APIs the signed-in page calls: Microsoft
 * Graph's address, and the person's own API with its scopes
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LANYARD_DEFAULT_GRAPH_URL "https://graph.microsoft.com"

/* Each from its LANYARD_* variable when set (LANYARD_GRAPH_URL,
 * LANYARD_API_URL, LANYARD_API_SCOPES: space separated), else from
 * @settings (NULL when the schema is not installed), else the default. */
char      *lanyard_api_settings_dup_graph_url  (GSettings  *settings);
char      *lanyard_api_settings_dup_api_url    (GSettings  *settings);
char     **lanyard_api_settings_dup_api_scopes (GSettings  *settings);
/* The variable that overrides @key ("graph-url", "api-url", "api-scopes")
 * when it is set, else NULL. */
const char *lanyard_api_settings_overridden_by (const char *key);

/* The scopes a sign-in asks for: @scopes (the configured ones) and those
 * of the APIs the signed-in page calls, so that the person consents to them
 * at once, as MSAL's sample does — Microsoft Graph's User.Read for an Entra
 * @authority, and the API's scopes when an API URL is set. */
char     **lanyard_api_settings_sign_in_scopes (GSettings          *settings,
                                                const char         *authority,
                                                const char * const *scopes);

/* Graph's /v1.0/me under @graph_url, with or without its trailing '/'. */
char      *lanyard_api_settings_graph_me_url   (const char *graph_url);

/* An API address a token may be sent to: https, or http to this computer
 * (a test or a local service); no user info. FALSE with @problem a sentence
 * otherwise; empty is FALSE with a NULL @problem. */
gboolean   lanyard_check_api_url               (const char  *text,
                                                char       **problem);
/* API scopes as typed (space separated): none of the sign-in's own
 * (openid, profile, offline_access), which no API's token carries. Empty
 * is fine here (no API scopes). */
gboolean   lanyard_check_api_scopes            (const char  *text,
                                                char       **problem);

G_END_DECLS
