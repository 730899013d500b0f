#!/usr/bin/env bash
# cli-negative.sh — lanyard-cli's failure paths against the real test provider and the scripted
# browser: forged state, access_denied, timeout, SIGINT, provider down, untrusted TLS, bad
# configuration, stray requests to the loopback listener. TAP output.
source "$(dirname "$0")/lib.sh"
require_cli

accounts_empty() { cli accounts; is "$CLI_OUT" "" "$1: nothing stored"; }
sign_in() { cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" "$@"; }
redirect_port() { port_of "$(url_param "$(browser_auth_url)" redirect_uri)"; }

start_idp

# ------------------------------------------------------------ forged state first, then the real response
use_test_browser tamper-state
sign_in --timeout 60
is_rc 0 "tamper-state: sign-in still succeeds with the real response"
like "$(grep '^TAMPERED' "$T/browser.log")" '^TAMPERED 4[0-9][0-9] ' "tamper-state: the forged response was refused with 4xx"
# the browser logs LANDED once it has read the page, which may be after the CLI exits
like "$(wait_browser '^LANDED ' 5)" '^LANDED 200 ' "tamper-state: the real response was accepted"
like "$(browser_page)" 'Signed in' "tamper-state: the loopback page says Signed in"
cli sign-out --no-browser
accounts_empty "after sign-out"

# ------------------------------------------------------------ the user presses Cancel
use_test_browser deny
sign_in --timeout 60
is_rc 5 "deny: exit status 5 (provider error)"
like "$CLI_ERR" 'access_denied' "deny: stderr names access_denied"
like "$CLI_ERR" 'cancelled there' "deny: stderr says the sign-in may have been cancelled at the provider, not only refused"
accounts_empty "deny"
wait_browser '^LANDED ' 5 >/dev/null
unlike "$(browser_page)" 'Signed in' "deny: the loopback page does not say Signed in"

# ------------------------------------------------------------ the browser never comes back
use_test_browser ignore
START=$(date +%s)
sign_in --timeout 2
is_rc 4 "ignore + --timeout 2: exit status 4 (timed out)"
like "$CLI_ERR" 'not finished in the browser within 2 seconds' "ignore + --timeout 2: stderr says what did not happen, in words"
ELAPSED=$(($(date +%s) - START))
t_ok "ignore + --timeout 2: gave up within 10 s (took ${ELAPSED} s)" test "$ELAPSED" -lt 10
accounts_empty "timeout"
PORT=$(redirect_port)
if [ -n "$PORT" ]; then t_ok "timeout: the loopback listener (port $PORT) is closed" port_closed "$PORT"; else fail "timeout: the browser got an authorize URL with a redirect_uri"; fi

# ------------------------------------------------------------ Ctrl+C while waiting
use_test_browser ignore
cli_bg sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60
if wait_browser '^IGNORED ' 20 >/dev/null; then
  sleep 0.3
  kill -INT "$CLI_PID"
  cli_wait
  is_rc 3 "SIGINT while waiting: exit status 3 (cancelled)"
  PORT=$(redirect_port)
  t_ok "SIGINT: the loopback listener (port $PORT) is closed" port_closed "$PORT"
else
  kill -TERM "$CLI_PID" 2>/dev/null
  cli_wait
  fail "SIGINT: the browser was opened" "$(cat "$T/cli.err")"
fi
accounts_empty "SIGINT"

# ------------------------------------------------------------ stray local requests cannot abort or hijack
use_test_browser login
export LANYARD_TEST_BROWSER_WAIT_FOR=$T/go
rm -f "$T/go"
cli_bg sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60
if wait_browser '^OPEN ' 20 >/dev/null; then
  RU=$(url_param "$(browser_auth_url)" redirect_uri)
  P=$(port_of "$RU")
  RPATH=$(sed -E 's#^http://[^/]+##' <<<"$RU")
  st() { curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }
  like "$(st "http://127.0.0.1:$P/wrong-path?code=x&state=y")" '^4[0-9][0-9]$' "stray GET on a wrong path: 4xx"
  like "$(st -X DELETE "http://127.0.0.1:$P$RPATH")" '^4[0-9][0-9]$' "stray DELETE: 4xx"
  like "$(st -X PUT --data x=y "http://127.0.0.1:$P$RPATH")" '^4[0-9][0-9]$' "stray PUT: 4xx"
  like "$(st "http://127.0.0.1:$P$RPATH")" '^4[0-9][0-9]$' "stray GET without parameters: 4xx"
  like "$(st "http://127.0.0.1:$P$RPATH?code=forged&state=forged")" '^4[0-9][0-9]$' "stray GET with a forged state: 4xx"
  like "$(st -X POST -H 'Content-Type: text/plain' --data 'hello' "http://127.0.0.1:$P$RPATH")" '^4[0-9][0-9]$' "stray POST with a wrong content type: 4xx"
  like "$(st -H "Host: evil.example" "http://127.0.0.1:$P$RPATH?error=access_denied&state=forged")" '^4[0-9][0-9]$' "stray error response with a forged state: 4xx"
  t_ok "the CLI is still waiting after the stray requests" kill -0 "$CLI_PID"
  touch "$T/go"
  cli_wait
  is_rc 0 "stray requests: the real sign-in still succeeds"
  is "$(jq -r .sub <<<"$CLI_OUT" 2>/dev/null)" alice "stray requests: signed in as alice"
else
  kill -TERM "$CLI_PID" 2>/dev/null
  cli_wait
  fail "stray requests: the browser was opened" "$(cat "$T/cli.err")"
fi
unset LANYARD_TEST_BROWSER_WAIT_FOR
cli sign-out --no-browser
accounts_empty "after sign-out"

# ------------------------------------------------------------ --no-browser prints the link
use_test_browser ignore
sign_in --no-browser --timeout 1
is_rc 4 "--no-browser: times out without a browser"
like "$CLI_ERR" 'Open this link in your browser: http://127\.0\.0\.1:[0-9]+/' "--no-browser: stderr has the authorize URL"
is "$(grep -c '^OPEN' "$T/browser.log")" 0 "--no-browser: no browser opened"

# ------------------------------------------------------------ configuration and network errors
cli sign-in --authority http://example.com --client-id "$IDP_CLIENT_ID" --no-browser --timeout 5
is_rc 2 "plain http authority that is not loopback: exit status 2"
cli sign-in --authority "$IDP_ISSUER" --no-browser --timeout 5
is_rc 2 "missing client id: exit status 2"
like "$CLI_ERR" 'No application \(client\) ID is set' "missing client id: stderr says what is missing"
reset_requests
cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --scope profile --no-browser --timeout 5
is_rc 2 "scopes without openid: exit status 2"
like "$CLI_ERR" 'must include “openid”' "scopes without openid: stderr says why"
LANYARD_CLIENT_ID="two words" cli sign-in --authority "$IDP_ISSUER" --no-browser --timeout 5
is_rc 2 "LANYARD_CLIENT_ID with a space: exit status 2, the same rule as the app's form"
like "$CLI_ERR" 'no spaces' "LANYARD_CLIENT_ID with a space: stderr says why"
is "$(wc -l <"$IDP_REQUEST_LOG")" 0 "bad configuration: nothing was sent to the provider"
# in German: lanyard-cli's words and the core's, from the build tree's catalogs
LANGUAGE=de LC_ALL=C.UTF-8 LANYARD_LOCALEDIR="$LANYARD_TEST_BUILDDIR/../po" \
  cli sign-in --authority "$IDP_ISSUER" --client-id "zwei Wörter" --no-browser --timeout 5
is_rc 2 "German: a client ID with a space is still exit status 2"
like "$CLI_ERR" 'Anwendungs-ID \(Client-ID\) enthält keine Leerzeichen' "German: the core's message is translated"
LANGUAGE=de LC_ALL=C.UTF-8 LANYARD_LOCALEDIR="$LANYARD_TEST_BUILDDIR/../po" cli frobnicate
like "$CLI_ERR" 'unbekannter Befehl „frobnicate“' "German: lanyard-cli's own message is translated"
like "$CLI_ERR" 'Aufruf: lanyard-cli BEFEHL' "German: so is its usage"
cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --no-such-option
is_rc 2 "unknown option: exit status 2"
cli token
is_rc 12 "token with no account: exit status 12"

CLOSED=$(free_port)
cli sign-in --authority "http://127.0.0.1:$CLOSED" --client-id "$IDP_CLIENT_ID" --no-browser --timeout 10
is_rc 9 "provider unreachable: exit status 9"
like "$CLI_ERR" "Nothing answers at 127\.0\.0\.1" "provider unreachable: stderr says nothing answers there"
unlike "$CLI_ERR" 'Could not reach.*Could not connect' "provider unreachable: the host is not named twice"

# ------------------------------------------------------------ a \$BROWSER that is not installed
BROWSER="lanyard-no-such-browser --new-tab" cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 2
is_rc 4 "\$BROWSER not installed: the sign-in waits for the link to be opened by hand, then times out"
like "$CLI_ERR" 'The browser “lanyard-no-such-browser” named in \$BROWSER is not installed' "\$BROWSER not installed: stderr names the program and says what is wrong"
unlike "$CLI_ERR" 'Failed to execute child process' "\$BROWSER not installed: not GLib's words"
like "$CLI_ERR" 'Open this link in your browser: http' "\$BROWSER not installed: stderr has the link"
accounts_empty "provider unreachable"

# ------------------------------------------------------------ TLS
start_idp --tls
CA=$LANYARD_CA_FILE
unset LANYARD_CA_FILE
use_test_browser login
sign_in --no-browser --timeout 10
is_rc 10 "https provider, CA not trusted: exit status 10"
sign_in --no-browser --timeout 10 --ca-file "$IDP_CERT_DIR/other-ca.pem"
is_rc 10 "https provider, a different CA trusted: exit status 10"
accounts_empty "untrusted TLS"
start_idp --cert expired
unset LANYARD_CA_FILE
sign_in --no-browser --timeout 10 --ca-file "$CA"
is_rc 10 "https provider with an expired certificate: exit status 10"
start_idp --cert wronghost
unset LANYARD_CA_FILE
sign_in --no-browser --timeout 10 --ca-file "$CA"
is_rc 10 "https provider with a certificate for another host: exit status 10"
stop_idp

done_testing
