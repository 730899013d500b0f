/* lanyard-provider.c — provider metadata (discovery) and its JWKS, cached
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-provider"

#include "config.h"

#include <string.h>

#include "lanyard-i18n-private.h"
#include "lanyard-error.h"
#include "lanyard-http.h"
#include "lanyard-json.h"
#include "lanyard-provider.h"
#include "lanyard-provider-cache.h"

/* An unknown kid may be forged: it refetches the JWKS at most this often.
 * Measured from the last such refetch, not from the last fetch: a key
 * rotated just after this sign-in fetched the JWKS must still be found. */
#define JWKS_REFETCH_INTERVAL_USEC (60 * G_USEC_PER_SEC)

/* In memory, discovery and the JWKS are kept as long as their max-age (the
 * disk cache's default without one), never longer than the disk cache's
 * ceiling, and at least this long: a long-running process must drop a key
 * the provider withdrew, without fetching on every sign-in when max-age=0. */
#define MEMORY_MIN_AGE 60

struct _LanyardProvider
{
  GObject           parent_instance;

  LanyardAuthority *authority;
  char             *issuer;
  char             *authorization_endpoint;
  char             *token_endpoint;
  char             *jwks_uri;
  char             *end_session_endpoint;
  char             *revocation_endpoint;
  char             *device_authorization_endpoint;
  char             *userinfo_endpoint;
  guint             form_post : 1;
  guint             iss_parameter : 1;
  guint             prompt_create : 1;
  guint             prompt_select_account : 1;

  gint64            expires_at;        /* seconds since the epoch: discovery is stale then */

  LanyardJwks      *jwks;
  gint64            jwks_expires_at;   /* seconds since the epoch */
  gint64            jwks_refetched_at; /* monotonic µs of the last refetch for an unknown kid; 0 = never */
};

G_DEFINE_FINAL_TYPE (LanyardProvider, lanyard_provider, G_TYPE_OBJECT)

static void
lanyard_provider_finalize (GObject *object)
{
  LanyardProvider *self = (LanyardProvider *)object;

  g_clear_pointer (&self->authority, lanyard_authority_unref);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->authorization_endpoint, g_free);
  g_clear_pointer (&self->token_endpoint, g_free);
  g_clear_pointer (&self->jwks_uri, g_free);
  g_clear_pointer (&self->end_session_endpoint, g_free);
  g_clear_pointer (&self->revocation_endpoint, g_free);
  g_clear_pointer (&self->device_authorization_endpoint, g_free);
  g_clear_pointer (&self->userinfo_endpoint, g_free);
  g_clear_pointer (&self->jwks, lanyard_jwks_unref);

  G_OBJECT_CLASS (lanyard_provider_parent_class)->finalize (object);
}

static void
lanyard_provider_class_init (LanyardProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lanyard_provider_finalize;
}

static void
lanyard_provider_init (LanyardProvider *self)
{
}

/* Debug logs may show where we fetch from, never a query string. */
static char *
url_for_log (const char *url)
{
  return g_strndup (url, strcspn (url, "?#"));
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* When a document fetched at @fetched_at with @max_age (-1: none) goes
 * stale in memory. */
static gint64
memory_expiry (gint64 fetched_at,
               gint64 max_age)
{
  gint64 age = max_age < 0 ? LANYARD_CACHE_DEFAULT_MAX_AGE : max_age;

  age = CLAMP (age, MEMORY_MIN_AGE, LANYARD_CACHE_MAX_MAX_AGE);

  return MAX (fetched_at + age, now_seconds () + MEMORY_MIN_AGE);
}

/* The max-age that goes with a fetch answered by @response: a 304 without
 * one keeps the stored one. */
static gint64
response_max_age (LanyardHttpResponse *response,
                  LanyardCacheEntry   *entry)
{
  if (response->status == SOUP_STATUS_NOT_MODIFIED && entry != NULL && response->max_age < 0)
    return entry->max_age;

  return response->max_age;
}

static gboolean
is_stale (gint64 expires_at)
{
  return now_seconds () >= expires_at;
}

static gboolean
take_endpoint (JsonObject        *object,
               const char        *member,
               gboolean           required,
               LanyardAuthority  *authority,
               char             **out,
               GError           **error)
{
  const char *discovery_url = lanyard_authority_get_discovery_url (authority);
  JsonNode *node = json_object_get_member (object, member);
  const char *value = lanyard_json_get_string (object, member);

  if (node != NULL && value == NULL)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The %s in the discovery document at %s is not a string"),
                   member, discovery_url);
      return FALSE;
    }

  if (value == NULL || *value == '\0')
    {
      if (!required)
        return TRUE;

      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The discovery document at %s has no %s"),
                   discovery_url, member);
      return FALSE;
    }

  if (!lanyard_url_is_acceptable_endpoint (value, lanyard_authority_is_loopback (authority)))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The %s %s in the discovery document at %s is not an https:// URL"),
                   member, value, discovery_url);
      return FALSE;
    }

  *out = g_strdup (value);
  return TRUE;
}

static gboolean
array_contains_string (JsonObject *object,
                       const char *member,
                       const char *wanted)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) &&
          json_node_get_value_type (element) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (element), wanted) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
get_boolean (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* OpenID Connect Discovery 4.3: the issuer is the URL discovery was built
 * from. Only a terminating '/' may differ, as that one is removed before
 * appending the well-known path. */
static gboolean
issuer_matches_authority (const char *issuer,
                          const char *authority_url)
{
  gsize len = strlen (issuer);

  if (g_str_equal (issuer, authority_url))
    return TRUE;

  return len > 1 && issuer[len - 1] == '/' &&
         strlen (authority_url) == len - 1 &&
         strncmp (issuer, authority_url, len - 1) == 0;
}

LanyardProvider *
lanyard_provider_new_from_data (LanyardAuthority  *authority,
                                const char        *discovery_json,
                                gsize              len,
                                GError           **error)
{
  g_autoptr(LanyardProvider) self = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *discovery_url;
  const char *issuer;

  g_return_val_if_fail (authority != NULL, NULL);
  g_return_val_if_fail (discovery_json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > G_MAXSSIZE)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                           _("The discovery document is too large"));
      return NULL;
    }

  object = lanyard_json_parse_object (discovery_json, (gssize) len, "discovery document",
                                      LANYARD_ERROR_INVALID_RESPONSE, error);
  if (object == NULL)
    return NULL;

  discovery_url = lanyard_authority_get_discovery_url (authority);
  self = g_object_new (LANYARD_TYPE_PROVIDER, NULL);
  self->authority = lanyard_authority_ref (authority);

  issuer = lanyard_json_get_string (object, "issuer");
  if (issuer == NULL || *issuer == '\0')
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The discovery document at %s has no issuer"), discovery_url);
      return NULL;
    }

  /* Entra's issuer host is the tenant GUID, never the authority's host:
   * only generic issuers can be compared with what the user typed. */
  if (!lanyard_authority_is_entra (authority) &&
      !issuer_matches_authority (issuer, lanyard_authority_get_url (authority)))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The discovery document names the issuer %s, but the authority is %s"),
                   issuer, lanyard_authority_get_url (authority));
      return NULL;
    }

  if (!lanyard_url_is_acceptable_endpoint (issuer, lanyard_authority_is_loopback (authority)))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("The issuer %s in the discovery document at %s is not an https:// URL"),
                   issuer, discovery_url);
      return NULL;
    }

  self->issuer = g_strdup (issuer);

  if (!take_endpoint (object, "authorization_endpoint", TRUE, authority,
                      &self->authorization_endpoint, error) ||
      !take_endpoint (object, "token_endpoint", TRUE, authority,
                      &self->token_endpoint, error) ||
      !take_endpoint (object, "jwks_uri", TRUE, authority,
                      &self->jwks_uri, error) ||
      !take_endpoint (object, "end_session_endpoint", FALSE, authority,
                      &self->end_session_endpoint, error) ||
      !take_endpoint (object, "revocation_endpoint", FALSE, authority,
                      &self->revocation_endpoint, error) ||
      !take_endpoint (object, "device_authorization_endpoint", FALSE, authority,
                      &self->device_authorization_endpoint, error))
    return NULL;

  /* Only ever called to show a person what it says: a bad one is left out
   * rather than failing every sign-in. */
  {
    g_autoptr(GError) userinfo_error = NULL;

    if (!take_endpoint (object, "userinfo_endpoint", FALSE, authority,
                        &self->userinfo_endpoint, &userinfo_error))
      g_debug ("Not using the userinfo endpoint: %s", userinfo_error->message);
  }

  /* Entra serves the device code grant at a fixed path of every authority,
   * whether or not its discovery document says so; other providers only
   * where they advertise it (RFC 8628 section 4). */
  if (self->device_authorization_endpoint == NULL && lanyard_authority_is_entra (authority))
    self->device_authorization_endpoint = g_strconcat (lanyard_authority_get_url (authority),
                                                       "oauth2/v2.0/devicecode", NULL);

  self->form_post = array_contains_string (object, "response_modes_supported", "form_post");
  self->iss_parameter = get_boolean (object, "authorization_response_iss_parameter_supported");
  /* OpenID Connect Prompt Create 1.0 */
  self->prompt_create = array_contains_string (object, "prompt_values_supported", "create");
  self->prompt_select_account = array_contains_string (object, "prompt_values_supported", "select_account");

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------ */
/* One cached, conditional GET: discovery and the JWKS alike                */
/* ------------------------------------------------------------------------ */

/* Turns a body (fetched or from the disk cache) into what the caller keeps. */
typedef gpointer (*ParseFunc) (gconstpointer   data,
                               gsize           len,
                               gpointer        user_data,
                               GError        **error);

typedef struct {
  const char     *what;      /* "Discovery", "JWKS": for messages and logs */
  const char     *url_name;  /* "discovery", "JWKS": "The … URL %s is not valid" */
  ParseFunc       parse;
  GDestroyNotify  value_free;
} FetchKind;

typedef struct {
  const FetchKind   *kind;
  char              *url;
  gpointer           parse_data;  /* borrowed: the caller's task keeps it alive */
  LanyardCacheEntry *entry;
  gint64             started_at;
  gint64             expires_at;  /* in memory, seconds since the epoch */
  gpointer           value;       /* parsed, while the disk cache is written */
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  if (data->value != NULL)
    data->kind->value_free (data->value);
  g_free (data->url);
  g_clear_pointer (&data->entry, lanyard_cache_entry_free);
  g_free (data);
}

/* The body to use for a fetch answered with @response, or NULL with @error.
 * Updates the disk cache by the answer's validators and Cache-Control. */
static GBytes *
body_from_response (const char          *what,
                    const char          *url,
                    LanyardHttpResponse *response,
                    LanyardCacheEntry   *entry,
                    GError             **error)
{
  if (response->status == SOUP_STATUS_NOT_MODIFIED && entry != NULL)
    {
      g_autofree char *log_url = url_for_log (url);

      g_debug ("%s at %s not modified", what, log_url);
      return g_bytes_ref (entry->body);
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   _("%s at %s answered HTTP %u"), what, url, response->status);
      return NULL;
    }

  return g_bytes_ref (response->body);
}

/* What to do to the disk cache after a fetch, done in a worker thread: the
 * main context (the app's window) never waits for the disk. */
typedef struct {
  char    *url;
  char    *etag;
  gint64   fetched_at;
  gint64   max_age;
  GBytes  *body;
  gboolean remove;
} DiskUpdate;

static void
disk_update_free (DiskUpdate *update)
{
  g_free (update->url);
  g_free (update->etag);
  g_clear_pointer (&update->body, g_bytes_unref);
  g_free (update);
}

static DiskUpdate *
disk_update_new (const char          *url,
                 LanyardHttpResponse *response,
                 LanyardCacheEntry   *entry,
                 GBytes              *body,
                 gint64               fetched_at)
{
  DiskUpdate *update = g_new0 (DiskUpdate, 1);
  const char *etag = response->etag;
  gint64 max_age = response->max_age;

  update->url = g_strdup (url);
  update->remove = response->no_store;

  /* A 304 without its own validators or Cache-Control keeps the stored ones. */
  if (response->status == SOUP_STATUS_NOT_MODIFIED && entry != NULL)
    {
      if (etag == NULL)
        etag = entry->etag;
      if (max_age < 0)
        max_age = entry->max_age;
    }

  update->etag = g_strdup (etag);
  update->max_age = max_age;
  update->fetched_at = fetched_at;
  update->body = g_bytes_ref (body);

  return update;
}

static void
disk_update_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  DiskUpdate *update = task_data;

  if (update->remove)
    lanyard_cache_remove (update->url);
  else
    lanyard_cache_store (update->url, update->etag, update->fetched_at, update->max_age,
                         update->body);

  g_task_return_boolean (task, TRUE);
}

static SoupMessage *
new_get (const char    *url,
         const char    *what,
         const char    *etag,
         GError       **error)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, url);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                   _("The %s URL %s is not valid"), what, url);
      return NULL;
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", etag);

  return msg;
}

static void
disk_updated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&data->value), data->kind->value_free);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) disk_task = NULL;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(LanyardHttpResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  gconstpointer bytes;
  gpointer value;
  gsize len;

  response = lanyard_http_send_finish (SOUP_SESSION (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  body = body_from_response (data->kind->what, data->url, response, data->entry, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  bytes = g_bytes_get_data (body, &len);
  value = data->kind->parse (bytes != NULL ? bytes : "", len, data->parse_data, &error);
  if (value == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->expires_at = memory_expiry (data->started_at, response_max_age (response, data->entry));
  data->value = value;

  /* The fetch ends once the disk has it: a process that exits right after
   * (lanyard-cli) must not lose the write. No cancellable: it is quick, and
   * half a cache is no use to anyone. */
  disk_task = g_task_new (NULL, NULL, disk_updated_cb, g_steal_pointer (&task));
  g_task_set_source_tag (disk_task, disk_update_thread);
  g_task_set_task_data (disk_task,
                        disk_update_new (data->url, response, data->entry, body, data->started_at),
                        (GDestroyNotify) disk_update_free);
  g_task_run_in_thread (disk_task, disk_update_thread);
}

/* @url's document: from the disk cache while fresh there (unless
 * @revalidate: the copy in memory went stale, and the disk's is no
 * fresher), else fetched, conditionally when the disk has a validator. */
static void
cached_fetch_async (SoupSession         *session,
                    const FetchKind     *kind,
                    const char          *url,
                    gboolean             revalidate,
                    gpointer             parse_data,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *log_url = url_for_log (url);
  GError *error = NULL;
  FetchData *data;

  g_task_set_source_tag (task, cached_fetch_async);
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (FetchData, 1);
  data->kind = kind;
  data->url = g_strdup (url);
  data->parse_data = parse_data;
  data->entry = lanyard_cache_lookup (url);
  data->started_at = now_seconds ();
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  if (!revalidate && data->entry != NULL &&
      lanyard_cache_entry_is_fresh (data->entry, data->started_at))
    {
      g_autoptr(GError) local_error = NULL;
      gsize len;
      gconstpointer bytes = g_bytes_get_data (data->entry->body, &len);
      gpointer value = kind->parse (bytes != NULL ? bytes : "", len, parse_data, &local_error);

      if (value != NULL)
        {
          g_debug ("%s %s from the disk cache", kind->what, log_url);
          data->expires_at = memory_expiry (data->entry->fetched_at, data->entry->max_age);
          g_task_return_pointer (task, value, kind->value_free);
          return;
        }

      /* Tampered with or from an older, laxer version: fetch it again. */
      g_debug ("Ignoring the cached %s %s: %s", kind->what, log_url, local_error->message);
      g_clear_pointer (&data->entry, lanyard_cache_entry_free);
    }

  msg = new_get (url, kind->url_name, data->entry != NULL ? data->entry->etag : NULL, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Fetching %s", log_url);
  lanyard_http_send_async (session, msg, 0, cancellable, fetched_cb, g_steal_pointer (&task));
}

/* The parsed value; *@expires_at says when it goes stale in memory. */
static gpointer
cached_fetch_finish (GAsyncResult  *result,
                     gint64        *expires_at,
                     GError       **error)
{
  GTask *task = G_TASK (result);
  FetchData *data = g_task_get_task_data (task);

  g_assert (g_task_get_source_tag (task) == cached_fetch_async);

  *expires_at = data->expires_at;
  return g_task_propagate_pointer (task, error);
}

/* ------------------------------------------------------------------------ */
/* Discovery                                                                */
/* ------------------------------------------------------------------------ */

static gpointer
parse_discovery (gconstpointer   data,
                 gsize           len,
                 gpointer        authority,
                 GError        **error)
{
  return lanyard_provider_new_from_data (authority, data, len, error);
}

static const FetchKind discovery_kind = {
  "Discovery", "discovery", parse_discovery, g_object_unref,
};

static void
discovery_fetched_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardProvider *provider;
  GError *error = NULL;
  gint64 expires_at = 0;

  provider = cached_fetch_finish (result, &expires_at, &error);
  if (provider == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  provider->expires_at = expires_at;
  g_task_return_pointer (task, provider, g_object_unref);
}

void
lanyard_provider_load_async (SoupSession         *session,
                             LanyardAuthority    *authority,
                             gboolean             revalidate,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (authority != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_provider_load_async);
  g_task_set_check_cancellable (task, FALSE);
  /* parse_discovery borrows it */
  g_task_set_task_data (task, lanyard_authority_ref (authority), (GDestroyNotify) lanyard_authority_unref);

  cached_fetch_async (session, &discovery_kind, lanyard_authority_get_discovery_url (authority),
                      revalidate, authority, cancellable, discovery_fetched_cb, g_steal_pointer (&task));
}

LanyardProvider *
lanyard_provider_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_provider_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
lanyard_provider_is_stale (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), TRUE);

  return is_stale (self->expires_at);
}

LanyardAuthority *
lanyard_provider_get_authority (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  return self->authority;
}

const char *
lanyard_provider_get_issuer (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  return self->issuer;
}

const char *
lanyard_provider_get_authorization_endpoint (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  return self->authorization_endpoint;
}

const char *
lanyard_provider_get_token_endpoint (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  return self->token_endpoint;
}

const char *
lanyard_provider_get_jwks_uri (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  return self->jwks_uri;
}

const char *
lanyard_provider_get_end_session_endpoint (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  return self->end_session_endpoint;
}

const char *
lanyard_provider_get_revocation_endpoint (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  return self->revocation_endpoint;
}

const char *
lanyard_provider_get_device_authorization_endpoint (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  return self->device_authorization_endpoint;
}

const char *
lanyard_provider_get_userinfo_endpoint (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  return self->userinfo_endpoint;
}

gboolean
lanyard_provider_supports_prompt_create (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), FALSE);
  return self->prompt_create;
}

gboolean
lanyard_provider_supports_prompt_select_account (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), FALSE);

  /* A value of OpenID Connect Core, but not every provider takes it
   * (oidc-provider refuses it and lists no prompt values): Entra does, and
   * those that say so. */
  return self->prompt_select_account || lanyard_authority_is_entra (self->authority);
}

gboolean
lanyard_provider_supports_form_post (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), FALSE);
  return self->form_post;
}

gboolean
lanyard_provider_requires_iss_parameter (LanyardProvider *self)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), FALSE);
  return self->iss_parameter;
}

/* ------------------------------------------------------------------------ */
/* JWKS                                                                     */
/* ------------------------------------------------------------------------ */

static gpointer
parse_jwks (gconstpointer   data,
            gsize           len,
            gpointer        unused,
            GError        **error)
{
  return lanyard_jwks_new_from_data (data, len, error);
}

static const FetchKind jwks_kind = {
  "JWKS", "JWKS", parse_jwks, (GDestroyNotify) lanyard_jwks_unref,
};

static void
jwks_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardProvider *self = g_task_get_source_object (task);
  LanyardJwks *jwks;
  GError *error = NULL;
  gint64 expires_at = 0;

  jwks = cached_fetch_finish (result, &expires_at, &error);
  if (jwks == NULL)
    {
      const gint64 *before = g_task_get_task_data (task);

      /* A refetch its caller cancelled did not happen: it must not use up
       * the next caller's (another sign-in's) one refetch a minute. */
      if (before != NULL &&
          (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED)))
        self->jwks_refetched_at = *before;
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&self->jwks, lanyard_jwks_unref);
  self->jwks = lanyard_jwks_ref (jwks);
  self->jwks_expires_at = expires_at;

  g_task_return_pointer (task, jwks, (GDestroyNotify) lanyard_jwks_unref);
}

void
lanyard_provider_get_jwks_async (LanyardProvider     *self,
                                 SoupSession         *session,
                                 gboolean             force_refetch,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *log_url = NULL;
  gint64 now = g_get_monotonic_time ();
  gboolean stale;

  g_return_if_fail (LANYARD_IS_PROVIDER (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_provider_get_jwks_async);
  g_task_set_check_cancellable (task, FALSE);

  log_url = url_for_log (self->jwks_uri);

  /* A withdrawn key must not stay trusted in a long-running process. The
   * disk copy is no fresher than ours: revalidate with the network. */
  stale = self->jwks != NULL && is_stale (self->jwks_expires_at);
  if (stale)
    g_debug ("JWKS %s went stale in memory", log_url);

  if (self->jwks != NULL && !stale &&
      (!force_refetch ||
       (self->jwks_refetched_at != 0 && now - self->jwks_refetched_at < JWKS_REFETCH_INTERVAL_USEC)))
    {
      if (force_refetch)
        g_debug ("Not refetching %s: refetched for an unknown kid less than a minute ago", log_url);

      g_task_return_pointer (task, lanyard_jwks_ref (self->jwks), (GDestroyNotify) lanyard_jwks_unref);
      return;
    }

  if (force_refetch)
    {
      gint64 *before = g_new (gint64, 1);

      *before = self->jwks_refetched_at;
      g_task_set_task_data (task, before, g_free);
      self->jwks_refetched_at = now;
    }

  cached_fetch_async (session, &jwks_kind, self->jwks_uri, force_refetch || stale, NULL,
                      cancellable, jwks_fetched_cb, g_steal_pointer (&task));
}

LanyardJwks *
lanyard_provider_get_jwks_finish (LanyardProvider  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (LANYARD_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_provider_get_jwks_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lanyard_provider_age (LanyardProvider *self,
                      gint64           seconds)
{
  g_return_if_fail (LANYARD_IS_PROVIDER (self));

  self->expires_at -= seconds;
  self->jwks_expires_at -= seconds;
}
