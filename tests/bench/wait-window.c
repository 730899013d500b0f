/* wait-window.c — exec-to-first-frame and peak RSS of a GTK program under X11 (Xvfb).
 *
 *   wait-window [--quiet-ms N] [--timeout-ms N] -- COMMAND [ARGS...]
 *
 * Connects to $DISPLAY and watches the root window's children (SubstructureNotify) BEFORE it
 * starts COMMAND, so nothing is missed. Every new top-level window gets an XDamage object when it
 * is created; a window's content being drawn produces DamageNotify. Then it forks and execs
 * COMMAND and reports, in epoch seconds (CLOCK_REALTIME, read when the event arrives):
 *   exec         just before fork+exec
 *   map          the first top-level window was mapped
 *   first_frame  the first damage (drawing) on a mapped top-level window
 *   settled      the last damage before --quiet-ms (default 700) without any drawing
 * COMMAND's stdout goes to stderr. Then it sends SIGTERM, reaps COMMAND with wait4 () and adds its peak RSS (ru_maxrss, KiB) and
 * user+system CPU. One JSON object on stdout. Exit 0; 1 when COMMAND exited before it drew a
 * frame or nothing was drawn within --timeout-ms (default 20000).
 *
 * Same method for every program measured — the point is the comparison. (`xdotool search --sync`
 * polls every 0.5 s, too coarse for frames of 100–300 ms.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Built by run-bench.sh: cc wait-window.c $(pkg-config --cflags --libs x11 xdamage)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

#define MAX_WINDOWS 64

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
ignore_errors (Display *dpy, XErrorEvent *ev)
{
  (void) dpy; (void) ev;   /* InputOnly windows cannot have damage; windows may vanish */
  return 0;
}

static struct { Window w; Damage d; int mapped; } wins[MAX_WINDOWS];
static int n_wins;

static int
find (Window w)
{
  for (int i = 0; i < n_wins; i++)
    if (wins[i].w == w)
      return i;
  return -1;
}

int
main (int argc, char *argv[])
{
  int quiet_ms = 700, timeout_ms = 20000, i, ev_base, err_base, status = 0;
  double t_exec, t_map = 0, t_first = 0, t_last = 0, deadline;
  const char *reason = NULL;
  Display *dpy;
  struct rusage ru;
  pid_t pid;

  for (i = 1; i < argc; i++)
    {
      if (!strcmp (argv[i], "--quiet-ms") && i + 1 < argc) quiet_ms = atoi (argv[++i]);
      else if (!strcmp (argv[i], "--timeout-ms") && i + 1 < argc) timeout_ms = atoi (argv[++i]);
      else if (!strcmp (argv[i], "--")) { i++; break; }
      else break;
    }
  if (i >= argc)
    {
      fprintf (stderr, "usage: wait-window [--quiet-ms N] [--timeout-ms N] -- COMMAND [ARGS...]\n");
      return 2;
    }

  if (!(dpy = XOpenDisplay (NULL)))
    {
      fprintf (stderr, "wait-window: cannot open display\n");
      return 1;
    }
  if (!XDamageQueryExtension (dpy, &ev_base, &err_base))
    {
      fprintf (stderr, "wait-window: the X server has no DAMAGE extension\n");
      return 1;
    }
  XSetErrorHandler (ignore_errors);
  XSelectInput (dpy, DefaultRootWindow (dpy), SubstructureNotifyMask);
  XSync (dpy, False);

  fflush (NULL);
  t_exec = now ();
  pid = fork ();
  if (pid < 0)
    return 1;
  if (pid == 0)
    {
      close (ConnectionNumber (dpy));
      dup2 (2, 1);                             /* our stdout is the JSON result */
      execvp (argv[i], argv + i);
      fprintf (stderr, "wait-window: cannot run %s: %s\n", argv[i], strerror (errno));
      _exit (127);
    }

  deadline = t_exec + timeout_ms / 1000.0;
  for (;;)
    {
      struct pollfd pfd = { ConnectionNumber (dpy), POLLIN, 0 };
      double t = now ();
      int wait_ms;

      if (t_first > 0 && t - t_last >= quiet_ms / 1000.0)
        break;                                   /* settled */
      if (t >= deadline)
        {
          reason = t_first > 0 ? NULL : "nothing was drawn before the timeout";
          break;
        }
      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          reason = "the program exited before it drew a frame";
          pid = -1;
          break;
        }

      if (XPending (dpy) == 0)
        {
          wait_ms = t_first > 0 ? (int) ((t_last + quiet_ms / 1000.0 - t) * 1000) + 1 : 50;
          if (wait_ms > 50)
            wait_ms = 50;                        /* also notice the child exiting */
          poll (&pfd, 1, wait_ms);
          continue;
        }

      while (XPending (dpy) > 0)
        {
          XEvent ev;
          int k;

          XNextEvent (dpy, &ev);
          t = now ();
          if (ev.type == CreateNotify && !ev.xcreatewindow.override_redirect && n_wins < MAX_WINDOWS)
            {
              wins[n_wins].w = ev.xcreatewindow.window;
              wins[n_wins].d = XDamageCreate (dpy, ev.xcreatewindow.window, XDamageReportNonEmpty);
              wins[n_wins].mapped = 0;
              n_wins++;
            }
          else if (ev.type == MapNotify && (k = find (ev.xmap.window)) >= 0)
            {
              wins[k].mapped = 1;
              if (t_map == 0)
                t_map = t;
            }
          else if (ev.type == ev_base + XDamageNotify)
            {
              XDamageNotifyEvent *de = (XDamageNotifyEvent *) &ev;

              XDamageSubtract (dpy, de->damage, None, None);
              if ((k = find (de->drawable)) >= 0 && wins[k].mapped)
                {
                  if (t_first == 0)
                    t_first = t;
                  t_last = t;
                }
            }
        }
      XFlush (dpy);
    }

  if (pid > 0)
    {
      kill (pid, SIGTERM);
      if (wait4 (pid, &status, 0, &ru) < 0)
        return 1;
    }
  else
    getrusage (RUSAGE_CHILDREN, &ru);

  printf ("{\"exec\":%.6f,\"map\":%.6f,\"first_frame\":%.6f,\"settled\":%.6f,"
          "\"maxrss_kb\":%ld,\"cpu_s\":%.6f,\"ok\":%s%s%s%s}\n",
          t_exec, t_map, t_first, t_last, ru.ru_maxrss,
          ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
          reason ? "false" : "true",
          reason ? ",\"error\":\"" : "", reason ? reason : "", reason ? "\"" : "");
  return reason ? 1 : 0;
}
