/* bare-window.c — the floor for Lanyard's window benchmark: an AdwApplication with one
 * AdwApplicationWindow (header bar + status page) of the same default size as Lanyard's window.
 * Prints "FIRST-FRAME <epoch seconds>" on stdout from the first GdkFrameClock "after-paint", so
 * the harness can check its own X11 measurement (wait-window.c) against GTK's clock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built by tests/bench/run-bench.sh: cc bare-window.c $(pkg-config --cflags --libs libadwaita-1)
 */
#include <stdio.h>
#include <time.h>

#include <adwaita.h>

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  printf ("FIRST-FRAME %lld.%09ld\n", (long long) ts.tv_sec, ts.tv_nsec);
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
}

static void
realize_cb (GtkWidget *window,
            gpointer   user_data)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
}

static void
activate_cb (GtkApplication *app,
             gpointer        user_data)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Bare window");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Bare window");
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 720);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("dev.lanyard.Bench.BareWindow",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
