#!/usr/bin/env bash
# app-a11y.sh — the app as a screen reader gets it: the AT-SPI tree (names, roles, descriptions)
# and focus events of each page, walked with pyatspi (tests/display/a11y-check.py) while a
# person's journey is made with the keyboard only (xdotool): first-run setup typed in, Enter to
# sign in, waiting, signed in, Tab through the claims to Sign Out, Preferences; and what a toast
# says reaches the screen reader. The app runs with GTK_A11Y=atspi on the session's
# accessibility bus (at-spi-bus-launcher, activated on the private session bus). TAP output.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"
require_app
PY=/usr/bin/python3
"$PY" -c 'import pyatspi' 2>/dev/null || bail_out "python3-pyatspi is not installed"
command -v xdotool >/dev/null 2>&1 || bail_out "xdotool is not installed"
CHECK=$LANYARD_TEST_SRCDIR/display/a11y-check.py

# a11y CHECK-ARGS… — run a11y-check.py; its ok / not ok lines become this test's
a11y() {
  local line rc=0 failed=0
  timeout 60 "$PY" "$CHECK" "$@" >"$T/a11y.out" 2>&1 || rc=$?
  while IFS= read -r line; do
    case $line in
      "ok - "*) pass "${line#ok - }" ;;
      "not ok - "*) local w=${line#not ok - }; failed=1; fail "${w%% # *}" "${w#* # }" ;;
      "#"*) diag "${line#\# }" ;;
      *) diag "$line" ;;
    esac
  done <"$T/a11y.out"
  # a check that crashed or hung has not passed
  if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
    fail "a11y-check.py $1 ${2:-} ran to its end" "exit status $rc"
  fi
}
key() { xdotool key "$@"; sleep 0.3; }

start_idp
use_test_browser login
GO=$T/browser-go
rm -f "$GO"
export LANYARD_TEST_BROWSER_WAIT_FOR=$GO

# ============================================================ first run: setup typed in
t_ok "the app starts with GTK_A11Y=atspi and no LANYARD_* variables" app_start GTK_A11Y=atspi
t_ok "the setup page" wait_state setup
a11y page setup
a11y tab setup 8 "Tenant or Authority URL"
xdotool type --delay 20 "$IDP_ISSUER"
a11y tab setup 4 "Application (Client) ID"
xdotool type --delay 20 "$IDP_CLIENT_ID"
key Return
t_ok "Enter in the last field continues to the signed-out page" wait_state signed-out 10

# ============================================================ sign in with Enter
a11y page signed-out
key Return
t_ok "Enter on the focused Sign In: the waiting page" wait_state waiting 10
a11y page waiting
a11y announce 'Copied to clipboard' xdotool key Tab Return
touch "$GO"
t_ok "signed in" wait_state signed-in 30

# ============================================================ the account page
a11y page signed-in
a11y tab signed-in 30 "Copy name" "Sign Out"
a11y announce 'Copied to clipboard' xdotool key shift+Tab Return
shot a11y-signed-in

# ============================================================ Preferences
t_ok "app.preferences opens Preferences" app_action preferences
a11y page preferences
shot a11y-preferences

# ============================================================ the API section
# An API typed into Preferences (the provider's userinfo endpoint will do), then the
# section's answers as a screen reader gets them.
a11y tab preferences 12 "API URL"
xdotool type --delay 20 "http://api.example.com/hello"
a11y described preferences text "API URL" "must start with https://"
xdotool key ctrl+a
xdotool type --delay 20 "$IDP_ISSUER/me"
a11y described preferences text "API URL" "offers Call for this address"
key Return
t_ok "the API URL typed into Preferences is saved" app_log_has 'API URL: ' 5
key Escape
t_ok "app.see-profile: userinfo's rows" app_action see-profile
t_ok "… shown" app_log_has 'Profile row: name: Alice Example' 15
t_ok "app.call-api: the API's answer" app_action call-api
t_ok "… shown" app_log_has 'API section: HTTP 200 OK' 15
a11y page signed-in-api
shot a11y-signed-in-api

app_quit
is "$APP_RC" 0 "app.quit ends the app with status 0"

# ============================================================ a bad value in the environment
t_ok "with LANYARD_CLIENT_ID='two words', the app starts" \
  app_start GTK_A11Y=atspi LANYARD_AUTHORITY="$IDP_ISSUER" LANYARD_CLIENT_ID="two words"
t_ok "a client ID with a space is not used: the setup page" wait_state setup
a11y described setup text "Application (Client) ID" "no spaces"
app_quit

# ============================================================ in German, from the build tree's catalogs
german_ok
t_ok "in German, the app starts" app_start GTK_A11Y=atspi "${GERMAN[@]}" \
  LANYARD_LOCALEDIR="$LANYARD_TEST_BUILD_ROOT/po"
t_ok "in German: the setup page" wait_state setup
a11y translated setup "$LANYARD_TEST_SRCDIR/../po/de.po"
t_ok "in German: app.preferences opens Preferences" app_action preferences
a11y translated preferences "$LANYARD_TEST_SRCDIR/../po/de.po"
shot a11y-preferences-de
app_quit
done_testing
