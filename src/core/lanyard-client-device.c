/* lanyard-client-device.c — sign-in on another device (RFC 8628 device
 * authorization grant)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For where no browser can open here (SSH, containers, kiosks): the provider
 * hands out a short user code, the user approves it on a phone or another
 * computer, and meanwhile we poll the token endpoint. The tokens then take
 * the same path as the browser flow's (lanyard-client-complete.c).
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include "lanyard-client-private.h"
#include "lanyard-device-grant.h"
#include "lanyard-error.h"
#include "lanyard-i18n-private.h"

/* Backing off from timeouts stops doubling here. */
#define MAX_INTERVAL (10 * 60)

typedef struct {
  LanyardSignIn              *sign_in;
  LanyardProvider            *provider;
  LanyardDeviceAuthorization *authorization;
  guint                       interval;      /* seconds; grows by 5 on each slow_down */
  gint64                      deadline;      /* monotonic µs: the code is dead after it */
  guint                       n_polls;
  GSource                    *wait_timeout;
  GSource                    *wait_cancelled;
} DeviceData;

static void
stop_waiting (DeviceData *data)
{
  if (data->wait_timeout != NULL)
    g_source_destroy (data->wait_timeout);
  if (data->wait_cancelled != NULL)
    g_source_destroy (data->wait_cancelled);
  g_clear_pointer (&data->wait_timeout, g_source_unref);
  g_clear_pointer (&data->wait_cancelled, g_source_unref);
}

static void
device_data_free (DeviceData *data)
{
  stop_waiting (data);
  g_clear_object (&data->sign_in);
  g_clear_object (&data->provider);
  g_clear_pointer (&data->authorization, lanyard_device_authorization_free);
  g_free (data);
}

/* How long one protocol second lasts: 1000 ms, less in tests. */
static guint
ms_per_second (LanyardClient *self)
{
  return self->device_ms_per_second != 0 ? self->device_ms_per_second : 1000;
}

static void
fail_expired (GTask *task)
{
  g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_TIMED_OUT,
                           _("The code expired before the sign-in was approved"));
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardAccount *account;
  GError *error = NULL;

  account = lanyard_client_complete_sign_in_finish (LANYARD_CLIENT (source), result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (lanyard_client_complete_sign_in_get_keyring_error (result) != NULL)
    g_object_set_data_full (G_OBJECT (task), "lanyard-keyring-error",
                            g_error_copy (lanyard_client_complete_sign_in_get_keyring_error (result)),
                            (GDestroyNotify) g_error_free);

  g_task_return_pointer (task, account, g_object_unref);
}

static void wait_then_poll (GTask *task);

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  DeviceData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  LanyardDevicePollStatus status;
  LanyardTokenResponse *tokens;
  GError *error = NULL;

  tokens = lanyard_device_token_poll_finish (result, &status, &error);
  switch (status)
    {
    case LANYARD_DEVICE_POLL_GRANTED:
      g_debug ("The device sign-in was approved after %u polls", data->n_polls);
      /* This grant sends no nonce (RFC 8628 has no authorization request
       * to carry one), so the ID token has none to match; every other check
       * of the browser flow applies. The code came straight from the token
       * endpoint over TLS to the client that asked for it. */
      lanyard_sign_in_set_phase (data->sign_in, LANYARD_SIGN_IN_PHASE_REDEEMING);
      lanyard_client_complete_sign_in_async (self, data->sign_in, data->provider, tokens, NULL,
                                             cancellable, signed_in_cb, g_steal_pointer (&task));
      return;

    case LANYARD_DEVICE_POLL_SLOW_DOWN:
      /* RFC 8628 3.5: for this and every later request. */
      data->interval += LANYARD_DEVICE_SLOW_DOWN_STEP;
      g_debug ("The provider asked to slow down; polling every %u s", data->interval);
      wait_then_poll (g_steal_pointer (&task));
      return;

    case LANYARD_DEVICE_POLL_TIMED_OUT:
      /* RFC 8628 3.5: a request that timed out means poll less often, not
       * give up; the code's own expiry still ends the wait. */
      data->interval = MIN (data->interval * 2, MAX_INTERVAL);
      wait_then_poll (g_steal_pointer (&task));
      return;

    case LANYARD_DEVICE_POLL_PENDING:
      wait_then_poll (g_steal_pointer (&task));
      return;

    case LANYARD_DEVICE_POLL_FAILED:
    default:
      g_task_return_error (task, lanyard_error_from_gerror (error));
      return;
    }
}

static void
poll (GTask *task)
{
  LanyardClient *self = g_task_get_source_object (task);
  DeviceData *data = g_task_get_task_data (task);

  data->n_polls++;
  lanyard_device_token_poll_async (self->session,
                                   lanyard_provider_get_token_endpoint (data->provider),
                                   self->config->client_id,
                                   data->authorization->device_code,
                                   g_task_get_cancellable (task),
                                   polled_cb, task);
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  stop_waiting (g_task_get_task_data (task));
  g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                           _("The sign-in was cancelled"));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_over_cb (gpointer user_data)
{
  GTask *task = user_data;
  DeviceData *data = g_task_get_task_data (task);

  stop_waiting (data);
  if (g_get_monotonic_time () >= data->deadline)
    {
      g_debug ("The device code expired after %u polls", data->n_polls);
      fail_expired (task);
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  poll (task);   /* takes the reference */
  return G_SOURCE_REMOVE;
}

/* Waits the interval — or until the code expires, if sooner — then polls;
 * a cancellation ends the wait at once, and no request follows it. */
static void
wait_then_poll (GTask *task)
{
  LanyardClient *self = g_task_get_source_object (task);
  DeviceData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gint64 now = g_get_monotonic_time ();
  gint64 wait_ms;

  if (now >= data->deadline)
    {
      fail_expired (task);
      g_object_unref (task);
      return;
    }

  wait_ms = MIN ((gint64) data->interval * ms_per_second (self),
                 (data->deadline - now + 999) / 1000);

  g_assert (data->wait_timeout == NULL);
  data->wait_timeout = g_timeout_source_new ((guint) wait_ms);
  g_source_set_callback (data->wait_timeout, wait_over_cb, task, NULL);
  g_source_set_name (data->wait_timeout, "[lanyard] device sign-in poll interval");
  g_source_attach (data->wait_timeout, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->wait_cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->wait_cancelled, G_SOURCE_FUNC (wait_cancelled_cb), task, NULL);
      g_source_attach (data->wait_cancelled, g_task_get_context (task));
    }
}

static void
code_received_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  DeviceData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->authorization = lanyard_device_authorization_request_finish (result, &error);
  if (data->authorization == NULL)
    {
      g_task_return_error (task, lanyard_error_from_gerror (error));
      return;
    }

  data->interval = data->authorization->interval;
  data->deadline = g_get_monotonic_time () +
                   (gint64) data->authorization->expires_in * ms_per_second (self) * 1000;

  g_debug ("Got a device code valid for %u s; polling every %u s",
           data->authorization->expires_in, data->interval);
  lanyard_sign_in_set_device_code (data->sign_in, data->authorization->code);
  lanyard_sign_in_set_phase (data->sign_in, LANYARD_SIGN_IN_PHASE_WAITING_FOR_OTHER_DEVICE);

  /* A handler may have cancelled already: no request at all then. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                               _("The sign-in was cancelled"));
      return;
    }

  wait_then_poll (g_steal_pointer (&task));
}

static void
provider_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardClient *self = g_task_get_source_object (task);
  DeviceData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *scope = NULL;
  g_auto(GStrv) scopes = NULL;
  const char *endpoint;
  GError *error = NULL;

  data->provider = lanyard_client_load_provider_finish (self, result, &error);
  if (data->provider == NULL)
    {
      g_task_return_error (task, lanyard_error_from_gerror (error));
      return;
    }

  endpoint = lanyard_provider_get_device_authorization_endpoint (data->provider);
  if (endpoint == NULL)
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                               _("The provider does not offer sign-in on another device "
                                 "(its discovery document has no device_authorization_endpoint)"));
      return;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, lanyard_error_from_gerror (error));
      return;
    }

  scopes = lanyard_sign_in_dup_scopes (data->sign_in);
  scope = g_strjoinv (" ", scopes);
  lanyard_device_authorization_request_async (self->session, endpoint, self->config->client_id,
                                              scope,
                                              lanyard_authority_is_loopback (lanyard_provider_get_authority (data->provider)),
                                              cancellable, code_received_cb, g_steal_pointer (&task));
}

void
lanyard_client_device_sign_in_async (LanyardClient       *self,
                                     LanyardSignIn       *sign_in,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DeviceData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_device_sign_in_async);
  /* As for the browser flow: the flow's answer matches the keyring. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (DeviceData, 1);
  data->sign_in = g_object_ref (sign_in);
  g_task_set_task_data (task, data, (GDestroyNotify) device_data_free);

  lanyard_client_load_sign_in_provider (self, g_steal_pointer (&task), provider_ready_cb);
}

LanyardAccount *
lanyard_client_device_sign_in_finish (LanyardClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return lanyard_task_propagate_pointer (G_TASK (result), error);
}

/* ---- whether to offer it ------------------------------------------------------- */

static void
support_provider_ready_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LanyardProvider) provider = NULL;
  GError *error = NULL;

  provider = lanyard_client_load_provider_finish (LANYARD_CLIENT (source), result, &error);
  if (provider == NULL)
    g_task_return_error (task, lanyard_error_from_gerror (error));
  else
    g_task_return_boolean (task,
                           lanyard_provider_get_device_authorization_endpoint (provider) != NULL);
}

/**
 * lanyard_client_supports_device_sign_in_async:
 * @self: a #LanyardClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Finds out whether the configured provider offers sign-in on another
 * device (a `device_authorization_endpoint` in its discovery document, from
 * the cache when fresh; Entra authorities always do).
 */
void
lanyard_client_supports_device_sign_in_async (LanyardClient       *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LANYARD_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_supports_device_sign_in_async);
  lanyard_client_load_provider_async (self, self->config->authority, cancellable,
                                      support_provider_ready_cb, g_steal_pointer (&task));
}

/**
 * lanyard_client_supports_device_sign_in_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The result of lanyard_client_supports_device_sign_in_async().
 *
 * Returns: %TRUE when lanyard_client_sign_in_device_async() can be used;
 *   %FALSE when it cannot or with @error set (the provider could not be
 *   reached, for example)
 */
gboolean
lanyard_client_supports_device_sign_in_finish (LanyardClient  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        lanyard_client_supports_device_sign_in_async, FALSE);

  return lanyard_task_propagate_boolean (G_TASK (result), error);
}
