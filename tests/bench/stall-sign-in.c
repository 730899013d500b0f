/* stall-sign-in.c — how long the app's main loop is blocked during a sign-in
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The app's own window and session (linked from src/app), configured by
 * LANYARD_AUTHORITY / LANYARD_CLIENT_ID, the browser from $BROWSER. A 5 ms
 * timer runs on the main loop from the moment the window is shown; every
 * time it fires late, the lateness is a stall: nothing else could run
 * (input, frames) for that long. Prints one JSON object: the sign-in's wall
 * time, the longest stall, the number over 50 ms and the five longest,
 * each with the page on screen when it ended, and the frame that took the
 * most CPU time of this thread (what the app itself costs, whatever the
 * machine's load does to the wall time). STALL_BASELINE=1: no
 * sign-in, the idle window for 3 s (the machine's own noise).
 *
 *   stall-sign-in   (tests/bench/stall-sign-in.sh runs it with the provider and the browser)
 */
#define G_LOG_DOMAIN "stall-sign-in"

#include "config.h"

#include <time.h>

#include "lanyard-session.h"
#include "lanyard-window.h"

#define TICK_MS 5

typedef struct {
  gint64               last;
  GArray              *stalls;   /* gint64 µs */
  GPtrArray           *states;
  LanyardSession      *session;
  /* The frame clock's paint cycle (update, layout, paint), in CPU time. */
  gint64               frame_cpu_start;
  gint64               frame_cpu_longest;
  const char          *frame_cpu_page;
} Probe;

static const char *
page_name (LanyardSession *session)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (LANYARD_TYPE_SESSION_STATE);

  return g_enum_get_value (states, lanyard_session_get_state (session))->value_nick;
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Probe         *probe)
{
  probe->frame_cpu_start = thread_cpu_us ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Probe         *probe)
{
  gint64 spent = thread_cpu_us () - probe->frame_cpu_start;

  if (probe->frame_cpu_start > 0 && spent > probe->frame_cpu_longest)
    {
      probe->frame_cpu_longest = spent;
      probe->frame_cpu_page = page_name (probe->session);
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - probe->last - TICK_MS * 1000;

  if (late > 2000)
    {
      g_array_append_val (probe->stalls, late);
      g_ptr_array_add (probe->states, (gpointer) page_name (probe->session));
    }
  probe->last = now;

  return G_SOURCE_CONTINUE;
}

static void
wait_for (LanyardSession      *session,
          LanyardSessionState  state,
          gboolean             idle)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (lanyard_session_get_state (session) != state ||
         (idle && lanyard_session_get_busy (session)))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("no state %d after 60 s", state);
      g_main_context_iteration (NULL, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LanyardSession) session = NULL;
  LanyardWindow *window;
  Probe probe = { 0, };
  gint64 started;
  gint64 wall;
  gint64 longest = 0;
  guint over_50 = 0;
  guint id;

  gtk_init ();
  adw_init ();

  session = lanyard_session_new (NULL, NULL, NULL);
  window = g_object_new (LANYARD_TYPE_WINDOW, "session", session, NULL);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (session, LANYARD_SESSION_STATE_SIGNED_OUT, TRUE);

  probe.stalls = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe.states = g_ptr_array_new ();
  probe.session = session;
  probe.last = g_get_monotonic_time ();
  id = g_timeout_add (TICK_MS, tick_cb, &probe);
  /* Connected last: they run around GTK's own handlers of each phase. */
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "before-paint",
                    G_CALLBACK (before_paint_cb), &probe);
  g_signal_connect_after (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                          G_CALLBACK (after_paint_cb), &probe);

  started = g_get_monotonic_time ();
  if (g_getenv ("STALL_BASELINE") != NULL)
    {
      /* The same probe on an idle window for as long: what the machine's
       * load alone costs (a shared machine starves every process now and then). */
      for (gint64 end = started + 3 * G_USEC_PER_SEC; g_get_monotonic_time () < end;)
        g_main_context_iteration (NULL, TRUE);
    }
  else
    {
      lanyard_session_sign_in (session);
      wait_for (session, LANYARD_SESSION_STATE_SIGNED_IN, TRUE);
    }
  wall = g_get_monotonic_time () - started;

  /* The page transition that follows (200 ms crossfade) and the first frames of the account page. */
  for (gint64 end = g_get_monotonic_time () + 500000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  g_print ("{\"sign_in_ms\": %.1f, \"stalls\": [", wall / 1000.0);
  for (guint n = 0; n < 5; n++)
    {
      guint worst = G_MAXUINT;

      for (guint i = 0; i < probe.stalls->len; i++)
        if (g_array_index (probe.stalls, gint64, i) >= 0 &&
            (worst == G_MAXUINT || g_array_index (probe.stalls, gint64, i) > g_array_index (probe.stalls, gint64, worst)))
          worst = i;
      if (worst == G_MAXUINT)
        break;
      g_print ("%s{\"ms\": %.1f, \"page\": \"%s\"}", n ? ", " : "",
               g_array_index (probe.stalls, gint64, worst) / 1000.0,
               (const char *) g_ptr_array_index (probe.states, worst));
      if (n == 0)
        longest = g_array_index (probe.stalls, gint64, worst);
      g_array_index (probe.stalls, gint64, worst) = -1 - g_array_index (probe.stalls, gint64, worst);
    }
  for (guint i = 0; i < probe.stalls->len; i++)
    {
      gint64 v = g_array_index (probe.stalls, gint64, i);

      if ((v < 0 ? -1 - v : v) > 50000)
        over_50++;
    }
  g_print ("], \"longest_ms\": %.1f, \"over_50ms\": %u, \"frame_cpu_ms\": %.1f, \"frame_cpu_page\": \"%s\"}\n",
           longest / 1000.0, over_50, probe.frame_cpu_longest / 1000.0,
           probe.frame_cpu_page ? probe.frame_cpu_page : "");

  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (GTK_WIDGET (window)), &probe);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_run_dispose (G_OBJECT (session));
  g_array_unref (probe.stalls);
  g_ptr_array_unref (probe.states);

  return 0;
}
