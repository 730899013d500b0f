#!/usr/bin/env bash
# app-api.sh — the signed-in page's API section in the real app, as a person started from the
# desktop menu meets it (no LANYARD_* variable, settings in a keyfile changed while it runs),
# against real peers: oidc-provider under an Entra tenant path (`--issuer-path /<GUID>/v2.0`, so
# the authority is Entra-shaped and the page calls Microsoft Graph), a fake Graph and an API
# (tests/idp/resource-server.mjs) that validate the JWT access tokens as APIs do. The app is
# driven through its actions (app.sign-in, app.see-profile, app.call-api, app.sign-in-for-api)
# and observed through its debug lines (the rows and answers as shown), the provider's and the
# APIs' request logs. TAP output.
#
#   1. sign-in through the front door asks for Graph's User.Read (Entra); no API is called yet
#   2. See Profile: Graph's /v1.0/me as rows (name, email, job title, object id), its status and
#      time, no token request
#   3. an API set in Preferences (settings, live): Call says in one sentence that the scope was never
#      granted, naming it (the provider's words below), and offers Sign In Again, which asks for
#      it; then Call: HTTP 200, time, the JSON
#   4. errors in words: a 500 with its body, a 403, the API down
#   5. a claims challenge: Sign In Again asks for the challenge's claims
#   6. screenshots: the section in light style and at 360 px
#   7. restarts: dark style, and German (rows' titles, status)
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"
require_cli
require_app
command -v xdotool >/dev/null 2>&1 || bail_out "xdotool is not installed (build-aux/install-deps.sh)"

TENANT=11111111-2222-3333-4444-555555555555
export GSETTINGS_BACKEND=keyfile
start_idp -- --issuer-path "/$TENANT/v2.0"
AUTHORITY=${IDP_ISSUER%/v2.0}
use_test_browser login --via-handler
browser_config LANYARD_TEST_BROWSER_USER=alice

# start_rs NAME AUDIENCE — a resource server; RS_<NAME> its base URL, $T/rs-NAME.requests its log
start_rs() {
  local ready=$T/rs-$1.ready
  RS_REQUEST_LOG=$T/rs-$1.requests node "$LANYARD_TEST_SRCDIR/idp/resource-server.mjs" \
    --issuer "$IDP_ISSUER" --audience "$2" --ready-file "$ready" >"$T/rs-$1.out" 2>"$T/rs-$1.err" </dev/null &
  _LIB_BG_PIDS="${_LIB_BG_PIDS:-} $!"
  : >"$T/rs-$1.requests"
  for _ in $(seq 1 600); do [ -s "$ready" ] && break; sleep 0.05; done
  [ -s "$ready" ] || { diag "$(cat "$T/rs-$1.err")"; bail_out "the resource server $1 did not start"; }
  printf -v "RS_$1" 'http://127.0.0.1:%s' "$(jq -r .port "$ready")"
}
# rs_count NAME PATH STATUS — requests the server NAME answered with STATUS at PATH
rs_count() { jq -s --arg p "$2" --argjson s "$3" '[.[] | select(.path == $p and .status == $s)] | length' "$T/rs-$1.requests"; }
start_rs GRAPH https://graph.microsoft.com/
start_rs A https://api-a.lanyard.test/

# the app's newest debug line matching ERE, after the previous call's
since=0
mark() { since=$(wc -l <"$APP_LOG"); }
new_log() { tail -n +"$((since + 1))" "$APP_LOG"; }
wait_new() {
  local i
  for i in $(seq 1 $((${2:-15} * 10))); do
    new_log | grep -Eq -- "$1" && return 0
    sleep 0.1
  done
  diag "no new app log line matches /$1/" "$(new_log | tail -n 10)"
  return 1
}

settings_set authority "'$AUTHORITY'"
settings_set client-id "'$IDP_CLIENT_ID'"
settings_set graph-url "'$RS_GRAPH'"

# ============================================================ 1. sign in
t_ok "the app starts with no LANYARD_* variable" app_start_clean
t_ok "signed out" wait_state signed-out 10
t_ok "app.sign-in activates" app_action sign-in
opened=$(wait_browser '^OPEN ' 15) || true
like "$(url_param "$opened" scope)" 'User\.Read' "the sign-in asks for Graph's User.Read (an Entra authority)"
t_ok "signed in" wait_state signed-in 30
is "$(rs_count GRAPH /v1.0/me 200)" 0 "nothing calls Graph before the person asks"

# ============================================================ 2. See Profile: Graph's /v1.0/me
reset_requests
mark
t_ok "app.see-profile activates" app_action see-profile
t_ok "Graph's answer is shown" wait_new 'Profile row: ' 15
t_ok "the profile's status and the time taken, as Call shows them" wait_new 'API section: profile: HTTP 200 OK · [0-9.]+ m?s' 5
sleep 0.3
rows=$(new_log | sed -n 's/.*Profile row: //p')
like "$rows" '^Name: Alice Example$' "row: Name"
like "$rows" '^Email: alice@example\.test$' "row: Email"
like "$rows" '^Job Title: Identity Tester$' "row: Job Title"
like "$rows" '^User Principal Name: alice@example\.test$' "row: User Principal Name"
like "$rows" '^Object ID: alice$' "row: Object ID (Graph's id)"
like "$rows" '^Business Phone: \+1 425 555 0109$' "row: Business Phone (a list)"
unlike "$rows" 'odata|Mobile Phone' "no OData bookkeeping, no empty (null) field"
is "$(head -n1 <<<"$rows")" "Name: Alice Example" "the name first"
is "$(rs_count GRAPH /v1.0/me 200)" 1 "the fake Graph accepted the token (JWT for Graph, User.Read)"
is "$(count_requests token)" 0 "no token request: the sign-in's token is Graph's"
shot api-graph

# ============================================================ 3. an API set live; consent missing
mark
settings_set api-url "'$RS_A/me'"
settings_set api-scopes "['api-a:read']"
t_ok "the new settings are applied (the client is renewed, still signed in)" wait_state signed-in 15
sleep 1
mark
t_ok "app.call-api activates" app_action call-api
t_ok "Call: the scope was never granted, in a short sentence naming it" \
  wait_new 'API section: This account has not granted api-a:read yet: sign in again to grant it$' 15
t_ok "… and the provider's own words below it" wait_new 'API section details: The provider says “[a-z_]+: ' 5
is "$(rs_count A /me 200)" 0 "the API is not called without its token"
shot api-consent

browser_reset
mark
t_ok "app.sign-in-for-api (Sign In Again) activates" app_action sign-in-for-api
opened=$(wait_browser '^OPEN ' 15) || true
scope=$(url_param "$opened" scope)
like "$scope" 'api-a:read' "Sign In Again asks for the API's scope"
like "$scope" 'User\.Read' "… and keeps Graph's"
t_ok "signed in again" wait_state signed-in 30
sleep 0.5

mark
t_ok "Call again" app_action call-api
t_ok "Call: HTTP 200 and the time taken" wait_new 'API section: HTTP 200 OK · [0-9.]+ m?s' 15
t_ok "the JSON, pretty-printed" wait_new 'API answer: \{\\n  \\"sub\\": \\"alice\\",\\n  \\"aud\\": \\"https://api-a\.lanyard\.test/\\"' 5
is "$(rs_count A /me 200)" 1 "the API accepted its token (aud, scope, signature)"
shot api-call

# ============================================================ 4. errors in words
mark
settings_set api-url "'$RS_A/status/500'"
sleep 1
t_ok "500: Call" app_action call-api
t_ok "500: the status and time" wait_new 'API section: HTTP 500 Internal Server Error · ' 15
t_ok "500: in words, with the API's excerpt" \
  wait_new "API section: 127\.0\.0\.1 could not answer \(HTTP 500 Internal Server Error\): the problem is on its side\. It says: “status 500”" 5
t_ok "500: the body is shown too" wait_new 'API answer: \{\\n  \\"error\\": \\"status 500\\"' 5
shot api-error-500

mark
settings_set api-url "'$RS_A/status/403'"
sleep 1
t_ok "403: Call" app_action call-api
t_ok "403: refused, in words" wait_new 'API section: 127\.0\.0\.1 refused access \(HTTP 403 Forbidden\): the account may lack a permission' 15

mark
DOWN=$(free_port)
settings_set api-url "'http://127.0.0.1:$DOWN/me'"
sleep 1
t_ok "API down: Call" app_action call-api
t_ok "API down: nothing answers, in words" wait_new 'API section: Nothing answers at 127\.0\.0\.1: the API may be down, or the address may be wrong' 15
unlike "$(new_log)" 'Could not connect' "API down: not GIO's words"

# ============================================================ 5. a claims challenge
mark
settings_set api-url "'$RS_A/claims-challenge'"
sleep 1
t_ok "claims challenge: Call" app_action call-api
t_ok "claims challenge: only a sign-in helps" wait_new 'API section: The API asks you to sign in again' 15
browser_reset
t_ok "claims challenge: Sign In Again" app_action sign-in-for-api
opened=$(wait_browser '^OPEN ' 15) || true
claims=$(url_param "$opened" claims)
is "$(jq -c .access_token.acrs <<<"$claims" 2>/dev/null)" '{"essential":true,"value":"c1"}' \
  "claims challenge: the sign-in asks for the challenge's claims (decoded from base64)"
like "$(url_param "$opened" scope)" 'api-a:read' "claims challenge: … and for the API's scopes"
like "$(url_param "$opened" login_hint)" . "claims challenge: for the same account (login_hint)"
t_ok "claims challenge: signed in again" wait_state signed-in 30

# ============================================================ 6. 360 px
settings_set api-url "'$RS_A/me'"
sleep 1
xdotool windowsize --sync "$(app_window)" 360 720 2>/dev/null || xdotool windowsize "$(app_window)" 360 720
mark
t_ok "360 px: Call" app_action call-api
t_ok "360 px: answered" wait_new 'API section: HTTP 200 OK' 15
shot api-call-360

app_quit
is "$APP_RC" 0 "app.quit ends the app with status 0"

# ============================================================ 7. dark, German (restarts)
settings_set window-width 640
t_ok "dark: the app starts" app_start_clean ADW_DEBUG_COLOR_SCHEME=prefer-dark
t_ok "dark: signed in (from the keyring)" wait_state signed-in 15
mark
t_ok "dark: Call" app_action call-api
t_ok "dark: answered" wait_new 'API section: HTTP 200 OK' 15
shot api-call-dark
app_quit

if [ -d "$LANYARD_TEST_BUILD_ROOT/po/de" ]; then
  # the only LANYARD_* variable here: an uninstalled build's catalogs
  german_ok
  t_ok "German: the app starts" app_start_clean "${GERMAN[@]}" LANYARD_LOCALEDIR="$LANYARD_TEST_BUILD_ROOT/po"
  t_ok "German: signed in" wait_state signed-in 15
  mark
  t_ok "German: app.see-profile" app_action see-profile
  t_ok "German: Graph's rows with German titles" wait_new 'Profile row: Vorname: Alice' 15
  t_ok "German: the profile's status and time" wait_new 'API section: profile: HTTP 200 OK · [0-9,]+ m?s' 5
  mark
  t_ok "German: app.call-api" app_action call-api
  t_ok "German: the status and the time" wait_new 'API section: HTTP 200 OK · [0-9,]+ m?s' 15
  shot api-call-de
  app_quit
else
  skip "German screenshot" "no compiled German catalog in the build tree"
fi

warnings=$(grep -h -E -- '-(CRITICAL|WARNING) \*\*' "$T"/app-*.log | head -n 10)
is "$warnings" "" "no GLib/GTK warnings or criticals in any app run"

done_testing
