/* lanyard-provider-cache.c — the disk cache of discovery documents and JWKS
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-provider-cache"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "lanyard-http.h"
#include "lanyard-json.h"
#include "lanyard-private-dir.h"
#include "lanyard-provider-cache.h"

/* A body of LANYARD_HTTP_MAX_BODY bytes, escaped as a JSON string, fits. */
#define MAX_CACHE_FILE_SIZE (8 * LANYARD_HTTP_MAX_BODY)

void
lanyard_cache_entry_free (LanyardCacheEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->url);
  g_free (entry->etag);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry);
}

static char *
cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "lanyard", NULL);
}

char *
lanyard_cache_get_path (const char *url)
{
  g_autofree char *dir = cache_dir ();
  g_autofree char *name = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  /* Hashed: a URL is no file name, and the name leaks nothing about the tenant. */
  name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
  return g_build_filename (dir, name, NULL);
}

/* These files are a few KiB in the user's own cache directory, read once
 * per process: synchronous I/O costs less than a thread hop here. */
LanyardCacheEntry *
lanyard_cache_lookup (const char *url)
{
  g_autofree char *dir = cache_dir ();
  g_autofree char *path = lanyard_cache_get_path (url);
  g_autofree char *contents = NULL;
  g_autoptr(LanyardCacheEntry) entry = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  const char *stored_url;
  const char *body;
  const char *etag;
  gsize len;

  /* A file someone else could have written may name any token endpoint. */
  if (!lanyard_private_dir_check (dir, FALSE, NULL) ||
      !lanyard_private_file_check (path, NULL) ||
      g_stat (path, &st) != 0)
    return NULL;

  if (st.st_size > MAX_CACHE_FILE_SIZE)
    {
      g_debug ("Ignoring cache file %s: too large", path);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      g_debug ("Ignoring cache file %s: %s", path, error->message);
      return NULL;
    }

  object = lanyard_json_parse_object (contents, len, "cache file",
                                      LANYARD_ERROR_INVALID_RESPONSE, &error);
  if (object == NULL)
    {
      g_debug ("Ignoring cache file %s: %s", path, error->message);
      return NULL;
    }

  entry = g_new0 (LanyardCacheEntry, 1);
  stored_url = lanyard_json_get_string (object, "url");
  body = lanyard_json_get_string (object, "body");
  etag = lanyard_json_get_string (object, "etag");

  if (stored_url == NULL || !g_str_equal (stored_url, url) || body == NULL ||
      !lanyard_json_get_int (object, "fetched_at", &entry->fetched_at) ||
      !lanyard_json_get_int (object, "max_age", &entry->max_age))
    {
      g_debug ("Ignoring cache file %s: unexpected content", path);
      return NULL;
    }

  entry->url = g_strdup (stored_url);
  entry->etag = etag != NULL && *etag != '\0' ? g_strdup (etag) : NULL;
  entry->body = g_bytes_new (body, strlen (body));

  return g_steal_pointer (&entry);
}

gboolean
lanyard_cache_entry_is_fresh (LanyardCacheEntry *entry,
                              gint64             now)
{
  gint64 max_age;

  g_return_val_if_fail (entry != NULL, FALSE);

  max_age = entry->max_age < 0 ? LANYARD_CACHE_DEFAULT_MAX_AGE : entry->max_age;
  max_age = MIN (max_age, LANYARD_CACHE_MAX_MAX_AGE);

  /* A file from the future means the clock moved: do not trust it. */
  if (entry->fetched_at > now + 60)
    return FALSE;

  return now < entry->fetched_at + max_age;
}

void
lanyard_cache_store (const char *url,
                     const char *etag,
                     gint64      fetched_at,
                     gint64      max_age,
                     GBytes     *body)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cache_dir ();
  g_autofree char *path = NULL;
  g_autofree char *body_string = NULL;
  g_autofree char *contents = NULL;
  const char *data;
  gsize len;

  g_return_if_fail (url != NULL);
  g_return_if_fail (body != NULL);

  data = g_bytes_get_data (body, &len);
  /* Stored as a JSON string, so it must be text; JSON bodies always are. */
  if (data == NULL || !g_utf8_validate_len (data, len, NULL))
    return;

  body_string = g_strndup (data, len);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  if (etag != NULL)
    {
      json_builder_set_member_name (builder, "etag");
      json_builder_add_string_value (builder, etag);
    }
  json_builder_set_member_name (builder, "fetched_at");
  json_builder_add_int_value (builder, fetched_at);
  json_builder_set_member_name (builder, "max_age");
  json_builder_add_int_value (builder, max_age);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body_string);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  contents = lanyard_json_to_string (root);
  len = strlen (contents);

  if (!lanyard_private_dir_check (dir, TRUE, &error))
    {
      g_debug ("Not writing the cache: %s", error->message);
      return;
    }

  path = lanyard_cache_get_path (url);
  if (!g_file_set_contents_full (path, contents, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not write the cache file %s: %s", path, error->message);
  else
    g_debug ("Wrote the cache file %s", path);
}

void
lanyard_cache_remove (const char *url)
{
  g_autofree char *path = lanyard_cache_get_path (url);

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_debug ("Could not remove %s: %s", path, g_strerror (saved_errno));
    }
}
