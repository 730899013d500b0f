/* lanyard-setup-page.h — first run: which tenant, which application
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_SETUP_PAGE (lanyard_setup_page_get_type ())
G_DECLARE_FINAL_TYPE (LanyardSetupPage, lanyard_setup_page, LANYARD, SETUP_PAGE, AdwBin)

/* Signals:
 *  "submitted": both fields are valid and the user pressed Continue.
 */
const char *lanyard_setup_page_get_authority (LanyardSetupPage *self);
const char *lanyard_setup_page_get_client_id (LanyardSetupPage *self);
void        lanyard_setup_page_set_values    (LanyardSetupPage *self,
                                              const char       *authority,
                                              const char       *client_id);
gboolean    lanyard_setup_page_get_valid     (LanyardSetupPage *self);
void        lanyard_setup_page_focus         (LanyardSetupPage *self);

G_END_DECLS
