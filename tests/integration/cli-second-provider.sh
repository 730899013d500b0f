#!/usr/bin/env bash
# cli-second-provider.sh — the whole lanyard-cli journey against a second, independent OpenID
# provider implementation (tests/idp/mock-idp.mjs: oauth2-mock-server), so that nothing passes
# only because oidc-provider happens to do it one way: sign-in (query response mode, no RFC 9207
# iss, an ID token with no profile claims), token, a forced refresh, claims, accounts, sign-out
# with revocation and the provider's logout link. TAP output.
source "$(dirname "$0")/lib.sh"
require_cli

CLIENT_ID=lanyard-second-provider
grants() { grep -c "\"grant_type\":\"$1\"" "$IDP_REQUEST_LOG"; }

start_mock_idp
ISSUER=$MOCK_ISSUER
use_test_browser login

# ------------------------------------------------------------ sign-in
cli sign-in --authority "$ISSUER" --client-id "$CLIENT_ID" --timeout 60
is_rc 0 "sign-in exits 0"
is "$(jq -r .iss <"$T/cli.out" 2>/dev/null)" "$ISSUER" "sign-in: the ID token's iss is the provider's issuer"
is "$(jq -r .sub <"$T/cli.out" 2>/dev/null)" johndoe "sign-in: sub"
is "$(jq -r .aud <"$T/cli.out" 2>/dev/null)" "$CLIENT_ID" "sign-in: aud is the client id"
like "$CLI_ERR" 'Signed in as johndoe' "sign-in: with no profile claims, the user is named by sub"
AUTH_URL=$(browser_auth_url)
is "$(url_param "$AUTH_URL" response_mode)" "" "sign-in: no response_mode asked (the provider offers query only)"
is "$(url_param "$AUTH_URL" code_challenge_method)" S256 "sign-in: PKCE S256"
like "$(wait_browser '^LANDED ' 5)" '^LANDED 200 http://' "sign-in: the browser landed on the loopback page"
is "$(sed -n 's/^RESPONSE //p' "$T/browser.log" | tail -n1)" query "sign-in: the response came as a query (no form_post)"
is "$(grants authorization_code)" 1 "sign-in: one authorization_code grant"

# ------------------------------------------------------------ tokens
cli token
is_rc 0 "token exits 0"
AT1=$CLI_OUT
isnt "$AT1" "" "token prints an access token"
is "$(grants refresh_token)" 0 "token: a fresh token needs no request"

# Its access tokens have no jti: two minted within the same second are the same string.
sleep 1.1
cli token --force-refresh
is_rc 0 "token --force-refresh exits 0"
isnt "$CLI_OUT" "$AT1" "token --force-refresh: a new access token"
is "$(grants refresh_token)" 1 "token --force-refresh: one refresh_token grant"

cli claims
is_rc 0 "claims exits 0"
is "$(jq -r .sub <"$T/cli.out" 2>/dev/null)" johndoe "claims: sub (from the refreshed ID token)"

cli accounts
is_rc 0 "accounts exits 0"
is "$(grep -c . "$T/cli.out")" 1 "accounts: one account"

# ------------------------------------------------------------ sign-out
cli sign-out --no-browser
is_rc 0 "sign-out exits 0"
like "$CLI_ERR" 'refresh token was revoked' "sign-out: the refresh token was revoked"
like "$CLI_OUT" "^$ISSUER/endsession\\?" "sign-out: prints the provider's end_session link"
cli accounts
is "$CLI_OUT" "" "sign-out: no account left"

done_testing
