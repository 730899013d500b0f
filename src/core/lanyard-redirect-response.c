/* lanyard-redirect-response.c — judging an OAuth authorization response
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-loopback"

#include "config.h"

#include <string.h>

#include "lanyard-error.h"
#include "lanyard-i18n-private.h"
#include "lanyard-json.h"
#include "lanyard-oauth-error.h"
#include "lanyard-pkce.h"
#include "lanyard-redirect-response.h"

#define MAX_PARAMETERS        64
#define MAX_ERROR_CHARS       100
#define MAX_DESCRIPTION_CHARS 400

/* application/x-www-form-urlencoded (a query or a form_post body) into
 * name → value. NULL when malformed, not UTF-8, or when a parameter comes
 * twice: RFC 6749 §3.1 forbids it, and "which state wins" must never be
 * a question. */
GHashTable *
lanyard_redirect_parse_form (const char *data,
                             gsize       len)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *copy = NULL;
  g_auto(GStrv) pairs = NULL;

  if (memchr (data, '\0', len) != NULL)
    return NULL;

  copy = g_strndup (data, len);
  pairs = g_strsplit (copy, "&", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = pairs[i];
      char *eq;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (*pair == '\0')
        continue;

      for (char *p = pair; *p != '\0'; p++)
        if (*p == '+')
          *p = ' ';

      eq = strchr (pair, '=');
      if (eq != NULL)
        *eq = '\0';

      name = g_uri_unescape_string (pair, NULL);
      value = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
      if (name == NULL || value == NULL || *name == '\0' ||
          !g_utf8_validate (name, -1, NULL) || !g_utf8_validate (value, -1, NULL))
        return NULL;

      if (g_hash_table_contains (params, name) ||
          g_hash_table_size (params) >= MAX_PARAMETERS)
        return NULL;

      g_hash_table_insert (params, g_steal_pointer (&name), g_steal_pointer (&value));
    }

  return g_steal_pointer (&params);
}

/* Provider text for messages and logs: valid UTF-8, no control
 * characters nor bidi overrides, bounded. */
static char *
clean_provider_text (const char *text,
                     guint       max_chars)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  guint n = 0;

  for (const char *p = text; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || lanyard_json_is_hostile_char (c))
        g_string_append_c (clean, ' ');
      else
        g_string_append_unichar (clean, c);
    }
  if (n == max_chars && g_utf8_strlen (text, -1) > max_chars)
    g_string_append (clean, "…");

  return g_string_free (g_steal_pointer (&clean), FALSE);
}

/* RFC 6749 §A.11: code = 1*VSCHAR. */
static gboolean
is_valid_code (const char *code)
{
  if (*code == '\0')
    return FALSE;

  for (const char *p = code; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      return FALSE;

  return TRUE;
}

/* RFC 9207: @iss equals @expected byte for byte. A widely deployed provider
 * percent-encodes the iss of its form_post page one time too many, so one
 * extra decoding is accepted when it gives exactly the issuer: a mix-up
 * attacker gains nothing by it, as it could send the honest issuer
 * unencoded just as well. No other normalisation. */
static gboolean
iss_matches (const char *iss,
             const char *expected)
{
  g_autofree char *decoded = NULL;

  if (strcmp (iss, expected) == 0)
    return TRUE;
  if (strchr (iss, '%') == NULL)
    return FALSE;

  decoded = g_uri_unescape_string (iss, NULL);
  if (decoded == NULL || strcmp (decoded, expected) != 0)
    return FALSE;

  g_debug ("Accepting an RFC 9207 iss percent-encoded twice");
  return TRUE;
}

static LanyardRedirectVerdict
refuse (GError      **error,
        LanyardError  code,
        const char   *message)
{
  g_set_error_literal (error, LANYARD_ERROR, code, message);
  return LANYARD_REDIRECT_REFUSED;
}

static LanyardRedirectVerdict
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE, message);
  return LANYARD_REDIRECT_FAILED;
}

LanyardRedirectVerdict
lanyard_redirect_response_judge (const char                  *form,
                                 gsize                        len,
                                 const LanyardRedirectExpect *expect,
                                 char                       **code,
                                 GError                     **error)
{
  g_autoptr(GHashTable) params = NULL;
  const char *state, *iss, *oauth_error, *value;

  g_return_val_if_fail (expect != NULL && expect->state != NULL && *expect->state != '\0',
                        LANYARD_REDIRECT_REFUSED);
  g_return_val_if_fail (code != NULL && *code == NULL, LANYARD_REDIRECT_REFUSED);
  g_return_val_if_fail (error != NULL && *error == NULL, LANYARD_REDIRECT_REFUSED);

  if (form != NULL)
    params = lanyard_redirect_parse_form (form, len);
  if (params == NULL)
    return refuse (error, LANYARD_ERROR_INVALID_RESPONSE, _("This is not a valid sign-in response."));

  state = g_hash_table_lookup (params, "state");
  if (state == NULL || !lanyard_secure_str_equal (state, expect->state))
    return refuse (error, LANYARD_ERROR_STATE_MISMATCH, _("This sign-in response is not for this request"));

  /* From here on the response carries our state, so it came through the
   * user's browser from the provider's redirect. RFC 9207: a wrong issuer
   * means a mix-up attack is under way, and the flow ends. */
  iss = g_hash_table_lookup (params, "iss");
  if (expect->issuer != NULL)
    {
      if (iss != NULL && !iss_matches (iss, expect->issuer))
        return fail (error, _("issuer mismatch (RFC 9207): the authorization response names another issuer"));
      if (iss == NULL && expect->iss_required)
        return fail (error, _("issuer missing (RFC 9207): the provider promises an “iss” in its authorization responses and this one has none"));
    }

  oauth_error = g_hash_table_lookup (params, "error");
  if (oauth_error != NULL)
    {
      const char *description = g_hash_table_lookup (params, "error_description");
      g_autofree char *clean_error = clean_provider_text (oauth_error, MAX_ERROR_CHARS);
      g_autofree char *clean_description = NULL;
      g_autofree char *said = NULL;
      g_autofree char *message = NULL;

      if (description != NULL && *description != '\0')
        clean_description = clean_provider_text (description, MAX_DESCRIPTION_CHARS);

      said = g_strconcat (clean_error,
                          clean_description ? ": " : "",
                          clean_description ? clean_description : "",
                          NULL);
      message = lanyard_oauth_error_message (clean_error, said);
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_PROVIDER, message);
      return LANYARD_REDIRECT_FAILED;
    }

  value = g_hash_table_lookup (params, "code");
  if (value == NULL || !is_valid_code (value))
    return refuse (error, LANYARD_ERROR_INVALID_RESPONSE, _("This sign-in response carries no authorization code."));

  *code = g_strdup (value);
  return LANYARD_REDIRECT_CODE;
}
