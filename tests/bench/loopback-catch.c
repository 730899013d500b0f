/* loopback-catch.c — the curl floor's redirect listener: the least a native app must do.
 * Listens on 127.0.0.1 on an ephemeral port, writes "PORT <n>" to the file given as argv[1]
 * (atomically, via rename), accepts ONE connection and prints the authorization response on
 * stdout as one line of application/x-www-form-urlencoded parameters: the body of a POST
 * (response_mode=form_post) or the query of a GET. Answers 200 and exits. No validation: that is
 * curl-flow.sh's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Built by run-bench.sh: cc loopback-catch.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int
main (int argc, char *argv[])
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
  socklen_t alen = sizeof a;
  char buf[16384], tmp[4096], *body = NULL, *cl;
  size_t got = 0, want = 0;
  int s, c;
  FILE *f;
  static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n"
                              "Cache-Control: no-store\r\nConnection: close\r\n\r\nSigned in.";

  if (argc != 2)
    return 2;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if ((s = socket (AF_INET, SOCK_STREAM, 0)) < 0 || bind (s, (struct sockaddr *) &a, sizeof a) < 0 ||
      listen (s, 1) < 0 || getsockname (s, (struct sockaddr *) &a, &alen) < 0)
    return perror ("loopback-catch"), 1;

  snprintf (tmp, sizeof tmp, "%s.tmp", argv[1]);
  if (!(f = fopen (tmp, "w")))
    return 1;
  fprintf (f, "PORT %d\n", ntohs (a.sin_port));
  fclose (f);
  rename (tmp, argv[1]);

  if ((c = accept (s, NULL, NULL)) < 0)
    return 1;
  while (got < sizeof buf - 1)
    {
      ssize_t n = read (c, buf + got, sizeof buf - 1 - got);
      if (n <= 0)
        break;
      got += n;
      buf[got] = '\0';
      if ((body = strstr (buf, "\r\n\r\n")) != NULL)
        {
          body += 4;
          cl = strcasestr (buf, "\r\ncontent-length:");
          want = cl != NULL && cl < body ? strtoul (cl + 17, NULL, 10) : 0;
          if ((size_t) (buf + got - body) >= want)
            break;
        }
    }
  buf[got] = '\0';
  if (write (c, reply, sizeof reply - 1) < 0)
    return 1;
  close (c);
  if (body == NULL)
    return 1;
  if (strncmp (buf, "POST ", 5) == 0)
    printf ("%.*s\n", (int) want, body);
  else
    {
      char *q = strchr (buf, '?'), *end;

      if (q == NULL)
        return 1;
      end = q + strcspn (q, " \r\n");
      printf ("%.*s\n", (int) (end - q - 1), q + 1);
    }
  return 0;
}
