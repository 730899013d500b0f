/* lanyard-id-token.c — ID token validation (OpenID Connect Core 1.0 §3.1.3.7)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every rejection says which check failed, so that a user (or whoever reads
 * the bug report) can tell a clock problem from a misconfigured client id.
 * Messages may name the issuer, the audience and key ids — none of them is a
 * secret — but never contain the token or the nonce.
 */
#define G_LOG_DOMAIN "lanyard-id-token"

#include "config.h"

#include <math.h>
#include <string.h>

#include "lanyard-error.h"
#include "lanyard-id-token.h"
#include "lanyard-json.h"
#include "lanyard-jws.h"
#include "lanyard-pkce.h"

#define REJECTED "ID token rejected: "

G_GNUC_PRINTF (2, 3)
static void
reject (GError     **error,
        const char  *format,
        ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN, REJECTED "%s", why);
}

/* Claims come from the token: escape them and keep them short. */
static char *
quote_claim (const char *value)
{
  g_autofree char *head = NULL;
  g_autofree char *escaped = NULL;
  gboolean cut = g_utf8_strlen (value, -1) > 200;

  head = cut ? g_utf8_substring (value, 0, 200) : g_strdup (value);
  escaped = g_strescape (head, NULL);

  return g_strdup_printf ("%s%s", escaped, cut ? "…" : "");
}

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, t);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

typedef enum {
  CLAIM_MISSING,
  CLAIM_WRONG_TYPE,
  CLAIM_OK,
} ClaimStatus;

/* A NumericDate (RFC 7519 §2) may have a fraction; whole seconds are enough. */
static ClaimStatus
get_numeric_date (JsonObject *claims,
                  const char *name,
                  gint64     *out)
{
  JsonNode *node = json_object_get_member (claims, name);
  GType type;

  if (node == NULL)
    return CLAIM_MISSING;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return CLAIM_WRONG_TYPE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return CLAIM_OK;
    }

  if (type == G_TYPE_DOUBLE)
    {
      double d = floor (json_node_get_double (node));

      if (isfinite (d) && d >= -9.2e18 && d <= 9.2e18)
        {
          *out = (gint64) d;
          return CLAIM_OK;
        }
    }

  return CLAIM_WRONG_TYPE;
}

static gboolean
check_numeric_date (JsonObject  *claims,
                    const char  *name,
                    gboolean     required,
                    gint64      *out,
                    GError     **error)
{
  switch (get_numeric_date (claims, name, out))
    {
    case CLAIM_OK:
      return TRUE;
    case CLAIM_MISSING:
      if (!required)
        return TRUE;
      reject (error, "%s is missing", name);
      return FALSE;
    case CLAIM_WRONG_TYPE:
    default:
      reject (error, "%s is not a number", name);
      return FALSE;
    }
}

/* aud is a string or an array of strings (OIDC Core §2). */
static gboolean
check_audience (JsonObject  *claims,
                const char  *client_id,
                guint       *out_n_audiences,
                GError     **error)
{
  JsonNode *node = json_object_get_member (claims, "aud");
  gboolean found = FALSE;

  if (node == NULL)
    {
      reject (error, "audience (aud) is missing");
      return FALSE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out_n_audiences = 1;
      found = g_strcmp0 (json_node_get_string (node), client_id) == 0;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint i, n = json_array_get_length (array);

      for (i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            {
              reject (error, "audience (aud) is not a string or an array of strings");
              return FALSE;
            }

          if (g_strcmp0 (json_node_get_string (element), client_id) == 0)
            found = TRUE;
        }
      *out_n_audiences = n;
    }
  else
    {
      reject (error, "audience (aud) is not a string or an array of strings");
      return FALSE;
    }

  if (!found)
    {
      reject (error, "audience does not include the client id");
      return FALSE;
    }

  return TRUE;
}

JsonObject *
lanyard_id_token_validate (const char                       *id_token,
                           LanyardJwks                      *jwks,
                           const LanyardIdTokenExpectations *expect,
                           GError                          **error)
{
  g_autoptr(LanyardJws) jws = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *payload;
  const char *iss;
  const char *sub;
  JsonNode *azp;
  guint n_audiences = 0;
  gint64 now, skew, exp = 0, iat = 0, nbf = G_MININT64;

  g_return_val_if_fail (id_token != NULL, NULL);
  g_return_val_if_fail (jwks != NULL, NULL);
  g_return_val_if_fail (expect != NULL, NULL);
  g_return_val_if_fail (expect->issuer != NULL, NULL);
  g_return_val_if_fail (expect->client_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  now = expect->now != 0 ? expect->now : g_get_real_time () / G_USEC_PER_SEC;
  skew = expect->skew_seconds > 0 ? expect->skew_seconds : LANYARD_ID_TOKEN_DEFAULT_SKEW_SECONDS;

  /* 1. Form */
  if (!(jws = lanyard_jws_parse (id_token, &local_error)))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), REJECTED);
      return NULL;
    }

  /* 2.–3. alg allow-list (before any key is looked at), key and signature */
  if (!lanyard_jws_verify (jws, jwks, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), REJECTED);
      return NULL;
    }

  /* 4. Claims: one object, duplicates refused (which "iss" would count?) */
  payload = lanyard_jws_get_payload (jws);
  claims = lanyard_json_parse_object (g_bytes_get_data (payload, NULL),
                                      g_bytes_get_size (payload),
                                      "payload", LANYARD_ERROR_INVALID_TOKEN,
                                      &local_error);
  if (claims == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), REJECTED);
      return NULL;
    }

  /* 5. iss: exactly the discovery issuer, no normalisation */
  iss = lanyard_json_get_string (claims, "iss");
  if (iss == NULL)
    {
      reject (error, "issuer (iss) is missing");
      return NULL;
    }
  if (strcmp (iss, expect->issuer) != 0)
    {
      g_autofree char *quoted = quote_claim (iss);

      reject (error, "issuer is %s, expected %s", quoted, expect->issuer);
      return NULL;
    }

  /* 6. aud */
  if (!check_audience (claims, expect->client_id, &n_audiences, error))
    return NULL;

  /* 7. azp: when present it must be us; several audiences need it (§3.1.3.7 item 4) */
  azp = json_object_get_member (claims, "azp");
  if (azp != NULL)
    {
      const char *value = lanyard_json_get_string (claims, "azp");

      if (value == NULL || strcmp (value, expect->client_id) != 0)
        {
          reject (error, "azp is not the client id");
          return NULL;
        }
    }
  else if (n_audiences > 1)
    {
      reject (error, "several audiences but no azp");
      return NULL;
    }

  /* 8. exp: the current time must be before it (with the allowed skew) */
  if (!check_numeric_date (claims, "exp", TRUE, &exp, error))
    return NULL;
  if (exp <= now - skew)
    {
      g_autofree char *when = format_time (exp);

      reject (error, "expired at %s", when);
      return NULL;
    }

  /* 9. iat: not in the future; nbf, when present, likewise */
  if (!check_numeric_date (claims, "iat", TRUE, &iat, error))
    return NULL;
  if (iat > now + skew)
    {
      reject (error, "issued in the future");
      return NULL;
    }

  if (!check_numeric_date (claims, "nbf", FALSE, &nbf, error))
    return NULL;
  if (nbf > now + skew)
    {
      g_autofree char *when = format_time (nbf);

      reject (error, "not valid before %s", when);
      return NULL;
    }

  /* 10. nonce: the one this sign-in sent (constant time; never echoed) */
  if (expect->nonce != NULL)
    {
      const char *nonce = lanyard_json_get_string (claims, "nonce");

      if (nonce == NULL)
        {
          reject (error, "nonce is missing");
          return NULL;
        }
      if (!lanyard_secure_str_equal (nonce, expect->nonce))
        {
          reject (error, "nonce does not match");
          return NULL;
        }
    }

  /* 11. sub: the account's identity; required by OIDC Core §2 */
  sub = lanyard_json_get_string (claims, "sub");
  if (sub == NULL || *sub == '\0')
    {
      reject (error, "subject (sub) is missing");
      return NULL;
    }

  return g_steal_pointer (&claims);
}

JsonObject *
lanyard_id_token_peek_claims (const char  *id_token,
                              GError     **error)
{
  g_autoptr(LanyardJws) jws = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *payload;
  JsonObject *claims;

  g_return_val_if_fail (id_token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(jws = lanyard_jws_parse (id_token, &local_error)))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "ID token unreadable: ");
      return NULL;
    }

  payload = lanyard_jws_get_payload (jws);
  claims = lanyard_json_parse_object (g_bytes_get_data (payload, NULL),
                                      g_bytes_get_size (payload),
                                      "payload", LANYARD_ERROR_INVALID_TOKEN,
                                      &local_error);
  if (claims == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "ID token unreadable: ");
      return NULL;
    }

  return claims;
}
