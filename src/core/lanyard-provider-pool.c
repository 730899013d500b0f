/* lanyard-provider-pool.c — the providers a client has loaded, in memory
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-provider"

#include "config.h"

#include "lanyard-provider-pool.h"

struct _LanyardProviderPool
{
  GObject     parent_instance;

  GHashTable *providers;   /* discovery URL → LanyardProvider */
};

G_DEFINE_FINAL_TYPE (LanyardProviderPool, lanyard_provider_pool, G_TYPE_OBJECT)

static void
lanyard_provider_pool_finalize (GObject *object)
{
  LanyardProviderPool *self = LANYARD_PROVIDER_POOL (object);

  g_clear_pointer (&self->providers, g_hash_table_unref);

  G_OBJECT_CLASS (lanyard_provider_pool_parent_class)->finalize (object);
}

static void
lanyard_provider_pool_class_init (LanyardProviderPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lanyard_provider_pool_finalize;
}

static void
lanyard_provider_pool_init (LanyardProviderPool *self)
{
  self->providers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

LanyardProviderPool *
lanyard_provider_pool_new (void)
{
  return g_object_new (LANYARD_TYPE_PROVIDER_POOL, NULL);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardProviderPool *self = g_task_get_source_object (task);
  LanyardAuthority *authority = g_task_get_task_data (task);
  const char *url = lanyard_authority_get_discovery_url (authority);
  g_autoptr(LanyardProvider) provider = NULL;
  LanyardProvider *cached;
  GError *error = NULL;

  provider = lanyard_provider_load_finish (result, &error);
  if (provider == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A load that ran at the same time may have put one there first: share
   * it, so that every caller sees one JWKS. */
  cached = g_hash_table_lookup (self->providers, url);
  if (cached == NULL || lanyard_provider_is_stale (cached))
    {
      cached = provider;
      g_hash_table_replace (self->providers, g_strdup (url), g_object_ref (provider));
    }

  g_task_return_pointer (task, g_object_ref (cached), g_object_unref);
}

void
lanyard_provider_pool_load_async (LanyardProviderPool *self,
                                  SoupSession         *session,
                                  LanyardAuthority    *authority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LanyardProvider *cached;
  gboolean stale = FALSE;
  const char *url;

  g_return_if_fail (LANYARD_IS_PROVIDER_POOL (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (authority != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_provider_pool_load_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, lanyard_authority_ref (authority), (GDestroyNotify) lanyard_authority_unref);

  url = lanyard_authority_get_discovery_url (authority);
  cached = g_hash_table_lookup (self->providers, url);
  if (cached != NULL && !lanyard_provider_is_stale (cached))
    {
      g_task_return_pointer (task, g_object_ref (cached), g_object_unref);
      return;
    }

  if (cached != NULL)
    {
      g_debug ("Discovery document for %s went stale in memory", url);
      stale = TRUE;
    }

  lanyard_provider_load_async (session, authority, stale, cancellable, loaded_cb,
                               g_steal_pointer (&task));
}

LanyardProvider *
lanyard_provider_pool_load_finish (LanyardProviderPool  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER_POOL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_provider_pool_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
