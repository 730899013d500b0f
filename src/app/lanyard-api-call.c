/* lanyard-api-call.c — one call of an API with the account's token
 *
 * Copyright 2026 The Lanyard developers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-app"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "lanyard-api-call.h"
#include "lanyard-text.h"

/* What a person can read on a page: more is cut, and said to be. */
#define BODY_MAX_BYTES (1024 * 1024)
#define READ_CHUNK 65536
/* How much of an error answer goes into the sentence about it. */
#define EXCERPT_CHARS 200

G_DEFINE_ENUM_TYPE (LanyardApiCallState, lanyard_api_call_state,
                    G_DEFINE_ENUM_VALUE (LANYARD_API_CALL_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (LANYARD_API_CALL_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (LANYARD_API_CALL_ANSWERED, "answered"),
                    G_DEFINE_ENUM_VALUE (LANYARD_API_CALL_FAILED, "failed"))

/* ------------------------------------------------------------------ a field */

struct _LanyardApiField
{
  GObject  parent_instance;
  char    *name;
  char    *title;
  char    *value;
};

G_DEFINE_FINAL_TYPE (LanyardApiField, lanyard_api_field, G_TYPE_OBJECT)

static void
lanyard_api_field_finalize (GObject *object)
{
  LanyardApiField *self = LANYARD_API_FIELD (object);

  g_free (self->name);
  g_free (self->title);
  g_free (self->value);

  G_OBJECT_CLASS (lanyard_api_field_parent_class)->finalize (object);
}

static void
lanyard_api_field_class_init (LanyardApiFieldClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lanyard_api_field_finalize;
}

static void
lanyard_api_field_init (LanyardApiField *self)
{
}

const char *
lanyard_api_field_get_name (LanyardApiField *self)
{
  g_return_val_if_fail (LANYARD_IS_API_FIELD (self), NULL);
  return self->name;
}

const char *
lanyard_api_field_get_title (LanyardApiField *self)
{
  g_return_val_if_fail (LANYARD_IS_API_FIELD (self), NULL);
  return self->title;
}

const char *
lanyard_api_field_get_value (LanyardApiField *self)
{
  g_return_val_if_fail (LANYARD_IS_API_FIELD (self), NULL);
  return self->value;
}

/* ------------------------------------------------------------------ the call */

struct _LanyardApiCall
{
  GObject              parent_instance;

  LanyardApiCallKind   kind;
  LanyardApiCallState  state;
  char                *url;
  guint                status;
  char                *reason;
  guint                elapsed_ms;
  char                *body;
  GListStore          *fields;
  char                *error_text;
  char                *error_details;
  gboolean             needs_sign_in;
  char                *claims;

  GCancellable        *cancellable;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_URL,
  PROP_STATUS,
  PROP_ELAPSED_MS,
  PROP_BODY,
  PROP_ERROR_TEXT,
  PROP_ERROR_DETAILS,
  PROP_NEEDS_SIGN_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanyardApiCall, lanyard_api_call, G_TYPE_OBJECT)

/* One request in flight: what it needs until its answer is read. */
typedef struct {
  LanyardApiCall *self;
  LanyardClient  *client;
  char           *account_id;
  char          **scopes;
  SoupMessage    *msg;
  GInputStream   *stream;
  GByteArray     *bytes;
  gboolean        truncated;
  gint64          started;
  GCancellable   *cancellable;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->client);
  g_free (request->account_id);
  g_strfreev (request->scopes);
  g_clear_object (&request->msg);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->bytes, g_byte_array_unref);
  g_clear_object (&request->cancellable);
  g_free (request);
}

static void
forget_answer (LanyardApiCall *self)
{
  self->status = 0;
  g_clear_pointer (&self->reason, g_free);
  self->elapsed_ms = 0;
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->error_text, g_free);
  g_clear_pointer (&self->error_details, g_free);
  self->needs_sign_in = FALSE;
  g_clear_pointer (&self->claims, g_free);
  g_list_store_remove_all (self->fields);
}

/* Every property at once: a view redraws from the whole state. */
static void
set_state (LanyardApiCall      *self,
           LanyardApiCallState  state)
{
  g_object_freeze_notify (G_OBJECT (self));
  self->state = state;
  for (guint i = PROP_STATE; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  return g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : url);
}

/* Text for a person: line by line cleaned of controls and bidi overrides
 * (lanyard_clean_text would fold the lines into one). */
static char *
clean_lines (const char *text,
             gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (text, len);
  g_auto(GStrv) lines = g_strsplit (valid, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = lanyard_clean_text (lines[i]);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, g_strchomp (line));
    }

  return g_string_free (out, FALSE);
}

/* A member's value on one line: strings as they are (cleaned), lists of
 * strings joined, anything else as compact JSON. */
static char *
value_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return lanyard_clean_text (json_node_get_string (node));

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;
      gboolean all_strings = TRUE;

      for (guint i = 0; i < json_array_get_length (array) && all_strings; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          all_strings = JSON_NODE_HOLDS_VALUE (element) &&
                        json_node_get_value_type (element) == G_TYPE_STRING;
          if (all_strings)
            {
              g_autofree char *clean = lanyard_clean_text (json_node_get_string (element));

              g_strv_builder_add (parts, clean);
            }
        }

      if (all_strings)
        {
          strv = g_strv_builder_end (parts);
          return g_strjoinv (", ", strv);
        }
    }

  return lanyard_output_json (node, FALSE);
}

/* Microsoft Graph's user, the fields a person knows, in the order an
 * address book shows them. */
static const struct {
  const char *name;
  const char *title;
} graph_fields[] = {
  { "displayName", N_("Name") },
  { "givenName", N_("First Name") },
  { "surname", N_("Last Name") },
  { "mail", N_("Email") },
  { "userPrincipalName", N_("User Principal Name") },
  { "jobTitle", N_("Job Title") },
  { "department", N_("Department") },
  { "officeLocation", N_("Office") },
  { "businessPhones", N_("Business Phone") },
  { "mobilePhone", N_("Mobile Phone") },
  { "preferredLanguage", N_("Preferred Language") },
  { "id", N_("Object ID") },
};

static void
add_field (LanyardApiCall *self,
           const char     *name,
           const char     *title,
           JsonNode       *node)
{
  g_autoptr(LanyardApiField) field = NULL;

  /* An empty field says nothing: Graph sends null for what is not set. */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
    return;

  field = g_object_new (LANYARD_TYPE_API_FIELD, NULL);
  field->name = lanyard_clean_text (name);
  field->title = g_strdup (title);
  field->value = value_text (node);
  g_list_store_append (self->fields, field);
}

static void
fill_fields (LanyardApiCall *self,
             JsonObject     *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  if (self->kind == LANYARD_API_CALL_KIND_GRAPH_ME)
    for (guint i = 0; i < G_N_ELEMENTS (graph_fields); i++)
      add_field (self, graph_fields[i].name, _(graph_fields[i].title),
                 json_object_get_member (object, graph_fields[i].name));

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean known = FALSE;

      /* OData's bookkeeping is not about the person. */
      if (self->kind == LANYARD_API_CALL_KIND_GRAPH_ME)
        {
          if (g_str_has_prefix (name, "@odata."))
            continue;
          for (guint i = 0; i < G_N_ELEMENTS (graph_fields) && !known; i++)
            known = g_str_equal (name, graph_fields[i].name);
          if (known)
            continue;
        }

      add_field (self, name, NULL, json_object_get_member (object, name));
    }
}

/* What an error answer says about itself: Graph's error.message, OAuth's
 * error_description or error, else the start of the body. */
static char *
excerpt_of (JsonNode   *root,
            const char *body)
{
  g_autofree char *text = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *error = json_object_get_member (object, "error");
      const char *found = NULL;

      if (error != NULL && JSON_NODE_HOLDS_OBJECT (error) &&
          json_object_has_member (json_node_get_object (error), "message"))
        found = json_object_get_string_member_with_default (json_node_get_object (error), "message", NULL);
      if (found == NULL)
        found = json_object_get_string_member_with_default (object, "error_description", NULL);
      if (found == NULL && error != NULL && JSON_NODE_HOLDS_VALUE (error) &&
          json_node_get_value_type (error) == G_TYPE_STRING)
        found = json_node_get_string (error);
      if (found != NULL)
        return lanyard_clean_text (found);
    }

  /* JSON of another shape: on one line, as the API wrote it. */
  if (root != NULL)
    text = lanyard_output_json (root, FALSE);
  else if (body != NULL && *body != '\0')
    text = lanyard_clean_text (body);
  else
    return NULL;

  if (g_utf8_strlen (text, -1) > EXCERPT_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, EXCERPT_CHARS);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&text);
}

static char *
status_error_text (guint       status,
                   const char *reason,
                   const char *host,
                   const char *excerpt)
{
  g_autofree char *code = g_strdup_printf ("HTTP %u%s%s", status, reason && *reason ? " " : "",
                                           reason ? reason : "");
  g_autofree char *sentence = NULL;

  if (status == SOUP_STATUS_UNAUTHORIZED)
    /* Translators: %s is a host name, then "HTTP 401 Unauthorized" */
    sentence = g_strdup_printf (_("%s did not accept the access token (%s)"), host, code);
  else if (status == SOUP_STATUS_FORBIDDEN)
    /* Translators: %s is a host name, then "HTTP 403 Forbidden" */
    sentence = g_strdup_printf (_("%s refused access (%s): the account may lack a permission or role the API asks for"),
                                host, code);
  else if (status == SOUP_STATUS_NOT_FOUND)
    sentence = g_strdup_printf (_("%s has nothing at this address (%s)"), host, code);
  else if (status >= 500)
    sentence = g_strdup_printf (_("%s could not answer (%s): the problem is on its side"), host, code);
  else
    sentence = g_strdup_printf (_("%s did not accept the request (%s)"), host, code);

  if (excerpt == NULL)
    return g_steal_pointer (&sentence);

  /* Translators: a sentence about an error, then the API's own words */
  return g_strdup_printf (_("%s. It says: “%s”"), sentence, excerpt);
}

static void
finish_answer (Request *request)
{
  LanyardApiCall *self = request->self;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  g_autofree char *host = host_of (self->url);
  const char *data = (const char *) request->bytes->data;
  gsize len = request->bytes->len;
  gboolean ok;

  self->elapsed_ms = (g_get_monotonic_time () - request->started) / 1000;
  self->status = soup_message_get_status (request->msg);
  self->reason = lanyard_clean_text (soup_message_get_reason_phrase (request->msg));
  ok = SOUP_STATUS_IS_SUCCESSFUL (self->status);

  if (!request->truncated && len > 0 && json_parser_load_from_data (parser, data, len, NULL))
    root = json_parser_get_root (parser);

  if (root != NULL)
    self->body = lanyard_output_json (root, TRUE);
  else if (len > 0)
    self->body = clean_lines (data, len);
  else
    self->body = g_strdup ("");

  if (request->truncated)
    {
      g_autofree char *shown = g_format_size (BODY_MAX_BYTES);
      g_autofree char *body = g_steal_pointer (&self->body);

      /* Translators: %s is a size such as "1.0 MB" */
      self->body = g_strdup_printf (_("%s\n\n(The answer is longer: only its first %s is shown.)"),
                                    body, shown);
    }

  if (!ok)
    {
      g_autofree char *excerpt = excerpt_of (root, self->body);

      self->error_text = status_error_text (self->status, self->reason, host, excerpt);
    }
  else if (self->kind != LANYARD_API_CALL_KIND_RAW)
    {
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        fill_fields (self, json_node_get_object (root));
      else
        self->error_text = g_strdup_printf (_("%s answered, but not with the JSON object Lanyard expects"),
                                            host);
    }

  g_debug ("API call: %s answered %u in %u ms", host, self->status, self->elapsed_ms);
  set_state (self, LANYARD_API_CALL_ANSWERED);
}

/* The text in the parentheses that end @message, NULL when it ends otherwise. */
static char *
last_parenthesis (const char *message)
{
  gsize len = strlen (message);
  int depth = 0;

  if (len < 2 || message[len - 1] != ')')
    return NULL;

  for (gsize i = len; i-- > 0; )
    {
      if (message[i] == ')')
        depth++;
      else if (message[i] == '(' && --depth == 0)
        return g_strndup (message + i + 1, len - i - 2);
    }

  return NULL;
}

/* The provider's words at the end of the core's sentence about scopes never
 * granted: "… (EXPLANATION (the provider says “CODE: DESCRIPTION”))" in every
 * language. The explanation is the core's and says to check the settings,
 * which is wrong here: only the innermost part is kept, capitalized. */
static char *
provider_words (const char *message)
{
  g_autofree char *words = g_strdup (message);
  g_autofree char *clean = NULL;
  char *inner;

  while ((inner = last_parenthesis (words)) != NULL)
    {
      g_free (words);
      words = inner;
    }

  clean = lanyard_clean_text (words);
  if (*clean == '\0')
    return g_strdup (message);

  return g_strdup_printf ("%C%s", g_unichar_toupper (g_utf8_get_char (clean)),
                          g_utf8_next_char (clean));
}

/* As the core tells scopes never consented from a session that ended: by the
 * provider's code, which its message quotes verbatim. */
static gboolean
is_consent_error (const GError *error)
{
  return strstr (error->message, "invalid_scope") != NULL ||
         strstr (error->message, "consent_required") != NULL ||
         strstr (error->message, "65001") != NULL;
}

static void
fail (Request      *request,
      const GError *error,
      const char   *claims)
{
  LanyardApiCall *self = request->self;

  self->elapsed_ms = (g_get_monotonic_time () - request->started) / 1000;

  if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED))
    {
      guint n_scopes = request->scopes ? g_strv_length (request->scopes) : 0;

      /* Scopes never granted, the session ended, or a claims challenge (a
       * sign-in that asks for those claims): only a sign-in helps. */
      self->needs_sign_in = TRUE;
      self->claims = g_strdup (claims);
      if (claims != NULL)
        self->error_text = g_strdup (_("The API asks you to sign in again, for example with another "
                                       "authentication method, before it answers"));
      else if (n_scopes > 0 && is_consent_error (error))
        {
          g_autofree char *joined = g_strjoinv (", ", request->scopes);
          g_autofree char *clean = lanyard_clean_text (joined);

          /* A short sentence next to the button; the provider's own words
           * (its code, its description) go below it. Its answer does not
           * say which of several scopes it refused: "all of" them. */
          self->error_details = provider_words (error->message);
          /* Translators: next to a Sign In Again button; %s is a list of
           * scopes such as “api://contoso/read, User.Read” */
          self->error_text = g_strdup_printf (ngettext ("This account has not granted %s yet: sign in again to grant it",
                                                        "This account has not granted all of %s yet: sign in again to grant them",
                                                        n_scopes),
                                              clean);
        }
      else
        self->error_text = lanyard_clean_text (error->message);
    }
  else
    self->error_text = lanyard_error_to_text (error);

  g_debug ("API call failed: %s", self->error_text);
  if (self->error_details != NULL)
    g_debug ("API call failed, details: %s", self->error_details);
  set_state (self, LANYARD_API_CALL_FAILED);
}

static void read_more (Request *request);

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *request = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  if (!g_cancellable_is_cancelled (request->cancellable))
    finish_answer (request);
  request_free (request);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GError) error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      if (!lanyard_error_is_cancelled (error))
        fail (request, error, NULL);
      request_free (request);
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      gsize room = BODY_MAX_BYTES - request->bytes->len;
      gsize size = g_bytes_get_size (chunk);

      g_byte_array_append (request->bytes, g_bytes_get_data (chunk, NULL), MIN (size, room));
      request->truncated = size > room;
      if (!request->truncated)
        {
          read_more (request);
          return;
        }
    }

  /* The end, or enough: what is left of a long answer is not read. */
  g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, closed_cb, request);
}

static void
read_more (Request *request)
{
  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   request->cancellable, read_cb, request);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;

  request->stream = lanyard_client_send_authorized_finish (LANYARD_CLIENT (source), result, &error);
  if (request->stream == NULL)
    {
      if (!lanyard_error_is_cancelled (error))
        fail (request, error, lanyard_client_send_authorized_get_claims (result));
      request_free (request);
      return;
    }

  request->bytes = g_byte_array_new ();
  read_more (request);
}

static void
send (Request *request)
{
  SoupMessage *msg;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (request->self->url, SOUP_HTTP_URI_FLAGS, &error);

  if (uri == NULL)
    {
      g_autoptr(GError) words = g_error_new (LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                                             _("“%s” is not a URL: %s"), request->self->url,
                                             error->message);

      fail (request, words, NULL);
      request_free (request);
      return;
    }

  msg = request->msg = soup_message_new_from_uri ("GET", uri);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Accept", "application/json");
  lanyard_client_send_authorized_async (request->client, request->account_id,
                                        (const char * const *) request->scopes, msg,
                                        G_PRIORITY_DEFAULT, request->cancellable,
                                        sent_cb, request);
}

static void
userinfo_endpoint_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;

  endpoint = lanyard_client_get_userinfo_endpoint_finish (LANYARD_CLIENT (source), result, &error);
  if (endpoint == NULL)
    {
      if (!lanyard_error_is_cancelled (error))
        fail (request, error, NULL);
      request_free (request);
      return;
    }

  if (g_cancellable_is_cancelled (request->cancellable))
    {
      request_free (request);
      return;
    }

  g_free (request->self->url);
  request->self->url = g_steal_pointer (&endpoint);
  g_object_notify_by_pspec (G_OBJECT (request->self), properties[PROP_URL]);
  send (request);
}

void
lanyard_api_call_start (LanyardApiCall     *self,
                        LanyardClient      *client,
                        const char         *account_id,
                        const char         *url,
                        const char * const *scopes)
{
  Request *request;

  g_return_if_fail (LANYARD_IS_API_CALL (self));
  g_return_if_fail (LANYARD_IS_CLIENT (client));
  g_return_if_fail (url != NULL || self->kind == LANYARD_API_CALL_KIND_USERINFO);

  lanyard_api_call_cancel (self);
  forget_answer (self);
  self->cancellable = g_cancellable_new ();
  if (url != NULL || self->kind != LANYARD_API_CALL_KIND_USERINFO)
    {
      g_free (self->url);
      self->url = g_strdup (url);
    }

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->client = g_object_ref (client);
  request->account_id = g_strdup (account_id);
  request->scopes = scopes ? g_strdupv ((char **) scopes) : NULL;
  request->cancellable = g_object_ref (self->cancellable);
  request->started = g_get_monotonic_time ();

  set_state (self, LANYARD_API_CALL_RUNNING);

  if (url == NULL)
    lanyard_client_get_userinfo_endpoint_async (client, request->cancellable,
                                                userinfo_endpoint_cb, request);
  else
    send (request);
}

void
lanyard_api_call_cancel (LanyardApiCall *self)
{
  g_return_if_fail (LANYARD_IS_API_CALL (self));

  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->state == LANYARD_API_CALL_RUNNING)
    set_state (self, LANYARD_API_CALL_IDLE);
}

void
lanyard_api_call_reset (LanyardApiCall *self)
{
  g_return_if_fail (LANYARD_IS_API_CALL (self));

  lanyard_api_call_cancel (self);
  forget_answer (self);
  set_state (self, LANYARD_API_CALL_IDLE);
}

char *
lanyard_api_call_format_elapsed (guint elapsed_ms)
{
  if (elapsed_ms < 1000)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%u ms"), elapsed_ms);

  /* Translators: a duration in seconds, with one decimal */
  return g_strdup_printf (_("%.1f s"), elapsed_ms / 1000.0);
}

LanyardApiCallKind
lanyard_api_call_get_kind (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), LANYARD_API_CALL_KIND_RAW);
  return self->kind;
}

LanyardApiCallState
lanyard_api_call_get_state (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), LANYARD_API_CALL_IDLE);
  return self->state;
}

const char *
lanyard_api_call_get_url (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), NULL);
  return self->url;
}

guint
lanyard_api_call_get_status (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), 0);
  return self->status;
}

const char *
lanyard_api_call_get_reason (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), NULL);
  return self->reason;
}

guint
lanyard_api_call_get_elapsed_ms (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), 0);
  return self->elapsed_ms;
}

const char *
lanyard_api_call_get_body (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), NULL);
  return self->body;
}

GListModel *
lanyard_api_call_get_fields (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), NULL);
  return G_LIST_MODEL (self->fields);
}

const char *
lanyard_api_call_get_error_text (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), NULL);
  return self->error_text;
}

const char *
lanyard_api_call_get_error_details (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), NULL);
  return self->error_details;
}

gboolean
lanyard_api_call_get_needs_sign_in (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), FALSE);
  return self->needs_sign_in;
}

const char *
lanyard_api_call_get_claims (LanyardApiCall *self)
{
  g_return_val_if_fail (LANYARD_IS_API_CALL (self), NULL);
  return self->claims;
}

/* ------------------------------------------------------------------ GObject */

static void
lanyard_api_call_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LanyardApiCall *self = LANYARD_API_CALL (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_ELAPSED_MS:
      g_value_set_uint (value, self->elapsed_ms);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_ERROR_TEXT:
      g_value_set_string (value, self->error_text);
      break;

    case PROP_ERROR_DETAILS:
      g_value_set_string (value, self->error_details);
      break;
    case PROP_NEEDS_SIGN_IN:
      g_value_set_boolean (value, self->needs_sign_in);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_api_call_dispose (GObject *object)
{
  LanyardApiCall *self = LANYARD_API_CALL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lanyard_api_call_parent_class)->dispose (object);
}

static void
lanyard_api_call_finalize (GObject *object)
{
  LanyardApiCall *self = LANYARD_API_CALL (object);

  forget_answer (self);
  g_clear_object (&self->fields);
  g_free (self->url);

  G_OBJECT_CLASS (lanyard_api_call_parent_class)->finalize (object);
}

static void
lanyard_api_call_class_init (LanyardApiCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = lanyard_api_call_get_property;
  object_class->dispose = lanyard_api_call_dispose;
  object_class->finalize = lanyard_api_call_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LANYARD_TYPE_API_CALL_STATE, LANYARD_API_CALL_IDLE, ro);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_uint ("status", NULL, NULL, 0, 999, 0, ro);
  properties[PROP_ELAPSED_MS] = g_param_spec_uint ("elapsed-ms", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, ro);
  properties[PROP_ERROR_TEXT] = g_param_spec_string ("error-text", NULL, NULL, NULL, ro);
  properties[PROP_ERROR_DETAILS] = g_param_spec_string ("error-details", NULL, NULL, NULL, ro);
  properties[PROP_NEEDS_SIGN_IN] = g_param_spec_boolean ("needs-sign-in", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lanyard_api_call_init (LanyardApiCall *self)
{
  self->fields = g_list_store_new (LANYARD_TYPE_API_FIELD);
}

LanyardApiCall *
lanyard_api_call_new (LanyardApiCallKind kind)
{
  LanyardApiCall *self = g_object_new (LANYARD_TYPE_API_CALL, NULL);

  self->kind = kind;

  return self;
}
