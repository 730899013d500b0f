#!/usr/bin/env bash
# cli-keyring-failures.sh — lanyard-cli when the keyring is locked or missing: the words say so,
# the exit status is 7, nothing is written anywhere else, and what was stored stays intact.
source "$(dirname "$0")/lib.sh"
require_cli

KEYRING_TOOL=${LANYARD_TEST_KEYRING_TOOL:?meson sets LANYARD_TEST_KEYRING_TOOL}
sign_in() { cli sign-in --authority "$IDP_ISSUER" --client-id "$IDP_CLIENT_ID" --timeout 60 "$@"; }
# nothing of the account may reach the disk when the keyring cannot take it
no_plaintext() {
  local hits
  hits=$(grep -rl -e "lh:alice" -e "Alice Example" "$HOME" 2>/dev/null | grep -v -e "^$T/" -e "/.run/" || true)
  is "$hits" "" "$1: no file under HOME holds the account"
}

start_idp
use_test_browser login

# ------------------------------------------------------------ locked collection at sign-in
"$KEYRING_TOOL" lock
is "$("$KEYRING_TOOL" status)" "locked" "the login collection is locked"
sign_in
is_rc 7 "locked: sign-in exits 7 (keyring problem)"
like "$CLI_OUT" '"sub" *: *"alice"' "locked: the validated claims are still printed"
like "$CLI_ERR" 'keyring' "locked: stderr says the keyring is the problem"
like "$(browser_page)" 'Signed in' "locked: the browser tab still says Signed in (the sign-in itself worked)"
cli accounts
is_rc 7 "locked: accounts exits 7"
like "$CLI_ERR" '[Ll]ocked' "locked: accounts says the keyring is locked, not that nothing is there"
cli token
is_rc 7 "locked: token exits 7"
no_plaintext "locked"
"$KEYRING_TOOL" unlock
cli accounts
is_rc 0 "unlocked: accounts exits 0"
is "$CLI_OUT" "" "unlocked: nothing was stored while locked"

# ------------------------------------------------------------ locked after a good sign-in
sign_in
is_rc 0 "unlocked: sign-in exits 0"
cli token --json
is_rc 0 "token exits 0"
TOKEN=$(jq -r .access_token <<<"$CLI_OUT")
"$KEYRING_TOOL" lock
cli token
is_rc 7 "locked after sign-in: token exits 7"
like "$CLI_ERR" '[Ll]ocked' "locked after sign-in: token says the keyring is locked"
cli sign-out --no-browser
is_rc 7 "locked: sign-out exits 7 (the local part could not be done)"
"$KEYRING_TOOL" unlock
cli token --json
is_rc 0 "unlocked again: token exits 0"
is "$(jq -r .access_token <<<"$CLI_OUT")" "$TOKEN" "unlocked again: the stored account is intact"
cli sign-out --no-browser
is_rc 0 "sign-out exits 0"

# ------------------------------------------------------------ no Secret Service on the bus
REAL_CLI=$LANYARD_CLI
cat >"$T/cli-no-secret-service" <<EOS
#!/bin/sh
exec dbus-run-session --config-file="$LANYARD_TEST_SRCDIR/session/no-secret-service.conf" -- "$REAL_CLI" "\$@"
EOS
chmod +x "$T/cli-no-secret-service"
LANYARD_CLI=$T/cli-no-secret-service
sign_in
is_rc 7 "no Secret Service: sign-in exits 7"
like "$CLI_OUT" '"sub" *: *"alice"' "no Secret Service: the claims are printed"
like "$CLI_ERR" 'keyring' "no Secret Service: stderr names the keyring"
cli accounts
is_rc 7 "no Secret Service: accounts exits 7"
like "$CLI_ERR" 'Secret Service|keyring' "no Secret Service: accounts says there is no keyring"
no_plaintext "no Secret Service"
LANYARD_CLI=$REAL_CLI
cli accounts
is "$CLI_OUT" "" "the real keyring got nothing from the session without one"

done_testing
