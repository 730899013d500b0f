/* lanyard-client.c — the one object a UI talks to: construction, accounts,
 * and the pieces the sign-in, silent and sign-out flows share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include <string.h>

#include "lanyard-i18n-private.h"
#include "lanyard-authority.h"
#include "lanyard-client-private.h"
#include "lanyard-default-account.h"
#include "lanyard-error.h"
#include "lanyard-http.h"
#include "lanyard-id-token.h"
#include "lanyard-jws.h"

/**
 * LanyardClient:
 *
 * The one object an application talks to: it signs users in through the
 * system browser, renews their tokens silently, lists and signs out their
 * accounts, and keeps them in the keyring.
 *
 * ```python
 * config = Lanyard.Config.new_from_environment()
 * client = Lanyard.Client.new(config, None, None)
 * client.sign_in_async(None, None, on_signed_in)
 * ```
 */
/**
 * LanyardSignInOptions:
 * @prompt: (nullable): the OpenID `prompt`: `login`, `consent`,
 *   `select_account`, or `create` for Entra's sign-up page
 * @login_hint: (nullable): a user name to fill in on the provider's page
 * @domain_hint: (nullable): Entra's `domain_hint`
 *
 * What lanyard_client_sign_in_async() tells the provider beyond the
 * configuration. From C, fill one on the stack (the strings are borrowed for
 * the duration of the call); language bindings create one with
 * lanyard_sign_in_options_new().
 */
G_DEFINE_BOXED_TYPE (LanyardSignInOptions, lanyard_sign_in_options,
                     lanyard_sign_in_options_copy, lanyard_sign_in_options_free)

/**
 * lanyard_sign_in_options_new:
 * @prompt: (nullable): the OpenID `prompt`, `create` for Entra's sign-up page
 * @login_hint: (nullable): a user name to fill in
 * @domain_hint: (nullable): Entra's `domain_hint`
 *
 * Options that own copies of their strings, freed with
 * lanyard_sign_in_options_free().
 *
 * Returns: (transfer full): new #LanyardSignInOptions
 */
LanyardSignInOptions *
lanyard_sign_in_options_new (const char *prompt,
                             const char *login_hint,
                             const char *domain_hint)
{
  const char *in[] = { prompt, login_hint, domain_hint };
  gsize len[G_N_ELEMENTS (in)];
  gsize size = sizeof (LanyardSignInOptions);
  LanyardSignInOptions *options;
  const char **out[G_N_ELEMENTS (in)];
  char *p;

  /* One block, so that the struct and its strings go with one g_free() */
  for (gsize i = 0; i < G_N_ELEMENTS (in); i++)
    {
      len[i] = in[i] ? strlen (in[i]) + 1 : 0;
      size += len[i];
    }
  options = g_malloc0 (size);
  out[0] = &options->prompt;
  out[1] = &options->login_hint;
  out[2] = &options->domain_hint;
  p = (char *) (options + 1);
  for (gsize i = 0; i < G_N_ELEMENTS (in); i++)
    {
      if (in[i] == NULL)
        continue;
      memcpy (p, in[i], len[i]);
      *out[i] = p;
      p += len[i];
    }

  return options;
}

/**
 * lanyard_sign_in_options_copy:
 * @options: a #LanyardSignInOptions
 *
 * Copies @options and its strings.
 *
 * Returns: (transfer full): a copy
 */
LanyardSignInOptions *
lanyard_sign_in_options_copy (const LanyardSignInOptions *options)
{
  g_return_val_if_fail (options != NULL, NULL);

  return lanyard_sign_in_options_new (options->prompt, options->login_hint, options->domain_hint);
}

/**
 * lanyard_sign_in_options_free:
 * @options: (nullable) (transfer full): options from
 *   lanyard_sign_in_options_new() or lanyard_sign_in_options_copy()
 *
 * Frees @options and its strings. Never call it on a struct filled by hand.
 */
void
lanyard_sign_in_options_free (LanyardSignInOptions *options)
{
  g_free (options);
}

G_DEFINE_FINAL_TYPE (LanyardClient, lanyard_client, G_TYPE_OBJECT)

static void
lanyard_client_dispose (GObject *object)
{
  LanyardClient *self = (LanyardClient *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->browser);
  g_clear_object (&self->session);
  g_clear_pointer (&self->session_ca_file, g_free);
  g_clear_pointer (&self->account_sessions, g_hash_table_unref);
  g_clear_pointer (&self->session_accounts, g_hash_table_unref);
  g_clear_object (&self->providers);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (lanyard_client_parent_class)->dispose (object);
}

static void
lanyard_client_finalize (GObject *object)
{
  LanyardClient *self = (LanyardClient *)object;

  /* Refreshes hold a reference on the client, so none can be pending here. */
  g_assert (self->refreshes == NULL || g_hash_table_size (self->refreshes) == 0);
  g_clear_pointer (&self->refreshes, g_hash_table_unref);
  g_clear_pointer (&self->config, lanyard_config_free);

  G_OBJECT_CLASS (lanyard_client_parent_class)->finalize (object);
}

static void
lanyard_client_class_init (LanyardClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lanyard_client_dispose;
  object_class->finalize = lanyard_client_finalize;
}

static void
lanyard_client_init (LanyardClient *self)
{
  self->session_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->account_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->refreshes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
  self->accounts = g_list_store_new (LANYARD_TYPE_ACCOUNT);
  self->providers = lanyard_provider_pool_new ();
}

/**
 * lanyard_client_new:
 * @config: where to sign in; copied
 * @store: (nullable): the keyring store, or %NULL for a new one
 * @browser: (nullable): how to open URLs, or %NULL for the system browser
 * @error: return location for a #GError
 *
 * Validation of the authority and client id is left to sign-in, so that a
 * client can list and sign out stored accounts without any configuration.
 *
 * Returns: (transfer full): a new #LanyardClient
 */
LanyardClient *
lanyard_client_new (const LanyardConfig  *config,
                    LanyardAccountStore  *store,
                    LanyardBrowser       *browser,
                    GError              **error)
{
  LanyardClient *self;

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (LANYARD_TYPE_CLIENT, NULL);
  self->config = lanyard_config_copy (config);
  self->store = store ? g_object_ref (store) : lanyard_account_store_new ();
  self->browser = browser ? g_object_ref (browser) : lanyard_system_browser_new ();

  return self;
}

/**
 * lanyard_client_get_config:
 * @self: a #LanyardClient
 *
 * The configuration the client signs in with.
 *
 * Returns: (transfer none): the client's copy of its configuration
 */
const LanyardConfig *
lanyard_client_get_config (LanyardClient *self)
{
  g_return_val_if_fail (LANYARD_IS_CLIENT (self), NULL);

  return self->config;
}

void
lanyard_client_set_device_clock (LanyardClient *self,
                                 guint          ms_per_second)
{
  g_return_if_fail (LANYARD_IS_CLIENT (self));

  self->device_ms_per_second = ms_per_second;
}

gpointer
lanyard_task_propagate_pointer (GTask   *task,
                                GError **error)
{
  GError *local_error = NULL;
  gpointer value = g_task_propagate_pointer (task, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, lanyard_error_from_gerror (local_error));
  return value;
}

gboolean
lanyard_task_propagate_boolean (GTask   *task,
                                GError **error)
{
  GError *local_error = NULL;
  gboolean value = g_task_propagate_boolean (task, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, lanyard_error_from_gerror (local_error));
  return value;
}

SoupSession *
lanyard_client_get_session (LanyardClient  *self,
                            GError        **error)
{
  if (self->session == NULL)
    self->session = lanyard_http_session_new (self->config->ca_file, error);

  return self->session;
}

SoupSession *
lanyard_client_get_account_session (LanyardClient   *self,
                                    LanyardAccount  *account,
                                    GError         **error)
{
  const char *ca_file = lanyard_account_get_ca_file (account);
  SoupSession *session;

  /* A CA file given now (flag, variable, setting) wins over the remembered one. */
  if (self->config->ca_file != NULL || ca_file == NULL)
    return lanyard_client_get_session (self, error);

  if (self->session == NULL)
    {
      self->session = lanyard_http_session_new (ca_file, error);
      self->session_ca_file = g_strdup (ca_file);
      return self->session;
    }

  if (g_strcmp0 (self->session_ca_file, ca_file) == 0)
    return self->session;

  session = g_hash_table_lookup (self->account_sessions, ca_file);
  if (session == NULL)
    {
      session = lanyard_http_session_new (ca_file, error);
      if (session == NULL)
        return NULL;
      g_hash_table_insert (self->account_sessions, g_strdup (ca_file), session);
    }

  return session;
}

/* ------------------------------------------------------------------ provider */

static void
provider_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  LanyardProvider *provider = lanyard_provider_pool_load_finish (LANYARD_PROVIDER_POOL (source),
                                                                 result, &error);

  if (provider == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, provider, g_object_unref);
}

void
lanyard_client_load_sign_in_provider (LanyardClient       *self,
                                      GTask               *task,
                                      GAsyncReadyCallback  provider_ready)
{
  if (self->config->client_id == NULL || self->config->client_id[0] == '\0')
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                               _("No application (client) ID is configured"));
      g_object_unref (task);
      return;
    }

  lanyard_client_load_provider_async (self, self->config->authority,
                                      g_task_get_cancellable (task), provider_ready, task);
}

void
lanyard_client_load_provider_async (LanyardClient       *self,
                                    const char          *authority_text,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(LanyardAuthority) authority = NULL;
  GError *error = NULL;
  SoupSession *session;

  g_task_set_source_tag (task, lanyard_client_load_provider_async);

  if (authority_text == NULL || authority_text[0] == '\0')
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                               _("No tenant or authority is configured"));
      return;
    }

  authority = lanyard_authority_parse (authority_text, &error);
  if (authority == NULL || !(session = lanyard_client_get_session (self, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  lanyard_provider_pool_load_async (self->providers, session, authority, cancellable,
                                    provider_loaded_cb, g_steal_pointer (&task));
}

void
lanyard_client_load_account_provider_async (LanyardClient       *self,
                                            LanyardAccount      *account,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(LanyardAuthority) authority = NULL;
  GError *error = NULL;
  SoupSession *session;

  g_task_set_source_tag (task, lanyard_client_load_provider_async);

  authority = lanyard_authority_parse (lanyard_account_get_authority (account), &error);
  if (authority == NULL || !(session = lanyard_client_get_account_session (self, account, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  lanyard_provider_pool_load_async (self->providers, session, authority, cancellable,
                                    provider_loaded_cb, g_steal_pointer (&task));
}

LanyardProvider *
lanyard_client_load_provider_finish (LanyardClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}

char *
lanyard_client_dup_default_account_id (LanyardClient *self)
{
  g_return_val_if_fail (LANYARD_IS_CLIENT (self), NULL);

  return lanyard_default_account_get (NULL, NULL);
}

void
lanyard_client_set_default_account_id (LanyardClient *self,
                                       const char    *account_id)
{
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(LanyardAccount) account = NULL;
  guint n;

  g_return_if_fail (LANYARD_IS_CLIENT (self));
  g_return_if_fail (account_id != NULL);

  /* Remember which of the accounts with this name, as the live list knows
   * them; one it does not know is remembered by its id alone. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  listed = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (listed, g_list_model_get_item (G_LIST_MODEL (self->accounts), i));
  account = lanyard_client_resolve_account (self, listed, account_id, NULL);

  if (account != NULL)
    lanyard_default_account_set (account);
  else
    lanyard_default_account_set_identity (account_id, NULL, NULL);
}

static void
sign_up_provider_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LanyardProvider) provider = NULL;
  GError *error = NULL;

  provider = lanyard_client_load_provider_finish (LANYARD_CLIENT (source), result, &error);
  if (provider == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, lanyard_provider_supports_prompt_create (provider));
}

void
lanyard_client_supports_sign_up_async (LanyardClient       *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(LanyardAuthority) authority = NULL;

  g_return_if_fail (LANYARD_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_supports_sign_up_async);

  /* Entra External ID signs up with prompt=create but does not say so. */
  if (self->config->authority != NULL)
    authority = lanyard_authority_parse (self->config->authority, NULL);
  if (authority != NULL && lanyard_authority_is_entra (authority))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  lanyard_client_load_provider_async (self, self->config->authority, cancellable,
                                      sign_up_provider_cb, g_steal_pointer (&task));
}

gboolean
lanyard_client_supports_sign_up_finish (LanyardClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_supports_sign_up_async, FALSE);

  return lanyard_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ ID token */

typedef struct {
  LanyardProvider *provider;
  char            *id_token;
  char            *client_id;
  char            *nonce;
  gboolean         refetched;
} ValidateData;

static void
validate_data_free (ValidateData *data)
{
  g_clear_object (&data->provider);
  g_free (data->id_token);
  g_free (data->client_id);
  g_free (data->nonce);
  g_free (data);
}

static void validate_with_jwks_cb (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data);

static void
validate_fetch_jwks (GTask    *task,
                     gboolean  force_refetch)
{
  LanyardClient *self = g_task_get_source_object (task);
  ValidateData *data = g_task_get_task_data (task);

  lanyard_provider_get_jwks_async (data->provider, self->session, force_refetch,
                                   g_task_get_cancellable (task),
                                   validate_with_jwks_cb, task);
}

static void
validate_with_jwks_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ValidateData *data = g_task_get_task_data (task);
  g_autoptr(LanyardJwks) jwks = NULL;
  g_autoptr(LanyardJws) jws = NULL;
  GError *error = NULL;
  LanyardIdTokenExpectations expect = { 0, };
  JsonObject *claims;
  const char *kid;

  jwks = lanyard_provider_get_jwks_finish (LANYARD_PROVIDER (source), result, &error);
  if (jwks == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Keys rotate: a kid we have never seen earns one trip to jwks_uri. */
  jws = lanyard_jws_parse (data->id_token, NULL);
  kid = jws ? lanyard_jws_get_kid (jws) : NULL;
  if (kid != NULL && !data->refetched && !lanyard_jwks_has_kid (jwks, kid))
    {
      g_debug ("ID token signed with an unknown key; fetching the JWKS again");
      data->refetched = TRUE;
      validate_fetch_jwks (g_steal_pointer (&task), TRUE);
      return;
    }

  expect.issuer = lanyard_provider_get_issuer (data->provider);
  expect.client_id = data->client_id;
  expect.nonce = data->nonce;

  claims = lanyard_id_token_validate (data->id_token, jwks, &expect, &error);
  if (claims == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, claims, (GDestroyNotify) json_object_unref);
}

void
lanyard_client_validate_id_token_async (LanyardClient       *self,
                                        LanyardProvider     *provider,
                                        const char          *id_token,
                                        const char          *client_id,
                                        const char          *nonce,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ValidateData *data = g_new0 (ValidateData, 1);

  g_task_set_source_tag (task, lanyard_client_validate_id_token_async);

  data->provider = g_object_ref (provider);
  data->id_token = g_strdup (id_token);
  data->client_id = g_strdup (client_id);
  data->nonce = g_strdup (nonce);
  g_task_set_task_data (task, data, (GDestroyNotify) validate_data_free);

  validate_fetch_jwks (task, FALSE);
}

JsonObject *
lanyard_client_validate_id_token_finish (LanyardClient  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ keeping accounts */

static gboolean
is_keyring_unusable (const GError *error)
{
  return g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED) ||
         g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE);
}

static void
keep_account_saved_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  LanyardAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!lanyard_account_store_save_finish (LANYARD_ACCOUNT_STORE (source), result, &error))
    {
      if (!is_keyring_unusable (error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* Never plaintext: with no usable keyring the account lives in memory. */
      g_message ("Keeping the account for this session only: %s", error->message);
      g_object_set_data_full (G_OBJECT (task), "lanyard-keyring-error",
                              g_error_copy (error), (GDestroyNotify) g_error_free);
      lanyard_account_set_session_only (account, TRUE);
      lanyard_account_set_storage_error (account, error);
      g_hash_table_replace (self->session_accounts,
                            lanyard_account_dup_identity_key (account),
                            g_object_ref (account));
    }
  else
    {
      lanyard_account_set_session_only (account, FALSE);
      lanyard_client_forget_session_account (self, account);
    }

  lanyard_client_track_account (self, account);
  g_task_return_boolean (task, TRUE);
}

void
lanyard_client_keep_account_async (LanyardClient       *self,
                                   LanyardAccount      *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lanyard_client_keep_account_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  lanyard_account_store_save_async (self->store, account, cancellable,
                                    keep_account_saved_cb, task);
}

gboolean
lanyard_client_keep_account_finish (LanyardClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const GError *
lanyard_client_keep_account_get_keyring_error (GAsyncResult *result)
{
  return g_object_get_data (G_OBJECT (result), "lanyard-keyring-error");
}

static void
save_account_saved_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  LanyardAccount *account = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lanyard_account_store_save_finish (LANYARD_ACCOUNT_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  lanyard_account_set_session_only (account, FALSE);
  lanyard_client_forget_session_account (self, account);
  /* As if signed in now: the next start restores this account. */
  lanyard_default_account_set (account);

  lanyard_client_track_account (self, account);
  g_task_return_pointer (task, g_object_ref (account), g_object_unref);
}

void
lanyard_client_save_account_async (LanyardClient       *self,
                                   LanyardAccount      *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  g_autofree char *key = NULL;
  LanyardAccount *held;

  g_return_if_fail (LANYARD_IS_CLIENT (self));
  g_return_if_fail (LANYARD_IS_ACCOUNT (account));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  key = lanyard_account_dup_identity_key (account);
  held = g_hash_table_lookup (self->session_accounts, key);
  if (held != NULL)
    account = held;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_save_account_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  lanyard_account_store_save_async (self->store, account, cancellable,
                                    save_account_saved_cb, task);
}

LanyardAccount *
lanyard_client_save_account_finish (LanyardClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_save_account_async, NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}

static void
unlocked_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  /* Unlocked is the answer; a list that fails now fails again for the caller. */
  accounts = lanyard_client_list_accounts_finish (LANYARD_CLIENT (source), result, &error);
  if (accounts == NULL)
    g_debug ("Listing the accounts after unlocking failed: %s",
             error != NULL ? error->message : "no reason given");

  g_task_return_boolean (task, TRUE);
}

static void
unlock_keyring_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!lanyard_account_store_unlock_finish (LANYARD_ACCOUNT_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Accounts the locked keyring hid are readable now: into the live list. */
  cancellable = g_task_get_cancellable (task);
  lanyard_client_list_accounts_async (self, cancellable, unlocked_listed_cb, g_steal_pointer (&task));
}

void
lanyard_client_unlock_keyring_async (LanyardClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LANYARD_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_unlock_keyring_async);
  /* Failures, cancellation included, are reported in LANYARD_ERROR. */
  g_task_set_check_cancellable (task, FALSE);

  lanyard_account_store_unlock_async (self->store, cancellable, unlock_keyring_cb, task);
}

gboolean
lanyard_client_unlock_keyring_finish (LanyardClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_unlock_keyring_async, FALSE);

  return lanyard_task_propagate_boolean (G_TASK (result), error);
}

void
lanyard_client_forget_session_account (LanyardClient  *self,
                                       LanyardAccount *account)
{
  g_autofree char *key = lanyard_account_dup_identity_key (account);

  g_hash_table_remove (self->session_accounts, key);
}

/* ------------------------------------------------------------------ the live list */

GListModel *
lanyard_client_get_accounts (LanyardClient *self)
{
  g_return_val_if_fail (LANYARD_IS_CLIENT (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

/* By identity, not id: another provider may assert the same id. */
static gboolean
find_account (LanyardClient  *self,
              LanyardAccount *account,
              guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanyardAccount) item = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (lanyard_account_same_identity (item, account))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

LanyardAccount *
lanyard_client_lookup_tracked_account (LanyardClient  *self,
                                       LanyardAccount *account)
{
  guint position;

  if (!find_account (self, account, &position))
    return NULL;

  return g_list_model_get_item (G_LIST_MODEL (self->accounts), position);
}

void
lanyard_client_track_account (LanyardClient  *self,
                              LanyardAccount *account)
{
  g_autoptr(LanyardAccount) held = NULL;
  guint position;

  if (!find_account (self, account, &position))
    {
      g_list_store_insert (self->accounts, 0, account);
    }
  else
    {
      /* held keeps the old copy alive until the splice has replaced it */
      held = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);
      if (held != account)
        g_list_store_splice (self->accounts, position, 1, (gpointer *) &account, 1);
    }
}

void
lanyard_client_account_removed (LanyardClient  *self,
                                LanyardAccount *account)
{
  guint position;

  lanyard_client_forget_session_account (self, account);
  if (find_account (self, account, &position))
    g_list_store_remove (self->accounts, position);
}

void
lanyard_client_restore_session_account (LanyardClient  *self,
                                        LanyardAccount *account)
{
  g_hash_table_replace (self->session_accounts, lanyard_account_dup_identity_key (account),
                        g_object_ref (account));
  lanyard_client_track_account (self, account);
}

/* What the keyring says now: the same accounts in the same order are
 * replaced one by one (a view keeps its rows), anything else is one splice. */
static void
sync_accounts (LanyardClient *self,
               GPtrArray     *accounts)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  gboolean same_ids = n == accounts->len;

  for (guint i = 0; i < n && same_ids; i++)
    {
      g_autoptr(LanyardAccount) item = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      same_ids = lanyard_account_same_identity (item, g_ptr_array_index (accounts, i));
    }

  if (!same_ids)
    {
      g_list_store_splice (self->accounts, 0, n, accounts->pdata, accounts->len);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanyardAccount) item = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (item != g_ptr_array_index (accounts, i))
        g_list_store_splice (self->accounts, i, 1, &g_ptr_array_index (accounts, i), 1);
    }
}

/* ------------------------------------------------------------------ listing */

static gint
newest_first (gconstpointer a,
              gconstpointer b)
{
  gint64 ta = lanyard_account_get_signed_in_at (*(LanyardAccount **) a);
  gint64 tb = lanyard_account_get_signed_in_at (*(LanyardAccount **) b);

  return (ta < tb) - (ta > tb);
}

static void
list_stored_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;

  accounts = lanyard_account_store_list_finish (LANYARD_ACCOUNT_STORE (source), result, &error);
  if (accounts == NULL)
    {
      /* A dead keyring hides nothing we still hold in memory. */
      if (!is_keyring_unusable (error) || g_hash_table_size (self->session_accounts) == 0)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      accounts = g_ptr_array_new_with_free_func (g_object_unref);
    }

  g_hash_table_iter_init (&iter, self->session_accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gboolean replaced = FALSE;

      /* The in-memory copy has the newest tokens. */
      for (guint i = 0; i < accounts->len && !replaced; i++)
        if (lanyard_account_same_identity (g_ptr_array_index (accounts, i), value))
          {
            g_object_unref (g_ptr_array_index (accounts, i));
            g_ptr_array_index (accounts, i) = g_object_ref (value);
            replaced = TRUE;
          }

      if (!replaced)
        g_ptr_array_add (accounts, g_object_ref (value));
    }

  g_ptr_array_sort (accounts, newest_first);
  sync_accounts (self, accounts);
  g_task_return_pointer (task, g_steal_pointer (&accounts), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * lanyard_client_list_accounts_async:
 * @self: a #LanyardClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the accounts
 * @user_data: data for @callback
 *
 * Lists the stored and the session-only accounts, without the network.
 */
void
lanyard_client_list_accounts_async (LanyardClient       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LANYARD_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_list_accounts_async);

  lanyard_account_store_list_async (self->store, cancellable, list_stored_cb, task);
}

/**
 * lanyard_client_list_accounts_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The result of lanyard_client_list_accounts_async().
 *
 * Returns: (transfer container) (element-type LanyardAccount): the accounts,
 *   newest sign-in first; %NULL on error (%LANYARD_ERROR_KEYRING_LOCKED,
 *   %LANYARD_ERROR_KEYRING_UNAVAILABLE)
 */
GPtrArray *
lanyard_client_list_accounts_finish (LanyardClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}

/* Whether @name names @account: its id or username, alone or followed by
 * "@<issuer>" (ids never hold '@'; usernames may, so match from the end). */
static gboolean
names_account (LanyardAccount *account,
               const char     *name)
{
  const char *id = lanyard_account_get_id (account);
  const char *username = lanyard_account_get_username (account);
  const char *issuer = lanyard_account_get_issuer (account);
  gsize len, prefix;

  if (g_str_equal (name, id) || g_strcmp0 (name, username) == 0)
    return TRUE;

  if (issuer == NULL || !g_str_has_suffix (name, issuer))
    return FALSE;

  len = strlen (name);
  prefix = len - strlen (issuer);
  if (prefix < 2 || name[prefix - 1] != '@')
    return FALSE;
  prefix--;

  return (strlen (id) == prefix && strncmp (name, id, prefix) == 0) ||
         (username != NULL && strlen (username) == prefix && strncmp (name, username, prefix) == 0);
}

/* Whether @account is of the configured application and provider. */
static gboolean
is_configured (LanyardClient  *self,
               LanyardAccount *account)
{
  g_autoptr(LanyardAuthority) configured = NULL;
  g_autoptr(LanyardAuthority) its = NULL;

  if (self->config->client_id != NULL && *self->config->client_id != '\0' &&
      g_strcmp0 (self->config->client_id, lanyard_account_get_client_id (account)) != 0)
    return FALSE;

  if (self->config->authority == NULL || *self->config->authority == '\0')
    return TRUE;

  configured = lanyard_authority_parse (self->config->authority, NULL);
  its = lanyard_authority_parse (lanyard_account_get_authority (account), NULL);

  return configured != NULL && its != NULL &&
         g_str_equal (lanyard_authority_get_url (configured), lanyard_authority_get_url (its));
}

/* Which of @accounts (newest first) @name means: NULL = the default (with
 * @default_id, @default_issuer and @default_client as remembered; a file
 * from before the issuer was kept has only the id), else see names_account().
 * Two accounts may have the same id under two providers, or the same
 * username: the configured provider and client id decide between them, and
 * when they cannot, the error lists the candidates by their qualified id. */
LanyardAccount *
lanyard_client_resolve_account (LanyardClient  *self,
                                GPtrArray      *accounts,
                                const char     *name,
                                GError        **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  g_autofree char *default_id = NULL;
  g_autofree char *default_issuer = NULL;
  g_autofree char *default_client = NULL;
  g_autoptr(GString) candidates = NULL;
  guint configured = 0;
  LanyardAccount *pick = NULL;

  if (name == NULL)
    {
      default_id = lanyard_default_account_get (&default_issuer, &default_client);
      /* The newest that is the default, else simply the newest. */
      for (guint i = 0; i < accounts->len && default_id != NULL; i++)
        {
          LanyardAccount *account = g_ptr_array_index (accounts, i);

          if (g_str_equal (default_id, lanyard_account_get_id (account)) &&
              (default_issuer == NULL || g_strcmp0 (default_issuer, lanyard_account_get_issuer (account)) == 0) &&
              (default_client == NULL || g_strcmp0 (default_client, lanyard_account_get_client_id (account)) == 0))
            return g_object_ref (account);
        }
      if (accounts->len > 0)
        return g_object_ref (g_ptr_array_index (accounts, 0));

      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND,
                           _("No account is signed in"));
      return NULL;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      LanyardAccount *account = g_ptr_array_index (accounts, i);

      if (!names_account (account, name))
        continue;
      g_ptr_array_add (found, account);
      if (is_configured (self, account))
        {
          configured++;
          pick = account;
        }
    }

  if (found->len == 1)
    return g_object_ref (g_ptr_array_index (found, 0));
  if (found->len > 1 && configured == 1)
    return g_object_ref (pick);

  if (found->len == 0)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND,
                   _("No signed-in account is named “%s”"), name);
      return NULL;
    }

  candidates = g_string_new (NULL);
  for (guint i = 0; i < found->len; i++)
    {
      LanyardAccount *account = g_ptr_array_index (found, i);
      g_autofree char *qualified = lanyard_account_dup_qualified_id (account);

      if (i > 0)
        g_string_append (candidates, ", ");
      /* Translators: an account in a list: its qualified id (id@issuer),
       * username and the client id it signed in with. */
      g_string_append_printf (candidates, _("%s (%s, client %s)"), qualified,
                              lanyard_account_get_username (account),
                              lanyard_account_get_client_id (account));
    }
  g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
               lanyard_ngettext ("“%s” names %u accounts: %s. Name one by its id followed by “@” and its issuer, or configure its provider and client id.",
                                 "“%s” names %u accounts: %s. Name one by its id followed by “@” and its issuer, or configure its provider and client id.",
                                 found->len),
               name, found->len, candidates->str);
  return NULL;
}

static void
get_account_listed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = LANYARD_CLIENT (source);
  const char *wanted = g_task_get_task_data (task);
  g_autoptr(GPtrArray) accounts = NULL;
  LanyardAccount *account;
  GError *error = NULL;

  accounts = lanyard_client_list_accounts_finish (self, result, &error);
  if (accounts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  account = lanyard_client_resolve_account (self, accounts, wanted, &error);
  if (account == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, account, g_object_unref);
}

static void
get_account_looked_up_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  const char *wanted = g_task_get_task_data (task);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  LanyardAccount *account;

  accounts = lanyard_account_store_lookup_all_finish (LANYARD_ACCOUNT_STORE (source), result, &error);
  if (accounts != NULL)
    {
      account = lanyard_client_resolve_account (self, accounts, wanted, &error);
      if (account != NULL)
        {
          g_task_return_pointer (task, account, g_object_unref);
          return;
        }
      /* Several with this id: only the error can say which there are. */
      if (!g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  /* Not an id (a username?) or a stale default: the slow path decides. */
  if (accounts != NULL || g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND))
    {
      lanyard_client_list_accounts_async (self, g_task_get_cancellable (task),
                                          get_account_listed_cb, g_object_ref (task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * lanyard_client_get_account_async:
 * @self: a #LanyardClient
 * @account_id: (nullable): the account's id or username, or
 *   `ID@ISSUER` (also `USERNAME@ISSUER`), or %NULL for the most recent
 *   sign-in
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the account
 * @user_data: data for @callback
 *
 * Looks up one account without touching the network. An account is its id,
 * issuer and client id: two providers may assert the same id. When several
 * accounts answer to @account_id, the one of the configured authority and
 * client id is meant if it is one of them; else the lookup fails with
 * %LANYARD_ERROR_CONFIGURATION and a message naming each as `ID@ISSUER`.
 */
void
lanyard_client_get_account_async (LanyardClient       *self,
                                  const char          *account_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  g_autofree char *id = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *client_id = NULL;
  const char *at;

  g_return_if_fail (LANYARD_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_get_account_async);
  g_task_set_task_data (task, g_strdup (account_id), g_free);

  /* The keyring items of one id when we know which: listing means reading
   * and parsing every stored account, which grows with their number.
   * Session-only accounts live in memory and need the merged list. */
  if (account_id == NULL)
    id = lanyard_default_account_get (&issuer, &client_id);
  else if ((at = strchr (account_id, '@')) != NULL)
    id = g_strndup (account_id, at - account_id);   /* id@issuer, or a username */
  else
    id = g_strdup (account_id);

  if (id != NULL && *id != '\0' && g_hash_table_size (self->session_accounts) == 0)
    {
      lanyard_account_store_lookup_all_async (self->store, id, issuer, client_id, cancellable,
                                              get_account_looked_up_cb, task);
      return;
    }

  lanyard_client_list_accounts_async (self, cancellable, get_account_listed_cb, task);
}

/**
 * lanyard_client_get_account_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The result of lanyard_client_get_account_async().
 *
 * Returns: (transfer full): the account; else %NULL with
 *   %LANYARD_ERROR_NOT_FOUND, %LANYARD_ERROR_CONFIGURATION (several
 *   accounts answer to the name) or a keyring error
 */
LanyardAccount *
lanyard_client_get_account_finish (LanyardClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}
