#!/usr/bin/env bash
# app-keyring.sh — "keyring locked → offer to unlock" through the real GTK app on a private Xvfb,
# session bus and gnome-keyring (tests/session/lanyard-test-session, LANYARD_TEST_DISPLAY=1), with
# the test provider (tests/idp) and the scripted browser as $BROWSER. The collection is locked and
# unlocked with $LANYARD_TEST_KEYRING_TOOL, which never prompts. The keyring daemon has no DISPLAY
# (the session keeps it out of the bus environment), so its password dialog cannot be shown here:
# that is the "unlock failed" case. TAP output; screenshots in $LANYARD_TEST_BUILDDIR/screenshots/.
#
#   1. a signed-in account in the keyring, then the keyring locked: the app starts signed out with
#      the "keyring is locked" toast and its Unlock button (app.unlock-keyring, enabled)
#   2. Unlock with no prompter: a toast says why, quickly; still signed out, still locked
#   3. the keyring unlocked by the tool, Unlock again: the account is restored (signed in)
#   4. sign in while locked: session only, with Unlock; unlocked by the tool, Unlock: "Saved in
#      the keyring", and lanyard-cli lists the account
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"
require_cli
require_app

KEYRING_TOOL=${LANYARD_TEST_KEYRING_TOOL:-}
[ -x "$KEYRING_TOOL" ] || bail_out "LANYARD_TEST_KEYRING_TOOL is not set to an executable"
export LANYARD_TEST_BROWSER_DELIVER_TIMEOUT=30

keyring() { "$KEYRING_TOOL" "$@"; }

# action_enabled NAME — prints true or false: the action's enabled flag (org.gtk.Actions.DescribeAll)
action_enabled() {
  timeout 5 gdbus call --session --dest "$APP_ID" --object-path "$APP_PATH" \
    --method org.gtk.Actions.DescribeAll 2>/dev/null | grep -o "'$1': ([a-z]*" | sed 's/.*(//'
}

# wait_toasts N [SECS] — wait until the app has shown at least N toasts
wait_toasts() {
  local want=$1 n=$((${2:-10} * 10)) i
  for i in $(seq 1 "$n"); do
    [ "$(app_toasts | wc -l)" -ge "$want" ] && return 0
    sleep 0.1
  done
  diag "only $(app_toasts | wc -l) toasts after ${2:-10} s, expected $want" "$(app_toasts)"
  return 1
}

# wait_enabled NAME [SECS] — wait until the action is enabled (an unlock in flight disables it)
wait_enabled() {
  local n=$((${2:-10} * 10)) i
  for i in $(seq 1 "$n"); do
    [ "$(action_enabled "$1")" = true ] && return 0
    sleep 0.1
  done
  return 1
}

unlock_buttons() { grep -c 'Toast button: _Unlock (app.unlock-keyring)' "$APP_LOG" || true; }

start_idp
use_test_browser login
rm -f "$XDG_CONFIG_HOME/mimeapps.list"
APP_ENV=(LANYARD_AUTHORITY="$IDP_ISSUER" LANYARD_CLIENT_ID="$IDP_CLIENT_ID")

# ============================================================ 1. locked at start-up
t_ok "setup: the app starts" app_start "${APP_ENV[@]}"
t_ok "setup: signed out" wait_state signed-out
t_ok "setup: app.sign-in activates" app_action sign-in
t_ok "setup: signed in" wait_state signed-in 30
is "$(keyring_items)" 1 "setup: the account is in the keyring"
app_quit

t_ok "locked: the tool locks the keyring" keyring lock
is "$(keyring status)" locked "locked: the collection is locked"
t_ok "locked: the app starts" app_start "${APP_ENV[@]}"
t_ok "locked: signed out (the keyring hides the account)" wait_state signed-out 15
like "$(app_toasts)" '^The keyring is locked\. Unlock it to use your saved sign-in' "locked: the toast says the keyring is locked"
is "$(unlock_buttons)" 1 "locked: the toast has an Unlock button for app.unlock-keyring"
is "$(action_enabled unlock-keyring)" true "locked: app.unlock-keyring is enabled (DescribeAll)"
SHOT_DELAY=1 shot keyring-locked

# ============================================================ 2. Unlock with no prompter
started=$(date +%s%N)
t_ok "no prompter: app.unlock-keyring activates" app_activate unlock-keyring
t_ok "no prompter: a toast answers (no hang)" wait_toasts 2 10
elapsed=$((($(date +%s%N) - started) / 1000000))
diag "no prompter: answered in ${elapsed} ms: $(app_toasts | tail -n1)"
like "$(app_toasts | tail -n1)" '^Could not unlock the keyring: .*password dialog could not be shown|^The keyring was not unlocked' \
  "no prompter: the toast says the keyring was not unlocked, and why"
t_ok "no prompter: app.unlock-keyring is enabled again" wait_enabled unlock-keyring
is "$(app_state)" signed-out "no prompter: still signed out"
is "$(keyring status)" locked "no prompter: the keyring is still locked"
SHOT_DELAY=1 shot keyring-unlock-failed

# ============================================================ 3. unlocked elsewhere, Unlock again
t_ok "unlocked: the tool unlocks the keyring" keyring unlock
t_ok "unlocked: app.unlock-keyring activates" app_activate unlock-keyring
t_ok "unlocked: signed in, restored from the keyring" wait_state signed-in 15
like "$(app_toasts)" 'The keyring is unlocked' "unlocked: the toast says so"
app_quit

# ============================================================ 4. sign in while locked, save after unlocking
secret-tool clear xdg:schema dev.lanyard.Lanyard.Account 2>/dev/null || true
is "$(keyring_items)" 0 "session only: the keyring is empty"
t_ok "session only: the tool locks the keyring" keyring lock
browser_reset
t_ok "session only: the app starts" app_start "${APP_ENV[@]}"
t_ok "session only: signed out" wait_state signed-out 15
t_ok "session only: app.sign-in activates" app_action sign-in
t_ok "session only: signed in" wait_state signed-in 30
like "$(app_toasts | tail -n1)" '^Signed in for this session only: the keyring is locked$' "session only: the toast says the keyring is locked"
is "$(unlock_buttons)" 2 "session only: that toast has an Unlock button too"
is "$(keyring status)" locked "session only: the keyring is still locked"
SHOT_DELAY=1 shot keyring-session-only

t_ok "save: the tool unlocks the keyring" keyring unlock
is "$(keyring_items)" 0 "save: nothing in the keyring yet"
t_ok "save: app.unlock-keyring activates" app_activate unlock-keyring
t_ok "save: a toast answers" wait_toasts 3 15
is "$(app_toasts | tail -n1)" "Saved in the keyring" "save: the toast says \"Saved in the keyring\""
is "$(app_state)" signed-in "save: still signed in"
is "$(keyring_items)" 1 "save: the account is in the keyring"
cli accounts
is_rc 0 "save: lanyard-cli accounts succeeds"
like "$CLI_OUT" 'alice' "save: lanyard-cli accounts lists the account"
SHOT_DELAY=1 shot keyring-saved
app_quit
is "$APP_RC" 0 "app.quit ends the app with status 0"

# ============================================================ the app said nothing alarming
warnings=$(grep -h -E -- '-(CRITICAL|WARNING) \*\*' "$T"/app-*.log | head -n 10)
is "$warnings" "" "no GLib/GTK warnings or criticals in any app run"

done_testing
