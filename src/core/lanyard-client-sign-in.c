/* lanyard-client-sign-in.c — the interactive sign-in (RFC 8252 + PKCE + OIDC)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include "lanyard-i18n-private.h"
#include "lanyard-client-private.h"
#include "lanyard-error.h"
#include "lanyard-loopback.h"
#include "lanyard-pkce.h"
#include "lanyard-token-endpoint.h"

/* 128 bits of state and nonce; a 32-byte PKCE verifier. */
#define STATE_BYTES 16
#define NONCE_BYTES 16

typedef struct {
  LanyardSignIn        *sign_in;
  LanyardSignInOptions  options;   /* borrowed from the sign-in */

  LanyardProvider      *provider;
  LanyardLoopback      *loopback;
  char                 *state;
  char                 *nonce;
  char                 *verifier;
  LanyardAccount       *account;
  GError               *error;     /* held while the failure page is written */
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  /* Whatever happened, the listener must not outlive the flow. */
  if (data->loopback != NULL)
    lanyard_loopback_close (data->loopback);

  g_clear_object (&data->sign_in);
  g_clear_object (&data->provider);
  g_clear_object (&data->loopback);
  g_free (data->state);
  g_free (data->nonce);
  g_free (data->verifier);
  g_clear_object (&data->account);
  g_clear_error (&data->error);
  g_free (data);
}

static void
failure_page_written_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignInData *data = g_task_get_task_data (task);

  lanyard_loopback_finish_page_finish (LANYARD_LOOPBACK (source), result, NULL);
  g_task_return_error (task, g_steal_pointer (&data->error));
}

/* Ends the flow with @error, telling the browser tab the same words first:
 * a caller that exits on our answer must not cut the tab's page. */
static void
sign_in_fail (GTask  *task,
              GError *error)
{
  SignInData *data = g_task_get_task_data (task);

  if (data->loopback == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_error (&data->error);
  data->error = error;
  lanyard_loopback_finish_page_async (data->loopback, FALSE, _("Sign-in failed"), error->message,
                                      failure_page_written_cb, g_object_ref (task));
}

static void
success_page_written_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignInData *data = g_task_get_task_data (task);

  lanyard_loopback_finish_page_finish (LANYARD_LOOPBACK (source), result, NULL);
  g_task_return_pointer (task, g_steal_pointer (&data->account), g_object_unref);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignInData *data = g_task_get_task_data (task);
  g_autofree char *page_message = NULL;
  GError *error = NULL;

  data->account = lanyard_client_complete_sign_in_finish (LANYARD_CLIENT (source), result, &error);
  if (data->account == NULL)
    {
      sign_in_fail (task, error);
      return;
    }

  if (lanyard_client_complete_sign_in_get_keyring_error (result) != NULL)
    g_object_set_data_full (G_OBJECT (task), "lanyard-keyring-error",
                            g_error_copy (lanyard_client_complete_sign_in_get_keyring_error (result)),
                            (GDestroyNotify) g_error_free);

  /* Only now, with the code redeemed, the ID token checked and the account
   * kept, may the browser tab say "signed in". */
  /* Translators: %s is a username */
  page_message = g_strdup_printf (_("Signed in as %s. You can close this tab and return to Lanyard."),
                                  lanyard_account_get_username (data->account));
  lanyard_loopback_finish_page_async (data->loopback, TRUE, _("Signed in"), page_message,
                                      success_page_written_cb, g_steal_pointer (&task));
}

static void
code_redeemed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  LanyardTokenResponse *tokens;
  GError *error = NULL;

  tokens = lanyard_token_request_finish (result, &error);
  if (tokens == NULL)
    {
      sign_in_fail (task, error);
      return;
    }

  lanyard_client_complete_sign_in_async (self, data->sign_in, data->provider, tokens, data->nonce,
                                         cancellable, signed_in_cb, g_steal_pointer (&task));
}

static void
authorization_response_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *code = NULL;
  GError *error = NULL;

  code = lanyard_loopback_wait_finish (LANYARD_LOOPBACK (source), result, &error);
  if (code == NULL)
    {
      sign_in_fail (task, error);
      return;
    }

  g_debug ("Authorization response received; redeeming the code");
  lanyard_sign_in_set_phase (data->sign_in, LANYARD_SIGN_IN_PHASE_REDEEMING);
  lanyard_token_redeem_code_async (self->session,
                                   lanyard_provider_get_token_endpoint (data->provider),
                                   self->config->client_id,
                                   code,
                                   lanyard_loopback_get_redirect_uri (data->loopback),
                                   data->verifier,
                                   cancellable,
                                   code_redeemed_cb, g_steal_pointer (&task));
}

static void
browser_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LanyardSignIn) sign_in = user_data;
  g_autoptr(GError) error = NULL;

  /* The flow goes on: the user can still open the link by hand. A browser
   * that answers after the sign-in ended has nothing left to say. */
  /* (A LanyardBrowser of the application's may report a cancellation in GIO's domain.) */
  if (!lanyard_browser_open_uri_finish (LANYARD_BROWSER (source), result, &error) &&
      !g_error_matches ((error = lanyard_error_from_gerror (error)), LANYARD_ERROR, LANYARD_ERROR_CANCELLED) &&
      lanyard_sign_in_get_phase (sign_in) == LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER)
    lanyard_sign_in_set_browser_error (sign_in, error);
}

static void
provider_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *challenge = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) scopes = NULL;
  GError *error = NULL;

  data->provider = lanyard_client_load_provider_finish (self, result, &error);
  if (data->provider == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Cancelled already: no listener, no browser. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, lanyard_error_from_gerror (error));
      return;
    }

  data->loopback = lanyard_loopback_new (self->config->redirect_host,
                                         self->config->redirect_port,
                                         self->config->redirect_path,
                                         &error);
  if (data->loopback == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->config->timeout_seconds > 0)
    lanyard_loopback_set_timeout (data->loopback, self->config->timeout_seconds);

  data->state = lanyard_random_token (STATE_BYTES);
  data->nonce = lanyard_random_token (NONCE_BYTES);
  data->verifier = lanyard_pkce_new_verifier ();
  challenge = lanyard_pkce_challenge_s256 (data->verifier);

  /* Choosing another account: where the provider cannot be asked to offer
   * a choice, it can still be asked for a fresh sign-in. */
  if (g_strcmp0 (data->options.prompt, "select_account") == 0 &&
      !lanyard_provider_supports_prompt_select_account (data->provider))
    data->options.prompt = "login";

  scopes = lanyard_sign_in_dup_scopes (data->sign_in);
  url = lanyard_build_authorize_url (lanyard_provider_get_authorization_endpoint (data->provider),
                                     self->config->client_id,
                                     lanyard_loopback_get_redirect_uri (data->loopback),
                                     (const char * const *) scopes,
                                     data->state, data->nonce, challenge,
                                     lanyard_provider_supports_form_post (data->provider),
                                     &data->options,
                                     lanyard_sign_in_get_claims_json (data->sign_in));

  lanyard_loopback_wait_async (data->loopback, data->state,
                               lanyard_provider_get_issuer (data->provider),
                               lanyard_provider_requires_iss_parameter (data->provider),
                               cancellable,
                               authorization_response_cb, g_object_ref (task));

  g_debug ("Listening on port %u; opening the browser", lanyard_loopback_get_port (data->loopback));
  lanyard_sign_in_set_uri (data->sign_in, url);
  lanyard_sign_in_set_phase (data->sign_in, LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER);

  /* A handler may have cancelled: the wait ends by itself, no browser. */
  if (g_cancellable_is_cancelled (cancellable))
    return;

  lanyard_browser_open_uri_async (self->browser, url, cancellable,
                                  browser_opened_cb, g_object_ref (data->sign_in));
}

void
lanyard_client_browser_sign_in_async (LanyardClient       *self,
                                      LanyardSignIn       *sign_in,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignInData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_browser_sign_in_async);
  /* Each step sees the cancellation itself; once the account is kept, a
   * late one changes nothing (the answer must match the keyring). */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (SignInData, 1);
  data->sign_in = g_object_ref (sign_in);
  data->options.prompt = lanyard_sign_in_get_prompt (sign_in);
  data->options.login_hint = lanyard_sign_in_get_login_hint (sign_in);
  data->options.domain_hint = lanyard_sign_in_get_domain_hint (sign_in);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);

  lanyard_client_load_sign_in_provider (self, g_steal_pointer (&task), provider_ready_cb);
}

LanyardAccount *
lanyard_client_browser_sign_in_finish (LanyardClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the conveniences: a LanyardSignIn nobody watches ---------------------- */

static void
convenience_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardAccount *account;
  GError *error = NULL;

  account = lanyard_sign_in_run_finish (LANYARD_SIGN_IN (source), result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (lanyard_account_get_session_only (account) && lanyard_account_get_storage_error (account) != NULL)
    g_object_set_data_full (G_OBJECT (task), "lanyard-keyring-error",
                            g_error_copy (lanyard_account_get_storage_error (account)),
                            (GDestroyNotify) g_error_free);

  g_task_return_pointer (task, account, g_object_unref);
}

/* Runs @sign_in (taken) for a task of @source_tag. */
static void
run_convenience (LanyardClient       *self,
                 LanyardSignIn       *sign_in,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* The sign-in's answer is the answer (see lanyard_sign_in_run_async()). */
  g_task_set_check_cancellable (task, FALSE);
  /* The running sign-in's task holds it from here. */
  lanyard_sign_in_run_async (sign_in, cancellable, convenience_done_cb, task);
  g_object_unref (sign_in);
}

/**
 * lanyard_client_sign_in_async:
 * @self: a #LanyardClient
 * @options: (nullable): prompt and hints for the provider, or %NULL
 * @cancellable: (nullable): a #GCancellable; cancelling ends the sign-in at
 *   once, and nothing is sent or kept after it
 * @callback: called when the sign-in is complete or failed
 * @user_data: data for @callback
 *
 * Signs a user in in the browser: lanyard_sign_in_run_async() of a
 * [class@Lanyard.SignIn] with @options, for a caller that needs neither its
 * page nor its phase. A UI that shows them (the link to open by hand, for
 * one) creates the #LanyardSignIn itself. When the keyring is locked or
 * missing, the account is kept for this session only and the sign-in still
 * succeeds (see lanyard_client_sign_in_get_keyring_error()).
 */
void
lanyard_client_sign_in_async (LanyardClient              *self,
                              const LanyardSignInOptions *options,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data)
{
  LanyardSignIn *sign_in;

  g_return_if_fail (LANYARD_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  sign_in = lanyard_sign_in_new (self);
  if (options != NULL)
    {
      lanyard_sign_in_set_prompt (sign_in, options->prompt);
      lanyard_sign_in_set_login_hint (sign_in, options->login_hint);
      lanyard_sign_in_set_domain_hint (sign_in, options->domain_hint);
    }

  run_convenience (self, sign_in, lanyard_client_sign_in_async, cancellable, callback, user_data);
}

/**
 * lanyard_client_sign_in_device_async:
 * @self: a #LanyardClient
 * @cancellable: (nullable): a #GCancellable; cancelling stops at once, and no
 *   request is sent after it
 * @callback: called when the sign-in is approved, declined, expired or failed
 * @user_data: data for @callback
 *
 * Sign-in on another device (RFC 8628), for where no browser can open here:
 * lanyard_sign_in_run_async() of a [class@Lanyard.SignIn] with the flow
 * %LANYARD_SIGN_IN_FLOW_DEVICE_CODE. The user must see the code to type: a
 * UI creates the #LanyardSignIn itself and shows its
 * [property@Lanyard.SignIn:device-code]; this convenience suits a caller
 * that shows it some other way (it cannot get it from here).
 */
void
lanyard_client_sign_in_device_async (LanyardClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  LanyardSignIn *sign_in;

  g_return_if_fail (LANYARD_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  sign_in = lanyard_sign_in_new (self);
  lanyard_sign_in_set_flow (sign_in, LANYARD_SIGN_IN_FLOW_DEVICE_CODE);
  run_convenience (self, sign_in, lanyard_client_sign_in_device_async, cancellable, callback, user_data);
}

/**
 * lanyard_client_sign_in_device_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Errors as for lanyard_sign_in_run_finish(): beyond those of a sign-in in
 * the browser, %LANYARD_ERROR_PROVIDER when the user declined
 * (access_denied), %LANYARD_ERROR_TIMED_OUT when the code expired, and
 * %LANYARD_ERROR_CONFIGURATION when the provider offers no device sign-in.
 *
 * Returns: (transfer full): the signed-in account
 */
LanyardAccount *
lanyard_client_sign_in_device_finish (LanyardClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        lanyard_client_sign_in_device_async, NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lanyard_client_sign_in_get_keyring_error:
 * @result: the #GAsyncResult of a sign-in
 *
 * After a sign-in whose account was kept for this session only: why the
 * keyring did not take it.
 *
 * Returns: (transfer none) (nullable): %LANYARD_ERROR_KEYRING_LOCKED or
 *   %LANYARD_ERROR_KEYRING_UNAVAILABLE, or %NULL when the account was saved
 */
const GError *
lanyard_client_sign_in_get_keyring_error (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_object_get_data (G_OBJECT (result), "lanyard-keyring-error");
}

/**
 * lanyard_client_sign_in_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Errors include %LANYARD_ERROR_CANCELLED, %LANYARD_ERROR_TIMED_OUT,
 * %LANYARD_ERROR_PROVIDER (the user declined, for example),
 * %LANYARD_ERROR_INVALID_TOKEN, %LANYARD_ERROR_NETWORK, %LANYARD_ERROR_TLS
 * and %LANYARD_ERROR_CONFIGURATION.
 *
 * Returns: (transfer full): the signed-in account, or %NULL with @error set
 */
LanyardAccount *
lanyard_client_sign_in_finish (LanyardClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_sign_in_async, NULL);

  /* lanyard_sign_in_run_finish() answers in LANYARD_ERROR already. */
  return lanyard_task_propagate_pointer (G_TASK (result), error);
}
