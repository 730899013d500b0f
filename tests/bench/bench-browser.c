/* bench-browser.c — the benchmarks' scripted browser: what tests/browser/lanyard-test-browser
 * does in its "login" mode, in one process with libcurl instead of bash + curl + jq + sed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   bench-browser URL      (as $BROWSER, or spawned by MSAL Node's openBrowser)
 *
 * Like a real browser it returns at once: it logs, forks a detached worker and exits 0. The
 * worker GETs the authorization URL, signs in on the tests/idp login form, consents, and
 * delivers the authorization response to the redirect_uri: GET for response_mode=query, POST
 * x-www-form-urlencoded from oidc-provider's auto-submit page for form_post. One curl handle
 * does the whole walk: cookies and the TLS connection are kept, as in a browser.
 *
 * Environment:
 *   LANYARD_TEST_BROWSER_LOG   log: "OPEN <url>", "RESPONSE query|form_post",
 *                              "LANDED <status> <url-without-query>" or "ERROR <message>";
 *                              each request, and the page of an error, in <log>.debug
 *   LANYARD_BENCH_OPEN_LOG     for the harness: "OPEN <epoch>" when called, "DELIVER <epoch>"
 *                              when it starts to deliver the response to the loopback listener
 *   LANYARD_TEST_CA_FILE       CA bundle for an https provider
 *   LANYARD_TEST_BROWSER_USER / _PASSWORD   account (default alice / password)
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <curl/curl.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* libcurl is loaded by the detached worker only: linked, its ~30 libraries would be loaded by
 * the launcher too (~8 ms of CPU), which is counted for the contender that opened the browser. */
static CURL *(*easy_init) (void);
static CURLcode (*easy_setopt) (CURL *, CURLoption, ...);
static CURLcode (*easy_perform) (CURL *);
static CURLcode (*easy_getinfo) (CURL *, CURLINFO, ...);
static const char *(*easy_strerror) (CURLcode);

static struct
{
  char   *body;
  size_t  len;
  long    code;
  char   *redirect;   /* the absolute Location of a 3xx, or NULL */
} page;             /* the last answer */

static const char *log_path;
static CURL *curl;
static char *redirect_uri, *origin;

static void __attribute__ ((format (printf, 2, 3)))
log_line (const char *path, const char *fmt, ...)
{
  FILE *f;
  va_list ap;

  if (path == NULL || *path == '\0' || (f = fopen (path, "a")) == NULL)
    return;
  va_start (ap, fmt);
  vfprintf (f, fmt, ap);
  va_end (ap);
  fputc ('\n', f);
  fclose (f);
}

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void __attribute__ ((format (printf, 1, 2), noreturn))
die (const char *fmt, ...)
{
  char msg[512];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  log_line (log_path, "ERROR %s", msg);
  fprintf (stderr, "ERROR %s\n%.2000s\n", msg, page.body ? page.body : "");
  exit (1);
}

static char *
strip_query (const char *url)
{
  return strndup (url, strcspn (url, "?#"));
}

/* GET (form == NULL) or POST the form (libcurl's default type, x-www-form-urlencoded); the
 * answer goes to `page`. */
static void
fetch (const char *url, const char *form, long timeout)
{
  char *location = NULL, *bare = strip_query (url);
  FILE *body;
  CURLcode rc;

  free (page.body);
  free (page.redirect);
  memset (&page, 0, sizeof page);
  body = open_memstream (&page.body, &page.len);
  easy_setopt (curl, CURLOPT_WRITEDATA, body);   /* libcurl's default writer is fwrite() */
  easy_setopt (curl, CURLOPT_URL, url);
  easy_setopt (curl, CURLOPT_TIMEOUT, timeout);
  if (form != NULL)
    easy_setopt (curl, CURLOPT_POSTFIELDS, form);
  else
    easy_setopt (curl, CURLOPT_HTTPGET, 1L);
  rc = easy_perform (curl);
  fclose (body);
  if (rc != CURLE_OK)
    die ("%s %s failed: %s", form ? "POST" : "GET", bare, easy_strerror (rc));
  easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &page.code);
  easy_getinfo (curl, CURLINFO_REDIRECT_URL, &location);
  page.redirect = location ? strdup (location) : NULL;
  fprintf (stderr, "%s %s -> %ld\n", form ? "POST" : "GET", bare, page.code);
  free (bare);
}

/* The url-decoded query parameter NAME of URL, or NULL. */
static char *
query_param (const char *url, const char *name)
{
  const char *kv = strchr (url, '?');
  size_t n = strlen (name);

  for (; kv != NULL && *kv != '\0' && *kv != '#'; kv = strchr (kv + 1, '&'))
    {
      const char *v = kv + 1 + n + 1, *end;
      char *out, *o;

      if (strncmp (kv + 1, name, n) != 0 || kv[1 + n] != '=')
        continue;
      end = v + strcspn (v, "&#");
      out = o = malloc (end - v + 1);
      for (; v < end; v++)
        if (*v == '%' && end - v > 2 && sscanf (v + 1, "%2hhx", (unsigned char *) o) == 1)
          o++, v += 2;
        else
          *o++ = *v == '+' ? ' ' : *v;
      *o = '\0';
      return out;
    }
  return NULL;
}

static void
unhtml (char *s)
{
  static const char *const ent[][2] = {
    { "&quot;", "\"" }, { "&#39;", "'" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" },
  };
  char *out = s;

  while (*s)
    {
      size_t i = 0;

      while (i < 5 && strncmp (s, ent[i][0], strlen (ent[i][0])) != 0)
        i++;
      *out++ = i < 5 ? ent[i][1][0] : *s;
      s += i < 5 ? strlen (ent[i][0]) : 1;
    }
  *out = '\0';
}

/* The HTML-unescaped value of attribute NAME in the tag [tag, end), or NULL. */
static char *
attr (const char *tag, const char *end, const char *name)
{
  char key[64], *value;
  const char *v, *close;

  snprintf (key, sizeof key, " %s=\"", name);
  v = memmem (tag, end - tag, key, strlen (key));
  if (v == NULL || (close = memchr (v + strlen (key), '"', end - v - strlen (key))) == NULL)
    return NULL;
  value = strndup (v + strlen (key), close - v - strlen (key));
  unhtml (value);
  return value;
}

/* The first <KIND …> tag from FROM on whose text contains MARK; *end is set to its '>'. */
static const char *
find_tag (const char *from, const char *kind, const char *mark, const char **end)
{
  char open[16];

  snprintf (open, sizeof open, "<%s ", kind);
  for (const char *t = strstr (from, open); t != NULL; t = strstr (t + 1, open))
    {
      const char *e = strchr (t, '>');

      if (e == NULL)
        return NULL;
      if (memmem (t, e - t, mark, strlen (mark)) != NULL)
        return *end = e, t;
    }
  return NULL;
}

/* Writes S to O encoded as jq's @uri does (unreserved characters kept); returns the new end. */
static char *
uri_encode (char *o, const char *s)
{
  for (const unsigned char *c = (const unsigned char *) s; *c; c++)
    if (isalnum (*c) || strchr ("-_.~", *c))
      *o++ = *c;
    else
      o += sprintf (o, "%%%02X", *c);
  return o;
}

/* Appends NAME=VALUE, form-encoded, to *form. */
static void
form_add (char **form, const char *name, const char *value)
{
  size_t len = *form ? strlen (*form) : 0;
  char *o;

  *form = realloc (*form, len + 3 * (strlen (name) + strlen (value)) + 3);
  o = *form + len;
  if (len > 0)
    *o++ = '&';
  o = uri_encode (o, name);
  *o++ = '=';
  *uri_encode (o, value) = '\0';
}

/* Submits the form with id=ID of the current page, with the fields in FORM (freed). */
static void
submit (const char *id, char *form)
{
  const char *end, *tag;
  char mark[64], *action, *url;

  snprintf (mark, sizeof mark, "id=\"%s\"", id);
  tag = find_tag (page.body, "form", mark, &end);
  if (tag == NULL || (action = attr (tag, end, "action")) == NULL)
    die ("%s not found", id);
  if (strncmp (action, "https://", 8) == 0 || strncmp (action, "http://", 7) == 0)
    url = strdup (action);
  else if (asprintf (&url, "%s%s%s", origin, action[0] == '/' ? "" : "/", action) < 0)
    exit (1);
  fetch (url, form ? form : "", 30);
  free (url);
  free (action);
  free (form);
}

/* Follows the provider's redirects; returns the URL when one leads to the redirect_uri. */
static char *
follow (void)
{
  for (int i = 0; i < 20; i++)
    {
      char *next;

      if (page.code < 300 || page.code > 399 || page.redirect == NULL)
        return NULL;
      if (strncmp (page.redirect, redirect_uri, strlen (redirect_uri)) == 0)
        return strdup (page.redirect);
      next = strdup (page.redirect);
      fetch (next, NULL, 30);
      free (next);
    }
  die ("too many redirects");
}

/* On oidc-provider's form_post page: its fields, form-encoded, and its action in *action. */
static char *
form_post_fields (char **action)
{
  const char *end, *tag = find_tag (page.body, "form", "method=\"post\"", &end);
  char *form = NULL;

  *action = tag ? attr (tag, end, "action") : NULL;
  if (*action == NULL || strncmp (*action, redirect_uri, strlen (redirect_uri)) != 0)
    {
      free (*action);
      return *action = NULL;
    }
  while ((tag = find_tag (end, "input", "type=\"hidden\"", &end)) != NULL)
    {
      char *name = attr (tag, end, "name"), *value = attr (tag, end, "value");

      if (name != NULL)
        form_add (&form, name, value ? value : "");
      free (name);
      free (value);
    }
  return form ? form : strdup ("");
}

static void
walk (const char *url)
{
  const char *user = getenv ("LANYARD_TEST_BROWSER_USER");
  const char *pass = getenv ("LANYARD_TEST_BROWSER_PASSWORD");
  char *target, *form = NULL, *bare;

  fetch (url, NULL, 30);
  target = follow ();
  for (int step = 0; target == NULL; step++)
    {
      if (step >= 6 || page.body == NULL)
        die ("did not reach the redirect_uri");
      if ((form = form_post_fields (&target)) != NULL)
        break;
      if (strstr (page.body, "name=\"password\"") != NULL)
        {
          char *login = NULL;

          form_add (&login, "login", user ? user : "alice");
          form_add (&login, "password", pass ? pass : "password");
          submit ("login-form", login);
          if (page.code == 401)
            die ("login rejected for %s", user ? user : "alice");
        }
      else if (strstr (page.body, "id=\"consent-form\"") != NULL)
        submit ("consent-form", NULL);
      else
        die ("unexpected page from the provider (HTTP %ld)", page.code);
      target = follow ();
    }

  log_line (log_path, "RESPONSE %s", form ? "form_post" : "query");
  log_line (getenv ("LANYARD_BENCH_OPEN_LOG"), "DELIVER %.6f", now ());
  fetch (target, form, 120);
  bare = strip_query (target);
  log_line (log_path, "LANDED %ld %s", page.code, bare);
}

int
main (int argc, char **argv)
{
  const char *ca = getenv ("LANYARD_TEST_CA_FILE"), *scheme_end;
  char *debug;
  void *lib;
  pid_t pid;
  int fd;

  log_line (getenv ("LANYARD_BENCH_OPEN_LOG"), "OPEN %.6f", now ());
  log_path = getenv ("LANYARD_TEST_BROWSER_LOG");
  if (log_path == NULL || *log_path == '\0')
    log_path = "/tmp/bench-browser.log";
  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-browser URL\n");
      log_line (log_path, "ERROR called with %d arguments", argc - 1);
      return 2;
    }
  log_line (log_path, "OPEN %s", argv[1]);

  /* Detach like a real browser: the caller waits neither for the walk nor for our stdio. */
  pid = fork ();
  if (pid != 0)
    return pid < 0 ? 1 : 0;
  setsid ();
  fd = open ("/dev/null", O_RDONLY);
  dup2 (fd, 0);
  if (asprintf (&debug, "%s.debug", log_path) >= 0 &&
      (fd = open (debug, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0)
    dup2 (fd, 1), dup2 (fd, 2);
  closefrom (3);

  lib = dlopen ("libcurl.so.4", RTLD_NOW);
  if (lib == NULL ||
      !(*(void **) &easy_init = dlsym (lib, "curl_easy_init")) ||
      !(*(void **) &easy_setopt = dlsym (lib, "curl_easy_setopt")) ||
      !(*(void **) &easy_perform = dlsym (lib, "curl_easy_perform")) ||
      !(*(void **) &easy_getinfo = dlsym (lib, "curl_easy_getinfo")) ||
      !(*(void **) &easy_strerror = dlsym (lib, "curl_easy_strerror")) ||
      (curl = easy_init ()) == NULL)
    die ("cannot use libcurl: %s", lib ? "curl_easy_init failed" : dlerror ());
  easy_setopt (curl, CURLOPT_COOKIEFILE, "");   /* an in-memory cookie jar: the profile */
  if (ca != NULL && *ca != '\0')
    easy_setopt (curl, CURLOPT_CAINFO, ca);

  redirect_uri = query_param (argv[1], "redirect_uri");
  if (redirect_uri == NULL || *redirect_uri == '\0')
    die ("no redirect_uri in %s", strip_query (argv[1]));
  if ((scheme_end = strstr (argv[1], "://")) == NULL)
    die ("not an absolute URL");
  origin = strndup (argv[1], scheme_end + 3 + strcspn (scheme_end + 3, "/?#") - argv[1]);
  walk (argv[1]);
  return 0;
}
