#!/usr/bin/env bash
# install.sh — `meson install --destdir` gives a launchable app: the binary, desktop file, D-Bus
# service, AppStream metainfo, GSettings schema and icons land where the desktop looks for them;
# the installed schema compiles; the desktop file's and the D-Bus service's Exec name the installed
# binary; and that binary, run from the DESTDIR with the installed schema and icons, shows its
# first-run page on the test session's Xvfb. meson sets LANYARD_TEST_BUILD_ROOT and
# LANYARD_TEST_PREFIX / _BINDIR / _DATADIR. TAP output.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"

: "${LANYARD_TEST_BUILD_ROOT:?set by meson}" "${LANYARD_TEST_PREFIX:?}" "${LANYARD_TEST_BINDIR:?}" "${LANYARD_TEST_DATADIR:?}" "${LANYARD_TEST_LIBDIR:?}"
command -v meson >/dev/null 2>&1 || skip_all "meson is not on PATH"

DESTDIR=$T/destdir
abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$LANYARD_TEST_PREFIX" "$1" ;; esac; }
BINDIR=$DESTDIR$(abs "$LANYARD_TEST_BINDIR")
DATADIR=$DESTDIR$(abs "$LANYARD_TEST_DATADIR")
LIBDIR=$DESTDIR$(abs "$LANYARD_TEST_LIBDIR")
APP_ID=dev.lanyard.Lanyard

# --no-rebuild: meson test has built everything already; a DESTDIR install never touches the system
if meson install -C "$LANYARD_TEST_BUILD_ROOT" --no-rebuild --destdir "$DESTDIR" >"$T/install.log" 2>&1; then
  pass "meson install --destdir succeeds"
else
  fail "meson install --destdir succeeds" "$(tail -n 20 "$T/install.log")"
  done_testing
fi

t_ok "the binary is installed and executable" test -x "$BINDIR/lanyard"
t_ok "lanyard-cli is installed" test -x "$BINDIR/lanyard-cli"
for f in applications/$APP_ID.desktop dbus-1/services/$APP_ID.service metainfo/$APP_ID.metainfo.xml \
  glib-2.0/schemas/$APP_ID.gschema.xml icons/hicolor/scalable/apps/$APP_ID.svg \
  icons/hicolor/symbolic/apps/$APP_ID-symbolic.svg; do
  t_ok "installed: share/$f" test -s "$DATADIR/$f"
done

# ---------------------------------------------------------------- schema
SCHEMAS=$DATADIR/glib-2.0/schemas
if glib-compile-schemas --strict "$SCHEMAS" 2>"$T/schemas.err"; then
  pass "glib-compile-schemas --strict works on the installed schema dir"
else
  fail "glib-compile-schemas --strict works on the installed schema dir" "$(cat "$T/schemas.err")"
fi
keys=$(GSETTINGS_SCHEMA_DIR=$SCHEMAS gsettings list-keys "$APP_ID" 2>&1 | sort | tr '\n' ' ')
like "$keys" '(^| )authority .*client-id ' "the installed schema has the authority and client-id keys"

# ---------------------------------------------------------------- desktop file and D-Bus service
DESKTOP=$DATADIR/applications/$APP_ID.desktop
if command -v desktop-file-validate >/dev/null 2>&1; then
  t_ok "the installed desktop file validates" desktop-file-validate "$DESKTOP"
else
  skip "the installed desktop file validates" "desktop-file-validate is not installed"
fi
exec_line=$(sed -n 's/^Exec=//p' "$DESKTOP" | head -n1)
exec_prog=${exec_line%% *}
case $exec_prog in
  /*) exec_path=$DESTDIR$exec_prog ;;
  # a bare name is looked up on PATH, where <prefix>/<bindir> is
  *) exec_path=$BINDIR/$exec_prog ;;
esac
like "$exec_prog" '^(lanyard|/.*/lanyard)$' "the desktop file's Exec runs lanyard ('$exec_line')"
t_ok "the desktop file's Exec resolves to the installed binary ($exec_path)" test -x "$exec_path"
is "$(sed -n 's/^DBusActivatable=//p' "$DESKTOP")" true "the desktop file is DBusActivatable"
SERVICE=$DATADIR/dbus-1/services/$APP_ID.service
is "$(sed -n 's/^Name=//p' "$SERVICE")" "$APP_ID" "the D-Bus service is named after the application id"
service_exec=$(sed -n 's/^Exec=//p' "$SERVICE")
is "${service_exec%% *}" "$(abs "$LANYARD_TEST_BINDIR")/lanyard" "the D-Bus service's Exec is <prefix>/<bindir>/lanyard"
t_ok "the D-Bus service's Exec is the installed binary" test -x "$DESTDIR${service_exec%% *}"
if command -v appstreamcli >/dev/null 2>&1; then
  t_ok "the installed metainfo validates (appstreamcli --no-net)" appstreamcli validate --no-net --no-color "$DATADIR/metainfo/$APP_ID.metainfo.xml"
else
  skip "the installed metainfo validates" "appstreamcli is not installed"
fi

# ---------------------------------------------------------------- it launches from the DESTDIR
if [ -n "${DISPLAY:-}" ]; then
  LANYARD_APP=$BINDIR/lanyard
  # the installed binary has no build-tree rpath: it finds the installed liblanyard-1
  t_ok "the installed app starts" app_start LD_LIBRARY_PATH="$LIBDIR" GSETTINGS_SCHEMA_DIR="$SCHEMAS" XDG_DATA_DIRS="$DATADIR:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  t_ok "the installed app shows its first-run page" wait_state setup
  unlike "$(grep -i 'not installed' "$APP_LOG")" . "the installed app finds its settings schema"
  shot installed-setup
  app_quit
  is "$APP_RC" 0 "the installed app quits with status 0"
else
  skip "the installed app starts" "no DISPLAY (LANYARD_TEST_DISPLAY=1 gives one)"
fi

done_testing
