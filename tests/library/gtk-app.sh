#!/usr/bin/env bash
# gtk-app.sh — examples/python/lanyard-gtk-app.py, the GTK 4 example on the typelib, on the test
# session's Xvfb against the test provider (https) with the scripted browser: it starts signed
# out; its app.sign-in action signs alice in (the window's state comes from the client's live
# account list); a restart finds her in the keyring without signing in; app.sign-out signs her out
# (lanyard-cli sees the same keyring). Uses the build tree's library and typelib (meson sets
# LANYARD_TEST_TYPELIB_DIR). TAP output.
source "$(dirname "$0")/../integration/lib.sh"
require_cli
: "${LANYARD_TEST_TYPELIB_DIR:?set by meson}"
[ -n "${DISPLAY:-}" ] || skip_all "no DISPLAY (LANYARD_TEST_DISPLAY=1 gives one)"
APP_ID=dev.lanyard.Lanyard.Example
EXAMPLE=$LANYARD_TEST_SRCDIR/../examples/python/lanyard-gtk-app.py
export GI_TYPELIB_PATH=$LANYARD_TEST_TYPELIB_DIR LD_LIBRARY_PATH=$LANYARD_TEST_TYPELIB_DIR

_n=0
start_app() {
  _n=$((_n + 1))
  APP_OUT=$T/gtk-app-$_n.out
  timeout -k 5 120 /usr/bin/python3 "$EXAMPLE" </dev/null >"$APP_OUT" 2>"$T/gtk-app-$_n.err" &
  APP_PID=$!
  _LIB_BG_PIDS="${_LIB_BG_PIDS:-} $APP_PID"
  timeout 15 gdbus wait --session --timeout 15 "$APP_ID" 2>/dev/null
}
# wait_line ERE [SECONDS] — the app printed a line matching ERE
wait_line() {
  local i
  for i in $(seq 1 $((${2:-30} * 10))); do
    grep -Eq -- "$1" "$APP_OUT" 2>/dev/null && return 0
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.1
  done
  diag "app output: $(cat "$APP_OUT")" "stderr: $(tail -n 20 "${APP_OUT%.out}.err")"
  return 1
}
action() { timeout 10 gapplication action "$APP_ID" "$1"; }
quit_app() { kill -TERM "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null; }

start_idp --tls
use_test_browser login
export LANYARD_AUTHORITY=$IDP_ISSUER LANYARD_CLIENT_ID=$IDP_CLIENT_ID

t_ok "the GTK example starts and owns its bus name" start_app
t_ok "it starts signed out" wait_line '^signed-out$' 20
t_ok "app.sign-in can be activated" action sign-in
t_ok "it waits for the browser" wait_line '^signing-in$' 10
t_ok "it shows alice signed in" wait_line '^signed-in alice$' 60
like "$(wait_browser '^LANDED ' 5)" '^LANDED 200 http://' "the browser landed on the loopback page"
cli accounts
like "$CLI_OUT" $'\talice\tAlice Example\t[^\t]+$' "lanyard-cli finds the account it signed in"
quit_app

t_ok "it starts again" start_app
t_ok "a restart shows alice from the keyring" wait_line '^signed-in alice$' 20
is "$(grep -c '^signing-in' "$APP_OUT")" 0 "without signing in again"
t_ok "app.sign-out can be activated" action sign-out
t_ok "it shows signed out" wait_line '^signed-out$' 30
cli accounts
is "$CLI_OUT" "" "the keyring has no account left"
quit_app

done_testing
