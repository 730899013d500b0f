/* lanyard-client-sign-out.c — local first, then revocation, then the provider's logout page
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include "lanyard-authority.h"
#include "lanyard-client-private.h"
#include "lanyard-default-account.h"
#include "lanyard-error.h"
#include "lanyard-i18n-private.h"
#include "lanyard-token-endpoint.h"

typedef struct {
  gboolean              open_browser;
  LanyardAccount       *account;
  LanyardSignOutResult *result;
} SignOutData;

static void
sign_out_data_free (SignOutData *data)
{
  g_clear_object (&data->account);
  g_clear_pointer (&data->result, lanyard_sign_out_result_free);
  g_free (data);
}

/**
 * LanyardSignOutResult:
 * @revoked: whether the refresh token was revoked at the provider
 * @revoke_error: (nullable): why not, when revocation was attempted and
 *   failed
 * @logout_uri: (nullable): the provider's logout page; %NULL when it has
 *   none
 * @browser_opened: whether the logout page was opened in the browser
 * @browser_error: (nullable): why it was not, when opening failed
 *
 * What lanyard_client_sign_out_async() did beyond the local sign-out.
 */
G_DEFINE_BOXED_TYPE (LanyardSignOutResult, lanyard_sign_out_result,
                     lanyard_sign_out_result_copy, lanyard_sign_out_result_free)

/**
 * lanyard_sign_out_result_copy:
 * @result: a #LanyardSignOutResult
 *
 * Copies a sign-out result.
 *
 * Returns: (transfer full): a deep copy of @result
 */
LanyardSignOutResult *
lanyard_sign_out_result_copy (const LanyardSignOutResult *result)
{
  LanyardSignOutResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (LanyardSignOutResult, 1);
  copy->revoked = result->revoked;
  copy->revoke_error = result->revoke_error ? g_error_copy (result->revoke_error) : NULL;
  copy->logout_uri = g_strdup (result->logout_uri);
  copy->browser_opened = result->browser_opened;
  copy->browser_error = result->browser_error ? g_error_copy (result->browser_error) : NULL;

  return copy;
}

/**
 * lanyard_sign_out_result_free:
 * @result: (nullable) (transfer full): a #LanyardSignOutResult
 *
 * Frees @result and its errors.
 */
void
lanyard_sign_out_result_free (LanyardSignOutResult *result)
{
  if (result == NULL)
    return;

  g_clear_error (&result->revoke_error);
  g_clear_error (&result->browser_error);
  g_free (result->logout_uri);
  g_free (result);
}

static void
sign_out_done (GTask *task)
{
  SignOutData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&data->result),
                         (GDestroyNotify) lanyard_sign_out_result_free);
}

static void
logout_page_opened_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignOutData *data = g_task_get_task_data (task);

  data->result->browser_opened =
    lanyard_browser_open_uri_finish (LANYARD_BROWSER (source), result, &data->result->browser_error);

  sign_out_done (task);
}

/* Signed out here already: a cancellation skips what is left at the
 * provider, and the result says so (the account stays signed out). */
static gboolean
skip_if_cancelled (GTask *task)
{
  SignOutData *data = g_task_get_task_data (task);

  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;

  if (data->result->revoke_error == NULL && !data->result->revoked)
    data->result->revoke_error = g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                                                      _("Signing out at the provider was cancelled"));
  sign_out_done (task);
  return TRUE;
}

static void
open_logout_page (GTask           *task,
                  LanyardProvider *provider)
{
  LanyardClient *self = g_task_get_source_object (task);
  SignOutData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(LanyardAuthority) authority = NULL;
  const char *end_session = NULL;

  if (provider != NULL)
    end_session = lanyard_provider_get_end_session_endpoint (provider);

  /* Offline, Entra's logout page is still known from the authority. */
  if (end_session == NULL)
    {
      authority = lanyard_authority_parse (lanyard_account_get_authority (data->account), NULL);
      if (authority != NULL)
        end_session = lanyard_authority_get_entra_logout_url (authority);
    }

  if (end_session != NULL)
    data->result->logout_uri = lanyard_build_logout_url (end_session,
                                                         lanyard_account_get_client_id (data->account),
                                                         lanyard_account_get_login_hint (data->account),
                                                         lanyard_account_get_id_token (data->account));

  if (data->result->logout_uri == NULL || !data->open_browser)
    {
      sign_out_done (task);
      return;
    }

  if (skip_if_cancelled (task))
    return;

  lanyard_browser_open_uri_async (self->browser, data->result->logout_uri,
                                  cancellable,
                                  logout_page_opened_cb, g_object_ref (task));
}

typedef struct {
  GTask           *task;
  LanyardProvider *provider;
} RevokeContext;

static void
revoked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  RevokeContext *context = user_data;
  g_autoptr(GTask) task = context->task;
  g_autoptr(LanyardProvider) provider = context->provider;
  SignOutData *data = g_task_get_task_data (task);

  g_free (context);

  data->result->revoked = lanyard_token_revoke_finish (result, &data->result->revoke_error);
  data->result->revoke_error = lanyard_error_from_gerror (data->result->revoke_error);
  open_logout_page (task, provider);
}

static void
sign_out_provider_ready_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  SignOutData *data = g_task_get_task_data (task);
  g_autoptr(LanyardProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  const char *revocation_endpoint;
  const char *refresh_token = lanyard_account_get_refresh_token (data->account);
  RevokeContext *context;

  provider = lanyard_client_load_provider_finish (self, result, &error);
  if (skip_if_cancelled (task))
    return;
  if (provider == NULL)
    {
      /* The local part is done; without the provider there is no revocation. */
      if (refresh_token != NULL)
        data->result->revoke_error = g_steal_pointer (&error);
      open_logout_page (task, NULL);
      return;
    }

  revocation_endpoint = lanyard_provider_get_revocation_endpoint (provider);
  if (refresh_token == NULL || revocation_endpoint == NULL)
    {
      open_logout_page (task, provider);
      return;
    }

  context = g_new0 (RevokeContext, 1);
  context->task = g_steal_pointer (&task);
  context->provider = g_object_ref (provider);
  lanyard_token_revoke_async (lanyard_client_get_account_session (self, data->account, NULL),
                              revocation_endpoint,
                              lanyard_account_get_client_id (data->account),
                              refresh_token, "refresh_token",
                              g_task_get_cancellable (context->task),
                              revoked_cb, context);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  SignOutData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  if (!lanyard_account_store_remove_finish (LANYARD_ACCOUNT_STORE (source), result, &error) &&
      !lanyard_account_get_session_only (data->account))
    {
      g_task_return_error (task, lanyard_error_from_gerror (g_steal_pointer (&error)));
      return;
    }

  lanyard_default_account_clear_if (data->account);
  lanyard_client_account_removed (self, data->account);

  if (skip_if_cancelled (task))
    return;

  lanyard_client_load_account_provider_async (self, data->account, cancellable,
                                              sign_out_provider_ready_cb, g_steal_pointer (&task));
}

static void
sign_out_account_found_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  SignOutData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  data->account = lanyard_client_get_account_finish (self, result, &error);
  if (data->account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  lanyard_account_store_remove_account_async (self->store, data->account, cancellable,
                                              removed_cb, g_steal_pointer (&task));
}

/**
 * lanyard_client_sign_out_async:
 * @self: a #LanyardClient
 * @account_id: (nullable): the account's id, or %NULL for the most recent
 *   sign-in
 * @open_browser: whether to open the provider's logout page
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the account is signed out
 * @user_data: data for @callback
 *
 * Signs an account out: locally first (the keyring item and memory), then
 * RFC 7009 revocation of its refresh token where the provider offers it,
 * then — with @open_browser — the provider's logout page with
 * `logout_hint` (the `login_hint` claim) or `id_token_hint`.
 *
 * Cancelled before the account is removed here, it fails with
 * %LANYARD_ERROR_CANCELLED and nothing changed; cancelled after, it
 * succeeds (the account is signed out) without contacting the provider any
 * more, and the result's @revoke_error is %LANYARD_ERROR_CANCELLED.
 */
void
lanyard_client_sign_out_async (LanyardClient       *self,
                               const char          *account_id,
                               gboolean             open_browser,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  SignOutData *data;

  g_return_if_fail (LANYARD_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_sign_out_async);
  /* Once the account is removed here, a cancellation does not undo that:
   * the flow answers for itself (skip_if_cancelled()). */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (SignOutData, 1);
  data->open_browser = open_browser;
  data->result = g_new0 (LanyardSignOutResult, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_out_data_free);

  lanyard_client_get_account_async (self, account_id, cancellable, sign_out_account_found_cb, task);
}

/**
 * lanyard_client_sign_out_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Fails only when the local part failed; what happened at the provider is
 * in the result.
 *
 * Returns: (transfer full): what was done, or %NULL with @error set
 */
LanyardSignOutResult *
lanyard_client_sign_out_finish (LanyardClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  LanyardSignOutResult *sign_out;
  GError *local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_sign_out_async, NULL);

  /* GTask reports a cancellation as G_IO_ERROR_CANCELLED: ours is LANYARD_ERROR_CANCELLED. */
  sign_out = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    g_propagate_error (error, lanyard_error_from_gerror (local_error));

  return sign_out;
}
