/* lanyard-qr-paintable.c — a QR code as a GdkPaintable, crisp at any size
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <qrencode.h>

#include "lanyard-qr-paintable.h"

/* ISO/IEC 18004 asks for four light modules around the symbol. */
#define QUIET_ZONE 4

struct _LanyardQrPaintable
{
  GObject  parent_instance;

  int      n;          /* modules per side, quiet zone included */
  guint8  *dark;       /* n × n, 1 for a dark module */
};

static void lanyard_qr_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanyardQrPaintable, lanyard_qr_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      lanyard_qr_paintable_iface_init))

static void
lanyard_qr_paintable_snapshot (GdkPaintable *paintable,
                               GdkSnapshot  *snapshot,
                               double        width,
                               double        height)
{
  LanyardQrPaintable *self = LANYARD_QR_PAINTABLE (paintable);
  static const GdkRGBA light = { 1, 1, 1, 1 };
  static const GdkRGBA dark = { 0, 0, 0, 1 };
  double side = MIN (width, height);
  double module;
  double x0, y0;

  /* Whole pixels per module: no module is smeared over two pixels, so the
   * edges stay sharp for the camera (the nearest-neighbour look). */
  module = MAX (1.0, floor (side / self->n));
  x0 = floor ((width - module * self->n) / 2);
  y0 = floor ((height - module * self->n) / 2);

  gtk_snapshot_append_color (snapshot, &light,
                             &GRAPHENE_RECT_INIT (x0, y0, module * self->n, module * self->n));

  /* One rectangle per horizontal run of dark modules. */
  for (int y = 0; y < self->n; y++)
    for (int x = 0; x < self->n; x++)
      {
        int start = x;

        if (!self->dark[y * self->n + x])
          continue;
        while (x + 1 < self->n && self->dark[y * self->n + x + 1])
          x++;

        gtk_snapshot_append_color (snapshot, &dark,
                                   &GRAPHENE_RECT_INIT (x0 + start * module, y0 + y * module,
                                                        (x - start + 1) * module, module));
      }
}

static int
lanyard_qr_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  /* Four pixels a module when nothing else is asked for. */
  return LANYARD_QR_PAINTABLE (paintable)->n * 4;
}

static int
lanyard_qr_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  return LANYARD_QR_PAINTABLE (paintable)->n * 4;
}

static double
lanyard_qr_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  return 1.0;
}

static GdkPaintableFlags
lanyard_qr_paintable_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
lanyard_qr_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = lanyard_qr_paintable_snapshot;
  iface->get_intrinsic_width = lanyard_qr_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = lanyard_qr_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = lanyard_qr_paintable_get_intrinsic_aspect_ratio;
  iface->get_flags = lanyard_qr_paintable_get_flags;
}

static void
lanyard_qr_paintable_finalize (GObject *object)
{
  LanyardQrPaintable *self = LANYARD_QR_PAINTABLE (object);

  g_free (self->dark);

  G_OBJECT_CLASS (lanyard_qr_paintable_parent_class)->finalize (object);
}

static void
lanyard_qr_paintable_class_init (LanyardQrPaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lanyard_qr_paintable_finalize;
}

static void
lanyard_qr_paintable_init (LanyardQrPaintable *self)
{
}

LanyardQrPaintable *
lanyard_qr_paintable_new (const char *text)
{
  LanyardQrPaintable *self;
  QRcode *qr;

  g_return_val_if_fail (text != NULL, NULL);

  qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    return NULL;

  self = g_object_new (LANYARD_TYPE_QR_PAINTABLE, NULL);
  self->n = qr->width + 2 * QUIET_ZONE;
  self->dark = g_new0 (guint8, (gsize) self->n * self->n);

  /* libqrencode: bit 0 of each byte is the module's colour. */
  for (int y = 0; y < qr->width; y++)
    for (int x = 0; x < qr->width; x++)
      self->dark[(y + QUIET_ZONE) * self->n + x + QUIET_ZONE] = qr->data[y * qr->width + x] & 1;

  QRcode_free (qr);
  return self;
}

int
lanyard_qr_paintable_get_n_modules (LanyardQrPaintable *self)
{
  g_return_val_if_fail (LANYARD_IS_QR_PAINTABLE (self), 0);
  return self->n;
}
