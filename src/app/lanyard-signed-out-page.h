/* lanyard-signed-out-page.h — Sign In or Create Account
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_SIGNED_OUT_PAGE (lanyard_signed_out_page_get_type ())
G_DECLARE_FINAL_TYPE (LanyardSignedOutPage, lanyard_signed_out_page, LANYARD, SIGNED_OUT_PAGE, AdwBin)

/* @provider: the host people sign in at, shown in the description (nullable). */
void lanyard_signed_out_page_set_provider (LanyardSignedOutPage *self,
                                           const char           *provider);

G_END_DECLS
