#!/usr/bin/env bash
# cli-graph.sh — Microsoft Graph's /v1.0/me through an Entra-shaped authority, against fakes that
# check what the real ones would: oidc-provider under a tenant path (`--issuer-path
# /<GUID>/v2.0`, so `http://127.0.0.1:PORT/<GUID>` is an Entra authority to Lanyard) and a fake
# Graph (tests/idp/resource-server.mjs with Graph's audience) that validates the JWT access token
# (signature, iss, aud, exp) and wants User.Read. LANYARD_GRAPH_URL points lanyard-cli api's
# Graph default (User.Read) at the fake, as a national cloud's Graph would be. TAP output.
source "$(dirname "$0")/lib.sh"
require_cli

TENANT=11111111-2222-3333-4444-555555555555
start_idp -- --issuer-path "/$TENANT/v2.0"
use_test_browser login
AUTHORITY=${IDP_ISSUER%/v2.0}
is "$AUTHORITY" "http://127.0.0.1:$IDP_PORT/$TENANT" "the provider's issuer is Entra-shaped"

ready=$T/graph.ready
RS_REQUEST_LOG=$T/graph.requests node "$LANYARD_TEST_SRCDIR/idp/resource-server.mjs" \
  --issuer "$IDP_ISSUER" --audience https://graph.microsoft.com/ --ready-file "$ready" \
  >"$T/graph.out" 2>"$T/graph.err" </dev/null &
_LIB_BG_PIDS="${_LIB_BG_PIDS:-} $!"
for _ in $(seq 1 600); do [ -s "$ready" ] && break; sleep 0.05; done
[ -s "$ready" ] || { diag "$(cat "$T/graph.err")"; bail_out "the fake Graph did not start"; }
GRAPH=http://127.0.0.1:$(jq -r .port "$ready")
graph_requests() { [ -s "$T/graph.requests" ] || { echo 0; return; }; jq -s --arg s "$1" '[.[] | select(.path == "/v1.0/me" and (.status | tostring) == $s)] | length' "$T/graph.requests"; }

cli sign-in --authority "$AUTHORITY" --client-id "$IDP_CLIENT_ID" --timeout 60
is_rc 0 "sign-in at the Entra-shaped authority, without User.Read"

cli api "$GRAPH/v1.0/me"
is_rc 2 "without LANYARD_GRAPH_URL the fake is not Graph: no default scope (usage error)"

LANYARD_GRAPH_URL=$GRAPH cli api "$GRAPH/v1.0/me"
is_rc 8 "LANYARD_GRAPH_URL: Graph's User.Read is asked for, never granted: exit 8"
like "$CLI_ERR" 'User\.Read' "… naming User.Read"
is "$(graph_requests 200)" 0 "no call reached Graph"

cli sign-in --authority "$AUTHORITY" --client-id "$IDP_CLIENT_ID" --timeout 60 \
  --scope "openid profile offline_access User.Read"
is_rc 0 "sign-in again asking for User.Read"

reset_requests
LANYARD_GRAPH_URL=$GRAPH/ cli api "$GRAPH/v1.0/me"
is_rc 0 "api GET Graph /v1.0/me: exit 0"
is "$(jq -r .displayName <<<"$CLI_OUT")" "Alice Example" "Graph's displayName"
is "$(jq -r .id <<<"$CLI_OUT")" "alice" "… and the id Graph knows (the token's sub)"
is "$(count_requests token)" 0 "the sign-in's token is Graph's: no token request"
is "$(graph_requests 200)" 1 "the fake Graph accepted the token once"

# The graph-url setting does the same (a keyfile backend, the schema compiled in the build tree).
SCHEMA_DIR=$LANYARD_TEST_BUILDDIR/../data
[ -s "$SCHEMA_DIR/gschemas.compiled" ] || bail_out "no compiled schema in $SCHEMA_DIR (build the project first)"
GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR=$SCHEMA_DIR gsettings set dev.lanyard.Lanyard graph-url "$GRAPH"
GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR=$SCHEMA_DIR cli api "$GRAPH/v1.0/me"
is_rc 0 "the graph-url setting: Graph's default scope too, exit 0"
is "$(jq -r .displayName <<<"$CLI_OUT")" "Alice Example" "… Graph's answer"

cli api --scope openid "$GRAPH/v1.0/me"
is_rc 22 "a token that is not Graph's (another audience): the fake Graph refuses it, exit 22"
like "$CLI_ERR" 'HTTP 401' "… with 401"

done_testing
