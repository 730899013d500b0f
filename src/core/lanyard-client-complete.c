/* lanyard-client-complete.c — what every interactive grant ends with: the ID
 * token validated, the account built, kept and made the default
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The browser flow (authorization code) and the device flow (RFC 8628) both
 * end here, so a token either of them gets passes the very same checks and
 * lands in the very same place.
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include "lanyard-client-private.h"
#include "lanyard-default-account.h"
#include "lanyard-error.h"
#include "lanyard-i18n-private.h"

typedef struct {
  LanyardSignIn        *sign_in;
  LanyardProvider      *provider;
  LanyardTokenResponse *tokens;
  LanyardAccount       *account;
  /* The same account as it was before (live list or keyring), to restore
   * when the sign-in is cancelled while it is written. */
  LanyardAccount       *previous;
} CompleteData;

static void
complete_data_free (CompleteData *data)
{
  g_clear_object (&data->sign_in);
  g_clear_object (&data->previous);
  g_clear_object (&data->provider);
  g_clear_pointer (&data->tokens, lanyard_token_response_free);
  g_clear_object (&data->account);
  g_free (data);
}

static void
return_cancelled (GTask *task)
{
  g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                           _("The sign-in was cancelled"));
}

static void
cancelled_account_removed_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  CompleteData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!lanyard_account_store_remove_finish (LANYARD_ACCOUNT_STORE (source), result, &error))
    g_message ("Could not remove the account of a cancelled sign-in: %s", error->message);

  if (data->previous == NULL)
    lanyard_client_account_removed (self, data->account);
  else
    lanyard_client_restore_session_account (self, data->previous);

  return_cancelled (task);
}

static void
previous_restored_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  CompleteData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!lanyard_account_store_save_finish (LANYARD_ACCOUNT_STORE (source), result, &error))
    g_message ("Could not restore the account after a cancelled sign-in: %s", error->message);

  lanyard_client_track_account (self, data->previous);
  return_cancelled (task);
}

/* A cancelled sign-in leaves the keyring and the live list as they were:
 * its account removed, or the one it would have replaced put back. The
 * write may have happened already (a D-Bus call cannot be taken back), so
 * this runs without a cancellable; it is local and short. */
static void
undo_keep (GTask *task)
{
  LanyardClient *self = g_task_get_source_object (task);
  CompleteData *data = g_task_get_task_data (task);

  if (data->previous != NULL && !lanyard_account_get_session_only (data->previous))
    {
      lanyard_account_store_save_async (self->store, data->previous, NULL,
                                        previous_restored_cb, g_object_ref (task));
      return;
    }

  lanyard_account_store_remove_account_async (self->store, data->account, NULL,
                                              cancelled_account_removed_cb, g_object_ref (task));
}

static void
account_kept_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CompleteData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lanyard_client_keep_account_finish (LANYARD_CLIENT (source), result, &error))
    error = lanyard_error_from_gerror (error);

  if (error != NULL && !g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Cancelled while the keyring was writing, or just after. */
  if (error != NULL || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_clear_error (&error);
      undo_keep (task);
      return;
    }

  if (lanyard_client_keep_account_get_keyring_error (result) != NULL)
    g_object_set_data_full (G_OBJECT (task), "lanyard-keyring-error",
                            g_error_copy (lanyard_client_keep_account_get_keyring_error (result)),
                            (GDestroyNotify) g_error_free);

  if (!lanyard_account_get_session_only (data->account))
    lanyard_default_account_set (data->account);

  g_task_return_pointer (task, g_steal_pointer (&data->account), g_object_unref);
}

static void
keep_with_previous_tokens (GTask          *task,
                           LanyardAccount *previous)
{
  LanyardClient *self = g_task_get_source_object (task);
  CompleteData *data = g_task_get_task_data (task);
  g_autoptr(LanyardAccessToken) token = NULL;
  g_auto(GStrv) granted = NULL;
  GCancellable *cancellable;

  if (previous != NULL)
    data->previous = g_object_ref (previous);

  if (previous != NULL &&
      g_strcmp0 (lanyard_account_get_client_id (previous), lanyard_account_get_client_id (data->account)) == 0 &&
      g_strcmp0 (lanyard_account_get_issuer (previous), lanyard_account_get_issuer (data->account)) == 0)
    {
      GPtrArray *tokens = lanyard_account_get_access_tokens (previous);

      for (guint i = 0; i < tokens->len; i++)
        lanyard_account_add_access_token (data->account, g_ptr_array_index (tokens, i));
    }

  /* The provider may grant less than asked; keep what it says it granted
   * (RFC 6749 §5.1: no "scope" means what was asked for). */
  granted = data->tokens->scope ? g_strsplit (data->tokens->scope, " ", -1)
                                : g_strdupv (self->config->scopes);
  lanyard_account_set_refresh_token (data->account, data->tokens->refresh_token,
                                     data->tokens->id_token);
  token = lanyard_access_token_new (data->tokens->access_token, data->tokens->token_type,
                                    data->tokens->expires_at, (const char * const *) granted,
                                    (const char * const *) self->config->scopes);
  lanyard_account_add_access_token (data->account, token);

  cancellable = g_task_get_cancellable (task);
  lanyard_sign_in_set_phase (data->sign_in, LANYARD_SIGN_IN_PHASE_SAVING);
  lanyard_client_keep_account_async (self, data->account, cancellable,
                                     account_kept_cb, g_object_ref (task));
}

static void
previous_account_found_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LanyardAccount) previous = NULL;

  /* Not found, or a keyring we cannot read: nothing to carry over. */
  previous = lanyard_account_store_lookup_finish (LANYARD_ACCOUNT_STORE (source), result, NULL);
  keep_with_previous_tokens (task, previous);
}

static void
id_token_validated_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  CompleteData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(JsonObject) claims = NULL;
  g_autofree char *ca_file = NULL;
  g_autoptr(LanyardAccount) previous = NULL;
  GError *error = NULL;

  claims = lanyard_client_validate_id_token_finish (self, result, &error);
  if (claims == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->account = lanyard_account_new_from_claims (claims,
                                                   lanyard_authority_get_url (lanyard_provider_get_authority (data->provider)),
                                                   self->config->client_id, &error);
  if (data->account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* What it needs to reach its provider again, so that later commands and
   * processes need no flags (a relative CA path would break elsewhere). */
  ca_file = self->config->ca_file != NULL ? g_canonicalize_filename (self->config->ca_file, NULL) : NULL;
  lanyard_account_set_connection (data->account, ca_file,
                                  self->config->redirect_host,
                                  self->config->redirect_port,
                                  self->config->redirect_path);

  /* Incremental consent signs in again for more scopes: the tokens the
   * account already holds for other APIs stay. The live list's copy is the
   * newest; else the keyring's. */
  previous = lanyard_client_lookup_tracked_account (self, data->account);
  if (previous != NULL)
    {
      keep_with_previous_tokens (task, previous);
      return;
    }
  lanyard_account_store_lookup_account_async (self->store, data->account, cancellable,
                                      previous_account_found_cb, g_steal_pointer (&task));
}

void
lanyard_client_complete_sign_in_async (LanyardClient        *self,
                                       LanyardSignIn        *sign_in,
                                       LanyardProvider      *provider,
                                       LanyardTokenResponse *tokens,
                                       const char           *nonce,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CompleteData *data = g_new0 (CompleteData, 1);

  g_task_set_source_tag (task, lanyard_client_complete_sign_in_async);
  data->sign_in = sign_in ? g_object_ref (sign_in) : NULL;
  data->provider = g_object_ref (provider);
  data->tokens = tokens;
  g_task_set_task_data (task, data, (GDestroyNotify) complete_data_free);

  if (tokens->id_token == NULL)
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                               _("The provider sent no ID token (is “openid” among the scopes?)"));
      return;
    }

  lanyard_client_validate_id_token_async (self, provider, tokens->id_token,
                                          self->config->client_id, nonce, cancellable,
                                          id_token_validated_cb, g_steal_pointer (&task));
}

LanyardAccount *
lanyard_client_complete_sign_in_finish (LanyardClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}

const GError *
lanyard_client_complete_sign_in_get_keyring_error (GAsyncResult *result)
{
  return g_object_get_data (G_OBJECT (result), "lanyard-keyring-error");
}
