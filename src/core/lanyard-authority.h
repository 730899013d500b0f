/* lanyard-authority.h — what the user typed, normalised into an authority
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _LanyardAuthority LanyardAuthority;

#define LANYARD_TYPE_AUTHORITY (lanyard_authority_get_type ())
GType             lanyard_authority_get_type          (void) G_GNUC_CONST;

/* Accepts:
 *  - a bare tenant subdomain "contoso"            → https://contoso.ciamlogin.com/contoso.onmicrosoft.com/
 *  - https://contoso.ciamlogin.com[/]             → the same
 *  - https://contoso.ciamlogin.com/TENANT-GUID[/] and …/contoso.onmicrosoft.com[/]
 *  - custom URL domains https://login.contoso.com/TENANT-GUID (Entra form, when the
 *    path is one GUID or *.onmicrosoft.com segment)
 *  - any other https issuer URL (generic OpenID Connect)
 *  - http:// only when the host is a loopback address (127.0.0.0/8, ::1, localhost)
 * Query, fragment, user info, and a trailing "/v2.0" or well-known suffix are refused
 * or stripped as documented in the tests; errors are LANYARD_ERROR_CONFIGURATION. */
LanyardAuthority *lanyard_authority_parse             (const char       *input,
                                                       GError          **error);
LanyardAuthority *lanyard_authority_ref               (LanyardAuthority *self);
void              lanyard_authority_unref             (LanyardAuthority *self);

/* Normalised form: scheme://host[:port]/path/ — always ends in '/' for Entra,
 * no trailing '/' for generic issuers (so it equals the issuer). */
const char       *lanyard_authority_get_url           (LanyardAuthority *self);
gboolean          lanyard_authority_is_entra          (LanyardAuthority *self);
const char       *lanyard_authority_get_host          (LanyardAuthority *self);

#ifdef LANYARD_COMPILATION
/* Private to the core and its tests: not exported from liblanyard-1. */
/* Entra: <authority>v2.0/.well-known/openid-configuration;
 * generic: <issuer>/.well-known/openid-configuration */
const char       *lanyard_authority_get_discovery_url (LanyardAuthority *self);
gboolean          lanyard_authority_is_loopback       (LanyardAuthority *self);
/* Entra: <authority>oauth2/v2.0/logout, used when discovery has no
 * end_session_endpoint; NULL for generic authorities. */
const char       *lanyard_authority_get_entra_logout_url (LanyardAuthority *self);

/* TRUE for 127.0.0.0/8, ::1, [::1] and "localhost". */
gboolean          lanyard_host_is_loopback            (const char       *host);

/* https, or http to a loopback host; used for every endpoint from discovery. */
gboolean          lanyard_url_is_acceptable_endpoint  (const char       *url,
                                                       gboolean          allow_loopback_http);
#endif

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardAuthority, lanyard_authority_unref)

G_END_DECLS
