/* lanyard-authority.c — what the user typed, normalised into an authority
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-authority"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "lanyard-i18n-private.h"
#include "lanyard-authority.h"
#include "lanyard-error.h"

#define WELL_KNOWN_SUFFIX "/.well-known/openid-configuration"
#define CIAM_DOMAIN ".ciamlogin.com"
#define TENANT_DOMAIN ".onmicrosoft.com"

struct _LanyardAuthority
{
  gatomicrefcount  ref_count;
  char            *url;
  char            *discovery_url;
  char            *logout_url;
  char            *host;
  guint            entra : 1;
  guint            loopback : 1;
};

/**
 * lanyard_authority_ref:
 * @self: a #LanyardAuthority
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @self, with one more reference
 */
/**
 * LanyardAuthority:
 *
 * Where accounts sign in, as parsed from what a user typed by
 * lanyard_authority_parse(): an immutable, reference-counted value.
 */
G_DEFINE_BOXED_TYPE (LanyardAuthority, lanyard_authority, lanyard_authority_ref, lanyard_authority_unref)

LanyardAuthority *
lanyard_authority_ref (LanyardAuthority *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * lanyard_authority_unref:
 * @self: (transfer full): a #LanyardAuthority
 *
 * Drops a reference; the last one frees @self.
 */
void
lanyard_authority_unref (LanyardAuthority *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->url);
  g_free (self->discovery_url);
  g_free (self->logout_url);
  g_free (self->host);
  g_free (self);
}

/**
 * lanyard_authority_get_url:
 * @self: a #LanyardAuthority
 *
 * The normalised form `scheme://host[:port]/path/`: always with a trailing
 * `/` for Entra, without one for other providers (it then equals the
 * issuer).
 *
 * Returns: (transfer none): the authority URL
 */
const char *
lanyard_authority_get_url (LanyardAuthority *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->url;
}

const char *
lanyard_authority_get_discovery_url (LanyardAuthority *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->discovery_url;
}

/**
 * lanyard_authority_is_entra:
 * @self: a #LanyardAuthority
 *
 * Whether the authority is a Microsoft Entra External ID one.
 *
 * Returns: %TRUE for a Microsoft Entra External ID authority (a
 *   `ciamlogin.com` tenant or a custom URL domain in Entra's form)
 */
gboolean
lanyard_authority_is_entra (LanyardAuthority *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->entra;
}

gboolean
lanyard_authority_is_loopback (LanyardAuthority *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->loopback;
}

const char *
lanyard_authority_get_entra_logout_url (LanyardAuthority *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->logout_url;
}

/**
 * lanyard_authority_get_host:
 * @self: a #LanyardAuthority
 *
 * The host the authority is on.
 *
 * Returns: (transfer none): the authority's host name, to show to the user
 */
const char *
lanyard_authority_get_host (LanyardAuthority *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->host;
}

gboolean
lanyard_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  len = strlen (host);
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  /* Only literal addresses: "127.0.0.1.example.com" must not pass. */
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
is_dns_label (const char *s,
              gsize       len)
{
  if (len == 0 || len > 63 || s[0] == '-' || s[len - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '-')
      return FALSE;

  return TRUE;
}

static gboolean
is_guid (const char *s)
{
  static const guint8 groups[] = { 8, 4, 4, 4, 12 };

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      for (guint i = 0; i < groups[g]; i++, s++)
        if (!g_ascii_isxdigit (*s))
          return FALSE;

      if (g + 1 < G_N_ELEMENTS (groups) && *s++ != '-')
        return FALSE;
    }

  return *s == '\0';
}

/* "contoso.onmicrosoft.com" */
static gboolean
is_tenant_domain (const char *s)
{
  gsize len = strlen (s);
  gsize suffix = strlen (TENANT_DOMAIN);

  return len > suffix &&
         g_ascii_strcasecmp (s + len - suffix, TENANT_DOMAIN) == 0 &&
         is_dns_label (s, len - suffix);
}

static gboolean
is_tenant_segment (const char *s)
{
  return is_guid (s) || is_tenant_domain (s);
}

static gboolean
host_is_ciamlogin (const char *host)
{
  gsize len = strlen (host);
  gsize suffix = strlen (CIAM_DOMAIN);

  return len > suffix &&
         g_ascii_strcasecmp (host + len - suffix, CIAM_DOMAIN) == 0 &&
         is_dns_label (host, len - suffix);
}

static gboolean
host_is_valid (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;

  /* GUri already turned an IDN into ASCII; IPv6 literals come unbracketed. */
  if (strchr (host, ':') != NULL)
    {
      address = g_inet_address_new_from_string (host);
      return address != NULL;
    }

  if (host[strlen (host) - 1] == '.')
    return FALSE;

  for (const char *label = host; label != NULL && *label != '\0';)
    {
      const char *dot = strchr (label, '.');
      gsize len = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (!is_dns_label (label, len))
        return FALSE;

      label = dot != NULL ? dot + 1 : NULL;
    }

  return TRUE;
}

static gboolean
has_suffix_ci (const char *s,
               const char *suffix)
{
  gsize len = strlen (s);
  gsize slen = strlen (suffix);

  return len >= slen && g_ascii_strcasecmp (s + len - slen, suffix) == 0;
}

static void
strip_trailing_slashes (GString *path)
{
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);
}

static LanyardAuthority *
authority_new (const char *origin,
               const char *path,
               const char *host,
               gboolean    entra,
               gboolean    loopback)
{
  LanyardAuthority *self = g_new0 (LanyardAuthority, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->host = g_strdup (host);
  self->entra = !!entra;
  self->loopback = !!loopback;

  if (entra)
    {
      /* @path is "/tenant"; Entra URLs end in '/' so that relative paths append. */
      self->url = g_strconcat (origin, path, "/", NULL);
      self->discovery_url = g_strconcat (self->url, "v2.0" WELL_KNOWN_SUFFIX, NULL);
      self->logout_url = g_strconcat (self->url, "oauth2/v2.0/logout", NULL);
    }
  else
    {
      /* OpenID Connect Discovery 4: a terminating '/' of the issuer is removed
       * before appending the well-known path. */
      self->url = g_strconcat (origin, path, NULL);
      self->discovery_url = g_strconcat (self->url, WELL_KNOWN_SUFFIX, NULL);
    }

  return self;
}

static LanyardAuthority *
parse_bare_tenant (const char  *input,
                   GError     **error)
{
  g_autofree char *tenant = g_ascii_strdown (input, -1);
  g_autofree char *origin = NULL;
  g_autofree char *path = NULL;
  g_autofree char *host = NULL;

  /* People know their tenant as "contoso.onmicrosoft.com" as often as "contoso". */
  if (is_tenant_domain (tenant))
    tenant[strlen (tenant) - strlen (TENANT_DOMAIN)] = '\0';

  if (!is_dns_label (tenant, strlen (tenant)))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                   _("“%s” is neither a tenant subdomain (such as “contoso”) "
                   "nor an https:// authority URL"),
                   input);
      return NULL;
    }

  host = g_strconcat (tenant, CIAM_DOMAIN, NULL);
  origin = g_strconcat ("https://", host, NULL);
  path = g_strconcat ("/", tenant, TENANT_DOMAIN, NULL);

  return authority_new (origin, path, host, TRUE, FALSE);
}

/**
 * lanyard_authority_parse:
 * @input: what the user typed
 * @error: return location for a #GError
 *
 * Normalises what a user typed into an authority. Accepted: a bare Entra
 * tenant subdomain (`contoso`); `https://contoso.ciamlogin.com/` with or
 * without a tenant id or `contoso.onmicrosoft.com` path; a custom URL
 * domain in Entra's form (`https://login.contoso.com/<tenant-id>`); any
 * other `https` issuer URL; and `http` only to a loopback host. A query,
 * fragment or user info is refused; a trailing `/v2.0` or well-known suffix
 * is stripped.
 *
 * Returns: (transfer full): the authority, or %NULL with
 *   %LANYARD_ERROR_CONFIGURATION
 */
LanyardAuthority *
lanyard_authority_parse (const char  *input,
                         GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *bracketed = NULL;
  g_autoptr(GString) path = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) segments = NULL;
  gboolean loopback;
  gboolean entra = FALSE;
  gboolean ciam;
  int port;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL)
    input = "";

  trimmed = g_strstrip (g_strdup (input));

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("No authority given: enter the tenant subdomain "
                           "(such as “contoso”) or the authority URL"));
      return NULL;
    }

  if (!g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("The authority is not valid UTF-8"));
      return NULL;
    }

  if (strstr (trimmed, "://") == NULL)
    return parse_bare_tenant (trimmed, error);

  /* ENCODED keeps percent-escapes in the path as typed, so the normalised
   * URL still matches the issuer byte for byte. */
  uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                   _("“%s” is not a valid URL: %s"), trimmed, local_error->message);
      return NULL;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (!g_str_equal (scheme, "https") && !g_str_equal (scheme, "http"))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                   _("The authority must be an https:// URL, not %s://"), scheme);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("The authority URL must not contain a user name or password"));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("The authority URL must not contain a query (“?…”)"));
      return NULL;
    }

  if (g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("The authority URL must not contain a fragment (“#…”)"));
      return NULL;
    }

  if (g_uri_get_host (uri) == NULL || strchr (g_uri_get_host (uri), '%') != NULL ||
      !host_is_valid (g_uri_get_host (uri)))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                   _("“%s” has no valid host name"), trimmed);
      return NULL;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  loopback = lanyard_host_is_loopback (host);

  if (g_str_equal (scheme, "http") && !loopback)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                   _("Plain http:// is only allowed for a provider on this computer; "
                   "use https://%s"), host);
      return NULL;
    }

  port = g_uri_get_port (uri);
  if (port == 0)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                           _("The authority URL has an invalid port"));
      return NULL;
    }

  bracketed = strchr (host, ':') != NULL ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  if (port < 0 ||
      (port == 443 && g_str_equal (scheme, "https")) ||
      (port == 80 && g_str_equal (scheme, "http")))
    origin = g_strdup_printf ("%s://%s", scheme, bracketed);
  else
    origin = g_strdup_printf ("%s://%s:%d", scheme, bracketed, port);

  /* Pasting the discovery URL itself is common: take its prefix. Every
   * repetition goes, or the result would parse to yet another authority. */
  path = g_string_new (g_uri_get_path (uri));
  strip_trailing_slashes (path);
  while (has_suffix_ci (path->str, WELL_KNOWN_SUFFIX))
    {
      g_string_truncate (path, path->len - strlen (WELL_KNOWN_SUFFIX));
      strip_trailing_slashes (path);
    }

  segments = g_strsplit (*path->str == '/' ? path->str + 1 : path->str, "/", -1);
  for (guint i = 0; segments[i] != NULL && *path->str != '\0'; i++)
    {
      if (*segments[i] == '\0' || g_str_equal (segments[i], ".") || g_str_equal (segments[i], ".."))
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                       _("The authority URL has an invalid path “%s”"), g_uri_get_path (uri));
          return NULL;
        }
    }

  ciam = host_is_ciamlogin (host);

  /* Entra: "/tenant" or the issuer-style "/tenant/v2.0"; on *.ciamlogin.com
   * a bare host means the tenant named by the subdomain. */
  if (ciam && *path->str == '\0')
    {
      g_autofree char *sub = g_strndup (host, strlen (host) - strlen (CIAM_DOMAIN));

      g_string_printf (path, "/%s%s", sub, TENANT_DOMAIN);
      entra = TRUE;
    }
  else if (*path->str != '\0' && segments[0] != NULL && is_tenant_segment (segments[0]) &&
           (segments[1] == NULL ||
            (g_ascii_strcasecmp (segments[1], "v2.0") == 0 && segments[2] == NULL)))
    {
      g_autofree char *tenant = g_ascii_strdown (segments[0], -1);

      g_string_printf (path, "/%s", tenant);
      entra = TRUE;
    }
  else if (ciam)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                   _("An Entra External ID authority is https://%s/ optionally "
                   "followed by the tenant ID or the tenant’s .onmicrosoft.com "
                   "domain, not “%s”"),
                   host, g_uri_get_path (uri));
      return NULL;
    }

  return authority_new (origin, path->str, host, entra, loopback);
}

gboolean
lanyard_url_is_acceptable_endpoint (const char *url,
                                    gboolean    allow_loopback_http)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  /* RFC 6749 3.1 and 3.2: endpoints carry no fragment. */
  if (host == NULL || *host == '\0' ||
      g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    return FALSE;

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  return allow_loopback_http &&
         g_ascii_strcasecmp (scheme, "http") == 0 &&
         lanyard_host_is_loopback (host);
}
