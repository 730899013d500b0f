/* lanyard-oauth-error.c — what a provider's error code means for a person
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-oauth-error"

#include "config.h"

#include "lanyard-i18n-private.h"
#include "lanyard-oauth-error.h"

static const struct {
  const char *code;
  const char *explanation;
} explanations[] = {
  /* Both "Cancel" on the provider's page and a policy that keeps this account
   * out end here: the code does not say which, so the sentence names both. */
  { "access_denied", N_("The sign-in was stopped at the provider: it was cancelled there, or the provider does not let this account use this application") },
  { "login_required", N_("The provider needs you to sign in again") },
  { "interaction_required", N_("The provider needs you to sign in again") },
  { "consent_required", N_("The provider needs you to sign in again and allow this application access") },
  { "account_selection_required", N_("The provider needs you to sign in again and choose an account") },
  { "invalid_request", N_("The provider could not accept the sign-in request") },
  { "invalid_scope", N_("The provider does not offer one of the requested scopes: check the scopes in the settings") },
  { "unauthorized_client", N_("The provider does not let this application (client) ID sign in this way: check the application’s registration") },
  { "invalid_client", N_("The provider does not recognize this application (client) ID: check the settings") },
  { "unsupported_response_type", N_("The provider does not support this kind of sign-in") },
  { "unsupported_grant_type", N_("The provider does not support this kind of sign-in") },
  { "invalid_grant", N_("The provider no longer accepts this sign-in: it has expired or was revoked") },
  { "server_error", N_("The provider had an internal error: try again later") },
  { "temporarily_unavailable", N_("The provider is busy or down for maintenance: try again later") },
  { "request_not_supported", N_("The provider could not accept the sign-in request") },
  { "request_uri_not_supported", N_("The provider could not accept the sign-in request") },
  { "registration_not_supported", N_("The provider could not accept the sign-in request") },
  { "invalid_request_uri", N_("The provider could not accept the sign-in request") },
  { "invalid_request_object", N_("The provider could not accept the sign-in request") },
};

const char *
lanyard_oauth_error_explain (const char *code)
{
  if (code == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (explanations); i++)
    if (g_str_equal (code, explanations[i].code))
      return _(explanations[i].explanation);

  return NULL;
}

char *
lanyard_oauth_error_message (const char *code,
                             const char *provider_text)
{
  const char *explanation = lanyard_oauth_error_explain (code);

  if (explanation == NULL)
    explanation = _("The provider reported an error");

  /* Translators: %1$s says what went wrong; %2$s is the provider's error
   * code and its own words, untranslated, such as
   * “access_denied: End-User aborted interaction” */
  return g_strdup_printf (_("%1$s (the provider says “%2$s”)"), explanation, provider_text);
}
