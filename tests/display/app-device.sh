#!/usr/bin/env bash
# app-device.sh — "Sign In on Another Device" (RFC 8628) in the real GTK app on a private Xvfb,
# against the real test provider (oidc-provider's device flow), with the scripted browser as the
# phone. Every screenshot of the device page is decoded with zbarimg: the QR code on screen must be
# the exact verification URI (with the code), in light and dark style, in German and at 360 px.
# Driven only through actions (app.sign-in-device, app.cancel), observed through app.state, the
# app's debug lines ("Device page: …", "Sign-in on another device: …", toasts) and the keyring.
#
#   1. the signed-out page offers it (the provider advertises a device endpoint); light style:
#      the page, its QR code decodes, the phone opens what it scanned and approves: signed in
#   2. dark style, then Cancel: signed out, and no poll after it
#   3. German at 360 px wide: the QR code still fits, is square, and decodes
#   4. the code expires: "Get a New Code" (app.sign-in-device) gives a new one; Cancel leaves
# (A provider without a device endpoint is not offered it: tests/unit/test-client-device.c.)
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"
require_cli
require_app
command -v zbarimg >/dev/null 2>&1 || bail_out "zbarimg (zbar-tools) is not installed"
command -v xdotool >/dev/null 2>&1 || bail_out "xdotool is not installed"

export LANYARD_TEST_BROWSER_DELIVER_TIMEOUT=30
LOCALEDIR_ENV=(LANYARD_LOCALEDIR="${LANYARD_TEST_BUILD_ROOT:-}/po")

# scan NAME — the QR code in screenshot NAME, as zbarimg reads it
scan() { zbarimg --raw -q "$LANYARD_TEST_SCREENSHOTS/$1.png" 2>/dev/null | head -n1; }
# the phone: the scripted browser on the URI it scanned
phone() {
  LANYARD_TEST_BROWSER_MODE=${2:-device} LANYARD_TEST_BROWSER_LOG=$T/phone.log \
    "$LANYARD_TEST_SRCDIR/browser/lanyard-test-browser" "$1"
}
device_polls() { count_requests token urn:ietf:params:oauth:grant-type:device_code; }
# qr_box NAME — "WIDTHxHEIGHT" of the QR code's light square in screenshot NAME: the bounding box
# of the pure white pixels (the window itself is never #ffffff in Adwaita)
qr_box() {
  convert "$LANYARD_TEST_SCREENSHOTS/$1.png" -colorspace gray -fill black +opaque white \
    -format '%@' info: 2>/dev/null | sed -n 's/^\([0-9]*\)x\([0-9]*\)+.*/\1x\2/p'
}

start_idp
APP_ENV=(LANYARD_AUTHORITY="$IDP_ISSUER" LANYARD_CLIENT_ID="$IDP_CLIENT_ID" "${LOCALEDIR_ENV[@]}")
[ -n "${GSETTINGS_SCHEMA_DIR:-}" ] && APP_ENV+=(GSETTINGS_SCHEMA_DIR="$GSETTINGS_SCHEMA_DIR")
# no browser may open on this machine
export BROWSER=/bin/false

# ============================================================ 1. offered; light; approved from the phone
t_ok "1: the app starts" app_start "${APP_ENV[@]}"
t_ok "1: signed out" wait_state signed-out
t_ok "1: the provider's device endpoint makes the app offer it" app_log_has 'Sign-in on another device: offered'
shot device-offered
app_action sign-in-device
t_ok "1: app.sign-in-device shows the device page" wait_state device
t_ok "1: the page shows a code" app_log_has 'Device page: code' 20
is "$(count_requests device_authorization)" 1 "1: one device authorization request"
shot device-light
URI=$(scan device-light)
like "$URI" "^${IDP_ISSUER//./\\.}/device\\?user_code=[A-Z]{4}-[A-Z]{4}\$" "1: the screenshot's QR code decodes to the complete verification URI"
BOX=$(qr_box device-light)
diag "QR code on screen: $BOX px"
phone "$URI"
t_ok "1: the phone approved what it scanned" wait_state signed-in 30
grep -q '^DEVICE APPROVED' "$T/phone.log" && pass "1: the phone saw the success page" || fail "1: the phone saw the success page" "$(cat "$T/phone.log")"
shot device-signed-in
cli claims
is "$(jq -r .sub <<<"$CLI_OUT" 2>/dev/null)" alice "1: the account the app stored is alice's"
is "$(keyring_items)" 1 "1: one item in the keyring"
app_action sign-out
wait_state signed-out || true
app_quit

# ============================================================ 2. dark style; Cancel
rm -f "$T/phone.log"
t_ok "2: the app starts in dark style" app_start "${APP_ENV[@]}" ADW_DEBUG_COLOR_SCHEME=prefer-dark
wait_state signed-out || true
app_log_has 'Sign-in on another device: offered' || true
app_action sign-in-device
t_ok "2: the device page" wait_state device
app_log_has 'Device page: code' 20 || true
shot device-dark
URI2=$(scan device-dark)
like "$URI2" "^${IDP_ISSUER//./\\.}/device\\?user_code=[A-Z]{4}-[A-Z]{4}\$" "2: in dark style the QR code (dark on light) decodes too"
isnt "$URI2" "$URI" "2: a new code for a new sign-in"
# the window background is dark, the QR code's square is light
BG=$(convert "$LANYARD_TEST_SCREENSHOTS/device-dark.png" -format '%[fx:int(255*p{5,60}.intensity)]' info: 2>/dev/null)
[ -n "$BG" ] && [ "$BG" -lt 100 ] && pass "2: the window is dark ($BG/255)" || fail "2: the window is dark" "intensity ${BG:-?}"
app_action cancel
t_ok "2: Cancel goes back to signed out" wait_state signed-out
BEFORE=$(device_polls)
sleep 6
is "$(device_polls)" "$BEFORE" "2: no poll after Cancel"
is "$(keyring_items)" 0 "2: nothing stored"
app_quit

# ============================================================ 3. German, 360 px
german_ok
t_ok "3: the app starts in German" app_start "${APP_ENV[@]}" "${GERMAN[@]}"
wait_state signed-out || true
app_log_has 'Sign-in on another device: offered' || true
WIN=$(app_window)
if [ -n "$WIN" ]; then
  xdotool windowsize --sync "$WIN" 360 720 2>/dev/null || xdotool windowsize "$WIN" 360 720
fi
shot device-offered-de-360
app_action sign-in-device
t_ok "3: the device page" wait_state device
app_log_has 'Device page: code' 20 || true
shot device-de-360
like "$(xdotool getwindowgeometry "$WIN" 2>/dev/null)" 'Geometry: 360x' "3: the window is 360 px wide"
URI3=$(scan device-de-360)
like "$URI3" "^${IDP_ISSUER//./\\.}/device\\?user_code=[A-Z]{4}-[A-Z]{4}\$" "3: at 360 px the QR code fits and decodes"
BOX3=$(qr_box device-de-360)
W3=${BOX3%x*} H3=${BOX3#*x}
diag "QR code at 360 px: $BOX3 px"
[ -n "$W3" ] && [ "$W3" -gt 100 ] && [ "$((W3 - H3))" -ge -2 ] && [ "$((W3 - H3))" -le 2 ] &&
  pass "3: the QR code stays square and large at 360 px ($BOX3)" || fail "3: the QR code stays square and large at 360 px" "$BOX3"
app_action cancel
wait_state signed-out || true
app_quit

# ============================================================ 4. the code expires; a new one
stop_idp
IDP_DEVICE_TTL=4 start_idp
APP_ENV=(LANYARD_AUTHORITY="$IDP_ISSUER" LANYARD_CLIENT_ID="$IDP_CLIENT_ID" "${LOCALEDIR_ENV[@]}")
[ -n "${GSETTINGS_SCHEMA_DIR:-}" ] && APP_ENV+=(GSETTINGS_SCHEMA_DIR="$GSETTINGS_SCHEMA_DIR")
t_ok "4: the app starts" app_start "${APP_ENV[@]}"
wait_state signed-out || true
app_log_has 'Sign-in on another device: offered' || true
app_action sign-in-device
wait_state device || true
t_ok "4: the code expires on the page" app_log_has 'Device page: expired' 20
is "$(app_state)" device "4: the window stays on the device page"
unlike "$(app_toasts)" 'expired' "4: no toast repeats what the page says"
shot device-expired
app_action sign-in-device
new_code_shown() { [ "$(grep -c 'Device page: code' "$APP_LOG")" -ge 2 ]; }
for _ in $(seq 1 100); do new_code_shown && break; sleep 0.2; done
t_ok "4: Get a New Code (app.sign-in-device) shows a new code" new_code_shown
is "$(count_requests device_authorization)" 2 "4: a second device authorization request"
app_action cancel
t_ok "4: Cancel leaves" wait_state signed-out
app_quit

done_testing
