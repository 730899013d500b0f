/* lanyard-qr-paintable.h — a QR code as a GdkPaintable, crisp at any size
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LANYARD_TYPE_QR_PAINTABLE (lanyard_qr_paintable_get_type ())
G_DECLARE_FINAL_TYPE (LanyardQrPaintable, lanyard_qr_paintable, LANYARD, QR_PAINTABLE, GObject)

/* @text encoded at error correction level M (libqrencode), drawn as dark
 * modules on a light square with a four-module quiet zone, whatever the
 * style: scanners want dark on light. Each module is a whole number of
 * pixels (nearest-neighbour, never blurred); the symbol is centred in the
 * area it is given. NULL when @text does not fit a QR code. */
LanyardQrPaintable *lanyard_qr_paintable_new           (const char         *text);
/* Modules per side, quiet zone included. */
int                 lanyard_qr_paintable_get_n_modules (LanyardQrPaintable *self);

G_END_DECLS
