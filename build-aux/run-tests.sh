#!/usr/bin/env bash
# run-tests.sh [MESON-TEST-ARGS...] — THE test command: install the dependencies
# (build-aux/install-deps.sh), configure _build in the repository root (meson setup, or
# reconfigure), run `meson test -C _build --print-errorlogs [ARGS...]` (all suites unless told,
# e.g. `--suite unit`), then print one final line from _build/meson-logs/testlog.json:
#   N passed, N failed[, N skipped]
# It counts TAP test points ("ok"/"not ok" lines); a test program that failed (FAIL, TIMEOUT,
# ERROR, UNEXPECTEDPASS) without any "not ok" line counts as one failure.
# Exit status: non-zero when anything failed (or nothing could be built).
# Knobs: LANYARD_SKIP_DEPS=1 (do not run install-deps.sh), LANYARD_INSTALL_DEPS_ARGS (its options),
#        LANYARD_MESON_SETUP_ARGS (extra `meson setup` options, e.g. -Dapp=false; the reference
#        docs are built by default, -Ddocs=false turns them off),
#        LANYARD_BUILD_DIR (default _build).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
BUILD=${LANYARD_BUILD_DIR:-_build}
LOG=$BUILD/meson-logs/testlog.json
say() { printf 'run-tests: %s\n' "$*" >&2; }
finish_without_tests() { say "$1"; echo "0 passed, 1 failed"; exit 1; }

if [ "${LANYARD_SKIP_DEPS:-0}" != 1 ]; then
  # shellcheck disable=SC2086
  build-aux/install-deps.sh ${LANYARD_INSTALL_DEPS_ARGS:-} || finish_without_tests "installing the dependencies failed"
fi

# shellcheck disable=SC2206
# The install test checks the installed reference too, so every suite builds it: install-deps.sh
# brings gi-docgen. A later -Ddocs=false in LANYARD_MESON_SETUP_ARGS wins.
SETUP_ARGS=(-Ddocs=true ${LANYARD_MESON_SETUP_ARGS:-})
if [ -f "$BUILD/build.ninja" ] && [ -f "$BUILD/meson-private/coredata.dat" ]; then
  meson setup --reconfigure "${SETUP_ARGS[@]}" "$BUILD" >"$BUILD/run-tests-setup.log" 2>&1 ||
    { cat "$BUILD/run-tests-setup.log" >&2; say "reconfigure failed: wiping $BUILD"; meson setup --wipe "${SETUP_ARGS[@]}" "$BUILD"; } ||
    finish_without_tests "meson setup failed"
else
  meson setup "${SETUP_ARGS[@]}" "$BUILD" || finish_without_tests "meson setup failed"
fi

rm -f "$LOG"
# Build everything first, not only what the tests link: the install test needs the
# translations too, and a build failure should say so before any test runs.
meson compile -C "$BUILD" || finish_without_tests "the build failed"
meson test -C "$BUILD" --print-errorlogs "$@"
rc=$?

if [ ! -s "$LOG" ]; then
  # meson test builds first; a build failure leaves no test log
  finish_without_tests "meson test produced no test log (exit status $rc): the build failed?"
fi
# Count TAP test points (each GTest case, each shell check) rather than meson's per-binary
# results; a test program that failed without a single "not ok" (a crash, a timeout) counts as
# one failure, and one that passed without TAP output as one pass.
read -r passed failed skipped < <(jq -rs '
  def lines: (.stdout // "") | split("\n");
  def oks: [lines[] | select(test("^ok ") and (test("# [Ss][Kk][Ii][Pp]") | not))] | length;
  def not_oks: [lines[] | select(test("^not ok ") and (test("# TODO") | not))] | length;
  def skips: [lines[] | select(test("^ok .*# [Ss][Kk][Ii][Pp]"))] | length;
  def bad: (.result == "FAIL" or .result == "TIMEOUT" or .result == "ERROR" or .result == "UNEXPECTEDPASS");
  [ .[] | { p: (if (oks + not_oks + skips) == 0 and (bad | not) and .result != "SKIP" then 1 else oks end),
            f: (if bad and not_oks == 0 then 1 else not_oks end),
            s: (if .result == "SKIP" and (oks + skips) == 0 then 1 else skips end) } ]
  | [ (map(.p) | add // 0), (map(.f) | add // 0), (map(.s) | add // 0) ] | @tsv' "$LOG")
line="$passed passed, $failed failed"
[ "${skipped:-0}" -gt 0 ] && line="$line, $skipped skipped"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # meson failed for a reason the log does not count (e.g. an unknown --suite): still fail
  say "meson test exited with status $rc"
  failed=1
  line="$passed passed, $failed failed"
  [ "${skipped:-0}" -gt 0 ] && line="$line, $skipped skipped"
fi
echo "$line"
[ "$failed" -eq 0 ] || exit 1
exit 0
