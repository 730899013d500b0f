/* lanyard-client-silent.c — tokens without the user: cache, else refresh
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include "lanyard-i18n-private.h"
#include "lanyard-client-private.h"
#include "lanyard-error.h"
#include "lanyard-token-endpoint.h"

/* One refresh per account, shared by every caller that asks meanwhile:
 * providers rotate refresh tokens and revoke the whole grant when an old one
 * is replayed, so two parallel refreshes would sign the user out. */
typedef struct {
  LanyardClient        *client;
  LanyardAccount       *account;
  LanyardProvider      *provider;
  LanyardTokenResponse *tokens;
  char                 *scope;
  gboolean              was_session_only;
  GError               *error;      /* the outcome, while the keyring is written */
} RefreshData;

/* A caller waiting on a refresh; it may cancel and leave at once while the
 * refresh goes on for the others (and for the keyring). */
typedef struct {
  LanyardClient *client;           /* not owned: the refresh holds it */
  char          *account_id;
  GTask         *task;
  GSource       *cancel_source;    /* NULL without a cancellable */
} Waiter;

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter->account_id);
  g_free (waiter);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  GPtrArray *waiters = g_hash_table_lookup (waiter->client->refreshes, waiter->account_id);
  guint index;

  if (waiters == NULL || !g_ptr_array_find (waiters, waiter, &index))
    return G_SOURCE_REMOVE;

  g_ptr_array_steal_index (waiters, index);
  g_task_return_new_error (waiter->task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                           _("Renewing the tokens was cancelled"));
  waiter_free (waiter);

  return G_SOURCE_REMOVE;
}

static void
refresh_data_free (RefreshData *data)
{
  g_clear_object (&data->client);
  g_clear_object (&data->account);
  g_clear_object (&data->provider);
  g_clear_pointer (&data->tokens, lanyard_token_response_free);
  g_free (data->scope);
  g_clear_error (&data->error);
  g_free (data);
}

/* Hands the outcome to every task waiting on this account's refresh. */
static void
refresh_complete (RefreshData *data,
                  GError      *error)
{
  g_autoptr(GPtrArray) waiters = NULL;
  const char *id = lanyard_account_get_id (data->account);
  gpointer key = NULL;

  if (!g_hash_table_steal_extended (data->client->refreshes, id, &key, (gpointer *) &waiters))
    g_assert_not_reached ();
  g_free (key);

  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_pointer (waiter->task, g_object_ref (data->account), g_object_unref);
    }

  g_clear_error (&error);
  refresh_data_free (data);
}

static void
refreshed_account_kept_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  RefreshData *data = user_data;
  GError *error = NULL;

  if (!lanyard_client_keep_account_finish (LANYARD_CLIENT (source), result, &error))
    {
      refresh_complete (data, error);
      return;
    }

  /* The old refresh token is dead at the provider. If the keyring could not
   * take the new one, say so rather than pretend the stored account is fine. */
  if (!data->was_session_only && lanyard_account_get_session_only (data->account))
    {
      const GError *keyring_error = lanyard_client_keep_account_get_keyring_error (result);

      refresh_complete (data, g_error_new (LANYARD_ERROR,
                                           keyring_error != NULL ? keyring_error->code
                                                                 : LANYARD_ERROR_KEYRING_UNAVAILABLE,
                                           _("The renewed tokens could not be saved in the keyring "
                                           "(%s); they are kept for this session only"),
                                           keyring_error != NULL ? keyring_error->message : "unavailable"));
      return;
    }

  refresh_complete (data, NULL);
}

static void
kept_then_complete_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  RefreshData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!lanyard_client_keep_account_finish (LANYARD_CLIENT (source), result, &error))
    g_message ("Could not save the account after a failed renewal: %s", error->message);

  refresh_complete (data, g_steal_pointer (&data->error));
}

/* Saves what is left of the account, then fails the refresh with @error:
 * the caller must not hear of it before the keyring is up to date. */
static void
keep_then_fail (RefreshData *data,
                GError      *error)
{
  data->error = error;
  lanyard_client_keep_account_async (data->client, data->account, NULL,
                                     kept_then_complete_cb, data);
}

static void
store_refreshed_tokens (RefreshData *data,
                        JsonObject  *claims)
{
  g_auto(GStrv) scopes = NULL;

  if (claims != NULL)
    lanyard_account_set_claims (data->account, claims);

  /* A provider that does not repeat the scope granted the same ones. */
  if (data->tokens->scope != NULL)
    scopes = g_strsplit (data->tokens->scope, " ", -1);
  else
    scopes = g_strdupv ((char **) lanyard_account_get_scopes (data->account));

  lanyard_account_set_tokens (data->account,
                              data->tokens->access_token,
                              data->tokens->expires_at,
                              data->tokens->refresh_token,
                              data->tokens->id_token,
                              (const char * const *) scopes);

  lanyard_client_keep_account_async (data->client, data->account, NULL,
                                     refreshed_account_kept_cb, data);
}

/* OpenID Connect Core §12.2: a renewed ID token must name the same user. */
static gboolean
claims_name_same_user (RefreshData  *data,
                       JsonObject   *claims,
                       GError      **error)
{
  g_autoptr(LanyardAccount) renewed = NULL;

  renewed = lanyard_account_new_from_claims (claims,
                                             lanyard_account_get_authority (data->account),
                                             lanyard_account_get_client_id (data->account),
                                             error);
  if (renewed == NULL)
    return FALSE;

  if (!g_str_equal (lanyard_account_get_id (renewed), lanyard_account_get_id (data->account)))
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_TOKEN,
                   _("ID token rejected: the renewed token names another user"));
      return FALSE;
    }

  return TRUE;
}

static void
refreshed_id_token_validated_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  RefreshData *data = user_data;
  g_autoptr(JsonObject) claims = NULL;
  GError *error = NULL;

  claims = lanyard_client_validate_id_token_finish (LANYARD_CLIENT (source), result, &error);
  if (claims == NULL || !claims_name_same_user (data, claims, &error))
    {
      g_auto(GStrv) scopes = g_strdupv ((char **) lanyard_account_get_scopes (data->account));

      /* Keep the rotated refresh token (the old one is dead) but not the
       * tokens that came with an ID token we cannot trust. */
      if (data->tokens->refresh_token != NULL)
        {
          lanyard_account_set_tokens (data->account, NULL, 0, data->tokens->refresh_token, NULL,
                                      (const char * const *) scopes);
          keep_then_fail (data, error);
          return;
        }
      refresh_complete (data, error);
      return;
    }

  store_refreshed_tokens (data, claims);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RefreshData *data = user_data;
  GError *error = NULL;

  data->tokens = lanyard_token_request_finish (result, &error);
  if (data->tokens == NULL)
    {
      if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED))
        {
          /* A dead refresh token is worthless: drop it so the next call asks
           * for an interactive sign-in at once instead of failing again. */
          lanyard_account_forget_refresh_token (data->account);
          keep_then_fail (data, error);
          return;
        }
      refresh_complete (data, error);
      return;
    }

  if (data->tokens->id_token != NULL)
    {
      lanyard_client_validate_id_token_async (data->client, data->provider, data->tokens->id_token,
                                              lanyard_account_get_client_id (data->account),
                                              NULL, NULL,
                                              refreshed_id_token_validated_cb, data);
      return;
    }

  store_refreshed_tokens (data, NULL);
}

static void
refresh_provider_ready_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  RefreshData *data = user_data;
  GError *error = NULL;

  data->provider = lanyard_client_load_provider_finish (data->client, result, &error);
  if (data->provider == NULL)
    {
      refresh_complete (data, error);
      return;
    }

  g_debug ("Renewing the tokens of an account with its refresh token");
  lanyard_token_refresh_async (data->client->session,
                               lanyard_provider_get_token_endpoint (data->provider),
                               lanyard_account_get_client_id (data->account),
                               lanyard_account_get_refresh_token (data->account),
                               data->scope,
                               NULL,
                               refreshed_cb, data);
}

static void
join_or_start_refresh (LanyardClient      *self,
                       GTask              *task,
                       LanyardAccount     *account,
                       const char * const *scopes)
{
  const char *id = lanyard_account_get_id (account);
  GPtrArray *waiters = g_hash_table_lookup (self->refreshes, id);
  GCancellable *cancellable = g_task_get_cancellable (task);
  Waiter *waiter = g_new0 (Waiter, 1);
  RefreshData *data;

  waiter->client = self;
  waiter->account_id = g_strdup (id);
  waiter->task = task;
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, (GSourceFunc) (void (*) (void)) waiter_cancelled_cb,
                             waiter, NULL);
      g_source_attach (waiter->cancel_source, g_task_get_context (task));
    }

  if (waiters != NULL)
    {
      g_ptr_array_add (waiters, waiter);
      return;
    }

  waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
  g_ptr_array_add (waiters, waiter);
  g_hash_table_insert (self->refreshes, g_strdup (id), waiters);

  /* The refresh runs to its end even if the first caller cancels: the
   * rotated token must reach the keyring. */
  data = g_new0 (RefreshData, 1);
  data->client = g_object_ref (self);
  data->account = g_object_ref (account);
  data->was_session_only = lanyard_account_get_session_only (account);
  if (scopes != NULL && scopes[0] != NULL)
    data->scope = g_strjoinv (" ", (char **) scopes);

  lanyard_client_load_provider_async (self, lanyard_account_get_authority (account), NULL,
                                      refresh_provider_ready_cb, data);
}

typedef struct {
  char     **scopes;
  gboolean   force_refresh;
} SilentData;

static void
silent_data_free (SilentData *data)
{
  g_strfreev (data->scopes);
  g_free (data);
}

static void
silent_account_found_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  SilentData *data = g_task_get_task_data (task);
  g_autoptr(LanyardAccount) account = NULL;
  GError *error = NULL;

  account = lanyard_client_get_account_finish (self, result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!data->force_refresh &&
      lanyard_account_has_valid_access_token (account, (const char * const *) data->scopes,
                                              g_get_real_time () / G_USEC_PER_SEC,
                                              LANYARD_CLIENT_MIN_TOKEN_LIFETIME_SECONDS))
    {
      g_task_return_pointer (task, g_steal_pointer (&account), g_object_unref);
      return;
    }

  if (lanyard_account_get_refresh_token (account) == NULL)
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED,
                               _("The session of %s has ended; sign in again"),
                               lanyard_account_get_username (account));
      return;
    }

  join_or_start_refresh (self, g_steal_pointer (&task), account,
                         (const char * const *) data->scopes);
}

/**
 * lanyard_client_acquire_token_silent_async:
 * @self: a #LanyardClient
 * @account_id: (nullable): the account's id, or %NULL for the most recent
 *   sign-in
 * @scopes: (nullable) (array zero-terminated=1): the scopes the access token
 *   must cover, or %NULL for the configured ones
 * @force_refresh: renew the access token even when the cached one is good
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the account
 * @user_data: data for @callback
 *
 * An access token without the user: the cached one when it covers @scopes
 * with more than five minutes left (no network at all), else a new one
 * from the refresh token. A rotated refresh token is saved before the
 * result is delivered; one refresh per account is in flight at a time.
 */
void
lanyard_client_acquire_token_silent_async (LanyardClient       *self,
                                           const char          *account_id,
                                           const char * const  *scopes,
                                           gboolean             force_refresh,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;
  SilentData *data;

  g_return_if_fail (LANYARD_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_acquire_token_silent_async);
  /* A caller that cancels is answered at once; a shared refresh goes on. */
  g_task_set_check_cancellable (task, TRUE);

  data = g_new0 (SilentData, 1);
  data->scopes = g_strdupv ((char **) scopes);
  data->force_refresh = force_refresh;
  g_task_set_task_data (task, data, (GDestroyNotify) silent_data_free);

  lanyard_client_get_account_async (self, account_id, cancellable, silent_account_found_cb, task);
}

/**
 * lanyard_client_acquire_token_silent_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * When the provider refuses the refresh token (`invalid_grant`), it is
 * dropped and the error is %LANYARD_ERROR_INTERACTION_REQUIRED: sign in
 * again.
 *
 * Returns: (transfer full): the account, whose
 *   lanyard_account_get_access_token() is usable; %NULL on error
 */
LanyardAccount *
lanyard_client_acquire_token_silent_finish (LanyardClient  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  LanyardAccount *account;
  GError *local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_acquire_token_silent_async, NULL);

  /* GTask reports a cancellation as G_IO_ERROR_CANCELLED: ours is LANYARD_ERROR_CANCELLED. */
  account = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    g_propagate_error (error, lanyard_error_from_gerror (local_error));

  return account;
}
