/* lanyard-claims-descriptions.h — what each ID token claim means, in one line
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A translated one-line explanation of @claim, or NULL for claims we don't know. */
const char *lanyard_claim_get_description (const char *claim);
/* Whether @claim holds seconds since the epoch (exp, iat, nbf, auth_time…). */
gboolean    lanyard_claim_is_timestamp    (const char *claim);
/* Lower numbers first: who you are, then the token's own bookkeeping. */
int         lanyard_claim_get_sort_rank   (const char *claim);

G_END_DECLS
