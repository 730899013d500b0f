#!/usr/bin/env bash
# cli-sign-in.sh — end to end: lanyard-cli against the real test provider (oidc-provider, http and
# https with a throwaway CA), the scripted browser (via $BROWSER and via the registered default
# handler), the private gnome-keyring; sign-in, offline token, refresh, sign-out. TAP output.
source "$(dirname "$0")/lib.sh"
require_cli

# check_claims LABEL — CLI_OUT holds the ID token claims of alice from IDP_ISSUER
check_claims() {
  if ! jq -e . >/dev/null 2>&1 <<<"$CLI_OUT"; then fail "$1: stdout is one JSON object" "$CLI_OUT"; return; fi
  pass "$1: stdout is one JSON object"
  is "$(jq -r .sub <<<"$CLI_OUT")" alice "$1: sub"
  is "$(jq -r .name <<<"$CLI_OUT")" "Alice Example" "$1: name"
  is "$(jq -r .login_hint <<<"$CLI_OUT")" "lh:alice" "$1: login_hint"
  is "$(jq -r .iss <<<"$CLI_OUT")" "$IDP_ISSUER" "$1: iss is the provider's issuer"
  is "$(jq -r --arg c "$IDP_CLIENT_ID" '.aud | if type == "array" then (index($c) != null) else (. == $c) end' <<<"$CLI_OUT")" \
    true "$1: aud contains the client id"
}
# sign_in LABEL [ARGS...] — sign in as alice with the scripted browser in login mode
sign_in() {
  local label=$1
  shift
  cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60 "$@"
  is_rc 0 "$label: sign-in exits 0"
  check_claims "$label"
  local landed
  landed=$(wait_browser '^LANDED ' 5) || true
  like "$landed" '^LANDED 200 http://' "$label: the browser landed on the loopback page"
  like "$(browser_page)" 'Signed in' "$label: the loopback page says \"Signed in\""
  cli accounts
  is_rc 0 "$label: accounts exits 0"
  is "$(grep -c . <<<"$CLI_OUT")" 1 "$label: accounts lists one account"
  like "$CLI_OUT" $'^[^\t]+\t[^\t]*alice[^\t]*\tAlice Example\t'"$IDP_ISSUER"'$' "$label: accounts line is <id>\\t<username>\\t<display name>\\t<issuer>"
}
cleanup_accounts() { cli sign-out --no-browser; cli accounts; }

# ============================================================ 1. http, $BROWSER, redirect host localhost (default)
export IDP_SECRETS_LOG=$T/idp-secrets.jsonl
start_idp
use_test_browser login
sign_in "http/\$BROWSER"
AUTH_URL=$(browser_auth_url)
like "$(url_param "$AUTH_URL" redirect_uri)" '^http://localhost:[0-9]+/$' "http: redirect_uri is http://localhost:PORT/"
is "$(url_param "$AUTH_URL" code_challenge_method)" S256 "http: PKCE S256"
is "$(url_param "$AUTH_URL" response_mode)" form_post "http: response_mode=form_post (the provider advertises it)"
is "$(sed -n 's/^RESPONSE //p' "$T/browser.log")" form_post "http: the provider answered with a form_post page, delivered by POST"
is "$(count_requests token authorization_code)" 1 "http: one authorization_code token request"
PORT=$(port_of "$(url_param "$AUTH_URL" redirect_uri)")
t_ok "http: the loopback listener is closed after sign-in" port_closed "$PORT"

cli claims
is_rc 0 "claims exits 0"
is "$(jq -r .sub <<<"$CLI_OUT" 2>/dev/null)" alice "claims: sub"

reset_requests
cli token
is_rc 0 "token exits 0"
AT1=$CLI_OUT
isnt "$AT1" "" "token prints an access token"
is "$(grep -c . "$IDP_REQUEST_LOG")" 0 "token: a fresh cached token needs no request to the provider"

cli token --json
is_rc 0 "token --json exits 0"
is "$(jq -r .access_token <<<"$CLI_OUT" 2>/dev/null)" "$AT1" "token --json: access_token"
like "$(jq -r .token_type <<<"$CLI_OUT" 2>/dev/null)" '^[Bb]earer$' "token --json: token_type"
t_ok "token --json: expires_at, scopes and account present" \
  jq -e '(.expires_at != null) and (.scopes != null) and (.account != null)' <<<"$CLI_OUT"

OLD_RT=$(jq -r 'select(.route == "token" and .grant_type == "authorization_code") | .response.refresh_token // empty' "$IDP_SECRETS_LOG" | head -n1)
reset_requests
cli token --force-refresh
is_rc 0 "token --force-refresh exits 0"
AT2=$CLI_OUT
isnt "$AT2" "$AT1" "token --force-refresh returns a new access token"
is "$(count_requests token refresh_token)" 1 "token --force-refresh: one refresh_token grant request"
is "$(count_requests token)" 1 "token --force-refresh: no other token request"
cli token
is "$CLI_OUT" "$AT2" "token after the refresh returns the refreshed access token"

# the provider rotated the refresh token: the old one must be dead
if [ -n "$OLD_RT" ]; then
  R=$(curl -sS -X POST "$IDP_ISSUER/token" --data-urlencode grant_type=refresh_token \
    --data-urlencode "refresh_token=$OLD_RT" --data-urlencode "client_id=$IDP_CLIENT_ID")
  is "$(jq -r .error <<<"$R" 2>/dev/null)" invalid_grant "replaying the rotated-out refresh token fails with invalid_grant"
else
  fail "the first refresh token was recorded by the provider"
fi

stop_idp
cli token
is_rc 0 "token with the provider stopped exits 0 (new process, keyring only)"
is "$CLI_OUT" "$AT2" "token with the provider stopped returns the stored access token"
cli claims
is_rc 0 "claims with the provider stopped exits 0"
cli sign-out --no-browser
diag "sign-out with the provider down exited $CLI_RC"
cli accounts
is "$CLI_OUT" "" "sign-out with the provider down still removes the local account"

# ============================================================ 2. https (--ca-file), default handler, 127.0.0.1
unset IDP_SECRETS_LOG
start_idp --tls
CA=$LANYARD_CA_FILE
unset LANYARD_CA_FILE # the CLI gets it by flag here; the browser keeps LANYARD_TEST_CA_FILE
use_test_browser login --via-handler
sign_in "https/--ca-file/default handler/127.0.0.1" --ca-file "$CA" --redirect-host 127.0.0.1
AUTH_URL=$(browser_auth_url)
like "$(url_param "$AUTH_URL" redirect_uri)" '^http://127\.0\.0\.1:[0-9]+/$' "https: redirect_uri is http://127.0.0.1:PORT/"
like "$AUTH_URL" "^https://127\.0\.0\.1:$IDP_PORT/" "https: the authorize URL is on the provider"

reset_requests
browser_reset
export LANYARD_CA_FILE=$CA # sign-out has no --ca-file: the revocation request needs the CA from the environment
cli sign-out
unset LANYARD_CA_FILE
is_rc 0 "sign-out exits 0"
cli accounts
is "$CLI_OUT" "" "sign-out: accounts is empty"
is "$(count_requests revocation)" 1 "sign-out: the refresh token was revoked (one revocation request)"
LOGOUT=$(wait_browser '^LOGOUT ' 10) || true
like "$LOGOUT" "^LOGOUT https://127\.0\.0\.1:$IDP_PORT/session/end\?" "sign-out: the browser opened the end_session endpoint"
like "$LOGOUT" 'logout_hint=lh%3Aalice' "sign-out: logout_hint is the login_hint claim (lh%3Aalice)"
is "$(url_param "${LOGOUT#LOGOUT }" client_id)" "$IDP_CLIENT_ID" "sign-out: client_id in the logout URL"

# ============================================================ 3. https (LANYARD_CA_FILE), $BROWSER, sign-out --no-browser
export LANYARD_CA_FILE=$CA
use_test_browser login
sign_in "https/LANYARD_CA_FILE"
reset_requests
cli sign-out --no-browser
is_rc 0 "sign-out --no-browser exits 0"
like "$CLI_OUT" "^https://127\.0\.0\.1:$IDP_PORT/session/end\?.*logout_hint=lh%3Aalice" "sign-out --no-browser prints the logout URL on stdout"
is "$(grep -c '^OPEN' "$T/browser.log")" 1 "sign-out --no-browser opens no browser"
is "$(count_requests revocation)" 1 "sign-out --no-browser still revokes the refresh token"
cli accounts
is "$CLI_OUT" "" "sign-out --no-browser: accounts is empty"

# ============================================================ 4. custom redirect path and fixed port
stop_idp
IDP_REDIRECT_URIS="http://127.0.0.1/callback,http://localhost/callback" start_idp
use_test_browser login
FIXED=$(free_port)
sign_in "redirect path+port" --redirect-host 127.0.0.1 --redirect-port "$FIXED" --redirect-path /callback
is "$(url_param "$(browser_auth_url)" redirect_uri)" "http://127.0.0.1:$FIXED/callback" "redirect_uri uses the asked host, port and path"
cleanup_accounts
is "$CLI_OUT" "" "signed out again"

done_testing
