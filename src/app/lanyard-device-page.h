/* lanyard-device-page.h — sign-in on another device: QR code, user code, countdown
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <adwaita.h>

#include "lanyard.h"

G_BEGIN_DECLS

#define LANYARD_TYPE_DEVICE_PAGE (lanyard_device_page_get_type ())
G_DECLARE_FINAL_TYPE (LanyardDevicePage, lanyard_device_page, LANYARD, DEVICE_PAGE, AdwBin)

/* The page follows the flow the session runs (its "code" and "expired"
 * properties are bound to the session's): asking for a code (no code),
 * showing it (with a countdown to its expiry), or expired (Get a New Code,
 * app.sign-in-device). Its Cancel is app.cancel, its Copy win.copy-text. */
void               lanyard_device_page_set_code    (LanyardDevicePage *self,
                                                    LanyardDeviceCode *code);
LanyardDeviceCode *lanyard_device_page_get_code    (LanyardDevicePage *self);
void               lanyard_device_page_set_expired (LanyardDevicePage *self,
                                                    gboolean           expired);

G_END_DECLS
