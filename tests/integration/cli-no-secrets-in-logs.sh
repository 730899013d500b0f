#!/usr/bin/env bash
# cli-no-secrets-in-logs.sh — a full flow (sign-in, token, refresh, claims, accounts, sign-out)
# with G_MESSAGES_DEBUG=all: no authorization code, PKCE verifier, state, access, refresh or ID
# token may appear on stderr (nor on stdout, except the access token that `token` prints).
# The secret values come from the provider (IDP_SECRETS_LOG: what went over the wire to its token
# and revocation endpoints) and from the scripted browser (the authorization response it saw).
source "$(dirname "$0")/lib.sh"
require_cli

export IDP_SECRETS_LOG=$T/idp-secrets.jsonl
start_idp --tls
use_test_browser login
export LANYARD_TEST_BROWSER_SECRETS=$T/browser-secrets
export G_MESSAGES_DEBUG=all

# GLib's default log writer sends debug messages to stdout unless the program asks for stderr, so
# both streams are searched; on stdout of `token` the access token it prints is allowed.
: >"$T/stderr.all"
: >"$T/stdout.all"
: >"$T/stdout.token"
step() { # step NAME STDOUT-FILE ARGS... — run the CLI, collect its output
  local name=$1 outfile=$2
  shift 2
  cli "$@"
  is_rc 0 "$name exits 0"
  { printf '### %s\n' "$name"; cat "$T/cli.err"; } >>"$T/stderr.all"
  { printf '### %s\n' "$name"; cat "$T/cli.out"; } >>"$outfile"
}
step sign-in "$T/stdout.all" sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60
t_ok "G_MESSAGES_DEBUG=all: stdout of sign-in is still only the claims JSON (debug output goes to stderr)" \
  jq -e 'type == "object" and .sub == "alice"' "$T/cli.out"
step token "$T/stdout.token" token
step "token --force-refresh" "$T/stdout.token" token --force-refresh
step "token --json" "$T/stdout.token" token --json
step claims "$T/stdout.all" claims
step accounts "$T/stdout.all" accounts
step sign-out "$T/stdout.all" sign-out
wait_browser '^LOGOUT ' 10 >/dev/null || diag "the browser saw no logout URL"
unset G_MESSAGES_DEBUG

# ------------------------------------------------------------ collect the secrets
: >"$T/secrets"
: >"$T/access-tokens"
if [ -s "$IDP_SECRETS_LOG" ]; then
  jq -r '(.request, .response) | .. | strings' "$IDP_SECRETS_LOG" >>"$T/secrets"
  jq -r '.response.access_token // empty' "$IDP_SECRETS_LOG" >>"$T/access-tokens"
fi
if [ -s "$LANYARD_TEST_BROWSER_SECRETS" ]; then
  sed -n 's/^\(code\|state\)=//p' "$LANYARD_TEST_BROWSER_SECRETS" >>"$T/secrets"
fi
url_param "$(browser_auth_url)" state >>"$T/secrets"
echo >>"$T/secrets"
# needles FILE: the values, and for JWTs their payload and signature alone, for opaque values
# their first 16 characters (a truncated value in a log is a leak too)
needles() {
  local s
  while IFS= read -r s; do
    [ ${#s} -ge 8 ] || continue
    printf '%s\n' "$s"
    if [[ $s == *.*.* ]]; then
      printf '%s\n' "$s" | cut -d. -f2
      printf '%s\n' "$s" | cut -d. -f3
    elif [ ${#s} -gt 16 ]; then
      printf '%s\n' "${s:0:16}"
    fi
  done <"$1" | sed '/^.\{0,7\}$/d' | sort -u
}
needles "$T/secrets" >"$T/needles"
grep -v -x -F -f "$T/access-tokens" "$T/secrets" >"$T/secrets-but-at" || true
needles "$T/secrets-but-at" >"$T/needles-but-at"

NSECRETS=$(sort -u "$T/secrets" | grep -c .)
diag "$NSECRETS secret values, $(grep -c . "$T/needles") search strings, $(grep -c . "$T/stderr.all") lines of stderr"
t_ok "the provider recorded code, verifier and tokens (at least 6 secrets)" test "$NSECRETS" -ge 6
is "$(jq -s '[.[] | select(.route == "token" and .request.code_verifier != null)] | length' "$IDP_SECRETS_LOG")" 1 \
  "one code redemption with a code_verifier was seen"
t_ok "the browser recorded the authorization code" grep -q '^code=..*' "$LANYARD_TEST_BROWSER_SECRETS"
t_ok "G_MESSAGES_DEBUG=all produced debug output" grep -q -- '-DEBUG: ' "$T/stderr.all" "$T/stdout.all"

leaks() { grep -F -o -f "$1" "$2" | sort -u | sed -E 's/^(.{6}).*/\1…/'; }
check() { # check NEEDLES FILE DESC
  local l
  l=$(leaks "$1" "$2")
  is "$l" "" "$3"
  if [ -n "$l" ]; then
    diag "leaked (first characters shown): $(tr '\n' ' ' <<<"$l")"
    diag "$(grep -F -n -f "$1" "$2" | cut -c1-90 | head -5)"
  fi
}
check "$T/needles" "$T/stderr.all" "no code, verifier, state or token on stderr (G_MESSAGES_DEBUG=all)"
check "$T/needles" "$T/stdout.all" "no code, verifier, state or token on stdout of sign-in, claims, accounts, sign-out"
check "$T/needles-but-at" "$T/stdout.token" "no code, verifier, state, refresh or ID token on stdout of token"

done_testing
