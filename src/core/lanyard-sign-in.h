/* lanyard-sign-in.h — one interactive sign-in, observable while it runs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lanyard-account.h"
#include "lanyard-client.h"
#include "lanyard-device-code.h"

G_BEGIN_DECLS

/**
 * LanyardSignInFlow:
 * @LANYARD_SIGN_IN_FLOW_BROWSER: the authorization code flow with PKCE in
 *   the browser, answered on a loopback listener (RFC 8252)
 * @LANYARD_SIGN_IN_FLOW_DEVICE_CODE: the device authorization grant
 *   (RFC 8628): the user approves a short code on another device
 *
 * How a [class@Lanyard.SignIn] asks the user.
 */
typedef enum {
  LANYARD_SIGN_IN_FLOW_BROWSER,
  LANYARD_SIGN_IN_FLOW_DEVICE_CODE,
} LanyardSignInFlow;

/**
 * LanyardSignInPhase:
 * @LANYARD_SIGN_IN_PHASE_NOT_STARTED: lanyard_sign_in_run_async() was not
 *   called yet
 * @LANYARD_SIGN_IN_PHASE_PREPARING: reading the provider's discovery
 *   document, opening the loopback listener or asking for a device code
 * @LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER: the user signs in in the
 *   browser; [property@Lanyard.SignIn:uri] is the page (show it, so that it
 *   can be opened by hand), [property@Lanyard.SignIn:browser-error] says
 *   when the browser could not be opened
 * @LANYARD_SIGN_IN_PHASE_WAITING_FOR_OTHER_DEVICE: the user approves on
 *   another device; [property@Lanyard.SignIn:device-code] says where and
 *   with which code
 * @LANYARD_SIGN_IN_PHASE_REDEEMING: the provider answered; the tokens are
 *   fetched and the ID token is checked
 * @LANYARD_SIGN_IN_PHASE_SAVING: the account is being written to the keyring
 * @LANYARD_SIGN_IN_PHASE_DONE: signed in: [property@Lanyard.SignIn:account]
 * @LANYARD_SIGN_IN_PHASE_FAILED: it failed: [property@Lanyard.SignIn:error]
 * @LANYARD_SIGN_IN_PHASE_CANCELLED: it was cancelled; nothing was kept
 *
 * Where a [class@Lanyard.SignIn] is. The last three are final.
 */
typedef enum {
  LANYARD_SIGN_IN_PHASE_NOT_STARTED,
  LANYARD_SIGN_IN_PHASE_PREPARING,
  LANYARD_SIGN_IN_PHASE_WAITING_FOR_BROWSER,
  LANYARD_SIGN_IN_PHASE_WAITING_FOR_OTHER_DEVICE,
  LANYARD_SIGN_IN_PHASE_REDEEMING,
  LANYARD_SIGN_IN_PHASE_SAVING,
  LANYARD_SIGN_IN_PHASE_DONE,
  LANYARD_SIGN_IN_PHASE_FAILED,
  LANYARD_SIGN_IN_PHASE_CANCELLED,
} LanyardSignInPhase;

#define LANYARD_TYPE_SIGN_IN (lanyard_sign_in_get_type ())
G_DECLARE_FINAL_TYPE (LanyardSignIn, lanyard_sign_in, LANYARD, SIGN_IN, GObject)

LanyardSignIn      *lanyard_sign_in_new               (LanyardClient       *client);

LanyardClient      *lanyard_sign_in_get_client        (LanyardSignIn       *self);
LanyardSignInFlow   lanyard_sign_in_get_flow          (LanyardSignIn       *self);
void                lanyard_sign_in_set_flow          (LanyardSignIn       *self,
                                                       LanyardSignInFlow    flow);
const char         *lanyard_sign_in_get_prompt        (LanyardSignIn       *self);
void                lanyard_sign_in_set_prompt        (LanyardSignIn       *self,
                                                       const char          *prompt);
const char         *lanyard_sign_in_get_login_hint    (LanyardSignIn       *self);
void                lanyard_sign_in_set_login_hint    (LanyardSignIn       *self,
                                                       const char          *login_hint);
const char         *lanyard_sign_in_get_domain_hint   (LanyardSignIn       *self);
void                lanyard_sign_in_set_domain_hint   (LanyardSignIn       *self,
                                                       const char          *domain_hint);
const char         *lanyard_sign_in_get_claims        (LanyardSignIn       *self);
void                lanyard_sign_in_set_claims        (LanyardSignIn       *self,
                                                       const char          *claims);
const char * const *lanyard_sign_in_get_extra_scopes  (LanyardSignIn       *self);
void                lanyard_sign_in_set_extra_scopes  (LanyardSignIn       *self,
                                                       const char * const  *extra_scopes);

LanyardSignInPhase  lanyard_sign_in_get_phase         (LanyardSignIn       *self);
const char         *lanyard_sign_in_get_uri           (LanyardSignIn       *self);
const GError       *lanyard_sign_in_get_browser_error (LanyardSignIn       *self);
LanyardDeviceCode  *lanyard_sign_in_get_device_code   (LanyardSignIn       *self);
LanyardAccount     *lanyard_sign_in_get_account       (LanyardSignIn       *self);
const GError       *lanyard_sign_in_get_error         (LanyardSignIn       *self);

void                lanyard_sign_in_run_async         (LanyardSignIn       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
LanyardAccount     *lanyard_sign_in_run_finish        (LanyardSignIn       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

gboolean            lanyard_sign_in_check_claims      (const char          *claims,
                                                       GError             **error);

#ifdef LANYARD_COMPILATION
/* Private to the core and its tests: what the flows report as they go. */
void                lanyard_sign_in_set_phase         (LanyardSignIn       *self,
                                                       LanyardSignInPhase   phase);
void                lanyard_sign_in_set_uri           (LanyardSignIn       *self,
                                                       const char          *uri);
void                lanyard_sign_in_set_browser_error (LanyardSignIn       *self,
                                                       const GError        *error);
void                lanyard_sign_in_set_device_code   (LanyardSignIn       *self,
                                                       LanyardDeviceCode   *code);
/* The configured scopes followed by the extra ones, without repeats. */
char              **lanyard_sign_in_dup_scopes        (LanyardSignIn       *self);
/* The claims request as JSON text (decoded when it came base64-encoded, as
 * Entra's challenges send it), NULL when there is none. */
const char         *lanyard_sign_in_get_claims_json   (LanyardSignIn       *self);
#endif

G_END_DECLS
