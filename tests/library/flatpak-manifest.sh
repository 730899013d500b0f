#!/usr/bin/env bash
# flatpak-manifest.sh — what can be checked of build-aux/dev.lanyard.Lanyard.json without the
# GNOME runtime (it is not downloaded here, so the Flatpak is never built or run; README.md says
# so): it is JSON that flatpak-builder reads without a warning (--show-manifest; an unknown or
# misspelt property warns); its id is the application id of the desktop file, D-Bus service and
# metainfo; its command is the installed app; runtime and SDK are GNOME's, of one version; the
# sandbox gets the network (providers, and the loopback redirect the browser outside must reach)
# and a display, and nothing the portals make unnecessary — no session-bus access to the Secret
# Service (libsecret uses the Secret portal in a sandbox), no home directory; the last module
# builds this source tree with meson. meson sets LANYARD_TEST_SRCDIR. TAP output.
source "$(dirname "$0")/../integration/lib.sh"
ROOT=$LANYARD_TEST_SRCDIR/..
M=$ROOT/build-aux/dev.lanyard.Lanyard.json
APP_ID=dev.lanyard.Lanyard

t_ok "the manifest is JSON" jq -e . "$M"
q() { jq -r "$1" "$M"; }
is "$(q .id)" "$APP_ID" "id is the application id"
for f in "data/$APP_ID.desktop.in" "data/$APP_ID.metainfo.xml.in" "data/$APP_ID.service.in" "data/$APP_ID.gschema.xml"; do
  t_ok "$f exists for that id" test -s "$ROOT/$f"
done
is "$(q .command)" lanyard "command is lanyard"
like "$(cat "$ROOT/src/app/meson.build")" "executable\\('lanyard'," "src/app builds the lanyard executable"
like "$(sed -n 's/^Exec=//p' "$ROOT/data/$APP_ID.desktop.in")" '^lanyard( |$)' "the desktop file runs the same command"
is "$(q .runtime)/$(q .sdk)" "org.gnome.Platform/org.gnome.Sdk" "GNOME runtime and SDK"
like "$(q '."runtime-version"')" '^[0-9]+$' "a stable GNOME runtime version"

args=$(q '."finish-args"[]' | tr '\n' ' ')
like "$args" '(^| )--share=network( |$)' "finish-args: the network (provider, loopback redirect)"
like "$args" '(^| )--socket=wayland( |$)' "finish-args: Wayland"
like "$args" '(^| )--socket=fallback-x11( |$)' "finish-args: X11 only as a fallback"
unlike "$args" 'org\.freedesktop\.secrets' "finish-args: no Secret Service on the bus (the Secret portal serves libsecret)"
unlike "$args" '--filesystem=(home|host)' "finish-args: no home or host file system"
unlike "$args" '--talk-name=org\.freedesktop\.Flatpak' "finish-args: no way out of the sandbox"

is "$(q '.modules[-1].name')" lanyard "the last module is lanyard"
is "$(q '.modules[-1].buildsystem')" meson "built with meson"
is "$(q '.modules[-1].sources[0].type'):$(q '.modules[-1].sources[0].path')" "dir:.." "from this source tree"
for m in $(q '.modules[].buildsystem'); do
  like "$m" '^(meson|cmake|cmake-ninja|autotools|simple|qmake)$' "module build system '$m' is one flatpak-builder knows"
done

if command -v flatpak-builder >/dev/null 2>&1; then
  # from a copy: flatpak-builder leaves a .flatpak-builder directory where it runs
  mkdir -p "$T/fp" && cp "$M" "$T/fp/"
  if (cd "$T/fp" && flatpak-builder --show-manifest dev.lanyard.Lanyard.json) >"$T/show.json" 2>"$T/show.err"; then
    pass "flatpak-builder --show-manifest reads it"
  else
    fail "flatpak-builder --show-manifest reads it" "$(cat "$T/show.err")"
  fi
  is "$(grep -i 'warning\|unknown' "$T/show.err")" "" "flatpak-builder has no warning about it (unknown properties)"
  is "$(jq -r .id "$T/show.json" 2>/dev/null)" "$APP_ID" "flatpak-builder sees the same id"
else
  skip "flatpak-builder --show-manifest reads it" "flatpak-builder is not installed (build-aux/install-deps.sh)"
fi

done_testing
