/* lanyard-fake-provider.h — a fault-injecting OpenID provider and an
 * in-process browser for client-level tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The provider is a SoupServer on 127.0.0.1 (ephemeral port) that serves
 * discovery, a JWKS, authorize, token, revocation and end_session. Each
 * endpoint can be told to misbehave. Its issuer is its base URL, so it is a
 * loopback generic authority (plain http allowed).
 *
 * The browser implements LanyardBrowser: it sends the authorize URL to the
 * provider without following redirects and delivers the authorization
 * response to the loopback listener itself (a GET for response_mode=query, a
 * form POST for form_post), like a user who clicks through at once.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lanyard.h"
#include "lanyard-test-jwt.h"

G_BEGIN_DECLS

#define LANYARD_FAKE_CLIENT_ID "a1b2c3d4-0000-4000-8000-00000000c11e"
#define LANYARD_FAKE_OID "0b0e0c0d-1111-4222-8333-444455556666"
#define LANYARD_FAKE_TID "7e7e7e7e-aaaa-4bbb-8ccc-dddddddddddd"
#define LANYARD_FAKE_USERNAME "ada@contoso.example"
#define LANYARD_FAKE_LOGIN_HINT "O.login-hint-of-ada"

typedef enum {
  LANYARD_FAKE_DISCOVERY,
  LANYARD_FAKE_JWKS,
  LANYARD_FAKE_AUTHORIZE,
  LANYARD_FAKE_TOKEN,
  LANYARD_FAKE_REVOCATION,
  LANYARD_FAKE_END_SESSION,
  LANYARD_FAKE_DEVICE_AUTHORIZATION,
  LANYARD_FAKE_N_ENDPOINTS
} LanyardFakeEndpoint;

typedef enum {
  LANYARD_FAKE_SERVE,          /* the normal answer */
  LANYARD_FAKE_REPLY,          /* the canned status, content type and body */
  LANYARD_FAKE_HANG,           /* never answer (until the server goes away) */
  LANYARD_FAKE_HOLD,           /* answer normally once released */
  LANYARD_FAKE_RESET,          /* close the connection without a word */
  LANYARD_FAKE_REDIRECT_SELF,  /* 302 to the very same URL */
} LanyardFakeBehaviour;

typedef struct _LanyardFakeProvider LanyardFakeProvider;

/* Mints the ID token for @claims (already filled in: iss, aud, sub, oid, tid,
 * iat, exp, nonce…, which the function may change). NULL = sign @claims
 * normally. */
typedef char *(*LanyardFakeIdTokenFunc) (LanyardFakeProvider *fake,
                                         JsonObject          *claims,
                                         gpointer             user_data);

/* Called for every request before it is answered. */
typedef void  (*LanyardFakeRequestFunc) (LanyardFakeProvider *fake,
                                         LanyardFakeEndpoint  endpoint,
                                         gpointer             user_data);

LanyardFakeProvider *lanyard_fake_provider_new          (void);
void                 lanyard_fake_provider_free         (LanyardFakeProvider *self);

/* "http://127.0.0.1:PORT": the authority and the issuer. */
const char          *lanyard_fake_provider_get_issuer   (LanyardFakeProvider *self);
char                *lanyard_fake_provider_url          (LanyardFakeProvider *self,
                                                         LanyardFakeEndpoint  endpoint);

/* Knobs ------------------------------------------------------------------ */
void   lanyard_fake_provider_set_behaviour  (LanyardFakeProvider  *self,
                                             LanyardFakeEndpoint   endpoint,
                                             LanyardFakeBehaviour  behaviour);
/* Sets LANYARD_FAKE_REPLY with this answer; @len -1 for a NUL-terminated @body. */
void   lanyard_fake_provider_set_reply      (LanyardFakeProvider  *self,
                                             LanyardFakeEndpoint   endpoint,
                                             guint                 status,
                                             const char           *content_type,
                                             const char           *body,
                                             gssize                len);
/* Requests held by LANYARD_FAKE_HOLD, and answering them (normally). */
guint  lanyard_fake_provider_get_n_held     (LanyardFakeProvider  *self);
void   lanyard_fake_provider_release        (LanyardFakeProvider  *self);
/* Spins the main context until a request is held (fails after 10 s). */
void   lanyard_fake_provider_wait_held      (LanyardFakeProvider  *self);

/* The discovery document served (edit it; a member set to null is left out). */
JsonObject *lanyard_fake_provider_get_discovery   (LanyardFakeProvider *self);
/* Members merged into every successful token response; a null member removes one. */
JsonObject *lanyard_fake_provider_get_token_extra (LanyardFakeProvider *self);
/* The user's claims copied into every ID token. */
JsonObject *lanyard_fake_provider_get_user_claims (LanyardFakeProvider *self);

void   lanyard_fake_provider_set_rotate_refresh_tokens (LanyardFakeProvider *self,
                                                        gboolean             rotate);
void   lanyard_fake_provider_set_access_token_lifetime (LanyardFakeProvider *self,
                                                        gint64               seconds);
void   lanyard_fake_provider_set_id_token_func  (LanyardFakeProvider    *self,
                                                 LanyardFakeIdTokenFunc  func,
                                                 gpointer                user_data);
void   lanyard_fake_provider_set_request_func   (LanyardFakeProvider    *self,
                                                 LanyardFakeRequestFunc  func,
                                                 gpointer                user_data);
/* Whether a refresh answer repeats the request's "scope" (default FALSE: it
 * leaves it out, as RFC 6749 §5.1 allows when it equals the request). */
void   lanyard_fake_provider_set_echo_scope      (LanyardFakeProvider *self,
                                                  gboolean             echo);
/* A refresh that asks for @scope answers invalid_scope (never consented). */
void   lanyard_fake_provider_set_ungranted_scope (LanyardFakeProvider *self,
                                                  const char          *scope);
/* The "scope" of every refresh request, in order ("" when it had none). */
GPtrArray  *lanyard_fake_provider_get_refresh_scopes     (LanyardFakeProvider *self);
/* The scope parameter @access_token was issued for ("" for none, NULL if unknown). */
const char *lanyard_fake_provider_get_access_token_scope (LanyardFakeProvider *self,
                                                          const char          *access_token);
/* Authorize answers with this OAuth error instead of a code (NULL: a code). */
void   lanyard_fake_provider_set_authorize_error (LanyardFakeProvider *self,
                                                  const char          *error,
                                                  const char          *description);
/* Whether authorize adds RFC 9207 "iss" (default TRUE, and discovery says so). */
void   lanyard_fake_provider_set_send_iss        (LanyardFakeProvider *self,
                                                  gboolean             send_iss);

/* Device flow (RFC 8628). Each poll of the token endpoint with the device
 * code grant takes the next answer from a queue: an OAuth error code
 * ("authorization_pending", "slow_down", "access_denied", "expired_token"…)
 * or NULL to approve (tokens; an ID token without nonce). An empty queue
 * answers authorization_pending. */
void        lanyard_fake_provider_push_device_answer (LanyardFakeProvider *self,
                                                      const char          *error);
/* Members merged into the device authorization response (null removes one):
 * by default device_code, user_code "WDJB-MJHT", verification_uri
 * <issuer>/device, verification_uri_complete <issuer>/device?user_code=…,
 * expires_in 600, interval 5. */
JsonObject *lanyard_fake_provider_get_device_extra   (LanyardFakeProvider *self);
/* g_get_monotonic_time() of every device code poll, in order. */
GArray     *lanyard_fake_provider_get_device_polls   (LanyardFakeProvider *self);
/* The scope of the last device authorization request (NULL if none). */
const char *lanyard_fake_provider_get_device_scope   (LanyardFakeProvider *self);

/* Keys: a new signing key under @kid; the JWKS then lists only that key. */
void            lanyard_fake_provider_rotate_keys (LanyardFakeProvider *self,
                                                   const char          *kid);
LanyardTestKey *lanyard_fake_provider_get_key     (LanyardFakeProvider *self);
const char     *lanyard_fake_provider_get_kid     (LanyardFakeProvider *self);
/* Signs @claims with the current key; @header_json NULL = {"alg":"RS256","kid":…}. */
char           *lanyard_fake_provider_sign        (LanyardFakeProvider *self,
                                                   const char          *header_json,
                                                   JsonObject          *claims);
char           *lanyard_fake_claims_to_json       (JsonObject          *claims);

/* What happened ------------------------------------------------------------ */
guint  lanyard_fake_provider_get_count      (LanyardFakeProvider *self,
                                             LanyardFakeEndpoint  endpoint);
/* Token requests with this grant_type. */
guint  lanyard_fake_provider_get_grant_count (LanyardFakeProvider *self,
                                              const char          *grant_type);
/* The live refresh token is the one most recently issued and not rotated away. */
gboolean lanyard_fake_provider_is_live_refresh_token (LanyardFakeProvider *self,
                                                      const char          *token);
/* Kill every refresh token (the next refresh gets invalid_grant). */
void   lanyard_fake_provider_revoke_grants  (LanyardFakeProvider *self);
gboolean lanyard_fake_provider_was_revoked  (LanyardFakeProvider *self,
                                             const char          *token);
/* A shared event log: the provider logs "discovery", "jwks", "authorize",
 * "token:<grant>", "revocation", "end_session"; tests add their own. */
void   lanyard_fake_provider_log            (LanyardFakeProvider *self,
                                             const char          *format,
                                             ...) G_GNUC_PRINTF (2, 3);
/* The log joined with ", ". */
char  *lanyard_fake_provider_get_log        (LanyardFakeProvider *self);
void   lanyard_fake_provider_clear_log      (LanyardFakeProvider *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanyardFakeProvider, lanyard_fake_provider_free)

/* The browser --------------------------------------------------------------- */

typedef enum {
  LANYARD_FAKE_BROWSER_COMPLETE,  /* go through authorize and deliver the response */
  LANYARD_FAKE_BROWSER_RECORD,    /* only remember the URL (the user wanders off) */
  LANYARD_FAKE_BROWSER_FAIL,      /* cannot be opened: LANYARD_ERROR_BROWSER */
} LanyardFakeBrowserMode;

#define LANYARD_TYPE_FAKE_BROWSER (lanyard_fake_browser_get_type ())
G_DECLARE_FINAL_TYPE (LanyardFakeBrowser, lanyard_fake_browser, LANYARD, FAKE_BROWSER, GObject)

/* @fake (nullable) receives "browser:<path>" log entries. */
LanyardFakeBrowser *lanyard_fake_browser_new          (LanyardFakeProvider    *fake);
void                lanyard_fake_browser_set_mode     (LanyardFakeBrowser     *self,
                                                       LanyardFakeBrowserMode  mode);
guint               lanyard_fake_browser_get_n_opened (LanyardFakeBrowser     *self);
/* The URLs the client asked to open (even cancelled or failed), in order. */
GPtrArray          *lanyard_fake_browser_get_uris     (LanyardFakeBrowser     *self);
const char         *lanyard_fake_browser_get_last_uri (LanyardFakeBrowser     *self);
/* Deliveries still waiting for the loopback page. */
guint               lanyard_fake_browser_get_n_pending (LanyardFakeBrowser    *self);
void                lanyard_fake_browser_wait_idle    (LanyardFakeBrowser     *self);
/* The loopback's last page: status (0 = none, 1 = transport error) and body. */
guint               lanyard_fake_browser_get_page_status (LanyardFakeBrowser  *self);
const char         *lanyard_fake_browser_get_page_body   (LanyardFakeBrowser  *self);
/* The loopback port of the last authorize URL opened (0 if none). */
guint16             lanyard_fake_browser_get_redirect_port (LanyardFakeBrowser *self);

/* Helpers for client tests -------------------------------------------------- */

/* Deletes every Lanyard item from the test session's keyring. */
void      lanyard_fake_clear_keyring     (void);
/* Counts Lanyard items (locked ones included) with secret-tool; never prints secrets. */
guint     lanyard_fake_count_items       (void);
/* Runs $LANYARD_TEST_KEYRING_TOOL lock|unlock. */
void      lanyard_fake_keyring_tool      (const char *command);
/* TRUE when nothing listens on 127.0.0.1:@port. */
gboolean  lanyard_fake_port_is_closed    (guint16     port);
/* Spins the default main context for @ms milliseconds. */
void      lanyard_fake_spin              (guint       ms);

/* A provider, a browser and a client configured for them, on an emptied
 * keyring; each client keeps its own providers in memory. */
typedef struct {
  LanyardFakeProvider *fake;
  LanyardFakeBrowser  *browser;
  LanyardAccountStore *store;
  LanyardConfig       *config;
  LanyardClient       *client;
} LanyardFakeWorld;

void            lanyard_fake_world_setup     (LanyardFakeWorld *world);
/* Waits for the browser, releases held requests, and checks that the client
 * finalizes (nothing of it is still running), then frees everything. */
void            lanyard_fake_world_teardown  (LanyardFakeWorld *world);
/* Another client on the same configuration: what a new process would see. */
LanyardClient  *lanyard_fake_world_new_client (LanyardFakeWorld *world);

/* The test hook for the HTTP timeout (LANYARD_HTTP_TIMEOUT_SECONDS is 30):
 * sets the timeout of @client's session before its first request. */
void            lanyard_fake_set_http_timeout (LanyardClient *client,
                                               guint          seconds);

/* Synchronous wrappers; each spins the default main context. */
LanyardAccount       *lanyard_fake_sign_in       (LanyardClient  *client,
                                                  GCancellable   *cancellable,
                                                  GError        **error);
LanyardAccount       *lanyard_fake_silent        (LanyardClient  *client,
                                                  const char     *account_id,
                                                  gboolean        force_refresh,
                                                  GError        **error);
LanyardSignOutResult *lanyard_fake_sign_out      (LanyardClient  *client,
                                                  const char     *account_id,
                                                  gboolean        open_browser,
                                                  GError        **error);
/* Asserts success. */
GPtrArray            *lanyard_fake_list_accounts (LanyardClient  *client);
/* The stored account with @account_id, read with a fresh store (NULL if none). */
LanyardAccount       *lanyard_fake_lookup_stored (const char     *account_id);

G_END_DECLS
