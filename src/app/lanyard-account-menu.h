/* lanyard-account-menu.h — the header's account switcher
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

#include "lanyard-session.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_ACCOUNT_MENU (lanyard_account_menu_get_type ())
G_DECLARE_FINAL_TYPE (LanyardAccountMenu, lanyard_account_menu, LANYARD, ACCOUNT_MENU, AdwBin)

/* Hidden while nobody is signed in. */
GtkWidget *lanyard_account_menu_new (LanyardSession *session);

G_END_DECLS
