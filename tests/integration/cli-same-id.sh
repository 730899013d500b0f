#!/usr/bin/env bash
# cli-same-id.sh — two providers assert the same account id (an Entra-style oid/tid pair is just
# a claim): oidc-provider (tests/idp/idp.mjs) and oauth2-mock-server (tests/idp/mock-idp.mjs).
# Both accounts are kept; --account ID is refused with the candidates, ID@ISSUER names one, the
# configured provider decides, and signing out one leaves the other. TAP output.
source "$(dirname "$0")/lib.sh"
require_cli

OID=0b0e0c0d-1111-4222-8333-444455556666
TID=7e7e7e7e-aaaa-4bbb-8ccc-dddddddddddd
ID=$OID.$TID

IDP_ACCOUNTS=$(jq -cn --arg oid "$OID" --arg tid "$TID" \
  '{alice: {password: "password", name: "Alice Example", claims: {oid: $oid, tid: $tid}}}')
export IDP_ACCOUNTS
MOCK_EXTRA_CLAIMS=$(jq -cn --arg oid "$OID" --arg tid "$TID" '{oid: $oid, tid: $tid}')
export MOCK_EXTRA_CLAIMS
use_test_browser login

# ------------------------------------------------------------ the same id at two providers
start_idp
ONE=$IDP_ISSUER
cli sign-in --authority "$ONE" --client-id "$IDP_CLIENT_ID" --timeout 60
is_rc 0 "sign-in at oidc-provider"
cli token --json
is "$(jq -r .account <<<"$CLI_OUT")" "$ID" "the account id is the oid.tid pair"
TOKEN_ONE=$(jq -r .access_token <<<"$CLI_OUT")
# Its access token is cached for an hour: the provider can go.
stop_idp

start_mock_idp
TWO=$MOCK_ISSUER
cli sign-in --authority "$TWO" --client-id lanyard-second-provider --timeout 60
is_rc 0 "sign-in at oauth2-mock-server"
cli token --json
is "$(jq -r .account <<<"$CLI_OUT")" "$ID" "the second provider's account has the same id"
TOKEN_TWO=$(jq -r .access_token <<<"$CLI_OUT")
isnt "$TOKEN_TWO" "$TOKEN_ONE" "two accounts, two tokens"

cli accounts
is "$(grep -c . <<<"$CLI_OUT")" 2 "accounts: both are kept"
is "$(cut -f1,4 <<<"$CLI_OUT" | sort)" "$(printf '%s\t%s\n%s\t%s\n' "$ID" "$ONE" "$ID" "$TWO" | sort)" \
  "accounts: the same id, each with its issuer in the fourth column"

# ------------------------------------------------------------ naming one
cli token --account "$ID"
is_rc 2 "token --account ID: several accounts have it (exit 2)"
is "$CLI_OUT" "" "token --account ID: no token printed"
like "$CLI_ERR" "$ID@$ONE" "token --account ID: the message lists the first as ID@ISSUER"
like "$CLI_ERR" "$ID@$TWO" "token --account ID: and the second"

cli token --account "$ID@$ONE"
is_rc 0 "token --account ID@ISSUER (first)"
is "$CLI_OUT" "$TOKEN_ONE" "token --account ID@ISSUER: the first provider's token"
cli token --account "$ID@$TWO"
is "$CLI_OUT" "$TOKEN_TWO" "token --account ID@ISSUER: the second provider's token"
cli claims --account "$ID@$ONE"
is "$(jq -r .iss <"$T/cli.out")" "$ONE" "claims --account ID@ISSUER: that account's claims"

cli token
is "$CLI_OUT" "$TOKEN_TWO" "token: the default is the most recent sign-in, not just its id"

LANYARD_AUTHORITY=$ONE LANYARD_CLIENT_ID=$IDP_CLIENT_ID cli token --account "$ID"
is_rc 0 "token --account ID with a provider configured"
is "$CLI_OUT" "$TOKEN_ONE" "token --account ID: the configured provider's account is meant"

# ------------------------------------------------------------ one goes, the other stays
cli sign-out --account "$ID@$TWO" --no-browser
is_rc 0 "sign-out --account ID@ISSUER"
cli accounts
is "$(cut -f1,4 <<<"$CLI_OUT")" "$(printf '%s\t%s' "$ID" "$ONE")" "sign-out: the first provider's account is left"
cli token --account "$ID"
is_rc 0 "token --account ID: one account has it again"
is "$CLI_OUT" "$TOKEN_ONE" "token --account ID: the one left"
cli token
is "$CLI_OUT" "$TOKEN_ONE" "token: the default falls back to the one left"

done_testing
