# lib-app.sh — sourced by Lanyard's display tests (bash), after tests/integration/lib.sh.
#
# The tests run inside tests/session/lanyard-test-session with LANYARD_TEST_DISPLAY=1 (a private
# Xvfb, GSK_RENDERER=cairo, GTK_A11Y=none) and drive the real app (LANYARD_APP, set by meson) only
# through its actions on the session bus — never through screen coordinates:
#   app_start [ENV-ARGS...]   start the app with that environment (plus G_MESSAGES_DEBUG=lanyard-app)
#                             and wait until it is on the bus -> APP_PID, APP_LOG
#   app_action NAME           `gapplication action dev.lanyard.Lanyard NAME`
#   app_activate NAME         the same through org.gtk.Actions.Activate (gdbus)
#   app_state                 the page on screen: app.state's value (org.gtk.Actions.Describe)
#   wait_state STATE [SECS]   wait for app.state; status 1 (and a diagnostic) on timeout
#   app_quit                  app.quit, then wait for the process -> APP_RC
#   app_toasts                every toast the app showed so far (its "Toast: " debug lines)
#   app_pages                 every page change so far (its "Page: " debug lines)
#   shot NAME                 screenshot of the screen, trimmed, to $LANYARD_TEST_SCREENSHOTS/NAME.png
#   shot_popup NAME BASE      the same with a menu open, its margins filled from shot BASE
#   "${GERMAN[@]}", german_ok  a German session's environment (words and dates), and its check
#   keyring_items             the number of Lanyard items in the test keyring (secret-tool)

: "${LANYARD_APP:=}"
: "${LANYARD_TEST_SCREENSHOTS:=${LANYARD_TEST_BUILDDIR:-$T}/screenshots}"
APP_ID=dev.lanyard.Lanyard
APP_PATH=/dev/lanyard/Lanyard
APP_PID=
_app_n=0

require_app() {
  if [ -z "$LANYARD_APP" ] || [ ! -x "$LANYARD_APP" ]; then bail_out "LANYARD_APP is not set to an executable lanyard"; fi
  [ -n "${DISPLAY:-}" ] || bail_out "no DISPLAY: run in lanyard-test-session with LANYARD_TEST_DISPLAY=1"
  mkdir -p "$LANYARD_TEST_SCREENSHOTS"
}

app_start() {
  _app_n=$((_app_n + 1))
  APP_LOG=$T/app-$_app_n.log
  # `timeout` is the watchdog: a hung app fails the test instead of blocking the suite
  env "$@" G_MESSAGES_DEBUG=lanyard-app timeout -k 5 150 "$LANYARD_APP" </dev/null >"$APP_LOG" 2>&1 &
  APP_PID=$!
  _LIB_BG_PIDS="${_LIB_BG_PIDS:-} $APP_PID"
  if ! timeout 15 gdbus wait --session --timeout 15 "$APP_ID" 2>/dev/null; then
    diag "the app did not appear on the bus" "$(tail -n 20 "$APP_LOG")"
    return 1
  fi
}

app_action() { timeout 10 gapplication action "$APP_ID" "$1" >/dev/null; }
app_activate() {
  timeout 10 gdbus call --session --dest "$APP_ID" --object-path "$APP_PATH" \
    --method org.gtk.Actions.Activate "$1" '[]' '{}' >/dev/null
}
# prints the state, e.g. signed-out, from `((true, signature '', [<'signed-out'>]),)`
app_state() {
  timeout 5 gdbus call --session --dest "$APP_ID" --object-path "$APP_PATH" \
    --method org.gtk.Actions.Describe state 2>/dev/null | sed -n "s/.*\[<'\([a-z-]*\)'>\].*/\1/p"
}
wait_state() {
  local want=$1 n=$((${2:-20} * 10)) i got=
  for i in $(seq 1 "$n"); do
    got=$(app_state)
    [ "$got" = "$want" ] && return 0
    sleep 0.1
  done
  diag "app.state is '$got' after ${2:-20} s, expected '$want'" "--- app log (tail)" "$(tail -n 15 "$APP_LOG")"
  return 1
}
app_quit() {
  APP_RC=
  app_action quit || true
  local i
  for i in $(seq 1 100); do
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$APP_PID" 2>/dev/null; then
    diag "the app did not quit in 10 s"
    kill -TERM "$APP_PID" 2>/dev/null || true
  fi
  APP_RC=0
  wait "$APP_PID" 2>/dev/null || APP_RC=$?
  _LIB_BG_PIDS=${_LIB_BG_PIDS// $APP_PID/}
  # the bus name goes with the process; a new instance must not remote to a dying one
  for i in $(seq 1 50); do
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner "$APP_ID" 2>/dev/null | grep -q true || break
    sleep 0.1
  done
}
app_toasts() { sed -n 's/.*Toast: //p' "$APP_LOG"; }
app_pages() { sed -n 's/.*Page: //p' "$APP_LOG"; }

# shot NAME — after the page's crossfade (200 ms) and a toast's slide-in have finished
shot() {
  local out=$LANYARD_TEST_SCREENSHOTS/$1.png
  sleep "${SHOT_DELAY:-0.8}"
  if ! command -v import >/dev/null 2>&1; then
    skip "screenshot $1" "ImageMagick's import is not installed"
    return 0
  fi
  mkdir -p "$LANYARD_TEST_SCREENSHOTS"
  rm -f "$out"
  if import -window root -trim +repage "$out" 2>"$T/import.err" && [ -s "$out" ]; then
    pass "screenshot $1 -> $out"
  else
    fail "screenshot $1" "$(cat "$T/import.err")"
  fi
}

# shot_popup NAME BASE — shot NAME of a popup (a menu) over the window, where BASE is a shot of the
# same window just before it opened. Xvfb has no compositor: the popup surface's transparent
# margins come out black (its rounded edges nearly black); they are filled from BASE, as a
# compositor would show them. Text (#333 at the darkest) is far from the 12 % fuzz.
shot_popup() {
  local out=$LANYARD_TEST_SCREENSHOTS/$1.png base=$LANYARD_TEST_SCREENSHOTS/$2.png
  shot "$1" || return 0
  [ -f "$out" ] && [ -f "$base" ] || return 0
  if convert "$out" -fuzz 12% -transparent black "$base" +swap -composite "$out" 2>"$T/convert.err"; then
    pass "screenshot $1: the popup's margins filled from $2"
  else
    fail "screenshot $1: the popup's margins filled from $2" "$(cat "$T/convert.err")"
  fi
}

# GERMAN — the environment of a German session: the words (LANGUAGE) and a real de_DE.UTF-8
# locale for dates (LC_ALL), the one the build compiles into <builddir>/tests/locale (LOCPATH;
# tests/meson.build). german_ok: that locale is there and names the months in German.
GERMAN=(LANGUAGE=de LC_ALL=de_DE.UTF-8 LOCPATH="${LANYARD_TEST_LOCPATH:-}")
german_ok() {
  local month
  month=$(LOCPATH="${LANYARD_TEST_LOCPATH:-}" LC_ALL=de_DE.UTF-8 date -u -d @1614859200 +%B 2>/dev/null)
  is "$month" "März" "German: de_DE.UTF-8 from ${LANYARD_TEST_LOCPATH:-(no LANYARD_TEST_LOCPATH)} names March \"März\" (else: install Debian's locales package, then meson setup --reconfigure)"
}

keyring_items() {
  secret-tool search --all xdg:schema dev.lanyard.Lanyard.Account 2>/dev/null | grep -c '^\[' || true
}

# app_start_clean [VAR=VALUE...] — app_start as the desktop menu starts it: no LANYARD_* variable
# reaches the app (the test harness's own ones included), settings in a keyfile under the test HOME
app_start_clean() {
  local unset_args=() v
  for v in $(compgen -e | grep '^LANYARD_'); do unset_args+=(-u "$v"); done
  app_start "${unset_args[@]}" GSETTINGS_BACKEND=keyfile "$@"
}
# settings_get KEY — the app's setting as the keyfile backend stored it (gsettings get)
settings_get() { GSETTINGS_BACKEND=keyfile gsettings get "$APP_ID" "$1" 2>/dev/null; }
settings_set() { GSETTINGS_BACKEND=keyfile gsettings set "$APP_ID" "$1" "$2"; }

# app_window — the X window id of the app's main window (xdotool)
app_window() { timeout 10 xdotool search --sync --onlyvisible --name '^Lanyard$' 2>/dev/null | head -n1; }
# keys KEY... / type_text TEXT — what a person does on the keyboard, into the focused app window
_app_focus() { local w; w=$(app_window) && [ -n "$w" ] && xdotool windowfocus --sync "$w" 2>/dev/null; }
keys() { _app_focus && xdotool key --delay 80 "$@"; }
type_text() { _app_focus && xdotool type --delay 15 -- "$1"; }
# app_log_has ERE [SECS] — wait for a line of the app's debug log
app_log_has() {
  local i n=$((${2:-10} * 10))
  for i in $(seq 1 "$n"); do
    grep -Eq -- "$1" "$APP_LOG" && return 0
    sleep 0.1
  done
  diag "no app log line matches /$1/" "$(tail -n 10 "$APP_LOG")"
  return 1
}
# app_last_provider_is HOST [SECS] — wait until the newest "Provider: " line names HOST
app_last_provider_is() {
  local i n=$((${2:-10} * 10)) got=
  for i in $(seq 1 "$n"); do
    got=$(sed -n 's/.*Provider: //p' "$APP_LOG" | tail -n1)
    [ "$got" = "$1" ] && return 0
    sleep 0.1
  done
  diag "the header names '$got', expected '$1'"
  return 1
}
# browser_config [VAR=VALUE...] — the scripted browser's settings for an app started with
# app_start_clean (which passes no LANYARD_* variable on): the current LANYARD_TEST_BROWSER_LOG,
# _MODE and _USER, overridden by the arguments, in $XDG_CONFIG_HOME/lanyard-test-browser.env
browser_config() {
  local f=$XDG_CONFIG_HOME/lanyard-test-browser.env kv
  {
    printf 'export LANYARD_TEST_BROWSER_LOG=%q\n' "${LANYARD_TEST_BROWSER_LOG:-$T/browser.log}"
    printf 'export LANYARD_TEST_BROWSER_MODE=%q\n' "${LANYARD_TEST_BROWSER_MODE:-login}"
    for kv in "$@"; do printf 'export %q\n' "$kv"; done
  } >"$f"
}
# app_account — the current account's id: app.switch-account's state ('' when signed out)
app_account() {
  timeout 5 gdbus call --session --dest "$APP_ID" --object-path "$APP_PATH" \
    --method org.gtk.Actions.Describe switch-account 2>/dev/null | sed -n "s/.*\[<'\([^']*\)'>\].*/\1/p"
}
# app_action_s NAME STRING — gapplication action with a string parameter
app_action_s() { timeout 10 gapplication action "$APP_ID" "$1" "'$2'" >/dev/null; }
