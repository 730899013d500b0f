#!/usr/bin/env bash
# docs-check.sh — every public symbol of Lanyard-1.gir is documented, with its parameters and
# return value: `gi-docgen check` prints no warning. (`gi-docgen generate --fatal-warnings`,
# run by -Ddocs=true, checks links and pages but not this.) meson sets LANYARD_GIR. TAP output.
source "$(dirname "$0")/../integration/lib.sh"
: "${LANYARD_GIR:?set by meson}"
command -v gi-docgen >/dev/null 2>&1 || bail_out "gi-docgen is not installed (build-aux/install-deps.sh)"

if gi-docgen check --add-include-path="$(dirname "$LANYARD_GIR")" "$LANYARD_GIR" >"$T/check.out" 2>&1; then
  pass "gi-docgen check runs"
else
  fail "gi-docgen check runs" "$(tail -n 20 "$T/check.out")"
fi
warnings=$(sed 's/\x1b\[[0-9;]*m//g' "$T/check.out" | grep -E '^(WARNING|ERROR)')
is "$warnings" "" "gi-docgen check: every public symbol is documented"
[ -z "$warnings" ] || diag "Document each in a gtk-doc comment (/** name: @param: Returns: */, with" \
  "annotations) next to its definition in src/core/*.c; gi-docgen check <build>/src/core/Lanyard-1.gir lists them."
like "$(grep -c '<method name=\|<constructor name=\|<function name=' "$LANYARD_GIR")" '^[1-9][0-9]+$' \
  "the GIR has the API in it"

done_testing
