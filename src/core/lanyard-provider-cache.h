/* lanyard-provider-cache.h — the disk cache of discovery documents and JWKS (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* With no max-age from the server, a cached document is fresh this long. */
#define LANYARD_CACHE_DEFAULT_MAX_AGE (60 * 60)
/* Never trust a cached document longer than this, whatever the server said. */
#define LANYARD_CACHE_MAX_MAX_AGE (24 * 60 * 60)

/* One file per URL under $XDG_CACHE_HOME/lanyard/, named by the SHA-256 hex
 * of the URL, holding {"url", "etag", "fetched_at", "max_age", "body"}. */
typedef struct {
  char   *url;
  char   *etag;        /* may be NULL */
  gint64  fetched_at;  /* seconds since the epoch */
  gint64  max_age;     /* seconds; -1 when the server sent none */
  GBytes *body;
} LanyardCacheEntry;

void               lanyard_cache_entry_free     (LanyardCacheEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardCacheEntry, lanyard_cache_entry_free)

/* The path of @url's cache file (tests use it to corrupt or inspect files). */
char              *lanyard_cache_get_path       (const char        *url);

/* NULL when there is no entry, or it is unreadable, corrupt or for another URL. */
LanyardCacheEntry *lanyard_cache_lookup         (const char        *url);

gboolean           lanyard_cache_entry_is_fresh (LanyardCacheEntry *entry,
                                                 gint64             now);

/* Writes atomically, mode 0600. Failures are only logged: the cache is an
 * optimisation. Blocking and thread-safe: the provider calls it (and
 * lanyard_cache_remove ()) from a worker thread. */
void               lanyard_cache_store          (const char        *url,
                                                 const char        *etag,
                                                 gint64             fetched_at,
                                                 gint64             max_age,
                                                 GBytes            *body);

void               lanyard_cache_remove         (const char        *url);

G_END_DECLS
