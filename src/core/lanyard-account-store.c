/* lanyard-account-store.c — accounts in the desktop keyring (libsecret)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "lanyard-account-store"

#include "config.h"

#include <string.h>

/* For secret_service_search_for_dbus_paths () and
 * secret_service_get_secrets_for_dbus_paths (): listing by D-Bus path
 * needs two calls for any number of accounts, where SecretItem objects cost
 * several round trips each (a silent token with 1000 stored accounts took
 * seconds). Part of libsecret's "unstable" API, unchanged since 0.7. */
#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>

#include "lanyard-i18n-private.h"
#include "lanyard-account-store.h"
#include "lanyard-error.h"

struct _LanyardAccountStore
{
  GObject parent_instance;
};

/**
 * LANYARD_ACCOUNT_SCHEMA_NAME:
 *
 * The libsecret schema name of the keyring items (`xdg:schema`).
 */
/**
 * LANYARD_ACCOUNT_SCHEMA_VERSION:
 *
 * The version of the items' attributes (`schema-version`).
 */
/**
 * LanyardAccountStore:
 *
 * Accounts in the desktop keyring, through libsecret: one item per account
 * in the default collection, with the attributes `schema-version`,
 * `account-id`, `client-id`, `authority` and `issuer`; the secret is the account's
 * JSON, tokens included. Nothing is ever written anywhere else.
 *
 * Every call is asynchronous. Reading never prompts; saving may ask the
 * desktop to unlock the collection, and
 * lanyard_account_store_unlock_async() asks on purpose. Errors tell apart
 * %LANYARD_ERROR_KEYRING_UNAVAILABLE (no Secret Service),
 * %LANYARD_ERROR_KEYRING_LOCKED, %LANYARD_ERROR_NOT_FOUND and
 * %LANYARD_ERROR_CANCELLED.
 */
G_DEFINE_FINAL_TYPE (LanyardAccountStore, lanyard_account_store, G_TYPE_OBJECT)

/* SECRET_SCHEMA_NONE: libsecret stores and matches the schema name as the
 * xdg:schema attribute, so our searches never see other applications' items. */
static const SecretSchema account_schema = {
  LANYARD_ACCOUNT_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "schema-version", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "authority", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "issuer", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef enum {
  OPERATION_SAVE,
  OPERATION_LOOKUP,
  OPERATION_LIST,
  OPERATION_REMOVE,
  OPERATION_UNLOCK,
} OperationKind;

typedef struct
{
  OperationKind  kind;
  SecretService *service;
  GHashTable    *attributes;   /* what to store, or what to search for */
  char          *account_id;
  char          *label;        /* save only */
  SecretValue   *value;        /* save only */
  GList         *items;        /* search results, SecretItem */
  char         **paths;        /* list, lookup: the items found, by D-Bus path */
  GHashTable    *secrets;      /* lookup: path → SecretValue */
  GPtrArray     *accounts;     /* list only: LanyardAccount */
  GPtrArray     *damaged;      /* list only: paths of unreadable items, then their errors */
  GList         *strays;       /* save only: other items of the same account */
  char          *issuer;       /* lookup, remove: only this issuer's (NULL = any) */
  char          *client_id;    /* lookup, remove: only this client id's (NULL = any) */
  char          *authority;    /* remove: for items from before the issuer attribute */
  gboolean       all;          /* lookup: every identity with the id, not the newest */
  gint64         prompted_at;  /* unlock only: monotonic time the unlock was asked for */
} Operation;

static void
operation_free (gpointer data)
{
  Operation *op = data;

  g_clear_object (&op->service);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_clear_pointer (&op->account_id, g_free);
  g_clear_pointer (&op->label, g_free);
  g_clear_pointer (&op->value, secret_value_unref);
  g_list_free_full (g_steal_pointer (&op->items), g_object_unref);
  g_clear_pointer (&op->paths, g_strfreev);
  g_clear_pointer (&op->secrets, g_hash_table_unref);
  g_clear_pointer (&op->accounts, g_ptr_array_unref);
  g_clear_pointer (&op->damaged, g_ptr_array_unref);
  g_list_free_full (g_steal_pointer (&op->strays), g_object_unref);
  g_free (op->issuer);
  g_free (op->client_id);
  g_free (op->authority);
  g_free (op);
}

static const char *
doing (OperationKind kind)
{
  switch (kind)
    {
    case OPERATION_SAVE:
      return _("Could not save the account in the keyring");
    case OPERATION_LOOKUP:
      return _("Could not read the account from the keyring");
    case OPERATION_LIST:
      return _("Could not list the accounts in the keyring");
    case OPERATION_REMOVE:
      return _("Could not remove the account from the keyring");
    case OPERATION_UNLOCK:
      return _("Could not unlock the keyring");
    default:
      g_assert_not_reached ();
    }
}

static GError *
locked_error (OperationKind kind)
{
  return g_error_new (LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED,
                      _("%s: the keyring is locked"), doing (kind));
}

/* libsecret reports "no Secret Service" as a D-Bus error, "no session bus"
 * as a GIO error, and a locked collection as SECRET_ERROR_IS_LOCKED. */
static GError *
map_error (GError        *error,
           OperationKind  kind)
{
  LanyardError code = LANYARD_ERROR_FAILED;
  GError *mapped;

  if (error->domain == LANYARD_ERROR)
    return error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    code = LANYARD_ERROR_CANCELLED;
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    code = LANYARD_ERROR_KEYRING_LOCKED;
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    code = LANYARD_ERROR_KEYRING_UNAVAILABLE; /* no default keyring to store into */
  else if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR)
    code = LANYARD_ERROR_KEYRING_UNAVAILABLE;

  if (code == LANYARD_ERROR_CANCELLED)
    mapped = g_error_new_literal (LANYARD_ERROR, code, _("The operation was cancelled"));
  else if (code == LANYARD_ERROR_KEYRING_UNAVAILABLE)
    mapped = g_error_new (LANYARD_ERROR, code, _("%s: no keyring service is available (%s)"),
                          doing (kind), error->message);
  else
    mapped = g_error_new (LANYARD_ERROR, code, "%s: %s", doing (kind), error->message);

  g_error_free (error);
  return mapped;
}

static void
return_error (GTask  *task,
              GError *error)
{
  Operation *op = g_task_get_task_data (task);

  g_task_return_error (task, map_error (error, op->kind));
}

/* The JSON holds tokens: wipe it before the allocator reuses the memory. */
static void
free_secret (gpointer data)
{
  char *secret = data;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static const char *
item_name (SecretItem *item)
{
  return g_dbus_proxy_get_object_path (G_DBUS_PROXY (item));
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  LanyardAccount *account_a = *(LanyardAccount **) a;
  LanyardAccount *account_b = *(LanyardAccount **) b;
  gint64 time_a = lanyard_account_get_signed_in_at (account_a);
  gint64 time_b = lanyard_account_get_signed_in_at (account_b);

  if (time_a != time_b)
    return time_a > time_b ? -1 : 1;

  /* Same second: keep the order stable across runs. */
  return g_strcmp0 (lanyard_account_get_id (account_a),
                    lanyard_account_get_id (account_b));
}

static LanyardAccount *
account_from_value (SecretValue  *value,
                    GError      **error)
{
  g_autoptr(LanyardAccount) account = NULL;
  const char *data;
  char *json;
  gsize len;

  if (value == NULL)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_FAILED,
                           _("The keyring did not hand out the stored account"));
      return NULL;
    }

  data = secret_value_get (value, &len);
  if (data == NULL || memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_INVALID_RESPONSE,
                           _("The stored account is not text"));
      return NULL;
    }

  /* A NUL-terminated copy for the parser, wiped right after. */
  json = g_strndup (data, len);
  account = lanyard_account_new_from_json (json, error);
  free_secret (json);

  return g_steal_pointer (&account);
}

static void
finish_lookup (GTask *task)
{
  Operation *op = g_task_get_task_data (task);
  g_autoptr(LanyardAccount) newest = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) first_error = NULL;

  /* One item per account is the rule; should there be more (another
   * program, a crash between store and clean-up), the newest wins. An
   * account is (id, issuer, client id): the same id may be another
   * provider's, and items from before the issuer attribute only say so in
   * their content, hence the filter after parsing. */
  for (guint p = 0; op->paths != NULL && op->paths[p] != NULL; p++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanyardAccount) account = account_from_value (g_hash_table_lookup (op->secrets, op->paths[p]),
                                                               &error);
      gboolean seen = FALSE;

      if (account == NULL)
        {
          if (first_error == NULL)
            first_error = g_steal_pointer (&error);
          continue;
        }

      if ((op->issuer != NULL && g_strcmp0 (op->issuer, lanyard_account_get_issuer (account)) != 0) ||
          (op->client_id != NULL && g_strcmp0 (op->client_id, lanyard_account_get_client_id (account)) != 0))
        continue;

      for (guint i = 0; i < found->len && !seen; i++)
        {
          LanyardAccount *other = g_ptr_array_index (found, i);

          if (lanyard_account_same_identity (other, account))
            {
              seen = TRUE;
              if (lanyard_account_get_signed_in_at (account) > lanyard_account_get_signed_in_at (other))
                {
                  g_object_unref (other);
                  g_ptr_array_index (found, i) = g_object_ref (account);
                }
            }
        }
      if (!seen)
        g_ptr_array_add (found, g_object_ref (account));

      if (newest == NULL ||
          lanyard_account_get_signed_in_at (account) > lanyard_account_get_signed_in_at (newest))
        g_set_object (&newest, account);
    }

  if (op->all && found->len > 0)
    {
      g_ptr_array_sort (found, compare_newest_first);
      g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) g_ptr_array_unref);
    }
  else if (newest != NULL)
    g_task_return_pointer (task, g_steal_pointer (&newest), g_object_unref);
  else if (first_error != NULL)
    g_task_return_error (task, g_steal_pointer (&first_error));
  else
    g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_NOT_FOUND,
                             _("No account “%s” in the keyring"), op->account_id);
}

static void
finish_list (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  g_ptr_array_sort (op->accounts, compare_newest_first);
  g_task_return_pointer (task, g_steal_pointer (&op->accounts), (GDestroyNotify) g_ptr_array_unref);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error means another caller removed it first: fine. */
  secret_service_clear_finish (SECRET_SERVICE (object), result, &error);
  if (error != NULL)
    return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void delete_next_stray (GTask *task);

/* Items from before the issuer attribute are matched by their authority. */
static gboolean
is_of_issuer (SecretItem *item,
              Operation  *op)
{
  g_autoptr(GHashTable) attributes = secret_item_get_attributes (item);
  const char *issuer = g_hash_table_lookup (attributes, "issuer");

  if (issuer != NULL)
    return g_str_equal (issuer, op->issuer);

  return g_strcmp0 (g_hash_table_lookup (attributes, "authority"), op->authority) == 0;
}

/* Called once the search found no locked item, with the lock state of the
 * default collection (where save puts accounts) now known. */
static void
search_done (GTask    *task,
             gboolean  default_locked)
{
  Operation *op = g_task_get_task_data (task);

  switch (op->kind)
    {
    case OPERATION_LOOKUP:
      /* A locked collection may hide the item: that is not "not found". */
      if ((op->paths == NULL || op->paths[0] == NULL) && default_locked)
        g_task_return_error (task, locked_error (op->kind));
      else
        finish_lookup (task);
      break;

    case OPERATION_LIST:
      if (default_locked)
        g_task_return_error (task, locked_error (op->kind));
      else
        finish_list (task);
      break;

    case OPERATION_REMOVE:
      if (op->items == NULL && default_locked)
        g_task_return_error (task, locked_error (op->kind));
      else if (op->items == NULL)
        g_task_return_boolean (task, TRUE);
      else if (op->issuer != NULL)
        {
          /* One account: the items of its id and client id that are of
           * its issuer, not another provider's asserting the same id. */
          for (GList *l = op->items; l != NULL; l = l->next)
            if (is_of_issuer (l->data, op))
              op->strays = g_list_prepend (op->strays, g_object_ref (l->data));
          delete_next_stray (task);
        }
      else
        secret_service_clear (op->service, &account_schema, op->attributes,
                              g_task_get_cancellable (task),
                              clear_cb, g_object_ref (task));
      break;

    case OPERATION_SAVE:
    case OPERATION_UNLOCK:
    default:
      g_assert_not_reached ();
    }
}

static void
default_collection_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretCollection) collection = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  /* No default collection at all: nothing can be hidden in it. */
  search_done (task, collection != NULL && secret_collection_get_locked (collection));
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Operation *op = g_task_get_task_data (task);
  GList *items;

  items = secret_service_search_finish (SECRET_SERVICE (object), result, &error);
  if (error != NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }
  op->items = items;

  /* SECRET_SEARCH_ALL includes locked items without unlocking them (no
   * prompt): their secret is simply not there, so say "locked". */
  for (GList *l = op->items; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        {
          g_debug ("Keyring item %s is locked", item_name (l->data));
          g_task_return_error (task, locked_error (op->kind));
          return;
        }
    }

  /* A found item answers a lookup or removal by itself; a list must also
   * know that no locked collection hides further accounts. */
  if (op->items != NULL && op->kind != OPERATION_LIST)
    {
      search_done (task, FALSE);
      return;
    }

  secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT,
                               SECRET_COLLECTION_NONE,
                               g_task_get_cancellable (task),
                               default_collection_cb, g_object_ref (task));
}

static void warn_next_damaged (GTask *task);

static void
damaged_item_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  g_autoptr(SecretItem) item = secret_item_new_for_dbus_path_finish (result, NULL);
  g_autofree char *label = item != NULL ? secret_item_get_label (item) : NULL;

  /* The label and path let a user find the item in Seahorse; the content
   * may hold tokens and is never printed. */
  g_warning ("Skipping keyring item “%s” (%s): %s", label != NULL ? label : "",
             (const char *) g_ptr_array_index (op->damaged, 0),
             (const char *) g_ptr_array_index (op->damaged, 1));
  g_ptr_array_remove_range (op->damaged, 0, 2);
  warn_next_damaged (task);
}

static void
warn_next_damaged (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  if (op->damaged->len > 0)
    {
      secret_item_new_for_dbus_path (op->service, g_ptr_array_index (op->damaged, 0),
                                     SECRET_ITEM_NONE, g_task_get_cancellable (task),
                                     damaged_item_cb, g_object_ref (task));
      return;
    }

  /* A list must also know that no locked collection hides further accounts. */
  secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT,
                               SECRET_COLLECTION_NONE,
                               g_task_get_cancellable (task),
                               default_collection_cb, g_object_ref (task));
}

static void
list_secrets_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) secrets = NULL;
  Operation *op = g_task_get_task_data (task);

  secrets = secret_service_get_secrets_for_dbus_paths_finish (SECRET_SERVICE (object),
                                                              result, &error);
  if (secrets == NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; op->paths[i] != NULL; i++)
    {
      g_autoptr(GError) item_error = NULL;
      LanyardAccount *account = account_from_value (g_hash_table_lookup (secrets, op->paths[i]),
                                                    &item_error);

      if (account != NULL)
        {
          g_ptr_array_add (op->accounts, account);
          continue;
        }
      g_ptr_array_add (op->damaged, g_strdup (op->paths[i]));
      g_ptr_array_add (op->damaged, g_strdup (item_error->message));
    }

  warn_next_damaged (task);
}

/* A search's paths → their secrets, all in one call whatever their number, to
 * @secrets_cb; locked items are never unlocked here (no prompt): "locked". By
 * D-Bus path: an item proxy per result would cost five more round trips to
 * the bus and the keyring before the secret. */
static void
get_secrets_of_found_paths (GTask               *task,
                            GObject             *service,
                            GAsyncResult        *result,
                            GAsyncReadyCallback  secrets_cb)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) locked = NULL;
  Operation *op = g_task_get_task_data (task);

  if (!secret_service_search_for_dbus_paths_finish (SECRET_SERVICE (service), result,
                                                    &op->paths, &locked, &error))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  if (locked != NULL && locked[0] != NULL)
    {
      g_debug ("Keyring item %s is locked", locked[0]);
      g_task_return_error (task, locked_error (op->kind));
      return;
    }

  if (op->paths == NULL || op->paths[0] == NULL)
    {
      secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT,
                                   SECRET_COLLECTION_NONE,
                                   g_task_get_cancellable (task),
                                   default_collection_cb, g_object_ref (task));
      return;
    }

  secret_service_get_secrets_for_dbus_paths (op->service, (const char **) op->paths,
                                             g_task_get_cancellable (task),
                                             secrets_cb, g_object_ref (task));
}

static void
list_paths_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);

  op->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  op->damaged = g_ptr_array_new_with_free_func (g_free);
  get_secrets_of_found_paths (task, object, result, list_secrets_cb);
}

static void
delete_stray_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_item_delete_finish (SECRET_ITEM (object), result, &error))
    g_debug ("Could not delete the stale keyring item %s: %s",
             item_name (SECRET_ITEM (object)), error->message);

  delete_next_stray (task);
}

static void
delete_next_stray (GTask *task)
{
  Operation *op = g_task_get_task_data (task);
  g_autoptr(SecretItem) item = NULL;

  if (op->strays == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  item = op->strays->data;
  op->strays = g_list_delete_link (op->strays, op->strays);

  g_debug ("Deleting stale keyring item %s of account %s", item_name (item), op->account_id);
  secret_item_delete (item, g_task_get_cancellable (task), delete_stray_cb, g_object_ref (task));
}

static gboolean
same_attributes (GHashTable *a,
                 GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
        return FALSE;
    }

  return TRUE;
}

/* The same account of the same application at the same provider: an account
 * is (id, issuer, client id), and a second provider asserting the same
 * oid/tid (or another application of the same user) is another account whose
 * item — and refresh token — must survive. Items from before the issuer
 * attribute are matched by their authority. */
static gboolean
same_identity (GHashTable *stray,
               GHashTable *ours)
{
  const char *issuer = g_hash_table_lookup (stray, "issuer");

  if (g_strcmp0 (g_hash_table_lookup (stray, "client-id"), g_hash_table_lookup (ours, "client-id")) != 0)
    return FALSE;

  if (issuer != NULL)
    return g_strcmp0 (issuer, g_hash_table_lookup (ours, "issuer")) == 0;

  return g_strcmp0 (g_hash_table_lookup (stray, "authority"), g_hash_table_lookup (ours, "authority")) == 0;
}

static void
search_strays_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Operation *op = g_task_get_task_data (task);
  GList *items;

  items = secret_service_search_finish (SECRET_SERVICE (object), result, &error);
  if (error != NULL)
    {
      /* The account is saved; a leftover item is untidy, not a failure. */
      g_debug ("Could not look for stale keyring items: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);

      /* libsecret adds the schema name to what we asked it to store. */
      g_hash_table_remove (attributes, "xdg:schema");
      if (!same_attributes (attributes, op->attributes) && same_identity (attributes, op->attributes))
        op->strays = g_list_prepend (op->strays, l->data);
      else
        g_object_unref (l->data);
    }
  g_list_free (items);

  delete_next_stray (task);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  Operation *op = g_task_get_task_data (task);

  if (!secret_service_store_finish (SECRET_SERVICE (object), result, &error))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Saved account %s in the keyring", op->account_id);

  /* The Secret Service replaces an item only when all attributes match; an
   * item of the same account under another authority spelling or schema
   * version would survive and make lookups ambiguous. Items of another
   * issuer or client id are other accounts and stay (same_identity ()). */
  by_id = secret_attributes_build (&account_schema, "account-id", op->account_id, NULL);
  secret_service_search (op->service, &account_schema, by_id, SECRET_SEARCH_ALL,
                         g_task_get_cancellable (task),
                         search_strays_cb, g_object_ref (task));
}

/* The Secret Service reports a password dialog that could not be shown (no
 * display, no prompter) exactly like one the user dismissed: "Completed",
 * dismissed, nothing unlocked. Nobody dismisses a dialog this soon after
 * asking for it, so an answer this quick means it never appeared. */
#define UNLOCK_PROMPT_MIN_USEC (G_USEC_PER_SEC / 2)

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Operation *op = g_task_get_task_data (task);
  gint64 waited;

  if (secret_service_unlock_finish (SECRET_SERVICE (object), result, NULL, &error) > 0)
    {
      g_debug ("Unlocked the keyring");
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (error != NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  waited = g_get_monotonic_time () - op->prompted_at;
  g_debug ("The keyring was not unlocked; its prompt answered after %" G_GINT64_FORMAT " ms",
           waited / 1000);

  if (waited < UNLOCK_PROMPT_MIN_USEC)
    g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_KEYRING_LOCKED,
                             _("%s: its password dialog could not be shown"), doing (op->kind));
  else
    g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_CANCELLED,
                             _("The keyring was not unlocked"));
}

static void
unlock_collection_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  Operation *op = g_task_get_task_data (task);
  GList objects = { NULL, NULL, NULL };

  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  if (collection == NULL)
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_KEYRING_UNAVAILABLE,
                               _("%s: there is no default keyring"), doing (op->kind));
      return;
    }

  /* Already open (unlocked since, or never locked): no prompt. */
  if (!secret_collection_get_locked (collection))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  objects.data = collection;
  op->prompted_at = g_get_monotonic_time ();
  secret_service_unlock (op->service, &objects, g_task_get_cancellable (task),
                         unlock_cb, g_object_ref (task));
}

static void
lookup_secrets_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Operation *op = g_task_get_task_data (task);

  op->secrets = secret_service_get_secrets_for_dbus_paths_finish (SECRET_SERVICE (object), result, &error);
  if (op->secrets == NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  finish_lookup (task);
}

static void
lookup_paths_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  get_secrets_of_found_paths (task, object, result, lookup_secrets_cb);
}

static void
service_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Operation *op = g_task_get_task_data (task);
  SecretSearchFlags flags = SECRET_SEARCH_ALL;

  op->service = secret_service_get_finish (result, &error);
  if (op->service == NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->kind == OPERATION_SAVE)
    {
      secret_service_store (op->service, &account_schema, op->attributes,
                            SECRET_COLLECTION_DEFAULT, op->label, op->value,
                            g_task_get_cancellable (task),
                            store_cb, g_object_ref (task));
      return;
    }

  if (op->kind == OPERATION_UNLOCK)
    {
      secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT,
                                   SECRET_COLLECTION_NONE,
                                   g_task_get_cancellable (task),
                                   unlock_collection_cb, g_object_ref (task));
      return;
    }

  if (op->kind == OPERATION_LIST || op->kind == OPERATION_LOOKUP)
    {
      secret_service_search_for_dbus_paths (op->service, &account_schema, op->attributes,
                                            g_task_get_cancellable (task),
                                            op->kind == OPERATION_LIST ? list_paths_cb : lookup_paths_cb,
                                            g_object_ref (task));
      return;
    }

  /* Without SECRET_SEARCH_UNLOCK nothing prompts: removing an account
   * must not pop up an unlock dialog. */
  secret_service_search (op->service, &account_schema, op->attributes, flags,
                         g_task_get_cancellable (task),
                         search_cb, g_object_ref (task));
}

static GTask *
start_operation (LanyardAccountStore *self,
                 OperationKind        kind,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag,
                 Operation          **out_op)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Operation *op = g_new0 (Operation, 1);

  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported in LANYARD_ERROR like every other failure. */
  g_task_set_check_cancellable (task, FALSE);
  op->kind = kind;
  g_task_set_task_data (task, op, operation_free);
  *out_op = op;

  return task;
}

static void
run_operation (GTask *task)
{
  secret_service_get (SECRET_SERVICE_OPEN_SESSION,
                      g_task_get_cancellable (task),
                      service_cb, task);
}

static void
lanyard_account_store_class_init (LanyardAccountStoreClass *klass)
{
}

static void
lanyard_account_store_init (LanyardAccountStore *self)
{
}

/**
 * lanyard_account_store_new:
 *
 * A store on the desktop keyring's default collection, through the Secret
 * Service (libsecret; inside a Flatpak sandbox, the Secret portal).
 *
 * Returns: (transfer full): a new #LanyardAccountStore
 */
LanyardAccountStore *
lanyard_account_store_new (void)
{
  return g_object_new (LANYARD_TYPE_ACCOUNT_STORE, NULL);
}

/**
 * lanyard_account_store_save_async:
 * @self: a #LanyardAccountStore
 * @account: the account to store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the account is stored or not
 * @user_data: data for @callback
 *
 * Stores @account under the label "Lanyard: <username>", replacing its
 * previous item (also one left under another authority spelling or schema
 * version). An account is its id, issuer and client id: items of another
 * issuer or client id are never touched. May ask the desktop to unlock the
 * keyring.
 */
void
lanyard_account_store_save_async (LanyardAccountStore *self,
                                  LanyardAccount      *account,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Operation *op;
  char *json;

  g_return_if_fail (LANYARD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (LANYARD_IS_ACCOUNT (account));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = start_operation (self, OPERATION_SAVE, cancellable, callback, user_data,
                          lanyard_account_store_save_async, &op);
  op->account_id = g_strdup (lanyard_account_get_id (account));
  op->attributes = secret_attributes_build (&account_schema,
                                            "schema-version", LANYARD_ACCOUNT_SCHEMA_VERSION,
                                            "account-id", lanyard_account_get_id (account),
                                            "client-id", lanyard_account_get_client_id (account),
                                            "authority", lanyard_account_get_authority (account),
                                            NULL);
  if (lanyard_account_get_issuer (account) != NULL)
    g_hash_table_insert (op->attributes, g_strdup ("issuer"), g_strdup (lanyard_account_get_issuer (account)));
  op->label = g_strdup_printf ("Lanyard: %s", lanyard_account_get_username (account));

  json = lanyard_account_to_json (account);
  op->value = secret_value_new_full (json, -1, "application/json", free_secret);

  run_operation (task);
}

/**
 * lanyard_account_store_save_finish:
 * @self: a #LanyardAccountStore
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The result of lanyard_account_store_save_async().
 *
 * Returns: %TRUE when the account is stored; else %FALSE with
 *   %LANYARD_ERROR_KEYRING_LOCKED, %LANYARD_ERROR_KEYRING_UNAVAILABLE or
 *   %LANYARD_ERROR_CANCELLED
 */
gboolean
lanyard_account_store_save_finish (LanyardAccountStore *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_account_store_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lanyard_account_store_lookup_async:
 * @self: a #LanyardAccountStore
 * @account_id: the account's id (lanyard_account_get_id())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the account is read
 * @user_data: data for @callback
 *
 * Reads one account from the keyring. Never prompts. Two providers may
 * assert the same id: then this is the most recent sign-in of them;
 * lanyard_client_get_account_async() tells them apart.
 */
void
lanyard_account_store_lookup_async (LanyardAccountStore *self,
                                    const char          *account_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (LANYARD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = start_operation (self, OPERATION_LOOKUP, cancellable, callback, user_data,
                          lanyard_account_store_lookup_async, &op);
  op->account_id = g_strdup (account_id);
  op->attributes = secret_attributes_build (&account_schema, "account-id", account_id, NULL);

  run_operation (task);
}

/**
 * lanyard_account_store_lookup_finish:
 * @self: a #LanyardAccountStore
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The result of lanyard_account_store_lookup_async().
 *
 * Returns: (transfer full): the account; else %NULL with
 *   %LANYARD_ERROR_NOT_FOUND, %LANYARD_ERROR_KEYRING_LOCKED,
 *   %LANYARD_ERROR_KEYRING_UNAVAILABLE or %LANYARD_ERROR_INVALID_RESPONSE (an
 *   item that does not parse)
 */
LanyardAccount *
lanyard_account_store_lookup_finish (LanyardAccountStore *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_account_store_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lanyard_account_store_lookup_account_async (LanyardAccountStore *self,
                                            LanyardAccount      *account,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (LANYARD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (LANYARD_IS_ACCOUNT (account));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* lanyard_account_store_lookup_finish () checks for this tag. */
  task = start_operation (self, OPERATION_LOOKUP, cancellable, callback, user_data,
                          lanyard_account_store_lookup_async, &op);
  op->account_id = g_strdup (lanyard_account_get_id (account));
  op->issuer = g_strdup (lanyard_account_get_issuer (account));
  op->client_id = g_strdup (lanyard_account_get_client_id (account));
  op->attributes = secret_attributes_build (&account_schema,
                                            "account-id", op->account_id,
                                            "client-id", op->client_id,
                                            NULL);

  run_operation (task);
}

void
lanyard_account_store_lookup_all_async (LanyardAccountStore *self,
                                        const char          *account_id,
                                        const char          *issuer,
                                        const char          *client_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (LANYARD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = start_operation (self, OPERATION_LOOKUP, cancellable, callback, user_data,
                          lanyard_account_store_lookup_all_async, &op);
  op->account_id = g_strdup (account_id);
  op->issuer = g_strdup (issuer);
  op->client_id = g_strdup (client_id);
  op->all = TRUE;
  op->attributes = secret_attributes_build (&account_schema, "account-id", account_id, NULL);
  if (client_id != NULL)
    g_hash_table_insert (op->attributes, g_strdup ("client-id"), g_strdup (client_id));

  run_operation (task);
}

GPtrArray *
lanyard_account_store_lookup_all_finish (LanyardAccountStore *self,
                                         GAsyncResult        *result,
                                         GError             **error)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_account_store_lookup_all_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lanyard_account_store_list_async:
 * @self: a #LanyardAccountStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the accounts
 * @user_data: data for @callback
 *
 * Reads every stored account. Items that fail to parse are skipped with a
 * warning naming the item, never its content, and left in the keyring.
 */
void
lanyard_account_store_list_async (LanyardAccountStore *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (LANYARD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = start_operation (self, OPERATION_LIST, cancellable, callback, user_data,
                          lanyard_account_store_list_async, &op);
  op->attributes = secret_attributes_build (&account_schema, NULL);

  run_operation (task);
}

/**
 * lanyard_account_store_list_finish:
 * @self: a #LanyardAccountStore
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The result of lanyard_account_store_list_async().
 *
 * Returns: (transfer container) (element-type LanyardAccount): the accounts,
 *   newest sign-in first (empty when there are none); %NULL on error
 */
GPtrArray *
lanyard_account_store_list_finish (LanyardAccountStore *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_account_store_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lanyard_account_store_remove_async:
 * @self: a #LanyardAccountStore
 * @account_id: the account's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the item is gone
 * @user_data: data for @callback
 *
 * Removes an account's item. Removing one that is not there is not an
 * error; with the keyring locked it is %LANYARD_ERROR_KEYRING_LOCKED.
 */
void
lanyard_account_store_remove_async (LanyardAccountStore *self,
                                    const char          *account_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (LANYARD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = start_operation (self, OPERATION_REMOVE, cancellable, callback, user_data,
                          lanyard_account_store_remove_async, &op);
  op->account_id = g_strdup (account_id);
  op->attributes = secret_attributes_build (&account_schema, "account-id", account_id, NULL);

  run_operation (task);
}

void
lanyard_account_store_remove_account_async (LanyardAccountStore *self,
                                            LanyardAccount      *account,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (LANYARD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (LANYARD_IS_ACCOUNT (account));

  /* lanyard_account_store_remove_finish () checks for this tag. */
  task = start_operation (self, OPERATION_REMOVE, cancellable, callback, user_data,
                          lanyard_account_store_remove_async, &op);
  op->account_id = g_strdup (lanyard_account_get_id (account));
  op->issuer = g_strdup (lanyard_account_get_issuer (account));
  op->authority = g_strdup (lanyard_account_get_authority (account));
  op->attributes = secret_attributes_build (&account_schema,
                                            "account-id", lanyard_account_get_id (account),
                                            "client-id", lanyard_account_get_client_id (account),
                                            NULL);

  run_operation (task);
}

/**
 * lanyard_account_store_remove_finish:
 * @self: a #LanyardAccountStore
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * The result of lanyard_account_store_remove_async().
 *
 * Returns: %TRUE when the item is gone
 */
gboolean
lanyard_account_store_remove_finish (LanyardAccountStore *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_account_store_remove_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lanyard_account_store_unlock_async (LanyardAccountStore *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (LANYARD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = start_operation (self, OPERATION_UNLOCK, cancellable, callback, user_data,
                          lanyard_account_store_unlock_async, &op);

  run_operation (task);
}

gboolean
lanyard_account_store_unlock_finish (LanyardAccountStore *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (LANYARD_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_account_store_unlock_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
