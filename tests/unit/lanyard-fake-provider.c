/* lanyard-fake-provider.c — a fault-injecting OpenID provider and an
 * in-process browser for client-level tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-fake-provider"

#include "config.h"

#include <string.h>

#include "lanyard-base64url.h"
#include "lanyard-client-private.h"
#include "lanyard-fake-provider.h"
#include "lanyard-test-utils.h"

static const char *const endpoint_paths[LANYARD_FAKE_N_ENDPOINTS] = {
  [LANYARD_FAKE_DISCOVERY] = "/.well-known/openid-configuration",
  [LANYARD_FAKE_JWKS] = "/jwks",
  [LANYARD_FAKE_AUTHORIZE] = "/authorize",
  [LANYARD_FAKE_TOKEN] = "/token",
  [LANYARD_FAKE_REVOCATION] = "/revoke",
  [LANYARD_FAKE_END_SESSION] = "/logout",
  [LANYARD_FAKE_DEVICE_AUTHORIZATION] = "/devicecode",
};

static const char *const endpoint_names[LANYARD_FAKE_N_ENDPOINTS] = {
  [LANYARD_FAKE_DISCOVERY] = "discovery",
  [LANYARD_FAKE_JWKS] = "jwks",
  [LANYARD_FAKE_AUTHORIZE] = "authorize",
  [LANYARD_FAKE_TOKEN] = "token",
  [LANYARD_FAKE_REVOCATION] = "revocation",
  [LANYARD_FAKE_END_SESSION] = "end_session",
  [LANYARD_FAKE_DEVICE_AUTHORIZATION] = "device_authorization",
};

#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"
#define DEVICE_USER_CODE "WDJB-MJHT"

typedef struct {
  LanyardFakeBehaviour  behaviour;
  guint                 status;
  char                 *content_type;
  GBytes               *body;
  guint                 count;
} EndpointState;

typedef struct {
  char     *code;
  char     *client_id;
  char     *redirect_uri;
  char     *nonce;
  char     *challenge;
  gboolean  used;
} CodeGrant;

typedef struct {
  SoupServerMessage   *msg;
  LanyardFakeEndpoint  endpoint;
} HeldRequest;

struct _LanyardFakeProvider {
  SoupServer             *server;
  char                   *issuer;
  EndpointState           endpoints[LANYARD_FAKE_N_ENDPOINTS];

  JsonObject             *discovery;
  JsonObject             *token_extra;
  JsonObject             *user_claims;
  gboolean                rotate_refresh_tokens;
  gint64                  access_token_lifetime;
  gboolean                send_iss;
  char                   *authorize_error;
  char                   *authorize_error_description;

  LanyardTestKey         *key;
  char                   *kid;

  LanyardFakeIdTokenFunc  id_token_func;
  gpointer                id_token_data;
  LanyardFakeRequestFunc  request_func;
  gpointer                request_data;

  GHashTable             *codes;            /* code → CodeGrant */
  GHashTable             *refresh_tokens;   /* live refresh tokens (set) */
  GHashTable             *revoked;          /* tokens revoked at /revoke (set) */
  GHashTable             *grant_counts;     /* grant_type → GUINT_TO_POINTER */
  GHashTable             *token_scopes;     /* access token → the scope it was asked for */
  GPtrArray              *refresh_scopes;   /* the scope of each refresh ("" = none) */
  gboolean                echo_scope;
  char                   *ungranted_scope;
  guint                   serial;

  GPtrArray              *held;             /* HeldRequest */
  GPtrArray              *hung;             /* SoupServerMessage, paused forever */
  GPtrArray              *log;

  GQueue                 *device_answers;   /* char * or NULL (approve) */
  JsonObject             *device_extra;
  GHashTable             *device_codes;     /* issued device codes (set) */
  GArray                 *device_polls;     /* gint64 */
  char                   *device_scope;
};

static void
code_grant_free (CodeGrant *grant)
{
  g_free (grant->code);
  g_free (grant->client_id);
  g_free (grant->redirect_uri);
  g_free (grant->nonce);
  g_free (grant->challenge);
  g_free (grant);
}

/* Keys cost time to make: a handful per process serves every test. */
static LanyardTestKey *
shared_key (guint index)
{
  static LanyardTestKey *keys[8];

  g_assert_cmpuint (index, <, G_N_ELEMENTS (keys));
  if (keys[index] == NULL)
    keys[index] = lanyard_test_key_new_rsa (2048);

  return keys[index];
}

static guint next_key_index;

void
lanyard_fake_provider_log (LanyardFakeProvider *self,
                           const char          *format,
                           ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->log, g_strdup_vprintf (format, args));
  va_end (args);
}

char *
lanyard_fake_provider_get_log (LanyardFakeProvider *self)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < self->log->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", (char *) self->log->pdata[i]);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
lanyard_fake_provider_clear_log (LanyardFakeProvider *self)
{
  g_ptr_array_set_size (self->log, 0);
}

char *
lanyard_fake_claims_to_json (JsonObject *claims)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_node_set_object (node, claims);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

char *
lanyard_fake_provider_sign (LanyardFakeProvider *self,
                            const char          *header_json,
                            JsonObject          *claims)
{
  g_autofree char *payload = lanyard_fake_claims_to_json (claims);
  g_autofree char *header = NULL;

  if (header_json == NULL)
    header = g_strdup_printf ("{\"alg\":\"RS256\",\"kid\":\"%s\",\"typ\":\"JWT\"}", self->kid);
  else
    header = g_strdup (header_json);

  return lanyard_test_jws_sign (self->key, "RS256", header, payload);
}

static char *
build_jwks (LanyardFakeProvider *self)
{
  g_autofree char *jwk = lanyard_test_key_to_jwk (self->key, self->kid, "RS256", "sig");

  return lanyard_test_jwks_build (jwk, NULL);
}

void
lanyard_fake_provider_rotate_keys (LanyardFakeProvider *self,
                                   const char          *kid)
{
  self->key = shared_key (next_key_index++ % 8);
  g_free (self->kid);
  self->kid = g_strdup (kid);
}

LanyardTestKey *
lanyard_fake_provider_get_key (LanyardFakeProvider *self)
{
  return self->key;
}

const char *
lanyard_fake_provider_get_kid (LanyardFakeProvider *self)
{
  return self->kid;
}

/* ---- answering ------------------------------------------------------------ */

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *content_type,
       const char        *body,
       gssize             len)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                      body, len < 0 ? strlen (body) : (gsize) len);
}

static void
reply_json_object (SoupServerMessage *msg,
                   guint              status,
                   JsonObject        *object)
{
  g_autofree char *json = lanyard_fake_claims_to_json (object);

  reply (msg, status, "application/json", json, -1);
}

static void
reply_oauth_error (SoupServerMessage *msg,
                   guint              status,
                   const char        *error,
                   const char        *description)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  if (description != NULL)
    json_object_set_string_member (object, "error_description", description);
  reply_json_object (msg, status, object);
}

static GHashTable *
request_form (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return soup_form_decode (text);
}

static char *
new_secret (LanyardFakeProvider *self,
            const char          *prefix)
{
  guint8 bytes[12];
  g_autofree char *random = NULL;

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_random_int_range (0, 256);
  random = lanyard_base64url_encode (bytes, sizeof bytes);

  return g_strdup_printf ("%s-%u-%s", prefix, ++self->serial, random);
}

/* ---- the endpoints, served normally --------------------------------------- */

static void
serve_discovery (LanyardFakeProvider *self,
                 SoupServerMessage   *msg)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, self->discovery);
  while (json_object_iter_next (&iter, &name, &node))
    if (!JSON_NODE_HOLDS_NULL (node))
      json_object_set_member (object, name, json_node_copy (node));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "max-age=300");
  reply_json_object (msg, SOUP_STATUS_OK, object);
}

static void
serve_jwks (LanyardFakeProvider *self,
            SoupServerMessage   *msg)
{
  g_autofree char *jwks = build_jwks (self);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "max-age=300");
  reply (msg, SOUP_STATUS_OK, "application/json", jwks, -1);
}

static void
serve_authorize (LanyardFakeProvider *self,
                 SoupServerMessage   *msg)
{
  const char *query_text = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *encoded = NULL;
  const char *redirect_uri, *state, *nonce, *challenge;
  gboolean form_post;

  query = query_text != NULL ? soup_form_decode (query_text)
                             : g_hash_table_new (g_str_hash, g_str_equal);
  redirect_uri = g_hash_table_lookup (query, "redirect_uri");
  state = g_hash_table_lookup (query, "state");
  nonce = g_hash_table_lookup (query, "nonce");
  challenge = g_hash_table_lookup (query, "code_challenge");
  form_post = g_strcmp0 (g_hash_table_lookup (query, "response_mode"), "form_post") == 0;

  if (redirect_uri == NULL || state == NULL || nonce == NULL || challenge == NULL ||
      g_strcmp0 (g_hash_table_lookup (query, "response_type"), "code") != 0 ||
      g_strcmp0 (g_hash_table_lookup (query, "code_challenge_method"), "S256") != 0 ||
      g_strcmp0 (g_hash_table_lookup (query, "client_id"), LANYARD_FAKE_CLIENT_ID) != 0)
    {
      reply (msg, SOUP_STATUS_BAD_REQUEST, "text/plain", "bad authorization request", -1);
      return;
    }

  g_hash_table_insert (params, "state", g_strdup (state));
  if (self->send_iss)
    g_hash_table_insert (params, "iss", g_strdup (self->issuer));

  if (self->authorize_error != NULL)
    {
      g_hash_table_insert (params, "error", g_strdup (self->authorize_error));
      if (self->authorize_error_description != NULL)
        g_hash_table_insert (params, "error_description",
                             g_strdup (self->authorize_error_description));
    }
  else
    {
      CodeGrant *grant = g_new0 (CodeGrant, 1);

      grant->code = new_secret (self, "code");
      grant->client_id = g_strdup (LANYARD_FAKE_CLIENT_ID);
      grant->redirect_uri = g_strdup (redirect_uri);
      grant->nonce = g_strdup (nonce);
      grant->challenge = g_strdup (challenge);
      g_hash_table_insert (self->codes, grant->code, grant);
      g_hash_table_insert (params, "code", g_strdup (grant->code));
    }

  encoded = soup_form_encode_hash (params);

  if (form_post)
    {
      /* A real provider renders an auto-submitting form; the fake browser
       * reads the form from the body and its action from a header. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "X-Lanyard-Form-Action", redirect_uri);
      reply (msg, SOUP_STATUS_OK, "application/x-www-form-urlencoded", encoded, -1);
    }
  else
    {
      g_autofree char *location = g_strdup_printf ("%s%c%s", redirect_uri,
                                                   strchr (redirect_uri, '?') ? '&' : '?',
                                                   encoded);

      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
    }
}

static char *
mint_id_token (LanyardFakeProvider *self,
               const char          *nonce)
{
  g_autoptr(JsonObject) claims = json_object_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  char *token = NULL;

  json_object_set_string_member (claims, "iss", self->issuer);
  json_object_set_string_member (claims, "aud", LANYARD_FAKE_CLIENT_ID);
  json_object_set_int_member (claims, "iat", now);
  json_object_set_int_member (claims, "exp", now + 3600);
  if (nonce != NULL)
    json_object_set_string_member (claims, "nonce", nonce);

  json_object_iter_init (&iter, self->user_claims);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (claims, name, json_node_copy (node));

  if (self->id_token_func != NULL)
    token = self->id_token_func (self, claims, self->id_token_data);
  if (token == NULL)
    token = lanyard_fake_provider_sign (self, NULL, claims);

  return token;
}

static void
issue_tokens (LanyardFakeProvider *self,
              SoupServerMessage   *msg,
              const char          *nonce,
              const char          *refresh_token,
              const char          *scope)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *access_token = new_secret (self, "at");
  g_autofree char *new_refresh_token = NULL;
  g_autofree char *id_token = mint_id_token (self, nonce);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (refresh_token == NULL)
    refresh_token = new_refresh_token = new_secret (self, "rt");
  g_hash_table_add (self->refresh_tokens, g_strdup (refresh_token));

  json_object_set_string_member (object, "access_token", access_token);
  json_object_set_string_member (object, "token_type", "Bearer");
  json_object_set_int_member (object, "expires_in", self->access_token_lifetime);
  json_object_set_string_member (object, "refresh_token", refresh_token);
  json_object_set_string_member (object, "id_token", id_token);
  if (self->echo_scope && scope != NULL)
    json_object_set_string_member (object, "scope", scope);
  g_hash_table_insert (self->token_scopes, g_strdup (access_token), g_strdup (scope != NULL ? scope : ""));

  json_object_iter_init (&iter, self->token_extra);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (JSON_NODE_HOLDS_NULL (node))
        json_object_remove_member (object, name);
      else
        json_object_set_member (object, name, json_node_copy (node));
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  reply_json_object (msg, SOUP_STATUS_OK, object);
}

static char *
s256 (const char *verifier)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &len);

  return lanyard_base64url_encode (digest, len);
}

static void
serve_token (LanyardFakeProvider *self,
             SoupServerMessage   *msg)
{
  g_autoptr(GHashTable) form = request_form (msg);
  const char *grant_type = g_hash_table_lookup (form, "grant_type");

  if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), LANYARD_FAKE_CLIENT_ID) != 0)
    {
      reply_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client", "Unknown client");
      return;
    }

  if (g_strcmp0 (grant_type, "authorization_code") == 0)
    {
      CodeGrant *grant = g_hash_table_lookup (self->codes, g_hash_table_lookup (form, "code") ?: "");
      const char *verifier = g_hash_table_lookup (form, "code_verifier");
      g_autofree char *challenge = verifier != NULL ? s256 (verifier) : NULL;

      if (grant == NULL || grant->used ||
          g_strcmp0 (grant->redirect_uri, g_hash_table_lookup (form, "redirect_uri")) != 0 ||
          g_strcmp0 (grant->challenge, challenge) != 0)
        {
          reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                             "The code, redirect_uri or code_verifier is wrong");
          return;
        }

      grant->used = TRUE;
      issue_tokens (self, msg, grant->nonce, NULL, NULL);
      return;
    }

  if (g_strcmp0 (grant_type, "refresh_token") == 0)
    {
      const char *refresh_token = g_hash_table_lookup (form, "refresh_token");
      const char *scope = g_hash_table_lookup (form, "scope");

      g_ptr_array_add (self->refresh_scopes, g_strdup (scope != NULL ? scope : ""));
      if (self->ungranted_scope != NULL && scope != NULL)
        {
          g_auto(GStrv) asked = g_strsplit (scope, " ", -1);

          if (g_strv_contains ((const char * const *) asked, self->ungranted_scope))
            {
              reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_scope",
                                 "The user has not consented to this scope");
              return;
            }
        }

      if (refresh_token == NULL || !g_hash_table_contains (self->refresh_tokens, refresh_token))
        {
          reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                             "The refresh token has expired or was revoked");
          return;
        }

      if (self->rotate_refresh_tokens)
        {
          g_hash_table_remove (self->refresh_tokens, refresh_token);
          issue_tokens (self, msg, NULL, NULL, scope);
        }
      else
        {
          issue_tokens (self, msg, NULL, refresh_token, scope);
        }
      return;
    }

  if (g_strcmp0 (grant_type, DEVICE_GRANT) == 0)
    {
      const char *device_code = g_hash_table_lookup (form, "device_code");
      gint64 now = g_get_monotonic_time ();
      char *answer;

      g_array_append_val (self->device_polls, now);
      if (device_code == NULL || !g_hash_table_contains (self->device_codes, device_code))
        {
          reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "Unknown device code");
          return;
        }

      if (g_queue_is_empty (self->device_answers))
        {
          reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "authorization_pending", NULL);
          return;
        }

      answer = g_queue_pop_head (self->device_answers);
      if (answer == NULL)
        {
          g_hash_table_remove (self->device_codes, device_code);
          issue_tokens (self, msg, NULL, NULL, NULL);
          return;
        }

      reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, answer, "Scripted by the test");
      g_free (answer);
      return;
    }

  reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", NULL);
}

static void
serve_device_authorization (LanyardFakeProvider *self,
                            SoupServerMessage   *msg)
{
  g_autoptr(GHashTable) form = request_form (msg);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *device_code = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *uri_complete = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), LANYARD_FAKE_CLIENT_ID) != 0)
    {
      reply_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client", "Unknown client");
      return;
    }

  g_free (self->device_scope);
  self->device_scope = g_strdup (g_hash_table_lookup (form, "scope"));

  device_code = new_secret (self, "dc");
  g_hash_table_add (self->device_codes, g_strdup (device_code));
  uri = g_strconcat (self->issuer, "/device", NULL);
  uri_complete = g_strconcat (uri, "?user_code=" DEVICE_USER_CODE, NULL);

  json_object_set_string_member (object, "device_code", device_code);
  json_object_set_string_member (object, "user_code", DEVICE_USER_CODE);
  json_object_set_string_member (object, "verification_uri", uri);
  json_object_set_string_member (object, "verification_uri_complete", uri_complete);
  json_object_set_int_member (object, "expires_in", 600);
  json_object_set_int_member (object, "interval", 5);

  json_object_iter_init (&iter, self->device_extra);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (JSON_NODE_HOLDS_NULL (node))
        json_object_remove_member (object, name);
      else
        json_object_set_member (object, name, json_node_copy (node));
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  reply_json_object (msg, SOUP_STATUS_OK, object);
}

static void
serve_revocation (LanyardFakeProvider *self,
                  SoupServerMessage   *msg)
{
  g_autoptr(GHashTable) form = request_form (msg);
  const char *token = g_hash_table_lookup (form, "token");

  if (token == NULL)
    {
      reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", "No token");
      return;
    }

  g_hash_table_add (self->revoked, g_strdup (token));
  g_hash_table_remove (self->refresh_tokens, token);
  reply (msg, SOUP_STATUS_OK, NULL, NULL, 0);
}

static void
serve_normally (LanyardFakeProvider *self,
                LanyardFakeEndpoint  endpoint,
                SoupServerMessage   *msg)
{
  switch (endpoint)
    {
    case LANYARD_FAKE_DISCOVERY:
      serve_discovery (self, msg);
      break;
    case LANYARD_FAKE_JWKS:
      serve_jwks (self, msg);
      break;
    case LANYARD_FAKE_AUTHORIZE:
      serve_authorize (self, msg);
      break;
    case LANYARD_FAKE_TOKEN:
      serve_token (self, msg);
      break;
    case LANYARD_FAKE_REVOCATION:
      serve_revocation (self, msg);
      break;
    case LANYARD_FAKE_END_SESSION:
      reply (msg, SOUP_STATUS_OK, "text/html", "<p>Signed out</p>", -1);
      break;
    case LANYARD_FAKE_DEVICE_AUTHORIZATION:
      serve_device_authorization (self, msg);
      break;
    case LANYARD_FAKE_N_ENDPOINTS:
    default:
      g_assert_not_reached ();
    }
}

static void
held_request_free (HeldRequest *held)
{
  g_object_unref (held->msg);
  g_free (held);
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  LanyardFakeProvider *self = user_data;
  LanyardFakeEndpoint endpoint = LANYARD_FAKE_N_ENDPOINTS;
  EndpointState *state;

  for (guint i = 0; i < LANYARD_FAKE_N_ENDPOINTS; i++)
    if (g_str_equal (path, endpoint_paths[i]))
      endpoint = i;

  if (endpoint == LANYARD_FAKE_N_ENDPOINTS)
    {
      reply (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "not found", -1);
      return;
    }

  state = &self->endpoints[endpoint];
  state->count++;

  if (endpoint == LANYARD_FAKE_TOKEN)
    {
      g_autoptr(GHashTable) form = request_form (msg);
      const char *grant_type = g_hash_table_lookup (form, "grant_type");
      guint n;

      if (grant_type == NULL)
        grant_type = "(none)";
      n = GPOINTER_TO_UINT (g_hash_table_lookup (self->grant_counts, grant_type));
      g_hash_table_replace (self->grant_counts, g_strdup (grant_type), GUINT_TO_POINTER (n + 1));
      lanyard_fake_provider_log (self, "token:%s", grant_type);
    }
  else
    {
      lanyard_fake_provider_log (self, "%s", endpoint_names[endpoint]);
    }

  if (self->request_func != NULL)
    self->request_func (self, endpoint, self->request_data);

  switch (state->behaviour)
    {
    case LANYARD_FAKE_SERVE:
      serve_normally (self, endpoint, msg);
      break;

    case LANYARD_FAKE_REPLY:
      soup_server_message_set_status (msg, state->status, NULL);
      if (state->body != NULL)
        soup_server_message_set_response (msg, state->content_type, SOUP_MEMORY_COPY,
                                          g_bytes_get_data (state->body, NULL),
                                          g_bytes_get_size (state->body));
      break;

    case LANYARD_FAKE_HANG:
      soup_server_message_pause (msg);
      g_ptr_array_add (self->hung, g_object_ref (msg));
      break;

    case LANYARD_FAKE_HOLD:
      {
        HeldRequest *held = g_new0 (HeldRequest, 1);

        held->msg = g_object_ref (msg);
        held->endpoint = endpoint;
        soup_server_message_pause (msg);
        g_ptr_array_add (self->held, held);
      }
      break;

    case LANYARD_FAKE_RESET:
      {
        g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

        g_io_stream_close (stream, NULL, NULL);
      }
      break;

    case LANYARD_FAKE_REDIRECT_SELF:
      {
        g_autofree char *self_uri = g_uri_to_string (soup_server_message_get_uri (msg));

        soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, self_uri);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* ---- life ------------------------------------------------------------------ */

LanyardFakeProvider *
lanyard_fake_provider_new (void)
{
  LanyardFakeProvider *self = g_new0 (LanyardFakeProvider, 1);
  g_autofree char *url = NULL;
  const char *modes[] = { "query", "form_post" };
  JsonArray *array;

  self->server = lanyard_test_server_new (&self->issuer);
  for (guint i = 0; i < LANYARD_FAKE_N_ENDPOINTS; i++)
    soup_server_add_handler (self->server, endpoint_paths[i], handle_cb, self, NULL);

  self->codes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) code_grant_free);
  self->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->revoked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->grant_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->token_scopes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refresh_scopes = g_ptr_array_new_with_free_func (g_free);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_request_free);
  self->hung = g_ptr_array_new_with_free_func (g_object_unref);
  self->log = g_ptr_array_new_with_free_func (g_free);
  self->device_answers = g_queue_new ();
  self->device_extra = json_object_new ();
  self->device_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->device_polls = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rotate_refresh_tokens = TRUE;
  self->access_token_lifetime = 3600;
  self->send_iss = TRUE;

  self->key = shared_key (0);
  self->kid = g_strdup ("key-1");

  self->discovery = json_object_new ();
  json_object_set_string_member (self->discovery, "issuer", self->issuer);
  for (guint i = LANYARD_FAKE_JWKS; i < LANYARD_FAKE_N_ENDPOINTS; i++)
    {
      static const char *const members[LANYARD_FAKE_N_ENDPOINTS] = {
        NULL, "jwks_uri", "authorization_endpoint", "token_endpoint",
        "revocation_endpoint", "end_session_endpoint", "device_authorization_endpoint",
      };

      g_free (url);
      url = lanyard_fake_provider_url (self, i);
      json_object_set_string_member (self->discovery, members[i], url);
    }
  array = json_array_new ();
  json_array_add_string_element (array, "code");
  json_object_set_array_member (self->discovery, "response_types_supported", array);
  array = json_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    json_array_add_string_element (array, modes[i]);
  json_object_set_array_member (self->discovery, "response_modes_supported", array);
  array = json_array_new ();
  json_array_add_string_element (array, "RS256");
  json_object_set_array_member (self->discovery, "id_token_signing_alg_values_supported", array);
  array = json_array_new ();
  json_array_add_string_element (array, "S256");
  json_object_set_array_member (self->discovery, "code_challenge_methods_supported", array);
  json_object_set_boolean_member (self->discovery, "authorization_response_iss_parameter_supported", TRUE);

  self->token_extra = json_object_new ();

  self->user_claims = json_object_new ();
  json_object_set_string_member (self->user_claims, "sub", "pairwise-subject-of-ada");
  json_object_set_string_member (self->user_claims, "oid", LANYARD_FAKE_OID);
  json_object_set_string_member (self->user_claims, "tid", LANYARD_FAKE_TID);
  json_object_set_string_member (self->user_claims, "name", "Ada Lovelace");
  json_object_set_string_member (self->user_claims, "preferred_username", LANYARD_FAKE_USERNAME);
  json_object_set_string_member (self->user_claims, "login_hint", LANYARD_FAKE_LOGIN_HINT);

  return self;
}

void
lanyard_fake_provider_free (LanyardFakeProvider *self)
{
  if (self == NULL)
    return;

  soup_server_disconnect (self->server);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->hung, g_ptr_array_unref);
  g_clear_object (&self->server);

  for (guint i = 0; i < LANYARD_FAKE_N_ENDPOINTS; i++)
    {
      g_free (self->endpoints[i].content_type);
      g_clear_pointer (&self->endpoints[i].body, g_bytes_unref);
    }

  g_free (self->issuer);
  json_object_unref (self->discovery);
  json_object_unref (self->token_extra);
  json_object_unref (self->user_claims);
  g_free (self->authorize_error);
  g_free (self->authorize_error_description);
  g_free (self->kid);
  g_hash_table_unref (self->codes);
  g_hash_table_unref (self->refresh_tokens);
  g_hash_table_unref (self->revoked);
  g_hash_table_unref (self->grant_counts);
  g_clear_pointer (&self->token_scopes, g_hash_table_unref);
  g_clear_pointer (&self->refresh_scopes, g_ptr_array_unref);
  g_clear_pointer (&self->ungranted_scope, g_free);
  g_ptr_array_unref (self->log);
  g_queue_free_full (self->device_answers, g_free);
  json_object_unref (self->device_extra);
  g_hash_table_unref (self->device_codes);
  g_array_unref (self->device_polls);
  g_free (self->device_scope);
  g_free (self);
}

void
lanyard_fake_provider_push_device_answer (LanyardFakeProvider *self,
                                          const char          *error)
{
  g_queue_push_tail (self->device_answers, g_strdup (error));
}

JsonObject *
lanyard_fake_provider_get_device_extra (LanyardFakeProvider *self)
{
  return self->device_extra;
}

GArray *
lanyard_fake_provider_get_device_polls (LanyardFakeProvider *self)
{
  return self->device_polls;
}

const char *
lanyard_fake_provider_get_device_scope (LanyardFakeProvider *self)
{
  return self->device_scope;
}

const char *
lanyard_fake_provider_get_issuer (LanyardFakeProvider *self)
{
  return self->issuer;
}

char *
lanyard_fake_provider_url (LanyardFakeProvider *self,
                           LanyardFakeEndpoint  endpoint)
{
  g_assert_cmpint (endpoint, <, LANYARD_FAKE_N_ENDPOINTS);

  return g_strconcat (self->issuer, endpoint_paths[endpoint], NULL);
}

void
lanyard_fake_provider_set_behaviour (LanyardFakeProvider  *self,
                                     LanyardFakeEndpoint   endpoint,
                                     LanyardFakeBehaviour  behaviour)
{
  self->endpoints[endpoint].behaviour = behaviour;
}

void
lanyard_fake_provider_set_reply (LanyardFakeProvider *self,
                                 LanyardFakeEndpoint  endpoint,
                                 guint                status,
                                 const char          *content_type,
                                 const char          *body,
                                 gssize               len)
{
  EndpointState *state = &self->endpoints[endpoint];

  state->behaviour = LANYARD_FAKE_REPLY;
  state->status = status;
  g_free (state->content_type);
  state->content_type = g_strdup (content_type);
  g_clear_pointer (&state->body, g_bytes_unref);
  if (body != NULL)
    state->body = g_bytes_new (body, len < 0 ? strlen (body) : (gsize) len);
}

guint
lanyard_fake_provider_get_n_held (LanyardFakeProvider *self)
{
  return self->held->len;
}

void
lanyard_fake_provider_release (LanyardFakeProvider *self)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&self->held);

  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_request_free);

  for (guint i = 0; i < held->len; i++)
    {
      HeldRequest *request = g_ptr_array_index (held, i);

      serve_normally (self, request->endpoint, request->msg);
      soup_server_message_unpause (request->msg);
    }
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
lanyard_fake_provider_wait_held (LanyardFakeProvider *self)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, wait_timeout_cb, &timed_out);

  while (self->held->len == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

JsonObject *
lanyard_fake_provider_get_discovery (LanyardFakeProvider *self)
{
  return self->discovery;
}

JsonObject *
lanyard_fake_provider_get_token_extra (LanyardFakeProvider *self)
{
  return self->token_extra;
}

JsonObject *
lanyard_fake_provider_get_user_claims (LanyardFakeProvider *self)
{
  return self->user_claims;
}

void
lanyard_fake_provider_set_rotate_refresh_tokens (LanyardFakeProvider *self,
                                                 gboolean             rotate)
{
  self->rotate_refresh_tokens = rotate;
}

void
lanyard_fake_provider_set_access_token_lifetime (LanyardFakeProvider *self,
                                                 gint64               seconds)
{
  self->access_token_lifetime = seconds;
}

void
lanyard_fake_provider_set_id_token_func (LanyardFakeProvider    *self,
                                         LanyardFakeIdTokenFunc  func,
                                         gpointer                user_data)
{
  self->id_token_func = func;
  self->id_token_data = user_data;
}

void
lanyard_fake_provider_set_request_func (LanyardFakeProvider    *self,
                                        LanyardFakeRequestFunc  func,
                                        gpointer                user_data)
{
  self->request_func = func;
  self->request_data = user_data;
}

void
lanyard_fake_provider_set_authorize_error (LanyardFakeProvider *self,
                                           const char          *error,
                                           const char          *description)
{
  g_free (self->authorize_error);
  g_free (self->authorize_error_description);
  self->authorize_error = g_strdup (error);
  self->authorize_error_description = g_strdup (description);
}

void
lanyard_fake_provider_set_send_iss (LanyardFakeProvider *self,
                                    gboolean             send_iss)
{
  self->send_iss = send_iss;
  json_object_set_boolean_member (self->discovery, "authorization_response_iss_parameter_supported",
                                  send_iss);
}

guint
lanyard_fake_provider_get_count (LanyardFakeProvider *self,
                                 LanyardFakeEndpoint  endpoint)
{
  return self->endpoints[endpoint].count;
}

guint
lanyard_fake_provider_get_grant_count (LanyardFakeProvider *self,
                                       const char          *grant_type)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->grant_counts, grant_type));
}

gboolean
lanyard_fake_provider_is_live_refresh_token (LanyardFakeProvider *self,
                                             const char          *token)
{
  return token != NULL && g_hash_table_contains (self->refresh_tokens, token);
}

void
lanyard_fake_provider_revoke_grants (LanyardFakeProvider *self)
{
  g_hash_table_remove_all (self->refresh_tokens);
}

gboolean
lanyard_fake_provider_was_revoked (LanyardFakeProvider *self,
                                   const char          *token)
{
  return token != NULL && g_hash_table_contains (self->revoked, token);
}

/* ---- the browser -------------------------------------------------------------- */

struct _LanyardFakeBrowser
{
  GObject                 parent_instance;

  LanyardFakeProvider    *fake;      /* not owned; must outlive the browser */
  LanyardFakeBrowserMode  mode;
  SoupSession            *session;
  GPtrArray              *uris;
  guint                   n_pending;
  guint                   page_status;
  char                   *page_body;
  guint16                 redirect_port;
};

static void lanyard_fake_browser_iface_init (LanyardBrowserInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanyardFakeBrowser, lanyard_fake_browser, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LANYARD_TYPE_BROWSER,
                                                      lanyard_fake_browser_iface_init))

static void
lanyard_fake_browser_finalize (GObject *object)
{
  LanyardFakeBrowser *self = LANYARD_FAKE_BROWSER (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->uris, g_ptr_array_unref);
  g_free (self->page_body);

  G_OBJECT_CLASS (lanyard_fake_browser_parent_class)->finalize (object);
}

static void
lanyard_fake_browser_class_init (LanyardFakeBrowserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lanyard_fake_browser_finalize;
}

static void
lanyard_fake_browser_init (LanyardFakeBrowser *self)
{
  self->session = soup_session_new_with_options ("timeout", 15, NULL);
  self->uris = g_ptr_array_new_with_free_func (g_free);
}

static void
page_received_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LanyardFakeBrowser) self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_free (self->page_body);
  if (body == NULL)
    {
      self->page_status = 1;
      self->page_body = g_strdup (error->message);
    }
  else
    {
      self->page_status = soup_message_get_status (msg);
      self->page_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }

  self->n_pending--;
}

static void
deliver (LanyardFakeBrowser *self,
         SoupMessage        *msg)
{
  self->n_pending++;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    page_received_cb, g_object_ref (self));
}

static void
authorize_answered_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(LanyardFakeBrowser) self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) next = NULL;
  const char *action = soup_message_headers_get_one (headers, "X-Lanyard-Form-Action");
  const char *location = soup_message_headers_get_one (headers, "Location");

  self->n_pending--;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      self->page_status = 1;
      g_free (self->page_body);
      self->page_body = g_strdup (error->message);
      return;
    }

  if (soup_message_get_status (msg) == SOUP_STATUS_FOUND && location != NULL)
    {
      next = soup_message_new (SOUP_METHOD_GET, location);
    }
  else if (soup_message_get_status (msg) == SOUP_STATUS_OK && action != NULL)
    {
      next = soup_message_new (SOUP_METHOD_POST, action);
      soup_message_set_request_body_from_bytes (next, "application/x-www-form-urlencoded", body);
    }
  else
    {
      /* The provider refused: a real user would read its page. */
      self->page_status = soup_message_get_status (msg);
      g_free (self->page_body);
      self->page_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      return;
    }

  g_assert_nonnull (next);
  deliver (self, next);
}

static void
fetch_and_forget_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LanyardFakeBrowser) self = user_data;
  g_autoptr(GBytes) body G_GNUC_UNUSED = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  self->n_pending--;
}

static void
lanyard_fake_browser_open_uri_async (LanyardBrowser      *browser,
                                     const char          *uri,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  LanyardFakeBrowser *self = LANYARD_FAKE_BROWSER (browser);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GUri) parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  gboolean is_authorize;

  g_task_set_check_cancellable (task, FALSE);
  g_assert_nonnull (parsed);

  /* Every request counts, even one a real browser would not act on. */
  g_ptr_array_add (self->uris, g_strdup (uri));

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                               "Opening the browser was cancelled");
      return;
    }

  if (self->mode == LANYARD_FAKE_BROWSER_FAIL)
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_BROWSER,
                               "No browser in this test");
      return;
    }

  is_authorize = g_str_has_suffix (g_uri_get_path (parsed), endpoint_paths[LANYARD_FAKE_AUTHORIZE]);
  if (self->fake != NULL)
    lanyard_fake_provider_log (self->fake, "browser:%s", g_uri_get_path (parsed));

  if (is_authorize && g_uri_get_query (parsed) != NULL)
    {
      g_autoptr(GHashTable) query = soup_form_decode (g_uri_get_query (parsed));
      g_autoptr(GUri) redirect = g_uri_parse (g_hash_table_lookup (query, "redirect_uri") ?: "",
                                              SOUP_HTTP_URI_FLAGS, NULL);

      self->redirect_port = redirect != NULL ? (guint16) g_uri_get_port (redirect) : 0;
    }

  if (self->mode == LANYARD_FAKE_BROWSER_COMPLETE)
    {
      msg = soup_message_new_from_uri (SOUP_METHOD_GET, parsed);
      self->n_pending++;
      if (is_authorize)
        {
          soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
          soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                            authorize_answered_cb, g_object_ref (self));
        }
      else
        {
          soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                            fetch_and_forget_cb, g_object_ref (self));
        }
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
lanyard_fake_browser_open_uri_finish (LanyardBrowser  *browser,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lanyard_fake_browser_iface_init (LanyardBrowserInterface *iface)
{
  iface->open_uri_async = lanyard_fake_browser_open_uri_async;
  iface->open_uri_finish = lanyard_fake_browser_open_uri_finish;
}

LanyardFakeBrowser *
lanyard_fake_browser_new (LanyardFakeProvider *fake)
{
  LanyardFakeBrowser *self = g_object_new (LANYARD_TYPE_FAKE_BROWSER, NULL);

  self->fake = fake;
  return self;
}

void
lanyard_fake_browser_set_mode (LanyardFakeBrowser     *self,
                               LanyardFakeBrowserMode  mode)
{
  self->mode = mode;
}

guint
lanyard_fake_browser_get_n_opened (LanyardFakeBrowser *self)
{
  return self->uris->len;
}

GPtrArray *
lanyard_fake_browser_get_uris (LanyardFakeBrowser *self)
{
  return self->uris;
}

const char *
lanyard_fake_browser_get_last_uri (LanyardFakeBrowser *self)
{
  return self->uris->len > 0 ? g_ptr_array_index (self->uris, self->uris->len - 1) : NULL;
}

guint
lanyard_fake_browser_get_n_pending (LanyardFakeBrowser *self)
{
  return self->n_pending;
}

void
lanyard_fake_browser_wait_idle (LanyardFakeBrowser *self)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, wait_timeout_cb, &timed_out);

  while (self->n_pending > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

guint
lanyard_fake_browser_get_page_status (LanyardFakeBrowser *self)
{
  return self->page_status;
}

const char *
lanyard_fake_browser_get_page_body (LanyardFakeBrowser *self)
{
  return self->page_body;
}

guint16
lanyard_fake_browser_get_redirect_port (LanyardFakeBrowser *self)
{
  return self->redirect_port;
}

/* ---- helpers ------------------------------------------------------------------ */

static char *
run_sh (const char *script,
        const char *arg)
{
  const char *argv[] = { "sh", "-c", script, "sh", arg, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("“%s” failed: %s: %s", script, error->message, err);

  return g_steal_pointer (&out);
}

void
lanyard_fake_clear_keyring (void)
{
  g_autofree char *out G_GNUC_UNUSED = run_sh ("secret-tool clear xdg:schema \"$1\" || true",
                                 LANYARD_ACCOUNT_SCHEMA_NAME);
}

guint
lanyard_fake_count_items (void)
{
  /* Only the item paths are kept: the secrets never leave this function. */
  g_autofree char *out = run_sh ("secret-tool search --all xdg:schema \"$1\" 2>&1 | grep -c '^\\[/' || true",
                                 LANYARD_ACCOUNT_SCHEMA_NAME);

  return (guint) g_ascii_strtoull (out, NULL, 10);
}

void
lanyard_fake_keyring_tool (const char *command)
{
  const char *tool = g_getenv ("LANYARD_TEST_KEYRING_TOOL");
  const char *argv[] = { tool, command, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_nonnull (tool);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("lanyard-test-keyring %s failed: %s: %s", command, error->message, err);
}

gboolean
lanyard_fake_port_is_closed (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (port, >, 0);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  if (connection != NULL)
    return FALSE;

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

void
lanyard_fake_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, wait_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- a world to test in ----------------------------------------------------- */

void
lanyard_fake_world_setup (LanyardFakeWorld *world)
{
  g_autoptr(GError) error = NULL;

  lanyard_fake_clear_keyring ();

  world->fake = lanyard_fake_provider_new ();
  world->browser = lanyard_fake_browser_new (world->fake);
  world->store = lanyard_account_store_new ();

  world->config = lanyard_config_new ();
  g_free (world->config->authority);
  world->config->authority = g_strdup (lanyard_fake_provider_get_issuer (world->fake));
  g_free (world->config->client_id);
  world->config->client_id = g_strdup (LANYARD_FAKE_CLIENT_ID);
  g_strfreev (world->config->scopes);
  world->config->scopes = lanyard_scopes_parse (LANYARD_DEFAULT_SCOPES);
  g_free (world->config->redirect_host);
  world->config->redirect_host = g_strdup ("127.0.0.1");
  world->config->redirect_port = 0;
  g_free (world->config->redirect_path);
  world->config->redirect_path = g_strdup ("/");
  world->config->timeout_seconds = 20;

  world->client = lanyard_client_new (world->config, world->store,
                                      LANYARD_BROWSER (world->browser), &error);
  g_assert_no_error (error);
  g_assert_nonnull (world->client);
}

LanyardClient *
lanyard_fake_world_new_client (LanyardFakeWorld *world)
{
  g_autoptr(GError) error = NULL;
  LanyardClient *client = lanyard_client_new (world->config, world->store,
                                              LANYARD_BROWSER (world->browser), &error);

  g_assert_no_error (error);
  return client;
}

void
lanyard_fake_world_teardown (LanyardFakeWorld *world)
{
  gboolean timed_out = FALSE;
  guint id;

  lanyard_fake_provider_release (world->fake);
  lanyard_fake_browser_wait_idle (world->browser);

  /* Every operation holds the client: it must go now, or something hangs. */
  g_object_add_weak_pointer (G_OBJECT (world->client), (gpointer *) &world->client);
  g_object_unref (world->client);
  id = g_timeout_add_seconds (10, wait_timeout_cb, &timed_out);
  while (world->client != NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_null (world->client);

  g_clear_object (&world->browser);
  g_clear_object (&world->store);
  g_clear_pointer (&world->config, lanyard_config_free);
  g_clear_pointer (&world->fake, lanyard_fake_provider_free);
}

void
lanyard_fake_set_http_timeout (LanyardClient *client,
                               guint          seconds)
{
  g_autoptr(GError) error = NULL;
  SoupSession *session = lanyard_client_get_session (client, &error);

  g_assert_no_error (error);
  soup_session_set_timeout (session, seconds);
}

LanyardAccount *
lanyard_fake_sign_in (LanyardClient  *client,
                      GCancellable   *cancellable,
                      GError        **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_client_sign_in_async (client, NULL, cancellable, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);

  return lanyard_client_sign_in_finish (client, result, error);
}

LanyardAccount *
lanyard_fake_silent (LanyardClient  *client,
                     const char     *account_id,
                     gboolean        force_refresh,
                     GError        **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_client_acquire_token_silent_async (client, account_id, NULL, force_refresh, NULL,
                                             lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);

  return lanyard_client_acquire_token_silent_finish (client, result, error);
}

LanyardSignOutResult *
lanyard_fake_sign_out (LanyardClient  *client,
                       const char     *account_id,
                       gboolean        open_browser,
                       GError        **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  lanyard_client_sign_out_async (client, account_id, open_browser, NULL,
                                 lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);

  return lanyard_client_sign_out_finish (client, result, error);
}

GPtrArray *
lanyard_fake_list_accounts (LanyardClient *client)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts;

  lanyard_client_list_accounts_async (client, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  accounts = lanyard_client_list_accounts_finish (client, result, &error);
  g_assert_no_error (error);

  return accounts;
}

LanyardAccount *
lanyard_fake_lookup_stored (const char *account_id)
{
  g_autoptr(LanyardAccountStore) store = lanyard_account_store_new ();
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LanyardAccount *account;

  lanyard_account_store_lookup_async (store, account_id, NULL, lanyard_test_store_result_cb, &slot);
  result = lanyard_test_wait_result (&slot);
  account = lanyard_account_store_lookup_finish (store, result, &error);
  if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND))
    return NULL;
  g_assert_no_error (error);

  return account;
}

void
lanyard_fake_provider_set_echo_scope (LanyardFakeProvider *self,
                                      gboolean             echo)
{
  self->echo_scope = echo;
}

void
lanyard_fake_provider_set_ungranted_scope (LanyardFakeProvider *self,
                                           const char          *scope)
{
  g_free (self->ungranted_scope);
  self->ungranted_scope = g_strdup (scope);
}

GPtrArray *
lanyard_fake_provider_get_refresh_scopes (LanyardFakeProvider *self)
{
  return self->refresh_scopes;
}

const char *
lanyard_fake_provider_get_access_token_scope (LanyardFakeProvider *self,
                                              const char          *access_token)
{
  return g_hash_table_lookup (self->token_scopes, access_token);
}
