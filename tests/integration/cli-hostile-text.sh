#!/usr/bin/env bash
# cli-hostile-text.sh — provider-controlled text reaches the terminal cleaned: claims, usernames,
# discovery values and provider errors carry no C0/C1 control and no bidi override outside JSON,
# and JSON output escapes them (and writes numbers such as 1e22 as valid JSON). TAP output.
source "$(dirname "$0")/lib.sh"
require_cli

ESC=$'\e'
BEL=$'\a'
RLO=$'\xe2\x80\xae'
LRI=$'\xe2\x81\xa6'
CSI=$'\xc2\x9b'
FFFD=$'\xef\xbf\xbd'
# hostile FILE — true when FILE holds an escape, a bell, a C1 CSI or a bidi override/isolate
hostile() { LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1"; }
clean_in() { if hostile "$2"; then fail "$1" "raw control or bidi characters:" "$(od -c "$2" | head -20)"; else pass "$1"; fi; }

NAME="Evil${ESC}[2J${CSI}31m ${RLO}gnp.exe${LRI}"
USERNAME="u${ESC}[1Aser"
TEXT="title${ESC}]0;pwned${BEL}"
IDP_ACCOUNTS=$(jq -cn --arg n "$NAME" --arg u "$USERNAME" --arg t "$TEXT" \
  '{mallory: {password: "password", name: $n, username: $u, email: "m@example.test",
               claims: {lanyard_test_number: 1e22, lanyard_test_text: $t}}}')
export IDP_ACCOUNTS LANYARD_TEST_BROWSER_USER=mallory

start_idp
use_test_browser login

# ------------------------------------------------------------ sign-in: JSON on stdout, a line on stderr
cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60
is_rc 0 "sign-in exits 0"
if jq -e . >/dev/null 2>&1 <"$T/cli.out"; then pass "sign-in: stdout is valid JSON (with 1e22 in it)"; else fail "sign-in: stdout is valid JSON (with 1e22 in it)" "$CLI_OUT"; fi
is "$(jq -r '.lanyard_test_number == 1e22' <"$T/cli.out")" true "sign-in: the number claim reads back as 1e22"
is "$(jq -r .name <"$T/cli.out")" "$NAME" "sign-in: JSON keeps the name exactly (escaped, not cleaned)"
is "$(jq -r .preferred_username <"$T/cli.out")" "$USERNAME" "sign-in: JSON keeps the username exactly"
is "$(jq -r .lanyard_test_text <"$T/cli.out")" "$TEXT" "sign-in: JSON keeps an OSC sequence exactly"
clean_in "sign-in: stdout (JSON) carries no raw control or bidi character" "$T/cli.out"
clean_in "sign-in: stderr carries no raw control or bidi character" "$T/cli.err"
like "$CLI_ERR" "Signed in as u${FFFD}\\[1Aser \\(Evil${FFFD}\\[2J${FFFD}31m ${FFFD}gnp\\.exe${FFFD}\\)" \
  "sign-in: stderr names the user, each control and override replaced by U+FFFD"
wait_browser '^LANDED ' 5 >/dev/null || true

# ------------------------------------------------------------ claims, accounts
cli claims
is_rc 0 "claims exits 0"
is "$(jq -r '.lanyard_test_number == 1e22' <"$T/cli.out" 2>/dev/null)" true "claims: valid JSON with the number claim"
is "$(jq -r .name <"$T/cli.out" 2>/dev/null)" "$NAME" "claims: JSON keeps the name exactly"
clean_in "claims: stdout carries no raw control or bidi character" "$T/cli.out"

cli accounts
is_rc 0 "accounts exits 0"
clean_in "accounts: stdout carries no raw control or bidi character" "$T/cli.out"
is "$(awk -F'\t' '{print NF}' "$T/cli.out")" 4 "accounts: still one line of four tab-separated columns"

cli sign-out --no-browser
is_rc 0 "sign-out exits 0"
stop_idp

# ------------------------------------------------------------ a discovery document with an OSC sequence
WWW=$T/www
mkdir -p "$WWW/.well-known"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
jq -n --arg iss "$BASE/${ESC}]0;owned${BEL}${RLO}x" --arg b "$BASE" \
  '{issuer: $iss, authorization_endpoint: ($b + "/authorize"), token_endpoint: ($b + "/token"),
    jwks_uri: ($b + "/jwks")}' >"$WWW/.well-known/openid-configuration"
python3 -m http.server --bind 127.0.0.1 --directory "$WWW" "$PORT" >"$T/www.log" 2>&1 &
WWW_PID=$!
_LIB_BG_PIDS="${_LIB_BG_PIDS:-} $WWW_PID"
for _ in $(seq 1 100); do curl -sf -o /dev/null "$BASE/.well-known/openid-configuration" && break; sleep 0.1; done
cli sign-in --authority "$BASE" --client-id "$IDP_CLIENT_ID" --timeout 10
is_rc 13 "hostile discovery: exit status 13 (invalid response)"
like "$CLI_ERR" 'names the issuer' "hostile discovery: stderr says which issuer it names"
clean_in "hostile discovery: stderr carries no raw control or bidi character" "$T/cli.err"
kill "$WWW_PID" 2>/dev/null || true

done_testing
