#!/usr/bin/env bash
# cli-device-code.sh — end to end: `lanyard-cli sign-in --device-code` (RFC 8628) against the real
# test provider (oidc-provider with its device flow) while the scripted browser plays the other
# device: types the user code, signs in and consents; or scans the terminal's QR code (rendered
# under a pty by `script`, turned into an image and decoded by zbarimg); or aborts. Then `token`
# in a new process, and the endings: declined (5), expired (4), Ctrl+C (3). TAP output.
source "$(dirname "$0")/lib.sh"
require_cli
command -v script >/dev/null 2>&1 || bail_out "script (util-linux) is not installed"
command -v zbarimg >/dev/null 2>&1 || bail_out "zbarimg (zbar-tools) is not installed"
command -v convert >/dev/null 2>&1 || bail_out "convert (imagemagick) is not installed"

# the "other device": the scripted browser, run by hand rather than as $BROWSER
other_device() { # other_device MODE URL [USER-CODE]
  LANYARD_TEST_BROWSER_MODE=$1 LANYARD_TEST_BROWSER_USER_CODE=${3:-} LANYARD_TEST_BROWSER_LOG=$T/device.log \
    "$LANYARD_TEST_SRCDIR/browser/lanyard-test-browser" "$2"
}
wait_device() { # wait_device ERE — a line of the other device's log
  local i line
  for i in $(seq 1 300); do
    line=$(grep -E -m1 -- "$1" "$T/device.log" 2>/dev/null) && { printf '%s\n' "$line"; return 0; }
    sleep 0.1
  done
  diag "device log: $(cat "$T/device.log" 2>/dev/null)" "debug: $(tail -n 20 "$T/device.log.debug" 2>/dev/null)"
  return 1
}
# wait_for_text FILE ERE [SECONDS] — until FILE has a line matching ERE
wait_for_text() {
  local i n=$((${3:-30} * 10))
  for i in $(seq 1 "$n"); do
    grep -Eq -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
# from the CLI's stderr (or a typescript): the verification URI and the user code
code_uri() { sed -n 's/^To sign in, open \([^ ]*\) on a phone.*/\1/p' "$1" | tr -d '\r' | head -n1; }
user_code() { awk '/^To sign in, open/ {getline; getline; gsub(/[ \r]/, ""); print; exit}' "$1"; }
# qr_png TYPESCRIPT PNG — the half-block QR code in TYPESCRIPT as a black-on-white image
qr_png() {
  # the QR lines: drawn black on white (30;107m), each character two modules stacked
  grep -a $'\e\\[30;107m' "$1" | sed -e $'s/\e\\[[0-9;]*m//g' -e 's/\r$//' >"$T/qr.txt"
  [ -s "$T/qr.txt" ] || return 1
  python3 - "$T/qr.txt" "$T/qr.pbm" <<'EOF'
import sys
rows = []
for line in open(sys.argv[1], encoding='utf-8').read().splitlines():
    top, bottom = [], []
    for ch in line:
        top.append('1' if ch in '█▀' else '0')
        bottom.append('1' if ch in '█▄' else '0')
    rows += [top, bottom]
width = max(len(r) for r in rows)
with open(sys.argv[2], 'w') as out:
    out.write('P1\n%d %d\n' % (width, len(rows)))
    for r in rows:
        out.write(' '.join(r + ['0'] * (width - len(r))) + '\n')
EOF
  convert "$T/qr.pbm" -filter point -resize 800% "$2"
}

export IDP_SECRETS_LOG=$T/idp-secrets.jsonl
start_idp
export LANYARD_AUTHORITY=$IDP_ISSUER LANYARD_CLIENT_ID=$IDP_CLIENT_ID
# no browser may open on this machine in any of this
export BROWSER=/bin/false

# ============================================================ 1. typing the code on the other device
rm -f "$T/device.log"
G_MESSAGES_DEBUG=all cli_bg sign-in --device-code
if wait_for_text "$T/cli.err" 'expires in' 30; then pass "1: the code is shown"; else fail "1: the code is shown" "$(cat "$T/cli.err")"; fi
URI=$(code_uri "$T/cli.err")
CODE=$(user_code "$T/cli.err")
is "$URI" "$IDP_ISSUER/device" "1: stderr names the provider's verification URI"
like "$CODE" '^[A-Z]{4}-[A-Z]{4}$' "1: stderr shows the user code"
like "$(cat "$T/cli.err")" 'The code expires in 10 minutes' "1: stderr says how long the code lives"
unlike "$(cat "$T/cli.err")" '▀|▄|█' "1: no QR code when stderr is not a terminal"
other_device device "$URI" "$CODE"
wait_device '^DEVICE APPROVED' >/dev/null && pass "1: the other device approved" || fail "1: the other device approved"
cli_wait
is_rc 0 "1: sign-in --device-code exits 0"
is "$(jq -r .sub <<<"$CLI_OUT" 2>/dev/null)" alice "1: stdout has the claims (sub)"
is "$(jq -r .iss <<<"$CLI_OUT" 2>/dev/null)" "$IDP_ISSUER" "1: stdout has the claims (iss)"
like "$CLI_ERR" 'Signed in as alice \(Alice Example\)' "1: stderr says who signed in"
is "$(count_requests device_authorization)" 1 "1: one device authorization request"
POLLS=$(count_requests token urn:ietf:params:oauth:grant-type:device_code)
[ "$POLLS" -ge 1 ] && pass "1: the token endpoint was polled ($POLLS times)" || fail "1: the token endpoint was polled" "$POLLS"
is "$(count_requests authorization)" 0 "1: no authorization request (no browser here)"

RT=$(jq -rs '[.[] | select(.grant_type == "urn:ietf:params:oauth:grant-type:device_code") | .response.refresh_token // empty] | last // ""' "$IDP_SECRETS_LOG")
isnt "$RT" "" "1: the provider issued a refresh token to the device flow"
# with every debug message on, none of the secrets that went over the wire was printed
SECRETS=$(jq -r '(.request, .response) | to_entries[] | .value' "$IDP_SECRETS_LOG" | sort -u)
DEVICE_CODE=$(jq -rs '[.[] | .request.device_code // empty] | last // ""' "$IDP_SECRETS_LOG")
isnt "$DEVICE_CODE" "" "1: the device code went to the token endpoint"
like "$CLI_ERR" 'Polling for the device sign-in' "1: debug messages were on"
LEAKED=0
while IFS= read -r secret; do
  [ ${#secret} -ge 8 ] || continue
  if grep -qF -- "$secret" "$T/cli.err" "$T/cli.out"; then LEAKED=$((LEAKED + 1)); fi
done <<<"$SECRETS"
# the ID token's claims are on stdout by design; the ID token itself is not
is "$LEAKED" 0 "1: no device code, token or refresh token in the output, even with G_MESSAGES_DEBUG=all"

cli token
is_rc 0 "1: token works in a new process"
isnt "$CLI_OUT" "" "1: token prints an access token"
cli token --force-refresh
is_rc 0 "1: the refresh token from the device flow renews"
cli accounts
like "$CLI_OUT" $'\talice\tAlice Example$|alice' "1: accounts lists alice"
cli sign-out --no-browser

# ============================================================ 2. the QR code on a terminal, scanned
rm -f "$T/device.log" "$T/typescript"
reset_requests
# `script` gives the CLI a pty for stderr; stdout goes to a file
script -q -e -f -c "timeout -k 5 90 '$LANYARD_CLI' sign-in --device-code >'$T/qr-claims.json'" "$T/typescript" </dev/null >/dev/null 2>&1 &
SCRIPT_PID=$!
_LIB_BG_PIDS="${_LIB_BG_PIDS:-} $SCRIPT_PID"
if wait_for_text "$T/typescript" 'expires in' 30; then pass "2: the code is shown on the terminal"; else fail "2: the code is shown on the terminal" "$(cat "$T/typescript")"; fi
CODE=$(user_code "$T/typescript")
WANT="$IDP_ISSUER/device?user_code=$CODE"
like "$(cat "$T/typescript")" $'\e\\[30;107m' "2: the QR code is drawn black on white (light and dark terminals alike)"
if qr_png "$T/typescript" "$T/qr.png"; then pass "2: the QR code rendered to an image"; else fail "2: the QR code rendered to an image"; fi
SCANNED=$(zbarimg --raw -q "$T/qr.png" 2>"$T/zbar.err")
is "$SCANNED" "$WANT" "2: zbarimg decodes the terminal's QR code to the complete verification URI"
QR_LINES=$(wc -l <"$T/qr.txt")
QR_WIDTH=$(head -n1 "$T/qr.txt" | tr -d '\n' | wc -m)
# a quiet zone: the first and last two rows, and the first four columns, are light
is "$(head -n2 "$T/qr.txt" | tr -d ' \n')" "" "2: quiet zone above"
is "$(tail -n2 "$T/qr.txt" | tr -d ' \n')" "" "2: quiet zone below"
is "$(cut -c1-4 "$T/qr.txt" | tr -d ' \n')" "" "2: quiet zone to the left"
diag "QR code: $QR_WIDTH columns x $QR_LINES lines"
# the phone opens what it scanned: the code is already in it
other_device device "$SCANNED"
wait_device '^DEVICE APPROVED' >/dev/null && pass "2: the scanned URI needs no typing" || fail "2: the scanned URI needs no typing"
wait "$SCRIPT_PID"
RC=$?
_LIB_BG_PIDS=${_LIB_BG_PIDS// $SCRIPT_PID/}
is "$RC" 0 "2: sign-in --device-code under a terminal exits 0"
is "$(jq -r .sub "$T/qr-claims.json" 2>/dev/null)" alice "2: stdout (not the terminal) has the claims"
cli sign-out --no-browser

# --no-qr on a terminal: the code and the URI, no QR code
rm -f "$T/device.log" "$T/typescript"
script -q -e -f -c "timeout -k 5 90 '$LANYARD_CLI' sign-in --device-code --no-qr >/dev/null" "$T/typescript" </dev/null >/dev/null 2>&1 &
SCRIPT_PID=$!
_LIB_BG_PIDS="${_LIB_BG_PIDS:-} $SCRIPT_PID"
wait_for_text "$T/typescript" 'expires in' 30 || true
CODE=$(user_code "$T/typescript")
unlike "$(cat "$T/typescript")" '▀|▄|█' "2: --no-qr draws no QR code on a terminal"
other_device device "$IDP_ISSUER/device" "$CODE"
wait "$SCRIPT_PID"
is "$?" 0 "2: --no-qr still signs in"
_LIB_BG_PIDS=${_LIB_BG_PIDS// $SCRIPT_PID/}
cli sign-out --no-browser

# ============================================================ 3. declined on the other device: 5
rm -f "$T/device.log"
cli_bg sign-in --device-code
wait_for_text "$T/cli.err" 'expires in' 30 || true
other_device device-deny "$IDP_ISSUER/device" "$(user_code "$T/cli.err")"
wait_device '^DEVICE DENIED' >/dev/null && pass "3: the other device aborted" || fail "3: the other device aborted"
cli_wait
is_rc 5 "3: a declined sign-in exits 5"
like "$CLI_ERR" 'declined on the other device' "3: stderr says it was declined"
is "$CLI_OUT" "" "3: nothing on stdout"
cli accounts
like "$CLI_ERR" 'No accounts' "3: no account was stored"

# ============================================================ 4. Ctrl+C while polling: 3, and no request after
cli_bg sign-in --device-code
wait_for_text "$T/cli.err" 'expires in' 30 || true
sleep 1
kill -INT "$CLI_PID"
cli_wait
is_rc 3 "4: Ctrl+C exits 3"
like "$CLI_ERR" 'cancelled' "4: stderr says it was cancelled"
BEFORE=$(count_requests token urn:ietf:params:oauth:grant-type:device_code)
sleep 6
is "$(count_requests token urn:ietf:params:oauth:grant-type:device_code)" "$BEFORE" "4: no poll after Ctrl+C"

# ============================================================ 5. the code expires: 4
stop_idp
IDP_DEVICE_TTL=3 start_idp
export LANYARD_AUTHORITY=$IDP_ISSUER
cli sign-in --device-code
is_rc 4 "5: an expired code exits 4"
like "$CLI_ERR" 'expire' "5: stderr says the code expired"
like "$CLI_ERR" 'expires in 3 seconds' "5: the time left was shown in seconds"
cli accounts
like "$CLI_ERR" 'No accounts' "5: no account was stored"

# ============================================================ 6. usage, and the hint when no browser can open here
cli sign-in --device-code --no-browser
is_rc 2 "6: --device-code with --no-browser is a usage error"
like "$CLI_ERR" 'does not apply to --device-code' "6: and says why"
cli sign-in --no-qr
is_rc 2 "6: --no-qr without --device-code is a usage error"
# a browser that cannot start (a missing command), with and without a display
(export BROWSER=/nonexistent/browser; unset DISPLAY WAYLAND_DISPLAY; cli sign-in --timeout 2; cp "$T/cli.err" "$T/hint.err")
like "$(cat "$T/hint.err")" 'not installed' "6: the browser could not be opened"
like "$(cat "$T/hint.err")" 'lanyard-cli sign-in --device-code' "6: with no display and no browser, sign-in mentions --device-code"
(export BROWSER=/nonexistent/browser DISPLAY=:99; unset WAYLAND_DISPLAY; cli sign-in --timeout 2; cp "$T/cli.err" "$T/hint2.err")
like "$(cat "$T/hint2.err")" 'not installed' "6: (with a display) the browser could not be opened"
unlike "$(cat "$T/hint2.err")" '--device-code' "6: with a display, it does not"

done_testing
