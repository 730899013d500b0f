/* lanyard-account-page.h — who is signed in, their claims, their tokens
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

#include "lanyard.h"
#include "lanyard-api-model.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_ACCOUNT_PAGE (lanyard_account_page_get_type ())
G_DECLARE_FINAL_TYPE (LanyardAccountPage, lanyard_account_page, LANYARD, ACCOUNT_PAGE, AdwBin)

LanyardAccount *lanyard_account_page_get_account (LanyardAccountPage *self);
void            lanyard_account_page_set_account (LanyardAccountPage *self,
                                                  LanyardAccount     *account);
void            lanyard_account_page_set_api_model (LanyardAccountPage *self,
                                                    LanyardApiModel    *model);

G_END_DECLS
