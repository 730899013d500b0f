#!/usr/bin/env bash
# app-journey.sh — a person's journeys (README.md) through the real GTK app on a private Xvfb, a
# private session bus and gnome-keyring (tests/session/lanyard-test-session, LANYARD_TEST_DISPLAY=1),
# with the real test provider (tests/idp) and the scripted browser (tests/browser). The app is driven
# only through its actions (gapplication action / org.gtk.Actions.Activate) and observed through
# app.state (the page on screen), its G_MESSAGES_DEBUG=lanyard-app lines (page changes and toast
# texts), the keyring and the browser's log. Screenshots of every page go to
# $LANYARD_TEST_BUILDDIR/screenshots/. TAP output.
#
#   1. first launch with nothing configured: the setup page
#   2. configured: signed out; Sign In opens the browser via the registered default handler
#      (the GIO/GTK path): waiting; the browser completes the flow: signed in, right claims
#   3. quit, stop the provider, start again: restored from the keyring without network;
#      sign out offline: signed out, keyring empty
#   4. with $BROWSER: Cancel while waiting (signed out, no error, listener closed); then a sign-in
#      and an online sign-out (revocation, the provider's logout page in the browser)
#   5. the provider refuses (access_denied): signed out with the provider's words
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"
require_cli
require_app

# the test browser's deliveries must not outlive a failing step by much
export LANYARD_TEST_BROWSER_DELIVER_TIMEOUT=30

# check_signed_in LABEL — the account the app stored is alice's, from this provider
check_signed_in() {
  local label=$1 landed
  landed=$(wait_browser '^LANDED ' 10) || true
  like "$landed" '^LANDED 200 http://' "$label: the browser landed on the loopback page"
  like "$(browser_page)" 'Signed in' "$label: the loopback page says \"Signed in\""
  cli claims
  is_rc 0 "$label: lanyard-cli claims reads the account the app stored"
  is "$(jq -r .sub <<<"$CLI_OUT" 2>/dev/null)" alice "$label: claim sub"
  is "$(jq -r .name <<<"$CLI_OUT" 2>/dev/null)" "Alice Example" "$label: claim name"
  is "$(jq -r .preferred_username <<<"$CLI_OUT" 2>/dev/null)" alice "$label: claim preferred_username"
  is "$(jq -r .iss <<<"$CLI_OUT" 2>/dev/null)" "$IDP_ISSUER" "$label: claim iss is the provider's issuer"
  is "$(keyring_items)" 1 "$label: one item in the keyring"
}

SCHEMA_ENV=()
[ -n "${GSETTINGS_SCHEMA_DIR:-}" ] && SCHEMA_ENV=(GSETTINGS_SCHEMA_DIR="$GSETTINGS_SCHEMA_DIR")

# ============================================================ 1. first launch, nothing configured
t_ok "first launch: the app starts" app_start
t_ok "first launch: the setup page" wait_state setup
timeout 5 gdbus call --session --dest "$APP_ID" --object-path "$APP_PATH" \
  --method org.gtk.Actions.SetState state "<'signed-in'>" '{}' >/dev/null 2>&1 || true
is "$(app_state)" setup "first launch: app.state cannot be set from outside"
shot setup
app_quit
is "$APP_RC" 0 "first launch: app.quit ends the app with status 0"

# ============================================================ 2. sign in (default handler)
start_idp
use_test_browser login --via-handler
GO=$T/browser-go
rm -f "$GO"
export LANYARD_TEST_BROWSER_WAIT_FOR=$GO
APP_ENV=(LANYARD_AUTHORITY="$IDP_ISSUER" LANYARD_CLIENT_ID="$IDP_CLIENT_ID")

t_ok "configured: the app starts" app_start "${APP_ENV[@]}"
t_ok "configured: signed out" wait_state signed-out
is "$(keyring_items)" 0 "configured: the keyring is empty"
shot signed-out

t_ok "sign-in: app.sign-in activates" app_action sign-in
t_ok "sign-in: the waiting page" wait_state waiting 5
opened=$(wait_browser '^OPEN ' 15) || true
like "$opened" "^OPEN $IDP_ISSUER/" "sign-in: the default handler (GIO/GTK) opened the provider's authorize URL"
like "$(browser_auth_url)" 'code_challenge_method=S256' "sign-in: the authorize URL carries PKCE"
is "$(app_state)" waiting "sign-in: still waiting while the user is in the browser"
shot waiting
touch "$GO"
t_ok "sign-in: signed in" wait_state signed-in 30
check_signed_in "sign-in"
unlike "$(app_toasts)" . "sign-in: no toast"
shot signed-in

app_quit
is "$APP_RC" 0 "sign-in: app.quit ends the app with status 0"

# ============================================================ 3. restart without network; sign out offline
stop_idp
t_ok "restart: the app starts with the provider stopped" app_start "${APP_ENV[@]}"
t_ok "restart: signed in, restored from the keyring" wait_state signed-in 15
is "$(app_pages | tr '\n' ' ')" "signed-in " "restart: straight to the account page (never signed out)"
unlike "$(app_toasts)" . "restart: no toast (no network needed)"
shot restored

t_ok "offline sign-out: app.sign-out activates" app_action sign-out
t_ok "offline sign-out: signed out" wait_state signed-out 30
# the page turns once the keyring item is gone; the toast follows the provider's (failed) part
t_ok "offline sign-out: the result is told" app_log_has 'Toast: Signed out' 30
like "$(app_toasts)" '^Signed out on this computer' "offline sign-out: the toast says signed out on this computer"
diag "offline sign-out toast: $(app_toasts | head -n1)"
is "$(keyring_items)" 0 "offline sign-out: the keyring is empty (secret-tool)"
cli accounts
is "$CLI_OUT" "" "offline sign-out: lanyard-cli accounts is empty"
shot signed-out-offline
app_quit

# ============================================================ 4. $BROWSER: cancel, then sign in and sign out online
start_idp
use_test_browser login
# only $BROWSER can reach the test browser now: no default handler is registered
rm -f "$XDG_CONFIG_HOME/mimeapps.list"
rm -f "$GO"
APP_ENV=(LANYARD_AUTHORITY="$IDP_ISSUER" LANYARD_CLIENT_ID="$IDP_CLIENT_ID")
t_ok "cancel: the app starts" app_start "${APP_ENV[@]}"
t_ok "cancel: signed out" wait_state signed-out
t_ok "cancel: app.sign-in activates (org.gtk.Actions.Activate)" app_activate sign-in
t_ok "cancel: waiting" wait_state waiting 5
opened=$(wait_browser '^OPEN ' 15) || true
like "$opened" "^OPEN $IDP_ISSUER/" "cancel: \$BROWSER opened the authorize URL"
PORT=$(port_of "$(url_param "$(browser_auth_url)" redirect_uri)")
t_ok "cancel: app.cancel activates" app_activate cancel
t_ok "cancel: back to signed out" wait_state signed-out 10
unlike "$(app_toasts)" . "cancel: no error shown for a Cancel the user pressed"
t_ok "cancel: the loopback listener is closed" port_closed "$PORT"
touch "$GO"
landed=$(wait_browser '^LANDED ' 15) || true
like "$landed" '^LANDED 000 ' "cancel: the browser's late answer finds nobody listening"
is "$(keyring_items)" 0 "cancel: nothing in the keyring"
shot cancelled

browser_reset
t_ok "\$BROWSER sign-in: app.sign-in activates" app_action sign-in
t_ok "\$BROWSER sign-in: signed in" wait_state signed-in 30
opened=$(grep -m1 '^OPEN ' "$T/browser.log") || true
like "$opened" "^OPEN $IDP_ISSUER/" "\$BROWSER sign-in: \$BROWSER opened the authorize URL"
check_signed_in "\$BROWSER sign-in"

reset_requests
browser_reset
t_ok "online sign-out: app.sign-out activates" app_action sign-out
t_ok "online sign-out: signed out" wait_state signed-out 30
t_ok "online sign-out: the result is told" app_log_has 'Toast: Signed out' 30
like "$(app_toasts | tail -n1)" '^Signed out\. Confirm in your browser' "online sign-out: the toast points to the browser"
logout=$(wait_browser '^LOGOUT ' 10) || true
like "$logout" "^LOGOUT $IDP_ISSUER/session/end\\?" "online sign-out: the browser opened the provider's logout page"
like "$logout" 'logout_hint=lh%3Aalice|logout_hint=lh:alice' "online sign-out: with logout_hint from the login_hint claim"
is "$(count_requests revocation)" 1 "online sign-out: the refresh token was revoked"
is "$(keyring_items)" 0 "online sign-out: the keyring is empty"
shot signed-out-online
app_quit
unset LANYARD_TEST_BROWSER_WAIT_FOR

# ============================================================ 5. the provider refuses
use_test_browser deny
t_ok "access_denied: the app starts" app_start "${APP_ENV[@]}"
t_ok "access_denied: signed out" wait_state signed-out
t_ok "access_denied: app.sign-in activates" app_action sign-in
landed=$(wait_browser '^LANDED ' 30) || true
like "$landed" '^LANDED [0-9]+ http://' "access_denied: the browser delivered the error to the loopback listener"
like "$(browser_page)" 'access_denied' "access_denied: the browser tab names the provider's error"
t_ok "access_denied: back to signed out" wait_state signed-out 10
like "$(app_toasts)" '^The sign-in was stopped at the provider: it was cancelled there, .*access_denied' "access_denied: the window says the sign-in was stopped (maybe cancelled) at the provider, with its error"
diag "access_denied toast: $(app_toasts | head -n1)"
is "$(keyring_items)" 0 "access_denied: nothing in the keyring"
SHOT_DELAY=0.8 shot access-denied
app_quit
is "$APP_RC" 0 "access_denied: app.quit ends the app with status 0"

# ============================================================ the app said nothing alarming
warnings=$(grep -h -E -- '-(CRITICAL|WARNING) \*\*' "$T"/app-*.log | head -n 10)
is "$warnings" "" "no GLib/GTK warnings or criticals in any app run"

done_testing
