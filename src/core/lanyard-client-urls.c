/* lanyard-client-urls.c — the authorize and logout URLs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include <string.h>

#include "lanyard-client.h"

static void
append_param (GString    *url,
              gboolean   *first,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || value[0] == '\0')
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_c (url, *first ? (strchr (url->str, '?') ? '&' : '?') : '&');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append (url, escaped);
  *first = FALSE;
}

char *
lanyard_build_authorize_url (const char                 *authorization_endpoint,
                             const char                 *client_id,
                             const char                 *redirect_uri,
                             const char * const         *scopes,
                             const char                 *state,
                             const char                 *nonce,
                             const char                 *code_challenge,
                             gboolean                    form_post,
                             const LanyardSignInOptions *options,
                             const char                 *claims)
{
  GString *url;
  g_autofree char *scope = NULL;
  gboolean first = TRUE;

  g_return_val_if_fail (authorization_endpoint != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (redirect_uri != NULL, NULL);
  g_return_val_if_fail (state != NULL && nonce != NULL && code_challenge != NULL, NULL);

  scope = g_strjoinv (" ", (char **) scopes);
  url = g_string_new (authorization_endpoint);

  append_param (url, &first, "client_id", client_id);
  append_param (url, &first, "response_type", "code");
  append_param (url, &first, "redirect_uri", redirect_uri);
  append_param (url, &first, "scope", scope);
  append_param (url, &first, "state", state);
  append_param (url, &first, "nonce", nonce);
  /* PKCE always, even when discovery does not list it (Entra omits it). */
  append_param (url, &first, "code_challenge", code_challenge);
  append_param (url, &first, "code_challenge_method", "S256");
  if (form_post)
    append_param (url, &first, "response_mode", "form_post");

  if (options != NULL)
    {
      append_param (url, &first, "prompt", options->prompt);
      append_param (url, &first, "login_hint", options->login_hint);
      append_param (url, &first, "domain_hint", options->domain_hint);
    }

  /* OpenID Connect Core §5.5, as MSAL sends a claims challenge. */
  append_param (url, &first, "claims", claims);

  return g_string_free (url, FALSE);
}

char *
lanyard_build_logout_url (const char *end_session_endpoint,
                          const char *client_id,
                          const char *login_hint,
                          const char *id_token)
{
  GString *url;
  gboolean first = TRUE;

  g_return_val_if_fail (end_session_endpoint != NULL, NULL);

  url = g_string_new (end_session_endpoint);

  /* logout_hint lets Entra skip the account picker; id_token_hint is the
   * standard fallback (RP-Initiated Logout 1.0 §2). */
  if (login_hint != NULL && login_hint[0] != '\0')
    append_param (url, &first, "logout_hint", login_hint);
  else
    append_param (url, &first, "id_token_hint", id_token);

  append_param (url, &first, "client_id", client_id);

  return g_string_free (url, FALSE);
}
