#!/usr/bin/env bash
# app-first-run.sh — the app as a person meets it from the desktop menu: no LANYARD_* variable,
# settings in a keyfile under the test HOME (GSETTINGS_BACKEND=keyfile), the first-run page filled
# in on the keyboard (xdotool). TAP output.
#
#   1. first launch: the setup page; the provider and client id typed in, Enter: signed out,
#      no "cannot be saved" toast, both values in GSettings
#   2. a settings change from outside (as Preferences or gsettings make it) applies live
#   3. the window resized, quit: its size is stored; restart: straight to Sign In, same size
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/lib-app.sh"
require_cli
require_app
command -v xdotool >/dev/null 2>&1 || bail_out "xdotool is not installed (build-aux/install-deps.sh)"

export GSETTINGS_BACKEND=keyfile
start_idp

# ============================================================ 1. first launch, typed in
t_ok "first run: the app starts with no LANYARD_* variable" app_start_clean
t_ok "first run: the setup page" wait_state setup
sleep 0.5
t_ok "first run: the provider typed into the focused field" type_text "$IDP_ISSUER"
t_ok "first run: Enter moves on to the client id" keys Return
t_ok "first run: the client id typed in" type_text "$IDP_CLIENT_ID"
t_ok "first run: Enter continues" keys Return
t_ok "first run: signed out, ready to sign in" wait_state signed-out 10
unlike "$(app_toasts)" 'cannot be saved' "first run: no \"cannot be saved\" toast"
is "$(settings_get authority)" "'$IDP_ISSUER'" "first run: the authority is in GSettings"
is "$(settings_get client-id)" "'$IDP_CLIENT_ID'" "first run: the client id is in GSettings"
shot first-run-done

# ============================================================ 2. settings applied live
host=${IDP_ISSUER#http://}
host=${host%%/*}
t_ok "live: the header names the provider" app_last_provider_is "${host%%:*}"
settings_set authority "'https://login.example.org/'"
t_ok "live: another authority set from outside is applied while running" app_last_provider_is login.example.org
settings_set authority "'$IDP_ISSUER'"
t_ok "live: and back" app_last_provider_is "${host%%:*}"
is "$(app_state)" signed-out "live: still on Sign In"

# ============================================================ 3. window size stored, restart
win=$(app_window)
isnt "$win" "" "size: the window is on screen"
xdotool windowsize --sync "$win" 500 640 2>/dev/null || xdotool windowsize "$win" 500 640
sleep 0.5
before=$(xdotool getwindowgeometry "$win" | sed -n 's/.*Geometry: //p')
app_quit
is "$APP_RC" 0 "size: app.quit ends the app with status 0"
like "$(settings_get window-width)" '^(4[0-9][0-9]|5[0-9][0-9])$' "size: the width is stored ($(settings_get window-width))"
isnt "$(settings_get window-width)" 640 "size: the stored width is not the default"

t_ok "restart: the app starts" app_start_clean
t_ok "restart: straight to Sign In" wait_state signed-out 10
unlike "$(app_pages | tr '\n' ' ')" 'setup' "restart: the setup page is not shown again"
win=$(app_window)
after=$(xdotool getwindowgeometry "$win" | sed -n 's/.*Geometry: //p')
is "$after" "$before" "restart: the window has the size it was left with"
app_quit

warnings=$(grep -h -E -- '-(CRITICAL|WARNING) \*\*' "$T"/app-*.log | head -n 10)
is "$warnings" "" "no GLib/GTK warnings or criticals in any app run"

done_testing
