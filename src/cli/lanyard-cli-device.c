/* lanyard-cli-device.c — sign-in --device-code: approve on a phone or another computer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-cli"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>

#include "lanyard-cli.h"

typedef struct {
  LanyardCliRun *run;
  gboolean       qr;
} DeviceRun;

/* "10 minutes", "90 seconds": the time left, as people say it. */
static char *
format_time_left (gint64 seconds)
{
  if (seconds >= 120)
    {
      gint64 minutes = (seconds + 30) / 60;

      /* %u, not G_GINT64_FORMAT: xgettext cannot read a msgid built with a
       * macro (a device code lives minutes, never billions of them). */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                           (gulong) minutes),
                              (guint) MIN (minutes, G_MAXUINT));
    }

  seconds = CLAMP (seconds, 0, G_MAXUINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", (gulong) seconds),
                          (guint) seconds);
}

static void
device_code_cb (LanyardSignIn *sign_in,
                GParamSpec    *pspec,
                gpointer       user_data)
{
  DeviceRun *device = user_data;
  LanyardDeviceCode *code = lanyard_sign_in_get_device_code (sign_in);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *uri = NULL;
  g_autofree char *user_code = NULL;
  g_autofree char *time_left = NULL;

  if (code == NULL)
    return;

  uri = lanyard_clean_text (lanyard_device_code_get_verification_uri (code));
  user_code = lanyard_clean_text (lanyard_device_code_get_user_code (code));
  time_left = format_time_left (lanyard_device_code_get_expires_at (code) - now);

  /* Translators: the first %s is a web address, the second a code such as WDJB-MJHT */
  g_printerr (_("To sign in, open %s on a phone or another computer and enter the code\n\n    %s\n\n"),
              uri, user_code);

  if (device->qr)
    {
      g_autofree char *qr = lanyard_cli_qr_render (lanyard_device_code_get_qr_uri (code));

      if (qr != NULL)
        g_printerr (_("Or scan this QR code:\n\n%s\n"), qr);
    }

  /* Translators: %s is a duration such as “15 minutes” */
  g_printerr (_("The code expires in %s. Waiting for the sign-in to be approved…\n"), time_left);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DeviceRun *device = user_data;
  LanyardCliRun *run = device->run;
  g_autoptr(LanyardAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_free (device);

  account = lanyard_sign_in_run_finish (LANYARD_SIGN_IN (source), result, &error);
  if (account == NULL)
    {
      lanyard_cli_run_fail (run, error);
      return;
    }

  lanyard_cli_signed_in (run, account);
}

int
lanyard_cli_sign_in_device (LanyardClient *client,
                            gboolean       no_qr,
                            LanyardCliRun *run)
{
  DeviceRun *device = g_new0 (DeviceRun, 1);
  g_autoptr(LanyardSignIn) sign_in = lanyard_sign_in_new (client);

  device->run = run;
  /* A QR code is for eyes and cameras, not for a log file or a pipe. */
  device->qr = !no_qr && isatty (STDERR_FILENO);

  lanyard_sign_in_set_flow (sign_in, LANYARD_SIGN_IN_FLOW_DEVICE_CODE);
  g_signal_connect (sign_in, "notify::device-code", G_CALLBACK (device_code_cb), device);
  lanyard_sign_in_run_async (sign_in, run->cancellable, signed_in_cb, device);

  return -1;
}
