/* lanyard-provider.h — provider metadata (discovery) and its JWKS, cached
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "lanyard-authority.h"
#include "lanyard-jwks.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_PROVIDER (lanyard_provider_get_type ())
G_DECLARE_FINAL_TYPE (LanyardProvider, lanyard_provider, LANYARD, PROVIDER, GObject)

/* Takes from the disk cache under $XDG_CACHE_HOME/lanyard/ while fresh by
 * Cache-Control max-age (unless @revalidate: the caller's copy in memory went
 * stale, and the disk's is no fresher), or fetches (with If-None-Match when
 * the disk has a validator) the discovery document. Keeping it in memory is
 * the caller's business (LanyardProviderPool). Checks: issuer present and —
 * for generic authorities — equal to the authority; authorization and token
 * endpoints present; every endpoint https unless the authority is loopback.
 * Failures: LANYARD_ERROR_NETWORK / _TLS / _TIMED_OUT / _INVALID_RESPONSE. */
void              lanyard_provider_load_async   (SoupSession         *session,
                                                 LanyardAuthority    *authority,
                                                 gboolean             revalidate,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
LanyardProvider  *lanyard_provider_load_finish  (GAsyncResult        *result,
                                                 GError             **error);

/* Whether the discovery document is past its max-age (between a floor of a
 * minute and a ceiling of a day) and must be loaded again. */
gboolean          lanyard_provider_is_stale     (LanyardProvider     *self);

/* Builds a provider from a discovery document already in hand (tests, fuzzing). */
LanyardProvider  *lanyard_provider_new_from_data (LanyardAuthority  *authority,
                                                  const char        *discovery_json,
                                                  gsize              len,
                                                  GError           **error);

LanyardAuthority *lanyard_provider_get_authority              (LanyardProvider *self);
const char       *lanyard_provider_get_issuer                 (LanyardProvider *self);
const char       *lanyard_provider_get_authorization_endpoint (LanyardProvider *self);
const char       *lanyard_provider_get_token_endpoint         (LanyardProvider *self);
const char       *lanyard_provider_get_jwks_uri               (LanyardProvider *self);
/* NULL when not advertised; Entra's logout URL is derived from the authority then */
const char       *lanyard_provider_get_end_session_endpoint   (LanyardProvider *self);
/* OpenID Connect Core 5.3; NULL when the provider has none. */
const char       *lanyard_provider_get_userinfo_endpoint      (LanyardProvider *self);
const char       *lanyard_provider_get_revocation_endpoint    (LanyardProvider *self);
/* RFC 8628: from discovery; for Entra authorities <authority>oauth2/v2.0/devicecode
 * when discovery does not say. NULL when the provider does not offer it. */
const char       *lanyard_provider_get_device_authorization_endpoint (LanyardProvider *self);
gboolean          lanyard_provider_supports_form_post         (LanyardProvider *self);
/* prompt_values_supported lists "create" (sign-up). */
gboolean          lanyard_provider_supports_prompt_create     (LanyardProvider *self);
/* Microsoft Entra, or prompt_values_supported lists "select_account". */
gboolean          lanyard_provider_supports_prompt_select_account (LanyardProvider *self);
/* RFC 9207 authorization_response_iss_parameter_supported */
gboolean          lanyard_provider_requires_iss_parameter     (LanyardProvider *self);

/* The JWKS: from memory while fresh (max-age, as for discovery), else the
 * disk cache while fresh, else jwks_uri. @force_refetch (for an unknown kid)
 * goes to the network, at most once per provider object per minute, so a
 * forged kid cannot make us hammer it. */
void              lanyard_provider_get_jwks_async  (LanyardProvider     *self,
                                                    SoupSession         *session,
                                                    gboolean             force_refetch,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
LanyardJwks      *lanyard_provider_get_jwks_finish (LanyardProvider     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* For the tests: as if @seconds had passed for the copies in memory. */
void              lanyard_provider_age             (LanyardProvider     *self,
                                                    gint64               seconds);

G_END_DECLS
