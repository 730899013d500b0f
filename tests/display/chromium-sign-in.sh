#!/usr/bin/env bash
# chromium-sign-in.sh — one end-to-end sign-in through a real browser: the app (on the test
# session's Xvfb, driven by its actions) with $BROWSER = tests/browser/chromium/lanyard-chromium-browser,
# which runs Debian's Chromium headless (playwright-core, pinned in
# tests/browser/chromium/package-lock.json) through the test provider's login and consent pages
# until it lands on the app's loopback page, which must read "Signed in". Then sign-out, with
# Chromium confirming the provider's logout page. Screenshots: chromium-landed.png (the page the
# browser landed on) and chromium-signed-in.png (the window) in $LANYARD_TEST_BUILDDIR/screenshots.
# Needs: chromium (build-aux/install-deps.sh installs it) and `npm ci` in tests/browser/chromium.
# TAP output.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"
require_cli
require_app

CHROMIUM_DIR=$LANYARD_TEST_SRCDIR/browser/chromium
: "${CHROMIUM:=/usr/lib/chromium/chromium}"
export CHROMIUM
[ -x "$CHROMIUM" ] || skip_all "Debian's chromium is not installed ($CHROMIUM): run build-aux/install-deps.sh"
[ -d "$CHROMIUM_DIR/node_modules/playwright-core" ] ||
  skip_all "tests/browser/chromium/node_modules is missing: run build-aux/install-deps.sh (npm ci there)"

export LANYARD_CHROMIUM_LOG=$T/chromium.log
export LANYARD_CHROMIUM_SCREENSHOT=$LANYARD_TEST_SCREENSHOTS/chromium-landed.png
export LANYARD_CHROMIUM_PAGE_TEXT=$T/chromium-landed.txt
export BROWSER=$CHROMIUM_DIR/lanyard-chromium-browser
rm -f "$LANYARD_CHROMIUM_SCREENSHOT"
: >"$LANYARD_CHROMIUM_LOG"

# wait_chromium ERE [SECONDS] — wait for a line of the Chromium wrapper's log; prints it
wait_chromium() {
  local i line
  for i in $(seq 1 $((${2:-60} * 10))); do
    line=$(grep -E -m1 -- "$1" "$LANYARD_CHROMIUM_LOG" 2>/dev/null) && { printf '%s\n' "$line"; return 0; }
    sleep 0.1
  done
  return 1
}
chromium_diag() { diag "--- chromium log" "$(cat "$LANYARD_CHROMIUM_LOG")" "--- chromium stderr (tail)" "$(tail -n 20 "$LANYARD_CHROMIUM_LOG.debug" 2>/dev/null)"; }

start_idp
t_ok "the app starts" app_start LANYARD_AUTHORITY="$IDP_ISSUER" LANYARD_CLIENT_ID="$IDP_CLIENT_ID"
t_ok "signed out" wait_state signed-out
t_ok "app.sign-in activates" app_action sign-in
landed=$(wait_chromium '^(LANDED|ERROR) ' 60) || true
like "$(grep -m1 '^OPEN ' "$LANYARD_CHROMIUM_LOG")" "^OPEN $IDP_ISSUER/" "\$BROWSER got the provider's authorize URL"
like "$landed" '^LANDED 200 http://localhost:[0-9]+/ ' "Chromium landed on the loopback page (HTTP 200)"
[[ $landed == LANDED* ]] || chromium_diag
t_ok "the browser script exited 0" wait_chromium '^EXIT 0$' 10
like "$(cat "$LANYARD_CHROMIUM_PAGE_TEXT" 2>/dev/null)" 'Signed in' "the landed page reads \"Signed in\""
like "$(cat "$LANYARD_CHROMIUM_PAGE_TEXT" 2>/dev/null)" 'alice' "the landed page names the account"
diag "landed page text: $(tr '\n' ' ' <"$LANYARD_CHROMIUM_PAGE_TEXT" 2>/dev/null)"
if [ -s "$LANYARD_CHROMIUM_SCREENSHOT" ]; then
  pass "screenshot chromium-landed -> $LANYARD_CHROMIUM_SCREENSHOT"
else
  fail "screenshot chromium-landed"
fi
isnt "$(count_requests interaction)" 0 "Chromium went through the provider's login and consent pages"
is "$(count_requests token authorization_code)" 1 "one code redemption"
t_ok "the window is signed in" wait_state signed-in 10
shot chromium-signed-in

cli claims
is_rc 0 "lanyard-cli claims reads the account the app stored"
is "$(jq -r .sub <<<"$CLI_OUT" 2>/dev/null)" alice "claim sub"
is "$(jq -r .name <<<"$CLI_OUT" 2>/dev/null)" "Alice Example" "claim name"

# ---------------------------------------------------------------- sign-out: the provider's logout page
: >"$LANYARD_CHROMIUM_LOG"
t_ok "app.sign-out activates" app_action sign-out
t_ok "signed out" wait_state signed-out 30
out=$(wait_chromium '^(LOGGED_OUT|ERROR) ' 60) || true
like "$(grep -m1 '^OPEN ' "$LANYARD_CHROMIUM_LOG")" "^OPEN $IDP_ISSUER/session/end\\?" "sign-out opened the provider's logout page in Chromium"
like "$out" '^LOGGED_OUT ' "Chromium confirmed the provider's logout page"
[[ $out == LOGGED_OUT* ]] || chromium_diag
is "$(count_requests end_session_confirm)" 1 "the provider got the logout confirmation"
is "$(count_requests revocation)" 1 "the refresh token was revoked"
is "$(keyring_items)" 0 "the keyring is empty"
app_quit
is "$APP_RC" 0 "app.quit ends the app with status 0"

done_testing
