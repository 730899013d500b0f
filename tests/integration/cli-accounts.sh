#!/usr/bin/env bash
# cli-accounts.sh — several accounts: the default is the most recent sign-in, --account picks by
# id or username, and signing out the default falls back to the one before.
source "$(dirname "$0")/lib.sh"
require_cli

sign_in_as() {
  LANYARD_TEST_BROWSER_USER=$1 cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" \
    --prompt login --timeout 60
}
claim() { jq -r ".$1" <<<"$CLI_OUT"; }

start_idp
use_test_browser login
export LANYARD_TEST_BROWSER_USER

sign_in_as alice
is_rc 0 "alice signs in"
ALICE=$(claim sub)
# Sign-in times are kept to the second: let bob's be the later one, for the order check below.
sleep 1
sign_in_as bob
is_rc 0 "bob signs in"
is "$(claim sub)" "bob" "the second sign-in is bob"

cli accounts
is "$(wc -l <<<"$CLI_OUT")" "2" "accounts lists two accounts"
like "$(head -n1 <<<"$CLI_OUT")" $'\tbob\t' "the newest sign-in is listed first"
BOB_ID=$(head -n1 <<<"$CLI_OUT" | cut -f1)
ALICE_ID=$(sed -n 2p <<<"$CLI_OUT" | cut -f1)

cli claims
is "$(claim sub)" "bob" "claims without --account: the most recent sign-in"
cli claims --account alice
is "$(claim sub)" "$ALICE" "claims --account alice: by username"
cli claims --account "$ALICE_ID"
is "$(claim sub)" "$ALICE" "claims --account <id>: by id"
cli token --account "$ALICE_ID" --json
is_rc 0 "token --account <alice's id>"
is "$(jq -r .account <<<"$CLI_OUT")" "$ALICE_ID" "token --json names alice's account"
cli claims --account nobody
is_rc 12 "claims --account nobody: exit status 12 (no such account)"

# a stale or damaged default only costs the slow path
printf 'garbage\001\n' >"${XDG_STATE_HOME:-$HOME/.local/state}/lanyard/default-account"
cli claims
is "$(claim sub)" "bob" "a damaged default file: still the most recent sign-in"

cli sign-out --no-browser
is_rc 0 "sign-out without --account signs out bob"
cli accounts
is "$(cut -f1 <<<"$CLI_OUT")" "$ALICE_ID" "only alice is left"
cli claims
is "$(claim sub)" "$ALICE" "the default falls back to alice"
cli sign-out --account alice --no-browser
is_rc 0 "sign-out --account alice"
cli accounts
is "$CLI_OUT" "" "no accounts are left"
cli token
is_rc 12 "token with no account: exit status 12"

done_testing
