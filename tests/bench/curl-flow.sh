#!/usr/bin/env bash
# curl-flow.sh ISSUER CLIENT_ID CA_FILE LOOPBACK_CATCH — the floor of the sign-in benchmark: the
# same HTTP exchange as a native sign-in, done with curl and nothing else. Discovery, PKCE S256,
# the authorization request opened in $BROWSER (the same scripted browser as the other
# contenders), the response_mode=form_post response (as Lanyard and MSAL ask for it, so the
# browser does the same work for every contender) caught by loopback-catch (a one-shot C
# listener), the code
# redeemed, then one refresh. No JWKS and no ID token validation, no keyring: a lower bound, not
# a client anyone should ship. Appends "TOKENS <epoch>" to $LANYARD_BENCH_DONE_LOG when the code
# has been redeemed. Exits non-zero when any step fails.
set -euo pipefail
ISSUER=$1 CLIENT_ID=$2 CA=$3 CATCH=$4
W=$(mktemp -d "${TMPDIR:-/tmp}/curl-flow.XXXXXX")
trap 'rm -rf "$W"' EXIT
die() { echo "curl-flow: $*" >&2; exit 1; }
json_str() { # json_str NAME <<<JSON — a top-level string member (enough for these responses)
  local re="\"$1\"[[:space:]]*:[[:space:]]*\"([^\"]*)\"" j
  j=$(cat)
  [[ $j =~ $re ]] && printf '%s' "${BASH_REMATCH[1]}"
}
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

disc=$(curl -sSf --cacert "$CA" "$ISSUER/.well-known/openid-configuration") || die "discovery failed"
AUTH=$(json_str authorization_endpoint <<<"$disc") || die "no authorization_endpoint"
TOKEN=$(json_str token_endpoint <<<"$disc") || die "no token_endpoint"

VERIFIER=$(openssl rand 32 | b64url)
CHALLENGE=$(printf '%s' "$VERIFIER" | openssl dgst -sha256 -binary | b64url)
STATE=$(openssl rand 16 | b64url)
NONCE=$(openssl rand 16 | b64url)

"$CATCH" "$W/port" >"$W/request" &
catch_pid=$!
for _ in $(seq 1 200); do [ -s "$W/port" ] && break; sleep 0.005; done
read -r _ PORT <"$W/port" || die "the listener did not start"
REDIRECT="http://127.0.0.1:$PORT/"

"$BROWSER" "$AUTH?client_id=$CLIENT_ID&response_type=code&scope=openid%20profile%20offline_access&redirect_uri=http%3A%2F%2F127.0.0.1%3A$PORT%2F&code_challenge=$CHALLENGE&code_challenge_method=S256&response_mode=form_post&state=$STATE&nonce=$NONCE" ||
  die "the browser could not be opened"
wait "$catch_pid" || die "the listener failed"
read -r q <"$W/request"
code='' st=''
IFS='&' read -ra kvs <<<"$q"
for kv in "${kvs[@]}"; do
  case $kv in code=*) code=${kv#code=} ;; state=*) st=${kv#state=} ;; esac
done
[ "$st" = "$STATE" ] || die "state mismatch"
[ -n "$code" ] || die "no code in the redirect"

tok=$(curl -sSf --cacert "$CA" -d grant_type=authorization_code --data-urlencode "code=$code" \
  --data-urlencode "redirect_uri=$REDIRECT" --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "code_verifier=$VERIFIER" "$TOKEN") || die "code redemption failed"
RT=$(json_str refresh_token <<<"$tok") || die "no refresh token"
json_str id_token <<<"$tok" >/dev/null || die "no ID token"
[ -z "${LANYARD_BENCH_DONE_LOG:-}" ] || printf 'TOKENS %s\n' "$EPOCHREALTIME" >>"$LANYARD_BENCH_DONE_LOG"

ref=$(curl -sSf --cacert "$CA" -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" \
  --data-urlencode "client_id=$CLIENT_ID" "$TOKEN") || die "refresh failed"
json_str access_token <<<"$ref" >/dev/null || die "no access token after the refresh"
