/* lanyard-base64url.c — RFC 4648 §5 base64url without padding
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-base64url"

#include "config.h"

#include <string.h>

#include "lanyard-i18n-private.h"
#include "lanyard-base64url.h"
#include "lanyard-error.h"

static const char alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *
lanyard_base64url_encode (const guint8 *data,
                          gsize         len)
{
  GString *out;
  gsize i;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  out = g_string_sized_new ((len + 2) / 3 * 4 + 1);

  for (i = 0; i + 3 <= len; i += 3)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8) | data[i + 2];

      g_string_append_c (out, alphabet[(v >> 18) & 0x3f]);
      g_string_append_c (out, alphabet[(v >> 12) & 0x3f]);
      g_string_append_c (out, alphabet[(v >> 6) & 0x3f]);
      g_string_append_c (out, alphabet[v & 0x3f]);
    }

  if (len - i == 1)
    {
      guint32 v = (guint32) data[i] << 16;

      g_string_append_c (out, alphabet[(v >> 18) & 0x3f]);
      g_string_append_c (out, alphabet[(v >> 12) & 0x3f]);
    }
  else if (len - i == 2)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8);

      g_string_append_c (out, alphabet[(v >> 18) & 0x3f]);
      g_string_append_c (out, alphabet[(v >> 12) & 0x3f]);
      g_string_append_c (out, alphabet[(v >> 6) & 0x3f]);
    }

  return g_string_free (out, FALSE);
}

static int
decode_char (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

GBytes *
lanyard_base64url_decode (const char  *text,
                          gssize       len,
                          GError     **error)
{
  g_autofree guint8 *out = NULL;
  gsize n, n_out = 0, i;
  guint32 acc = 0;
  guint bits = 0;

  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = len < 0 ? strlen (text) : (gsize) len;

  /* One leftover character carries only 6 bits: no encoder produces that. */
  if (n % 4 == 1)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("Invalid base64url: impossible length"));
      return NULL;
    }

  out = g_malloc (n / 4 * 3 + 3);

  for (i = 0; i < n; i++)
    {
      int v = decode_char (text[i]);

      if (v < 0)
        {
          g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                       "Invalid base64url: unexpected character at offset %" G_GSIZE_FORMAT, i);
          return NULL;
        }

      acc = (acc << 6) | (guint32) v;
      bits += 6;
      if (bits >= 8)
        {
          bits -= 8;
          out[n_out++] = (guint8) (acc >> bits);
          acc &= (1u << bits) - 1;
        }
    }

  /* Only the canonical encoding is accepted: the unused low bits of the last
   * character must be zero, so one value has exactly one spelling. */
  if (acc != 0)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("Invalid base64url: non-zero trailing bits"));
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&out), n_out);
}
