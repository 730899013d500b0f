/* lanyard-client-silent.c — tokens without the user: cache, else refresh
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include <string.h>

#include "lanyard-i18n-private.h"
#include "lanyard-client-private.h"
#include "lanyard-error.h"
#include "lanyard-refresh-lock.h"
#include "lanyard-token-endpoint.h"

/* What every caller of a silent request gets. */
typedef struct {
  LanyardAccount     *account;
  LanyardAccessToken *token;
} TokenResult;

static void
token_result_free (TokenResult *result)
{
  g_clear_object (&result->account);
  g_clear_pointer (&result->token, lanyard_access_token_unref);
  g_free (result);
}

/* One refresh per (account, scope set), shared by every caller that asks for
 * the same set meanwhile: providers rotate refresh tokens and revoke the
 * whole grant when an old one is replayed, so two parallel refreshes would
 * sign the user out; callers of another scope set must not receive a token
 * issued for this one. Across processes, a file lock serialises refreshes of
 * the same account (lanyard-refresh-lock). */
typedef struct {
  LanyardClient        *client;
  char                 *key;          /* account id "\n" scope set key */
  LanyardAccount       *account;
  LanyardProvider      *provider;
  LanyardRefreshLock   *lock;
  LanyardTokenResponse *tokens;
  char                **scopes;       /* as asked for */
  char                 *scope;        /* the scope parameter, NULL = none */
  char                 *presented;    /* the refresh token sent */
  gboolean              force_refresh;
  gboolean              retried;
  /* The token request went out: from then on the refresh runs to its end. */
  gboolean              sent;
  /* Every caller left before it did: it stops at its next step. */
  gboolean              abandoned;
  GCancellable         *cancellable;  /* cancelled when abandoned */
  gboolean              was_session_only;
  LanyardAccessToken   *result;
  GError               *error;        /* the outcome, while the keyring is written */
} RefreshData;

/* A caller waiting on a refresh; it may cancel and leave at once while the
 * refresh goes on for the others (and for the keyring). */
typedef struct {
  LanyardClient *client;           /* not owned: the refresh holds it */
  RefreshData   *refresh;          /* not owned: it outlives its waiters;
                                    * NULL when it was sent before they came */
  char          *key;
  GTask         *task;
  GSource       *cancel_source;    /* NULL without a cancellable */
} Waiter;

static void start_refresh (RefreshData *data);

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter->key);
  g_free (waiter);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  GPtrArray *waiters = g_hash_table_lookup (waiter->client->refreshes, waiter->key);
  guint index;

  if (waiters == NULL || !g_ptr_array_find (waiters, waiter, &index))
    return G_SOURCE_REMOVE;

  g_ptr_array_steal_index (waiters, index);
  g_task_return_new_error (waiter->task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                           _("Renewing the tokens was cancelled"));

  /* Nobody waits any more and nothing was sent: no request goes out for
   * nobody. The next caller starts a refresh of its own. */
  if (waiters->len == 0 && waiter->refresh != NULL && !waiter->refresh->sent)
    {
      RefreshData *refresh = waiter->refresh;

      g_debug ("Every caller left before the refresh was sent; stopping it");
      refresh->abandoned = TRUE;
      g_cancellable_cancel (refresh->cancellable);
      g_hash_table_remove (waiter->client->refreshes, refresh->key);
    }

  waiter_free (waiter);

  return G_SOURCE_REMOVE;
}

static void
refresh_data_free (RefreshData *data)
{
  g_clear_object (&data->client);
  g_clear_object (&data->account);
  g_clear_object (&data->provider);
  g_clear_pointer (&data->lock, lanyard_refresh_lock_release);
  g_clear_pointer (&data->tokens, lanyard_token_response_free);
  g_strfreev (data->scopes);
  g_free (data->scope);
  g_free (data->key);
  if (data->presented != NULL)
    explicit_bzero (data->presented, strlen (data->presented));
  g_free (data->presented);
  g_clear_pointer (&data->result, lanyard_access_token_unref);
  g_clear_error (&data->error);
  g_clear_object (&data->cancellable);
  g_free (data);
}

/* Hands the outcome to every task waiting on this refresh. */
static void
refresh_complete (RefreshData *data,
                  GError      *error)
{
  g_autoptr(GPtrArray) waiters = NULL;
  gpointer key = NULL;

  /* Another process may go on as soon as the keyring has our answer. */
  g_clear_pointer (&data->lock, lanyard_refresh_lock_release);

  /* Abandoned: its waiters were answered, and it left the table then. */
  if (data->abandoned)
    {
      g_clear_error (&error);
      refresh_data_free (data);
      return;
    }

  if (!g_hash_table_steal_extended (data->client->refreshes, data->key, &key, (gpointer *) &waiters))
    g_assert_not_reached ();
  g_free (key);

  g_assert (error != NULL || data->result != NULL);
  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);
      TokenResult *result;

      if (error != NULL)
        {
          g_task_return_error (waiter->task, g_error_copy (error));
          continue;
        }

      result = g_new0 (TokenResult, 1);
      result->account = g_object_ref (data->account);
      result->token = lanyard_access_token_ref (data->result);
      g_task_return_pointer (waiter->task, result, (GDestroyNotify) token_result_free);
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
  g_auto(GStrv) missing = NULL;

  if (!lanyard_client_keep_account_finish (LANYARD_CLIENT (source), result, &error))
    {
      refresh_complete (data, error);
      return;
    }

  /* The provider may grant less than asked (RFC 6749 §3.3): the token is
   * kept for what it covers, but it is not an answer to this request. */
  missing = lanyard_scope_set_missing (lanyard_access_token_get_scopes (data->result),
                                       (const char * const *) data->scopes,
                                       lanyard_account_is_entra (data->account));
  if (missing[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (" ", missing);

      refresh_complete (data, g_error_new (LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED,
                                           _("The provider did not grant %s to %s (one token "
                                             "serves one API); sign in again with these scopes"),
                                           names, lanyard_account_get_username (data->account)));
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
  g_auto(GStrv) granted = NULL;

  if (claims != NULL)
    lanyard_account_set_claims (data->account, claims);

  /* RFC 6749 §5.1: no "scope" in the answer means exactly the scopes asked
   * for — never the scopes of another token of the account. */
  if (data->tokens->scope != NULL)
    granted = g_strsplit (data->tokens->scope, " ", -1);
  else
    granted = g_strdupv (data->scopes);

  lanyard_account_set_refresh_token (data->account, data->tokens->refresh_token,
                                     data->tokens->id_token);
  data->result = lanyard_access_token_new (data->tokens->access_token,
                                           data->tokens->token_type,
                                           data->tokens->expires_at,
                                           (const char * const *) granted,
                                           (const char * const *) data->scopes);
  lanyard_account_add_access_token (data->account, data->result);

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

  if (!lanyard_account_same_identity (renewed, data->account))
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
      /* Keep the rotated refresh token (the old one is dead) but not the
       * tokens that came with an ID token we cannot trust. */
      if (data->tokens->refresh_token != NULL)
        {
          lanyard_account_set_tokens (data->account, NULL, 0, data->tokens->refresh_token, NULL, NULL);
          keep_then_fail (data, error);
          return;
        }
      refresh_complete (data, error);
      return;
    }

  store_refreshed_tokens (data, claims);
}

/* Entra answers a refresh for scopes never consented to with invalid_grant
 * AADSTS65001; OAuth providers with invalid_scope or consent_required. The
 * refresh token is fine for everything else. The message quotes the
 * provider's code verbatim (the sentence around it may be translated). */
static gboolean
is_consent_error (const GError *error)
{
  const char *message = error->message;

  return strstr (message, "invalid_scope") != NULL ||
         strstr (message, "consent_required") != NULL ||
         (strstr (message, "invalid_grant") != NULL && strstr (message, "65001") != NULL);
}

static void
restored_after_invalid_grant_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data);

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
      if (data->scope != NULL && data->scopes[0] != NULL &&
          (error->code == LANYARD_ERROR_INTERACTION_REQUIRED || error->code == LANYARD_ERROR_PROVIDER) &&
          is_consent_error (error))
        {
          g_autofree char *wanted = g_strjoinv (" ", data->scopes);
          GError *consent = g_error_new (LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED,
                                         _("%s has not been granted %s; sign in again with "
                                           "these scopes (%s)"),
                                         lanyard_account_get_username (data->account),
                                         wanted, error->message);

          g_clear_error (&error);
          refresh_complete (data, consent);
          return;
        }

      if (g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED) &&
          !lanyard_account_get_session_only (data->account) && !data->retried)
        {
          /* Another process (one without our lock: an older Lanyard, or a
           * lock we could not take) may have rotated the token meanwhile: a
           * newer one in the keyring must not be overwritten. */
          data->error = error;
          lanyard_account_store_lookup_async (data->client->store,
                                              lanyard_account_get_id (data->account), NULL,
                                              restored_after_invalid_grant_cb, data);
          return;
        }

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

/* Under the lock the keyring is the truth: every writer held it. Takes the
 * stored tokens (another process may have renewed them, or added a token for
 * another API that a save of our copy would otherwise drop). TRUE when the
 * refresh token changed. */
static gboolean
adopt_stored_tokens (RefreshData    *data,
                     LanyardAccount *stored)
{
  GPtrArray *tokens;
  gboolean changed;

  /* Another provider's or application's account may share the id: never
   * take its tokens. */
  if (stored == NULL || lanyard_account_get_refresh_token (stored) == NULL ||
      g_strcmp0 (lanyard_account_get_client_id (stored), lanyard_account_get_client_id (data->account)) != 0 ||
      g_strcmp0 (lanyard_account_get_issuer (stored), lanyard_account_get_issuer (data->account)) != 0)
    return FALSE;

  changed = g_strcmp0 (lanyard_account_get_refresh_token (stored), data->presented) != 0;
  lanyard_account_set_refresh_token (data->account, lanyard_account_get_refresh_token (stored),
                                     lanyard_account_get_id_token (stored));
  lanyard_account_clear_access_tokens (data->account);
  tokens = lanyard_account_get_access_tokens (stored);
  for (guint i = 0; i < tokens->len; i++)
    lanyard_account_add_access_token (data->account, g_ptr_array_index (tokens, i));
  if (changed)
    lanyard_account_set_claims (data->account, lanyard_account_get_claims (stored));

  return changed;
}

static void
restored_after_invalid_grant_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  RefreshData *data = user_data;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) lookup_error = NULL;

  stored = lanyard_account_store_lookup_finish (LANYARD_ACCOUNT_STORE (source), result, &lookup_error);
  if (adopt_stored_tokens (data, stored))
    {
      g_debug ("The refresh token was renewed by another process; trying once with the newer one");
      g_clear_error (&data->error);
      g_clear_pointer (&data->tokens, lanyard_token_response_free);
      data->retried = TRUE;
      start_refresh (data);
      return;
    }

  /* Nobody renewed it: it really is dead. */
  lanyard_account_forget_refresh_token (data->account);
  keep_then_fail (data, g_steal_pointer (&data->error));
}

/* TRUE (and the refresh is over) when every caller has left. */
static gboolean
stop_if_abandoned (RefreshData *data)
{
  if (!data->abandoned)
    return FALSE;

  refresh_complete (data, NULL);
  return TRUE;
}

static void
start_refresh (RefreshData *data)
{
  if (stop_if_abandoned (data))
    return;

  g_free (data->presented);
  data->presented = g_strdup (lanyard_account_get_refresh_token (data->account));
  if (data->presented == NULL)
    {
      refresh_complete (data, g_error_new (LANYARD_ERROR, LANYARD_ERROR_INTERACTION_REQUIRED,
                                           _("The session of %s has ended; sign in again"),
                                           lanyard_account_get_username (data->account)));
      return;
    }

  g_debug ("Renewing an access token of an account with its refresh token");
  /* No cancellable from here: the answer rotates the refresh token, and the
   * new one must reach the keyring whoever still waits. */
  data->sent = TRUE;
  lanyard_token_refresh_async (lanyard_client_get_account_session (data->client, data->account, NULL),
                               lanyard_provider_get_token_endpoint (data->provider),
                               lanyard_account_get_client_id (data->account),
                               data->presented,
                               data->scope,
                               NULL,
                               refreshed_cb, data);
}

static void
reread_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  RefreshData *data = user_data;
  g_autoptr(LanyardAccount) stored = NULL;
  g_autoptr(GError) error = NULL;
  LanyardAccessToken *cached;

  /* Not finding it (or a keyring error) leaves our copy as it is. */
  stored = lanyard_account_store_lookup_finish (LANYARD_ACCOUNT_STORE (source), result, &error);
  if (stop_if_abandoned (data))
    return;
  if (adopt_stored_tokens (data, stored))
    g_debug ("Another process renewed the tokens while this one waited");

  cached = lanyard_account_lookup_access_token (data->account, (const char * const *) data->scopes,
                                               g_get_real_time () / G_USEC_PER_SEC,
                                               LANYARD_CLIENT_MIN_TOKEN_LIFETIME_SECONDS);
  if (cached != NULL && !data->force_refresh)
    {
      data->result = lanyard_access_token_ref (cached);
      refresh_complete (data, NULL);
      return;
    }

  start_refresh (data);
}

static void
locked_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  RefreshData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *presented = g_strdup (lanyard_account_get_refresh_token (data->account));

  data->lock = lanyard_refresh_lock_acquire_finish (result, &error);
  if (stop_if_abandoned (data))
    return;
  if (data->lock == NULL)
    g_message ("Renewing the tokens without the cross-process lock: %s", error->message);

  /* What we hold may be older than the keyring: read it again under the
   * lock, so that a token another process just rotated is the one used. */
  data->presented = g_steal_pointer (&presented);
  if (lanyard_account_get_session_only (data->account))
    {
      start_refresh (data);
      return;
    }

  lanyard_account_store_lookup_account_async (data->client->store, data->account,
                                              data->cancellable, reread_cb, data);
}

static void
refresh_provider_ready_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  RefreshData *data = user_data;
  g_autofree char *identity = NULL;
  GError *error = NULL;

  data->provider = lanyard_client_load_provider_finish (data->client, result, &error);
  if (stop_if_abandoned (data))
    {
      g_clear_error (&error);
      return;
    }
  if (data->provider == NULL)
    {
      refresh_complete (data, error);
      return;
    }

  /* Per account, and another provider's account with the same id is another. */
  identity = lanyard_account_dup_identity_key (data->account);
  lanyard_refresh_lock_acquire_async (identity, data->cancellable, locked_cb, data);
}

/* MSAL asks for these with every API scope set, so that each refresh also
 * brings a new ID token and refresh token. */
static char *
refresh_scope_parameter (const char * const *scopes)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) all = NULL;

  if (scopes == NULL || scopes[0] == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; scopes[i] != NULL; i++)
    {
      if (!lanyard_scope_is_oidc (scopes[i]) || g_str_equal (scopes[i], "email"))
        g_strv_builder_add (builder, scopes[i]);
    }
  g_strv_builder_add_many (builder, "openid", "profile", "offline_access", NULL);
  all = g_strv_builder_end (builder);

  return g_strjoinv (" ", all);
}

static void
join_or_start_refresh (LanyardClient      *self,
                       GTask              *task,
                       LanyardAccount     *account,
                       const char * const *scopes,
                       gboolean            force_refresh)
{
  g_autofree char *scope_key = lanyard_scope_set_key (scopes, lanyard_account_is_entra (account));
  g_autofree char *identity = lanyard_account_dup_identity_key (account);
  g_autofree char *key = g_strconcat (identity, "\n", scope_key, NULL);
  GPtrArray *waiters = g_hash_table_lookup (self->refreshes, key);
  GCancellable *cancellable = g_task_get_cancellable (task);
  Waiter *waiter = g_new0 (Waiter, 1);
  RefreshData *data;

  waiter->client = self;
  waiter->key = g_strdup (key);
  /* An entry without waiters has sent its request already (else it would
   * have been abandoned): such a refresh is not stopped any more. */
  if (waiters != NULL && waiters->len > 0)
    waiter->refresh = ((Waiter *) g_ptr_array_index (waiters, 0))->refresh;
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
  g_hash_table_insert (self->refreshes, g_strdup (key), waiters);

  /* Its caller's cancellable is not the refresh's: others may join it.
   * Once sent, it runs to its end even if every caller left (the rotated
   * token must reach the keyring); before, it stops when they all did. */
  data = g_new0 (RefreshData, 1);
  waiter->refresh = data;
  data->cancellable = g_cancellable_new ();
  data->client = g_object_ref (self);
  data->key = g_steal_pointer (&key);
  data->account = g_object_ref (account);
  data->was_session_only = lanyard_account_get_session_only (account);
  data->force_refresh = force_refresh;
  data->scopes = scopes != NULL ? g_strdupv ((char **) scopes) : g_new0 (char *, 1);
  data->scope = refresh_scope_parameter (scopes);

  lanyard_client_load_account_provider_async (self, account, data->cancellable,
                                              refresh_provider_ready_cb, data);
}

typedef struct {
  char              **scopes;
  LanyardTokenFlags   flags;
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
  LanyardAccessToken *cached;
  GError *error = NULL;

  account = lanyard_client_get_account_finish (self, result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cached = lanyard_account_lookup_access_token (account, (const char * const *) data->scopes,
                                               g_get_real_time () / G_USEC_PER_SEC,
                                               LANYARD_CLIENT_MIN_TOKEN_LIFETIME_SECONDS);
  if (!(data->flags & LANYARD_TOKEN_FORCE_REFRESH) && cached != NULL)
    {
      TokenResult *token_result = g_new0 (TokenResult, 1);

      token_result->token = lanyard_access_token_ref (cached);
      token_result->account = g_steal_pointer (&account);
      g_task_return_pointer (task, token_result, (GDestroyNotify) token_result_free);
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
                         (const char * const *) data->scopes,
                         (data->flags & LANYARD_TOKEN_FORCE_REFRESH) != 0);
}

static void
start_silent (LanyardClient       *self,
              GTask               *task,
              const char          *account_id,
              const char * const  *scopes,
              LanyardTokenFlags    flags)
{
  SilentData *data;

  /* A caller that cancels is answered at once; a shared refresh goes on. */
  g_task_set_check_cancellable (task, TRUE);

  data = g_new0 (SilentData, 1);
  data->scopes = scopes != NULL ? g_strdupv ((char **) scopes) : g_new0 (char *, 1);
  data->flags = flags;
  g_task_set_task_data (task, data, (GDestroyNotify) silent_data_free);

  lanyard_client_get_account_async (self, account_id, g_task_get_cancellable (task),
                                    silent_account_found_cb, task);
}

static TokenResult *
propagate_result (GAsyncResult  *result,
                  GError       **error)
{
  TokenResult *token_result;
  GError *local_error = NULL;

  /* GTask reports a cancellation as G_IO_ERROR_CANCELLED: ours is LANYARD_ERROR_CANCELLED. */
  token_result = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    g_propagate_error (error, lanyard_error_from_gerror (local_error));

  return token_result;
}

/**
 * lanyard_client_acquire_token_async:
 * @self: a #LanyardClient
 * @account_id: (nullable): the account's id or username, or %NULL for the
 *   most recent sign-in
 * @scopes: (nullable) (array zero-terminated=1): the scopes the token must
 *   cover; %NULL or empty for the account's default token (its sign-in's)
 * @flags: #LanyardTokenFlags
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the token
 * @user_data: data for @callback
 *
 * An access token for @scopes without the user: from the account's token
 * cache (one token per resource / scope set) when one whose granted scopes
 * cover @scopes has more than five minutes left, else redeemed with the
 * refresh token for exactly that scope set and added to the cache. One
 * refresh per (account, scope set) is in flight in a process, and one per
 * account across processes.
 */
void
lanyard_client_acquire_token_async (LanyardClient       *self,
                                    const char          *account_id,
                                    const char * const  *scopes,
                                    LanyardTokenFlags    flags,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LANYARD_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_acquire_token_async);
  start_silent (self, task, account_id, scopes, flags);
}

/**
 * lanyard_client_acquire_token_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @account: (out) (optional) (transfer full): the account
 * @error: return location for a #GError
 *
 * Scopes the user never granted are %LANYARD_ERROR_INTERACTION_REQUIRED
 * naming them (the refresh token stays); a refresh token the provider
 * refuses is dropped (unless another process stored a newer one) and is
 * %LANYARD_ERROR_INTERACTION_REQUIRED too.
 *
 * Returns: (transfer full): the access token, %NULL on error
 */
LanyardAccessToken *
lanyard_client_acquire_token_finish (LanyardClient   *self,
                                     GAsyncResult    *result,
                                     LanyardAccount **account,
                                     GError         **error)
{
  TokenResult *token_result;
  LanyardAccessToken *token;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_acquire_token_async, NULL);

  token_result = propagate_result (result, error);
  if (token_result == NULL)
    return NULL;

  if (account != NULL)
    *account = g_steal_pointer (&token_result->account);
  token = g_steal_pointer (&token_result->token);
  token_result_free (token_result);

  return token;
}

/**
 * lanyard_client_acquire_token_silent_async:
 * @self: a #LanyardClient
 * @account_id: (nullable): the account's id, or %NULL for the most recent
 *   sign-in
 * @scopes: (nullable) (array zero-terminated=1): the scopes the access token
 *   must cover, or %NULL for the account's default token
 * @force_refresh: renew the access token even when the cached one is good
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the account
 * @user_data: data for @callback
 *
 * As lanyard_client_acquire_token_async(), handing back the account.
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

  g_return_if_fail (LANYARD_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_client_acquire_token_silent_async);
  start_silent (self, task, account_id, scopes,
                force_refresh ? LANYARD_TOKEN_FORCE_REFRESH : LANYARD_TOKEN_FLAGS_NONE);
}

/**
 * lanyard_client_acquire_token_silent_finish:
 * @self: a #LanyardClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Errors as for lanyard_client_acquire_token_finish().
 *
 * Returns: (transfer full): the account, whose
 *   lanyard_account_get_access_token() is the most recently added token
 *   (not necessarily the one for the scopes asked: use
 *   lanyard_client_acquire_token_async() for that); %NULL on error
 */
LanyardAccount *
lanyard_client_acquire_token_silent_finish (LanyardClient  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  TokenResult *token_result;
  LanyardAccount *account;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_client_acquire_token_silent_async, NULL);

  token_result = propagate_result (result, error);
  if (token_result == NULL)
    return NULL;

  account = g_steal_pointer (&token_result->account);
  token_result_free (token_result);

  return account;
}
