#!/usr/bin/env bash
# stall-sign-in.sh [BUILDDIR] [RUNS] — main-loop stalls of the app during a sign-in (stall-sign-in.c):
# the test provider (tests/idp), the scripted browser as $BROWSER, a private session with Xvfb
# (tests/session/lanyard-test-session, LANYARD_TEST_DISPLAY=1, GSK_RENDERER=cairo). One JSON line
# per run, each followed by a baseline run (the idle window for 3 s: the machine's own noise). Build first: meson compile -C BUILDDIR tests/bench-stall-sign-in
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/_build}" && pwd)
RUNS=${2:-5}
export LANYARD_TEST_SRCDIR=$ROOT/tests LANYARD_TEST_DISPLAY=1 GSETTINGS_BACKEND=memory
exec "$ROOT/tests/session/lanyard-test-session" bash -c '
  set -uo pipefail
  T=$(mktemp -d)
  source "$LANYARD_TEST_SRCDIR/integration/lib.sh" >/dev/null
  start_idp >/dev/null
  use_test_browser login
  for i in $(seq 1 '"$RUNS"'); do
    secret-tool clear xdg:schema dev.lanyard.Lanyard.Account 2>/dev/null || true
    LANYARD_AUTHORITY=$IDP_ISSUER LANYARD_CLIENT_ID=$IDP_CLIENT_ID "'"$BUILD"'/tests/bench-stall-sign-in"
    secret-tool clear xdg:schema dev.lanyard.Lanyard.Account 2>/dev/null || true
    printf "baseline "
    STALL_BASELINE=1 LANYARD_AUTHORITY=$IDP_ISSUER LANYARD_CLIENT_ID=$IDP_CLIENT_ID "'"$BUILD"'/tests/bench-stall-sign-in"
  done
  stop_idp
'
