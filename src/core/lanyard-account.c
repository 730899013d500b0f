/* lanyard-account.c — a signed-in account: who, and its tokens
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-account"

#include "config.h"

#include <string.h>

#include "lanyard-i18n-private.h"
#include "lanyard-account.h"
#include "lanyard-authority.h"
#include "lanyard-error.h"
#include "lanyard-json.h"

/* 32 hex digits = 128 bits of SHA-256: collision-free for any realistic
 * number of accounts, and short enough to type after --account. */
#define HASHED_ID_HEX_LEN 32

struct _LanyardAccount
{
  GObject     parent_instance;

  char       *id;
  char       *username;
  char       *display_name;
  char       *login_hint;
  char       *issuer;
  char       *authority;
  char       *client_id;
  JsonObject *claims;
  gint64      signed_in_at;

  char       *id_token;
  char       *refresh_token;
  /* LanyardAccessToken, oldest first: one per resource / scope set. */
  GPtrArray  *access_tokens;
  gboolean    entra;

  /* How the provider was reached (#10): used when no flag says otherwise. */
  char       *ca_file;
  char       *redirect_host;
  guint       redirect_port;
  char       *redirect_path;

  GError     *storage_error;   /* why session-only, NULL when unknown or kept */
  guint       session_only : 1;
};

/**
 * LANYARD_ACCOUNT_JSON_VERSION:
 *
 * The version of the JSON form an account is stored in.
 */
/**
 * LanyardAccount:
 *
 * A signed-in account: who it is (from the validated ID token's claims)
 * and its tokens.
 *
 * Accounts come from a #LanyardClient (sign-in, silent token, the account
 * list); an application reads them and never builds one itself. Its
 * properties are read-only and notify when a refresh brings new claims.
 */
G_DEFINE_FINAL_TYPE (LanyardAccount, lanyard_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USERNAME,
  PROP_DISPLAY_NAME,
  PROP_LOGIN_HINT,
  PROP_ISSUER,
  PROP_AUTHORITY,
  PROP_CLIENT_ID,
  PROP_SIGNED_IN_AT,
  PROP_ACCESS_TOKEN_EXPIRES_AT,
  PROP_SESSION_ONLY,
  PROP_STORAGE_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Tokens are wiped before their memory goes back to the allocator, so they do
 * not linger in freed heap that a later crash dump could contain. */
static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
replace_secret (char       **secret,
                const char  *value)
{
  clear_secret (secret);
  *secret = g_strdup (value);
}

/* json-glib's json_node_copy () shares the children of objects and arrays;
 * the account keeps claims of its own that the caller cannot change. */
static JsonNode *
deep_copy_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(JsonObject) copy = json_object_new ();
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, object);
        while (json_object_iter_next (&iter, &name, &member))
          json_object_set_member (copy, name, deep_copy_node (member));

        return json_node_init_object (json_node_alloc (), copy);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (copy, deep_copy_node (json_array_get_element (array, i)));

        return json_node_init_array (json_node_alloc (), copy);
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

static JsonObject *
deep_copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = deep_copy_node (node);

  return json_object_ref (json_node_get_object (copy));
}

static const char *
get_nonempty_string (JsonObject *object,
                     const char *member)
{
  const char *value = lanyard_json_get_string (object, member);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* Entra's oid and tid are GUIDs; anything else (or a '.') would make
 * "<oid>.<tid>" ambiguous, so such claims fall back to the hash. */
static gboolean
is_plain_id (const char *value)
{
  if (value == NULL || value[0] == '\0')
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }

  return TRUE;
}

static char *
compute_id (JsonObject  *claims,
            GError     **error)
{
  const char *oid = lanyard_json_get_string (claims, "oid");
  const char *tid = lanyard_json_get_string (claims, "tid");
  const char *iss = get_nonempty_string (claims, "iss");
  const char *sub = get_nonempty_string (claims, "sub");
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree char *hex = NULL;

  /* sub is pairwise per application in Entra; oid + tid name the user. */
  if (is_plain_id (oid) && is_plain_id (tid))
    return g_strdup_printf ("%s.%s", oid, tid);

  if (iss == NULL || sub == NULL)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("The ID token has no %s claim, so the account cannot be identified"),
                   iss == NULL ? "iss" : "sub");
      return NULL;
    }

  /* The newline cannot occur in either value, so no two (iss, sub) pairs
   * hash the same input. */
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) iss, strlen (iss));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) sub, strlen (sub));
  hex = g_strndup (g_checksum_get_string (checksum), HASHED_ID_HEX_LEN);

  return g_strconcat ("sha256:", hex, NULL);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* Takes @claims (already a private copy) and derives what is shown from it. */
static void
apply_claims (LanyardAccount *self,
              JsonObject     *claims)
{
  const char *username;
  const char *display_name;

  g_assert (claims != NULL);

  g_clear_pointer (&self->claims, json_object_unref);
  self->claims = claims;

  username = get_nonempty_string (claims, "preferred_username");
  if (username == NULL)
    username = get_nonempty_string (claims, "email");
  if (username == NULL)
    username = get_nonempty_string (claims, "upn");
  if (username == NULL)
    username = get_nonempty_string (claims, "sub");

  display_name = get_nonempty_string (claims, "name");
  if (display_name == NULL)
    display_name = username;

  if (set_string (&self->username, username))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
  if (set_string (&self->display_name, display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
  if (set_string (&self->login_hint, get_nonempty_string (claims, "login_hint")))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGIN_HINT]);
  if (set_string (&self->issuer, get_nonempty_string (claims, "iss")))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ISSUER]);
}

static void
lanyard_account_finalize (GObject *object)
{
  LanyardAccount *self = (LanyardAccount *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->login_hint, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->authority, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->claims, json_object_unref);
  g_clear_error (&self->storage_error);
  g_clear_pointer (&self->access_tokens, g_ptr_array_unref);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->redirect_host, g_free);
  g_clear_pointer (&self->redirect_path, g_free);
  clear_secret (&self->id_token);
  clear_secret (&self->refresh_token);

  G_OBJECT_CLASS (lanyard_account_parent_class)->finalize (object);
}

static void
lanyard_account_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LanyardAccount *self = LANYARD_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_LOGIN_HINT:
      g_value_set_string (value, self->login_hint);
      break;

    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;

    case PROP_AUTHORITY:
      g_value_set_string (value, self->authority);
      break;

    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;

    case PROP_SIGNED_IN_AT:
      g_value_set_int64 (value, self->signed_in_at);
      break;

    case PROP_ACCESS_TOKEN_EXPIRES_AT:
      g_value_set_int64 (value, lanyard_account_get_access_token_expires_at (self));
      break;

    case PROP_SESSION_ONLY:
      g_value_set_boolean (value, self->session_only);
      break;

    case PROP_STORAGE_ERROR:
      g_value_set_boxed (value, self->storage_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_account_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LanyardAccount *self = LANYARD_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SESSION_ONLY:
      lanyard_account_set_session_only (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_account_class_init (LanyardAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lanyard_account_finalize;
  object_class->get_property = lanyard_account_get_property;
  object_class->set_property = lanyard_account_set_property;

  /**
   * LanyardAccount:id:
   *
   * The account's stable id, see lanyard_account_get_id().
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:username:
   *
   * The user name, see lanyard_account_get_username().
   */
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:display-name:
   *
   * The name to show, see lanyard_account_get_display_name().
   */
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:login-hint:
   *
   * The `login_hint` claim, or %NULL.
   */
  properties[PROP_LOGIN_HINT] =
    g_param_spec_string ("login-hint", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:issuer:
   *
   * The `iss` claim of the ID token.
   */
  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:authority:
   *
   * The normalised authority URL the account signed in to.
   */
  properties[PROP_AUTHORITY] =
    g_param_spec_string ("authority", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:client-id:
   *
   * The client id the account signed in with.
   */
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:signed-in-at:
   *
   * When the account signed in (Unix seconds).
   */
  properties[PROP_SIGNED_IN_AT] =
    g_param_spec_int64 ("signed-in-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:access-token-expires-at:
   *
   * When the access token expires (Unix seconds, 0 = unknown).
   */
  properties[PROP_ACCESS_TOKEN_EXPIRES_AT] =
    g_param_spec_int64 ("access-token-expires-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:session-only:
   *
   * Whether the account lives only in memory (the keyring could not take it).
   */
  properties[PROP_SESSION_ONLY] =
    g_param_spec_boolean ("session-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * LanyardAccount:storage-error:
   *
   * Why the account is kept for this session only:
   * %LANYARD_ERROR_KEYRING_LOCKED or %LANYARD_ERROR_KEYRING_UNAVAILABLE;
   * %NULL when it is in the keyring.
   */
  properties[PROP_STORAGE_ERROR] =
    g_param_spec_boxed ("storage-error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lanyard_account_init (LanyardAccount *self)
{
  self->access_tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) lanyard_access_token_unref);
}

static gboolean
authority_is_entra (const char *authority)
{
  g_autoptr(LanyardAuthority) parsed = lanyard_authority_parse (authority, NULL);

  return parsed != NULL && lanyard_authority_is_entra (parsed);
}

LanyardAccount *
lanyard_account_new_from_claims (JsonObject  *claims,
                                 const char  *authority,
                                 const char  *client_id,
                                 GError     **error)
{
  g_autoptr(LanyardAccount) self = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (claims != NULL, NULL);
  g_return_val_if_fail (authority != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(id = compute_id (claims, error)))
    return NULL;

  self = g_object_new (LANYARD_TYPE_ACCOUNT, NULL);
  self->id = g_steal_pointer (&id);
  self->authority = g_strdup (authority);
  self->client_id = g_strdup (client_id);
  self->entra = authority_is_entra (authority);
  self->signed_in_at = g_get_real_time () / G_USEC_PER_SEC;
  apply_claims (self, deep_copy_object (claims));

  return g_steal_pointer (&self);
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

char *
lanyard_account_to_json (LanyardAccount *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) claims = NULL;

  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, LANYARD_ACCOUNT_JSON_VERSION);
  add_optional_string (builder, "id", self->id);
  add_optional_string (builder, "authority", self->authority);
  add_optional_string (builder, "client_id", self->client_id);

  claims = json_node_init_object (json_node_alloc (), self->claims);
  json_builder_set_member_name (builder, "claims");
  json_builder_add_value (builder, g_steal_pointer (&claims));

  add_optional_string (builder, "id_token", self->id_token);
  add_optional_string (builder, "refresh_token", self->refresh_token);

  json_builder_set_member_name (builder, "access_tokens");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->access_tokens->len; i++)
    {
      LanyardAccessToken *token = g_ptr_array_index (self->access_tokens, i);
      const char * const *scopes = lanyard_access_token_get_scopes (token);

      json_builder_begin_object (builder);
      add_optional_string (builder, "token", lanyard_access_token_get_token (token));
      add_optional_string (builder, "token_type", lanyard_access_token_get_token_type (token));
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_int_value (builder, lanyard_access_token_get_expires_at (token));
      json_builder_set_member_name (builder, "scopes");
      json_builder_begin_array (builder);
      for (guint j = 0; scopes[j] != NULL; j++)
        json_builder_add_string_value (builder, scopes[j]);
      json_builder_end_array (builder);
      add_optional_string (builder, "requested", lanyard_access_token_get_request_key (token));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_optional_string (builder, "ca_file", self->ca_file);
  if (self->redirect_host != NULL || self->redirect_port != 0 || self->redirect_path != NULL)
    {
      json_builder_set_member_name (builder, "redirect");
      json_builder_begin_object (builder);
      add_optional_string (builder, "host", self->redirect_host);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, self->redirect_port);
      add_optional_string (builder, "path", self->redirect_path);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "signed_in_at");
  json_builder_add_int_value (builder, self->signed_in_at);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return lanyard_json_to_string (root);
}

/* A stored account is ours, so anything unexpected in it means the item was
 * damaged or written by someone else: say which member, never its value. */
static gboolean
corrupt (GError     **error,
         const char  *member)
{
  g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
               _("The stored account is damaged: “%s” is missing or has the wrong type"),
               member);
  return FALSE;
}

static gboolean
read_optional_string (JsonObject  *object,
                      const char  *member,
                      char       **out,
                      GError     **error)
{
  if (!json_object_has_member (object, member))
    return TRUE;

  if (lanyard_json_get_string (object, member) == NULL)
    return corrupt (error, member);

  *out = g_strdup (lanyard_json_get_string (object, member));
  return TRUE;
}

static gboolean
read_required_string (JsonObject  *object,
                      const char  *member,
                      char       **out,
                      GError     **error)
{
  const char *value = lanyard_json_get_string (object, member);

  if (value == NULL || value[0] == '\0')
    return corrupt (error, member);

  *out = g_strdup (value);
  return TRUE;
}

static gboolean
read_time (JsonObject  *object,
           const char  *member,
           gboolean     required,
           gint64      *out,
           GError     **error)
{
  gint64 value = 0;

  if (!required && !json_object_has_member (object, member))
    return TRUE;

  if (!lanyard_json_get_int (object, member, &value) || value < 0)
    return corrupt (error, member);

  *out = value;
  return TRUE;
}

static gboolean
read_string_array (JsonObject   *object,
                   const char   *member,
                   char       ***out,
                   GError      **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return corrupt (error, member);

  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        return corrupt (error, member);

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* Version 1 held one access token: it becomes the first of the cache. */
static gboolean
read_version_1_token (LanyardAccount  *self,
                      JsonObject      *root,
                      GError         **error)
{
  g_autofree char *token = NULL;
  g_auto(GStrv) scopes = NULL;
  gint64 expires_at = 0;

  if (!read_optional_string (root, "access_token", &token, error) ||
      !read_time (root, "access_token_expires_at", FALSE, &expires_at, error) ||
      !read_string_array (root, "scopes", &scopes, error))
    return FALSE;

  /* An empty token is none: version 2 refuses an empty one, so keeping it
   * would save an account that cannot be read back. */
  if (token != NULL && token[0] != '\0')
    {
      g_ptr_array_add (self->access_tokens,
                       lanyard_access_token_new (token, "Bearer", expires_at,
                                                 (const char * const *) scopes,
                                                 (const char * const *) scopes));
      explicit_bzero (token, strlen (token));
    }

  return TRUE;
}

static gboolean
read_access_tokens (LanyardAccount  *self,
                    JsonObject      *root,
                    GError         **error)
{
  JsonNode *node = json_object_get_member (root, "access_tokens");
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return corrupt (error, "access_tokens");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      g_autofree char *token = NULL;
      g_autofree char *token_type = NULL;
      g_autofree char *requested = NULL;
      g_auto(GStrv) scopes = NULL;
      g_auto(GStrv) requested_scopes = NULL;
      gint64 expires_at = 0;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return corrupt (error, "access_tokens");
      object = json_node_get_object (element);

      if (!read_required_string (object, "token", &token, error) ||
          !read_optional_string (object, "token_type", &token_type, error) ||
          !read_optional_string (object, "requested", &requested, error) ||
          !read_time (object, "expires_at", TRUE, &expires_at, error) ||
          !read_string_array (object, "scopes", &scopes, error))
        {
          if (token != NULL)
            explicit_bzero (token, strlen (token));
          return FALSE;
        }

      requested_scopes = g_strsplit (requested != NULL ? requested : "", " ", -1);
      g_ptr_array_add (self->access_tokens,
                       lanyard_access_token_new (token, token_type, expires_at,
                                                 (const char * const *) scopes,
                                                 (const char * const *) requested_scopes));
      explicit_bzero (token, strlen (token));
    }

  return TRUE;
}

static gboolean
read_redirect (LanyardAccount  *self,
               JsonObject      *root,
               GError         **error)
{
  JsonNode *node = json_object_get_member (root, "redirect");
  JsonObject *object;
  gint64 port = 0;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return corrupt (error, "redirect");

  object = json_node_get_object (node);
  if (json_object_has_member (object, "port") &&
      (!lanyard_json_get_int (object, "port", &port) || port < 0 || port > G_MAXUINT16))
    return corrupt (error, "redirect");
  self->redirect_port = port;

  return read_optional_string (object, "host", &self->redirect_host, error) &&
         read_optional_string (object, "path", &self->redirect_path, error);
}

LanyardAccount *
lanyard_account_new_from_json (const char  *json,
                               GError     **error)
{
  g_autoptr(LanyardAccount) self = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autofree char *computed_id = NULL;
  JsonNode *claims;
  gint64 version = 0;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = lanyard_json_parse_object (json, -1, "The stored account",
                                    LANYARD_ERROR_INVALID_RESPONSE, error);
  if (root == NULL)
    return NULL;

  if (!lanyard_json_get_int (root, "version", &version))
    {
      corrupt (error, "version");
      return NULL;
    }

  if (version > LANYARD_ACCOUNT_JSON_VERSION)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   "stored account has version %" G_GINT64_FORMAT ", newer than this Lanyard",
                   version);
      return NULL;
    }

  if (version < 1)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                   "stored account has version %" G_GINT64_FORMAT ", which no Lanyard ever wrote",
                   version);
      return NULL;
    }

  self = g_object_new (LANYARD_TYPE_ACCOUNT, NULL);

  claims = json_object_get_member (root, "claims");
  if (claims == NULL || !JSON_NODE_HOLDS_OBJECT (claims))
    {
      corrupt (error, "claims");
      return NULL;
    }

  if (!read_required_string (root, "id", &self->id, error) ||
      !read_required_string (root, "authority", &self->authority, error) ||
      !read_required_string (root, "client_id", &self->client_id, error) ||
      !read_optional_string (root, "id_token", &self->id_token, error) ||
      !read_optional_string (root, "refresh_token", &self->refresh_token, error) ||
      !read_time (root, "signed_in_at", TRUE, &self->signed_in_at, error) ||
      !read_optional_string (root, "ca_file", &self->ca_file, error) ||
      !read_redirect (self, root, error))
    return NULL;

  if (version == 1 ? !read_version_1_token (self, root, error)
                   : !read_access_tokens (self, root, error))
    return NULL;
  self->entra = authority_is_entra (self->authority);

  /* The id is derived from the claims; a mismatch means the item was edited
   * by hand or belongs to another version of the id scheme. */
  if (!(computed_id = compute_id (json_node_get_object (claims), NULL)) ||
      g_strcmp0 (computed_id, self->id) != 0)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                           _("The stored account is damaged: its id does not match its claims"));
      return NULL;
    }

  apply_claims (self, json_object_ref (json_node_get_object (claims)));

  return g_steal_pointer (&self);
}

/**
 * lanyard_account_get_id:
 * @self: a #LanyardAccount
 *
 * The account's stable id: `<oid>.<tid>` for Entra accounts (both claims
 * GUID-like), else `sha256:` and the first 32 hex digits of SHA-256 of the
 * issuer and subject. It names the account in the keyring and in every
 * #LanyardClient call that takes an @account_id; it contains no token.
 *
 * Returns: (transfer none): the id
 */
const char *
lanyard_account_get_id (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->id;
}

gboolean
lanyard_account_same_identity (LanyardAccount *self,
                               LanyardAccount *other)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (other), FALSE);

  return self == other ||
         (g_str_equal (self->id, other->id) &&
          g_strcmp0 (self->issuer, other->issuer) == 0 &&
          g_strcmp0 (self->client_id, other->client_id) == 0);
}

char *
lanyard_account_dup_identity_key (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  /* No part holds a newline: the id is hex or GUID-like, the others URLs
   * and a client id that made it into an HTTP request. */
  return g_strjoin ("\n", self->id, self->issuer ? self->issuer : "",
                    self->client_id ? self->client_id : "", NULL);
}

char *
lanyard_account_dup_qualified_id (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return g_strconcat (self->id, "@", self->issuer ? self->issuer : "", NULL);
}

/**
 * lanyard_account_get_username:
 * @self: a #LanyardAccount
 *
 * The claim `preferred_username`, else `email`, else `upn`, else `sub`.
 *
 * Returns: (transfer none): the user name
 */
const char *
lanyard_account_get_username (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->username;
}

/**
 * lanyard_account_get_display_name:
 * @self: a #LanyardAccount
 *
 * The claim `name`, else the user name.
 *
 * Returns: (transfer none): the name to show
 */
const char *
lanyard_account_get_display_name (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->display_name;
}

/**
 * lanyard_account_get_login_hint:
 * @self: a #LanyardAccount
 *
 * The claim `login_hint` (an optional claim of Entra's ID tokens): sent back
 * as `logout_hint` at sign-out so that the provider signs out this account
 * without asking which one.
 *
 * Returns: (transfer none) (nullable): the login hint, or %NULL when the ID
 *   token had none
 */
const char *
lanyard_account_get_login_hint (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->login_hint;
}

/**
 * lanyard_account_get_issuer:
 * @self: a #LanyardAccount
 *
 * The provider that issued the account's ID token.
 *
 * Returns: (transfer none): the `iss` claim of the validated ID token
 */
const char *
lanyard_account_get_issuer (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->issuer;
}

/**
 * lanyard_account_get_authority:
 * @self: a #LanyardAccount
 *
 * The authority the account signed in to.
 *
 * Returns: (transfer none): the normalised authority URL the account signed
 *   in to
 */
const char *
lanyard_account_get_authority (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->authority;
}

/**
 * lanyard_account_get_client_id:
 * @self: a #LanyardAccount
 *
 * The application the account signed in to.
 *
 * Returns: (transfer none): the client (application) id the account signed
 *   in with
 */
const char *
lanyard_account_get_client_id (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->client_id;
}

/**
 * lanyard_account_get_claims:
 * @self: a #LanyardAccount
 *
 * The claims of the account's ID token, validated when it was received
 * (signature, issuer, audience, expiry, nonce). Do not modify them.
 *
 * Returns: (transfer none): the ID token's claims
 */
JsonObject *
lanyard_account_get_claims (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->claims;
}

/**
 * lanyard_account_get_signed_in_at:
 * @self: a #LanyardAccount
 *
 * When the account signed in.
 *
 * Returns: when the account signed in, in seconds since the Unix epoch
 */
gint64
lanyard_account_get_signed_in_at (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), 0);

  return self->signed_in_at;
}

/**
 * lanyard_account_get_id_token:
 * @self: a #LanyardAccount
 *
 * The raw ID token (a JWS). Never log it.
 *
 * Returns: (transfer none) (nullable): the ID token
 */
const char *
lanyard_account_get_id_token (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->id_token;
}

static LanyardAccessToken *
latest_token (LanyardAccount *self)
{
  if (self->access_tokens->len == 0)
    return NULL;

  return g_ptr_array_index (self->access_tokens, self->access_tokens->len - 1);
}

/**
 * lanyard_account_get_access_token:
 * @self: a #LanyardAccount
 *
 * The most recently added access token of the account's cache (one token
 * per resource / scope set). To call an API, get the token for its scopes
 * with lanyard_client_acquire_token_async() instead. Never log it.
 *
 * Returns: (transfer none) (nullable): the access token, or %NULL when the
 *   account has none
 */
const char *
lanyard_account_get_access_token (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return latest_token (self) != NULL ? lanyard_access_token_get_token (latest_token (self)) : NULL;
}

/**
 * lanyard_account_get_access_token_expires_at:
 * @self: a #LanyardAccount
 *
 * When the access token stops being usable.
 *
 * Returns: when the access token expires, in seconds since the Unix epoch
 *   (0 = unknown, treated as expired)
 */
gint64
lanyard_account_get_access_token_expires_at (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), 0);

  return latest_token (self) != NULL ? lanyard_access_token_get_expires_at (latest_token (self)) : 0;
}

/**
 * lanyard_account_get_refresh_token:
 * @self: a #LanyardAccount
 *
 * The refresh token the client renews access tokens with. An application has
 * no reason to send it anywhere; never log it.
 *
 * Returns: (transfer none) (nullable): the refresh token, or %NULL when the
 *   provider issued none or it was dropped
 */
const char *
lanyard_account_get_refresh_token (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->refresh_token;
}

/**
 * lanyard_account_get_scopes:
 * @self: a #LanyardAccount
 *
 * The scopes granted to the access token.
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the granted
 *   scopes, or %NULL when none are known
 */
const char * const *
lanyard_account_get_scopes (LanyardAccount *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return latest_token (self) != NULL ? lanyard_access_token_get_scopes (latest_token (self)) : none;
}

/**
 * lanyard_account_get_access_tokens:
 * @self: a #LanyardAccount
 *
 * The account's token cache: one access token per resource / scope set.
 *
 * Returns: (transfer none) (element-type LanyardAccessToken): the cached
 *   access tokens, oldest first
 */
GPtrArray *
lanyard_account_get_access_tokens (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->access_tokens;
}

/**
 * lanyard_account_is_entra:
 * @self: a #LanyardAccount
 *
 * Whether the account's authority is Microsoft Entra's.
 *
 * Returns: %TRUE for an Entra authority (bare scope names such as
 *   `User.Read` then mean Microsoft Graph)
 */
gboolean
lanyard_account_is_entra (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), FALSE);

  return self->entra;
}

static gboolean
scopes_intersect (const char * const *a,
                  const char * const *b)
{
  for (guint i = 0; a[i] != NULL; i++)
    {
      if (g_strv_contains (b, a[i]))
        return TRUE;
    }

  return FALSE;
}

static void
notify_if_expiry_changed (LanyardAccount *self,
                          gint64          before)
{
  if (before != lanyard_account_get_access_token_expires_at (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS_TOKEN_EXPIRES_AT]);
}

static void
add_access_token (LanyardAccount     *self,
                  LanyardAccessToken *token)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* A newer token replaces the one asked for the same scope set and those it
   * supersedes (a granted scope in common: same resource, as MSAL does);
   * tokens of other resources stay. Expired ones go. */
  for (guint i = self->access_tokens->len; i > 0; i--)
    {
      LanyardAccessToken *old = g_ptr_array_index (self->access_tokens, i - 1);

      if (g_str_equal (lanyard_access_token_get_request_key (old),
                       lanyard_access_token_get_request_key (token)) ||
          scopes_intersect (lanyard_access_token_get_scopes (old),
                            lanyard_access_token_get_scopes (token)) ||
          lanyard_access_token_get_expires_at (old) <= now)
        g_ptr_array_remove_index (self->access_tokens, i - 1);
    }

  g_ptr_array_add (self->access_tokens, lanyard_access_token_ref (token));

  g_debug ("Account %s caches %u access tokens (the new one expires at %" G_GINT64_FORMAT ")",
           self->id, self->access_tokens->len, lanyard_access_token_get_expires_at (token));
}

void
lanyard_account_add_access_token (LanyardAccount     *self,
                                  LanyardAccessToken *token)
{
  gint64 before;

  g_return_if_fail (LANYARD_IS_ACCOUNT (self));
  g_return_if_fail (token != NULL);

  before = lanyard_account_get_access_token_expires_at (self);
  add_access_token (self, token);
  notify_if_expiry_changed (self, before);
}

void
lanyard_account_clear_access_tokens (LanyardAccount *self)
{
  gint64 before;

  g_return_if_fail (LANYARD_IS_ACCOUNT (self));

  before = lanyard_account_get_access_token_expires_at (self);
  g_ptr_array_set_size (self->access_tokens, 0);
  notify_if_expiry_changed (self, before);
}

void
lanyard_account_set_refresh_token (LanyardAccount *self,
                                   const char     *refresh_token,
                                   const char     *id_token)
{
  g_return_if_fail (LANYARD_IS_ACCOUNT (self));

  if (refresh_token != NULL)
    replace_secret (&self->refresh_token, refresh_token);
  if (id_token != NULL)
    replace_secret (&self->id_token, id_token);
}

void
lanyard_account_set_tokens (LanyardAccount     *self,
                            const char         *access_token,
                            gint64              expires_at,
                            const char         *refresh_token,
                            const char         *id_token,
                            const char * const *scopes)
{
  gint64 before;

  g_return_if_fail (LANYARD_IS_ACCOUNT (self));
  g_return_if_fail (expires_at >= 0);

  before = lanyard_account_get_access_token_expires_at (self);
  lanyard_account_set_refresh_token (self, refresh_token, id_token);
  g_ptr_array_set_size (self->access_tokens, 0);
  if (access_token != NULL)
    {
      g_autoptr(LanyardAccessToken) token = lanyard_access_token_new (access_token, "Bearer",
                                                                      expires_at, scopes, scopes);

      add_access_token (self, token);
    }
  notify_if_expiry_changed (self, before);
}

void
lanyard_account_set_claims (LanyardAccount *self,
                            JsonObject     *claims)
{
  g_autofree char *id = NULL;

  g_return_if_fail (LANYARD_IS_ACCOUNT (self));
  g_return_if_fail (claims != NULL);

  /* OpenID Connect Core 12.2: a refreshed ID token must name the same user.
   * The caller validates that; getting here with another user is a bug. */
  id = compute_id (claims, NULL);
  g_return_if_fail (g_strcmp0 (id, self->id) == 0);

  g_object_freeze_notify (G_OBJECT (self));
  apply_claims (self, deep_copy_object (claims));
  g_object_thaw_notify (G_OBJECT (self));
}

void
lanyard_account_forget_refresh_token (LanyardAccount *self)
{
  g_return_if_fail (LANYARD_IS_ACCOUNT (self));

  clear_secret (&self->refresh_token);
}

/**
 * lanyard_account_lookup_access_token:
 * @self: a #LanyardAccount
 * @scopes: (nullable) (array zero-terminated=1): the scopes needed; %NULL
 *   or empty for the account's default token
 * @now: the time, seconds since the Unix epoch
 * @min_seconds: how long the token must still be valid
 *
 * A cached token that can serve @scopes, without any network.
 *
 * Returns: (transfer none) (nullable): the token asked for exactly this
 *   scope set if valid, else any valid one whose granted scopes cover
 *   @scopes, else %NULL
 */
LanyardAccessToken *
lanyard_account_lookup_access_token (LanyardAccount     *self,
                                     const char * const *scopes,
                                     gint64              now,
                                     gint64              min_seconds)
{
  g_autofree char *key = NULL;
  LanyardAccessToken *covering = NULL;

  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  /* The token asked for exactly this set first (with no scopes given, the
   * one the sign-in or a plain refresh got), else any that covers it. */
  key = lanyard_scope_set_key (scopes, FALSE);
  for (guint i = self->access_tokens->len; i > 0; i--)
    {
      LanyardAccessToken *token = g_ptr_array_index (self->access_tokens, i - 1);

      if (!lanyard_access_token_is_valid_for (token, scopes, self->entra, now, min_seconds))
        continue;
      if (g_str_equal (lanyard_access_token_get_request_key (token), key))
        return token;
      if (covering == NULL)
        covering = token;
    }

  return covering;
}

gboolean
lanyard_account_has_valid_access_token (LanyardAccount     *self,
                                        const char * const *scopes,
                                        gint64              now,
                                        gint64              min_seconds)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), FALSE);

  return lanyard_account_lookup_access_token (self, scopes, now, min_seconds) != NULL;
}

/**
 * lanyard_account_get_ca_file:
 * @self: a #LanyardAccount
 *
 * The CA file the account signed in with, used to reach its provider again
 * unless one is configured then.
 *
 * Returns: (transfer none) (nullable) (type filename): an absolute path, or
 *   %NULL for the system trust
 */
const char *
lanyard_account_get_ca_file (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->ca_file;
}

/**
 * lanyard_account_get_redirect_host:
 * @self: a #LanyardAccount
 *
 * The host of the redirect URI the account signed in with.
 *
 * Returns: (transfer none) (nullable): "localhost" or "127.0.0.1", %NULL if
 *   unknown
 */
const char *
lanyard_account_get_redirect_host (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->redirect_host;
}

/**
 * lanyard_account_get_redirect_port:
 * @self: a #LanyardAccount
 *
 * The loopback port the account signed in with.
 *
 * Returns: the port, 0 for any free one
 */
guint16
lanyard_account_get_redirect_port (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), 0);

  return self->redirect_port;
}

/**
 * lanyard_account_get_redirect_path:
 * @self: a #LanyardAccount
 *
 * The path of the redirect URI the account signed in with.
 *
 * Returns: (transfer none) (nullable): the path, %NULL if unknown
 */
const char *
lanyard_account_get_redirect_path (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->redirect_path;
}

void
lanyard_account_set_connection (LanyardAccount *self,
                                const char     *ca_file,
                                const char     *redirect_host,
                                guint16         redirect_port,
                                const char     *redirect_path)
{
  g_return_if_fail (LANYARD_IS_ACCOUNT (self));

  set_string (&self->ca_file, ca_file);
  set_string (&self->redirect_host, redirect_host);
  self->redirect_port = redirect_port;
  set_string (&self->redirect_path, redirect_path);
}

/**
 * lanyard_account_get_session_only:
 * @self: a #LanyardAccount
 *
 * Whether the account lives only in this process's memory, because the
 * keyring was locked or missing when it signed in. See
 * lanyard_client_save_account_async().
 *
 * Returns: %TRUE for a session-only account
 */
gboolean
lanyard_account_get_session_only (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), FALSE);

  return self->session_only;
}

void
lanyard_account_set_session_only (LanyardAccount *self,
                                  gboolean        session_only)
{
  g_return_if_fail (LANYARD_IS_ACCOUNT (self));

  session_only = !!session_only;
  if (self->session_only == session_only)
    return;

  self->session_only = session_only;
  if (!session_only)
    lanyard_account_set_storage_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ONLY]);
}

/**
 * lanyard_account_get_storage_error:
 * @self: a #LanyardAccount
 *
 * Why the account is kept for this session only.
 *
 * Returns: (transfer none) (nullable): %LANYARD_ERROR_KEYRING_LOCKED or
 *   %LANYARD_ERROR_KEYRING_UNAVAILABLE; %NULL when the account is in the
 *   keyring
 */
const GError *
lanyard_account_get_storage_error (LanyardAccount *self)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT (self), NULL);

  return self->storage_error;
}

void
lanyard_account_set_storage_error (LanyardAccount *self,
                                   const GError   *error)
{
  g_return_if_fail (LANYARD_IS_ACCOUNT (self));

  if (self->storage_error == NULL && error == NULL)
    return;

  g_clear_error (&self->storage_error);
  if (error != NULL)
    self->storage_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORAGE_ERROR]);
}
