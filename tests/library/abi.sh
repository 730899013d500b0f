#!/usr/bin/env bash
# abi.sh [--update] — the ABI of liblanyard-1 against the committed 1.0 baseline
# (abi/liblanyard-1.abi, abidw from abigail-tools): abidiff must find no change to anything that
# was there — no removed or changed function, no changed public type. Added functions are fine
# (they are listed as a diagnostic). A self-check removes one function from the current ABI and
# expects abidiff to call that incompatible, so the comparison cannot pass vacuously.
# --update (or `meson compile -C _build update-abi`) rewrites the baseline; HACKING.md says when
# that is allowed. meson sets LANYARD_LIB, LANYARD_PUBLIC_HEADERS (':'-separated) and
# LANYARD_ABI_BASELINE. TAP output.
source "$(dirname "$0")/../integration/lib.sh"
set -o pipefail   # abidw failing must not pass as an empty ABI
: "${LANYARD_LIB:?set by meson}" "${LANYARD_PUBLIC_HEADERS:?}" "${LANYARD_ABI_BASELINE:?}"
for tool in abidw abidiff; do
  command -v "$tool" >/dev/null 2>&1 || bail_out "$tool is not installed (abigail-tools; build-aux/install-deps.sh)"
done
# abidw reads the types from DWARF: a build without -g (buildtype=release) has none to compare
if ! grep -q '\.debug_info' <<<"$(readelf -S "$LANYARD_LIB")"; then
  skip_all "$LANYARD_LIB has no debug information (buildtype without -g)"
fi

mkdir -p "$T/include"
IFS=: read -r -a headers <<<"$LANYARD_PUBLIC_HEADERS"
for h in "${headers[@]}"; do ln -sf "$h" "$T/include/"; done
# only the public headers' types count; no absolute paths, so the file is the same on any machine
dump() {
  abidw --headers-dir "$T/include" --drop-private-types --no-show-locs --no-corpus-path --type-id-style hash \
    "$LANYARD_LIB" | sed "s| comp-dir-path='[^']*'||"
}

if [ "${1:-}" = --update ]; then
  dump >"$LANYARD_ABI_BASELINE" || { echo "abidw failed" >&2; exit 1; }
  echo "wrote $LANYARD_ABI_BASELINE ($(grep -c "<elf-symbol " "$LANYARD_ABI_BASELINE") functions)"
  exit 0
fi

t_ok "the 1.0 baseline is committed ($LANYARD_ABI_BASELINE)" test -s "$LANYARD_ABI_BASELINE"
if dump >"$T/current.abi" 2>"$T/abidw.err"; then pass "abidw reads the built library"; else fail "abidw reads the built library" "$(cat "$T/abidw.err")"; done_testing; fi

abidiff --no-added-syms "$LANYARD_ABI_BASELINE" "$T/current.abi" >"$T/abidiff.out" 2>&1
rc=$?
if [ "$rc" = 0 ]; then
  pass "abidiff: nothing of the 1.0 ABI was removed or changed"
else
  fail "abidiff: nothing of the 1.0 ABI was removed or changed (exit status $rc)" "$(head -n 80 "$T/abidiff.out")" \
    "An incompatible change needs a new API version (liblanyard-2); see HACKING.md, \"Versions and the ABI\"."
fi
abidiff "$LANYARD_ABI_BASELINE" "$T/current.abi" >"$T/abidiff-all.out" 2>&1
added=$(sed -n 's/.* \([0-9][0-9]*\) Added function.*/\1/p' "$T/abidiff-all.out" | head -n1)
diag "functions added since the baseline: ${added:-0}"

# the self-check: one function fewer must be an incompatible change (abidiff's bit 8)
victim=lanyard_client_new
/usr/bin/python3 - "$T/current.abi" "$T/removed.abi" "$victim" <<'PY'
import re, sys
src, dst, name = sys.argv[1:]
s = open(src).read()
s = re.sub(r"[ \t]*<elf-symbol name='%s'[^\n]*\n" % name, "", s)
s = re.sub(r"[ \t]*<function-decl name='%s'.*?</function-decl>\n" % name, "", s, flags=re.S)
open(dst, "w").write(s)
PY
abidiff --no-added-syms "$T/current.abi" "$T/removed.abi" >"$T/self.out" 2>&1
rc=$?
is "$(( rc & 8 ))" 8 "self-check: abidiff calls the removal of $victim incompatible (exit status $rc)"

done_testing
