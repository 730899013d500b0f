/* lanyard-sign-in.c — one interactive sign-in, observable while it runs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The object a UI holds while a person signs in: what was asked (prompt,
 * hints, claims, extra scopes, browser or another device) and where it is
 * (the phase, the page, the device code, then the account or the error), as
 * properties a UI binds to. The flows themselves are the client's
 * (lanyard-client-sign-in.c, lanyard-client-device.c); they report here.
 */
#define G_LOG_DOMAIN "lanyard-client"

#include "config.h"

#include <string.h>

#include "lanyard-base64url.h"
#include "lanyard-client-private.h"
#include "lanyard-enum-types.h"
#include "lanyard-error.h"
#include "lanyard-i18n-private.h"
#include "lanyard-json.h"
#include "lanyard-sign-in.h"

/* A claims request is small (MSAL's are a few hundred bytes). */
#define MAX_CLAIMS_BYTES 8192

struct _LanyardSignIn
{
  GObject             parent_instance;

  LanyardClient      *client;
  LanyardSignInFlow   flow;
  char               *prompt;
  char               *login_hint;
  char               *domain_hint;
  char               *claims;
  char               *claims_json;   /* decoded at run */
  char              **extra_scopes;

  LanyardSignInPhase  phase;
  char               *uri;
  GError             *browser_error;
  LanyardDeviceCode  *device_code;
  LanyardAccount     *account;
  GError             *error;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_FLOW,
  PROP_PROMPT,
  PROP_LOGIN_HINT,
  PROP_DOMAIN_HINT,
  PROP_CLAIMS,
  PROP_EXTRA_SCOPES,
  PROP_PHASE,
  PROP_URI,
  PROP_BROWSER_ERROR,
  PROP_DEVICE_CODE,
  PROP_ACCOUNT,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/**
 * LanyardSignIn:
 *
 * One interactive sign-in: in the browser (the authorization code flow with
 * PKCE, answered on a loopback listener) or on another device (the device
 * authorization grant). Set what to ask the provider, then call
 * [method@Lanyard.SignIn.run_async]; while it runs, its read-only
 * properties say where it is — bind a page to
 * [property@Lanyard.SignIn:phase], show [property@Lanyard.SignIn:uri] or
 * [property@Lanyard.SignIn:device-code] — and each change is notified.
 *
 * ```python
 * sign_in = Lanyard.SignIn.new(client)
 * sign_in.props.prompt = 'select_account'
 * sign_in.connect('notify::phase', lambda s, _: print(s.props.phase, s.props.uri))
 * sign_in.run_async(cancellable, on_signed_in)
 * ```
 *
 * A sign-in runs once. Sign-ins are independent: a second one started while
 * another waits does not cancel it (each has its own listener and state; with
 * a fixed redirect port configured, the second fails to listen, and the first
 * goes on). Cancelling the #GCancellable given to run_async() ends it at once
 * with %LANYARD_ERROR_CANCELLED and the phase
 * %LANYARD_SIGN_IN_PHASE_CANCELLED; nothing is sent after it, and nothing of
 * it is kept.
 */
G_DEFINE_FINAL_TYPE (LanyardSignIn, lanyard_sign_in, G_TYPE_OBJECT)

static void
lanyard_sign_in_dispose (GObject *object)
{
  LanyardSignIn *self = LANYARD_SIGN_IN (object);

  g_clear_object (&self->client);
  g_clear_object (&self->device_code);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (lanyard_sign_in_parent_class)->dispose (object);
}

static void
lanyard_sign_in_finalize (GObject *object)
{
  LanyardSignIn *self = LANYARD_SIGN_IN (object);

  g_free (self->prompt);
  g_free (self->login_hint);
  g_free (self->domain_hint);
  g_free (self->claims);
  g_free (self->claims_json);
  g_strfreev (self->extra_scopes);
  g_free (self->uri);
  g_clear_error (&self->browser_error);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (lanyard_sign_in_parent_class)->finalize (object);
}

static void
lanyard_sign_in_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LanyardSignIn *self = LANYARD_SIGN_IN (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_FLOW:
      g_value_set_enum (value, self->flow);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_LOGIN_HINT:
      g_value_set_string (value, self->login_hint);
      break;
    case PROP_DOMAIN_HINT:
      g_value_set_string (value, self->domain_hint);
      break;
    case PROP_CLAIMS:
      g_value_set_string (value, self->claims);
      break;
    case PROP_EXTRA_SCOPES:
      g_value_set_boxed (value, self->extra_scopes);
      break;
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_BROWSER_ERROR:
      g_value_set_boxed (value, self->browser_error);
      break;
    case PROP_DEVICE_CODE:
      g_value_set_object (value, self->device_code);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_sign_in_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LanyardSignIn *self = LANYARD_SIGN_IN (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_FLOW:
      lanyard_sign_in_set_flow (self, g_value_get_enum (value));
      break;
    case PROP_PROMPT:
      lanyard_sign_in_set_prompt (self, g_value_get_string (value));
      break;
    case PROP_LOGIN_HINT:
      lanyard_sign_in_set_login_hint (self, g_value_get_string (value));
      break;
    case PROP_DOMAIN_HINT:
      lanyard_sign_in_set_domain_hint (self, g_value_get_string (value));
      break;
    case PROP_CLAIMS:
      lanyard_sign_in_set_claims (self, g_value_get_string (value));
      break;
    case PROP_EXTRA_SCOPES:
      lanyard_sign_in_set_extra_scopes (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lanyard_sign_in_class_init (LanyardSignInClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags option = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags state = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lanyard_sign_in_dispose;
  object_class->finalize = lanyard_sign_in_finalize;
  object_class->get_property = lanyard_sign_in_get_property;
  object_class->set_property = lanyard_sign_in_set_property;

  /**
   * LanyardSignIn:client:
   *
   * The client that signs in: its configuration, keyring and browser.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, LANYARD_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * LanyardSignIn:flow:
   *
   * In the browser (the default) or on another device. Like every option,
   * it can be set until the sign-in starts.
   */
  properties[PROP_FLOW] =
    g_param_spec_enum ("flow", NULL, NULL, LANYARD_TYPE_SIGN_IN_FLOW,
                       LANYARD_SIGN_IN_FLOW_BROWSER, option);

  /**
   * LanyardSignIn:prompt:
   *
   * The OpenID `prompt`: `login`, `consent`, `select_account` (sent as
   * `login` where the provider does not list it), or `create` for a sign-up
   * page. Browser sign-in only.
   */
  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL, NULL, option);

  /**
   * LanyardSignIn:login-hint:
   *
   * A user name for the provider to fill in. Browser sign-in only.
   */
  properties[PROP_LOGIN_HINT] =
    g_param_spec_string ("login-hint", NULL, NULL, NULL, option);

  /**
   * LanyardSignIn:domain-hint:
   *
   * Entra's `domain_hint`. Browser sign-in only.
   */
  properties[PROP_DOMAIN_HINT] =
    g_param_spec_string ("domain-hint", NULL, NULL, NULL, option);

  /**
   * LanyardSignIn:claims:
   *
   * An OpenID Connect claims request (Core §5.5), as an API's
   * `WWW-Authenticate: Bearer error="insufficient_claims", claims="…"`
   * challenge carries it (see lanyard_client_send_authorized_get_claims()):
   * a JSON object, or the same base64-encoded as Entra sends it. It is sent
   * as the `claims` parameter of the authorization request, as MSAL does.
   * Checked when the sign-in starts (lanyard_sign_in_check_claims()).
   * Browser sign-in only: a device sign-in with claims fails with
   * %LANYARD_ERROR_CONFIGURATION rather than get a token without them.
   */
  properties[PROP_CLAIMS] =
    g_param_spec_string ("claims", NULL, NULL, NULL, option);

  /**
   * LanyardSignIn:extra-scopes:
   *
   * Scopes to ask for beyond the configuration's (incremental consent: an
   * API the user has not yet agreed to). Later silent requests for them are
   * then answered with the refresh token.
   */
  properties[PROP_EXTRA_SCOPES] =
    g_param_spec_boxed ("extra-scopes", NULL, NULL, G_TYPE_STRV, option);

  /**
   * LanyardSignIn:phase:
   *
   * Where the sign-in is.
   */
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, LANYARD_TYPE_SIGN_IN_PHASE,
                       LANYARD_SIGN_IN_PHASE_NOT_STARTED, state);

  /**
   * LanyardSignIn:uri:
   *
   * The provider's sign-in page, from
   * %LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER on: the browser is opened on
   * it; show it too, so that it can be opened by hand.
   */
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL, state);

  /**
   * LanyardSignIn:browser-error:
   *
   * Why the browser could not be opened (%LANYARD_ERROR_BROWSER), or %NULL.
   * The sign-in keeps waiting for the page to be opened by hand.
   */
  properties[PROP_BROWSER_ERROR] =
    g_param_spec_boxed ("browser-error", NULL, NULL, G_TYPE_ERROR, state);

  /**
   * LanyardSignIn:device-code:
   *
   * For a sign-in on another device, from
   * %LANYARD_SIGN_IN_PHASE_WAITING_FOR_OTHER_DEVICE on: the code to type,
   * where, and until when. It stays set after the sign-in ended (an
   * expired code can be shown as such).
   */
  properties[PROP_DEVICE_CODE] =
    g_param_spec_object ("device-code", NULL, NULL, LANYARD_TYPE_DEVICE_CODE, state);

  /**
   * LanyardSignIn:account:
   *
   * Who signed in, once the phase is %LANYARD_SIGN_IN_PHASE_DONE.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, LANYARD_TYPE_ACCOUNT, state);

  /**
   * LanyardSignIn:error:
   *
   * Why it did not succeed, once the phase is
   * %LANYARD_SIGN_IN_PHASE_FAILED or %LANYARD_SIGN_IN_PHASE_CANCELLED.
   */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, state);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lanyard_sign_in_init (LanyardSignIn *self)
{
}

/**
 * lanyard_sign_in_new:
 * @client: the client to sign in with
 *
 * A sign-in in the browser with no options; set them before
 * lanyard_sign_in_run_async().
 *
 * Returns: (transfer full): a new #LanyardSignIn
 */
LanyardSignIn *
lanyard_sign_in_new (LanyardClient *client)
{
  g_return_val_if_fail (LANYARD_IS_CLIENT (client), NULL);

  return g_object_new (LANYARD_TYPE_SIGN_IN, "client", client, NULL);
}

/* Options change only before the start: the flow has read them then. */
static gboolean
can_set_option (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), FALSE);
  g_return_val_if_fail (self->phase == LANYARD_SIGN_IN_PHASE_NOT_STARTED, FALSE);

  return TRUE;
}

static void
set_string_option (LanyardSignIn  *self,
                   char          **field,
                   const char     *value,
                   guint           prop)
{
  if (!can_set_option (self))
    return;

  /* An empty string is no value, as for the authorize parameters. */
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * lanyard_sign_in_get_client:
 * @self: a #LanyardSignIn
 *
 * The client that signs in.
 *
 * Returns: (transfer none): the client
 */
LanyardClient *
lanyard_sign_in_get_client (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->client;
}

/**
 * lanyard_sign_in_get_flow:
 * @self: a #LanyardSignIn
 *
 * In the browser or on another device.
 *
 * Returns: the flow
 */
LanyardSignInFlow
lanyard_sign_in_get_flow (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), LANYARD_SIGN_IN_FLOW_BROWSER);
  return self->flow;
}

/**
 * lanyard_sign_in_set_flow:
 * @self: a #LanyardSignIn
 * @flow: in the browser or on another device
 *
 * Chooses the flow, before the sign-in starts.
 */
void
lanyard_sign_in_set_flow (LanyardSignIn     *self,
                          LanyardSignInFlow  flow)
{
  if (!can_set_option (self) || self->flow == flow)
    return;

  self->flow = flow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLOW]);
}

/**
 * lanyard_sign_in_get_prompt:
 * @self: a #LanyardSignIn
 *
 * The OpenID `prompt` to send.
 *
 * Returns: (nullable): the prompt
 */
const char *
lanyard_sign_in_get_prompt (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->prompt;
}

/**
 * lanyard_sign_in_set_prompt:
 * @self: a #LanyardSignIn
 * @prompt: (nullable): `login`, `consent`, `select_account` or `create`
 *
 * Sets [property@Lanyard.SignIn:prompt], before the sign-in starts.
 */
void
lanyard_sign_in_set_prompt (LanyardSignIn *self,
                            const char    *prompt)
{
  set_string_option (self, &self->prompt, prompt, PROP_PROMPT);
}

/**
 * lanyard_sign_in_get_login_hint:
 * @self: a #LanyardSignIn
 *
 * The user name the provider is asked to fill in.
 *
 * Returns: (nullable): the login hint
 */
const char *
lanyard_sign_in_get_login_hint (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->login_hint;
}

/**
 * lanyard_sign_in_set_login_hint:
 * @self: a #LanyardSignIn
 * @login_hint: (nullable): a user name
 *
 * Sets [property@Lanyard.SignIn:login-hint], before the sign-in starts.
 */
void
lanyard_sign_in_set_login_hint (LanyardSignIn *self,
                                const char    *login_hint)
{
  set_string_option (self, &self->login_hint, login_hint, PROP_LOGIN_HINT);
}

/**
 * lanyard_sign_in_get_domain_hint:
 * @self: a #LanyardSignIn
 *
 * Entra's `domain_hint`.
 *
 * Returns: (nullable): the domain hint
 */
const char *
lanyard_sign_in_get_domain_hint (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->domain_hint;
}

/**
 * lanyard_sign_in_set_domain_hint:
 * @self: a #LanyardSignIn
 * @domain_hint: (nullable): a domain, such as `contoso.com`
 *
 * Sets [property@Lanyard.SignIn:domain-hint], before the sign-in starts.
 */
void
lanyard_sign_in_set_domain_hint (LanyardSignIn *self,
                                 const char    *domain_hint)
{
  set_string_option (self, &self->domain_hint, domain_hint, PROP_DOMAIN_HINT);
}

/**
 * lanyard_sign_in_get_claims:
 * @self: a #LanyardSignIn
 *
 * The claims request, as it was set.
 *
 * Returns: (nullable): the claims request
 */
const char *
lanyard_sign_in_get_claims (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->claims;
}

/**
 * lanyard_sign_in_set_claims:
 * @self: a #LanyardSignIn
 * @claims: (nullable): a claims request: a JSON object, or base64 of one
 *
 * Sets [property@Lanyard.SignIn:claims], before the sign-in starts. A
 * request that is not a JSON object fails the sign-in when it starts, with
 * %LANYARD_ERROR_CONFIGURATION; lanyard_sign_in_check_claims() tells before.
 */
void
lanyard_sign_in_set_claims (LanyardSignIn *self,
                            const char    *claims)
{
  set_string_option (self, &self->claims, claims, PROP_CLAIMS);
}

/**
 * lanyard_sign_in_get_extra_scopes:
 * @self: a #LanyardSignIn
 *
 * The scopes asked for beyond the configuration's.
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): the scopes
 */
const char * const *
lanyard_sign_in_get_extra_scopes (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return (const char * const *) self->extra_scopes;
}

/**
 * lanyard_sign_in_set_extra_scopes:
 * @self: a #LanyardSignIn
 * @extra_scopes: (nullable) (array zero-terminated=1): scopes, such as
 *   `api://orders/read`
 *
 * Sets [property@Lanyard.SignIn:extra-scopes], before the sign-in starts.
 */
void
lanyard_sign_in_set_extra_scopes (LanyardSignIn      *self,
                                  const char * const *extra_scopes)
{
  if (!can_set_option (self))
    return;

  if (extra_scopes != NULL && extra_scopes[0] == NULL)
    extra_scopes = NULL;
  if (extra_scopes == NULL && self->extra_scopes == NULL)
    return;
  if (extra_scopes != NULL && self->extra_scopes != NULL &&
      g_strv_equal (extra_scopes, (const char * const *) self->extra_scopes))
    return;

  g_strfreev (self->extra_scopes);
  self->extra_scopes = g_strdupv ((char **) extra_scopes);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTRA_SCOPES]);
}

/**
 * lanyard_sign_in_get_phase:
 * @self: a #LanyardSignIn
 *
 * Where the sign-in is.
 *
 * Returns: the phase
 */
LanyardSignInPhase
lanyard_sign_in_get_phase (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), LANYARD_SIGN_IN_PHASE_NOT_STARTED);
  return self->phase;
}

/**
 * lanyard_sign_in_get_uri:
 * @self: a #LanyardSignIn
 *
 * The provider's sign-in page, once known.
 *
 * Returns: (nullable): the URI
 */
const char *
lanyard_sign_in_get_uri (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->uri;
}

/**
 * lanyard_sign_in_get_browser_error:
 * @self: a #LanyardSignIn
 *
 * Why the browser could not be opened.
 *
 * Returns: (nullable) (transfer none): the error, or %NULL
 */
const GError *
lanyard_sign_in_get_browser_error (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->browser_error;
}

/**
 * lanyard_sign_in_get_device_code:
 * @self: a #LanyardSignIn
 *
 * What the user needs to approve a sign-in on another device.
 *
 * Returns: (nullable) (transfer none): the device code, once known
 */
LanyardDeviceCode *
lanyard_sign_in_get_device_code (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->device_code;
}

/**
 * lanyard_sign_in_get_account:
 * @self: a #LanyardSignIn
 *
 * Who signed in.
 *
 * Returns: (nullable) (transfer none): the account, once done
 */
LanyardAccount *
lanyard_sign_in_get_account (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->account;
}

/**
 * lanyard_sign_in_get_error:
 * @self: a #LanyardSignIn
 *
 * Why the sign-in failed or that it was cancelled.
 *
 * Returns: (nullable) (transfer none): the error, once failed or cancelled
 */
const GError *
lanyard_sign_in_get_error (LanyardSignIn *self)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  return self->error;
}

/* ---- what the flows report ------------------------------------------------- */

void
lanyard_sign_in_set_phase (LanyardSignIn      *self,
                           LanyardSignInPhase  phase)
{
  if (self == NULL || self->phase == phase)
    return;

  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
}

void
lanyard_sign_in_set_uri (LanyardSignIn *self,
                         const char    *uri)
{
  if (self != NULL && set_str (&self->uri, uri))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
}

void
lanyard_sign_in_set_browser_error (LanyardSignIn *self,
                                   const GError  *error)
{
  if (self == NULL)
    return;

  g_clear_error (&self->browser_error);
  self->browser_error = error ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BROWSER_ERROR]);
}

void
lanyard_sign_in_set_device_code (LanyardSignIn     *self,
                                 LanyardDeviceCode *code)
{
  if (self != NULL && g_set_object (&self->device_code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_CODE]);
}

char **
lanyard_sign_in_dup_scopes (LanyardSignIn *self)
{
  const LanyardConfig *config = lanyard_client_get_config (self->client);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  for (guint i = 0; config->scopes != NULL && config->scopes[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (seen, config->scopes[i], g_str_equal, NULL))
      g_ptr_array_add (seen, config->scopes[i]);
  for (guint i = 0; self->extra_scopes != NULL && self->extra_scopes[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (seen, self->extra_scopes[i], g_str_equal, NULL))
      g_ptr_array_add (seen, self->extra_scopes[i]);

  for (guint i = 0; i < seen->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (seen, i));

  return g_strv_builder_end (builder);
}

const char *
lanyard_sign_in_get_claims_json (LanyardSignIn *self)
{
  return self->claims_json;
}

/* ---- claims ---------------------------------------------------------------- */

/* The JSON text of a claims request given as JSON or as base64 (standard or
 * URL-safe, padded or not) of JSON; NULL with LANYARD_ERROR_CONFIGURATION. */
static char *
decode_claims (const char  *claims,
               GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autofree char *text = NULL;
  const char *json = claims;
  gsize len;

  if (strlen (claims) > MAX_CLAIMS_BYTES)
    {
      g_set_error (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                   _("The claims request is too long (more than %u bytes)"), MAX_CLAIMS_BYTES);
      return NULL;
    }

  /* Entra's challenges carry it base64-encoded. */
  if (claims[strspn (claims, " \t\r\n")] != '{')
    {
      g_autofree char *urlsafe = g_strdelimit (g_strdup (claims), "+", '-');

      g_strdelimit (urlsafe, "/", '_');
      len = strlen (urlsafe);
      while (len > 0 && urlsafe[len - 1] == '=')
        urlsafe[--len] = '\0';
      decoded = lanyard_base64url_decode (urlsafe, -1, NULL);
      if (decoded == NULL)
        {
          g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                               _("The claims request is not a JSON object, nor base64 of one"));
          return NULL;
        }
      text = g_strndup (g_bytes_get_data (decoded, NULL), g_bytes_get_size (decoded));
      if (strlen (text) != g_bytes_get_size (decoded))
        {
          g_set_error_literal (error, LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                               _("The claims request is not a JSON object, nor base64 of one"));
          return NULL;
        }
      json = text;
    }

  object = lanyard_json_parse_object (json, -1, _("The claims request"),
                                      LANYARD_ERROR_CONFIGURATION, error);
  if (object == NULL)
    return NULL;

  return g_strdup (json);
}

/**
 * lanyard_sign_in_check_claims:
 * @claims: a claims request
 * @error: return location for a #GError
 *
 * Whether @claims can be a [property@Lanyard.SignIn:claims]: one JSON
 * object (OpenID Connect Core §5.5), as text or base64-encoded, at most
 * 8 KiB.
 *
 * Returns: %TRUE when it can; else %FALSE with %LANYARD_ERROR_CONFIGURATION
 */
gboolean
lanyard_sign_in_check_claims (const char  *claims,
                              GError     **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (claims != NULL, FALSE);

  json = decode_claims (claims, error);
  return json != NULL;
}

/* ---- running --------------------------------------------------------------- */

static void
finish_run (GTask          *task,
            LanyardAccount *account,
            GError         *error)
{
  LanyardSignIn *self = g_task_get_source_object (task);

  g_object_freeze_notify (G_OBJECT (self));
  if (account != NULL)
    {
      g_set_object (&self->account, account);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
      lanyard_sign_in_set_phase (self, LANYARD_SIGN_IN_PHASE_DONE);
    }
  else
    {
      error = lanyard_error_from_gerror (error);
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      lanyard_sign_in_set_phase (self, g_error_matches (error, LANYARD_ERROR, LANYARD_ERROR_CANCELLED)
                                         ? LANYARD_SIGN_IN_PHASE_CANCELLED
                                         : LANYARD_SIGN_IN_PHASE_FAILED);
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (account != NULL)
    g_task_return_pointer (task, account, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
flow_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LanyardSignIn *self = g_task_get_source_object (task);
  LanyardAccount *account;
  GError *error = NULL;

  if (self->flow == LANYARD_SIGN_IN_FLOW_DEVICE_CODE)
    account = lanyard_client_device_sign_in_finish (LANYARD_CLIENT (source), result, &error);
  else
    account = lanyard_client_browser_sign_in_finish (LANYARD_CLIENT (source), result, &error);

  finish_run (task, account, error);
}

/**
 * lanyard_sign_in_run_async:
 * @self: a #LanyardSignIn
 * @cancellable: (nullable): a #GCancellable; cancelling ends the sign-in at
 *   once, and nothing is sent or kept after it
 * @callback: called when the sign-in is done, failed or cancelled
 * @user_data: data for @callback
 *
 * Starts the sign-in. In the browser: provider discovery, a one-shot
 * loopback listener on 127.0.0.1 or ::1, the authorization request with
 * PKCE in the user's browser ([iface@Lanyard.Browser]), code redemption, ID
 * token validation, then the account kept in the keyring. On another device
 * (RFC 8628): a device code from the provider's
 * `device_authorization_endpoint` (for Entra authorities
 * `<authority>oauth2/v2.0/devicecode` when discovery omits it), then the
 * token endpoint polled every `interval` seconds (5 more after each
 * `slow_down`) until the user approved; the tokens then take the same path.
 *
 * When the keyring is locked or missing, the account is kept for this
 * session only ([property@Lanyard.Account:storage-error] says why) and the
 * sign-in still succeeds. A sign-in runs once.
 */
void
lanyard_sign_in_run_async (LanyardSignIn       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) scopes = NULL;
  GError *error = NULL;

  g_return_if_fail (LANYARD_IS_SIGN_IN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lanyard_sign_in_run_async);
  /* The flow's answer is the answer: a cancellation it did not see (after
   * the account was kept) must not turn a kept account into an error. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->phase != LANYARD_SIGN_IN_PHASE_NOT_STARTED)
    {
      g_task_return_new_error (task, LANYARD_ERROR, LANYARD_ERROR_FAILED,
                               _("This sign-in has already been started"));
      return;
    }

  lanyard_sign_in_set_phase (self, LANYARD_SIGN_IN_PHASE_PREPARING);

  if (self->claims != NULL && !(self->claims_json = decode_claims (self->claims, &error)))
    {
      finish_run (task, NULL, error);
      return;
    }

  if (self->claims != NULL && self->flow == LANYARD_SIGN_IN_FLOW_DEVICE_CODE)
    {
      finish_run (task, NULL, g_error_new_literal (LANYARD_ERROR, LANYARD_ERROR_CONFIGURATION,
                                                   _("A claims request needs a sign-in in the "
                                                     "browser, not on another device")));
      return;
    }

  scopes = lanyard_sign_in_dup_scopes (self);
  if (self->extra_scopes != NULL && !lanyard_config_check_scopes ((const char * const *) scopes, &error))
    {
      finish_run (task, NULL, error);
      return;
    }

  if (self->flow == LANYARD_SIGN_IN_FLOW_DEVICE_CODE)
    lanyard_client_device_sign_in_async (self->client, self, cancellable,
                                         flow_done_cb, g_steal_pointer (&task));
  else
    lanyard_client_browser_sign_in_async (self->client, self, cancellable,
                                          flow_done_cb, g_steal_pointer (&task));
}

/**
 * lanyard_sign_in_run_finish:
 * @self: a #LanyardSignIn
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Errors include %LANYARD_ERROR_CANCELLED, %LANYARD_ERROR_TIMED_OUT (no
 * answer in time, or the device code expired), %LANYARD_ERROR_PROVIDER (the
 * user declined, for example), %LANYARD_ERROR_INVALID_TOKEN,
 * %LANYARD_ERROR_NETWORK, %LANYARD_ERROR_TLS and
 * %LANYARD_ERROR_CONFIGURATION (no client id; a claims request that is not
 * a JSON object; a provider without sign-in on another device).
 *
 * Returns: (transfer full): the signed-in account, or %NULL with @error set
 */
LanyardAccount *
lanyard_sign_in_run_finish (LanyardSignIn  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (LANYARD_IS_SIGN_IN (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lanyard_sign_in_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
