#!/usr/bin/env bash
# app-accounts.sh — the journey of a person who starts Lanyard from the desktop menu: no LANYARD_*
# variable reaches the app (settings in a keyfile under the test HOME), the first-run page typed in,
# the keyboard to sign in, a second account, switching, signing out of one, restarts. The browser is
# the scripted one, registered as the desktop's default handler. TAP output.
#
#   1. first run typed in; restart: lands on Sign In, the values in GSettings
#   2. Enter signs in (one key press from launch to the browser): alice is signed in
#   3. app.add-account: the provider is asked for a fresh sign-in (prompt=login: oidc-provider
#      cannot offer a choice, select_account is for those that can), bob signs in and is current; both in the keyring
#   4. app.switch-account: back to alice at once, without a request to the provider
#   5. app.sign-out-account bob: alice stays current; restart: alice still signed in, bob gone
#   6. another client id configured: alice is not shown as signed in; back: she is
#   7. screenshots: light, dark, 360 px, German
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"
require_cli
require_app
command -v xdotool >/dev/null 2>&1 || bail_out "xdotool is not installed (build-aux/install-deps.sh)"

export GSETTINGS_BACKEND=keyfile
start_idp
use_test_browser login --via-handler
browser_config LANYARD_TEST_BROWSER_USER=alice
requests() { wc -l <"$IDP_REQUEST_LOG" | tr -d ' '; }

# ============================================================ 1. first run, restart
t_ok "first run: the app starts with no LANYARD_* variable" app_start_clean
t_ok "first run: the setup page" wait_state setup
sleep 0.5
type_text "$IDP_ISSUER"; keys Return; type_text "$IDP_CLIENT_ID"; keys Return
t_ok "first run: signed out after typing the setup in" wait_state signed-out 10
app_quit
is "$(settings_get authority)" "'$IDP_ISSUER'" "first run: the authority is in GSettings"
is "$(settings_get client-id)" "'$IDP_CLIENT_ID'" "first run: the client id is in GSettings"

t_ok "restart: the app starts" app_start_clean
t_ok "restart: lands on Sign In" wait_state signed-out 10
is "$(app_pages | tr '\n' ' ')" "signed-out " "restart: no setup page"

# ============================================================ 2. the keyboard signs in
sleep 0.5
t_ok "keyboard: Enter (one key press from launch)" keys Return
t_ok "keyboard: the waiting page" wait_state waiting 5
opened=$(wait_browser '^OPEN ' 15) || true
like "$opened" "^OPEN $IDP_ISSUER/" "keyboard: the desktop's browser opened the provider's page"
t_ok "alice: signed in" wait_state signed-in 30
ALICE=$(app_account)
like "$ALICE" '^sha256:' "alice: app.switch-account's state is her account id"
is "$(keyring_items)" 1 "alice: one item in the keyring"
shot accounts-alice

# ============================================================ 3. another account
browser_config LANYARD_TEST_BROWSER_USER=bob
browser_reset
t_ok "add: app.add-account activates" app_action add-account
t_ok "add: the waiting page" wait_state waiting 5
opened=$(wait_browser '^OPEN ' 15) || true
# oidc-provider lists prompt values without select_account: asked for a fresh sign-in instead
like "$opened" 'prompt=login' "add: the provider is asked for a fresh sign-in (it cannot offer a choice)"
unlike "$opened" 'login_hint=' "add: without the current account as a hint"
t_ok "add: signed in again" wait_state signed-in 30
BOB=$(app_account)
like "$BOB" '^sha256:' "add: bob's account is current"
isnt "$BOB" "$ALICE" "add: bob is not alice"
is "$(keyring_items)" 2 "add: two items in the keyring"
shot accounts-bob

# ============================================================ 4. switch, offline
before=$(requests)
t_ok "switch: app.switch-account alice" app_action_s switch-account "$ALICE"
for _ in $(seq 1 30); do [ "$(app_account)" = "$ALICE" ] && break; sleep 0.1; done
is "$(app_account)" "$ALICE" "switch: alice is current"
is "$(app_state)" signed-in "switch: still signed in"
is "$(requests)" "$before" "switch: no request to the provider"

# The account menu as a person opens it: a click on the header's account button (the first thing
# at its start), listing bob under alice, with Add Another Account and Sign Out. The pointer
# rests on the title, where it shows no tooltip.
WIN=$(app_window)
xdotool mousemove --window "$WIN" 320 12
SHOT_DELAY=0.5 shot accounts-menu-base
xdotool mousemove --window "$WIN" 40 24 click 1 mousemove --window "$WIN" 320 12
t_ok "menu: the account menu opens" app_log_has 'Account menu: open' 5
SHOT_DELAY=0.5 shot_popup accounts-menu accounts-menu-base
keys Escape
t_ok "menu: Escape closes it" app_log_has 'Account menu: closed' 5

# ============================================================ 5. sign out of one, restart
t_ok "sign out bob: app.sign-out-account" app_action_s sign-out-account "$BOB"
t_ok "sign out bob: the result is told" app_log_has 'Toast: Signed out' 30
is "$(keyring_items)" 1 "sign out bob: one item left in the keyring"
is "$(app_account)" "$ALICE" "sign out bob: alice is still current"
is "$(app_state)" signed-in "sign out bob: still signed in"
app_quit
is "$APP_RC" 0 "sign out bob: app.quit ends the app with status 0"

t_ok "restart: the app starts" app_start_clean
t_ok "restart: signed in" wait_state signed-in 15
is "$(app_account)" "$ALICE" "restart: alice, restored from the keyring"
cli accounts
like "$CLI_OUT" 'alice' "restart: lanyard-cli lists alice"
unlike "$CLI_OUT" 'bob' "restart: and not bob"

# ============================================================ 6. another configuration
settings_set client-id "'another-client'"
t_ok "other client id: signed out (alice's tokens are for another client)" wait_state signed-out 10
is "$(app_account)" "" "other client id: no current account"
settings_set client-id "'$IDP_CLIENT_ID'"
t_ok "client id back: signed in" wait_state signed-in 10
is "$(app_account)" "$ALICE" "client id back: alice"
app_quit

# ============================================================ 7. screenshots
t_ok "dark: the app starts" app_start_clean ADW_DEBUG_COLOR_SCHEME=prefer-dark
t_ok "dark: signed in" wait_state signed-in 15
shot accounts-dark
app_quit

t_ok "360 px: the app starts" app_start_clean
t_ok "360 px: signed in" wait_state signed-in 15
xdotool windowsize --sync "$(app_window)" 360 640 2>/dev/null || xdotool windowsize "$(app_window)" 360 640
t_ok "360 px: a toast" app_action refresh
t_ok "360 px: the renewal is told" app_log_has 'Toast: ' 30
SHOT_DELAY=0.5 shot accounts-360
app_quit

if [ -d "$LANYARD_TEST_BUILD_ROOT/po/de" ]; then
  # the only LANYARD_* variable here: an uninstalled build's catalogs; dates in German too
  german_ok
  t_ok "German: the app starts" app_start_clean "${GERMAN[@]}" LANYARD_LOCALEDIR="$LANYARD_TEST_BUILD_ROOT/po"
  t_ok "German: signed in" wait_state signed-in 15
  shot accounts-de
  app_quit
else
  skip "German screenshot" "no compiled German catalog in the build tree"
fi

warnings=$(grep -h -E -- '-(CRITICAL|WARNING) \*\*' "$T"/app-*.log | head -n 10)
is "$warnings" "" "no GLib/GTK warnings or criticals in any app run"

done_testing
