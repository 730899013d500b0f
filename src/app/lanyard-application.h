/* lanyard-application.h
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_APPLICATION (lanyard_application_get_type ())
G_DECLARE_FINAL_TYPE (LanyardApplication, lanyard_application, LANYARD, APPLICATION, AdwApplication)

LanyardApplication *lanyard_application_new          (void);
/* NULL when the dev.lanyard.Lanyard schema is not installed. */
GSettings          *lanyard_application_get_settings (LanyardApplication *self);

G_END_DECLS
