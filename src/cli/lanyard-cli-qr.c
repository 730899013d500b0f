/* lanyard-cli-qr.c — a QR code drawn in a terminal with Unicode half blocks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-cli"

#include "config.h"

#include <qrencode.h>

#include "lanyard-cli.h"

/* ISO/IEC 18004 asks for four light modules around the symbol. */
#define QUIET_ZONE 4

/* Black on white whatever the terminal's own colours: a dark terminal's
 * light-on-dark would invert the code, which many scanners refuse. */
#define COLOURS "\033[30;107m"
#define RESET "\033[0m"

static gboolean
is_dark (const QRcode *qr,
         int           x,
         int           y)
{
  if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
    return FALSE;

  /* libqrencode: bit 0 of each byte is the module's colour. */
  return (qr->data[y * qr->width + x] & 1) != 0;
}

char *
lanyard_cli_qr_render (const char *text)
{
  g_autoptr(GString) out = NULL;
  QRcode *qr;
  int size;

  g_return_val_if_fail (text != NULL, NULL);

  /* Level M: 15 % of the code may be lost (a smudge, a reflection) and a
   * sign-in URL still fits a small symbol. */
  qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    return NULL;

  out = g_string_new (NULL);
  size = qr->width + 2 * QUIET_ZONE;

  /* Each character is two modules stacked: upper half block for a dark top,
   * lower half block for a dark bottom, a full block for both. */
  for (int y = -QUIET_ZONE; y < qr->width + QUIET_ZONE; y += 2)
    {
      g_string_append (out, COLOURS);
      for (int x = -QUIET_ZONE; x < size - QUIET_ZONE; x++)
        {
          gboolean top = is_dark (qr, x, y);
          gboolean bottom = is_dark (qr, x, y + 1);

          if (top && bottom)
            g_string_append (out, "█");
          else if (top)
            g_string_append (out, "▀");
          else if (bottom)
            g_string_append (out, "▄");
          else
            g_string_append_c (out, ' ');
        }
      g_string_append (out, RESET "\n");
    }

  QRcode_free (qr);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
