#!/usr/bin/env bash
# cli-tokens.sh — the token cache and refresh across processes against the real test provider
# (oidc-provider rotates refresh tokens and revokes the whole grant when a used one comes back):
# parallel --force-refresh runs never lose the session; an account remembers its CA file and
# redirect settings, so later commands in new processes need no flags. TAP output.
source "$(dirname "$0")/lib.sh"
require_cli

sign_in() { cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60 "$@"; }

# ------------------------------------------------------------ two processes refresh at once
start_idp
use_test_browser login
sign_in
is_rc 0 "alice signs in"

lost=0
for round in $(seq 1 20); do
  timeout -k 5 60 "$LANYARD_CLI" token --force-refresh </dev/null >"$T/a.out" 2>"$T/a.err" &
  a=$!
  timeout -k 5 60 "$LANYARD_CLI" token --force-refresh </dev/null >"$T/b.out" 2>"$T/b.err" &
  b=$!
  rc_a=0; rc_b=0
  wait "$a" || rc_a=$?
  wait "$b" || rc_b=$?
  if [ "$rc_a" != 0 ] || [ "$rc_b" != 0 ] || [ "$(cat "$T/a.out")" = "$(cat "$T/b.out")" ]; then
    lost=$((lost + 1))
    diag "round $round: exit statuses $rc_a and $rc_b" "$(cat "$T/a.err" "$T/b.err")"
  fi
done
is "$lost" 0 "20 rounds of two parallel token --force-refresh: every run got its own fresh token"
is "$(count_requests token refresh_token)" 40 "40 refreshes reached the provider, none twice with one token"
unlike "$(cat "$T"/idp-1.err)" 'grant.revoked' "the provider never revoked the grant"
cli token --force-refresh
is_rc 0 "the session survives: one more refresh works"

cli sign-out --no-browser
is_rc 0 "sign-out"

# ------------------------------------------------------------ the account remembers how it reached its provider
start_idp --tls
CA=$LANYARD_CA_FILE
unset LANYARD_CA_FILE   # the CLI gets it by flag only; the browser keeps LANYARD_TEST_CA_FILE
cp "$CA" "$T/corp.pem"
browser_reset
# from $T: a relative path is remembered as an absolute one
cd "$T" || bail_out "cd $T"
sign_in --ca-file corp.pem --redirect-host 127.0.0.1
cd / || bail_out "cd /"
is_rc 0 "https sign-in with --ca-file (a relative path) and --redirect-host"
like "$(browser_auth_url)" 'redirect_uri=http%3A%2F%2F127\.0\.0\.1' "the sign-in used 127.0.0.1"

reset_requests
cli token --force-refresh
is_rc 0 "token --force-refresh in a new process, no flag: the remembered CA file is trusted"
is "$(count_requests token refresh_token)" 1 "it reached the provider"
cli claims
is_rc 0 "claims needs no flag either"
LANYARD_CA_FILE=$IDP_CERT_DIR/other-ca.pem cli token --force-refresh
is_rc 10 "a CA file in the environment still wins over the remembered one (exit 10, not trusted)"
cli token --force-refresh --ca-file "$IDP_CERT_DIR/other-ca.pem"
is_rc 10 "so does --ca-file"
cli sign-out --no-browser
is_rc 0 "sign-out revokes over the remembered CA file"
is "$(count_requests revocation)" 1 "the revocation reached the provider"

done_testing
