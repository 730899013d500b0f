#!/usr/bin/env bash
# app-second-provider.sh — the app's journey against the second, independent provider
# (tests/idp/mock-idp.mjs, oauth2-mock-server): signed out → Sign In through $BROWSER → signed in
# (an ID token with no profile claims: the account is named by sub) → restart, restored from the
# keyring → sign out (revocation at the provider). Driven through the app's actions on a private
# Xvfb, like app-journey.sh. TAP output.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"
require_cli
require_app

export LANYARD_TEST_BROWSER_DELIVER_TIMEOUT=30
CLIENT_ID=lanyard-second-provider
grants() { grep -c "\"grant_type\":\"$1\"" "$IDP_REQUEST_LOG"; }

start_mock_idp
use_test_browser login
APP_ENV=(LANYARD_AUTHORITY="$MOCK_ISSUER" LANYARD_CLIENT_ID="$CLIENT_ID")

t_ok "the app starts" app_start "${APP_ENV[@]}"
t_ok "signed out" wait_state signed-out
t_ok "sign-in: app.sign-in activates" app_action sign-in
t_ok "sign-in: signed in" wait_state signed-in 30
like "$(wait_browser '^LANDED ' 10)" '^LANDED 200 http://' "sign-in: the browser landed on the loopback page"
like "$(grep -m1 '^OPEN ' "$T/browser.log")" "^OPEN $MOCK_ISSUER/authorize" "sign-in: \$BROWSER opened the provider's authorize URL"
is "$(grants authorization_code)" 1 "sign-in: one authorization_code grant"
unlike "$(app_toasts)" . "sign-in: no toast"
is "$(keyring_items)" 1 "sign-in: one item in the keyring"
cli claims
is_rc 0 "sign-in: lanyard-cli claims reads the account the app stored"
is "$(jq -r .sub <"$T/cli.out" 2>/dev/null)" johndoe "sign-in: claim sub"
is "$(jq -r .iss <"$T/cli.out" 2>/dev/null)" "$MOCK_ISSUER" "sign-in: claim iss is the second provider's issuer"
shot second-provider-signed-in
app_quit
is "$APP_RC" 0 "sign-in: app.quit ends the app with status 0"

t_ok "restart: the app starts" app_start "${APP_ENV[@]}"
t_ok "restart: signed in, restored from the keyring" wait_state signed-in 15

browser_reset
t_ok "sign-out: app.sign-out activates" app_action sign-out
t_ok "sign-out: signed out" wait_state signed-out 30
t_ok "sign-out: the result is told" app_log_has 'Toast: Signed out' 30
is "$(grep -c '"path":"/revoke"' "$IDP_REQUEST_LOG")" 1 "sign-out: the refresh token was revoked at the provider"
is "$(keyring_items)" 0 "sign-out: the keyring is empty"
app_quit

done_testing
