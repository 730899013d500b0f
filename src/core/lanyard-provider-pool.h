/* lanyard-provider-pool.h — the providers a client has loaded, in memory (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lanyard-provider.h"

G_BEGIN_DECLS

/* Discovery URL → LanyardProvider, for one client: every sign-in, refresh
 * and sign-out of the client shares a provider (and so its JWKS) until its
 * discovery document goes stale (lanyard_provider_is_stale ()), then loads
 * it again. Belongs to the main context it is used from; no locking. */
#define LANYARD_TYPE_PROVIDER_POOL (lanyard_provider_pool_get_type ())
G_DECLARE_FINAL_TYPE (LanyardProviderPool, lanyard_provider_pool, LANYARD, PROVIDER_POOL, GObject)

LanyardProviderPool *lanyard_provider_pool_new         (void);

/* The provider for @authority: the pool's while fresh, else
 * lanyard_provider_load_async (); loads for one URL running at once end
 * with the same provider. */
void                 lanyard_provider_pool_load_async  (LanyardProviderPool  *self,
                                                        SoupSession          *session,
                                                        LanyardAuthority     *authority,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
LanyardProvider     *lanyard_provider_pool_load_finish (LanyardProviderPool  *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
