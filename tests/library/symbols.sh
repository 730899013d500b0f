#!/usr/bin/env bash
# symbols.sh — liblanyard-1 exports its public API and nothing else: a versioned soname, only
# lanyard_* functions under the LANYARD_1.0 version node, none of the internal modules (JWS,
# JSON, PKCE, loopback, HTTP, provider, token endpoint…) nor the core-only declarations of the
# public headers, and everything lanyard-cli (and the app, when built) imports is there.
# meson sets LANYARD_LIB (the built shared library), LANYARD_CLI and LANYARD_APP. TAP output.
source "$(dirname "$0")/../integration/lib.sh"

: "${LANYARD_LIB:?set by meson}"
command -v nm >/dev/null 2>&1 || bail_out "nm (binutils) is not installed"

soname=$(readelf -d "$LANYARD_LIB" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
is "$soname" "liblanyard-1.so.0" "the soname is liblanyard-1.so.0"

# name@@VERSION for every defined dynamic symbol except the version node itself
nm -D --defined-only "$LANYARD_LIB" | awk '$2 != "A" {print $3}' | sort >"$T/exported"
n=$(wc -l <"$T/exported")
[ "$n" -gt 40 ] && pass "the library exports its API ($n functions)" || fail "the library exports its API" "only $n symbols"
is "$(grep -v '^lanyard_[a-z0-9_]*@@LANYARD_1\.0$' "$T/exported" | head -n 20)" "" \
  "every exported symbol is a lanyard_* function versioned LANYARD_1.0"
sed 's/@@.*//' "$T/exported" >"$T/names"

internal='^lanyard_(jws|jwks|json|pkce|loopback|http|provider|token_endpoint|base64url|id_token|default_account|build)_'
is "$(grep -E "$internal" "$T/names" | head -n 20)" "" "no internal module's function is exported"
for f in lanyard_error_from_gerror lanyard_account_set_tokens lanyard_account_new_from_json \
  lanyard_host_is_loopback lanyard_url_is_acceptable_endpoint; do
  unlike "$(cat "$T/names")" "^$f\$" "$f (core only) is not exported"
done
for f in lanyard_client_new lanyard_client_sign_in_async lanyard_client_sign_in_finish \
  lanyard_config_new_from_environment lanyard_error_quark lanyard_system_browser_new lanyard_account_get_type; do
  like "$(cat "$T/names")" "^$f\$" "$f is exported"
done

# what the programs built on the library import must be there
for prog in "${LANYARD_CLI:-}" "${LANYARD_APP:-}"; do
  [ -n "$prog" ] && [ -x "$prog" ] || continue
  missing=$(nm -D --undefined-only "$prog" | awk '{print $2}' | sed 's/@.*//' | grep '^lanyard_' | sort | comm -23 - "$T/names")
  is "$missing" "" "every lanyard_* function $(basename "$prog") imports is exported"
  like "$(ldd "$prog")" 'liblanyard-1\.so\.0 => ' "$(basename "$prog") links liblanyard-1.so.0"
done

done_testing
