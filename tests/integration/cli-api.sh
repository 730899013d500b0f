#!/usr/bin/env bash
# cli-api.sh — lanyard-cli api against a resource server (tests/idp/resource-server.mjs) that
# validates the provider's JWT access tokens as an API does (signature via JWKS, aud, scope,
# expiry): one token per API with no token request after the first of each, the retry rule for
# invalid_token, claims challenges, redirects that must not carry the token, the output and exit
# code contract, and a 50 MB answer streamed with flat memory. TAP output.
source "$(dirname "$0")/lib.sh"
require_cli

# start_rs NAME AUDIENCE — a resource server; sets RS_<NAME> to its base URL
start_rs() {
  local ready=$T/rs-$1.ready
  RS_REQUEST_LOG=$T/rs.requests node "$LANYARD_TEST_SRCDIR/idp/resource-server.mjs" \
    --issuer "$IDP_ISSUER" --audience "$2" --ready-file "$ready" >"$T/rs-$1.out" 2>"$T/rs-$1.err" </dev/null &
  _LIB_BG_PIDS="${_LIB_BG_PIDS:-} $!"
  local i
  for i in $(seq 1 600); do [ -s "$ready" ] && break; sleep 0.05; done
  [ -s "$ready" ] || { diag "$(cat "$T/rs-$1.err")"; bail_out "the resource server did not start"; }
  printf -v "RS_$1" 'http://127.0.0.1:%s' "$(jq -r .port "$ready")"
}
rs_requests() { jq -s --arg p "$1" '[.[] | select(.path == $p)] | length' "$T/rs.requests" 2>/dev/null || echo 0; }

start_idp
use_test_browser login
start_rs A https://api-a.lanyard.test/
start_rs B https://api-b.lanyard.test/
: >"$T/rs.requests"

cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60 \
  --scope "openid profile offline_access api-a:read api-a:write"
is_rc 0 "sign-in with API A's scopes"
SIGN_IN_OUT=$CLI_OUT

# ------------------------------------------------------------ the call and its output
reset_requests
cli api --scope api-a:read "$RS_A/me"
is_rc 0 "api GET /me: exit 0"
is "$(jq -r .aud <<<"$CLI_OUT")" "https://api-a.lanyard.test/" "the API saw a token for its audience"
is "$(jq -r .sub <<<"$CLI_OUT")" "alice" "… of alice"
is "$(count_requests token)" 0 "no token request: the sign-in's token is API A's"
cli api --scope api-a:read "$RS_A/me"
is_rc 0 "api again"
is "$(count_requests token)" 0 "still none: the token comes from the cache"

printf '{"b":[1,2],"a":"x"}' >"$T/body.json"
cli api --scope api-a:write --data @"$T/body.json" "$RS_A/echo"
is_rc 0 "api --data @FILE POSTs"
is "$CLI_OUT" '{"b":[1,2],"a":"x"}' "not a terminal: the body byte for byte"
cli api --scope api-a:write -X PUT -H 'Content-Type: text/plain' --data 'hello' "$RS_A/echo"
is_rc 22 "PUT to a POST-only route: 22 (the API's 404)"
cli api --scope api-a:write -H 'Content-Type: text/plain' --data 'hello there' "$RS_A/echo"
is "$CLI_OUT" "hello there" "--data STRING with -H Content-Type"
cli api --include --scope api-a:read "$RS_A/me"
like "$(head -n1 <<<"$CLI_OUT")" '^HTTP/1\.1 200 OK' "--include: the status line first"
like "$CLI_OUT" $'[Cc]ontent-[Tt]ype: application/json' "--include: then the headers"

# A proxy in the environment is on another machine: loopback is always reached directly.
http_proxy=http://127.0.0.1:$(free_port) HTTP_PROXY=http://127.0.0.1:$(free_port) \
  cli api --scope api-a:read "$RS_A/me"
is_rc 0 "http_proxy set (to a closed port): a loopback API is still reached directly"
is "$(jq -r .sub <<<"$CLI_OUT")" "alice" "… and answers"

cli api --scope api-a:read "$RS_A/status/404"
is_rc 22 "a 404: exit 22"
is "$CLI_OUT" "" "nothing on stdout"
like "$CLI_ERR" 'HTTP 404 Not Found: \{"error":"status 404"' "the status and a short excerpt on stderr"
is "$(wc -c <<<"$CLI_ERR" | tr -d ' ')" "$(( $(wc -c <<<"$CLI_ERR" | tr -d ' ') < 400 ? $(wc -c <<<"$CLI_ERR" | tr -d ' ') : 0 ))" "the excerpt is short"
cli api --scope api-a:read "$RS_A/status/503"
is_rc 22 "a 503: exit 22"
cli api "$RS_A/me"
is_rc 2 "no scope for a non-Graph URL: usage error"
LANYARD_API_SCOPES=api-a:read cli api "$RS_A/me"
is_rc 0 "LANYARD_API_SCOPES gives the default scopes"
cli api --scope api-a:read -H 'Authorization: Bearer x' "$RS_A/me"
is_rc 2 "an Authorization header of one's own: usage error"

# ------------------------------------------------------------ two APIs in turn
cli api --scope api-b:read "$RS_B/me"
is_rc 8 "API B was never granted: exit 8 (interaction required)"
like "$CLI_ERR" 'api-b:read' "… naming the scope"
# The test provider's refresh tokens serve the scopes of their own sign-in only (Entra's serve
# everything consented): ask for A's again with B's.
cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60 \
  --scope "openid profile offline_access api-a:read api-a:write api-b:read"
is_rc 0 "incremental consent: sign in again with API B's scope"
cli api --scope api-a:read "$RS_A/me"
is_rc 0 "API A works after the sign-in for B"
cli api --scope api-b:read "$RS_B/me"
is_rc 0 "API B works now"
reset_requests
for i in 1 2 3; do
  cli api --scope api-b:read "$RS_B/me"; rc_b=$CLI_RC; aud_b=$(jq -r .aud <<<"$CLI_OUT")
  cli api --scope api-a:read "$RS_A/me"; rc_a=$CLI_RC; aud_a=$(jq -r .aud <<<"$CLI_OUT")
done
is "$rc_a $rc_b" "0 0" "A and B in turn"
is "$aud_a $aud_b" "https://api-a.lanyard.test/ https://api-b.lanyard.test/" "each API got its own token"
is "$(count_requests token)" 0 "two APIs alternate with zero token requests"

# ------------------------------------------------------------ retry rule, challenges, redirects
reset_requests
cli api --scope api-a:read "$RS_A/revoked-once"
is_rc 0 "401 invalid_token: one refresh, one retry, success"
is "$(count_requests token refresh_token)" 1 "exactly one refresh"
is "$(rs_requests /revoked-once)" 2 "exactly one retry"
is "$(jq -rs '[.[] | select(.path == "/revoked-once") | .token] | unique | length' "$T/rs.requests")" 2 \
  "the retry carried the renewed token"
: >"$T/rs.requests"; reset_requests
cli api --scope api-a:read "$RS_A/always-invalid"
is_rc 22 "a second 401: exit 22, no loop"
is "$(rs_requests /always-invalid)" 2 "two requests in all"
is "$(count_requests token refresh_token)" 1 "one refresh in all"
cli api --scope api-a:read "$RS_A/claims-challenge"
is_rc 8 "insufficient_claims: exit 8"
like "$CLI_ERR" "claims challenge \(claims: eyJ" "… with the challenge's claims"
CHALLENGE_ERR=$CLI_ERR

: >"$T/rs.requests"
cli api --scope api-a:read "$RS_A/redirect-same"
is_rc 0 "a redirect on the same origin is followed"
is "$(jq -r .sub <<<"$CLI_OUT")" "alice" "… with the token"
cli api --scope api-a:read "$RS_A/redirect-other?port=${RS_B##*:}"
is_rc 22 "a redirect to another port is not followed"
is "$(jq -s '[.[] | select(.path == "/me" and .auth == "bearer")] | length' "$T/rs.requests")" 1 \
  "the other origin never saw the token (only the same-origin /me did)"

# ------------------------------------------------------------ scopes never granted
cli api --scope api-b:read --scope api-a:read "$RS_A/me"
is_rc 8 "one token for two APIs: the provider grants one API's scopes, so exit 8"
like "$CLI_ERR" 'did not grant api-b:read' "… naming what was not granted"
cli token --scope api-c:read
is_rc 8 "a scope never granted: exit 8"
like "$CLI_ERR" 'api-c:read' "… naming it"

# ------------------------------------------------------------ a large answer streams
# Under ASan (the hostile run) freed buffers sit in its quarantine and RSS would grow with
# every chunk; without a quarantine the measure is about Lanyard's buffers again.
rss_env=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0")
"${rss_env[@]}" /usr/bin/time -f '%M' -o "$T/rss-1" "$LANYARD_CLI" api --scope api-a:read "$RS_A/big?mb=1" >"$T/big1" 2>"$T/big1.err"
"${rss_env[@]}" /usr/bin/time -f '%M' -o "$T/rss-50" "$LANYARD_CLI" api --scope api-a:read "$RS_A/big?mb=50" >"$T/big50" 2>"$T/big50.err"
is "$(stat -c %s "$T/big50")" "$((50 * 1024 * 1024))" "50 MiB arrive whole"
rss1=$(tail -n1 "$T/rss-1"); rss50=$(tail -n1 "$T/rss-50")
diag "max RSS: 1 MiB answer ${rss1} KiB, 50 MiB answer ${rss50} KiB"
if [ "$rss50" -lt $((rss1 + 8192)) ]; then pass "memory stays flat (50 MiB answer: +$((rss50 - rss1)) KiB over 1 MiB)"; else fail "memory stays flat" "1 MiB: $rss1 KiB, 50 MiB: $rss50 KiB"; fi

# ------------------------------------------------------------ sign-in --claims, as the challenge says
# (last: signing in again changes what the provider granted)
like "$CHALLENGE_ERR" $'run:\n  lanyard-cli sign-in --claims \'eyJ[A-Za-z0-9+/=]+\'' "… and the exact sign-in command to run"
CLAIMS=$(sed -n "s/^  lanyard-cli sign-in --claims '\(.*\)'\$/\1/p" <<<"$CHALLENGE_ERR")
is "$(base64 -d <<<"$CLAIMS" | jq -c .id_token)" '{"email":{"essential":true}}' "the command carries the API's claims"
is "$(jq -r '.email // "none"' <<<"$SIGN_IN_OUT")" none "the first sign-in's ID token had no email (no email scope)"
reset_requests
cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60 \
  --scope "openid profile offline_access api-a:read api-a:write" --claims "$CLAIMS"
is_rc 0 "sign-in --claims (the command api printed) succeeds"
is "$(jq -rs '[.[] | select(.route == "authorization") | .claims // empty] | first | fromjson | .id_token.email.essential' \
      "$IDP_REQUEST_LOG")" true "the authorize request carried the claims, decoded to JSON"
is "$(jq -r .email <<<"$CLI_OUT")" alice@example.test "the new ID token has the claim the API asked for"
cli api --scope api-a:read "$RS_A/me"
is_rc 0 "the API answers with the account signed in again"
reset_requests
cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --claims '[1, 2]'
is_rc 2 "sign-in --claims with a JSON array: a usage error"
like "$CLI_ERR" 'claims request' "… said in words"
is "$(count_requests discovery)$(count_requests authorization)" 00 "… before any request"
cli sign-in --device-code --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --claims "$CLAIMS"
is_rc 2 "--claims with --device-code: a usage error"

done_testing
