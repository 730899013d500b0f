/* lanyard-text.c
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lanyard.h"
#include "lanyard-text.h"

gboolean
lanyard_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The core's messages already say what went wrong; we add what it means for
 * the person in front of the window. */
char *
lanyard_error_to_text (const GError *error)
{
  g_autofree char *clean = NULL;
  const char *message;

  g_return_val_if_fail (error != NULL, NULL);

  /* Messages quote the provider (error descriptions, discovery values). */
  message = clean = lanyard_clean_text (error->message ? error->message : "");

  if (error->domain != LANYARD_ERROR)
    return g_strdup (message);

  switch ((LanyardError) error->code)
    {
    case LANYARD_ERROR_CANCELLED:
      return g_strdup (_("Sign-in was cancelled"));
    case LANYARD_ERROR_TIMED_OUT:
      /* The core says what did not arrive, and within how long. */
      return g_strdup (message);
    case LANYARD_ERROR_BROWSER:
      /* The core names the browser and what to do about it. */
      return g_strdup (message);
    case LANYARD_ERROR_PROVIDER:
      /* The core explains the provider's error code and quotes its words:
       * "refused" would be wrong when the person pressed Cancel there. */
      return g_strdup (message);
    case LANYARD_ERROR_NETWORK:
      /* The core already says "Could not reach <host>: …". */
      return g_strdup (message);
    case LANYARD_ERROR_TLS:
      /* "The certificate of <host> is not trusted": said once is enough. */
      return g_strdup (message);
    case LANYARD_ERROR_INVALID_RESPONSE:
      return g_strdup_printf (_("The provider sent an answer Lanyard cannot use: %s"), message);
    case LANYARD_ERROR_INVALID_TOKEN:
      return g_strdup_printf (_("The ID token was rejected: %s"), message);
    case LANYARD_ERROR_STATE_MISMATCH:
      return g_strdup_printf (_("The browser answered for a different sign-in: %s"), message);
    case LANYARD_ERROR_KEYRING_LOCKED:
    case LANYARD_ERROR_KEYRING_UNAVAILABLE:
      /* The core says what could not be done and why ("Could not save the
       * account in the keyring: the keyring is locked"): not twice. */
      return g_strdup (message);
    case LANYARD_ERROR_INTERACTION_REQUIRED:
      return g_strdup (_("Your session has ended. Sign in again to continue."));
    case LANYARD_ERROR_CONFIGURATION:
      return g_strdup_printf (_("Check the settings: %s"), message);
    case LANYARD_ERROR_NOT_FOUND:
      return g_strdup (_("No account is signed in"));
    case LANYARD_ERROR_FAILED:
    default:
      return g_strdup (message);
    }
}

/* The rules are the core's (lanyard_config_check_*), shared with lanyard-cli
 * and the environment; a form only treats "still empty" as no problem yet. */
static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
take_problem (GError  *error,
              char   **problem)
{
  if (problem != NULL)
    *problem = error ? g_strdup (error->message) : NULL;
  g_clear_error (&error);
  return FALSE;
}

gboolean
lanyard_check_authority (const char  *text,
                         char       **normalized,
                         char       **problem)
{
  GError *error = NULL;

  if (normalized)
    *normalized = NULL;
  if (problem)
    *problem = NULL;

  if (is_blank (text))
    return FALSE;

  if (!lanyard_config_check_authority (text, normalized, &error))
    return take_problem (error, problem);

  return TRUE;
}

gboolean
lanyard_check_client_id (const char  *text,
                         char       **problem)
{
  GError *error = NULL;

  if (problem)
    *problem = NULL;

  if (is_blank (text))
    return FALSE;

  if (!lanyard_config_check_client_id (text, &error))
    return take_problem (error, problem);

  return TRUE;
}

gboolean
lanyard_check_scopes (const char  *text,
                      char       **problem)
{
  g_auto(GStrv) scopes = lanyard_scopes_parse (text);
  GError *error = NULL;

  if (problem)
    *problem = NULL;

  if (!lanyard_config_check_scopes ((const char * const *) scopes, &error))
    return take_problem (error, problem);

  return TRUE;
}

char *
lanyard_authority_display_host (const char *text)
{
  g_autoptr(LanyardAuthority) authority = NULL;

  if (text == NULL || *text == '\0')
    return NULL;

  authority = lanyard_authority_parse (text, NULL);
  if (authority == NULL)
    return g_strdup (text);

  return g_strdup (lanyard_authority_get_host (authority));
}

char *
lanyard_format_relative_time (gint64 when,
                              gint64 now)
{
  gint64 delta = when - now;
  gboolean future = delta > 0;
  gint64 abs_delta = ABS (delta);
  gulong n;

  if (abs_delta < 60)
    return g_strdup (delta > 0 ? _("in less than a minute") : _("just now"));

  if (abs_delta < 60 * 60)
    {
      n = abs_delta / 60;
      return g_strdup_printf (future ? ngettext ("in %lu minute", "in %lu minutes", n)
                                     : ngettext ("%lu minute ago", "%lu minutes ago", n),
                              n);
    }

  if (abs_delta < 48 * 60 * 60)
    {
      n = abs_delta / (60 * 60);
      return g_strdup_printf (future ? ngettext ("in %lu hour", "in %lu hours", n)
                                     : ngettext ("%lu hour ago", "%lu hours ago", n),
                              n);
    }

  n = abs_delta / (24 * 60 * 60);
  return g_strdup_printf (future ? ngettext ("in %lu day", "in %lu days", n)
                                 : ngettext ("%lu day ago", "%lu days ago", n),
                          n);
}

char *
lanyard_format_timestamp (gint64 when)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (when);

  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, when);

  /* Translators: a date and time, see g_date_time_format() for the codes;
   * not %e, which pads the day with a figure space that is read aloud */
  return g_date_time_format (dt, _("%-d %B %Y, %H:%M:%S"));
}

char *
lanyard_format_time_span (guint seconds)
{
  if (seconds >= 60 && seconds % 60 == 0)
    return g_strdup_printf (ngettext ("%u minute", "%u minutes", seconds / 60), seconds / 60);

  return g_strdup_printf (ngettext ("%u second", "%u seconds", seconds), seconds);
}

const char *
lanyard_format_renewal (LanyardAccount *account)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (account), NULL);

  return lanyard_account_get_refresh_token (account) != NULL
         ? _("Tokens are renewed without signing in again")
         : _("None: sign in again when the access token expires");
}
