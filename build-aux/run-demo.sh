#!/usr/bin/env bash
# run-demo.sh — set up, build, start the local demo provider, and open Lanyard.
#
# Usage: build-aux/run-demo.sh [APP ARGUMENTS…]
#
# 1. Installs missing dependencies (build-aux/install-deps.sh, Debian 12).
# 2. Builds everything into _build (meson + ninja): the app, the CLI and the
#    translations, which the app then uses from the build tree
#    (LANYARD_LOCALEDIR; try LANGUAGE=de build-aux/run-demo.sh).
# 3. Unless LANYARD_AUTHORITY is already set (your own tenant), starts the test
#    OpenID provider from tests/idp on 127.0.0.1 with an ephemeral port and
#    prints the demo account to sign in with.
# 4. Runs the app from the build tree with its settings schema, and stops the
#    provider when the app exits. Unless LANYARD_DEMO_REAL_SESSION=1, the app
#    runs on a private D-Bus session bus with a throwaway, unlocked
#    gnome-keyring and settings in memory: the demo leaves nothing in your
#    keyring or your settings. Links still open in your own browser (through
#    your session bus).
#
# Your own Entra External ID tenant instead of the demo provider:
#   LANYARD_AUTHORITY=contoso LANYARD_CLIENT_ID=<application id> build-aux/run-demo.sh
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/_build
DEMO_CLIENT_ID=dev.lanyard.Lanyard.Test

say() { printf 'run-demo: %s\n' "$*" >&2; }

use_demo=1
if [ -n "${LANYARD_AUTHORITY:-}" ]; then
  use_demo=0
fi

# 1. Dependencies (idempotent and quick when everything is there).
if [ -x "$ROOT/build-aux/install-deps.sh" ]; then
  if [ "$use_demo" = 1 ]; then
    "$ROOT/build-aux/install-deps.sh"
  else
    "$ROOT/build-aux/install-deps.sh" --no-npm
  fi
fi

# 2. Build.
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" "$ROOT"
fi
ninja -C "$BUILD"

APP=$BUILD/src/app/lanyard
export GSETTINGS_SCHEMA_DIR=$BUILD/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}
export LANYARD_LOCALEDIR=$BUILD/po

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  say "no display: run this from a desktop session (or under xvfb-run)"
  exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lanyard-demo.XXXXXX")
chmod 700 "$WORK"

# run_app ARGS… — the app, on a throwaway session unless told otherwise
run_app() {
  if [ "${LANYARD_DEMO_REAL_SESSION:-0}" = 1 ]; then
    say "using your session bus, keyring and settings (LANYARD_DEMO_REAL_SESSION=1)"
    "$APP" "$@"
    return
  fi
  # Links go to your browser through your own session bus: a browser that is
  # already running is found there (a private bus would start a second one).
  if [ -z "${BROWSER:-}" ]; then
    cat >"$WORK/open-link" <<SCRIPT
#!/bin/sh
DBUS_SESSION_BUS_ADDRESS='${DBUS_SESSION_BUS_ADDRESS:-}' exec xdg-open "\$1"
SCRIPT
    chmod +x "$WORK/open-link"
    export BROWSER=$WORK/open-link
  fi
  mkdir -p "$WORK/keyring-data"
  # shellcheck disable=SC2016  # expanded by the inner shell
  WORK=$WORK APP=$APP dbus-run-session -- sh -c '
    eval "$(printf demo | XDG_DATA_HOME="$WORK/keyring-data" gnome-keyring-daemon --unlock --components=secrets)"
    export GNOME_KEYRING_CONTROL GSETTINGS_BACKEND=memory
    exec "$APP" "$@"' run-demo "$@"
}

if [ "$use_demo" = 0 ]; then
  say "signing in at $LANYARD_AUTHORITY (LANYARD_AUTHORITY is set: no demo provider)"
  status=0
  run_app "$@" || status=$?
  rm -rf "$WORK"
  exit "$status"
fi

# 3. The demo provider.
IDP_DIR=$ROOT/tests/idp
if ! command -v node >/dev/null 2>&1; then
  say "Node.js (>= 20) is needed for the demo provider; see build-aux/install-deps.sh"
  exit 1
fi
if [ ! -d "$IDP_DIR/node_modules" ]; then
  (cd "$IDP_DIR" && npm ci --no-audit --no-fund)
fi

IDP_PID=
# shellcheck disable=SC2317  # called through the trap
cleanup() {
  if [ -n "$IDP_PID" ] && kill -0 "$IDP_PID" 2>/dev/null; then
    kill "$IDP_PID" 2>/dev/null || true
    wait "$IDP_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

IDP_CLIENT_ID=$DEMO_CLIENT_ID IDP_DEMO=1 \
  node "$IDP_DIR/idp.mjs" --port 0 --ready-file "$WORK/ready" >"$WORK/idp.log" 2>&1 &
IDP_PID=$!

for _ in $(seq 1 150); do
  [ -s "$WORK/ready" ] && break
  if ! kill -0 "$IDP_PID" 2>/dev/null; then
    say "the demo provider did not start:"
    cat "$WORK/idp.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ ! -s "$WORK/ready" ]; then
  say "the demo provider did not get ready in 15 seconds:"
  cat "$WORK/idp.log" >&2
  exit 1
fi

ISSUER=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).issuer)' "$WORK/ready")

cat >&2 <<MSG

  Demo provider running at $ISSUER
  Sign in with the account   alice   and the password   password
  (bob / password works too). Close Lanyard to stop the provider.

MSG

# 4. The app. Not exec: the provider is stopped when it exits.
status=0
LANYARD_AUTHORITY=$ISSUER \
LANYARD_CLIENT_ID=$DEMO_CLIENT_ID \
LANYARD_DEMO_AUTHORITY=$ISSUER \
LANYARD_DEMO_CLIENT_ID=$DEMO_CLIENT_ID \
  run_app "$@" || status=$?
exit "$status"
