/* lanyard-claims-descriptions.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>

#include "lanyard-claims-descriptions.h"

typedef struct {
  const char *claim;
  const char *description;
  gboolean    timestamp;
} ClaimInfo;

/* Sorted for display: the person first, then the session, then the token.
 * Wording follows OpenID Connect Core §2 and §5.1 and the Microsoft identity
 * platform's ID token reference. */
static const ClaimInfo claims[] = {
  { "name", N_("The person’s full name, for display"), FALSE },
  { "given_name", N_("The person’s given (first) name"), FALSE },
  { "family_name", N_("The person’s family (last) name"), FALSE },
  { "middle_name", N_("The person’s middle name"), FALSE },
  { "nickname", N_("A casual name the person goes by"), FALSE },
  { "preferred_username", N_("The name the person signs in with, such as an email address; it can change, so apps must not use it as an identifier"), FALSE },
  { "email", N_("The person’s email address"), FALSE },
  { "email_verified", N_("Whether the provider has checked that the person owns this email address"), FALSE },
  { "emails", N_("The email addresses of the account"), FALSE },
  { "phone_number", N_("The person’s phone number"), FALSE },
  { "phone_number_verified", N_("Whether the provider has checked this phone number"), FALSE },
  { "upn", N_("User principal name: the account’s sign-in name in Microsoft Entra"), FALSE },
  { "unique_name", N_("A human-readable name for the account, for display only (Microsoft v1 tokens)"), FALSE },
  { "picture", N_("The address of the person’s profile picture"), FALSE },
  { "locale", N_("The person’s language and region"), FALSE },
  { "zoneinfo", N_("The person’s time zone"), FALSE },
  { "country", N_("The person’s country or region"), FALSE },
  { "ctry", N_("The person’s country or region"), FALSE },
  { "postalCode", N_("The person’s postal code"), FALSE },
  { "updated_at", N_("When the person’s profile was last changed"), TRUE },
  { "sub", N_("Subject: the person’s identifier at this provider; in Microsoft Entra it differs for every app"), FALSE },
  { "oid", N_("Object ID: the account’s identifier in the Microsoft Entra tenant, the same for every app"), FALSE },
  { "tid", N_("Tenant ID: the directory the account belongs to"), FALSE },
  { "login_hint", N_("An opaque hint that identifies this account at sign-out and the next sign-in"), FALSE },
  { "idp", N_("The identity provider that authenticated the person, such as a social account"), FALSE },
  { "roles", N_("The application roles the person has been given"), FALSE },
  { "groups", N_("The groups the person belongs to"), FALSE },
  { "auth_time", N_("When the person last entered their credentials"), TRUE },
  { "acr", N_("Authentication context class: how strongly the person was authenticated"), FALSE },
  { "amr", N_("Authentication methods used, such as a password or a one-time code"), FALSE },
  { "sid", N_("Session ID: the person’s sign-in session at the provider"), FALSE },
  { "iss", N_("Issuer: the provider that created and signed this token"), FALSE },
  { "aud", N_("Audience: the application this token is meant for, its client ID"), FALSE },
  { "azp", N_("Authorized party: the application that asked for this token"), FALSE },
  { "iat", N_("Issued at: when the provider created this token"), TRUE },
  { "nbf", N_("Not before: the token is not valid before this time"), TRUE },
  { "exp", N_("Expires: the token must not be accepted after this time"), TRUE },
  { "nonce", N_("A one-time value Lanyard sent with the sign-in request and checked here, so an old token cannot be replayed"), FALSE },
  { "at_hash", N_("Access token hash: ties the access token issued together with this ID token to it"), FALSE },
  { "c_hash", N_("Code hash: ties the authorization code to this ID token"), FALSE },
  { "s_hash", N_("State hash: ties the sign-in request’s state to this ID token"), FALSE },
  { "ver", N_("Version of the token format (Microsoft identity platform)"), FALSE },
  { "tfp", N_("The user flow or policy that issued the token (Azure AD B2C)"), FALSE },
  { "acct", N_("Account status in the tenant: 0 for a member, 1 for a guest"), FALSE },
  { "aio", N_("Internal data the provider uses to reuse tokens; not meant to be read"), FALSE },
  { "rh", N_("Internal data the provider uses to revalidate tokens; not meant to be read"), FALSE },
  { "uti", N_("Token identifier the provider uses internally; not meant to be read"), FALSE },
  { "jti", N_("JWT ID: a unique identifier for this token"), FALSE },
  { "xms_pl", N_("The person’s preferred language"), FALSE },
  { "xms_tpl", N_("The tenant’s preferred language"), FALSE },
};

static const ClaimInfo *
find_claim (const char *claim)
{
  if (claim == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (claims); i++)
    {
      if (g_str_equal (claims[i].claim, claim))
        return &claims[i];
    }

  return NULL;
}

const char *
lanyard_claim_get_description (const char *claim)
{
  const ClaimInfo *info = find_claim (claim);

  return info ? _(info->description) : NULL;
}

gboolean
lanyard_claim_is_timestamp (const char *claim)
{
  const ClaimInfo *info = find_claim (claim);

  return info ? info->timestamp : FALSE;
}

int
lanyard_claim_get_sort_rank (const char *claim)
{
  const ClaimInfo *info = find_claim (claim);

  /* Claims we don't know go after the person's and before the token's own. */
  if (info == NULL)
    return (int) (find_claim ("auth_time") - claims);

  return (int) (info - claims);
}
