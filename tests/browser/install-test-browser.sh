#!/bin/sh
# install-test-browser.sh [BROWSER-SCRIPT]
# Register lanyard-test-browser (or BROWSER-SCRIPT) as the default handler for
# x-scheme-handler/http and https in the CURRENT $XDG_DATA_HOME and $XDG_CONFIG_HOME, so GIO/GTK
# "open URI" calls (g_app_info_launch_default_for_uri, gtk_show_uri) reach the script.
# Only for a private test session (tests/session/lanyard-test-session): it overwrites
# $XDG_CONFIG_HOME/mimeapps.list.
set -eu
: "${XDG_DATA_HOME:?XDG_DATA_HOME must be set (run inside lanyard-test-session)}"
: "${XDG_CONFIG_HOME:?XDG_CONFIG_HOME must be set (run inside lanyard-test-session)}"
SCRIPT=${1:-$(cd "$(dirname "$0")" && pwd)/lanyard-test-browser}
[ -x "$SCRIPT" ] || { echo "install-test-browser: $SCRIPT is not executable" >&2; exit 1; }
mkdir -p "$XDG_DATA_HOME/applications" "$XDG_CONFIG_HOME"
cat >"$XDG_DATA_HOME/applications/lanyard-test-browser.desktop" <<EOD
[Desktop Entry]
Type=Application
Name=Lanyard Test Browser
Exec=$SCRIPT %u
NoDisplay=true
Terminal=false
MimeType=x-scheme-handler/http;x-scheme-handler/https;
EOD
cat >"$XDG_CONFIG_HOME/mimeapps.list" <<EOD
[Default Applications]
x-scheme-handler/http=lanyard-test-browser.desktop
x-scheme-handler/https=lanyard-test-browser.desktop

[Added Associations]
x-scheme-handler/http=lanyard-test-browser.desktop;
x-scheme-handler/https=lanyard-test-browser.desktop;
EOD
# GIO caches the desktop-file index per process only; update-desktop-database is not needed.
